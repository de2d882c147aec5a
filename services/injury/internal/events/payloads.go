// Package events holds the injury service's integration events: their types,
// payloads (each described by a JSON Schema in api/events/), the builder the
// store calls inside its transactions, and the consumers of member events.
package events

import (
	"fmt"
	"time"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

// Source is the service name in every envelope and subject.
const Source = "injury"

// Version is the payload version of every event type below.
const Version = 1

// Event types, as published on welfare.injury.<type>.v1.
const (
	TypeOpened       = string(domain.EventOpened)
	TypeEscalated    = string(domain.EventEscalated)
	TypeDetermined   = string(domain.EventDetermined)
	TypeGraded       = string(domain.EventGraded)
	TypeClosed       = string(domain.EventClosed)
	TypeLeaveChanged = "case.leave_changed"
	// The officer's notices (issue 16): the case moved to another stage,
	// the authority asked for more documents, a benefit calculation was
	// saved.
	TypeStageChanged       = "case.stage_changed"
	TypeDocumentsRequested = "case.documents_requested"
	TypeCalculationReady   = "case.calculation_ready"
	// TypeSLAAmber: an SLA clock of the case turned amber, its deadline
	// approaching (the notice before case.escalated).
	TypeSLAAmber = "case.sla_amber"
)

// Types lists every type this service publishes.
var Types = []string{TypeOpened, TypeEscalated, TypeDetermined, TypeGraded, TypeClosed, TypeLeaveChanged,
	TypeStageChanged, TypeDocumentsRequested, TypeCalculationReady, TypeSLAAmber}

// dateFormat is how dates travel: calendar dates, no time of day.
const dateFormat = time.DateOnly

// Opened is the payload of case.opened.
type Opened struct {
	CaseID         string    `json:"case_id"`
	Number         string    `json:"number"`
	IncidentID     string    `json:"incident_id"`
	MemberID       string    `json:"member_id,omitempty"` // empty while the injured person is not identified
	UnitID         string    `json:"unit_id"`
	Severity       string    `json:"severity"`
	InjuredAt      time.Time `json:"injured_at"`
	InjuryDate     string    `json:"injury_date"`
	OpenedAt       time.Time `json:"opened_at"`
	CoverageStatus string    `json:"coverage_status"`
}

// Escalated is the payload of case.escalated: a clock breached its deadline
// and went to the unit head (level unit_head) or the committee.
// InChargeUserID is the caseworker in charge, once someone took the case.
type Escalated struct {
	CaseID         string    `json:"case_id"`
	Number         string    `json:"number"`
	MemberID       string    `json:"member_id,omitempty"`
	UnitID         string    `json:"unit_id"`
	InChargeUserID string    `json:"in_charge_user_id,omitempty"`
	Clock          string    `json:"clock"`
	Level          string    `json:"level"`
	DueAt          time.Time `json:"due_at"`
	EscalatedAt    time.Time `json:"escalated_at"`
}

// SLAAmber is the payload of case.sla_amber: a running clock reached its
// amber point (domain.Policy.AmberPercent of its span left) before its
// deadline. It is published once per amber point: a clock whose deadline
// moves (a pause and resume, an extension) may be told of again at the new
// one. Level is how far the clock was already escalated ("none" unless a
// breached clock was given a new deadline); InChargeUserID the caseworker
// in charge, once someone took the case.
type SLAAmber struct {
	CaseID         string    `json:"case_id"`
	Number         string    `json:"number"`
	MemberID       string    `json:"member_id,omitempty"`
	UnitID         string    `json:"unit_id"`
	Severity       string    `json:"severity"`
	InChargeUserID string    `json:"in_charge_user_id,omitempty"`
	Clock          string    `json:"clock"`
	Level          string    `json:"level"`
	AmberAt        time.Time `json:"amber_at"`
	DueAt          time.Time `json:"due_at"`
	WarnedAt       time.Time `json:"warned_at"`
}

// Determined is the payload of case.determined. Grants opens eligibility on
// a covered outcome (recognised or deemed).
type Determined struct {
	CaseID     string `json:"case_id"`
	Number     string `json:"number"`
	MemberID   string `json:"member_id"`
	UnitID     string `json:"unit_id"`
	InjuryDate string `json:"injury_date"`
	Outcome    string `json:"outcome"`
	Covered    bool   `json:"covered"`
	Article    int    `json:"article"`
	Clause     int    `json:"clause"`
	FiledOn    string `json:"filed_on"`
	DecidedOn  string `json:"decided_on"`
}

// Graded is the payload of case.graded. Grade 0 means no disability grade.
// A case is graded again after an appeal (round appeal, final) or a
// re-grading (round review): the new grade replaces the one in
// previous_grade. Events published before rounds existed have no round.
type Graded struct {
	CaseID        string `json:"case_id"`
	Number        string `json:"number"`
	MemberID      string `json:"member_id"`
	UnitID        string `json:"unit_id"`
	Category      string `json:"category,omitempty"`
	InjuryDate    string `json:"injury_date"`
	Grade         int    `json:"grade"`
	Nursing       string `json:"nursing"`
	GradedOn      string `json:"graded_on"`
	Round         string `json:"round,omitempty"`
	PreviousGrade *int   `json:"previous_grade,omitempty"`
}

// Closed is the payload of case.closed.
type Closed struct {
	CaseID   string    `json:"case_id"`
	Number   string    `json:"number"`
	MemberID string    `json:"member_id,omitempty"`
	UnitID   string    `json:"unit_id"`
	Reason   string    `json:"reason"`
	Outcome  string    `json:"outcome,omitempty"`
	Grade    *int      `json:"grade,omitempty"`
	ClosedAt time.Time `json:"closed_at"`
}

// StageChanged is the payload of case.stage_changed: the case moved from
// one state to another (the officer follows their case by it).
type StageChanged struct {
	CaseID    string    `json:"case_id"`
	Number    string    `json:"number"`
	MemberID  string    `json:"member_id,omitempty"`
	UnitID    string    `json:"unit_id"`
	From      string    `json:"from"`
	To        string    `json:"to"`
	Action    string    `json:"action"`
	ChangedAt time.Time `json:"changed_at"`
}

// DocumentsRequested is the payload of case.documents_requested: the
// authority asked for more documents before accepting the filing; the
// filing waits for them.
type DocumentsRequested struct {
	CaseID      string `json:"case_id"`
	Number      string `json:"number"`
	MemberID    string `json:"member_id,omitempty"`
	UnitID      string `json:"unit_id"`
	RequestedOn string `json:"requested_on"`
}

// CalculationReady is the payload of case.calculation_ready: a caseworker
// saved a benefit calculation of the case. The amounts stay in the case.
type CalculationReady struct {
	CaseID        string    `json:"case_id"`
	Number        string    `json:"number"`
	MemberID      string    `json:"member_id,omitempty"`
	UnitID        string    `json:"unit_id"`
	CalculationID int64     `json:"calculation_id"`
	ComputedAt    time.Time `json:"computed_at"`
}

// LeaveChanged is the payload of case.leave_changed: injury leave
// (停工留薪期) started, was extended or ended early. The leave service stops
// annual leave from being consumed in [start, last_day].
type LeaveChanged struct {
	CaseID         string `json:"case_id"`
	Number         string `json:"number"`
	MemberID       string `json:"member_id,omitempty"`
	Start          string `json:"start"`
	End            string `json:"end"`
	ExtendedMonths int    `json:"extended_months"`
	EndedEarlyOn   string `json:"ended_early_on,omitempty"`
	LastDay        string `json:"last_day"`
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateFormat)
}

// new wraps a payload in an envelope whose subject is the case.
func newEvent(typ string, c *domain.Case, data any, at time.Time) (bus.Event, error) {
	ev, err := bus.NewEvent(Source, typ, Version, c.ID, c.Version, data, at)
	if err != nil {
		return bus.Event{}, fmt.Errorf("event %s for case %s: %w", typ, c.Number, err)
	}
	return ev, nil
}

// ForOpened builds case.opened.
func ForOpened(c *domain.Case, at time.Time) (bus.Event, error) {
	return newEvent(TypeOpened, c, Opened{
		CaseID: c.ID, Number: c.Number, IncidentID: c.IncidentID, MemberID: c.MemberID, UnitID: c.UnitID,
		Severity: string(c.Severity), InjuredAt: c.InjuredAt.UTC(), InjuryDate: date(c.InjuryDate()),
		OpenedAt: c.OpenedAt.UTC(), CoverageStatus: string(c.Coverage.Status),
	}, at)
}

// ForEscalated builds case.escalated for one clock.
func ForEscalated(c *domain.Case, k domain.SLAClock, at time.Time) (bus.Event, error) {
	return newEvent(TypeEscalated, c, Escalated{
		CaseID: c.ID, Number: c.Number, MemberID: c.MemberID, UnitID: c.UnitID, InChargeUserID: c.InCharge.UserID,
		Clock: string(k.Kind), Level: k.Level.String(), DueAt: k.DueAt.UTC(), EscalatedAt: at.UTC(),
	}, at)
}

// ForSLAAmber builds case.sla_amber for one clock.
func ForSLAAmber(c *domain.Case, k domain.SLAClock, at time.Time) (bus.Event, error) {
	return newEvent(TypeSLAAmber, c, SLAAmber{
		CaseID: c.ID, Number: c.Number, MemberID: c.MemberID, UnitID: c.UnitID, Severity: string(c.Severity),
		InChargeUserID: c.InCharge.UserID, Clock: string(k.Kind), Level: k.Level.String(),
		AmberAt: k.AmberAt.UTC(), DueAt: k.DueAt.UTC(), WarnedAt: at.UTC(),
	}, at)
}

// ForChange builds the events a state change calls for.
func ForChange(c *domain.Case, ch domain.Change, at time.Time) ([]bus.Event, error) {
	var out []bus.Event
	for _, t := range ch.Events {
		var data any
		switch t {
		case domain.EventDetermined:
			d := c.Determination
			data = Determined{CaseID: c.ID, Number: c.Number, MemberID: c.MemberID, UnitID: c.UnitID,
				InjuryDate: date(c.InjuryDate()), Outcome: string(d.Outcome), Covered: d.Outcome.Covered(),
				Article: d.Outcome.Article(), Clause: d.Clause, FiledOn: date(d.FiledOn), DecidedOn: date(d.DecidedOn)}
		case domain.EventGraded:
			g := c.Grading
			gr := Graded{CaseID: c.ID, Number: c.Number, MemberID: c.MemberID, UnitID: c.UnitID, Category: c.Category,
				InjuryDate: date(c.InjuryDate()), Grade: g.Grade, Nursing: nursing(g.Nursing), GradedOn: date(g.GradedOn),
				Round: string(g.Round)}
			if g.HasPrevious {
				prev := g.PreviousGrade
				gr.PreviousGrade = &prev
			}
			data = gr
		case domain.EventClosed:
			cl := Closed{CaseID: c.ID, Number: c.Number, MemberID: c.MemberID, UnitID: c.UnitID,
				Reason: string(c.CloseReason), Outcome: string(c.Determination.Outcome), ClosedAt: c.ClosedAt.UTC()}
			if c.Grading.Graded {
				g := c.Grading.Grade
				cl.Grade = &g
			}
			data = cl
		default:
			return nil, fmt.Errorf("event %s: no payload builder", t)
		}
		ev, err := newEvent(string(t), c, data, at)
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	if ch.Action == domain.ActRequestDocuments {
		ev, err := newEvent(TypeDocumentsRequested, c, DocumentsRequested{CaseID: c.ID, Number: c.Number, MemberID: c.MemberID,
			UnitID: c.UnitID, RequestedOn: date(c.Determination.DocumentsRequestOn)}, at)
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	if ch.From != ch.To {
		ev, err := newEvent(TypeStageChanged, c, StageChanged{CaseID: c.ID, Number: c.Number, MemberID: c.MemberID,
			UnitID: c.UnitID, From: string(ch.From), To: string(ch.To), Action: string(ch.Action), ChangedAt: at.UTC()}, at)
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	switch ch.Action {
	case domain.ActStartLeave, domain.ActExtendLeave, domain.ActEndLeave:
		l := c.Leave
		ev, err := newEvent(TypeLeaveChanged, c, LeaveChanged{CaseID: c.ID, Number: c.Number, MemberID: c.MemberID,
			Start: date(l.Start), End: date(l.End), ExtendedMonths: l.ExtendedMonths,
			EndedEarlyOn: date(l.EndedEarlyOn), LastDay: date(l.LastPaidDay())}, at)
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, nil
}

// ForCalculation builds case.calculation_ready for a saved calculation.
func ForCalculation(c *domain.Case, calculationID int64, at time.Time) (bus.Event, error) {
	return newEvent(TypeCalculationReady, c, CalculationReady{CaseID: c.ID, Number: c.Number, MemberID: c.MemberID,
		UnitID: c.UnitID, CalculationID: calculationID, ComputedAt: at.UTC()}, at)
}

func nursing(n domain.NursingLevel) string {
	if n == "" {
		return string(domain.NursingNone)
	}
	return string(n)
}
