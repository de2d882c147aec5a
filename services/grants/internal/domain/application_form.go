package domain

import (
	"slices"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/plausible"
)

// Form is what the applicant (or the caseworker for them) states on the
// application. Facts the service learns from events (death, cause,
// disability grade, dependants) win over the form: nobody declares a death
// or a grade by typing it.
type Form struct {
	Category        Category   `json:"category,omitempty"`
	IncomePerCapita *money.Fen `json:"income_per_capita,omitempty"`
	MonthlyWage     money.Fen  `json:"monthly_wage,omitempty"`
	Honours         []Honour   `json:"honours,omitempty"`
	EventDate       *time.Time `json:"event_date,omitempty"`
	Grade           int        `json:"grade,omitempty"`
	Cause           DeathCause `json:"cause,omitempty"`
}

// Validate checks the form's own values; today (the Shanghai date) bounds
// the event's date.
func (f Form) Validate(today time.Time) error {
	var p fielderr.List
	if f.EventDate != nil {
		// A death or a grading cannot be in the future or before 1950.
		if r := plausible.Past(today); !r.Contains(*f.EventDate) {
			p.Add("form.event_date", plausible.Code, r.Args()...)
		}
	}
	if f.Category != "" && !f.Category.Valid() {
		p.Add("form.category", CodeUnknownValue, string(f.Category))
	}
	if f.IncomePerCapita != nil && *f.IncomePerCapita < 0 {
		p.Add("form.income_per_capita", CodeNegative)
	}
	if f.MonthlyWage < 0 {
		p.Add("form.monthly_wage", CodeNegative)
	}
	for _, h := range f.Honours {
		if h.UpliftPercent() == 0 {
			p.Add("form.honours", CodeUnknownValue, string(h))
			break
		}
	}
	if f.Grade != 0 && (f.Grade < 1 || f.Grade > 10) {
		p.Add("form.grade", CodeOutOfRange, 1, 10)
	}
	if f.Cause != "" && !f.Cause.Valid() {
		p.Add("form.cause", CodeUnknownValue, string(f.Cause))
	}
	if len(f.Honours) > 10 {
		p.Add("form.honours", CodeTooLong, 10)
	}
	return p.Err()
}

// MemberRecord is the service's projection of a member, fed by events.
type MemberRecord struct {
	MemberID string
	// Name is the member's name as enrollment registered it; empty until
	// an event carrying it arrived.
	Name       string
	UnitID     string
	Category   Category
	Deceased   bool
	DiedOn     time.Time
	Cause      DeathCause
	Dependants []Dependant
	// Honours as enrollment recorded them; they win over the form's.
	Honours []Honour
}

// Dependant is one of a member's family as enrollment registered them.
// The JSON form is how the projection stores it.
type Dependant struct {
	ID string `json:"dependant_id"`
	// Relation is spouse, child, parent or sibling; empty when only the id
	// is known.
	Relation string `json:"relation,omitempty"`
	Name     string `json:"name,omitempty"`
	// BirthDate is YYYY-MM-DD when enrollment's event carried it; family
	// care derives a child's school stages from it.
	BirthDate string `json:"birth_date,omitempty"`
}

// HasDependant reports whether id is one of the member's dependants.
func (m *MemberRecord) HasDependant(id string) bool {
	return m != nil && id != "" && slices.ContainsFunc(m.Dependants, func(d Dependant) bool { return d.ID == id })
}

// MemberChanged is what grants keeps of enrollment's member.registered
// and member.updated events: the member as they are after the change.
type MemberChanged struct {
	MemberID   string
	Name       string
	UnitID     string
	Category   Category
	Dependants []Dependant
	Honours    []Honour
}

// LatestGrading is the member's most recent disability grading, if any.
type LatestGrading struct {
	CaseID   string
	Grade    int
	GradedOn time.Time
}

// Assess merges the projection and the form into the facts eligibility
// reads and the input the calculators read. rec and g may be nil.
func Assess(form Form, rec *MemberRecord, g *LatestGrading, dependantID string) (Facts, CalcInput) {
	f := Facts{Category: form.Category, IncomePerCapita: form.IncomePerCapita, DisabilityGrade: form.Grade}
	in := CalcInput{MonthlyWage: form.MonthlyWage, Honours: form.Honours, Grade: form.Grade, Cause: form.Cause}
	if form.EventDate != nil {
		in.EventDate = *form.EventDate
	}
	if rec != nil {
		if rec.Category != "" {
			f.Category = rec.Category
		}
		if rec.Deceased {
			f.Deceased, f.DeathCause = true, rec.Cause
			in.Cause, in.EventDate = rec.Cause, rec.DiedOn
		}
		f.ApplicantIsDependant = rec.HasDependant(dependantID)
		if len(rec.Honours) > 0 {
			in.Honours = rec.Honours
		}
	}
	if g != nil {
		f.DisabilityGrade, in.Grade = g.Grade, g.Grade
		if rec == nil || !rec.Deceased {
			in.EventDate = g.GradedOn
		}
	}
	return f, in
}
