package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/roster"
)

// ErrRosterRejected is returned by a real import run when any row has a
// problem: nothing is written. The problems are in the ImportResult.
var ErrRosterRejected = errors.New("enrollment store: roster has problems")

// ImportFile describes an uploaded roster for the import record.
type ImportFile struct {
	Name   string
	SHA256 string
	Sheet  *roster.Sheet
}

// ImportResult is what a dry run shows and a real run did.
type ImportResult struct {
	ID        string // the import record (real runs only)
	Rows      []ImportedRow
	Created   int
	Updated   int
	Unchanged int
	Problems  []roster.Problem
	DryRun    bool
}

// ImportedRow is one line's outcome.
type ImportedRow struct {
	Line     int
	Action   roster.Action
	MemberID string
}

// ImportState is what ImportRoster hands its planning: the codes of the
// units the caller manages (a unit outside the caller's scope reads as
// unknown), those units' ids, and today.
type ImportState struct {
	Units   roster.UnitLookup
	Managed map[string]bool
	Today   time.Time

	tx   *sqlx.Tx
	s    *Store
	lock bool
}

// Registered loads the members already registered under the identity
// numbers of rows, keyed by number; on a real run they stay locked until
// the import commits.
func (st ImportState) Registered(ctx context.Context, rows []roster.Row) (map[string]*domain.Member, error) {
	return st.s.membersByIdentity(ctx, st.tx, rows, st.lock)
}

// ImportRoster has planImport plan a roster import and, unless dryRun, applies
// the plan in one transaction: all rows or none, with the version rows,
// the members' events, the import record and the audit row. A real run
// with any problem is ErrRosterRejected and writes nothing; the problems,
// in the order planImport gives them, are in the ImportResult either way.
func (s *Store) ImportRoster(ctx context.Context, f ImportFile, dryRun bool, scope Scope, meta Meta, ann Announcer,
	planImport func(ctx context.Context, st ImportState) (roster.Plan, []roster.Problem, error)) (ImportResult, error) {
	res := ImportResult{DryRun: dryRun}
	today := s.Today()
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		res = ImportResult{DryRun: dryRun}
		lookup, inScope, err := s.unitLookup(ctx, tx, scope)
		if err != nil {
			return err
		}
		plan, problems, err := planImport(ctx, ImportState{Units: lookup, Managed: inScope, Today: today, tx: tx, s: s, lock: !dryRun})
		if err != nil {
			return err
		}
		res.Problems = problems
		res.Created, res.Updated, res.Unchanged = plan.Created, plan.Updated, plan.Unchanged
		for _, p := range plan.Rows {
			res.Rows = append(res.Rows, ImportedRow{Line: p.Line, Action: p.Action, MemberID: p.Member.ID})
		}
		if len(res.Problems) > 0 {
			if dryRun {
				return nil
			}
			return ErrRosterRejected
		}
		if dryRun {
			return nil
		}
		return s.applyImport(ctx, tx, f, plan, meta, ann, &res)
	})
	return res, err
}

// CodeRegisteredElsewhere is the row problem of an identity number already
// registered in a unit the importer does not manage.
const CodeRegisteredElsewhere = roster.CodeRegisteredElsewhere

// unitLookup resolves roster unit codes to the units the caller manages;
// a unit outside the caller's scope reads as unknown. It also returns the
// set of those units' ids.
func (s *Store) unitLookup(ctx context.Context, q sqlx.QueryerContext, scope Scope) (roster.UnitLookup, map[string]bool, error) {
	var rows []struct {
		ID   string `db:"id"`
		Code string `db:"code"`
	}
	if err := sqlx.SelectContext(ctx, q, &rows, `SELECT id, code FROM units WHERE $1::boolean OR path && $2::uuid[]`,
		scope.All, pq.Array(scope.Units)); err != nil {
		return nil, nil, fmt.Errorf("load units: %w", err)
	}
	codes := make(map[string]string, len(rows))
	ids := make(map[string]bool, len(rows))
	for _, r := range rows {
		codes[r.Code] = r.ID
		ids[r.ID] = true
	}
	return func(code string) (string, bool) { id, ok := codes[code]; return id, ok }, ids, nil
}

// membersByIdentity loads (and with lock, locks) the registered members
// whose identity numbers appear in rows, keyed by number.
func (s *Store) membersByIdentity(ctx context.Context, tx *sqlx.Tx, rows []roster.Row, lock bool) (map[string]*domain.Member, error) {
	out := map[string]*domain.Member{}
	if len(rows) == 0 {
		return out, nil
	}
	idx := make([]string, len(rows))
	for i, r := range rows {
		idx[i] = s.sealer.Index(r.Identity.Number)
	}
	query := `SELECT ` + memberColumns + ` FROM members m WHERE m.id_number_index = ANY($1)`
	if lock {
		query += ` FOR UPDATE OF m`
	}
	var found []memberRow
	if err := sqlx.SelectContext(ctx, tx, &found, query, pq.Array(idx)); err != nil {
		return nil, fmt.Errorf("load registered members: %w", err)
	}
	byID := make(map[string]*domain.Member, len(found))
	for _, r := range found {
		m, err := s.toDomain(r, true)
		if err != nil {
			return nil, err
		}
		byID[m.ID] = m
		out[m.Identity.Number] = m
	}
	if err := s.loadChildren(ctx, tx, byID, true); err != nil {
		return nil, err
	}
	return out, nil
}

var copyMemberColumns = []string{"id", "unit_id", "name", "category", "frontline", "aux_duty", "high_risk",
	"id_number_sealed", "id_number_index", "id_number_masked", "birth_date", "sex", "phone", "hire_date", "service_start",
	"status", "status_date", "death_cause", "version", "created_at", "updated_at"}

func (s *Store) applyImport(ctx context.Context, tx *sqlx.Tx, f ImportFile, plan roster.Plan, meta Meta, ann Announcer, res *ImportResult) error {
	now := s.now()
	created, updated := plan.Changes()
	for _, m := range updated {
		m.Version++
	}
	if err := s.copyMembers(ctx, tx, created, now); err != nil {
		return err
	}
	for _, m := range updated {
		if err := s.saveMember(ctx, tx, m, now, false); err != nil {
			return fmt.Errorf("update member %s: %w", m.ID, err)
		}
	}
	changed := append(slices.Clone(created), updated...)
	if err := s.copyVersions(ctx, tx, changed, now, meta.Actor); err != nil {
		return err
	}
	outbox := make([]bus.Event, 0, len(changed))
	for i, m := range changed {
		change := domain.ChangeImported
		if i < len(created) {
			change = domain.ChangeRegistered
		}
		ev, err := ann.Member(change, m, now)
		if err != nil {
			return err
		}
		outbox = append(outbox, ev)
	}
	if err := outboxChunked(ctx, tx, outbox); err != nil {
		return err
	}
	res.ID = newID()
	if _, err := tx.ExecContext(ctx, `INSERT INTO roster_imports (id, file_sha256, file_name, format, rows, created, updated,
		unchanged, actor, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		res.ID, f.SHA256, f.Name, string(f.Sheet.Format), len(plan.Rows), plan.Created, plan.Updated, plan.Unchanged, meta.Actor, now); err != nil {
		return fmt.Errorf("record import: %w", err)
	}
	return audit.Write(ctx, tx, s.clock, audit.Entry{Actor: meta.Actor, Action: "member.import", ObjectType: "roster_import",
		ObjectID: res.ID, After: map[string]any{"file_sha256": f.SHA256, "created": plan.Created, "updated": plan.Updated,
			"unchanged": plan.Unchanged}, RequestID: meta.RequestID})
}

// copyMembers inserts new members with COPY: 10,000 single INSERTs take
// seconds, COPY a fraction of one. A COPY holds the connection, so it runs
// alone and finishes before any other statement.
func (s *Store) copyMembers(ctx context.Context, tx *sqlx.Tx, ms []*domain.Member, now time.Time) error {
	if len(ms) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, copyFromStdinSQL("members", copyMemberColumns...))
	if err != nil {
		return fmt.Errorf("copy members: %w", err)
	}
	defer func() { _ = stmt.Close() }()
	for _, m := range ms {
		args, err := s.memberArgs(m)
		if err != nil {
			return err
		}
		if _, err := stmt.ExecContext(ctx, append(args, now, now)...); err != nil {
			return fmt.Errorf("copy member: %w", err)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		if pg.IsUniqueViolation(err) {
			return ErrDuplicateMember
		}
		return fmt.Errorf("copy members: %w", err)
	}
	return stmt.Close()
}

func (s *Store) copyVersions(ctx context.Context, tx *sqlx.Tx, ms []*domain.Member, now time.Time, actor string) error {
	if len(ms) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, copyFromStdinSQL("member_versions", "member_id", "version", "recorded_at", "actor", "change", "snapshot"))
	if err != nil {
		return fmt.Errorf("copy versions: %w", err)
	}
	defer func() { _ = stmt.Close() }()
	for _, m := range ms {
		snap, err := s.sealSnapshot(m)
		if err != nil {
			return err
		}
		if _, err := stmt.ExecContext(ctx, m.ID, m.Version, now, actor, string(domain.ChangeImported), snap); err != nil {
			return fmt.Errorf("copy version: %w", err)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return fmt.Errorf("copy versions: %w", err)
	}
	return stmt.Close()
}
