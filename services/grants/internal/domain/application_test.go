package domain_test

import (
	"errors"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/roles"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

var (
	at         = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	applicant  = domain.Actor{UserID: "u-applicant", MemberID: "m-1"}
	caseworker = domain.Actor{UserID: "u-cw", Roles: []roles.Role{roles.Caseworker}}
	cw2        = domain.Actor{UserID: "u-cw2", Roles: []roles.Role{roles.Caseworker}}
	approverA  = domain.Actor{UserID: "u-a", Roles: []roles.Role{roles.Approver}}
	approverB  = domain.Actor{UserID: "u-b", Roles: []roles.Role{roles.Approver}}
	finance    = domain.Actor{UserID: "u-f", Roles: []roles.Role{roles.Finance}}
	policy     = domain.ApprovalPolicy{DualAbove: money.Yuan(10000)}
)

func program() domain.Program {
	return domain.Program{ID: "p-1", Code: "hardship", NameZH: "特困", Kind: domain.KindHardship, Allocation: money.Yuan(100000),
		Amount: domain.AmountRule{Kind: domain.AmountAssessed, Cap: money.Yuan(20000)}, RequiredDocuments: []string{"income_proof"}, Approval: policy, Active: true}
}

// submitted returns an application submitted by the applicant for amount.
func submitted(t *testing.T, amount money.Fen) domain.Application {
	t.Helper()
	a, err := domain.NewApplication(domain.Application{ID: "a-1", ProgramID: "p-1", MemberID: "m-1", ApplicantUserID: applicant.UserID, ApplicantMemberID: "m-1", Documents: []string{"income_proof"}, EventRef: "hardship:2026"}, at)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Submit(applicant, at, program(), domain.EligibilityResult{Eligible: true}, domain.Quote{Amount: amount}); err != nil {
		t.Fatal(err)
	}
	return a
}

type step func(a *domain.Application) error

func review(x domain.Actor) step { return func(a *domain.Application) error { return a.Review(x, at) } }
func approve(x domain.Actor) step {
	return func(a *domain.Application) error { _, err := a.Approve(x, at, policy, "", ""); return err }
}
func disburse(x domain.Actor) step {
	return func(a *domain.Application) error { return a.Disburse(x, at) }
}
func reject(x domain.Actor, r string) step {
	return func(a *domain.Application) error { return a.Reject(x, at, r) }
}
func giveBack(x domain.Actor, r string) step {
	return func(a *domain.Application) error { return a.Return(x, at, r) }
}

func TestApprovalChain(t *testing.T) {
	t.Parallel()
	small, large := money.Yuan(5000), money.Yuan(15000)
	tests := []struct {
		name      string
		amount    money.Fen
		steps     []step
		wantErr   error // of the last step; earlier steps must succeed
		wantState domain.State
	}{
		{name: "one approver up to the threshold", amount: small, steps: []step{review(caseworker), approve(approverA), disburse(finance)}, wantState: domain.StateDisbursed},
		{name: "threshold itself needs one", amount: money.Yuan(10000), steps: []step{review(caseworker), approve(approverA)}, wantState: domain.StateApproved},
		{name: "above the threshold the first approval is not final", amount: large, steps: []step{review(caseworker), approve(approverA)}, wantState: domain.StateReviewed},
		{name: "above the threshold two different approvers", amount: large, steps: []step{review(caseworker), approve(approverA), approve(approverB), disburse(finance)}, wantState: domain.StateDisbursed},
		{name: "same approver twice", amount: large, steps: []step{review(caseworker), approve(approverA), approve(approverA)}, wantErr: domain.ErrSameApprover, wantState: domain.StateReviewed},
		{name: "committee before review", amount: small, steps: []step{approve(approverA)}, wantErr: domain.ErrTransition, wantState: domain.StateSubmitted},
		{name: "disbursement before approval", amount: small, steps: []step{review(caseworker), disburse(finance)}, wantErr: domain.ErrTransition, wantState: domain.StateReviewed},
		{name: "review twice", amount: small, steps: []step{review(caseworker), review(cw2)}, wantErr: domain.ErrTransition, wantState: domain.StateReviewed},
		{name: "approver without the role", amount: small, steps: []step{review(caseworker), approve(caseworker)}, wantErr: domain.ErrRoleRequired, wantState: domain.StateReviewed},
		{name: "review needs a caseworker", amount: small, steps: []step{review(approverA)}, wantErr: domain.ErrRoleRequired, wantState: domain.StateSubmitted},
		{name: "disbursement needs finance", amount: small, steps: []step{review(caseworker), approve(approverA), disburse(approverB)}, wantErr: domain.ErrRoleRequired, wantState: domain.StateApproved},
		{name: "applicant cannot approve their own", amount: small, steps: []step{review(caseworker), approve(domain.Actor{UserID: "u-other", MemberID: "m-1", Roles: []roles.Role{roles.Approver}})}, wantErr: domain.ErrSelfApproval, wantState: domain.StateReviewed},
		{name: "reviewer cannot also approve", amount: small, steps: []step{review(domain.Actor{UserID: "u-x", Roles: []roles.Role{roles.Caseworker, roles.Approver}}), approve(domain.Actor{UserID: "u-x", Roles: []roles.Role{roles.Approver}})}, wantErr: domain.ErrSameApprover, wantState: domain.StateReviewed},
		{name: "approver cannot also disburse", amount: small, steps: []step{review(caseworker), approve(domain.Actor{UserID: "u-y", Roles: []roles.Role{roles.Approver, roles.Finance}}), disburse(domain.Actor{UserID: "u-y", Roles: []roles.Role{roles.Finance}})}, wantErr: domain.ErrSameApprover, wantState: domain.StateApproved},
		{name: "reject needs a reason", amount: small, steps: []step{reject(caseworker, "  ")}, wantErr: domain.ErrInvalid, wantState: domain.StateSubmitted},
		{name: "caseworker rejects at review", amount: small, steps: []step{reject(caseworker, "收入超过标准")}, wantState: domain.StateRejected},
		{name: "committee rejects needs approver role", amount: small, steps: []step{review(caseworker), reject(cw2, "no")}, wantErr: domain.ErrRoleRequired, wantState: domain.StateReviewed},
		{name: "approver rejects in committee", amount: large, steps: []step{review(caseworker), approve(approverA), reject(approverB, "材料不实")}, wantState: domain.StateRejected},
		{name: "return for documents", amount: small, steps: []step{review(caseworker), giveBack(approverA, "缺少户籍证明")}, wantState: domain.StateReturned},
		{name: "nothing after rejection", amount: small, steps: []step{reject(caseworker, "no"), review(cw2)}, wantErr: domain.ErrTransition, wantState: domain.StateRejected},
		{name: "no rejection after approval", amount: small, steps: []step{review(caseworker), approve(approverA), reject(approverB, "late")}, wantErr: domain.ErrTransition, wantState: domain.StateApproved},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := submitted(t, tt.amount)
			for i, s := range tt.steps {
				err := s(&a)
				last := i == len(tt.steps)-1
				if !last && err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				if last && !errors.Is(err, tt.wantErr) {
					t.Fatalf("last step err = %v, want %v", err, tt.wantErr)
				}
			}
			if a.State != tt.wantState {
				t.Fatalf("state = %s, want %s", a.State, tt.wantState)
			}
		})
	}
}

func TestApproveFinalSignalsCommit(t *testing.T) {
	t.Parallel()
	a := submitted(t, money.Yuan(15000))
	if err := a.Review(caseworker, at); err != nil {
		t.Fatal(err)
	}
	final, err := a.Approve(approverA, at, policy, "", "")
	if err != nil || final {
		t.Fatalf("first approval: final=%v err=%v", final, err)
	}
	final, err = a.Approve(approverB, at, policy, "", "")
	if err != nil || !final {
		t.Fatalf("second approval: final=%v err=%v", final, err)
	}
}

func TestReturnStartsNewRound(t *testing.T) {
	t.Parallel()
	a := submitted(t, money.Yuan(15000))
	for _, s := range []step{review(caseworker), approve(approverA), giveBack(approverB, "缺少材料")} {
		if err := s(&a); err != nil {
			t.Fatal(err)
		}
	}
	if a.Reason != "缺少材料" {
		t.Fatalf("reason = %q", a.Reason)
	}
	if err := a.Submit(applicant, at, program(), domain.EligibilityResult{Eligible: true}, domain.Quote{Amount: money.Yuan(15000)}); err != nil {
		t.Fatal(err)
	}
	if a.Round != 2 || a.Reason != "" {
		t.Fatalf("round = %d reason = %q", a.Round, a.Reason)
	}
	// the old round's approval by A no longer counts, and A may approve again
	for _, s := range []step{review(caseworker), approve(approverA)} {
		if err := s(&a); err != nil {
			t.Fatal(err)
		}
	}
	if a.State != domain.StateReviewed || a.CommitteeApprovals() != 1 {
		t.Fatalf("state = %s approvals = %d", a.State, a.CommitteeApprovals())
	}
}

func TestPreparerCannotApprove(t *testing.T) {
	t.Parallel()
	prep := domain.Actor{UserID: "u-prep", Roles: []roles.Role{roles.Caseworker, roles.Approver}}
	a, err := domain.NewApplication(domain.Application{ProgramID: "p-1", MemberID: "m-9", ApplicantUserID: "u-family", PreparedBy: prep.UserID, Documents: []string{"income_proof"}}, at)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Submit(prep, at, program(), domain.EligibilityResult{Eligible: true}, domain.Quote{Amount: 100}); err != nil {
		t.Fatal(err)
	}
	if err := a.Review(prep, at); !errors.Is(err, domain.ErrSelfApproval) {
		t.Fatalf("review by preparer: %v", err)
	}
	if err := a.Review(caseworker, at); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Approve(prep, at, policy, "", ""); !errors.Is(err, domain.ErrSelfApproval) {
		t.Fatalf("approve by preparer: %v", err)
	}
}

func TestSubmitChecks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		docs    []string
		elig    bool
		amount  money.Fen
		by      domain.Actor
		wantErr error
	}{
		{name: "ok", docs: []string{"income_proof"}, elig: true, amount: 1, by: applicant},
		{name: "missing documents", elig: true, amount: 1, by: applicant, wantErr: domain.ErrInvalid},
		{name: "not eligible", docs: []string{"income_proof"}, amount: 1, by: applicant, wantErr: domain.ErrNotEligible},
		{name: "zero amount", docs: []string{"income_proof"}, elig: true, by: applicant, wantErr: domain.ErrInvalid},
		{name: "someone else submits", docs: []string{"income_proof"}, elig: true, amount: 1, by: caseworker, wantErr: domain.ErrTransition},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := domain.NewApplication(domain.Application{ProgramID: "p", MemberID: "m-1", ApplicantUserID: applicant.UserID, Documents: tt.docs}, at)
			if err != nil {
				t.Fatal(err)
			}
			err = a.Submit(tt.by, at, program(), domain.EligibilityResult{Eligible: tt.elig}, domain.Quote{Amount: tt.amount})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil && a.State != domain.StateDraft {
				t.Fatalf("state changed to %s on error", a.State)
			}
		})
	}
}

func TestNewApplicationValidation(t *testing.T) {
	t.Parallel()
	_, err := domain.NewApplication(domain.Application{RequestedAmount: -1}, at)
	var ve *fielderr.Invalid
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v", err)
	}
	got := map[string]string{}
	for _, f := range ve.Problems {
		got[f.Field] = f.Code
	}
	want := map[string]string{"program_id": domain.CodeRequired, "member_id": domain.CodeRequired, "applicant_user_id": domain.CodeRequired, "requested_amount": domain.CodeNegative}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("field %s = %q, want %q", k, got[k], v)
		}
	}
}

func TestDuplicateBenefit(t *testing.T) {
	t.Parallel()
	other := domain.Application{ID: "a-2", Number: "GA-2026-000002", ProgramID: "p-2", MemberID: "m-1", EventRef: "hardship:2026", State: domain.StateDisbursed}
	tests := []struct {
		name   string
		others []domain.Application
		note   string
		want   int
		err    error
	}{
		{name: "no other", want: 0},
		{name: "same event paid under another program, unacknowledged", others: []domain.Application{other}, want: 1, err: domain.ErrDuplicateUnacknowledged},
		{name: "acknowledged with a note", others: []domain.Application{other}, note: "医疗与生活分别资助，经委员会确认", want: 1},
		{name: "rejected one does not count", others: []domain.Application{func() domain.Application { o := other; o.State = domain.StateRejected; return o }()}, want: 0},
		{name: "other member does not count", others: []domain.Application{func() domain.Application { o := other; o.MemberID = "m-2"; return o }()}, want: 0},
		{name: "other event does not count", others: []domain.Application{func() domain.Application { o := other; o.EventRef = "x"; return o }()}, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := submitted(t, money.Yuan(100))
			if err := a.Review(caseworker, at); err != nil {
				t.Fatal(err)
			}
			a.FlagDuplicates(append(tt.others, a))
			if len(a.DuplicateFlags) != tt.want {
				t.Fatalf("flags = %+v, want %d", a.DuplicateFlags, tt.want)
			}
			_, err := a.Approve(approverA, at, policy, tt.note, "")
			if !errors.Is(err, tt.err) {
				t.Fatalf("approve err = %v, want %v", err, tt.err)
			}
		})
	}
}

func TestQuoteAmount(t *testing.T) {
	t.Parallel()
	grade := domain.Program{Amount: domain.AmountRule{Kind: domain.AmountByGrade, ByGrade: [10]money.Fen{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}}}
	assessed := program()
	statutory := domain.Program{Amount: domain.AmountRule{Kind: domain.AmountStatutory, Calculator: domain.CalcMartyrGrant}}
	tests := []struct {
		name      string
		p         domain.Program
		f         domain.Facts
		in        domain.CalcInput
		requested money.Fen
		want      money.Fen
		wantField string
	}{
		{name: "fixed", p: domain.Program{Amount: domain.AmountRule{Kind: domain.AmountFixed, Fixed: 500}}, want: 500},
		{name: "by grade 3", p: grade, f: domain.Facts{DisabilityGrade: 3}, want: 8},
		{name: "by grade without grade", p: grade, wantField: "grade"},
		{name: "assessed within cap", p: assessed, requested: money.Yuan(20000), want: money.Yuan(20000)},
		{name: "assessed over cap", p: assessed, requested: money.Yuan(20000) + 1, wantField: "requested_amount"},
		{name: "assessed negative", p: assessed, requested: -5, wantField: "requested_amount"},
		{name: "assessed zero", p: assessed, wantField: "requested_amount"},
		{name: "statutory", p: statutory, in: domain.CalcInput{EventDate: day("2025-01-10")}, want: 162564000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q, err := domain.QuoteAmount(tt.p, tt.f, tt.in, tt.requested, rates())
			if tt.wantField != "" {
				var ve *fielderr.Invalid
				if !errors.As(err, &ve) || ve.Problems[0].Field != tt.wantField {
					t.Fatalf("err = %v, want field %s", err, tt.wantField)
				}
				return
			}
			if err != nil || q.Amount != tt.want {
				t.Fatalf("quote = %d, %v; want %d", q.Amount, err, tt.want)
			}
		})
	}
}
