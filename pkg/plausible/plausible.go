// Package plausible holds the ranges every date a person types must fall
// in, so that a slip of the keyboard (year 0006, 2206) is refused with the
// range named instead of being stored. Each service's domain validation
// calls it with the injected clock's "today"; the message is the
// catalogue's "field.range" ("应在 %v 至 %v 之间") with the range's ends.
package plausible

import (
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
)

// Code is the catalogue key of a date outside its range; Range.Args are
// its arguments.
const Code = "field.range"

// DateLayout is how a range's ends are written in the message.
const DateLayout = "2006-01-02"

// Range is a closed span of calendar days, each as midnight UTC (the form
// dates are stored in).
type Range struct {
	From, To time.Time
}

// day is a calendar day as midnight UTC.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// dayOf is t's calendar day in Asia/Shanghai when t carries a time of day
// and the date itself when t is already a date (midnight UTC).
func dayOf(t time.Time) time.Time {
	if t.Location() == time.UTC && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t
	}
	y, m, d := t.In(clock.Shanghai).Date()
	return day(y, m, d)
}

// Contains reports whether t's calendar day lies in r, ends included.
func (r Range) Contains(t time.Time) bool {
	d := dayOf(t)
	return !d.Before(r.From) && !d.After(r.To)
}

// Early reports whether t's calendar day comes before r: for fields whose
// "not in the future" has its own message.
func (r Range) Early(t time.Time) bool { return dayOf(t).Before(r.From) }

// Args are the catalogue message's arguments: the range's ends as
// YYYY-MM-DD.
func (r Range) Args() []any { return []any{r.From.Format(DateLayout), r.To.Format(DateLayout)} }

// Earliest dates a person can mean in each kind of field.
var (
	// EarliestBirth: no serving officer or dependant was born before 1900.
	EarliestBirth = day(1900, time.January, 1)
	// EarliestService: no one serving or drawing benefits joined before 1950.
	EarliestService = day(1950, time.January, 1)
	// EarliestLeave: the leave records Anxin keeps start in 2000.
	EarliestLeave = day(2000, time.January, 1)
	// EarliestLedger: the welfare funds' books Anxin keeps start in 2000.
	EarliestLedger = day(2000, time.January, 1)
)

// LedgerYearsAhead is how far ahead a period of the books may reach (a
// report for the current fiscal year asked before it ends).
const LedgerYearsAhead = 1

// LeaveYearsAhead is how far ahead leave may be requested or planned.
const LeaveYearsAhead = 2

// Birth is the range of a date of birth: from 1900 to today.
func Birth(today time.Time) Range { return Range{From: EarliestBirth, To: dayOf(today)} }

// Past is the range of something that has already happened in a
// member's working life (hire, service start, award, death, grading,
// filing): from 1950 to today.
func Past(today time.Time) Range { return Range{From: EarliestService, To: dayOf(today)} }

// Injury is the range of the day of an injury: not before the member's
// birth (when known; 1950 otherwise) and not after today.
func Injury(today, birth time.Time) Range {
	from := EarliestService
	if !birth.IsZero() && dayOf(birth).After(from) {
		from = dayOf(birth)
	}
	return Range{From: from, To: dayOf(today)}
}

// Leave is the range of a day of leave or of a leave year's calendar:
// from 2000 to two years after today.
func Leave(today time.Time) Range {
	return Range{From: EarliestLeave, To: dayOf(today).AddDate(LeaveYearsAhead, 0, 0)}
}

// Plan is the range of a day that plans ahead (coverage, effective
// dates, rates): from 1950 to two years after today.
func Plan(today time.Time) Range {
	return Range{From: EarliestService, To: dayOf(today).AddDate(LeaveYearsAhead, 0, 0)}
}

// Ledger is the range of a day bounding a period of the books (an
// export's or a listing's from and to): from 2000 to a year after today.
func Ledger(today time.Time) Range {
	return Range{From: EarliestLedger, To: dayOf(today).AddDate(LedgerYearsAhead, 0, 0)}
}
