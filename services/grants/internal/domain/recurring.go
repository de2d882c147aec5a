package domain

import (
	"time"

	"github.com/anxin-welfare/anxin/pkg/money"
)

// PensionRunOnMonths is how long a periodic pension runs past the
// recipient's death (DOMAIN.md: "run 6 months past the recipient's death").
const PensionRunOnMonths = 6

// MonthOf returns the first day (midnight UTC) of day's month.
func MonthOf(day time.Time) time.Time {
	y, m, _ := day.Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
}

// Recurring is the schedule of a periodic grant to a dependant: monthly
// payments from the month of approval, a yearly re-check, and an end six
// months after the recipient's death.
type Recurring struct {
	ApplicationID string
	MonthlyAmount money.Fen
	// StartMonth is the month eligibility was approved (payments start there).
	StartMonth time.Time
	// LastPaidMonth is the last month paid; zero before the first payment.
	LastPaidMonth time.Time
	// CheckedOn is the date of the approval or of the last yearly re-check.
	CheckedOn time.Time
	// RecipientDeath is the recipient's date of death, zero while alive.
	RecipientDeath time.Time
}

// NewRecurring starts the schedule on the approval date.
func NewRecurring(applicationID string, monthly money.Fen, approvedOn time.Time) Recurring {
	return Recurring{ApplicationID: applicationID, MonthlyAmount: monthly, StartMonth: MonthOf(approvedOn), CheckedOn: approvedOn}
}

// RecheckDue is the date by which the yearly re-check must be done.
func (r Recurring) RecheckDue() time.Time { return r.CheckedOn.AddDate(1, 0, 0) }

// FinalMonth is the last payable month, ok false while the recipient lives.
func (r Recurring) FinalMonth() (time.Time, bool) {
	if r.RecipientDeath.IsZero() {
		return time.Time{}, false
	}
	return MonthOf(r.RecipientDeath).AddDate(0, PensionRunOnMonths, 0), true
}

// DueMonths lists the months payable on today that are not yet paid, in
// order. Months after the re-check due date are held back until the
// re-check is done (overdue is then true): nothing is paid on stale facts.
func (r Recurring) DueMonths(today time.Time) (months []time.Time, overdue bool) {
	next := r.StartMonth
	if !r.LastPaidMonth.IsZero() {
		next = r.LastPaidMonth.AddDate(0, 1, 0)
	}
	last := MonthOf(today)
	if final, ok := r.FinalMonth(); ok && final.Before(last) {
		last = final
	}
	if due := r.RecheckDue(); today.After(due) {
		overdue = true
		if m := MonthOf(due); m.Before(last) {
			last = m
		}
	}
	for m := next; !m.After(last); m = m.AddDate(0, 1, 0) {
		months = append(months, m)
	}
	return months, overdue
}

// Finished reports whether no month will ever be payable again: the final
// month after the recipient's death is paid.
func (r Recurring) Finished() bool {
	final, ok := r.FinalMonth()
	return ok && !r.LastPaidMonth.IsZero() && !r.LastPaidMonth.Before(final)
}

// Paid records that month was paid; months are paid in order.
func (r *Recurring) Paid(month time.Time) { r.LastPaidMonth = MonthOf(month) }

// Recheck records a yearly re-check on day.
func (r *Recurring) Recheck(day time.Time) { r.CheckedOn = day }

// CommitmentForYear is what approving a recurring grant commits against
// the fund of the fiscal year it is approved in: the monthly amount for each
// month from the start month to December (a fund is one fiscal year; later
// years are committed against their own funds).
func (r Recurring) CommitmentForYear() (money.Fen, error) {
	months := int64(12 - int(r.StartMonth.Month()) + 1)
	return money.MulRat(r.MonthlyAmount, months, 1)
}
