package scaleseed

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
)

// scaleLedger commits entries [0, total) of the seed's ledger chunk at a
// time, writeChunk(tx, lo, hi) writing entries [lo, hi) with their lines
// in a transaction of their own, then runs last in one more transaction.
// Each chunk's vouchers are numbered and its entries' balance checked at
// its commit, as the service's own postings are.
func (s *Seeder) scaleLedger(ctx context.Context, total, chunk int, writeChunk func(tx *sqlx.Tx, lo, hi int) error, last func(tx *sqlx.Tx) error) error {
	for lo := 0; lo < total; lo += chunk {
		hi := min(lo+chunk, total)
		if err := pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error { return writeChunk(tx, lo, hi) }); err != nil {
			return fmt.Errorf("scale seed: ledger entries %d to %d: %w", lo+1, hi, err)
		}
	}
	return pg.InTx(ctx, s.DB, last)
}

// scaleUndoTimeout bounds the removal of a failed seed's rows, which runs
// even when the seed's own context was cancelled.
const scaleUndoTimeout = 15 * time.Minute

// scaleAppendOnly are the append-only triggers scaleUndo lifts, inside its
// transaction only, to remove a failed seed's facts.
var scaleAppendOnly = []pg.Trigger{
	{Table: "journal_lines", Name: "journal_lines_immutable"},
	{Table: "journal_entries", Name: "journal_entries_immutable"},
	{Table: "disbursements", Name: "disbursements_immutable"},
	{Table: "application_actions", Name: "application_actions_immutable"},
}

// scaleUndo removes, in one transaction, every row a failed Seed had
// committed, leaving the schema as empty as Seed found it (it refuses
// any schema with funds, members or entries, so the tables it writes, and
// the reporting tables their triggers fill, held nothing of anyone else's;
// the member projection's versions are removed for the seeded members
// only). The ledger, the approval history and the disbursements are
// append-only: their triggers are disabled for this transaction and
// enabled again before it commits, so no other transaction ever sees them
// off (ALTER TABLE holds its lock to the commit).
func (s *Seeder) scaleUndo(ctx context.Context, members []Member) error {
	ctx, cancel := context.WithTimeout(ctx, scaleUndoTimeout)
	defer cancel()
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = m.ID
	}
	return pg.InTxTriggersOff(ctx, s.DB, scaleAppendOnly, func(tx *sqlx.Tx) error { return s.undoRows(ctx, tx, ids) })
}

// undoRows deletes the seed's rows in tx, the append-only triggers off.
func (s *Seeder) undoRows(ctx context.Context, tx *sqlx.Tx, ids []string) error {
	for _, table := range []string{"report_fund_month", "report_disbursements_month", "report_waiting", "ledger_day_totals",
		"disbursements", "journal_lines", "journal_entries", "voucher_counters", "recurring_grants", "application_actions",
		"applications", "application_counters", "programs", "funds", "members"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
			return fmt.Errorf("scale seed undo: %s: %w", table, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM projection_versions WHERE projection = $1 AND subject_id = ANY($2)`,
		store.MemberProjection, pq.StringArray(ids)); err != nil {
		return fmt.Errorf("scale seed undo: projection_versions: %w", err)
	}
	return nil
}
