package domain

import "time"

// Date returns the calendar date y-m-d as midnight UTC, the form every date
// in this package takes.
func Date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// IsDate reports whether t is a bare date (midnight UTC). Inputs that carry a
// time of day or another zone are rejected rather than truncated, because a
// silent truncation moves a Shanghai date by one day.
func IsDate(t time.Time) bool {
	return t.Location() == time.UTC && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// yearStart and yearEnd bound the leave year, which is the calendar year
// (DOMAIN.md, "Leave year is the calendar year").
func yearStart(y int) time.Time { return Date(y, time.January, 1) }
func yearEnd(y int) time.Time   { return Date(y, time.December, 31) }

// daysBetween counts calendar days from a to b inclusive (0 when b < a).
func daysBetween(a, b time.Time) int {
	if b.Before(a) {
		return 0
	}
	return int(b.Sub(a)/(24*time.Hour)) + 1
}

func maxDate(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minDate(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// firstOfNextMonth is where a civil servant's new band starts.
func firstOfNextMonth(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC)
}
