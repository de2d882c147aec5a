package domain_test

import (
	"errors"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

func fen(f money.Fen) *money.Fen { return &f }

func TestEligibility(t *testing.T) {
	t.Parallel()
	martyr := domain.Eligibility{Categories: []domain.Category{domain.CategoryPolice, domain.CategoryAuxiliaryPolice}, Event: domain.EventDeathOnDuty, DependantsOnly: true}
	disabled := domain.Eligibility{Event: domain.EventDisabilityGraded, Grades: []int{1, 2, 3, 4}}
	hardship := domain.Eligibility{MaxIncomePerCapita: money.Yuan(1500)}
	tests := []struct {
		name   string
		rules  domain.Eligibility
		facts  domain.Facts
		want   bool
		failed string // code of the criterion that fails
	}{
		{name: "no rules admit everyone", want: true},
		{name: "martyr family dependant", rules: martyr, facts: domain.Facts{Category: domain.CategoryPolice, Deceased: true, DeathCause: domain.CauseMartyr, ApplicantIsDependant: true}, want: true},
		{name: "death from illness is not on duty", rules: martyr, facts: domain.Facts{Category: domain.CategoryPolice, Deceased: true, DeathCause: domain.CauseIllness, ApplicantIsDependant: true}, failed: "grants.criterion.death_on_duty"},
		{name: "judge not in the categories", rules: martyr, facts: domain.Facts{Category: domain.CategoryJudge, Deceased: true, DeathCause: domain.CauseLineOfDuty, ApplicantIsDependant: true}, failed: "grants.criterion.category"},
		{name: "not a dependant", rules: martyr, facts: domain.Facts{Category: domain.CategoryPolice, Deceased: true, DeathCause: domain.CauseLineOfDuty}, failed: "grants.criterion.dependant"},
		{name: "grade 2 admitted", rules: disabled, facts: domain.Facts{DisabilityGrade: 2}, want: true},
		{name: "grade 7 not admitted", rules: disabled, facts: domain.Facts{DisabilityGrade: 7}, failed: "grants.criterion.grade_admitted"},
		{name: "not graded", rules: disabled, failed: "grants.criterion.disability_graded"},
		{name: "income at the line", rules: hardship, facts: domain.Facts{IncomePerCapita: fen(money.Yuan(1500))}, want: true},
		{name: "income above the line", rules: hardship, facts: domain.Facts{IncomePerCapita: fen(money.Yuan(1500) + 1)}, failed: "grants.criterion.income_below_line"},
		{name: "income not stated", rules: hardship, failed: "grants.criterion.income_below_line"},
		{name: "martyr only", rules: domain.Eligibility{Event: domain.EventMartyr}, facts: domain.Facts{Deceased: true, DeathCause: domain.CauseLineOfDuty}, failed: "grants.criterion.martyr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := tt.rules.Evaluate(tt.facts)
			if res.Eligible != tt.want {
				t.Fatalf("eligible = %v, want %v (%+v)", res.Eligible, tt.want, res.Criteria)
			}
			if tt.failed != "" {
				found := false
				for _, c := range res.Criteria {
					if c.Code == tt.failed && !c.Met {
						found = true
					}
				}
				if !found {
					t.Fatalf("criterion %s not reported as failed: %+v", tt.failed, res.Criteria)
				}
			}
		})
	}
}

func TestProgramValidate(t *testing.T) {
	t.Parallel()
	ok := program()
	tests := []struct {
		name   string
		edit   func(p *domain.Program)
		fields []string
	}{
		{name: "valid", edit: func(*domain.Program) {}},
		{name: "missing code and name", edit: func(p *domain.Program) { p.Code, p.NameZH = "", " " }, fields: []string{"code", "name_zh"}},
		{name: "negative allocation", edit: func(p *domain.Program) { p.Allocation = -1 }, fields: []string{"allocation"}},
		{name: "unknown kind", edit: func(p *domain.Program) { p.Kind = "bonus" }, fields: []string{"kind"}},
		{name: "assessed without cap", edit: func(p *domain.Program) { p.Amount.Cap = 0 }, fields: []string{"amount.cap"}},
		{name: "statutory recurring", edit: func(p *domain.Program) {
			p.Amount = domain.AmountRule{Kind: domain.AmountStatutory, Calculator: domain.CalcMartyrGrant}
			p.Recurring = true
		}, fields: []string{"recurring"}},
		{name: "bad grade", edit: func(p *domain.Program) { p.Eligibility.Grades = []int{0} }, fields: []string{"eligibility.grades"}},
		{name: "bad category", edit: func(p *domain.Program) { p.Eligibility.Categories = []domain.Category{"mayor"} }, fields: []string{"eligibility.categories"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := ok
			tt.edit(&p)
			err := p.Validate()
			if len(tt.fields) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ve *fielderr.Invalid
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v", err)
			}
			got := map[string]bool{}
			for _, f := range ve.Problems {
				got[f.Field] = true
			}
			for _, f := range tt.fields {
				if !got[f] {
					t.Errorf("field %s not reported: %+v", f, ve.Problems)
				}
			}
		})
	}
}

func TestCheckCommit(t *testing.T) {
	t.Parallel()
	fund := domain.Fund{Appropriation: 1000, Committed: 400}
	prog := domain.Program{Allocation: 500, Committed: 100}
	tests := []struct {
		name    string
		amount  money.Fen
		fund    domain.Fund
		wantErr error
	}{
		{name: "fits both", amount: 400, fund: fund},
		{name: "over the program", amount: 401, fund: fund, wantErr: domain.ErrBudgetExhausted},
		{name: "over the fund", amount: 300, fund: domain.Fund{Appropriation: 1000, Committed: 800}, wantErr: domain.ErrBudgetExhausted},
		{name: "zero", amount: 0, fund: fund, wantErr: domain.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := domain.CheckCommit(tt.fund, prog, tt.amount)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
	if err := domain.ValidateAllocation(fund, []domain.Program{{Allocation: 600}, {Allocation: 401}}); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("over-allocation: %v", err)
	}
}

func TestRecurring(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		r           domain.Recurring
		today       string
		wantMonths  []string
		wantOverdue bool
		finished    bool
	}{
		{name: "first month on approval", r: domain.NewRecurring("a", 100, day("2026-03-15")), today: "2026-03-20", wantMonths: []string{"2026-03-01"}},
		{name: "catch up missed months", r: func() domain.Recurring {
			r := domain.NewRecurring("a", 100, day("2026-03-15"))
			r.Paid(day("2026-03-01"))
			return r
		}(), today: "2026-06-02", wantMonths: []string{"2026-04-01", "2026-05-01", "2026-06-01"}},
		{name: "runs six months past death", r: func() domain.Recurring {
			r := domain.NewRecurring("a", 100, day("2026-01-10"))
			r.Paid(day("2026-03-01"))
			r.RecipientDeath = day("2026-03-20")
			return r
		}(), today: "2026-12-01", wantMonths: []string{"2026-04-01", "2026-05-01", "2026-06-01", "2026-07-01", "2026-08-01", "2026-09-01"}},
		{name: "finished after the sixth month", r: func() domain.Recurring {
			r := domain.NewRecurring("a", 100, day("2026-01-10"))
			r.RecipientDeath = day("2026-03-20")
			r.Paid(day("2026-09-01"))
			return r
		}(), today: "2026-12-01", finished: true},
		{name: "re-check overdue holds later months", r: func() domain.Recurring {
			r := domain.NewRecurring("a", 100, day("2026-01-10"))
			r.Paid(day("2026-12-01"))
			return r
		}(), today: "2027-03-05", wantMonths: []string{"2027-01-01"}, wantOverdue: true},
		{name: "re-check done releases them", r: func() domain.Recurring {
			r := domain.NewRecurring("a", 100, day("2026-01-10"))
			r.Paid(day("2026-12-01"))
			r.Recheck(day("2027-01-05"))
			return r
		}(), today: "2027-03-05", wantMonths: []string{"2027-01-01", "2027-02-01", "2027-03-01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			months, overdue := tt.r.DueMonths(day(tt.today))
			if overdue != tt.wantOverdue {
				t.Errorf("overdue = %v", overdue)
			}
			if len(months) != len(tt.wantMonths) {
				t.Fatalf("months = %v, want %v", months, tt.wantMonths)
			}
			for i, m := range months {
				if m.Format(time.DateOnly) != tt.wantMonths[i] {
					t.Errorf("month %d = %s, want %s", i, m.Format(time.DateOnly), tt.wantMonths[i])
				}
			}
			if tt.r.Finished() != tt.finished {
				t.Errorf("finished = %v", tt.r.Finished())
			}
		})
	}
	c, err := domain.NewRecurring("a", money.Yuan(1000), day("2026-10-03")).CommitmentForYear()
	if err != nil || c != money.Yuan(3000) {
		t.Fatalf("commitment = %v, %v", c, err)
	}
}

func TestNeutralizeCell(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"plain", "张三", "张三"},
		{"empty", "", ""},
		{"formula", "=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"},
		{"plus", "+1", "'+1"},
		{"minus", "-1+2", "'-1+2"},
		{"at", "@SUM(A1)", "'@SUM(A1)"},
		{"tab", "\t=1", "'\t=1"},
		{"inner equals untouched", "a=b", "a=b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := domain.NeutralizeCell(tt.in); got != tt.want {
				t.Fatalf("NeutralizeCell(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMaskName(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"three", "张三丰", "张**"},
		{"two", "李四", "李*"},
		{"one", "王", "王"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := domain.MaskName(tt.in); got != tt.want {
				t.Fatalf("MaskName(%q) = %q", tt.in, got)
			}
		})
	}
}

func TestNotices(t *testing.T) {
	t.Parallel()
	progs := []domain.Program{
		{ID: "disabled", Kind: domain.KindDisabledOnDuty, Active: true, Eligibility: domain.Eligibility{Event: domain.EventDisabilityGraded, Grades: []int{1, 2, 3, 4, 5, 6}}},
		{ID: "martyr", Kind: domain.KindMartyrFamily, Active: true, Eligibility: domain.Eligibility{Event: domain.EventDeathOnDuty, DependantsOnly: true}},
		{ID: "martyr-police", Kind: domain.KindMartyrFamily, Active: true, Eligibility: domain.Eligibility{Categories: []domain.Category{domain.CategoryPolice}, Event: domain.EventDeathOnDuty}},
		{ID: "inactive", Kind: domain.KindMartyrFamily, Eligibility: domain.Eligibility{Event: domain.EventDeathOnDuty}},
	}
	tests := []struct {
		name string
		got  []domain.Notice
		want []string // program/dependant pairs
	}{
		{name: "grade 3 work injury", got: domain.NoticesForGraded(domain.Graded{CaseID: "c1", MemberID: "m", Grade: 3, WorkInjury: true}, progs, at), want: []string{"disabled/"}},
		{name: "grade 8 not admitted", got: domain.NoticesForGraded(domain.Graded{CaseID: "c1", MemberID: "m", Grade: 8, WorkInjury: true}, progs, at)},
		{name: "not a work injury", got: domain.NoticesForGraded(domain.Graded{CaseID: "c1", MemberID: "m", Grade: 3}, progs, at)},
		{name: "auxiliary police martyr, two dependants", got: domain.NoticesForDeath(domain.Deceased{MemberID: "m", Category: domain.CategoryAuxiliaryPolice, Cause: domain.CauseMartyr, Dependants: []domain.Dependant{{ID: "d1"}, {ID: "d2"}}}, progs, at), want: []string{"martyr/d1", "martyr/d2"}},
		{name: "police line of duty", got: domain.NoticesForDeath(domain.Deceased{MemberID: "m", Category: domain.CategoryPolice, Cause: domain.CauseLineOfDuty, Dependants: []domain.Dependant{{ID: "d1"}}}, progs, at), want: []string{"martyr/d1", "martyr-police/d1"}},
		{name: "illness opens nothing", got: domain.NoticesForDeath(domain.Deceased{MemberID: "m", Category: domain.CategoryPolice, Cause: domain.CauseIllness, Dependants: []domain.Dependant{{ID: "d1"}}}, progs, at)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if len(tt.got) != len(tt.want) {
				t.Fatalf("notices = %+v, want %v", tt.got, tt.want)
			}
			for i, n := range tt.got {
				if n.ProgramID+"/"+n.DependantID != tt.want[i] || n.State != domain.NoticeOpen || n.EventRef == "" {
					t.Errorf("notice %d = %+v, want %s", i, n, tt.want[i])
				}
			}
		})
	}
}
