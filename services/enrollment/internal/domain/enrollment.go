package domain

import (
	"fmt"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// EnrollmentStatus is where an enrollment period stands.
type EnrollmentStatus string

// Enrollment statuses. Lapsed and ended are final: re-enrollment is a new
// enrollment, never an edit of a closed one.
const (
	EnrollmentActive EnrollmentStatus = "active"
	// EnrollmentLapsed means cover stopped early for want of payment or
	// eligibility (e.g. an auxiliary officer moved off a high-risk post).
	EnrollmentLapsed EnrollmentStatus = "lapsed"
	// EnrollmentEnded means cover stopped because the member left, retired
	// or died, or was ended by a caseworker.
	EnrollmentEnded EnrollmentStatus = "ended"
)

// EndReason says why an enrollment closed.
type EndReason string

// End reasons.
const (
	EndNonPayment     EndReason = "non_payment"      // lapse
	EndIneligible     EndReason = "ineligible"       // lapse
	EndMemberLeft     EndReason = "member_left"      // end
	EndMemberRetired  EndReason = "member_retired"   // end
	EndMemberDeceased EndReason = "member_deceased"  // end
	EndByCaseworker   EndReason = "ended_by_request" // end
)

// lapses reports whether the reason closes the period as a lapse.
func (r EndReason) lapses() bool { return r == EndNonPayment || r == EndIneligible }

// Valid reports whether r is a known reason.
func (r EndReason) Valid() bool {
	switch r {
	case EndNonPayment, EndIneligible, EndMemberLeft, EndMemberRetired, EndMemberDeceased, EndByCaseworker:
		return true
	}
	return false
}

// Enrollment is a member in a plan for a period. Periods of one member in
// one scheme never overlap (checked here and by an exclusion constraint in
// PostgreSQL).
type Enrollment struct {
	ID       string
	MemberID string
	PlanID   string
	Scheme   SchemeCode
	PlanYear int
	Period   Period
	// CoveredFrom is the first day claims are paid: the period start plus
	// the plan's waiting period, or the start itself when the member was
	// covered by the same scheme the day before (a renewal waits no
	// second time).
	CoveredFrom time.Time
	Status      EnrollmentStatus
	EndReason   EndReason
	Version     int64
}

// EnrollmentEventKind names a dated fact in an enrollment's life.
type EnrollmentEventKind string

// Enrollment event kinds.
const (
	EventActivated EnrollmentEventKind = "activated"
	EventLapsed    EnrollmentEventKind = "lapsed"
	EventEnded     EnrollmentEventKind = "ended"
)

// EnrollmentEvent is an append-only record of what happened to an
// enrollment and from which day.
type EnrollmentEvent struct {
	EnrollmentID string
	Kind         EnrollmentEventKind
	// On is the first covered day for activation, the last covered day for
	// a lapse or an end.
	On     time.Time
	Reason EndReason
}

// Enroll puts member m in plan pl from start to the end of the plan's
// coverage. existing are the member's other enrollments (any scheme); the
// new period may not overlap one in the same scheme.
func Enroll(id string, m *Member, pl Plan, start time.Time, existing []Enrollment) (Enrollment, EnrollmentEvent, error) {
	start = dateOf(start)
	if err := pl.Eligible(m); err != nil {
		return Enrollment{}, EnrollmentEvent{}, err
	}
	var p fielderr.List
	switch {
	case start.IsZero():
		p.Add("start", "enrollment.required")
	case !pl.Coverage.Contains(start):
		p.Add("start", "enrollment.start_outside_plan", isoDate(pl.Coverage.From), isoDate(pl.Coverage.To))
	case start.Before(m.HireDate):
		p.Add("start", "enrollment.start_before_hire")
	}
	if err := p.Err(); err != nil {
		return Enrollment{}, EnrollmentEvent{}, err
	}
	period := Period{From: start, To: pl.Coverage.To}
	coveredFrom := start.AddDate(0, 0, pl.WaitingDays)
	for _, e := range existing {
		if e.MemberID != m.ID || e.Scheme != pl.Scheme || e.Voided() {
			continue
		}
		if e.Period.Overlaps(period) {
			return Enrollment{}, EnrollmentEvent{}, fmt.Errorf("enroll member %s in plan %s: %w", m.ID, pl.ID, ErrOverlap)
		}
		if e.Period.To.AddDate(0, 0, 1).Equal(start) {
			coveredFrom = start
		}
	}
	en := Enrollment{
		ID: id, MemberID: m.ID, PlanID: pl.ID, Scheme: pl.Scheme, PlanYear: pl.Year,
		Period: period, CoveredFrom: coveredFrom, Status: EnrollmentActive, Version: 1,
	}
	return en, EnrollmentEvent{EnrollmentID: id, Kind: EventActivated, On: start}, nil
}

// Close ends or lapses the enrollment; lastDay is the last covered day.
// A non-payment or ineligibility reason lapses it, any other ends it.
func (e *Enrollment) Close(lastDay time.Time, reason EndReason) (EnrollmentEvent, error) {
	if e.Status != EnrollmentActive {
		return EnrollmentEvent{}, fmt.Errorf("close enrollment %s: %w", e.ID, ErrEnrollmentClosed)
	}
	lastDay = dateOf(lastDay)
	var p fielderr.List
	if !reason.Valid() {
		p.Add("reason", "enrollment.end_reason_unknown", string(reason))
	}
	switch {
	case lastDay.IsZero():
		p.Add("last_day", "enrollment.required")
	case !e.Period.Contains(lastDay):
		p.Add("last_day", "enrollment.last_day_outside_period", isoDate(e.Period.From), isoDate(e.Period.To))
	}
	if err := p.Err(); err != nil {
		return EnrollmentEvent{}, err
	}
	kind, status := EventEnded, EnrollmentEnded
	if reason.lapses() {
		kind, status = EventLapsed, EnrollmentLapsed
	}
	e.Period.To, e.Status, e.EndReason = lastDay, status, reason
	return EnrollmentEvent{EnrollmentID: e.ID, Kind: kind, On: lastDay, Reason: reason}, nil
}

// Void ends an active enrollment that has not begun: a renewal from next
// January for a member who leaves in December never covers a day. The
// period keeps its first day (PostgreSQL ranges are never empty here) and
// CoveredFrom moves past it, which is how a void enrollment is recognised
// (Voided reports true; CoverageOn never counts it). The fact's date is the day before
// the period, the last day it could have covered.
func (e *Enrollment) Void(reason EndReason) (EnrollmentEvent, error) {
	if e.Status != EnrollmentActive {
		return EnrollmentEvent{}, fmt.Errorf("void enrollment %s: %w", e.ID, ErrEnrollmentClosed)
	}
	if !reason.Valid() {
		return EnrollmentEvent{}, fielderr.Fail("reason", "enrollment.end_reason_unknown", string(reason))
	}
	e.Period.To = e.Period.From
	e.CoveredFrom = e.Period.From.AddDate(0, 0, 1)
	e.Status, e.EndReason = EnrollmentEnded, reason
	if reason.lapses() {
		e.Status = EnrollmentLapsed
	}
	kind := EventEnded
	if reason.lapses() {
		kind = EventLapsed
	}
	return EnrollmentEvent{EnrollmentID: e.ID, Kind: kind, On: e.Period.From.AddDate(0, 0, -1), Reason: reason}, nil
}

// Voided reports whether the enrollment was ended before it covered any
// day.
func (e Enrollment) Voided() bool { return e.CoveredFrom.After(e.Period.To) }

// EndForMember closes the member's active enrollments after a change of
// status: the day of death, retirement or leaving is the last covered day,
// so a member who dies on duty was covered on the day they died.
// Enrollments starting after that day are voided: they never cover a day.
func EndForMember(m *Member, enrollments []Enrollment) ([]Enrollment, []EnrollmentEvent, error) {
	var reason EndReason
	switch m.Status {
	case StatusDeceased:
		reason = EndMemberDeceased
	case StatusRetired:
		reason = EndMemberRetired
	case StatusLeft:
		reason = EndMemberLeft
	default:
		return nil, nil, nil
	}
	var changed []Enrollment
	var events []EnrollmentEvent
	for _, e := range enrollments {
		if e.MemberID != m.ID || e.Status != EnrollmentActive || e.Period.To.Before(m.StatusDate) {
			continue
		}
		var ev EnrollmentEvent
		var err error
		if m.StatusDate.Before(e.Period.From) {
			ev, err = e.Void(reason)
		} else {
			ev, err = e.Close(m.StatusDate, reason)
		}
		if err != nil {
			return nil, nil, err
		}
		changed = append(changed, e)
		events = append(events, ev)
	}
	return changed, events, nil
}

func isoDate(t time.Time) string { return t.Format(time.DateOnly) }
