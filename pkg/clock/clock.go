// Package clock is the injectable source of "now". Every deadline, SLA or
// expiry in Anxin is computed from a Clock so that tests can move time
// forward instead of sleeping.
package clock

import (
	"sync"
	"time"
)

// Clock tells the current time.
type Clock interface {
	Now() time.Time
}

// System is the wall clock, in UTC.
type System struct{}

// Now returns the current wall-clock time in UTC.
func (System) Now() time.Time { return time.Now().UTC() }

// Fake is a clock that only moves when told to. The zero value starts at the
// zero time; use NewFake for a useful start. It is safe for concurrent use.
type Fake struct {
	mu  sync.Mutex
	now time.Time
}

// NewFake returns a Fake clock set to t (converted to UTC).
func NewFake(t time.Time) *Fake { return &Fake{now: t.UTC()} }

// Now returns the fake current time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Advance moves the fake clock forward by d.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

// Set moves the fake clock to t.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = t.UTC()
}

// Shanghai is the zone every date is shown in. The tz database is embedded
// through time/tzdata in main so a bare container still knows it.
var Shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// China has had no DST since 1991: a fixed +08:00 zone is exact for
		// every date Anxin deals with.
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}

// Local converts t to Asia/Shanghai for display.
func Local(t time.Time) time.Time { return t.In(Shanghai) }

// Today returns the calendar date in Asia/Shanghai at c's current instant,
// as midnight UTC of that date (the form dates are stored in).
func Today(c Clock) time.Time {
	y, m, d := c.Now().In(Shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
