package domain

import (
	"fmt"
	"math/bits"
	"slices"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// WorkCalendar is one year's working days: weekdays are working days and
// weekends rest days, except the statutory holidays (off) and the weekend
// days made working days (调休, work) of the State Council's notice for the
// year. Leave counts working days only (Regulation art. 3: public holidays and
// rest days are not leave days).
//
// The year is compiled into a bitmap with a running count per 64-day word, so
// counting the working days of any range is two popcounts: leave requests show
// their cost while the user is still typing.
type WorkCalendar struct {
	year   int
	off    []time.Time
	work   []time.Time
	bits   [6]uint64 // bit i: day-of-year i (0-based) is a working day
	prefix [7]uint16 // working days before word i
	// provisional is true for a year whose official calendar nobody has
	// entered yet: weekdays work, weekends rest, no holidays.
	provisional bool
}

// ProvisionalCalendar is the calendar used for a year the State Council's
// notice has not been entered for: weekends only. Days counted with it may
// change once the official calendar is in, so what is counted with it says
// so (Provisional).
func ProvisionalCalendar(year int) *WorkCalendar {
	c := &WorkCalendar{year: year, provisional: true}
	c.compile()
	return c
}

// Provisional reports whether the calendar is ProvisionalCalendar's.
func (c *WorkCalendar) Provisional() bool { return c.provisional }

// WithProvisional fills each of years that has no calendar with the
// provisional one, for years from firstProvisional on (a past year without
// a calendar stays missing: its days were worked, not guessed).
func (cs Calendars) WithProvisional(firstProvisional int, years ...int) Calendars {
	out := make(Calendars, len(cs)+len(years))
	for y, c := range cs {
		out[y] = c
	}
	for _, y := range years {
		if _, ok := out[y]; !ok && y >= firstProvisional && y <= 9999 {
			out[y] = ProvisionalCalendar(y)
		}
	}
	return out
}

// Provisional reports whether any year of [from, to] is counted with a
// provisional calendar.
func (cs Calendars) Provisional(from, to time.Time) bool {
	for y := from.Year(); y <= to.Year(); y++ {
		if c, ok := cs[y]; ok && c.provisional {
			return true
		}
	}
	return false
}

// NewWorkCalendar validates and compiles a year's calendar. Every problem is
// reported at once, by field ("off[3]", "work[0]").
func NewWorkCalendar(year int, off, work []time.Time) (*WorkCalendar, error) {
	var ps fielderr.List
	if year < 1900 || year > 9999 {
		ps.Add("year", CodeOutOfRange, 1900, 9999)
		return nil, ps.Err()
	}
	seen := map[time.Time]string{}
	check := func(field string, list []time.Time, mustBeWeekend bool) {
		for i, d := range list {
			name := fmt.Sprintf("%s[%d]", field, i)
			switch {
			case !IsDate(d):
				ps.Add(name, CodeNotDate)
				continue
			case d.Year() != year:
				ps.Add(name, CodeOutOfYear, d, year)
				continue
			case mustBeWeekend && !isWeekend(d):
				ps.Add(name, CodeNotWeekend, d)
			}
			if prev, dup := seen[d]; dup {
				if prev == field {
					ps.Add(name, CodeDuplicate)
				} else {
					ps.Add(name, CodeOffAndWork, d)
				}
				continue
			}
			seen[d] = field
		}
	}
	check("off", off, false)
	check("work", work, true)
	if err := ps.Err(); err != nil {
		return nil, err
	}
	c := &WorkCalendar{year: year, off: sortedDates(off), work: sortedDates(work)}
	c.compile()
	return c, nil
}

func isWeekend(d time.Time) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

func sortedDates(in []time.Time) []time.Time {
	out := slices.Clone(in)
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

func (c *WorkCalendar) compile() {
	start := yearStart(c.year)
	n := daysBetween(start, yearEnd(c.year))
	for i := range n {
		if !isWeekend(start.AddDate(0, 0, i)) {
			c.bits[i/64] |= 1 << (i % 64)
		}
	}
	for _, d := range c.off {
		i := d.YearDay() - 1
		c.bits[i/64] &^= 1 << (i % 64)
	}
	for _, d := range c.work {
		i := d.YearDay() - 1
		c.bits[i/64] |= 1 << (i % 64)
	}
	for w := range c.bits {
		c.prefix[w+1] = c.prefix[w] + uint16(bits.OnesCount64(c.bits[w]))
	}
}

// Year is the calendar year.
func (c *WorkCalendar) Year() int { return c.year }

// Off returns the listed non-working days, ascending.
func (c *WorkCalendar) Off() []time.Time { return slices.Clone(c.off) }

// Work returns the weekend days made working days, ascending.
func (c *WorkCalendar) Work() []time.Time { return slices.Clone(c.work) }

// WorkingDaysInYear is the number of working days of the year.
func (c *WorkCalendar) WorkingDaysInYear() int { return int(c.prefix[6]) }

// IsWorkingDay reports whether d (in the calendar's year) is a working day.
func (c *WorkCalendar) IsWorkingDay(d time.Time) bool {
	if d.Year() != c.year {
		return false
	}
	i := d.YearDay() - 1
	return c.bits[i/64]&(1<<(i%64)) != 0
}

// rank counts working days from 1 January to day-of-year index i inclusive.
func (c *WorkCalendar) rank(i int) int {
	w, b := i/64, uint(i%64)
	mask := uint64(1)<<b | (uint64(1)<<b - 1)
	return int(c.prefix[w]) + bits.OnesCount64(c.bits[w]&mask)
}

// CountWorkingDays counts the working days from `from` to `to` inclusive.
// Both must be dates in the calendar's year, from not after to.
func (c *WorkCalendar) CountWorkingDays(from, to time.Time) (int, error) {
	if from.Year() != c.year || to.Year() != c.year {
		return 0, Detail(ErrDateOutOfYear, c.year)
	}
	if to.Before(from) {
		return 0, fielderr.Fail("to", CodeDateOrder)
	}
	n := c.rank(to.YearDay() - 1)
	if i := from.YearDay() - 1; i > 0 {
		n -= c.rank(i - 1)
	}
	return n, nil
}

// Calendars is the set of maintained calendars by year.
type Calendars map[int]*WorkCalendar

// CountWorkingDays counts working days of a range that may cross years; every
// year touched must have a calendar, since guessing the holidays of a year the
// State Council has not announced would be wrong.
func (cs Calendars) CountWorkingDays(from, to time.Time) (int, error) {
	if to.Before(from) {
		return 0, fielderr.Fail("to", CodeDateOrder)
	}
	total := 0
	for y := from.Year(); y <= to.Year(); y++ {
		c, ok := cs[y]
		if !ok {
			return 0, Detail(ErrCalendarMissing, y)
		}
		n, err := c.CountWorkingDays(maxDate(from, yearStart(y)), minDate(to, yearEnd(y)))
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}
