// Package events holds the leave service's NATS contract: the payloads it
// publishes (each with a JSON Schema in api/events/ that a test checks the
// struct against), the payloads it expects from enrollment and injury, and
// the consumers that apply those to the local projections.
package events

import (
	"fmt"
	"time"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// Source is this service's event source name.
const Source = "leave"

// Published event types, version 1. Subjects are
// welfare.leave.<type>.v1 (bus.Subject).
const (
	TypeLeaveApproved       = "leave.approved"
	TypeLeaveRejected       = "leave.rejected"
	TypeRecuperationBooked  = "recuperation.booked"
	TypeHealthCheckOverdue  = "healthcheck.overdue"
	TypeHealthCheckReminder = "healthcheck.reminder"
)

// Consumed sources and their subject filters.
const (
	SourceEnrollment = "enrollment"
	SourceInjury     = "injury"
	MemberSubjects   = "welfare.enrollment.member.>"
	CaseSubjects     = "welfare.injury.case.>"
)

// LeaveApprovedV1 is published when a leave request is fully approved.
type LeaveApprovedV1 struct {
	RequestID  string    `json:"request_id"`
	MemberID   string    `json:"member_id"`
	UnitID     string    `json:"unit_id"`
	From       string    `json:"from"`
	To         string    `json:"to"`
	Days       int       `json:"days"`
	Year       int       `json:"year"`
	ApprovedBy string    `json:"approved_by"`
	ApprovedAt time.Time `json:"approved_at"`
}

// RecuperationBookedV1 is published when a member gets a confirmed place,
// directly or by moving up the waitlist.
type RecuperationBookedV1 struct {
	BookingID    string `json:"booking_id"`
	SessionID    string `json:"session_id"`
	FacilityID   string `json:"facility_id"`
	MemberID     string `json:"member_id"`
	UnitID       string `json:"unit_id"`
	From         string `json:"from"`
	To           string `json:"to"`
	FromWaitlist bool   `json:"from_waitlist"`
}

// HealthCheckOverdueV1 is the reminder for a member without a completed
// health check after the unit's deadline.
type HealthCheckOverdueV1 struct {
	MemberID string `json:"member_id"`
	UnitID   string `json:"unit_id"`
	Year     int    `json:"year"`
	Deadline string `json:"deadline"`
	AsOf     string `json:"as_of"`
}

// HealthCheckReminderV1 reminds a member with no check done or booked that
// the unit's round closes within domain.ReminderWindowDays days. It carries
// no health data.
type HealthCheckReminderV1 struct {
	MemberID string `json:"member_id"`
	UnitID   string `json:"unit_id"`
	Year     int    `json:"year"`
	Deadline string `json:"deadline"`
	AsOf     string `json:"as_of"`
}

func date(t time.Time) string { return t.Format(time.DateOnly) }

// LeaveApproved builds the leave.approved event of an approved request.
func LeaveApproved(r domain.LeaveRequest, by string, at time.Time) (bus.Event, error) {
	ev, err := bus.NewEvent(Source, TypeLeaveApproved, 1, r.MemberID, r.Version+1, LeaveApprovedV1{
		RequestID: r.ID, MemberID: r.MemberID, UnitID: r.UnitID, From: date(r.From), To: date(r.To),
		Days: r.Days, Year: r.From.Year(), ApprovedBy: by, ApprovedAt: at.UTC(),
	}, at)
	if err != nil {
		return bus.Event{}, fmt.Errorf("leave.approved: %w", err)
	}
	return ev, nil
}

// LeaveRejectedV1 is a request refused at any level; the comment stays in
// leave (the officer reads it on the request).
type LeaveRejectedV1 struct {
	RequestID  string    `json:"request_id"`
	MemberID   string    `json:"member_id"`
	UnitID     string    `json:"unit_id"`
	From       string    `json:"from"`
	To         string    `json:"to"`
	Days       int       `json:"days"`
	Year       int       `json:"year"`
	RejectedBy string    `json:"rejected_by"`
	RejectedAt time.Time `json:"rejected_at"`
}

// LeaveRejected builds the leave.rejected event of a refused request.
func LeaveRejected(r domain.LeaveRequest, by string, at time.Time) (bus.Event, error) {
	ev, err := bus.NewEvent(Source, TypeLeaveRejected, 1, r.MemberID, r.Version+1, LeaveRejectedV1{
		RequestID: r.ID, MemberID: r.MemberID, UnitID: r.UnitID, From: date(r.From), To: date(r.To),
		Days: r.Days, Year: r.From.Year(), RejectedBy: by, RejectedAt: at.UTC(),
	}, at)
	if err != nil {
		return bus.Event{}, fmt.Errorf("leave.rejected: %w", err)
	}
	return ev, nil
}

// RecuperationBooked builds the recuperation.booked event of a confirmed booking.
func RecuperationBooked(b domain.Booking, s domain.Session, fromWaitlist bool, at time.Time) (bus.Event, error) {
	ev, err := bus.NewEvent(Source, TypeRecuperationBooked, 1, b.MemberID, b.Version, RecuperationBookedV1{
		BookingID: b.ID, SessionID: s.ID, FacilityID: s.FacilityID, MemberID: b.MemberID, UnitID: b.UnitID,
		From: date(s.From), To: date(s.To), FromWaitlist: fromWaitlist,
	}, at)
	if err != nil {
		return bus.Event{}, fmt.Errorf("recuperation.booked: %w", err)
	}
	return ev, nil
}

// HealthCheckOverdue builds one overdue reminder.
func HealthCheckOverdue(m domain.Member, year int, deadline, asOf, at time.Time) (bus.Event, error) {
	ev, err := bus.NewEvent(Source, TypeHealthCheckOverdue, 1, m.ID, 0, HealthCheckOverdueV1{
		MemberID: m.ID, UnitID: m.UnitID, Year: year, Deadline: date(deadline), AsOf: date(asOf),
	}, at)
	if err != nil {
		return bus.Event{}, fmt.Errorf("healthcheck.overdue: %w", err)
	}
	return ev, nil
}

// HealthCheckReminder builds one reminder before the deadline.
func HealthCheckReminder(m domain.Member, year int, deadline, asOf, at time.Time) (bus.Event, error) {
	ev, err := bus.NewEvent(Source, TypeHealthCheckReminder, 1, m.ID, 0, HealthCheckReminderV1{
		MemberID: m.ID, UnitID: m.UnitID, Year: year, Deadline: date(deadline), AsOf: date(asOf),
	}, at)
	if err != nil {
		return bus.Event{}, fmt.Errorf("healthcheck.reminder: %w", err)
	}
	return ev, nil
}

// MemberV1 is the payload this service expects in every member.* event of
// the enrollment service (member.registered, member.updated, …): the
// member's current state, not a diff. Dates are YYYY-MM-DD.
type MemberV1 struct {
	MemberID string `json:"member_id"`
	UnitID   string `json:"unit_id"`
	// Name is the member's name, kept for display in lists and reports.
	Name     string `json:"name"`
	Category string `json:"category"`
	// Status is active, retired, left or deceased.
	Status string `json:"status"`
	// StatusDate is when a non-active status began; the member's last day
	// of employment is the day before.
	StatusDate   string `json:"status_date,omitempty"`
	HireDate     string `json:"hire_date"`
	ServiceStart string `json:"service_start,omitempty"`
	// Post is the member's post; only whether it is frontline matters here
	// (recuperation priority).
	Post struct {
		Frontline bool `json:"frontline"`
	} `json:"post"`
}

// CaseV1 is the part of the injury service's case.* payloads
// (api/events/injury.case.*.v1.json) this service reads; other members are
// ignored. Every case.* type carries case_id and, once the injured person is
// identified, member_id.
type CaseV1 struct {
	CaseID   string `json:"case_id"`
	MemberID string `json:"member_id,omitempty"`
	// Covered is case.determined's verdict: true for a recognised or deemed
	// work injury.
	Covered bool `json:"covered,omitempty"`
	// Start, LastDay and ExtendedMonths are case.leave_changed's paid
	// injury leave (停工留薪期): annual leave is not consumed from start to
	// last_day inclusive.
	Start          string `json:"start,omitempty"`
	LastDay        string `json:"last_day,omitempty"`
	ExtendedMonths int    `json:"extended_months,omitempty"`
}

// Consumed case event types.
const (
	TypeCaseDetermined   = "case.determined"
	TypeCaseLeaveChanged = "case.leave_changed"
)
