package domain

import (
	"slices"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// Facility is a recuperation centre (疗养院).
type Facility struct {
	ID       string
	Name     string
	Location string
	Active   bool
	Version  int64
}

// MaxNameLen bounds names, in characters.
const MaxNameLen = 200

// Validate checks a facility's fields.
func (f Facility) Validate() error {
	var ps fielderr.List
	requireText(&ps, "name", f.Name, MaxNameLen)
	if len([]rune(f.Location)) > MaxNameLen {
		ps.Add("location", CodeTooLong, MaxNameLen)
	}
	return ps.Err()
}

func requireText(ps *fielderr.List, field, v string, maxLen int) {
	switch {
	case v == "":
		ps.Add(field, CodeRequired)
	case len([]rune(v)) > maxLen:
		ps.Add(field, CodeTooLong, maxLen)
	}
}

// Session is one stay at a facility for a fixed period and number of places.
type Session struct {
	ID         string
	FacilityID string
	From, To   time.Time
	Capacity   int
	// Booked counts confirmed places. The store keeps it in the session row
	// with CHECK (booked <= capacity), so no interleaving of concurrent
	// bookings can overbook.
	Booked  int
	Version int64
}

// MaxCapacity bounds a session's or slot's places.
const MaxCapacity = 10000

// Validate checks a session's fields.
func (s Session) Validate(today time.Time) error {
	var ps fielderr.List
	if s.FacilityID == "" {
		ps.Add("facility_id", CodeRequired)
	}
	validatePeriod(&ps, s.From, s.To)
	checkLeaveWindow(&ps, today, "from", s.From)
	checkLeaveWindow(&ps, today, "to", s.To)
	if s.Capacity < 1 || s.Capacity > MaxCapacity {
		ps.Add("capacity", CodeOutOfRange, 1, MaxCapacity)
	}
	return ps.Err()
}

// SetCapacity changes the places; it cannot drop below those already booked.
func (s *Session) SetCapacity(n int) error {
	if n < 1 || n > MaxCapacity {
		return fielderr.Fail("capacity", CodeOutOfRange, 1, MaxCapacity)
	}
	if n < s.Booked {
		return Detail(ErrCapacityBelowUsed, s.Booked)
	}
	s.Capacity = n
	return nil
}

// Quota is a unit's recuperation places for a year (local: configurable).
// Used is kept in the row with CHECK (used <= places).
type Quota struct {
	Year    int
	UnitID  string
	Places  int
	Used    int
	Version int64
}

// PriorityPolicy weighs who goes first when places are short: frontline
// officers, officers injured on duty, martyr families and long service
// (DOMAIN.md; the weights are local and configurable).
type PriorityPolicy struct {
	MartyrFamily  int
	InjuredOnDuty int
	Frontline     int
	LongService   int
	// LongServiceYears is the service from which LongService applies.
	LongServiceYears int
}

// DefaultPriorityPolicy returns the documented local defaults.
func DefaultPriorityPolicy() PriorityPolicy {
	return PriorityPolicy{MartyrFamily: 40, InjuredOnDuty: 30, Frontline: 20, LongService: 10, LongServiceYears: 20}
}

// Priority step codes.
const (
	StepPriorityMartyr   = "leave.recuperation.priority.martyr_family"
	StepPriorityInjured  = "leave.recuperation.priority.injured_on_duty"
	StepPriorityFront    = "leave.recuperation.priority.frontline"
	StepPriorityService  = "leave.recuperation.priority.long_service"
	StepPriorityStandard = "leave.recuperation.priority.standard"
)

// Score returns the member's priority on day d and why.
func (p PriorityPolicy) Score(m Member, d time.Time) (int, []Step) {
	score := 0
	var steps []Step
	add := func(ok bool, w int, code string, args ...any) {
		if ok && w != 0 {
			score += w
			steps = append(steps, Step{Code: code, Args: append(args, w)})
		}
	}
	add(m.MartyrFamily, p.MartyrFamily, StepPriorityMartyr)
	add(m.InjuredOnDuty, p.InjuredOnDuty, StepPriorityInjured)
	add(m.Frontline, p.Frontline, StepPriorityFront)
	years := m.ServiceYears(d)
	add(p.LongServiceYears > 0 && years >= p.LongServiceYears, p.LongService, StepPriorityService, years)
	if len(steps) == 0 {
		steps = append(steps, Step{Code: StepPriorityStandard})
	}
	return score, steps
}

// BookingStatus is the state of a recuperation booking.
type BookingStatus string

// Booking states: confirmed holds a place and a quota place; waitlisted waits
// for one; cancelled is final and frees what it held.
const (
	BookingConfirmed  BookingStatus = "confirmed"
	BookingWaitlisted BookingStatus = "waitlisted"
	BookingCancelled  BookingStatus = "cancelled"
)

// Booking is a member's request for a place in a session.
type Booking struct {
	ID        string
	SessionID string
	MemberID  string
	// MemberName is the member's name as projected, for display only: it
	// stays out of the audit rows that record the booking.
	MemberName string `json:"-"`
	UnitID     string
	Year       int
	Status     BookingStatus
	// WaitReason is the catalogue code of why it waits (session full or unit
	// quota used up).
	WaitReason  string
	Priority    int
	RequestedBy string
	RequestedAt time.Time
	Version     int64
}

// Book decides a new booking on fresh, locked counters: confirmed when the
// session has a free place and the unit's quota a free place, else
// waitlisted with the reason. The caller increments both counters in the
// same transaction. quota is nil when the unit has no quota for the year.
func Book(pp PriorityPolicy, s Session, quota *Quota, m Member, existing []Booking, id, by string, today, now time.Time) (Booking, error) {
	if !m.ActiveOn(today) {
		return Booking{}, ErrMemberInactive
	}
	if !today.Before(s.From) {
		return Booking{}, Detail(ErrSessionClosed, s.From)
	}
	for _, b := range existing {
		if b.MemberID == m.ID && b.SessionID == s.ID && b.Status != BookingCancelled {
			return Booking{}, ErrAlreadyBooked
		}
	}
	score, _ := pp.Score(m, today)
	b := Booking{
		ID: id, SessionID: s.ID, MemberID: m.ID, MemberName: m.Name, UnitID: m.UnitID, Year: s.From.Year(),
		Priority: score, RequestedBy: by, RequestedAt: now, Version: 1,
	}
	switch {
	case s.Booked >= s.Capacity:
		b.Status, b.WaitReason = BookingWaitlisted, ErrSessionFull.code
	case quota == nil || quota.Used >= quota.Places:
		b.Status, b.WaitReason = BookingWaitlisted, ErrQuotaExhausted.code
	default:
		b.Status = BookingConfirmed
	}
	return b, nil
}

// Cancel withdraws a booking; it returns true when it held a place, which the
// caller then frees and offers to the waitlist (NextFromWaitlist).
func (b *Booking) Cancel(today time.Time, s Session) (bool, error) {
	if b.Status == BookingCancelled {
		return false, ErrBookingState
	}
	if !today.Before(s.From) {
		return false, Detail(ErrSessionClosed, s.From)
	}
	held := b.Status == BookingConfirmed
	b.Status, b.WaitReason = BookingCancelled, ""
	return held, nil
}

// WaitlistOrder sorts waiting bookings: highest priority first, then first
// come, then id for a stable order.
func WaitlistOrder(a, b Booking) int {
	if a.Priority != b.Priority {
		return b.Priority - a.Priority
	}
	if c := a.RequestedAt.Compare(b.RequestedAt); c != 0 {
		return c
	}
	switch {
	case a.ID < b.ID:
		return -1
	case a.ID > b.ID:
		return 1
	}
	return 0
}

// NextFromWaitlist picks the waiting booking to confirm when a place frees:
// the first in WaitlistOrder whose unit still has a quota place. ok is false
// when nobody can move up.
func NextFromWaitlist(waiting []Booking, quotas map[string]Quota) (Booking, bool) {
	w := slices.Clone(waiting)
	slices.SortFunc(w, WaitlistOrder)
	for _, b := range w {
		if b.Status != BookingWaitlisted {
			continue
		}
		if q, ok := quotas[b.UnitID]; ok && q.Used < q.Places {
			b.Status, b.WaitReason = BookingConfirmed, ""
			return b, true
		}
	}
	return Booking{}, false
}
