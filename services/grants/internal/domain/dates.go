package domain

import (
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/plausible"
)

// CodeBeforeFrom is a period whose end comes before its start.
const CodeBeforeFrom = "grants.field.before_from"

// Validate checks a rate an admin enters: a known kind, a positive
// amount, and a valid_from in the plausible planning range (1950 to two
// years after today, the Shanghai date).
func (r Rate) Validate(today time.Time) error {
	var p fielderr.List
	if r.Kind != RateNationalIncome && r.Kind != RateRegionalMonthlyWage {
		p.Add("kind", CodeUnknownValue, string(r.Kind))
	}
	if rg := plausible.Plan(today); !rg.Contains(r.ValidFrom) {
		p.Add("valid_from", plausible.Code, rg.Args()...)
	}
	if r.Amount <= 0 {
		p.Add("amount", CodeNotPositive)
	}
	return p.Err()
}

// ValidatePeriod checks a period of the books (an export's or a listing's
// from and to, both days): each end in the plausible ledger range (2000 to
// a year after today, the Shanghai date) and to not before from.
func ValidatePeriod(from, to, today time.Time) error {
	var p fielderr.List
	rg := plausible.Ledger(today)
	fromOK, toOK := rg.Contains(from), rg.Contains(to)
	if !fromOK {
		p.Add("from", plausible.Code, rg.Args()...)
	}
	if !toOK {
		p.Add("to", plausible.Code, rg.Args()...)
	}
	if fromOK && toOK && to.Before(from) {
		p.Add("to", CodeBeforeFrom)
	}
	return p.Err()
}
