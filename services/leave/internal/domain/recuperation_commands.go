package domain

import (
	"maps"
	"slices"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// The recuperation commands: the catalogue (facilities, sessions, unit
// quotas) and the bookings, with what each does to a session's places.
// The application layer (internal/commands) runs them on the state the
// store reads under lock in the command's transaction; the store saves
// what they return, counts each place taken or freed against the session
// and the unit's quota (its CHECKs standing behind the decision), and the
// application layer announces each place taken (recuperation.booked).

// NewFacility is the facility in, checked, active and given its id, as the
// store saves it.
func NewFacility(in Facility, id string) (Facility, error) {
	if err := in.Validate(); err != nil {
		return Facility{}, err
	}
	in.ID, in.Active, in.Version = id, true, 1
	return in, nil
}

// NewSession is the session in, checked on today and given its id, with no
// place booked yet, as the store saves it.
func NewSession(in Session, id string, today time.Time) (Session, error) {
	if err := in.Validate(today); err != nil {
		return Session{}, err
	}
	in.ID, in.Booked, in.Version = id, 0, 1
	return in, nil
}

// CheckPlaces checks a unit quota's number of places.
func CheckPlaces(n int) error {
	if n < 0 || n > MaxCapacity {
		return fielderr.Fail("places", CodeOutOfRange, 0, MaxCapacity)
	}
	return nil
}

// SetPlaces changes the quota's places; it cannot drop below the places
// already used.
func (q *Quota) SetPlaces(n int) error {
	if err := CheckPlaces(n); err != nil {
		return err
	}
	if n < q.Used {
		return Detail(ErrCapacityBelowUsed, q.Used)
	}
	q.Places = n
	return nil
}

// HasFreePlace reports whether the session has a place nobody holds.
func (s Session) HasFreePlace() bool { return s.Booked < s.Capacity }

// Placement is a booking that takes a place: one of its session's and one
// of its unit's quota for the year, announced as recuperation.booked.
type Placement struct {
	// Booking is the booking as it is saved: confirmed; one moved up from
	// the waitlist has its version one up.
	Booking Booking
	// FromWaitlist: the booking waited and moves up now.
	FromWaitlist bool
}

// PlaceChange is what a recuperation command did to a session's places.
type PlaceChange struct {
	// Frees: the booking held a place, which it gives back to the session
	// and to its unit's quota.
	Frees bool
	// Placed are the bookings that take a place, in order.
	Placed []Placement
}

// NewBooking decides a new booking (Book) and the place it takes when it
// is confirmed at once.
func NewBooking(pp PriorityPolicy, s Session, quota *Quota, m Member, existing []Booking, id, by string, today, now time.Time) (Booking, PlaceChange, error) {
	b, err := Book(pp, s, quota, m, existing, id, by, today, now)
	if err != nil {
		return Booking{}, PlaceChange{}, err
	}
	var ch PlaceChange
	if b.Status == BookingConfirmed {
		ch.Placed = []Placement{{Booking: b}}
	}
	return b, ch, nil
}

// MayCancel reports whether c may withdraw b: the member, or a caseworker
// of the member's unit.
func (b Booking) MayCancel(c Caller) bool { return c.owns(b.MemberID) || c.Caseworker }

// Withdraw cancels b for c before its session s (read under lock) begins.
// A confirmed booking's place is freed: s counts one booked less, and the
// change says so; the caller then offers the place to the waitlist
// (FillFrom). A caller who may not is ErrForbidden; on any error b and s
// are unchanged.
func (b *Booking) Withdraw(c Caller, s *Session, today time.Time) (PlaceChange, error) {
	if !b.MayCancel(c) {
		return PlaceChange{}, ErrForbidden
	}
	held, err := b.Cancel(today, *s)
	if err != nil {
		return PlaceChange{}, err
	}
	if !held {
		return PlaceChange{}, nil
	}
	s.Booked--
	return PlaceChange{Frees: true}, nil
}

// Waitlist is a session's waiting bookings and the quotas of their units
// for the session's year (a unit without a quota is missing), read under
// lock.
type Waitlist struct {
	Waiting []Booking
	Quotas  map[string]Quota
}

// FillFrom moves waiting bookings up while s has a free place: each time
// the first in WaitlistOrder whose unit has a quota place left
// (NextFromWaitlist). It counts the places in s and returns the bookings
// that take them, in order.
func (s *Session) FillFrom(w Waitlist) []Placement {
	waiting := slices.Clone(w.Waiting)
	quotas := maps.Clone(w.Quotas)
	var out []Placement
	for s.HasFreePlace() {
		next, ok := NextFromWaitlist(waiting, quotas)
		if !ok {
			break
		}
		waiting = slices.DeleteFunc(waiting, func(b Booking) bool { return b.ID == next.ID })
		q := quotas[next.UnitID]
		q.Used++
		quotas[next.UnitID] = q
		s.Booked++
		next.Version++
		out = append(out, Placement{Booking: next, FromWaitlist: true})
	}
	return out
}
