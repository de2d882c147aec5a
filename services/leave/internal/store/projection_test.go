package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// TestNextYearBalanceIsProjectedUntilTheRollover: in November 2026 an
// officer's 2027 balance is the entitlement the rollover will book, marked
// projected, the same for the officer and the unit report; January leave
// is accepted and approved against it. The member's leaving date, recorded
// before the rollover, lowers the projection below what was approved; the
// rollover books the real entitlement, the projection disappears, the
// approval stands, and the balance goes negative with its reason.
func TestNextYearBalanceIsProjectedUntilTheRollover(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.clk.Set(time.Date(2026, 11, 10, 2, 0, 0, 0, time.UTC))
	m := f.member(t, "m2", "u1", domain.CategoryAuxiliary, "2015-01-01") // 10 days a year
	f.member(t, "m3", "u1", domain.CategoryPolice, "2014-01-01")

	this, err := f.s.Balance(ctx, "m2", 2026)
	if err != nil || this.Balance.Projected || this.Balance.Days != 10 {
		t.Fatalf("2026 balance = %+v, %v; want 10 booked days", this.Balance, err)
	}
	next, err := f.s.Balance(ctx, "m2", 2027)
	if err != nil || !next.Balance.Projected || next.Balance.ProjectedDays != 10 || next.Balance.Available != 10 {
		t.Fatalf("2027 balance = %+v, %v; want 10 projected days", next.Balance, err)
	}
	if last := next.Lines[len(next.Lines)-1]; !last.Entry.Projected || last.Running != 10 || last.Entry.ID != 0 {
		t.Fatalf("statement does not explain the projection: %+v", next.Lines)
	}
	var stored int
	if err := f.db.Get(&stored, `SELECT count(*) FROM ledger_entries WHERE year = 2027`); err != nil || stored != 0 {
		t.Fatalf("a projection was stored: %d entries, %v", stored, err)
	}

	q, err := f.s.Quote(ctx, "m2", d("2027-01-04"), d("2027-01-08"))
	if err != nil || q.Days != 5 || q.Available != 10 || q.BalanceAfter != 5 {
		t.Fatalf("quote = %+v, %v; want 5 days of 10", q, err)
	}
	r, err := f.cmd.Apply(ctx, "m2", domain.ApplyInput{From: d("2027-01-04"), To: d("2027-01-08")}, "m2")
	if err != nil || r.Days != 5 || !r.ProvisionalCalendar {
		t.Fatalf("apply = %+v, %v; want 5 provisional days", r, err)
	}
	// More than the projection is still refused: it is a balance, not a blank cheque.
	if _, err := f.cmd.Apply(ctx, "m2", domain.ApplyInput{From: d("2027-01-11"), To: d("2027-01-18")}, "m2"); !errors.Is(err, domain.ErrBalanceExceeded) {
		t.Fatalf("apply beyond the projection: %v", err)
	}
	if r, err = f.decide(ctx, r.ID, r.Version, domain.ActionApprove, "head", ""); err != nil || r.Status != domain.StatusApproved {
		t.Fatalf("approve = %+v, %v", r, err)
	}
	one, err := f.s.Balance(ctx, "m2", 2027)
	if err != nil || !one.Balance.Projected || one.Balance.Taken != 5 || one.Balance.Available != 5 {
		t.Fatalf("2027 balance after approval = %+v, %v", one.Balance, err)
	}
	unit, _, err := f.s.UnitBalances(ctx, "u1", 2027, page.Request{})
	if err != nil || len(unit) != 2 || unit[0] != one.Balance || !unit[1].Projected || unit[1].Available != 10 {
		t.Fatalf("unit report %+v disagrees with the member's balance %+v (%v)", unit, one.Balance, err)
	}

	// December: the member will leave on 31 March 2027. 90/365 of 10 days
	// is 2, so the projection follows at once and is below what was approved.
	f.clk.Set(time.Date(2026, 12, 20, 2, 0, 0, 0, time.UTC))
	m.LeftOn = d("2027-03-31")
	if err := pg.InTx(ctx, f.db, func(tx *sqlx.Tx) error { return f.s.UpsertMember(ctx, tx, m) }); err != nil {
		t.Fatal(err)
	}
	if b, err := f.s.Balance(ctx, "m2", 2027); err != nil || !b.Balance.Projected || b.Balance.Days != -3 {
		t.Fatalf("2027 balance after the leaving date = %+v, %v; want -3 projected", b.Balance, err)
	}

	f.clk.Set(time.Date(2027, 1, 2, 2, 0, 0, 0, time.UTC))
	if _, err := f.s.Rollover(ctx, 2026, "admin"); err != nil {
		t.Fatal(err)
	}
	after, err := f.s.Balance(ctx, "m2", 2027)
	if err != nil || after.Balance.Projected || after.Balance.Days != -3 || after.Balance.Taken != 5 || after.Balance.Accrued != 2 {
		t.Fatalf("2027 balance after the rollover = %+v, %v; want -3 booked", after.Balance, err)
	}
	var reasons []string
	for _, l := range after.Lines {
		if l.Entry.Projected {
			t.Fatalf("projection left after the rollover: %+v", l)
		}
		if l.Entry.Kind == domain.KindAccrual {
			reasons = append(reasons, l.Entry.Reason)
		}
	}
	if len(reasons) != 1 || reasons[0] != domain.ReasonEntitlementBelowApproved {
		t.Fatalf("accrual reasons %q, want the negative-balance reason", reasons)
	}
	if r, err := f.s.Request(ctx, r.ID); err != nil || r.Status != domain.StatusApproved {
		t.Fatalf("the approval did not stand: %+v, %v", r, err)
	}
	// The colleague's booked 2027 equals the projection they were shown.
	if b, err := f.s.Balance(ctx, "m3", 2027); err != nil || b.Balance.Projected || b.Balance.Days != 10 {
		t.Fatalf("colleague's 2027 balance = %+v, %v", b.Balance, err)
	}
}
