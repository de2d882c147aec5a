package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/pkg/sealed"
	"github.com/anxin-welfare/anxin/services/leave/internal/commands"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
	"github.com/anxin-welfare/anxin/services/leave/internal/store"
	"github.com/anxin-welfare/anxin/services/leave/internal/store/carestore"
)

func d(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// fixture is a fresh leave schema with the 2026 calendar, at 1 March 2026
// 10:00 in Shanghai.
type fixture struct {
	db  *sqlx.DB
	clk *clock.Fake
	s   *store.Store
	// care is the care store over the same schema (the care reads of the
	// mixed list tests, the seeded results).
	care *carestore.Store
	// cmd runs the commands over s, as the HTTP layer does.
	cmd *commands.Service
}

func newFixture(t *testing.T) *fixture { return newFixtureB(t) }

func newFixtureB(t testing.TB) *fixture {
	t.Helper()
	db := pgtest.New(t, store.Migrations())
	clk := clock.NewFake(time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC))
	key := func(b byte) []byte {
		k := make([]byte, sealed.KeySize)
		for i := range k {
			k[i] = b + byte(i)
		}
		return k
	}
	sealer, err := sealed.New(key(1), key(101))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, clk: clk, s: store.New(db, clk, domain.DefaultPolicy(), domain.DefaultPriorityPolicy(), sealer)}
	f.care = carestore.New(db, clk, sealer)
	f.cmd = commands.New(f.s, f.care, clk)
	// The 2026 calendar comes with the schema (migration 00002).
	if c, err := f.s.Calendar(context.Background(), 2026); err != nil || c.Calendar.WorkingDaysInYear() != 248 {
		t.Fatalf("seeded 2026 calendar: %v", err)
	}
	return f
}

// decide takes a decision on request id as user actor, who holds both
// approving roles in the request's unit (the rules of who may decide are
// the domain's tests; these are about what the store saves).
func (f *fixture) decide(ctx context.Context, id string, version int64, action, actor, comment string) (domain.LeaveRequest, error) {
	by := domain.Caller{UserID: actor, UnitHead: true, Approver: true, Name: actor}
	return f.cmd.Decide(ctx, id, version, domain.RequestDecision{Action: action, By: by, Comment: comment})
}

// member projects a member as a member.* event would; this year's
// entitlement accrues on the way in.
func (f *fixture) member(t *testing.T, id, unit string, cat domain.Category, start string) domain.Member {
	t.Helper()
	m := domain.Member{ID: id, UnitID: unit, Category: cat, Status: domain.MemberActive, WorkStart: d(start), JoinedOn: d(start)}
	if err := pg.InTx(context.Background(), f.db, func(tx *sqlx.Tx) error { return f.s.UpsertMember(context.Background(), tx, m) }); err != nil {
		t.Fatalf("member %s: %v", id, err)
	}
	return m
}

func TestApplyApproveAndBalancesAgree(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.member(t, "m1", "u1", domain.CategoryPolice, "2014-01-01") // 10 days
	f.member(t, "m2", "u1", domain.CategoryAuxiliary, "2020-01-01")

	b, err := f.s.Balance(ctx, "m1", 2026)
	if err != nil || b.Balance.Days != 10 {
		t.Fatalf("opening balance = %+v, %v; want 10 days", b.Balance, err)
	}
	r, err := f.cmd.Apply(ctx, "m1", domain.ApplyInput{From: d("2026-03-02"), To: d("2026-03-11")}, "m1")
	if err != nil || r.Days != 8 || !r.SecondLevel {
		t.Fatalf("apply = %+v, %v; want 8 days needing a second level", r, err)
	}
	// The pending request holds its days: a second one over the rest fails.
	if _, err := f.cmd.Apply(ctx, "m1", domain.ApplyInput{From: d("2026-04-13"), To: d("2026-04-15")}, "m1"); !errors.Is(err, domain.ErrBalanceExceeded) {
		t.Fatalf("second apply err = %v, want balance exceeded", err)
	}
	if _, err := f.cmd.Apply(ctx, "m1", domain.ApplyInput{From: d("2026-03-09"), To: d("2026-03-09")}, "m1"); !errors.Is(err, domain.ErrOverlap) {
		t.Fatalf("overlap err = %v", err)
	}
	if _, err := f.decide(ctx, r.ID, 99, domain.ActionApprove, "head", ""); !errors.Is(err, store.ErrVersionMismatch) {
		t.Fatalf("stale version err = %v", err)
	}
	r, err = f.decide(ctx, r.ID, r.Version, domain.ActionApprove, "head", "")
	if err != nil || r.Status != domain.StatusPendingSecond {
		t.Fatalf("first approval = %s, %v", r.Status, err)
	}
	r, err = f.decide(ctx, r.ID, r.Version, domain.ActionApprove, "boss", "")
	if err != nil || r.Status != domain.StatusApproved || len(r.Decisions) != 2 {
		t.Fatalf("second approval = %+v, %v", r, err)
	}
	var outbox int
	if err := f.db.Get(&outbox, `SELECT count(*) FROM outbox WHERE type = 'leave.approved'`); err != nil || outbox != 1 {
		t.Fatalf("leave.approved events = %d, %v", outbox, err)
	}

	one, err := f.s.Balance(ctx, "m1", 2026)
	if err != nil || one.Balance.Days != 2 || one.Balance.Taken != 8 || one.Lines[len(one.Lines)-1].Running != 2 {
		t.Fatalf("balance after approval = %+v, %v", one, err)
	}
	unit, _, err := f.s.UnitBalances(ctx, "u1", 2026, page.Request{})
	if err != nil || len(unit) != 2 || unit[0] != one.Balance {
		t.Fatalf("unit report %+v disagrees with the member's balance %+v (%v)", unit, one.Balance, err)
	}
	if _, err := f.s.SetPay(ctx, "m1", 2026, domain.Pay{AnnualPay: money.Yuan(120000)}, 0, "finance"); err != nil {
		t.Fatal(err)
	}
	comp, err := f.s.Compensation(ctx, 2026, []string{"u1"})
	if err != nil || len(comp.Lines) != 1 || comp.Lines[0].UnusedDays != one.Balance.Days || comp.MissingPay[0] != "m2" {
		t.Fatalf("compensation %+v disagrees with the balance %d (%v)", comp, one.Balance.Days, err)
	}
}

func TestRolloverIsIdempotent(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.member(t, "m1", "u1", domain.CategoryPolice, "2014-01-01")
	f.member(t, "m2", "u1", domain.CategoryPolice, "2020-01-01")
	if _, _, err := f.s.DecideCarryOver(ctx, domain.CarryOverDecision{MemberID: "m1", Year: 2026, Days: 3, Reason: "专项任务", DecidedBy: "head"}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Rollover(ctx, 2026, "admin"); !errors.Is(err, domain.ErrValidation) {
		t.Fatalf("rollover of the running year: %v", err)
	}
	f.clk.Set(time.Date(2027, 1, 2, 2, 0, 0, 0, time.UTC))
	rep, err := f.s.Rollover(ctx, 2026, "admin")
	if err != nil || rep.Members != 2 || rep.Carried != 3 || rep.Expired != 7+5 || rep.Accrued != 10+5 {
		t.Fatalf("rollover = %+v, %v", rep, err)
	}
	again, err := f.s.Rollover(ctx, 2026, "admin")
	if err != nil || again.Members != 0 || again.Skipped != 2 {
		t.Fatalf("second rollover = %+v, %v", again, err)
	}
	b, err := f.s.Balance(ctx, "m1", 2027)
	if err != nil || b.Balance.Days != 13 || b.Balance.CarriedIn != 3 {
		t.Fatalf("2027 balance = %+v, %v", b.Balance, err)
	}
}

func TestInjuryLeaveGivesAnnualLeaveBack(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.member(t, "m1", "u1", domain.CategoryPolice, "2014-01-01")
	r, err := f.cmd.Apply(ctx, "m1", domain.ApplyInput{From: d("2026-03-02"), To: d("2026-03-06")}, "m1")
	if err != nil {
		t.Fatal(err)
	}
	if r, err = f.decide(ctx, r.ID, r.Version, domain.ActionApprove, "head", ""); err != nil {
		t.Fatal(err)
	}
	inj := domain.InjuryLeave{CaseID: "c1", MemberID: "m1", From: d("2026-03-04"), To: d("2026-06-30")}
	for range 2 { // the same event twice gives back once
		if err := pg.InTx(ctx, f.db, func(tx *sqlx.Tx) error { return f.s.RecordInjuryLeave(ctx, tx, inj) }); err != nil {
			t.Fatal(err)
		}
	}
	b, err := f.s.Balance(ctx, "m1", 2026)
	if err != nil || b.Balance.Days != 10-5+3 {
		t.Fatalf("balance = %+v, %v; want 8", b.Balance, err)
	}
	if _, err := f.cmd.Apply(ctx, "m1", domain.ApplyInput{From: d("2026-04-13"), To: d("2026-04-14")}, "m1"); !errors.Is(err, domain.ErrOverlapInjury) {
		t.Fatalf("apply during injury leave: %v", err)
	}
}

func TestConcurrentRequestsNeverExceedTheBalance(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.member(t, "m1", "u1", domain.CategoryPolice, "2020-01-01") // 5 days
	// Ten requests of one working day each, on different days, at once.
	days := []string{"2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13"}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, refused := 0, 0
	for _, day := range days {
		wg.Go(func() {
			_, err := f.cmd.Apply(ctx, "m1", domain.ApplyInput{From: d(day), To: d(day)}, "m1")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, domain.ErrBalanceExceeded):
				refused++
			default:
				t.Errorf("apply %s: %v", day, err)
			}
		})
	}
	wg.Wait()
	b, err := f.s.Balance(ctx, "m1", 2026)
	if err != nil || ok != 5 || refused != 5 || b.Balance.Pending != 5 || b.Balance.Available != 0 {
		t.Fatalf("%d accepted, %d refused, balance %+v (%v); want 5 and 5", ok, refused, b.Balance, err)
	}
}

// A refusal is told to the officer: leave.rejected goes out with the
// change, and nothing is taken from the balance.
func TestARefusalPublishesLeaveRejected(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.member(t, "m1", "u1", domain.CategoryPolice, "2014-01-01")
	r, err := f.cmd.Apply(ctx, "m1", domain.ApplyInput{From: d("2026-03-02"), To: d("2026-03-03")}, "m1")
	if err != nil {
		t.Fatal(err)
	}
	if r, err = f.decide(ctx, r.ID, r.Version, domain.ActionReject, "head", "所里人手紧"); err != nil || r.Status != domain.StatusRejected {
		t.Fatalf("reject = %+v, %v", r, err)
	}
	var ev struct {
		N    int    `db:"n"`
		From string `db:"from_day"`
	}
	if err := f.db.Get(&ev, `SELECT count(*) AS n, max(convert_from(envelope, 'UTF8')::jsonb->'data'->>'from') AS from_day
		FROM outbox WHERE type = 'leave.rejected'`); err != nil || ev.N != 1 || ev.From != "2026-03-02" {
		t.Fatalf("leave.rejected events = %+v, %v", ev, err)
	}
	b, err := f.s.Balance(ctx, "m1", 2026)
	if err != nil || b.Balance.Days != 10 {
		t.Fatalf("balance after a refusal = %+v, %v", b.Balance, err)
	}
}
