package httpapi

import (
	"slices"
	"time"

	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

// caseView is the JSON of a case. A colleague who reported it gets only the
// report (the fields they entered); the member and staff get everything.
type caseView struct {
	ID          string    `json:"id"`
	Number      string    `json:"number"`
	IncidentID  string    `json:"incident_id"`
	MemberID    string    `json:"member_id,omitempty"`
	MemberName  string    `json:"member_name,omitempty"`
	UnknownName string    `json:"unknown_name,omitempty"`
	UnitID      string    `json:"unit_id"`
	Severity    string    `json:"severity"`
	State       string    `json:"state"`
	InjuredAt   time.Time `json:"injured_at"`
	InjuryDate  string    `json:"injury_date"`
	Place       string    `json:"place"`
	Description string    `json:"description"`
	Hospital    string    `json:"hospital"`
	OpenedAt    time.Time `json:"opened_at"`
	Version     int64     `json:"version"`
	Access      string    `json:"access"`

	Reporter       *reporterView      `json:"reporter,omitempty"`
	Category       string             `json:"category,omitempty"`
	AcknowledgedAt *time.Time         `json:"acknowledged_at,omitempty"`
	HandoffAt      *time.Time         `json:"handoff_at,omitempty"`
	Guarantees     []guaranteeView    `json:"guarantees,omitempty"`
	Determination  *determinationView `json:"determination,omitempty"`
	Grading        *gradingView       `json:"grading,omitempty"`
	Leave          *leaveView         `json:"injury_leave,omitempty"`
	ClosedAt       *time.Time         `json:"closed_at,omitempty"`
	CloseReason    string             `json:"close_reason,omitempty"`
	Coverage       *coverageView      `json:"coverage,omitempty"`
	Clocks         []clockView        `json:"clocks,omitempty"`
	NextActions    []domain.Action    `json:"next_actions"`
	// CloseReasons are the reasons the case may close with now, when
	// closing is among the next actions (the domain's rule, not a copy).
	CloseReasons []domain.CloseReason `json:"close_reasons,omitempty"`
	// InCharge is the caseworker who took the case, for the member and
	// staff.
	InCharge *inChargeView `json:"in_charge,omitempty"`
}

type inChargeView struct {
	UserID string `json:"user_id"`
	Name   string `json:"name"`
	Phone  string `json:"phone,omitempty"`
}

type reporterView struct {
	UserID string `json:"user_id"`
	Name   string `json:"name,omitempty"`
}

type guaranteeView struct {
	Hospital  string    `json:"hospital"`
	AmountFen int64     `json:"amount_fen"`
	At        time.Time `json:"at"`
	By        string    `json:"by"`
}

type determinationView struct {
	FiledOn            string `json:"filed_on,omitempty"`
	Filer              string `json:"filer,omitempty"`
	DocumentsRequested bool   `json:"documents_requested"`
	AcceptedOn         string `json:"accepted_on,omitempty"`
	ClearFacts         bool   `json:"clear_facts"`
	Paused             bool   `json:"paused"`
	PauseReason        string `json:"pause_reason,omitempty"`
	DecidedOn          string `json:"decided_on,omitempty"`
	Outcome            string `json:"outcome,omitempty"`
	Article            int    `json:"article,omitempty"`
	Clause             int    `json:"clause,omitempty"`
	Reason             string `json:"reason,omitempty"`
}

type gradingView struct {
	Round         string `json:"round"`
	AppliedOn     string `json:"applied_on,omitempty"`
	Extended      bool   `json:"extended"`
	Pending       bool   `json:"pending"`
	Graded        bool   `json:"graded"`
	GradedOn      string `json:"graded_on,omitempty"`
	ReceivedOn    string `json:"received_on,omitempty"`
	Grade         *int   `json:"grade,omitempty"`
	Nursing       string `json:"nursing,omitempty"`
	PreviousGrade *int   `json:"previous_grade,omitempty"`
	Final         bool   `json:"final"`
	AppealedOn    string `json:"appealed_on,omitempty"`
	AppealNote    string `json:"appeal_note,omitempty"`
	RegradingFrom string `json:"regrading_from,omitempty"`
}

type leaveView struct {
	Start          string `json:"start"`
	End            string `json:"end"`
	ExtendedMonths int    `json:"extended_months"`
	EndedEarlyOn   string `json:"ended_early_on,omitempty"`
}

type coverageView struct {
	Status    string                  `json:"status"`
	Schemes   []domain.SchemeCoverage `json:"schemes"`
	CheckedAt *time.Time              `json:"checked_at,omitempty"`
	Attempts  int                     `json:"attempts"`
}

type clockView struct {
	Kind      string     `json:"kind"`
	Status    string     `json:"status"`
	StartedAt time.Time  `json:"started_at"`
	DueAt     time.Time  `json:"due_at"`
	PausedAt  *time.Time `json:"paused_at,omitempty"`
	StoppedAt *time.Time `json:"stopped_at,omitempty"`
	Outcome   string     `json:"outcome,omitempty"`
	Level     string     `json:"level"`
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func optInstant(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

var accessNames = map[domain.Access]string{domain.AccessReporter: "reporter", domain.AccessMember: "member", domain.AccessStaff: "staff"}

func viewCase(c *domain.Case, who domain.Actor, now time.Time) caseView {
	access := c.AccessFor(who)
	v := caseView{
		ID: c.ID, Number: c.Number, IncidentID: c.IncidentID, MemberID: c.MemberID, UnknownName: c.UnknownName,
		UnitID: c.UnitID, Severity: string(c.Severity), State: string(c.State), InjuredAt: c.InjuredAt.UTC(),
		InjuryDate: dateString(c.InjuryDate()), Place: c.Place, Description: c.Description, Hospital: c.Hospital,
		OpenedAt: c.OpenedAt.UTC(), Version: c.Version, Access: accessNames[access], NextActions: []domain.Action{},
	}
	if access < domain.AccessMember {
		return v
	}
	v.Reporter = &reporterView{UserID: c.Reporter.UserID, Name: c.Reporter.Name}
	v.Category = c.Category
	v.AcknowledgedAt, v.HandoffAt = optInstant(c.AcknowledgedAt), optInstant(c.HandoffAt)
	for _, g := range c.Guarantees {
		v.Guarantees = append(v.Guarantees, guaranteeView{Hospital: g.Hospital, AmountFen: int64(g.Amount), At: g.At, By: g.By})
	}
	if d := c.Determination; !d.FiledOn.IsZero() {
		v.Determination = &determinationView{FiledOn: dateString(d.FiledOn), Filer: string(d.Filer), DocumentsRequested: d.DocumentsRequested,
			AcceptedOn: dateString(d.AcceptedOn), ClearFacts: d.ClearFacts, Paused: d.Paused, PauseReason: d.PauseReason,
			DecidedOn: dateString(d.DecidedOn), Outcome: string(d.Outcome), Article: d.Outcome.Article(), Clause: d.Clause, Reason: d.Reason}
	}
	if g := c.Grading; !g.AppliedOn.IsZero() {
		gv := &gradingView{Round: string(g.Round), AppliedOn: dateString(g.AppliedOn), Extended: g.Extended, Pending: g.Pending,
			Graded: g.Graded, GradedOn: dateString(g.GradedOn), ReceivedOn: dateString(g.ReceivedOn), Nursing: string(g.Nursing),
			Final: g.Final(), AppealedOn: dateString(g.AppealedOn), AppealNote: g.AppealNote, RegradingFrom: dateString(g.RegradingFrom())}
		if g.Graded {
			grade := g.Grade
			gv.Grade = &grade
		}
		if g.HasPrevious {
			prev := g.PreviousGrade
			gv.PreviousGrade = &prev
		}
		v.Grading = gv
	}
	if l := c.Leave; l.Active() {
		v.Leave = &leaveView{Start: dateString(l.Start), End: dateString(l.End), ExtendedMonths: l.ExtendedMonths, EndedEarlyOn: dateString(l.EndedEarlyOn)}
	}
	v.ClosedAt, v.CloseReason = optInstant(c.ClosedAt), string(c.CloseReason)
	if c.InCharge.UserID != "" {
		v.InCharge = &inChargeView{UserID: c.InCharge.UserID, Name: c.InCharge.Name, Phone: c.InCharge.Phone}
	}
	schemes := c.Coverage.Schemes
	if schemes == nil {
		schemes = []domain.SchemeCoverage{}
	}
	v.Coverage = &coverageView{Status: string(c.Coverage.Status), Schemes: schemes, CheckedAt: optInstant(c.Coverage.CheckedAt), Attempts: c.Coverage.Attempts}
	for i := range c.Clocks {
		k := &c.Clocks[i]
		v.Clocks = append(v.Clocks, clockView{Kind: string(k.Kind), Status: string(k.Status(now)), StartedAt: k.StartedAt,
			DueAt: k.DueAt, PausedAt: optInstant(k.PausedAt), StoppedAt: optInstant(k.StoppedAt), Outcome: string(k.Outcome), Level: k.Level.String()})
	}
	if next := c.NextActions(who, now); next != nil {
		v.NextActions = next
		if slices.Contains(next, domain.ActClose) {
			v.CloseReasons = c.CloseReasons()
		}
	}
	return v
}
