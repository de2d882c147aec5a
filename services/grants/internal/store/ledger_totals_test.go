package store_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/pkg/plausible"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
)

// linesSums is what the trial balance summed before the per-day totals:
// the journal lines themselves. It is the oracle the totals must equal.
func linesSums(t *testing.T, st *store.Store, fundID, programID string, asOf time.Time) []domain.AccountSum {
	t.Helper()
	var prog any
	if programID != "" {
		prog = programID
	}
	return accountSums(t, st, `SELECT l.account_code, sum(l.debit)::bigint AS debit, sum(l.credit)::bigint AS credit
		FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
		WHERE e.fund_id = $1 AND e.entry_date <= $2 AND ($3::uuid IS NULL OR l.program_id = $3)
		GROUP BY l.account_code ORDER BY l.account_code`, fundID, asOf, prog)
}

// accountSums reads per-account sums (account_code, debit, credit) with q.
func accountSums(t *testing.T, st *store.Store, q string, args ...any) []domain.AccountSum {
	t.Helper()
	var rs []struct {
		Code   string `db:"account_code"`
		Debit  int64  `db:"debit"`
		Credit int64  `db:"credit"`
	}
	if err := st.DB.Select(&rs, q, args...); err != nil {
		t.Fatal(err)
	}
	out := []domain.AccountSum{}
	for _, r := range rs {
		out = append(out, domain.AccountSum{Code: r.Code, Debit: money.Fen(r.Debit), Credit: money.Fen(r.Credit)})
	}
	return out
}

// TestLedgerDayTotalsAreTheLines: entries posted at once from many
// transactions over ten days, for two programmes and the fund itself,
// with reversals of payments and a statement that writes the lines of several
// entries (as the seed's COPY does), leave per-day totals whose sums equal
// the lines' on every day, for the fund and for each programme; the trial
// balance and the position read them, and rebuilding them from the lines
// gives the same rows. The ledger read a page at a time lists every entry
// once, by date and posting order.
func TestLedgerDayTotalsAreTheLines(t *testing.T) {
	t.Parallel()
	st, f := newStore(t)
	ctx := context.Background()
	var progs []string
	for _, code := range []string{"a", "b"} {
		p, err := st.CreateProgram(ctx, store.Meta{Actor: "u"}, domain.Program{FundID: f.ID, Code: code, NameZH: "项目" + code, Kind: domain.KindHardship,
			Allocation: money.Yuan(400), Amount: domain.AmountRule{Kind: domain.AmountFixed, Fixed: 1}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		progs = append(progs, p.ID)
	}
	day0 := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	day := func(i int) time.Time { return day0.AddDate(0, 0, i%10) }

	const workers, each = 8, 15
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		posted []string
		errs   []error
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				n := w*each + i
				prog := ""
				if n%3 != 2 {
					prog = progs[n%3]
				}
				amt := money.Fen(100 + n)
				var e domain.Entry
				switch n % 4 {
				case 0, 1:
					e = domain.CommitmentEntry(2026, day(n), amt, prog, "", fmt.Sprintf("承诺 %d", n))
				case 2:
					e = domain.DisbursementEntry(2026, day(n), amt, prog, "", fmt.Sprintf("发放 %d", n))
				default:
					e = domain.PaymentEntry(2026, day(n), amt, prog, "", fmt.Sprintf("支付 %d", n))
				}
				e.CreatedBy = "u"
				err := pg.InTx(ctx, st.DB, func(tx *sqlx.Tx) error {
					out, err := st.PostEntry(ctx, tx, f.ID, e)
					if err == nil && n%4 == 3 { // payments: reversing one changes no counter
						mu.Lock()
						posted = append(posted, out.ID)
						mu.Unlock()
					}
					return err
				})
				if err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d postings failed, first: %v", len(errs), errs[0])
	}
	for _, id := range posted {
		if _, err := st.Reverse(ctx, store.Meta{Actor: "u-finance"}, id, "更正"); err != nil {
			t.Fatalf("reverse %s: %v", id, err)
		}
	}
	// one statement, the lines of three entries on two days
	err := pg.InTx(ctx, st.DB, func(tx *sqlx.Tx) error {
		if _, err := tx.Exec(`INSERT INTO journal_entries (fiscal_year, voucher_no, entry_date, kind, summary, fund_id, created_by)
			SELECT 2026, 1, date '2026-03-04' + (g % 2), 'commitment', 'bulk ' || g, $1::uuid, 'seed' FROM generate_series(1, 3) g`, f.ID); err != nil {
			return err
		}
		_, err := tx.Exec(`INSERT INTO journal_lines (entry_id, line_no, account_code, debit, credit, program_id)
			SELECT e.id, n, CASE WHEN n = 1 THEN '9101' ELSE '9102' END, CASE WHEN n = 1 THEN 777 ELSE 0 END,
			       CASE WHEN n = 2 THEN 777 ELSE 0 END, $1::uuid
			FROM journal_entries e CROSS JOIN generate_series(1, 2) n WHERE e.created_by = 'seed'`, progs[1])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	for i := -1; i <= 12; i++ {
		asOf := day0.AddDate(0, 0, i)
		for _, prog := range append([]string{""}, progs...) {
			want := linesSums(t, st, f.ID, prog, asOf)
			q, args := store.SumsQuery(f.ID, prog, asOf)
			if got := accountSums(t, st, q, args...); !reflect.DeepEqual(got, want) {
				t.Errorf("as of %s, programme %q: totals %v, lines %v", asOf.Format(time.DateOnly), prog, got, want)
			}
		}
	}

	// the trial balance and the position read the totals
	asOf := day0.AddDate(0, 0, 20)
	tb, err := st.TrialBalance(ctx, f.ID, "", asOf)
	if err != nil {
		t.Fatal(err)
	}
	want, err := domain.BuildTrialBalance(domain.DefaultChart(), linesSums(t, st, f.ID, "", asOf))
	if err != nil {
		t.Fatal(err)
	}
	if !tb.Balanced() || tb.TotalDebit != want.TotalDebit || len(tb.Rows) != len(want.Rows) {
		t.Errorf("trial balance %+v, from the lines %+v", tb, want)
	}
	pos, err := st.Position(ctx, f.ID, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if len(pos) != 3 {
		t.Fatalf("position %+v, want the fund and two programmes", pos)
	}
	for _, p := range pos[1:] {
		w := domain.PositionFromSums(p.ProgramID, linesSums(t, st, f.ID, p.ProgramID, asOf))
		if p.Committed != w.Committed || p.Disbursed != w.Disbursed {
			t.Errorf("programme %s position %+v, from the lines %+v", p.ProgramID, p, w)
		}
	}

	// the ledger, a page at a time, is every entry once by date and posting
	// order, of the fund or of one programme
	for _, prog := range []string{"", progs[0]} {
		var want []string
		var progArg any // NULL: the whole fund
		if prog != "" {
			progArg = prog
		}
		if err := st.DB.Select(&want, `SELECT e.id::text FROM journal_entries e WHERE e.fund_id = $1
			AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM journal_lines l WHERE l.entry_id = e.id AND l.program_id = $2))
			ORDER BY e.entry_date, e.id`, f.ID, progArg); err != nil {
			t.Fatal(err)
		}
		var got []string
		var after *store.EntryKey
		for pages := 0; ; pages++ {
			if pages > len(want) {
				t.Fatalf("programme %q: the ledger's pages do not end", prog)
			}
			es, err := st.Entries(ctx, store.EntryFilter{FundID: f.ID, ProgramID: prog, From: day0.AddDate(0, -1, 0), To: asOf, After: after, Limit: 7})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range es {
				got = append(got, e.ID)
			}
			if len(es) < 7 {
				break
			}
			k := store.KeyOf(es[len(es)-1])
			after = &k
		}
		if len(want) < 20 || !reflect.DeepEqual(got, want) {
			t.Errorf("programme %q: ledger pages %v, want %v", prog, got, want)
		}
	}

	// rebuilt from the lines, the totals are the same rows
	const rows = `SELECT fund_id::text || ' ' || coalesce(program_id::text, '-') || ' ' || account_code || ' ' || day || ' ' || debit || ' ' || credit
		FROM ledger_day_totals ORDER BY 1`
	var kept, rebuilt []string
	if err := st.DB.Select(&kept, rows); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB.Exec(`SELECT ledger_day_totals_rebuild()`); err != nil {
		t.Fatal(err)
	}
	if err := st.DB.Select(&rebuilt, rows); err != nil {
		t.Fatal(err)
	}
	if len(kept) < 20 || !reflect.DeepEqual(kept, rebuilt) {
		t.Errorf("kept totals (%d rows) differ from the rebuilt (%d rows)", len(kept), len(rebuilt))
	}
}

// TestLedgerReadsUseIndexes guards the finance pages against reading a
// fund's year of lines or entries: a fund of 200,000 entries over a year
// (five programmes) after a year of another fund's, then the trial
// balance's and the position's sums and the ledger's first and later
// pages, all, of one programme, and of one month: planned on indexes, and
// the ledger's pages read a page's rows, not the other fund's year.
func TestLedgerReadsUseIndexes(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t, store.Migrations())
	const fund, other = "00000000-0000-0000-0000-0000000000f1", "00000000-0000-0000-0000-0000000000f2"
	if _, err := db.Exec(`
INSERT INTO funds (id, fiscal_year, name, appropriation) VALUES ('` + fund + `', 2026, 'f', 0), ('` + other + `', 2025, 'g', 0);
INSERT INTO programs (id, fund_id, code, name_zh, kind, allocation, amount_rule, dual_above)
	SELECT ('00000000-0000-0000-0000-0000000000a' || p)::uuid, '` + fund + `', 'p' || p, 'p', 'other', 0, '{}', 0 FROM generate_series(1, 5) p;
ALTER TABLE journal_entries DISABLE TRIGGER USER;
ALTER TABLE journal_lines DISABLE TRIGGER USER;
INSERT INTO journal_entries (fiscal_year, voucher_no, entry_date, kind, summary, fund_id, created_by)
	SELECT 2025 + g % 2, g, date '2025-01-01' + (g % 2) * 365 + (g / 2) % 365, 'commitment', 's', CASE WHEN g % 2 = 1 THEN '` + fund + `' ELSE '` + other + `' END::uuid, 'u'
	FROM generate_series(1, 400000) g;
INSERT INTO journal_lines (entry_id, line_no, account_code, debit, credit, program_id)
	SELECT e.id, n, CASE WHEN n = 1 THEN '9101' ELSE '9102' END, CASE WHEN n = 1 THEN 100 ELSE 0 END, CASE WHEN n = 2 THEN 100 ELSE 0 END,
		CASE WHEN e.fund_id = '` + fund + `' THEN ('00000000-0000-0000-0000-0000000000a' || (1 + e.id % 5))::uuid END
	FROM journal_entries e CROSS JOIN generate_series(1, 2) n;
ALTER TABLE journal_entries ENABLE TRIGGER USER;
ALTER TABLE journal_lines ENABLE TRIGGER USER;
SELECT ledger_day_totals_rebuild();
ANALYZE;`); err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	q, args := store.SumsQuery(fund, "", asOf)
	pgtest.AssertIndexed(t, db, "trial balance", q, args...)
	q, args = store.SumsQuery(fund, "00000000-0000-0000-0000-0000000000a3", asOf)
	pgtest.AssertIndexed(t, db, "trial balance of a programme", q, args...)
	q, args = store.ProgramSumsQuery(fund, asOf)
	pgtest.AssertIndexed(t, db, "programme positions", q, args...)

	// the service's defaults: from the earliest ledger day to today
	year := store.EntryFilter{FundID: fund, From: plausible.EarliestLedger, To: asOf, Limit: 201}
	later := &store.EntryKey{Date: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), ID: 300001}
	month := store.EntryFilter{FundID: fund, From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), Limit: 201}
	for name, f := range map[string]store.EntryFilter{
		"ledger": year, "ledger, a later page": {FundID: fund, From: year.From, To: year.To, After: later, Limit: 201},
		"ledger of a month": month, "ledger of a programme": {FundID: fund, ProgramID: "00000000-0000-0000-0000-0000000000a2", From: year.From, To: year.To, Limit: 201},
	} {
		q, args := store.EntriesQuery(f)
		pgtest.AssertIndexed(t, db, name, q, args...)
		// a page of 201 entries, their lines, and (for a programme) the
		// lines of the entries passed over: a few thousand rows, not the
		// 200,000 entries of the other fund
		pgtest.AssertReadsAtMost(t, db, name, 5_000, q, args...)
	}
}
