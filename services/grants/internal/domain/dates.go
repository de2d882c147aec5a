package domain

import (
	"time"

	"github.com/anxin-welfare/anxin/pkg/plausible"
)

// CodeBeforeFrom is a period whose end comes before its start.
const CodeBeforeFrom = "grants.field.before_from"

// Validate checks a rate an admin enters: a known kind, a positive
// amount, and a valid_from in the plausible planning range (1950 to two
// years after today, the Shanghai date).
func (r Rate) Validate(today time.Time) error {
	var p problems
	if r.Kind != RateNationalIncome && r.Kind != RateRegionalMonthlyWage {
		p.add("kind", CodeUnknownValue, string(r.Kind))
	}
	if rg := plausible.Plan(today); !rg.Contains(r.ValidFrom) {
		p.add("valid_from", plausible.Code, rg.Args()...)
	}
	if r.Amount <= 0 {
		p.add("amount", CodeNotPositive)
	}
	return p.err()
}

// ValidatePeriod checks a period of the books (an export's or a listing's
// from and to, both days): each end in the plausible ledger range (2000 to
// a year after today, the Shanghai date) and to not before from.
func ValidatePeriod(from, to, today time.Time) error {
	var p problems
	rg := plausible.Ledger(today)
	fromOK, toOK := rg.Contains(from), rg.Contains(to)
	if !fromOK {
		p.add("from", plausible.Code, rg.Args()...)
	}
	if !toOK {
		p.add("to", plausible.Code, rg.Args()...)
	}
	if fromOK && toOK && to.Before(from) {
		p.add("to", CodeBeforeFrom)
	}
	return p.err()
}
