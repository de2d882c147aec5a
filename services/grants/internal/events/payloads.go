// Package events holds the grants service's event contract: the types and
// payloads it publishes (each with a JSON Schema in api/events/) and the
// payloads it expects from enrollment and injury, with their consumers.
package events

import "time"

// Source is the grants service's name in event envelopes and subjects.
const Source = "grants"

// Event types the grants service publishes, all version 1; subjects are
// welfare.grants.<type>.v1.
const (
	TypeApplicationSubmitted = "application.submitted"
	TypeApplicationApproved  = "application.approved"
	TypeApplicationRejected  = "application.rejected"
	TypeApplicationReturned  = "application.returned"
	TypeGrantDisbursed       = "grant.disbursed"
	Version                  = 1
)

// Event types the grants service consumes.
const (
	// SourceInjury and TypeCaseGraded: injury's disability grading of a case.
	SourceInjury   = "injury"
	TypeCaseGraded = "case.graded"
	// SourceEnrollment and TypeMemberDeceased: enrollment's record of a death.
	SourceEnrollment   = "enrollment"
	TypeMemberDeceased = "member.deceased"
	// TypeMemberRegistered and TypeMemberUpdated: enrollment's member as it
	// is after a registration or a change; grants keeps the unit, category,
	// honours and dependants, so a family applicant can name their dependant.
	TypeMemberRegistered = "member.registered"
	TypeMemberUpdated    = "member.updated"
)

// ApplicationSubmitted is published when an application enters review.
type ApplicationSubmitted struct {
	ApplicationID string    `json:"application_id"`
	Number        string    `json:"number"`
	FundID        string    `json:"fund_id"`
	ProgramID     string    `json:"program_id"`
	MemberID      string    `json:"member_id"`
	UnitID        string    `json:"unit_id"`
	Amount        int64     `json:"amount"` // fen; per month when recurring
	Recurring     bool      `json:"recurring"`
	Round         int       `json:"round"`
	SubmittedAt   time.Time `json:"submitted_at"`
}

// ApplicationApproved is published when the committee's final approval
// commits the budget.
type ApplicationApproved struct {
	ApplicationID   string    `json:"application_id"`
	Number          string    `json:"number"`
	FundID          string    `json:"fund_id"`
	ProgramID       string    `json:"program_id"`
	MemberID        string    `json:"member_id"`
	UnitID          string    `json:"unit_id"`
	Amount          int64     `json:"amount"`           // fen
	CommittedAmount int64     `json:"committed_amount"` // fen, against this fiscal year
	Approvers       []string  `json:"approvers"`        // user ids
	ApprovedAt      time.Time `json:"approved_at"`
}

// ApplicationRejected is published when an application is rejected; the
// reason is the text shown to the applicant.
type ApplicationRejected struct {
	ApplicationID string    `json:"application_id"`
	Number        string    `json:"number"`
	ProgramID     string    `json:"program_id"`
	MemberID      string    `json:"member_id"`
	UnitID        string    `json:"unit_id"`
	Reason        string    `json:"reason"`
	RejectedAt    time.Time `json:"rejected_at"`
}

// ApplicationReturned is published when an application is sent back to
// the applicant for documents or corrections; the reason is what they are
// asked for.
type ApplicationReturned struct {
	ApplicationID string    `json:"application_id"`
	Number        string    `json:"number"`
	ProgramID     string    `json:"program_id"`
	MemberID      string    `json:"member_id"`
	UnitID        string    `json:"unit_id"`
	Reason        string    `json:"reason"`
	ReturnedAt    time.Time `json:"returned_at"`
}

// GrantDisbursed is published for every payment (a one-time grant once, a
// recurring one per month).
type GrantDisbursed struct {
	DisbursementID string    `json:"disbursement_id"`
	ApplicationID  string    `json:"application_id"`
	Number         string    `json:"number"`
	FundID         string    `json:"fund_id"`
	ProgramID      string    `json:"program_id"`
	MemberID       string    `json:"member_id"`
	DependantID    string    `json:"dependant_id,omitempty"`
	Amount         int64     `json:"amount"` // fen
	Period         string    `json:"period"` // YYYY-MM-01, the month paid
	DisbursedAt    time.Time `json:"disbursed_at"`
}

// CaseGraded is the part of injury's case.graded v1 payload
// (api/events/injury.case.graded.v1.json) grants reads; other members are
// ignored. A grading follows the work-injury determination, so a grade of
// 1..10 is a disability on duty; 0 means no disability grade.
type CaseGraded struct {
	CaseID   string `json:"case_id"`
	Number   string `json:"number"`
	MemberID string `json:"member_id"`
	UnitID   string `json:"unit_id"`
	// Category is the member's category when injury knows it.
	Category string `json:"category,omitempty"`
	// InjuryDate and GradedOn are YYYY-MM-DD.
	InjuryDate string `json:"injury_date"`
	Grade      int    `json:"grade"`
	GradedOn   string `json:"graded_on"`
}

// MemberDeceased is the part of enrollment's member.deceased v1 payload
// (api/events/enrollment.member.deceased.v1.json) grants reads.
type MemberDeceased struct {
	MemberID string `json:"member_id"`
	// Name is the member's name (the family's care record shows it).
	Name   string `json:"name"`
	UnitID string `json:"unit_id"`
	// Category is the member's workforce category (police, auxiliary_police …).
	Category string `json:"category"`
	// StatusDate is the date of death, YYYY-MM-DD.
	StatusDate string `json:"status_date"`
	// DeathCause is line_of_duty, martyr, illness or other.
	DeathCause string      `json:"death_cause"`
	Honours    []Honour    `json:"honours"`
	Dependants []Dependant `json:"dependants"`
	Version    int64       `json:"version"`
}

// Honour is a title or merit of the member (the police 抚恤金 uplift).
type Honour struct {
	Kind      string `json:"kind"`
	AwardedOn string `json:"awarded_on"`
}

// Dependant is one of the member's dependants in enrollment's member
// events.
type Dependant struct {
	DependantID string `json:"dependant_id"`
	// Relation is spouse, child, parent or sibling.
	Relation string `json:"relation"`
	Name     string `json:"name"`
	// BirthDate is YYYY-MM-DD: a child's school stages follow from it.
	BirthDate string `json:"birth_date"`
}

// MemberChanged is the part of enrollment's member.registered and
// member.updated v1 payloads (api/events/enrollment.member.*.v1.json)
// grants reads.
type MemberChanged struct {
	MemberID   string      `json:"member_id"`
	Name       string      `json:"name"`
	UnitID     string      `json:"unit_id"`
	Category   string      `json:"category"`
	Honours    []Honour    `json:"honours"`
	Dependants []Dependant `json:"dependants"`
	Version    int64       `json:"version"`
}

// Family care events, version 1; subjects welfare.grants.care.<event>.v1.
// They carry ids and facts, never the family's names.
const (
	TypeCareVisitRecorded  = "care.visit_recorded"
	TypeCareMatterResolved = "care.matter_resolved"
)

// CareVisitRecorded is published when a liaison records a visit.
type CareVisitRecorded struct {
	VisitID  string `json:"visit_id"`
	RecordID string `json:"record_id"`
	MemberID string `json:"member_id"`
	UnitID   string `json:"unit_id"`
	// Occasion is spring_festival, qingming, anniversary or other; Year is
	// the plan year it counts for (0 for other).
	Occasion string `json:"occasion"`
	Year     int    `json:"year"`
	// VisitedOn is YYYY-MM-DD.
	VisitedOn  string    `json:"visited_on"`
	GivenTotal int64     `json:"given_total"` // fen
	Visitors   int       `json:"visitors"`
	RecordedBy string    `json:"recorded_by"` // user id
	RecordedAt time.Time `json:"recorded_at"`
}

// CareMatterResolved is published when a family's support matter is
// resolved.
type CareMatterResolved struct {
	MatterID string `json:"matter_id"`
	RecordID string `json:"record_id"`
	MemberID string `json:"member_id"`
	UnitID   string `json:"unit_id"`
	Kind     string `json:"kind"`
	Topic    string `json:"topic"`
	// ApplicationID is the children's-education application the matter led
	// to, if any.
	ApplicationID string `json:"application_id,omitempty"`
	// OnTime is false when the matter was resolved after its deadline.
	OnTime     bool      `json:"on_time"`
	RaisedAt   time.Time `json:"raised_at"`
	ResolvedBy string    `json:"resolved_by"` // user id
	ResolvedAt time.Time `json:"resolved_at"`
}
