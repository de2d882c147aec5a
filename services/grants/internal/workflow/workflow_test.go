package workflow_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/pkg/roles"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
	"github.com/anxin-welfare/anxin/services/grants/internal/workflow"
)

var (
	start      = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	caseworker = workflow.Caller{Actor: domain.Actor{UserID: "u-cw", Roles: []roles.Role{roles.Caseworker}}, Name: "王经办"}
	finance    = workflow.Caller{Actor: domain.Actor{UserID: "u-fin", Roles: []roles.Role{roles.Finance}}, Name: "赵财务"}
)

func approver(i int) workflow.Caller {
	return workflow.Caller{Actor: domain.Actor{UserID: fmt.Sprintf("u-ap-%d", i), Roles: []roles.Role{roles.Approver}}, Name: fmt.Sprintf("审批人%d", i)}
}

type fixture struct {
	svc   *workflow.Service
	st    *store.Store
	clk   *clock.Fake
	fund  domain.Fund
	prog  domain.Program
	admin store.Meta
}

func setup(t *testing.T, appropriation, allocation money.Fen, rule domain.AmountRule, recurring bool, dualAbove money.Fen) fixture {
	t.Helper()
	db := pgtest.New(t, store.Migrations())
	clk := clock.NewFake(start)
	st := store.New(db, clk)
	ctx := context.Background()
	admin := store.Meta{Actor: "u-admin"}
	fund, err := st.CreateFund(ctx, admin, domain.Fund{FiscalYear: 2026, Name: "2026年度资助资金", Appropriation: appropriation})
	if err != nil {
		t.Fatal(err)
	}
	prog, err := st.CreateProgram(ctx, admin, domain.Program{FundID: fund.ID, Code: "hardship", NameZH: "特困干警资助", Kind: domain.KindHardship,
		Allocation: allocation, Amount: rule, Approval: domain.ApprovalPolicy{DualAbove: dualAbove}, Recurring: recurring, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{svc: workflow.New(st, clk), st: st, clk: clk, fund: fund, prog: prog, admin: admin}
}

// reviewed creates, submits and reviews an application of member n.
func (f fixture) reviewed(t *testing.T, n int, requested money.Fen) store.Record {
	t.Helper()
	ctx := context.Background()
	applicant := workflow.Caller{Actor: domain.Actor{UserID: fmt.Sprintf("u-m-%d", n), MemberID: fmt.Sprintf("m-%d", n)}}
	rec, err := f.svc.CreateApplication(ctx, applicant, workflow.Draft{ProgramID: f.prog.ID, MemberID: applicant.Actor.MemberID,
		ApplicantUserID: applicant.Actor.UserID, ApplicantMemberID: applicant.Actor.MemberID, ApplicantName: "张三丰", UnitID: "unit-1",
		RequestedAmount: requested, EventRef: fmt.Sprintf("hardship:%d", n)})
	if err != nil {
		t.Fatal(err)
	}
	if rec, err = f.svc.Submit(ctx, applicant, rec.App.ID, rec.App.Version); err != nil {
		t.Fatal(err)
	}
	if rec, err = f.svc.Review(ctx, caseworker, rec.App.ID, rec.App.Version); err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestConcurrentFinalApprovalsNeverOverspend(t *testing.T) {
	t.Parallel()
	const n, fit = 200, 10
	amount := money.Yuan(5000)
	f := setup(t, money.Yuan(1000000), amount*fit, domain.AmountRule{Kind: domain.AmountAssessed, Cap: money.Yuan(20000)}, false, money.Yuan(100000))
	recs := make([]store.Record, n)
	for i := range recs {
		recs[i] = f.reviewed(t, i, amount)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, exhausted := 0, 0
	var other []error
	for i, rec := range recs {
		wg.Go(func() {
			_, err := f.svc.Approve(ctx, approver(i), rec.App.ID, rec.App.Version, "", "")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, domain.ErrBudgetExhausted):
				exhausted++
			default:
				other = append(other, err)
			}
		})
	}
	wg.Wait()
	if len(other) > 0 {
		t.Fatalf("unexpected errors: %v", other[0])
	}
	if ok != fit || exhausted != n-fit {
		t.Fatalf("approved %d, exhausted %d; want %d and %d", ok, exhausted, fit, n-fit)
	}
	prog, err := f.st.Program(ctx, f.prog.ID)
	if err != nil {
		t.Fatal(err)
	}
	if prog.Committed != amount*fit || prog.Remaining() != 0 {
		t.Fatalf("program committed %v remaining %v", prog.Committed, prog.Remaining())
	}
	tb, err := f.st.TrialBalance(ctx, f.fund.ID, "", clock.Today(f.clk))
	if err != nil {
		t.Fatal(err)
	}
	if !tb.Balanced() {
		t.Fatalf("trial balance does not balance: %+v", tb)
	}
	pos, err := f.st.Position(ctx, f.fund.ID, clock.Today(f.clk))
	if err != nil {
		t.Fatal(err)
	}
	if pos[0].Committed != amount*fit || pos[1].Remaining != 0 {
		t.Fatalf("positions %+v", pos)
	}
	approved, _, err := f.st.Applications(ctx, store.ListFilter{AnyUnit: true, States: []domain.State{domain.StateApproved}, Page: page.Request{Limit: 200}})
	if err != nil || len(approved) != fit {
		t.Fatalf("approved applications %d, %v", len(approved), err)
	}
	stillReviewed, _, err := f.st.Applications(ctx, store.ListFilter{AnyUnit: true, States: []domain.State{domain.StateReviewed}, Page: page.Request{Limit: 200}})
	if err != nil || len(stillReviewed) != n-fit {
		t.Fatalf("rejected-by-budget applications changed state: %d, %v", len(stillReviewed), err)
	}
	for _, r := range stillReviewed {
		full, err := f.st.Application(ctx, r.App.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(full.App.Actions) != 2 || full.App.Version != recs[0].App.Version || full.CommittedAmt != 0 {
			t.Fatalf("a refused approval left a trace: v%d %+v", full.App.Version, full.App.Actions)
		}
	}
	var lines int
	if err := f.st.DB.GetContext(ctx, &lines, `SELECT count(*) FROM journal_lines WHERE account_code = '9101'`); err != nil || lines != fit {
		t.Fatalf("commitment lines = %d, %v", lines, err)
	}
}

func TestChainToDisbursementBooksTheLedger(t *testing.T) {
	t.Parallel()
	f := setup(t, money.Yuan(100000), money.Yuan(50000), domain.AmountRule{Kind: domain.AmountAssessed, Cap: money.Yuan(20000)}, false, money.Yuan(10000))
	ctx := context.Background()
	rec := f.reviewed(t, 1, money.Yuan(15000))
	rec, err := f.svc.Approve(ctx, approver(1), rec.App.ID, rec.App.Version, "", "")
	if err != nil || rec.App.State != domain.StateReviewed {
		t.Fatalf("first approval: %v %s", err, rec.App.State)
	}
	if _, err := f.svc.Approve(ctx, approver(1), rec.App.ID, rec.App.Version, "", ""); !errors.Is(err, domain.ErrSameApprover) {
		t.Fatalf("same approver twice: %v", err)
	}
	if _, err := f.svc.Approve(ctx, approver(2), rec.App.ID, rec.App.Version-1, "", ""); !errors.Is(err, store.ErrVersionMismatch) {
		t.Fatalf("stale version: %v", err)
	}
	if rec, err = f.svc.Approve(ctx, approver(2), rec.App.ID, rec.App.Version, "", ""); err != nil || rec.App.State != domain.StateApproved {
		t.Fatalf("second approval: %v %s", err, rec.App.State)
	}
	if _, err := f.svc.Disburse(ctx, approver(3), rec.App.ID, rec.App.Version); !errors.Is(err, domain.ErrRoleRequired) {
		t.Fatalf("disburse by approver: %v", err)
	}
	if rec, err = f.svc.Disburse(ctx, finance, rec.App.ID, rec.App.Version); err != nil || rec.App.State != domain.StateDisbursed {
		t.Fatalf("disburse: %v %s", err, rec.App.State)
	}
	pos, err := f.st.Position(ctx, f.fund.ID, clock.Today(f.clk))
	if err != nil {
		t.Fatal(err)
	}
	want := domain.FundPosition{Appropriated: money.Yuan(100000), Committed: money.Yuan(15000), Disbursed: money.Yuan(15000), Remaining: money.Yuan(85000)}
	if pos[0] != want {
		t.Fatalf("fund position %+v, want %+v", pos[0], want)
	}
	tb, err := f.st.TrialBalance(ctx, f.fund.ID, "", clock.Today(f.clk))
	if err != nil || !tb.Balanced() {
		t.Fatalf("trial balance %+v %v", tb, err)
	}
	es, err := f.st.Entries(ctx, store.EntryFilter{FundID: f.fund.ID, From: start.AddDate(-1, 0, 0), To: start.AddDate(1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range es {
		if e.VoucherNo != int64(i+1) {
			t.Fatalf("voucher numbers have a gap: entry %d has %d", i, e.VoucherNo)
		}
	}
	if len(es) != 4 {
		t.Fatalf("entries = %d, want appropriation, commitment, disbursement, payment", len(es))
	}
	// a correction is a reversal, and the counters follow the ledger
	rev, err := f.st.Reverse(ctx, store.Meta{Actor: "u-fin"}, es[3].ID, "重复支付")
	if err != nil || rev.ReversalOf != es[3].ID || !strings.HasSuffix(rev.Summary, "（重复支付）") {
		t.Fatalf("reverse: %+v %v", rev, err)
	}
	if _, err := f.st.Reverse(ctx, store.Meta{Actor: "u-fin"}, es[3].ID, "重复支付"); !errors.Is(err, domain.ErrAlreadyReversed) {
		t.Fatalf("second reversal: %v", err)
	}
	if _, err := f.st.DB.ExecContext(ctx, `UPDATE journal_lines SET debit = debit + 1`); err == nil {
		t.Fatal("ledger lines could be updated")
	}
	if _, err := f.st.DB.ExecContext(ctx, `DELETE FROM journal_entries`); err == nil {
		t.Fatal("ledger entries could be deleted")
	}
}

func TestRejectAndReturnCarryReasons(t *testing.T) {
	t.Parallel()
	f := setup(t, money.Yuan(100000), money.Yuan(50000), domain.AmountRule{Kind: domain.AmountAssessed, Cap: money.Yuan(20000)}, false, money.Yuan(10000))
	ctx := context.Background()
	rec := f.reviewed(t, 1, money.Yuan(500))
	if _, err := f.svc.Reject(ctx, approver(1), rec.App.ID, rec.App.Version, " "); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("reject without reason: %v", err)
	}
	rec, err := f.svc.Return(ctx, approver(1), rec.App.ID, rec.App.Version, "请补充收入证明")
	if err != nil || rec.App.State != domain.StateReturned || rec.App.Reason != "请补充收入证明" {
		t.Fatalf("return: %v %+v", err, rec.App)
	}
	applicant := workflow.Caller{Actor: domain.Actor{UserID: "u-m-1", MemberID: "m-1"}}
	if rec, err = f.svc.Submit(ctx, applicant, rec.App.ID, rec.App.Version); err != nil || rec.App.Round != 2 {
		t.Fatalf("resubmit: %v round %d", err, rec.App.Round)
	}
	if rec, err = f.svc.Reject(ctx, caseworker, rec.App.ID, rec.App.Version, "家庭收入超过标准"); err != nil || rec.App.State != domain.StateRejected {
		t.Fatalf("reject: %v", err)
	}
	var outbox int
	if err := f.st.DB.GetContext(ctx, &outbox, `SELECT count(*) FROM outbox WHERE type IN ('application.submitted', 'application.rejected')`); err != nil || outbox != 3 {
		t.Fatalf("outbox events = %d, %v; want 2 submitted + 1 rejected", outbox, err)
	}
	// The applicant is told it came back (notify reads application.returned).
	var returned struct {
		N      int    `db:"n"`
		Reason string `db:"reason"`
	}
	if err := f.st.DB.GetContext(ctx, &returned, `SELECT count(*) AS n, max(convert_from(envelope, 'UTF8')::jsonb->'data'->>'reason') AS reason FROM outbox WHERE type = 'application.returned'`); err != nil ||
		returned.N != 1 || returned.Reason != "请补充收入证明" {
		t.Fatalf("application.returned events = %+v, %v; want 1 with its reason", returned, err)
	}
}

func TestRecurringGrantPaysMonthlyAndStopsAfterDeath(t *testing.T) {
	t.Parallel()
	f := setup(t, money.Yuan(100000), money.Yuan(50000), domain.AmountRule{Kind: domain.AmountFixed, Fixed: money.Yuan(1000)}, true, money.Yuan(100000))
	ctx := context.Background()
	rec := f.reviewed(t, 1, 0)
	rec, err := f.svc.Approve(ctx, approver(1), rec.App.ID, rec.App.Version, "", "")
	if err != nil || rec.CommittedAmt != money.Yuan(10000) {
		t.Fatalf("approve: %v committed %v (want March..December)", err, rec.CommittedAmt)
	}
	if rec, err = f.svc.Disburse(ctx, finance, rec.App.ID, rec.App.Version); err != nil || rec.App.State != domain.StateActive {
		t.Fatalf("disburse: %v %s", err, rec.App.State)
	}
	f.clk.Set(time.Date(2026, 5, 3, 2, 0, 0, 0, time.UTC))
	if n, err := f.svc.RunRecurring(ctx); err != nil || n != 1 {
		t.Fatalf("the run in May: %d grants, %v", n, err)
	}
	audits := func() int {
		var n int
		if err := f.st.DB.GetContext(ctx, &n, `SELECT count(*) FROM audit_log WHERE action = 'grants.recurring.pay'`); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := audits(); n != 1 {
		t.Fatalf("the run that paid March to May wrote %d audit rows, want 1", n)
	}
	// a second run pays nothing twice, and with nothing due it opens no
	// transaction: no audit row, no event
	var events int
	if err := f.st.DB.GetContext(ctx, &events, `SELECT count(*) FROM outbox`); err != nil {
		t.Fatal(err)
	}
	if n, err := f.svc.RunRecurring(ctx); err != nil || n != 0 {
		t.Fatalf("a run with nothing due: %d grants, %v", n, err)
	}
	var after int
	if err := f.st.DB.GetContext(ctx, &after, `SELECT count(*) FROM outbox`); err != nil || after != events || audits() != 1 {
		t.Fatalf("a run with nothing due wrote %d events and %d audit rows", after-events, audits()-1)
	}
	count := func() int {
		var n int
		if err := f.st.DB.GetContext(ctx, &n, `SELECT count(*) FROM disbursements WHERE application_id = $1`, rec.App.ID); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got := count(); got != 3 {
		t.Fatalf("disbursements = %d, want March, April, May", got)
	}
	// the recipient (the member, no dependant) dies in May: paid through November
	tx := f.st.DB.MustBegin()
	if _, err := f.st.ApplyDeceased(ctx, tx, domain.Deceased{MemberID: "m-1", DiedOn: time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC), Cause: domain.CauseIllness}, 0, ""); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	f.clk.Set(time.Date(2027, 1, 5, 2, 0, 0, 0, time.UTC))
	if _, err := f.svc.RunRecurring(ctx); err != nil {
		t.Fatal(err)
	}
	if got := count(); got != 9 {
		t.Fatalf("disbursements = %d, want March..November", got)
	}
	rec, err = f.st.Application(ctx, rec.App.ID)
	if err != nil || rec.App.State != domain.StateStopped {
		t.Fatalf("state %s, %v", rec.App.State, err)
	}
	// December was committed but never paid: the commitment is given back
	prog, err := f.st.Program(ctx, f.prog.ID)
	if err != nil || prog.Committed != money.Yuan(9000) || prog.Disbursed != money.Yuan(9000) {
		t.Fatalf("program committed %v disbursed %v, %v", prog.Committed, prog.Disbursed, err)
	}
	pos, err := f.st.Position(ctx, f.fund.ID, clock.Today(f.clk))
	if err != nil || pos[0].Committed != money.Yuan(9000) {
		t.Fatalf("ledger position %+v, %v", pos, err)
	}
}

func TestDuplicateBenefitIsFlaggedBeforeApproval(t *testing.T) {
	t.Parallel()
	f := setup(t, money.Yuan(100000), money.Yuan(50000), domain.AmountRule{Kind: domain.AmountAssessed, Cap: money.Yuan(20000)}, false, money.Yuan(10000))
	ctx := context.Background()
	other, err := f.st.CreateProgram(ctx, f.admin, domain.Program{FundID: f.fund.ID, Code: "education", NameZH: "子女教育资助", Kind: domain.KindChildrenEducation,
		Allocation: money.Yuan(10000), Amount: domain.AmountRule{Kind: domain.AmountFixed, Fixed: money.Yuan(2000)}, Approval: domain.ApprovalPolicy{DualAbove: money.Yuan(10000)}, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	first := f.reviewed(t, 1, money.Yuan(1000)) // event "hardship:1" of member m-1
	if _, err := f.svc.Approve(ctx, approver(1), first.App.ID, first.App.Version, "", ""); err != nil {
		t.Fatal(err)
	}
	applicant := workflow.Caller{Actor: domain.Actor{UserID: "u-m-1", MemberID: "m-1"}}
	rec, err := f.svc.CreateApplication(ctx, applicant, workflow.Draft{ProgramID: other.ID, MemberID: "m-1", ApplicantUserID: "u-m-1",
		ApplicantMemberID: "m-1", UnitID: "unit-1", EventRef: "hardship:1"})
	if err != nil {
		t.Fatal(err)
	}
	if rec, err = f.svc.Submit(ctx, applicant, rec.App.ID, rec.App.Version); err != nil {
		t.Fatal(err)
	}
	if rec, err = f.svc.Review(ctx, caseworker, rec.App.ID, rec.App.Version); err != nil {
		t.Fatal(err)
	}
	// the committee sees the flag before anyone approves
	if len(rec.App.DuplicateFlags) != 1 || rec.App.DuplicateFlags[0].Number != first.App.Number {
		t.Fatalf("reviewed application flags %+v, want the first application", rec.App.DuplicateFlags)
	}
	if _, err := f.svc.Approve(ctx, approver(2), rec.App.ID, rec.App.Version, "", ""); !errors.Is(err, domain.ErrDuplicateUnacknowledged) {
		t.Fatalf("approval without a note: %v", err)
	}
	after, err := f.st.Application(ctx, rec.App.ID)
	if err != nil || after.App.Version != rec.App.Version {
		t.Fatalf("refused approval changed the application: %v", err)
	}
	rec, err = f.svc.Approve(ctx, approver(2), rec.App.ID, rec.App.Version, "生活困难与子女教育分属不同需要，委员会确认", "")
	if err != nil || rec.App.State != domain.StateApproved || len(rec.App.DuplicateFlags) != 1 || rec.App.DuplicateFlags[0].ApplicationID != first.App.ID {
		t.Fatalf("approval with a note: %v %+v", err, rec.App.DuplicateFlags)
	}
}
