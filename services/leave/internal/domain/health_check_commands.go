package domain

import (
	"fmt"
	"time"
)

// The health-check commands: planning a round and its slots, and the
// steps on a booking (complete, no-show, cancel) with who may take each.
// The application layer (internal/commands) runs them on the state the
// store reads in the command's transaction, and the store saves what they
// return with the audit row.

// NewRound is the planned round in, checked on today and given its id, as
// the store saves it.
func NewRound(in Round, id string, today time.Time) (Round, error) {
	if err := in.Validate(today); err != nil {
		return Round{}, err
	}
	in.ID, in.Version = id, 1
	return in, nil
}

// NewSlot is slot in of round r, checked against r and given its id, as
// the store saves it.
func NewSlot(r Round, in Slot, id string) (Slot, error) {
	if err := in.Validate(r); err != nil {
		return Slot{}, err
	}
	in.ID, in.RoundID, in.Booked, in.Version = id, r.ID, 0, 1
	return in, nil
}

// The steps on a health-check booking besides ActionCancel.
const (
	CheckActionComplete = "complete"
	CheckActionNoShow   = "no_show"
)

// RoundDeadlines is each unit's deadline of the year: the closing day of
// its round.
func RoundDeadlines(rounds []Round) map[string]time.Time {
	out := make(map[string]time.Time, len(rounds))
	for _, r := range rounds {
		out[r.UnitID] = r.Closes
	}
	return out
}

// CheckDecision is one step on a health-check booking: the action
// (CheckActionComplete, CheckActionNoShow or ActionCancel), the caller
// taking it (their roles as they hold them in the booking's unit) and, to
// complete, the result summary.
type CheckDecision struct {
	Action string
	By     Caller
	Result string
}

// CheckChange is what a step did beyond the booking's new state.
type CheckChange struct {
	// FreesPlace: the slot's place is given back (a cancellation).
	FreesPlace bool
}

// Permits reports whether c may take action on b: a medical caseworker of
// the unit records the result; a caseworker or medical caseworker of the
// unit marks a no-show; the member or one of those cancels.
func (b CheckBooking) Permits(action string, c Caller) bool {
	staff := c.Caseworker || c.Medical
	switch action {
	case CheckActionComplete:
		return c.Medical
	case CheckActionNoShow:
		return staff
	case ActionCancel:
		return c.owns(b.MemberID) || staff
	}
	return false
}

// MayReadResult reports whether c may read b's result: the member and the
// medical caseworkers of the unit only (sensitive health data).
func (b CheckBooking) MayReadResult(c Caller) bool {
	return c.owns(b.MemberID) || c.Medical
}

// Decide takes step d on b, whose slot is s, on today (the Shanghai date).
// A caller d.By may not take the step is ErrForbidden; on any error b is
// unchanged.
func (b *CheckBooking) Decide(d CheckDecision, s Slot, today time.Time) (CheckChange, error) {
	if !b.Permits(d.Action, d.By) {
		return CheckChange{}, ErrForbidden
	}
	switch d.Action {
	case CheckActionComplete:
		return CheckChange{}, b.Complete(s, d.Result, today)
	case CheckActionNoShow:
		return CheckChange{}, b.NoShow(s, today)
	case ActionCancel:
		if err := b.Cancel(s, today); err != nil {
			return CheckChange{}, err
		}
		return CheckChange{FreesPlace: true}, nil
	}
	return CheckChange{}, fmt.Errorf("health check: unknown action %q", d.Action)
}

// ReminderKind is the notice a member gets about their health check.
type ReminderKind string

// The notices: before the deadline (healthcheck.reminder) and after it
// (healthcheck.overdue).
const (
	ReminderDue     ReminderKind = "healthcheck.reminder"
	ReminderOverdue ReminderKind = "healthcheck.overdue"
)

// Reminder is one notice to send: to whom, which, and the deadline it
// names.
type Reminder struct {
	MemberID string
	UnitID   string
	Kind     ReminderKind
	Deadline time.Time
}

// Reminders are the notices of year due on today, unit by unit as comp
// lists them: every overdue member is told so, and every member still due
// (nothing done or booked) is reminded while their unit's round closes
// within ReminderWindowDays days. A unit without a round (deadlines has
// none for it) has 31 December as its deadline and gets no reminder, as
// there is nothing to book. The store sends each member at most one a day.
func Reminders(comp []Compliance, deadlines map[string]time.Time, year int, today time.Time) []Reminder {
	var out []Reminder
	for _, c := range comp {
		deadline, hasRound := deadlines[c.UnitID]
		if !hasRound {
			deadline = Date(year, time.December, 31)
		}
		for _, id := range c.Overdue {
			out = append(out, Reminder{MemberID: id, UnitID: c.UnitID, Kind: ReminderOverdue, Deadline: deadline})
		}
		if !hasRound || !RemindBefore(deadline, today) {
			continue
		}
		for _, id := range c.DueMembers {
			out = append(out, Reminder{MemberID: id, UnitID: c.UnitID, Kind: ReminderDue, Deadline: deadline})
		}
	}
	return out
}
