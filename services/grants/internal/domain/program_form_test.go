package domain_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/roles"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

func TestFormFieldsFollowTheProgramme(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		p    domain.Program
		want string
	}{
		{"hardship, assessed", domain.Program{Kind: domain.KindHardship, Amount: domain.AmountRule{Kind: domain.AmountAssessed}},
			"requested_amount,income_per_capita"},
		{"hardship, fixed", domain.Program{Kind: domain.KindHardship, Amount: domain.AmountRule{Kind: domain.AmountFixed}}, "income_per_capita"},
		{"disabled on duty, by grade", domain.Program{Kind: domain.KindDisabledOnDuty, Amount: domain.AmountRule{Kind: domain.AmountByGrade}},
			"grade,event_date"},
		{"martyr family, statutory", domain.Program{Kind: domain.KindMartyrFamily, Amount: domain.AmountRule{Kind: domain.AmountStatutory, Calculator: domain.CalcMartyrGrant}},
			"cause,event_date,monthly_wage,honours"},
		{"education, fixed", domain.Program{Kind: domain.KindChildrenEducation, Amount: domain.AmountRule{Kind: domain.AmountFixed}}, ""},
		{"other with an income line", domain.Program{Kind: domain.KindOther, Eligibility: domain.Eligibility{MaxIncomePerCapita: 250000},
			Amount: domain.AmountRule{Kind: domain.AmountAssessed}}, "requested_amount,income_per_capita"},
		{"other for a death on duty", domain.Program{Kind: domain.KindOther, Eligibility: domain.Eligibility{Event: domain.EventDeathOnDuty},
			Amount: domain.AmountRule{Kind: domain.AmountFixed}}, "cause,event_date"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, f := range tt.p.FormFields() {
				got = append(got, string(f))
			}
			if strings.Join(got, ",") != tt.want {
				t.Errorf("FormFields = %v, want %s", got, tt.want)
			}
		})
	}
}

func TestCheckFormRefusesWhatIsNotAsked(t *testing.T) {
	t.Parallel()
	hardship := domain.Program{Kind: domain.KindHardship, Amount: domain.AmountRule{Kind: domain.AmountAssessed}}
	income := money.Fen(90000)
	if err := hardship.CheckForm(domain.Form{IncomePerCapita: &income}, 300000); err != nil {
		t.Fatalf("the hardship questions answered: %v", err)
	}
	err := hardship.CheckForm(domain.Form{IncomePerCapita: &income, Grade: 5, Cause: domain.DeathCause("martyr")}, 300000)
	var ve *fielderr.Invalid
	if !errors.As(err, &ve) {
		t.Fatalf("grade and cause on a hardship form: %v", err)
	}
	var fields []string
	for _, f := range ve.Problems {
		if f.Code != domain.CodeNotAsked {
			t.Errorf("%s: code %s", f.Field, f.Code)
		}
		fields = append(fields, f.Field)
	}
	if !slices.Equal(fields, []string{"form.grade", "form.cause"}) {
		t.Errorf("refused %v, want form.grade and form.cause", fields)
	}
}

func TestOneNameForWhoApplies(t *testing.T) {
	t.Parallel()
	m := &domain.MemberRecord{MemberID: "m-1", Name: "张伟", Dependants: []domain.Dependant{{ID: "d-1", Name: "刘敏"}, {ID: "d-2"}}}
	for _, tt := range []struct {
		name      string
		m         *domain.MemberRecord
		dependant string
		want      string
	}{
		{"the member", m, "", "张伟"},
		{"a dependant", m, "d-1", "刘敏"},
		{"a dependant not yet named", m, "d-2", "张警官"},
		{"a member not yet known", nil, "", "张警官"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := domain.PersonName(tt.m, tt.dependant, "张警官"); got != tt.want {
				t.Errorf("PersonName = %q, want %q", got, tt.want)
			}
		})
	}
	for _, tt := range []struct {
		name string
		a    domain.Application
		want bool
	}{
		{"the officer for themselves", domain.Application{ApplicantUserID: "u-off", PreparedBy: "u-off", ApplicantMemberID: "m-1"}, false},
		{"a family account for its dependant", domain.Application{ApplicantUserID: "u-fam", PreparedBy: "u-fam", ApplicantMemberID: "d-1", DependantID: "d-1"}, false},
		{"the officer for a child", domain.Application{ApplicantUserID: "u-off", PreparedBy: "u-off", ApplicantMemberID: "m-1", DependantID: "d-2"}, true},
		{"a caseworker on their behalf", domain.Application{ApplicantUserID: "u-fam", PreparedBy: "u-cw", ApplicantMemberID: "d-1", DependantID: "d-1"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.a.FiledByOther(); got != tt.want {
				t.Errorf("FiledByOther = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMemoAccountsHaveTheirOwnNormalSide(t *testing.T) {
	t.Parallel()
	chart := domain.DefaultChart()
	sums := []domain.AccountSum{{Code: "9101", Debit: 1100000}, {Code: "9102", Credit: 1100000}, {Code: "4001", Credit: 5000000}, {Code: "1011", Debit: 5000000}}
	tb, err := domain.BuildTrialBalance(chart, sums)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]domain.Side{"1011": domain.SideDebit, "4001": domain.SideCredit, "9101": domain.SideDebit, "9102": domain.SideCredit}
	for _, r := range tb.Rows {
		if r.Account.NormalSide() != want[r.Account.Code] || r.Balance <= 0 {
			t.Errorf("%s: side %s balance %v, want positive on %s", r.Account.Code, r.Account.NormalSide(), r.Balance, want[r.Account.Code])
		}
	}
	// an account without its own side takes its kind's; a memo one debit
	if s := (domain.Account{Kind: domain.KindLiability}).NormalSide(); s != domain.SideCredit {
		t.Errorf("a liability's side %s", s)
	}
	if s := (domain.Account{Kind: domain.KindMemo}).NormalSide(); s != domain.SideDebit {
		t.Errorf("a memo account without a side: %s", s)
	}
}

func TestApprovalCommentIsRecorded(t *testing.T) {
	t.Parallel()
	a := domain.Application{ID: "a", State: domain.StateReviewed, ApplicantUserID: "u-off", PreparedBy: "u-off", Round: 1, Amount: 500000}
	approver := domain.Actor{UserID: "u-ap", Roles: []roles.Role{roles.Approver}}
	if _, err := a.Approve(approver, at, domain.ApprovalPolicy{DualAbove: 1000000}, "", strings.Repeat("长", domain.MaxReasonLen+1)); err == nil {
		t.Fatal("a comment over the limit was taken")
	}
	final, err := a.Approve(approver, at, domain.ApprovalPolicy{DualAbove: 1000000}, "", " 同意 ")
	if err != nil || !final {
		t.Fatalf("approve: %v %v", final, err)
	}
	if last := a.Actions[len(a.Actions)-1]; last.Step != domain.StepCommitteeApproval || last.Reason != "同意" {
		t.Errorf("recorded %+v", last)
	}
}
