package domain_test

import (
	"errors"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

func TestAssess(t *testing.T) {
	t.Parallel()
	died := day("2026-05-20")
	rec := &domain.MemberRecord{MemberID: "m", Category: domain.CategoryPolice, Deceased: true, DiedOn: died, Cause: domain.CauseMartyr, Dependants: []domain.Dependant{{ID: "d-1"}}}
	grading := &domain.LatestGrading{CaseID: "c", Grade: 3, GradedOn: day("2026-04-01")}
	stated := day("2020-01-01")
	tests := []struct {
		name      string
		form      domain.Form
		rec       *domain.MemberRecord
		g         *domain.LatestGrading
		dependant string
		check     func(f domain.Facts, in domain.CalcInput) bool
	}{
		{name: "the form alone", form: domain.Form{Category: domain.CategoryJudge, Grade: 5, EventDate: &stated},
			check: func(f domain.Facts, in domain.CalcInput) bool {
				return f.Category == domain.CategoryJudge && f.DisabilityGrade == 5 && in.EventDate.Equal(stated) && !f.Deceased
			}},
		{name: "a recorded death wins over the form", form: domain.Form{Category: domain.CategoryJudge, Cause: domain.CauseIllness, EventDate: &stated}, rec: rec, dependant: "d-1",
			check: func(f domain.Facts, in domain.CalcInput) bool {
				return f.Category == domain.CategoryPolice && f.Deceased && f.DeathCause == domain.CauseMartyr && in.Cause == domain.CauseMartyr &&
					in.EventDate.Equal(died) && f.ApplicantIsDependant
			}},
		{name: "someone not a registered dependant", rec: rec, dependant: "d-9",
			check: func(f domain.Facts, _ domain.CalcInput) bool { return !f.ApplicantIsDependant }},
		{name: "a recorded grading wins over the form", form: domain.Form{Grade: 9}, g: grading,
			check: func(f domain.Facts, in domain.CalcInput) bool {
				return f.DisabilityGrade == 3 && in.Grade == 3 && in.EventDate.Equal(grading.GradedOn)
			}},
		{name: "recorded honours win over the form's", form: domain.Form{Honours: []domain.Honour{domain.HonourNationalTitle}},
			rec: &domain.MemberRecord{Deceased: true, DiedOn: died, Cause: domain.CauseLineOfDuty, Honours: []domain.Honour{domain.HonourMeritSecond}},
			check: func(_ domain.Facts, in domain.CalcInput) bool {
				return len(in.Honours) == 1 && in.Honours[0] == domain.HonourMeritSecond
			}},
		{name: "wage and honours come from the form", form: domain.Form{MonthlyWage: money.Yuan(8000), Honours: []domain.Honour{domain.HonourMeritFirst}},
			check: func(_ domain.Facts, in domain.CalcInput) bool {
				return in.MonthlyWage == money.Yuan(8000) && len(in.Honours) == 1
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, in := domain.Assess(tt.form, tt.rec, tt.g, tt.dependant)
			if !tt.check(f, in) {
				t.Fatalf("facts %+v input %+v", f, in)
			}
		})
	}
}

func TestFormValidate(t *testing.T) {
	t.Parallel()
	neg := money.Fen(-1)
	tests := []struct {
		name  string
		form  domain.Form
		field string
	}{
		{name: "empty is fine", form: domain.Form{}},
		{name: "unknown category", form: domain.Form{Category: "mayor"}, field: "form.category"},
		{name: "negative income", form: domain.Form{IncomePerCapita: &neg}, field: "form.income_per_capita"},
		{name: "negative wage", form: domain.Form{MonthlyWage: -1}, field: "form.monthly_wage"},
		{name: "unknown honour", form: domain.Form{Honours: []domain.Honour{"gold"}}, field: "form.honours"},
		{name: "grade 11", form: domain.Form{Grade: 11}, field: "form.grade"},
		{name: "unknown cause", form: domain.Form{Cause: "accident"}, field: "form.cause"},
		{name: "event in year 0006", form: domain.Form{EventDate: datePtr(6, 3, 1)}, field: "form.event_date"},
		{name: "event tomorrow", form: domain.Form{EventDate: datePtr(2026, 3, 11)}, field: "form.event_date"},
		{name: "event today", form: domain.Form{EventDate: datePtr(2026, 3, 10)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.form.Validate(time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC))
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ve *fielderr.Invalid
			if !errors.As(err, &ve) || ve.Problems[0].Field != tt.field {
				t.Fatalf("err = %v, want field %s", err, tt.field)
			}
		})
	}
}

func datePtr(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}
