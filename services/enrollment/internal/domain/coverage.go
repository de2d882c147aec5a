package domain

import (
	"time"

	"github.com/anxin-welfare/anxin/pkg/money"
)

// Coverage answers "was member M covered by scheme S on day D, under which
// plan and for what sums?". The injury service asks it when a case opens,
// for the day of the injury, which may lie in the past.
type Coverage struct {
	MemberID string
	Scheme   SchemeCode
	On       time.Time
	Covered  bool
	// Reason is a catalogue key when not covered:
	// "enrollment.coverage.not_enrolled" or
	// "enrollment.coverage.waiting_period".
	Reason     string
	Enrollment *Enrollment
	Plan       *Plan
}

// SumsInsured returns the plan's sums when covered.
func (c Coverage) SumsInsured() (SumsInsured, bool) {
	if !c.Covered || c.Plan == nil {
		return SumsInsured{}, false
	}
	return c.Plan.Sums, true
}

// DeathSum is a shortcut for the most asked figure.
func (c Coverage) DeathSum() money.Fen {
	s, _ := c.SumsInsured()
	return s.Death
}

// CoverageOn finds the member's enrollment in scheme that contains day on.
// Closed enrollments count for the days they covered: a lapse later does
// not undo cover on an earlier day. plans maps plan id to plan.
func CoverageOn(memberID string, scheme SchemeCode, on time.Time, enrollments []Enrollment, plans map[string]Plan) Coverage {
	on = dateOf(on)
	c := Coverage{MemberID: memberID, Scheme: scheme, On: on, Reason: "enrollment.coverage.not_enrolled"}
	for i := range enrollments {
		e := enrollments[i]
		if e.MemberID != memberID || e.Scheme != scheme || !e.Period.Contains(on) || e.Voided() {
			continue
		}
		c.Enrollment = &e
		if pl, ok := plans[e.PlanID]; ok {
			c.Plan = &pl
		}
		if on.Before(e.CoveredFrom) {
			c.Reason = "enrollment.coverage.waiting_period"
			return c
		}
		c.Covered, c.Reason = true, ""
		return c
	}
	return c
}
