package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
)

// SchemeCode names an insurance scheme (DOMAIN.md, "Insurance enrollment").
type SchemeCode string

// Schemes.
const (
	// SchemeWorkInjury is 工伤保险 (工伤保险条例).
	SchemeWorkInjury SchemeCode = "work_injury"
	// SchemePersonalAccident is 人身意外伤害保险: paid centrally for police
	// since 2015 (martyr payout ¥200,000); required for auxiliary police in
	// high-risk posts.
	SchemePersonalAccident SchemeCode = "personal_accident"
	// SchemeCriticalIllness is the county's 大病保险 (local).
	SchemeCriticalIllness SchemeCode = "critical_illness"
	// SchemeSupplementaryMedical is 公务员医疗补助 (国办发〔2000〕37号), for
	// civil servants only.
	SchemeSupplementaryMedical SchemeCode = "supplementary_medical"
)

// Schemes lists every scheme in a stable order.
var Schemes = []SchemeCode{SchemeWorkInjury, SchemePersonalAccident, SchemeCriticalIllness, SchemeSupplementaryMedical}

// Valid reports whether s is a known scheme.
func (s SchemeCode) Valid() bool { return slices.Contains(Schemes, s) }

// Payer is who pays a plan's premium.
type Payer string

// Payers.
const (
	PayerUnit           Payer = "unit"
	PayerMember         Payer = "member"
	PayerCountyFinance  Payer = "county_finance"
	PayerCentralFinance Payer = "central_finance"
)

// Valid reports whether p is a known payer.
func (p Payer) Valid() bool {
	switch p {
	case PayerUnit, PayerMember, PayerCountyFinance, PayerCentralFinance:
		return true
	}
	return false
}

// Period is a span of calendar dates, both ends included, the way people
// say "from 1 January to 31 December". The store keeps it as a PostgreSQL
// daterange, which makes the upper bound exclusive (To + 1 day).
type Period struct {
	From time.Time
	To   time.Time
}

// Contains reports whether day d is in the period.
func (p Period) Contains(d time.Time) bool {
	d = dateOf(d)
	return !d.Before(p.From) && !d.After(p.To)
}

// Overlaps reports whether two periods share at least one day.
func (p Period) Overlaps(q Period) bool {
	return !p.To.Before(q.From) && !q.To.Before(p.From)
}

// Days is the number of days in the period.
func (p Period) Days() int { return int(p.To.Sub(p.From).Hours()/24) + 1 }

// DisabilityGrades is the number of disability grades (工伤保险条例 art. 35–37:
// grade 1 is the most severe, grade 10 the least).
const DisabilityGrades = 10

// SumsInsured are what a plan pays for each kind of event, in fen.
type SumsInsured struct {
	Death money.Fen
	// Disability holds the sum for grades 1..10 at index 0..9.
	Disability      [DisabilityGrades]money.Fen
	CriticalIllness money.Fen
}

// DisabilityGrade returns the sum insured for grade 1..10.
func (s SumsInsured) DisabilityGrade(grade int) (money.Fen, bool) {
	if grade < 1 || grade > DisabilityGrades {
		return 0, false
	}
	return s.Disability[grade-1], true
}

// Eligibility states which members a plan may cover.
type Eligibility struct {
	Categories []Category
	// FrontlineOnly limits the plan to frontline posts.
	FrontlineOnly bool
	// AuxDuties limits auxiliary police to these post types; empty means
	// both.
	AuxDuties []AuxDuty
	// HighRiskOnly limits auxiliary police to high-risk posts (the
	// personal accident insurance they must have there).
	HighRiskOnly bool
}

// Plan is one year's terms of a scheme.
type Plan struct {
	ID          string
	Scheme      SchemeCode
	Year        int
	Name        string
	Coverage    Period
	Eligibility Eligibility
	Premium     money.Fen // per member for the plan year
	Payer       Payer
	WaitingDays int
	Sums        SumsInsured
	Version     int64
}

// PlanInput is what an admin enters for a plan.
type PlanInput struct {
	Scheme      SchemeCode
	Year        int
	Name        string
	Coverage    Period
	Eligibility Eligibility
	Premium     money.Fen
	Payer       Payer
	WaitingDays int
	Sums        SumsInsured
}

// maxWaitingDays bounds the waiting period; insurers in practice use 30,
// 90 or 180 days.
const maxWaitingDays = 365

// NewPlan validates a plan.
func NewPlan(id string, in PlanInput) (Plan, error) {
	if err := validatePlan(in); err != nil {
		return Plan{}, err
	}
	in.Name = strings.TrimSpace(in.Name)
	in.Coverage = Period{From: dateOf(in.Coverage.From), To: dateOf(in.Coverage.To)}
	return Plan{
		ID: id, Scheme: in.Scheme, Year: in.Year, Name: in.Name, Coverage: in.Coverage,
		Eligibility: in.Eligibility, Premium: in.Premium, Payer: in.Payer,
		WaitingDays: in.WaitingDays, Sums: in.Sums, Version: 1,
	}, nil
}

func validatePlan(in PlanInput) error {
	var p fielderr.List
	if !in.Scheme.Valid() {
		p.Add("scheme", "enrollment.scheme_unknown", string(in.Scheme))
	}
	if in.Year < 2000 || in.Year > 2100 {
		p.Add("year", "enrollment.plan.year_range", 2000, 2100)
	}
	name := strings.TrimSpace(in.Name)
	switch {
	case name == "":
		p.Add("name", "enrollment.required")
	case utf8.RuneCountInString(name) > 100:
		p.Add("name", "enrollment.too_long", 100)
	}
	from, to := dateOf(in.Coverage.From), dateOf(in.Coverage.To)
	switch {
	case from.IsZero():
		p.Add("coverage.from", "enrollment.required")
	case to.IsZero():
		p.Add("coverage.to", "enrollment.required")
	case to.Before(from):
		p.Add("coverage.to", "enrollment.period_reversed")
	case !to.Before(from.AddDate(1, 0, 0)):
		p.Add("coverage.to", "enrollment.plan.coverage_over_a_year")
	case from.Year() != in.Year:
		p.Add("coverage.from", "enrollment.plan.coverage_year_mismatch", in.Year)
	}
	validateEligibility(in, &p)
	if in.Premium < 0 {
		p.Add("premium", "enrollment.amount_negative")
	}
	if !in.Payer.Valid() {
		p.Add("payer", "enrollment.plan.payer_unknown", string(in.Payer))
	}
	if in.WaitingDays < 0 || in.WaitingDays > maxWaitingDays {
		p.Add("waiting_days", "enrollment.plan.waiting_days_range", 0, maxWaitingDays)
	}
	if in.Sums.Death < 0 {
		p.Add("sums.death", "enrollment.amount_negative")
	}
	if in.Sums.CriticalIllness < 0 {
		p.Add("sums.critical_illness", "enrollment.amount_negative")
	}
	for i, s := range in.Sums.Disability {
		field := "sums.disability[" + strconv.Itoa(i) + "]"
		if s < 0 {
			p.Add(field, "enrollment.amount_negative")
		} else if i > 0 && s > in.Sums.Disability[i-1] {
			// Grade 1 is the most severe: a lighter grade paying more
			// than a heavier one is a data-entry error.
			p.Add(field, "enrollment.plan.disability_sums_order", i+1)
		}
	}
	return p.Err()
}

func validateEligibility(in PlanInput, p *fielderr.List) {
	e := in.Eligibility
	if len(e.Categories) == 0 {
		p.Add("eligibility.categories", "enrollment.required")
	}
	for i, c := range e.Categories {
		field := "eligibility.categories[" + strconv.Itoa(i) + "]"
		if !c.Valid() {
			p.Add(field, "enrollment.category_unknown", string(c))
			continue
		}
		if slices.Index(e.Categories, c) != i {
			p.Add(field, "enrollment.duplicate")
		}
		// Central police accident insurance (since 2015) covers sworn
		// police only; auxiliary police have none (DOMAIN.md).
		if in.Payer == PayerCentralFinance && !c.SwornPolice() {
			p.Add(field, "enrollment.plan.central_police_only")
		}
		// 公务员医疗补助 is for civil servants only (国办发〔2000〕37号).
		if in.Scheme == SchemeSupplementaryMedical && !c.CivilServant() {
			p.Add(field, "enrollment.plan.civil_servants_only")
		}
	}
	auxEligible := slices.Contains(e.Categories, CategoryAuxiliaryPolice)
	for i, d := range e.AuxDuties {
		field := "eligibility.aux_duties[" + strconv.Itoa(i) + "]"
		if d != AuxDutyField && d != AuxDutyCivilian {
			p.Add(field, "enrollment.post.aux_duty_unknown", string(d))
		} else if !auxEligible {
			p.Add(field, "enrollment.post.aux_only")
		}
	}
	if e.HighRiskOnly && !auxEligible {
		p.Add("eligibility.high_risk_only", "enrollment.post.aux_only")
	}
}

// Eligible returns nil when member m may be enrolled in the plan, else an
// *IneligibleError saying why.
func (pl Plan) Eligible(m *Member) error {
	code := pl.ineligibility(m)
	if code == "" {
		return nil
	}
	return &IneligibleError{MemberID: m.ID, PlanID: pl.ID, Code: code}
}

func (pl Plan) ineligibility(m *Member) string {
	e := pl.Eligibility
	switch {
	case m.Status != StatusActive:
		return "enrollment.ineligible.not_active"
	case !slices.Contains(e.Categories, m.Category):
		return "enrollment.ineligible.category"
	case e.FrontlineOnly && !m.Post.Frontline:
		return "enrollment.ineligible.not_frontline"
	case m.Category == CategoryAuxiliaryPolice && len(e.AuxDuties) > 0 && !slices.Contains(e.AuxDuties, m.Post.AuxDuty):
		return "enrollment.ineligible.aux_duty"
	case m.Category == CategoryAuxiliaryPolice && e.HighRiskOnly && !m.Post.HighRisk:
		return "enrollment.ineligible.not_high_risk"
	}
	return ""
}
