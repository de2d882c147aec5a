package store_test

import (
	"context"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// TestInjuryLeaveMovedToAnotherMember: a case whose member is corrected
// takes the days back from the first member and gives them to the second;
// receiving the corrected event again books nothing more.
func TestInjuryLeaveMovedToAnotherMember(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.member(t, "m1", "u1", domain.CategoryPolice, "2014-01-01") // 10 days
	f.member(t, "m2", "u1", domain.CategoryPolice, "2014-01-01")
	for _, m := range []string{"m1", "m2"} {
		r, err := f.cmd.Apply(ctx, m, domain.ApplyInput{From: d("2026-03-02"), To: d("2026-03-06")}, m)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.decide(ctx, r.ID, r.Version, domain.ActionApprove, "head", ""); err != nil {
			t.Fatal(err)
		}
	}
	record := func(member string) {
		t.Helper()
		inj := domain.InjuryLeave{CaseID: "c1", MemberID: member, From: d("2026-03-04"), To: d("2026-06-30")}
		if err := pg.InTx(ctx, f.db, func(tx *sqlx.Tx) error { return f.s.RecordInjuryLeave(ctx, tx, inj) }); err != nil {
			t.Fatal(err)
		}
	}
	days := func(member string) int {
		t.Helper()
		b, err := f.s.Balance(ctx, member, 2026)
		if err != nil {
			t.Fatal(err)
		}
		return b.Balance.Days
	}
	record("m1")
	if got := []int{days("m1"), days("m2")}; got[0] != 8 || got[1] != 5 {
		t.Fatalf("balances %v, want [8 5]", got)
	}
	record("m2")
	record("m2")
	if got := []int{days("m1"), days("m2")}; got[0] != 5 || got[1] != 8 {
		t.Fatalf("balances after the case moved %v, want [5 8]", got)
	}
	var lines int
	if err := f.db.Get(&lines, `SELECT count(*) FROM ledger_entries WHERE kind IN ('taking', 'taking_reversal') AND reason <> ''`); err != nil || lines != 3 {
		t.Fatalf("injury lines = %d, %v; want 3 (given to m1, taken from m1, given to m2)", lines, err)
	}
}
