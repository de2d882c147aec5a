package scaleseed_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/grants/internal/scaleseed"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
)

// TestSeedScaleGrants seeds a small fund history and checks it with the
// service's own queries: every fund's trial balance is balanced, no fund
// or programme is overspent, the counters equal the ledger, vouchers run
// without gaps, a disbursed grant has its entries, recurring grants are
// paid to this month, and a second seed is refused.
func TestSeedScaleGrants(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t, store.Migrations())
	now := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	st := store.New(db, clock.NewFake(now))
	var members []scaleseed.Member
	for i := range 50 {
		members = append(members, scaleseed.Member{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), UnitID: fmt.Sprintf("unit-%d", i%4),
			Name: fmt.Sprintf("成员%d", i), Category: "police", Version: 1})
	}
	// Chunks of 700 entries: the vouchers run on across the chunks' commits.
	n, err := scaleseed.New(st.DB, st.Clock).Seed(ctx, scaleseed.Size{Applications: 2000, LedgerLines: 40_000, Years: 3, Chunk: 700}, members, 12)
	if err != nil {
		t.Fatal(err)
	}
	if n.Applications != 2000 || n.Funds != 3 || n.Programs != 15 || n.Recurring == 0 || n.Lines < 30_000 || n.Lines > 50_000 {
		t.Fatalf("counts = %+v", n)
	}
	q := func(sql string, args ...any) int {
		t.Helper()
		var v int
		if err := db.Get(&v, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return v
	}
	if got := q(`SELECT count(*) FROM journal_lines`); got != n.Lines {
		t.Errorf("%d lines in the table, the seed says %d", got, n.Lines)
	}
	var funds []string
	if err := db.Select(&funds, `SELECT id FROM funds ORDER BY fiscal_year`); err != nil {
		t.Fatal(err)
	}
	for _, f := range funds {
		tb, err := st.TrialBalance(ctx, f, "", now)
		if err != nil {
			t.Fatal(err)
		}
		if !tb.Balanced() || tb.TotalDebit == 0 {
			t.Errorf("fund %s: trial balance debits %d, credits %d", f, tb.TotalDebit, tb.TotalCredit)
		}
	}
	for name, sql := range map[string]string{
		"unbalanced entries": `SELECT count(*) FROM (SELECT entry_id FROM journal_lines GROUP BY entry_id HAVING sum(debit) <> sum(credit)) x`,
		"overspent funds":    `SELECT count(*) FROM funds WHERE committed > appropriation OR disbursed > committed`,
		"programmes over allocation or appropriation": `SELECT count(*) FROM funds f WHERE (SELECT sum(allocation) FROM programs p WHERE p.fund_id = f.id) > f.appropriation
			OR EXISTS (SELECT 1 FROM programs p WHERE p.fund_id = f.id AND (p.committed > p.allocation OR p.disbursed > p.committed))`,
		// Commitments debit 9101, disbursements release it; expenses debit 5001.
		"funds whose committed is not their ledger's": `SELECT count(*) FROM funds f WHERE f.committed <> (SELECT coalesce(sum(l.debit), 0)
			FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id WHERE e.fund_id = f.id AND l.account_code = '9101')`,
		"funds whose disbursed is not their ledger's": `SELECT count(*) FROM funds f WHERE f.disbursed <> (SELECT coalesce(sum(l.debit), 0)
			FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id WHERE e.fund_id = f.id AND l.account_code = '5001')`,
		"programmes whose disbursed is not their payments'": `SELECT count(*) FROM programs p WHERE p.disbursed <> (SELECT coalesce(sum(amount), 0)
			FROM disbursements d WHERE d.program_id = p.id)`,
		"years whose vouchers have gaps": `SELECT count(*) FROM (SELECT fiscal_year FROM journal_entries GROUP BY fiscal_year
			HAVING max(voucher_no) <> count(*)) x`,
		"disbursed grants without their payment": `SELECT count(*) FROM applications a WHERE a.state = 'disbursed'
			AND NOT EXISTS (SELECT 1 FROM disbursements d WHERE d.application_id = a.id)`,
		"active recurring grants not paid to this month": `SELECT count(*) FROM recurring_grants WHERE last_paid_month <> date '2026-11-01'`,
		"two-approver grants with one approval": `SELECT count(*) FROM applications a WHERE a.state IN ('approved', 'disbursed', 'active')
			AND a.amount > 2000000 AND (SELECT count(DISTINCT actor) FROM application_actions x WHERE x.application_id = a.id AND x.step = 'committee_approval') <> 2`,
	} {
		if got := q(sql); got != 0 {
			t.Errorf("%s: %d", name, got)
		}
	}
	// The reporting tables and the ledger's day totals hold what rebuilding
	// them from the facts gives, and their triggers are on again.
	tables := []string{"report_fund_month", "report_disbursements_month", "report_waiting", "ledger_day_totals"}
	kept := pgtest.Rows(t, db, tables...)
	for _, table := range tables {
		if len(kept[table]) == 0 {
			t.Errorf("%s is empty after the seed", table)
		}
	}
	if _, err := db.Exec(`SELECT grants_reports_rebuild(); SELECT ledger_day_totals_rebuild()`); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(pgtest.Rows(t, db, tables...), kept) {
		t.Errorf("the seed's reporting tables differ from a rebuild")
	}
	if off := pgtest.DisabledTriggers(t, db); len(off) != 0 {
		t.Errorf("triggers left disabled: %v", off)
	}
	if q(`SELECT count(*) FROM applications WHERE state IN ('submitted', 'reviewed', 'approved')`) == 0 {
		t.Error("no application is still under way")
	}
	// The next application of the year takes the next number.
	var last int
	if err := db.Get(&last, `SELECT last_no FROM application_counters WHERE fiscal_year = 2026`); err != nil {
		t.Fatal(err)
	}
	if got := q(`SELECT count(*) FROM applications WHERE number LIKE 'GA-2026-%'`); got != last {
		t.Errorf("the 2026 counter is at %d with %d applications numbered", last, got)
	}

	if _, err := scaleseed.New(st.DB, st.Clock).Seed(ctx, scaleseed.Size{Applications: 1, Years: 1}, members, 12); err == nil {
		t.Error("a second seed into a filled schema was accepted")
	}
	if got := q(`SELECT count(*) FROM applications`); got != 2000 {
		t.Errorf("after the refused second seed: %d applications", got)
	}
}

// TestSeedScaleGrantsFailedChunk: when a ledger chunk fails after earlier
// chunks have committed, the seed returns the error and removes every row
// it had committed, with the append-only triggers enabled again, so the
// same seed then runs into the schema as if the first had never been.
func TestSeedScaleGrantsFailedChunk(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t, store.Migrations())
	now := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	st := store.New(db, clock.NewFake(now))
	var members []scaleseed.Member
	for i := range 30 {
		members = append(members, scaleseed.Member{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), UnitID: fmt.Sprintf("unit-%d", i%3),
			Name: fmt.Sprintf("成员%d", i), Category: "police", Version: 1})
	}
	// Another projection's version, which the undo must keep.
	if _, err := db.Exec(`INSERT INTO projection_versions (projection, subject_id, version) VALUES ('grants-other', 'x', 3)`); err != nil {
		t.Fatal(err)
	}
	// The third chunk of 500 fails at its 101st entry, as a full disk would.
	for _, q := range []string{
		`CREATE FUNCTION seed_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'seed test: entry % refused', NEW.id; END $$`,
		`CREATE TRIGGER seed_test_fail AFTER INSERT ON journal_entries FOR EACH ROW WHEN (NEW.id = 1101) EXECUTE FUNCTION seed_test_fail()`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	size := scaleseed.Size{Applications: 600, LedgerLines: 12_000, Years: 2, Chunk: 500}
	_, err := scaleseed.New(st.DB, st.Clock).Seed(ctx, size, members, 3)
	if err == nil || !strings.Contains(err.Error(), "entry 1101 refused") {
		t.Fatalf("the failing seed returned %v", err)
	}
	q := func(sql string) int {
		t.Helper()
		var v int
		if err := db.Get(&v, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return v
	}
	for _, table := range []string{"members", "funds", "programs", "applications", "application_actions", "recurring_grants", "application_counters",
		"journal_entries", "journal_lines", "voucher_counters", "disbursements", "report_fund_month", "report_disbursements_month", "report_waiting", "ledger_day_totals"} {
		if got := q(`SELECT count(*) FROM ` + table); got != 0 {
			t.Errorf("after the failed seed %s has %d rows", table, got)
		}
	}
	if got := q(`SELECT count(*) FROM projection_versions`); got != 1 {
		t.Errorf("after the failed seed projection_versions has %d rows, want the other projection's one", got)
	}
	if off := pgtest.DisabledTriggers(t, db); len(off) != 0 {
		t.Errorf("triggers left disabled: %v", off)
	}
	if _, err := db.Exec(`DROP TRIGGER seed_test_fail ON journal_entries`); err != nil {
		t.Fatal(err)
	}
	n, err := scaleseed.New(st.DB, st.Clock).Seed(ctx, size, members, 3)
	if err != nil {
		t.Fatalf("the seed after the failed one: %v", err)
	}
	if got := q(`SELECT count(*) FROM journal_entries`); got != n.Entries || got <= 1100 {
		t.Errorf("%d entries written, the seed says %d", got, n.Entries)
	}
	if got := q(`SELECT count(*) FROM (SELECT fiscal_year FROM journal_entries GROUP BY fiscal_year HAVING max(voucher_no) <> count(*)) x`); got != 0 {
		t.Errorf("%d years whose vouchers do not start again at 1", got)
	}
}
