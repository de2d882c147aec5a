package domain

import (
	"slices"

	"github.com/anxin-welfare/anxin/pkg/money"
)

// EventRequirement is the life event a program is for.
type EventRequirement string

// Events a program may require.
const (
	EventNone             EventRequirement = ""                  // no event needed (hardship, education)
	EventDisabilityGraded EventRequirement = "disability_graded" // a determined work injury with a grade
	EventDeathOnDuty      EventRequirement = "death_on_duty"     // line-of-duty death or martyr
	EventMartyr           EventRequirement = "martyr"            // evaluated as a martyr (烈士褒扬条例 art. 8)
)

// Valid reports whether e is a known requirement.
func (e EventRequirement) Valid() bool {
	switch e {
	case EventNone, EventDisabilityGraded, EventDeathOnDuty, EventMartyr:
		return true
	}
	return false
}

// Eligibility is a program's rules, all of which must hold. The zero value
// admits everyone.
type Eligibility struct {
	// Categories admitted; empty means every category.
	Categories []Category       `json:"categories,omitempty"`
	Event      EventRequirement `json:"event,omitempty"`
	// Grades admitted when Event is disability_graded; empty means 1..10.
	Grades []int `json:"grades,omitempty"`
	// DependantsOnly: the applicant must be a dependant of the member (the
	// martyr-family programs pay the family, not the estate).
	DependantsOnly bool `json:"dependants_only,omitempty"`
	// MaxIncomePerCapita is the hardship line: household monthly income per
	// person must not exceed it. Zero means no income test.
	MaxIncomePerCapita money.Fen `json:"max_income_per_capita,omitempty"`
}

// Facts are what the service knows about the member and the applicant when
// it checks eligibility, from its own projections of enrollment and injury
// events and from the application form.
type Facts struct {
	Category        Category
	Deceased        bool
	DeathCause      DeathCause
	DisabilityGrade int // 0 when not graded
	// ApplicantIsDependant: the applicant is a registered dependant of the member.
	ApplicantIsDependant bool
	// IncomePerCapita is the household's monthly income per person, nil when
	// the applicant has not stated it.
	IncomePerCapita *money.Fen
}

// Criterion is one rule and whether it held, so the applicant sees why an
// application is or is not eligible. Code is a catalogue key.
type Criterion struct {
	Code string `json:"code"`
	Met  bool   `json:"met"`
	Args []any  `json:"args,omitempty"`
}

// EligibilityResult is the explained verdict.
type EligibilityResult struct {
	Eligible bool        `json:"eligible"`
	Criteria []Criterion `json:"criteria"`
}

// Evaluate checks facts against the rules and explains every criterion.
func (e Eligibility) Evaluate(f Facts) EligibilityResult {
	var cs []Criterion
	add := func(code string, met bool, args ...any) {
		cs = append(cs, Criterion{Code: code, Met: met, Args: args})
	}
	if len(e.Categories) > 0 {
		add("grants.criterion.category", slices.Contains(e.Categories, f.Category), string(f.Category))
	}
	switch e.Event {
	case EventDisabilityGraded:
		graded := f.DisabilityGrade >= 1 && f.DisabilityGrade <= 10
		add("grants.criterion.disability_graded", graded)
		if graded && len(e.Grades) > 0 {
			add("grants.criterion.grade_admitted", slices.Contains(e.Grades, f.DisabilityGrade), f.DisabilityGrade)
		}
	case EventDeathOnDuty:
		add("grants.criterion.death_on_duty", f.Deceased && f.DeathCause.OnDuty())
	case EventMartyr:
		add("grants.criterion.martyr", f.Deceased && f.DeathCause == CauseMartyr)
	}
	if e.DependantsOnly {
		add("grants.criterion.dependant", f.ApplicantIsDependant)
	}
	if e.MaxIncomePerCapita > 0 {
		met := f.IncomePerCapita != nil && *f.IncomePerCapita <= e.MaxIncomePerCapita
		add("grants.criterion.income_below_line", met, e.MaxIncomePerCapita.String())
	}
	ok := true
	for _, c := range cs {
		ok = ok && c.Met
	}
	return EligibilityResult{Eligible: ok, Criteria: cs}
}
