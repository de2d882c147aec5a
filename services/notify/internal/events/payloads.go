// Package events holds what the notify service reads of the other
// services' events (each field checked against the producer's JSON Schema
// in api/events by payloads_test.go), how each event becomes a notice
// (routes.go), and the consumer that fans a notice out (consumer.go).
package events

import "time"

// Sources and event types the notify service consumes, all version 1.
const (
	SourceInjury        = "injury"
	TypeCaseOpened      = "case.opened"
	TypeCaseEscalated   = "case.escalated"
	TypeCaseSLAAmber    = "case.sla_amber"
	TypeCaseDetermined  = "case.determined"
	TypeCaseGraded      = "case.graded"
	TypeCaseClosed      = "case.closed"
	TypeStageChanged    = "case.stage_changed"
	TypeDocsRequested   = "case.documents_requested"
	TypeCalcReady       = "case.calculation_ready"
	SourceGrants        = "grants"
	TypeGrantSubmitted  = "application.submitted"
	TypeGrantApproved   = "application.approved"
	TypeGrantRejected   = "application.rejected"
	TypeGrantReturned   = "application.returned"
	TypeGrantDisbursed  = "grant.disbursed"
	SourceLeave         = "leave"
	TypeLeaveApproved   = "leave.approved"
	TypeLeaveRejected   = "leave.rejected"
	TypeRecuperation    = "recuperation.booked"
	TypeHealthCheckLate = "healthcheck.overdue"
	TypeHealthCheckDue  = "healthcheck.reminder"
	SourceGateway       = "gateway"
	TypeSignInFailures  = "account.sign_in_failures"
	Version             = 1
	ConsumerName        = "notify-events"
)

// CaseOpened is what notify reads of injury's case.opened.
type CaseOpened struct {
	CaseID   string `json:"case_id"`
	Number   string `json:"number"`
	UnitID   string `json:"unit_id"`
	Severity string `json:"severity"`
}

// CaseEscalated is what notify reads of injury's case.escalated.
// InChargeUserID is the caseworker in charge, when someone took the case.
type CaseEscalated struct {
	CaseID         string    `json:"case_id"`
	Number         string    `json:"number"`
	UnitID         string    `json:"unit_id"`
	InChargeUserID string    `json:"in_charge_user_id"`
	Level          string    `json:"level"`
	DueAt          time.Time `json:"due_at"`
}

// CaseSLAAmber is what notify reads of injury's case.sla_amber: a clock of
// the case turned amber, its deadline approaching. Level is how far the
// clock was already escalated ("none" unless a breached clock was given a
// new deadline).
type CaseSLAAmber struct {
	CaseID         string    `json:"case_id"`
	Number         string    `json:"number"`
	UnitID         string    `json:"unit_id"`
	Severity       string    `json:"severity"`
	InChargeUserID string    `json:"in_charge_user_id"`
	Clock          string    `json:"clock"`
	Level          string    `json:"level"`
	DueAt          time.Time `json:"due_at"`
}

// StageChanged is what notify reads of injury's case.stage_changed.
type StageChanged struct {
	CaseID   string `json:"case_id"`
	Number   string `json:"number"`
	MemberID string `json:"member_id"`
	To       string `json:"to"`
}

// DocumentsRequested is what notify reads of injury's
// case.documents_requested.
type DocumentsRequested struct {
	CaseID      string `json:"case_id"`
	Number      string `json:"number"`
	MemberID    string `json:"member_id"`
	RequestedOn string `json:"requested_on"`
}

// CalculationReady is what notify reads of injury's case.calculation_ready:
// the amounts stay in the case.
type CalculationReady struct {
	CaseID   string `json:"case_id"`
	Number   string `json:"number"`
	MemberID string `json:"member_id"`
}

// CaseDetermined is what notify reads of injury's case.determined.
type CaseDetermined struct {
	CaseID   string `json:"case_id"`
	Number   string `json:"number"`
	MemberID string `json:"member_id"`
	Outcome  string `json:"outcome"`
}

// CaseGraded is what notify reads of injury's case.graded: the grade
// itself stays in the case.
type CaseGraded struct {
	CaseID   string `json:"case_id"`
	Number   string `json:"number"`
	MemberID string `json:"member_id"`
}

// CaseClosed is what notify reads of injury's case.closed.
type CaseClosed struct {
	CaseID   string `json:"case_id"`
	Number   string `json:"number"`
	MemberID string `json:"member_id"`
	Reason   string `json:"reason"`
}

// GrantSubmitted is what notify reads of grants' application.submitted.
type GrantSubmitted struct {
	ApplicationID string `json:"application_id"`
	Number        string `json:"number"`
	MemberID      string `json:"member_id"`
	Amount        int64  `json:"amount"`
}

// GrantApproved is what notify reads of grants' application.approved.
type GrantApproved struct {
	ApplicationID string `json:"application_id"`
	Number        string `json:"number"`
	MemberID      string `json:"member_id"`
	Amount        int64  `json:"amount"`
}

// GrantRejected is what notify reads of grants' application.rejected.
type GrantRejected struct {
	ApplicationID string `json:"application_id"`
	Number        string `json:"number"`
	MemberID      string `json:"member_id"`
}

// GrantReturned is what notify reads of grants' application.returned.
type GrantReturned struct {
	ApplicationID string `json:"application_id"`
	Number        string `json:"number"`
	MemberID      string `json:"member_id"`
}

// LeaveRejected is what notify reads of leave's leave.rejected.
type LeaveRejected struct {
	RequestID string `json:"request_id"`
	MemberID  string `json:"member_id"`
	From      string `json:"from"`
	To        string `json:"to"`
}

// GrantDisbursed is what notify reads of grants' grant.disbursed.
type GrantDisbursed struct {
	ApplicationID string `json:"application_id"`
	Number        string `json:"number"`
	MemberID      string `json:"member_id"`
	Amount        int64  `json:"amount"`
	Period        string `json:"period"`
}

// LeaveApproved is what notify reads of leave's leave.approved.
type LeaveApproved struct {
	RequestID string `json:"request_id"`
	MemberID  string `json:"member_id"`
	From      string `json:"from"`
	To        string `json:"to"`
	Days      int    `json:"days"`
}

// RecuperationBooked is what notify reads of leave's recuperation.booked.
type RecuperationBooked struct {
	BookingID    string `json:"booking_id"`
	MemberID     string `json:"member_id"`
	From         string `json:"from"`
	To           string `json:"to"`
	FromWaitlist bool   `json:"from_waitlist"`
}

// SignInFailures is what notify reads of the gateway's
// account.sign_in_failures.
type SignInFailures struct {
	UserID   string `json:"user_id"`
	Failures int    `json:"failures"`
}

// HealthCheckOverdue is what notify reads of leave's healthcheck.overdue.
type HealthCheckOverdue struct {
	MemberID string `json:"member_id"`
	Year     int    `json:"year"`
	Deadline string `json:"deadline"`
}

// HealthCheckReminder is what notify reads of leave's healthcheck.reminder:
// a check still to book before the unit's round closes.
type HealthCheckReminder struct {
	MemberID string `json:"member_id"`
	Year     int    `json:"year"`
	Deadline string `json:"deadline"`
}
