package domain

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// Round is a unit's yearly health-check round: every officer at least once a
// year (DOMAIN.md). Closes is the deadline after which a member without a
// completed check is overdue.
type Round struct {
	ID      string
	UnitID  string
	Year    int
	Opens   time.Time
	Closes  time.Time
	Version int64
}

// Validate checks a round's fields.
func (r Round) Validate(today time.Time) error {
	var ps fielderr.List
	if r.UnitID == "" {
		ps.Add("unit_id", CodeRequired)
	}
	if r.Year < 2000 || r.Year > 9999 {
		ps.Add("year", CodeOutOfRange, 2000, 9999)
	}
	validatePeriod(&ps, r.Opens, r.Closes)
	checkLeaveWindow(&ps, today, "opens", r.Opens)
	checkLeaveWindow(&ps, today, "closes", r.Closes)
	if IsDate(r.Opens) && r.Opens.Year() != r.Year {
		ps.Add("opens", CodeOutOfYear, r.Opens, r.Year)
	}
	if IsDate(r.Closes) && r.Closes.Year() != r.Year {
		ps.Add("closes", CodeOutOfYear, r.Closes, r.Year)
	}
	return ps.Err()
}

// Slot is a bookable time in a round. Booked is kept in the row with
// CHECK (booked <= capacity).
type Slot struct {
	ID       string
	RoundID  string
	StartsAt time.Time
	Capacity int
	Booked   int
	Version  int64
	// Place is where the check takes place (hospital, floor, room); Notes
	// how to prepare (fasting, what to bring). Both are shown to officers.
	Place string
	Notes string
}

// Lengths of a slot's place and preparation notes, in characters.
const (
	MaxPlaceLen = 200
	MaxNotesLen = 1000
)

// Validate checks a slot against its round: it must start inside the round.
func (s Slot) Validate(r Round) error {
	var ps fielderr.List
	if s.StartsAt.IsZero() {
		ps.Add("starts_at", CodeRequired)
	} else if d := shanghaiDate(s.StartsAt); d.Before(r.Opens) || d.After(r.Closes) {
		ps.Add("starts_at", CodeSlotOutOfRound, r.Opens, r.Closes)
	}
	if s.Capacity < 1 || s.Capacity > MaxCapacity {
		ps.Add("capacity", CodeOutOfRange, 1, MaxCapacity)
	}
	if utf8.RuneCountInString(s.Place) > MaxPlaceLen {
		ps.Add("place", CodeTooLong, MaxPlaceLen)
	}
	if utf8.RuneCountInString(s.Notes) > MaxNotesLen {
		ps.Add("notes", CodeTooLong, MaxNotesLen)
	}
	return ps.Err()
}

// shanghaiDate is the Shanghai calendar date of instant t, as midnight UTC.
func shanghaiDate(t time.Time) time.Time {
	y, m, d := t.In(clock.Shanghai).Date()
	return Date(y, m, d)
}

// CheckStatus is the state of a health-check booking.
type CheckStatus string

// Health-check booking states: booked → completed | no_show | cancelled.
const (
	CheckBooked    CheckStatus = "booked"
	CheckCompleted CheckStatus = "completed"
	CheckNoShow    CheckStatus = "no_show"
	CheckCancelled CheckStatus = "cancelled"
)

// MaxResultLen bounds a result summary, in characters.
const MaxResultLen = 4000

// CheckBooking is a member's booking of a slot. Result is the plain summary
// in memory only: the store seals it (pkg/sealed) and only the member and
// the medical caseworker may read it.
type CheckBooking struct {
	ID       string
	RoundID  string
	SlotID   string
	MemberID string
	// MemberName is the member's name as projected, for display only: it
	// stays out of the audit rows that record the booking.
	MemberName  string `json:"-"`
	UnitID      string
	Year        int
	Status      CheckStatus
	Result      string
	CompletedOn time.Time
	Version     int64
}

// BookCheck books member m into slot s of round r on fresh, locked counters.
// A member has at most one live booking per round (booked or completed);
// after a no-show or cancellation they may book again.
func BookCheck(r Round, s Slot, m Member, existing []CheckBooking, id string, today time.Time) (CheckBooking, error) {
	if m.UnitID != r.UnitID {
		return CheckBooking{}, ErrRoundUnitInvalid
	}
	if !m.ActiveOn(today) {
		return CheckBooking{}, ErrMemberInactive
	}
	// Say what really applies: the round's booking period has ended, or
	// this slot is today or past (booking closes the day before a slot).
	if today.After(r.Closes) {
		return CheckBooking{}, Detail(ErrRoundClosed, r.Closes)
	}
	if day := shanghaiDate(s.StartsAt); !day.After(today) {
		return CheckBooking{}, Detail(ErrSlotTooLate, day)
	}
	for _, b := range existing {
		if b.MemberID == m.ID && b.RoundID == r.ID && (b.Status == CheckBooked || b.Status == CheckCompleted) {
			return CheckBooking{}, ErrCheckBooked
		}
	}
	if s.Booked >= s.Capacity {
		return CheckBooking{}, ErrSlotFull
	}
	return CheckBooking{ID: id, RoundID: r.ID, SlotID: s.ID, MemberID: m.ID, MemberName: m.Name, UnitID: m.UnitID, Year: r.Year, Status: CheckBooked, Version: 1}, nil
}

// Complete records the check as done with its result summary. A check in the
// future cannot be completed.
func (b *CheckBooking) Complete(s Slot, summary string, today time.Time) error {
	if b.Status != CheckBooked {
		return ErrCheckState
	}
	var ps fielderr.List
	requireText(&ps, "result", summary, MaxResultLen)
	if err := ps.Err(); err != nil {
		return err
	}
	if shanghaiDate(s.StartsAt).After(today) {
		return ErrCheckNotYetDue
	}
	b.Status, b.Result, b.CompletedOn = CheckCompleted, summary, today
	return nil
}

// NoShow records that the member did not come; the slot's place is not
// given back (the time has passed) and the member stays due.
func (b *CheckBooking) NoShow(s Slot, today time.Time) error {
	if b.Status != CheckBooked {
		return ErrCheckState
	}
	if shanghaiDate(s.StartsAt).After(today) {
		return ErrCheckNotYetDue
	}
	b.Status = CheckNoShow
	return nil
}

// Cancel withdraws a booking before its day; it returns nothing to give back
// but the slot place, which the caller frees.
func (b *CheckBooking) Cancel(s Slot, today time.Time) error {
	if b.Status != CheckBooked {
		return ErrCheckState
	}
	if day := shanghaiDate(s.StartsAt); !day.After(today) {
		return Detail(ErrCancelTooLate, day)
	}
	b.Status = CheckCancelled
	return nil
}

// CheckState is a member's health-check position for a year.
type CheckState string

// Health-check positions.
const (
	StateDone    CheckState = "done"
	StateBooked  CheckState = "booked"
	StateDue     CheckState = "due"
	StateOverdue CheckState = "overdue"
)

// MemberCheckState returns where m stands for year on asOf: done with a
// completed check in the year; else overdue once the deadline (the unit's
// round closing day, or 31 December without a round) has passed; else booked
// or due.
func MemberCheckState(m Member, year int, bookings []CheckBooking, deadline, asOf time.Time) CheckState {
	booked := false
	for _, b := range bookings {
		if b.MemberID != m.ID || b.Year != year {
			continue
		}
		switch b.Status {
		case CheckCompleted:
			return StateDone
		case CheckBooked:
			booked = true
		}
	}
	if deadline.IsZero() {
		deadline = yearEnd(year)
	}
	switch {
	case asOf.After(deadline):
		return StateOverdue
	case booked:
		return StateBooked
	}
	return StateDue
}

// ReminderWindowDays is how long before a unit's round closes its due
// members (no check done or booked) are reminded to book one: from 30 days
// before the deadline up to the deadline itself, once a day (the daily
// reminder job). After the deadline they get the overdue notice instead.
const ReminderWindowDays = 30

// RemindBefore reports whether a member still due on asOf is within the
// reminder window of deadline: at most ReminderWindowDays days before it,
// and not past it. Both are dates (midnight UTC).
func RemindBefore(deadline, asOf time.Time) bool {
	return !asOf.After(deadline) && !asOf.Before(deadline.AddDate(0, 0, -ReminderWindowDays))
}

// Compliance is a unit's health-check figure for the committee.
type Compliance struct {
	UnitID  string
	Year    int
	Active  int
	Done    int
	Booked  int
	Due     int
	Overdue []string // member ids, sorted
	// OverdueMembers are the same members in the same order, with names.
	OverdueMembers []MemberRef
	// DueMembers are the ids of the Due members (neither done nor booked,
	// deadline ahead), sorted: the ones a reminder may go to.
	DueMembers []string
	// BasisPoints is Done ÷ Active in hundredths of a percent, rounded half
	// up (8750 = 87.50%); 10000 for a unit with no active member.
	BasisPoints int
}

// UnitCompliance counts, for each unit, the members active on asOf (or on
// the year's last day for a past year) and where they stand. deadlines holds
// each unit's round closing day.
func UnitCompliance(members []Member, bookings []CheckBooking, year int, deadlines map[string]time.Time, asOf time.Time) []Compliance {
	on := minDate(asOf, yearEnd(year))
	byMember := map[string][]CheckBooking{}
	for _, b := range bookings {
		if b.Year == year {
			byMember[b.MemberID] = append(byMember[b.MemberID], b)
		}
	}
	byUnit := map[string]*Compliance{}
	for _, m := range members {
		if !m.ActiveOn(on) {
			continue
		}
		c := byUnit[m.UnitID]
		if c == nil {
			c = &Compliance{UnitID: m.UnitID, Year: year}
			byUnit[m.UnitID] = c
		}
		c.Active++
		switch MemberCheckState(m, year, byMember[m.ID], deadlines[m.UnitID], asOf) {
		case StateDone:
			c.Done++
		case StateBooked:
			c.Booked++
		case StateDue:
			c.Due++
			c.DueMembers = append(c.DueMembers, m.ID)
		case StateOverdue:
			c.OverdueMembers = append(c.OverdueMembers, m.Ref())
		}
	}
	out := make([]Compliance, 0, len(byUnit))
	for _, c := range byUnit {
		slices.SortFunc(c.OverdueMembers, func(a, b MemberRef) int { return strings.Compare(a.ID, b.ID) })
		slices.Sort(c.DueMembers)
		for _, m := range c.OverdueMembers {
			c.Overdue = append(c.Overdue, m.ID)
		}
		c.BasisPoints = BasisPoints(c.Done, c.Active)
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b Compliance) int {
		switch {
		case a.UnitID < b.UnitID:
			return -1
		case a.UnitID > b.UnitID:
			return 1
		}
		return 0
	})
	return out
}

// BasisPoints is part ÷ whole in hundredths of a percent, rounded half up,
// in integers (no float); 10000 when whole is 0.
func BasisPoints(part, whole int) int {
	if whole <= 0 {
		return 10000
	}
	return (part*20000 + whole) / (2 * whole)
}
