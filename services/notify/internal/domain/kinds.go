// Package domain holds the notify service's rules in plain Go: what kinds
// of notice there are, who is told of each, on which channels, when (quiet
// hours), and how a delivery moves from pending to sent.
package domain

import "slices"

// Kind is what happened, as the person told of it sees it. Each kind has
// its texts in the catalogue under notify.kind.<kind>.{title,body,short}.
type Kind string

// The kinds of notice.
const (
	KindCaseOpened Kind = "case_opened"
	// KindCaseSLAAmber is a case's deadline approaching (a clock turned
	// amber), before any escalation.
	KindCaseSLAAmber       Kind = "case_sla_amber"
	KindCaseEscalated      Kind = "case_escalated"
	KindCaseDetermined     Kind = "case_determined"
	KindCaseGraded         Kind = "case_graded"
	KindCaseClosed         Kind = "case_closed"
	KindCaseStageChanged   Kind = "case_stage_changed"
	KindDocumentsRequested Kind = "documents_requested"
	KindCalculationReady   Kind = "calculation_ready"
	KindGrantSubmitted     Kind = "grant_submitted"
	KindGrantApproved      Kind = "grant_approved"
	KindGrantRejected      Kind = "grant_rejected"
	KindGrantReturned      Kind = "grant_returned"
	KindGrantDisbursed     Kind = "grant_disbursed"
	KindLeaveApproved      Kind = "leave_approved"
	KindLeaveRejected      Kind = "leave_rejected"
	KindRecuperationBooked Kind = "recuperation_booked"
	KindHealthCheckOverdue Kind = "healthcheck_overdue"
	// KindHealthCheckReminder is the reminder before the deadline (the
	// round closes within leave's reminder window, nothing booked yet).
	KindHealthCheckReminder Kind = "healthcheck_reminder"
	KindSignInFailures      Kind = "sign_in_failures"
)

var kinds = []Kind{KindCaseOpened, KindCaseSLAAmber, KindCaseEscalated, KindCaseDetermined, KindCaseGraded, KindCaseClosed,
	KindCaseStageChanged, KindDocumentsRequested, KindCalculationReady, KindGrantSubmitted, KindGrantReturned,
	KindGrantApproved, KindGrantRejected, KindGrantDisbursed, KindLeaveApproved, KindLeaveRejected, KindRecuperationBooked,
	KindHealthCheckReminder, KindHealthCheckOverdue, KindSignInFailures}

// Kinds lists every kind, in the order the preferences page shows them.
func Kinds() []Kind { return slices.Clone(kinds) }

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(kinds, k) }

// Channel is a way of telling someone.
type Channel string

// The channels. The inbox is always on: it is the record of what a person
// was told; the others are per person and kind.
const (
	ChannelInbox    Channel = "inbox"
	ChannelEmail    Channel = "email"
	ChannelSMS      Channel = "sms"
	ChannelDingTalk Channel = "dingtalk"
	ChannelWeCom    Channel = "wecom"
)

var deliveryChannels = []Channel{ChannelEmail, ChannelSMS, ChannelDingTalk, ChannelWeCom}

// DeliveryChannels are the channels beyond the inbox, each with an adapter.
func DeliveryChannels() []Channel { return slices.Clone(deliveryChannels) }

// Valid reports whether c is a delivery channel (the inbox is not one).
func (c Channel) Valid() bool { return slices.Contains(deliveryChannels, c) }

// Audience is one group of people to tell: one account (User), the
// accounts of a member (the officer, and the family of a deceased officer),
// or everyone holding a role, within a unit when Unit is set.
type Audience struct {
	User   string `json:"user,omitempty"`
	Member string `json:"member,omitempty"`
	Role   string `json:"role,omitempty"`
	Unit   string `json:"unit,omitempty"`
}

// The roles notices go to, as the gateway names them.
const (
	RoleCaseworker = "caseworker"
	RoleUnitHead   = "unit_head"
	RoleCommittee  = "approver"
	RoleOfficer    = "officer"
)

// Notice is what an event means to people: its kind, whether it is
// critical (ignores quiet hours), the texts' arguments (no medical or
// personal detail: case numbers, dates, amounts), a link into the site, and
// who is to be told.
type Notice struct {
	Kind      Kind
	Critical  bool
	Args      []string
	Link      string
	Audiences []Audience
}

// Recipient is one person a notice goes to, as the gateway knows them.
type Recipient struct {
	UserID string `json:"user_id"`
	Lang   string `json:"lang"`
}
