package store

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

// caseColumns are the columns of cases in the order caseRow.args returns them.
var caseColumns = []string{
	"id", "number", "incident_id", "member_id", "unknown_name", "unit_id", "category",
	"reporter_user_id", "reporter_member_id", "reporter_name", "injured_at", "injury_date",
	"place", "description", "hospital", "severity", "state", "opened_at", "acknowledged_at", "handoff_at",
	"filed_on", "filer", "documents_requested", "documents_request_on", "accepted_on", "clear_facts",
	"decision_paused", "pause_reason", "decided_on", "outcome", "clause", "decision_reason",
	"grading_applied_on", "grading_extended", "graded_on", "grade", "nursing",
	"grading_round", "grading_pending", "graded_received_on", "previous_grade", "appealed_on", "appeal_note",
	"leave_start", "leave_end", "leave_extended_months", "leave_ended_on", "closed_at", "close_reason",
	"coverage_status", "coverage", "coverage_checked_at", "coverage_attempts", "coverage_next_at", "coverage_error",
	"version", "updated_at", "in_charge_user_id", "in_charge_name", "in_charge_phone",
	"due_clock", "due_at", "due_amber_at",
}

var (
	caseSelectList = strings.Join(caseColumns, ", ")
	// caseUpdateSQL sets every column but id, number and incident_id; the
	// last two placeholders are the id and the version read.
	caseUpdateSQL = func() string {
		var b strings.Builder
		b.WriteString("UPDATE cases SET ")
		for i, c := range caseColumns[3:] {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s = $%d", c, i+1)
		}
		n := len(caseColumns) - 3
		fmt.Fprintf(&b, " WHERE id = $%d AND version = $%d", n+1, n+2)
		return b.String()
	}()
)

// caseRow is one row of cases.
type caseRow struct {
	ID                 string     `db:"id"`
	Number             string     `db:"number"`
	IncidentID         string     `db:"incident_id"`
	MemberID           *string    `db:"member_id"`
	UnknownName        *string    `db:"unknown_name"`
	UnitID             string     `db:"unit_id"`
	Category           string     `db:"category"`
	ReporterUserID     string     `db:"reporter_user_id"`
	ReporterMemberID   string     `db:"reporter_member_id"`
	ReporterName       string     `db:"reporter_name"`
	InjuredAt          time.Time  `db:"injured_at"`
	InjuryDate         time.Time  `db:"injury_date"`
	Place              string     `db:"place"`
	Description        string     `db:"description"`
	Hospital           string     `db:"hospital"`
	Severity           string     `db:"severity"`
	State              string     `db:"state"`
	OpenedAt           time.Time  `db:"opened_at"`
	AcknowledgedAt     *time.Time `db:"acknowledged_at"`
	HandoffAt          *time.Time `db:"handoff_at"`
	FiledOn            *time.Time `db:"filed_on"`
	Filer              *string    `db:"filer"`
	DocumentsRequested bool       `db:"documents_requested"`
	DocumentsRequestOn *time.Time `db:"documents_request_on"`
	AcceptedOn         *time.Time `db:"accepted_on"`
	ClearFacts         bool       `db:"clear_facts"`
	DecisionPaused     bool       `db:"decision_paused"`
	PauseReason        string     `db:"pause_reason"`
	DecidedOn          *time.Time `db:"decided_on"`
	Outcome            *string    `db:"outcome"`
	Clause             *int       `db:"clause"`
	DecisionReason     string     `db:"decision_reason"`
	GradingAppliedOn   *time.Time `db:"grading_applied_on"`
	GradingExtended    bool       `db:"grading_extended"`
	GradedOn           *time.Time `db:"graded_on"`
	Grade              *int       `db:"grade"`
	Nursing            string     `db:"nursing"`
	GradingRound       string     `db:"grading_round"`
	GradingPending     bool       `db:"grading_pending"`
	GradedReceivedOn   *time.Time `db:"graded_received_on"`
	PreviousGrade      *int       `db:"previous_grade"`
	AppealedOn         *time.Time `db:"appealed_on"`
	AppealNote         string     `db:"appeal_note"`
	LeaveStart         *time.Time `db:"leave_start"`
	LeaveEnd           *time.Time `db:"leave_end"`
	LeaveExtended      int        `db:"leave_extended_months"`
	LeaveEndedOn       *time.Time `db:"leave_ended_on"`
	ClosedAt           *time.Time `db:"closed_at"`
	CloseReason        *string    `db:"close_reason"`
	CoverageStatus     string     `db:"coverage_status"`
	Coverage           []byte     `db:"coverage"`
	CoverageCheckedAt  *time.Time `db:"coverage_checked_at"`
	CoverageAttempts   int        `db:"coverage_attempts"`
	CoverageNextAt     *time.Time `db:"coverage_next_at"`
	CoverageError      string     `db:"coverage_error"`
	Version            int64      `db:"version"`
	UpdatedAt          time.Time  `db:"updated_at"`
	InChargeUserID     string     `db:"in_charge_user_id"`
	InChargeName       string     `db:"in_charge_name"`
	InChargePhone      string     `db:"in_charge_phone"`
	// The queue's clock (domain.Case.QueueClock), kept for sorting.
	DueClock   *string    `db:"due_clock"`
	DueAt      *time.Time `db:"due_at"`
	DueAmberAt *time.Time `db:"due_amber_at"`
}

// args returns the row's values in caseColumns order.
func (r *caseRow) args() []any {
	return []any{
		r.ID, r.Number, r.IncidentID, r.MemberID, r.UnknownName, r.UnitID, r.Category,
		r.ReporterUserID, r.ReporterMemberID, r.ReporterName, r.InjuredAt, r.InjuryDate,
		r.Place, r.Description, r.Hospital, r.Severity, r.State, r.OpenedAt, r.AcknowledgedAt, r.HandoffAt,
		r.FiledOn, r.Filer, r.DocumentsRequested, r.DocumentsRequestOn, r.AcceptedOn, r.ClearFacts,
		r.DecisionPaused, r.PauseReason, r.DecidedOn, r.Outcome, r.Clause, r.DecisionReason,
		r.GradingAppliedOn, r.GradingExtended, r.GradedOn, r.Grade, r.Nursing,
		r.GradingRound, r.GradingPending, r.GradedReceivedOn, r.PreviousGrade, r.AppealedOn, r.AppealNote,
		r.LeaveStart, r.LeaveEnd, r.LeaveExtended, r.LeaveEndedOn, r.ClosedAt, r.CloseReason,
		r.CoverageStatus, r.Coverage, r.CoverageCheckedAt, r.CoverageAttempts, r.CoverageNextAt, r.CoverageError,
		r.Version, r.UpdatedAt, r.InChargeUserID, r.InChargeName, r.InChargePhone,
		r.DueClock, r.DueAt, r.DueAmberAt,
	}
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func valTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// valDate reads a date column as midnight UTC whatever zone the driver gave.
func valDate(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func valString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func toCaseRow(c *domain.Case, now time.Time) (*caseRow, error) {
	schemes := c.Coverage.Schemes
	if schemes == nil {
		schemes = []domain.SchemeCoverage{}
	}
	cov, err := json.Marshal(schemes)
	if err != nil {
		return nil, fmt.Errorf("encode coverage: %w", err)
	}
	d, g, l := c.Determination, c.Grading, c.Leave
	r := &caseRow{
		ID: c.ID, Number: c.Number, IncidentID: c.IncidentID, MemberID: optString(c.MemberID),
		UnknownName: optString(c.UnknownName), UnitID: c.UnitID, Category: c.Category,
		ReporterUserID: c.Reporter.UserID, ReporterMemberID: c.Reporter.MemberID, ReporterName: c.Reporter.Name,
		InjuredAt: c.InjuredAt.UTC(), InjuryDate: c.InjuryDate(), Place: c.Place, Description: c.Description,
		Hospital: c.Hospital, Severity: string(c.Severity), State: string(c.State), OpenedAt: c.OpenedAt.UTC(),
		AcknowledgedAt: optTime(c.AcknowledgedAt), HandoffAt: optTime(c.HandoffAt),
		FiledOn: optTime(d.FiledOn), Filer: optString(string(d.Filer)), DocumentsRequested: d.DocumentsRequested,
		DocumentsRequestOn: optTime(d.DocumentsRequestOn), AcceptedOn: optTime(d.AcceptedOn), ClearFacts: d.ClearFacts,
		DecisionPaused: d.Paused, PauseReason: d.PauseReason, DecidedOn: optTime(d.DecidedOn),
		Outcome: optString(string(d.Outcome)), DecisionReason: d.Reason,
		GradingAppliedOn: optTime(g.AppliedOn), GradingExtended: g.Extended, GradedOn: optTime(g.GradedOn),
		Nursing: string(g.Nursing), GradingRound: string(g.Round), GradingPending: g.Pending,
		GradedReceivedOn: optTime(g.ReceivedOn), AppealedOn: optTime(g.AppealedOn), AppealNote: g.AppealNote,
		LeaveStart: optTime(l.Start), LeaveEnd: optTime(l.End),
		LeaveExtended: l.ExtendedMonths, LeaveEndedOn: optTime(l.EndedEarlyOn),
		ClosedAt: optTime(c.ClosedAt), CloseReason: optString(string(c.CloseReason)),
		CoverageStatus: string(c.Coverage.Status), Coverage: cov, CoverageCheckedAt: optTime(c.Coverage.CheckedAt),
		CoverageAttempts: c.Coverage.Attempts, CoverageNextAt: optTime(c.Coverage.NextAttemptAt),
		CoverageError: c.Coverage.LastError, Version: c.Version, UpdatedAt: now.UTC(),
		InChargeUserID: c.InCharge.UserID, InChargeName: c.InCharge.Name, InChargePhone: c.InCharge.Phone,
	}
	if k := c.QueueClock(); k != nil {
		r.DueClock, r.DueAt, r.DueAmberAt = optString(string(k.Kind)), optTime(k.DueAt), optTime(k.AmberAt)
	}
	if d.Outcome != "" {
		cl := d.Clause
		r.Clause = &cl
	}
	if g.Graded {
		gr := g.Grade
		r.Grade = &gr
	}
	if g.HasPrevious {
		prev := g.PreviousGrade
		r.PreviousGrade = &prev
	}
	if r.GradingRound == "" {
		r.GradingRound = string(domain.RoundInitial)
	}
	return r, nil
}

func (r *caseRow) toDomain() (*domain.Case, error) {
	var schemes []domain.SchemeCoverage
	if len(r.Coverage) > 0 {
		if err := json.Unmarshal(r.Coverage, &schemes); err != nil {
			return nil, fmt.Errorf("decode coverage of case %s: %w", r.Number, err)
		}
	}
	c := &domain.Case{
		ID: r.ID, Number: r.Number, IncidentID: r.IncidentID, MemberID: valString(r.MemberID),
		UnknownName: valString(r.UnknownName), UnitID: r.UnitID, Category: r.Category,
		Reporter:  domain.Reporter{UserID: r.ReporterUserID, MemberID: r.ReporterMemberID, Name: r.ReporterName},
		InjuredAt: r.InjuredAt.UTC(), Place: r.Place, Description: r.Description, Hospital: r.Hospital,
		Severity: domain.Severity(r.Severity), State: domain.State(r.State), OpenedAt: r.OpenedAt.UTC(),
		AcknowledgedAt: valTime(r.AcknowledgedAt), HandoffAt: valTime(r.HandoffAt),
		Determination: domain.Determination{
			FiledOn: valDate(r.FiledOn), Filer: domain.Filer(valString(r.Filer)), DocumentsRequested: r.DocumentsRequested,
			DocumentsRequestOn: valDate(r.DocumentsRequestOn), AcceptedOn: valDate(r.AcceptedOn), ClearFacts: r.ClearFacts,
			Paused: r.DecisionPaused, PauseReason: r.PauseReason, DecidedOn: valDate(r.DecidedOn),
			Outcome: domain.Outcome(valString(r.Outcome)), Reason: r.DecisionReason,
		},
		Grading: domain.Grading{Round: domain.GradingRound(r.GradingRound), AppliedOn: valDate(r.GradingAppliedOn),
			Extended: r.GradingExtended, Pending: r.GradingPending, GradedOn: valDate(r.GradedOn),
			ReceivedOn: valDate(r.GradedReceivedOn), Nursing: domain.NursingLevel(r.Nursing),
			AppealedOn: valDate(r.AppealedOn), AppealNote: r.AppealNote},
		Leave: domain.InjuryLeave{Start: valDate(r.LeaveStart), End: valDate(r.LeaveEnd),
			ExtendedMonths: r.LeaveExtended, EndedEarlyOn: valDate(r.LeaveEndedOn)},
		ClosedAt: valTime(r.ClosedAt), CloseReason: domain.CloseReason(valString(r.CloseReason)),
		Coverage: domain.Coverage{Status: domain.CoverageStatus(r.CoverageStatus), Schemes: schemes,
			CheckedAt: valTime(r.CoverageCheckedAt), Attempts: r.CoverageAttempts,
			NextAttemptAt: valTime(r.CoverageNextAt), LastError: r.CoverageError},
		Version:  r.Version,
		InCharge: domain.InCharge{UserID: r.InChargeUserID, Name: r.InChargeName, Phone: r.InChargePhone},
	}
	if r.Clause != nil {
		c.Determination.Clause = *r.Clause
	}
	if r.Grade != nil {
		c.Grading.Grade, c.Grading.Graded = *r.Grade, true
	}
	if r.PreviousGrade != nil {
		c.Grading.PreviousGrade, c.Grading.HasPrevious = *r.PreviousGrade, true
	}
	return c, nil
}

// clockRow is one row of sla_clocks.
type clockRow struct {
	ID             int64      `db:"id"`
	CaseID         string     `db:"case_id"`
	Kind           string     `db:"kind"`
	StartedAt      time.Time  `db:"started_at"`
	DueAt          time.Time  `db:"due_at"`
	AmberAt        time.Time  `db:"amber_at"`
	CommitteeAfter int64      `db:"committee_after_us"`
	PausedAt       *time.Time `db:"paused_at"`
	StoppedAt      *time.Time `db:"stopped_at"`
	Outcome        *string    `db:"outcome"`
	Level          int        `db:"level"`
	AmberWarned    *time.Time `db:"amber_warned"`
}

const clockSelect = `SELECT id, case_id, kind, started_at, due_at, amber_at,
	(extract(epoch FROM committee_after) * 1000000)::bigint AS committee_after_us,
	paused_at, stopped_at, outcome, level, amber_warned FROM sla_clocks`

func (r clockRow) toDomain() domain.SLAClock {
	return domain.SLAClock{
		ID: r.ID, Kind: domain.ClockKind(r.Kind), StartedAt: r.StartedAt.UTC(), DueAt: r.DueAt.UTC(),
		AmberAt: r.AmberAt.UTC(), CommitteeAfter: time.Duration(r.CommitteeAfter) * time.Microsecond,
		PausedAt: valTime(r.PausedAt), StoppedAt: valTime(r.StoppedAt),
		Outcome: domain.ClockOutcome(valString(r.Outcome)), Level: domain.Level(r.Level),
		AmberWarned: valTime(r.AmberWarned),
	}
}

// clockArgs are the mutable columns of a clock: due_at, amber_at, paused_at,
// stopped_at, outcome, level, next_fire_at, amber_warned.
func clockArgs(k domain.SLAClock) []any {
	return []any{k.DueAt.UTC(), k.AmberAt.UTC(), optTime(k.PausedAt), optTime(k.StoppedAt),
		optString(string(k.Outcome)), int(k.Level), optTime(k.NextFireAt()), optTime(k.AmberWarned)}
}

// guaranteeRow is one row of guarantees.
type guaranteeRow struct {
	Hospital string    `db:"hospital"`
	Amount   int64     `db:"amount_fen"`
	By       string    `db:"given_by"`
	At       time.Time `db:"given_at"`
}

func (r guaranteeRow) toDomain() domain.Guarantee {
	return domain.Guarantee{Hospital: r.Hospital, Amount: money.Fen(r.Amount), By: r.By, At: r.At.UTC()}
}
