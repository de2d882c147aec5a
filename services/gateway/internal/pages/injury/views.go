package injury

import (
	"fmt"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	injuryapi "github.com/anxin-welfare/anxin/api/client/injury"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The pages' views of the injury service's answers (api/openapi/injury.yaml),
// read from the generated types: every optional member there is a pointer
// and every date an openapi_types.Date; the templates read plain values.

// day is a date as YYYY-MM-DD, "" when absent.
func day(d *openapi_types.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// str is a code of a generated string type as the templates read it, ""
// when absent.
func str[T ~string](p *T) string {
	if p == nil {
		return ""
	}
	return string(*p)
}

// caseSummary is one row of the case list.
type caseSummary struct {
	ID, Number, MemberID, MemberName, UnknownName, UnitID string
	Severity, State                                       string
	InjuredAt, OpenedAt, ClosedAt                         time.Time
	Status                                                string
	// DueClock names the clock NextDueAt and Status describe: the running
	// clock due first.
	DueClock   string
	NextDueAt  time.Time
	Escalation string
}

// casesOf are the rows of a page of the case list, as the queue shows them.
func casesOf(l *injuryapi.CaseList) []caseSummary {
	out := make([]caseSummary, 0, len(l.Cases))
	for _, r := range l.Cases {
		cs := caseSummary{Number: webkit.Deref(r.Number), MemberID: webkit.Deref(r.MemberId), MemberName: webkit.Deref(r.MemberName),
			UnknownName: webkit.Deref(r.UnknownName), UnitID: webkit.Deref(r.UnitId), Severity: str(r.Severity), State: str(r.State),
			InjuredAt: webkit.Deref(r.InjuredAt), OpenedAt: webkit.Deref(r.OpenedAt), ClosedAt: webkit.Deref(r.ClosedAt), Status: str(r.Status),
			DueClock: webkit.Deref(r.DueClock), NextDueAt: webkit.Deref(r.NextDueAt), Escalation: str(r.Escalation)}
		if r.Id != nil {
			cs.ID = r.Id.String()
		}
		out = append(out, cs)
	}
	return out
}

// caseClock is one SLA clock of a case.
type caseClock struct {
	Kind, Status, Outcome, Level string
	StartedAt, DueAt, StoppedAt  time.Time
}

// guarantee is a hospital's payment guarantee.
type guarantee struct {
	Hospital  string
	AmountFen int64
	At        time.Time
}

// determination is the work-injury determination's progress.
type determination struct {
	FiledOn, AcceptedOn string
	Paused              bool
	PauseReason         string
	DecidedOn, Outcome  string
	Article, Clause     int
	Reason              string
}

// grading is the grading round under way or last concluded, and the
// conclusion in force.
type grading struct {
	Round, AppliedOn          string
	Extended, Pending, Graded bool
	GradedOn, ReceivedOn      string
	Grade                     int
	Nursing                   string
	PreviousGrade             *int
	Final                     bool
	AppealedOn, AppealNote    string
	RegradingFrom             string
}

// Replaced says the conclusion in force replaced an earlier grade (after
// an appeal or a re-grading); Previous is that grade (0: none reached).
func (g grading) Replaced() bool { return g.PreviousGrade != nil }

// Previous is the grade the conclusion in force replaced.
func (g grading) Previous() int { return webkit.Deref(g.PreviousGrade) }

// injuryLeave is the case's injury leave.
type injuryLeave struct {
	Start, End     string
	ExtendedMonths int
	EndedEarlyOn   string
}

// coverageScheme is one insurance scheme that covered the member on the
// injury date, as enrollment told the injury service.
type coverageScheme struct {
	Scheme, Plan string
	From, To     time.Time
}

// Period is the scheme's cover period in Shanghai dates, for the page.
func (s coverageScheme) Period() web.Message {
	d := func(t time.Time) string { return clock.Local(t).Format(time.DateOnly) }
	if s.To.IsZero() {
		return web.Msg("web.injurycase.coverage_since", d(s.From))
	}
	return web.Msg("web.injurycase.coverage_period", d(s.From), d(s.To))
}

// coverage is the insurance check of the case.
type coverage struct {
	Status  string
	Schemes []coverageScheme
}

// inCharge is the caseworker who took the case and their phone.
type inCharge struct{ Name, Phone string }

// injuryCase is the part of a case the page shows.
type injuryCase struct {
	ID, Number, MemberID, MemberName, UnknownName, UnitID string
	Severity, State                                       string
	InjuredAt                                             time.Time
	Place, Description, Hospital                          string
	OpenedAt                                              time.Time
	Version                                               int64
	Access                                                string
	Clocks                                                []caseClock
	NextActions                                           []string
	Guarantees                                            []guarantee
	Determination                                         determination
	Grading                                               grading
	Leave                                                 injuryLeave
	Coverage                                              coverage
	ClosedAt                                              time.Time
	CloseReason                                           string
	InCharge                                              *inCharge
	// CloseReasons are the reasons the case may close with now, as the
	// injury service's rules say; the close form offers only these.
	CloseReasons []string
}

func caseOf(r injuryapi.Case) injuryCase {
	out := injuryCase{ID: r.Id.String(), Number: r.Number, MemberID: webkit.Deref(r.MemberId), MemberName: webkit.Deref(r.MemberName),
		UnknownName: webkit.Deref(r.UnknownName), UnitID: r.UnitId, Severity: string(r.Severity), State: string(r.State),
		InjuredAt: r.InjuredAt, Place: r.Place, Description: r.Description, Hospital: r.Hospital, OpenedAt: r.OpenedAt,
		Version: int64(r.Version), Access: string(r.Access), ClosedAt: webkit.Deref(r.ClosedAt), CloseReason: str(r.CloseReason)}
	for _, k := range webkit.Deref(r.Clocks) {
		out.Clocks = append(out.Clocks, caseClock{Kind: str(k.Kind), Status: str(k.Status), Outcome: str(k.Outcome), Level: str(k.Level),
			StartedAt: webkit.Deref(k.StartedAt), DueAt: webkit.Deref(k.DueAt), StoppedAt: webkit.Deref(k.StoppedAt)})
	}
	for _, a := range r.NextActions {
		out.NextActions = append(out.NextActions, string(a))
	}
	for _, g := range webkit.Deref(r.Guarantees) {
		out.Guarantees = append(out.Guarantees, guarantee{Hospital: webkit.Deref(g.Hospital), AmountFen: int64(webkit.Deref(g.AmountFen)), At: webkit.Deref(g.At)})
	}
	if d := r.Determination; d != nil {
		out.Determination = determination{FiledOn: day(d.FiledOn), AcceptedOn: day(d.AcceptedOn), Paused: webkit.Deref(d.Paused),
			PauseReason: webkit.Deref(d.PauseReason), DecidedOn: day(d.DecidedOn), Outcome: str(d.Outcome), Article: int(webkit.Deref(d.Article)),
			Clause: webkit.Deref(d.Clause), Reason: webkit.Deref(d.Reason)}
	}
	if g := r.Grading; g != nil {
		out.Grading = grading{Round: str(g.Round), AppliedOn: day(g.AppliedOn), Extended: webkit.Deref(g.Extended), Pending: webkit.Deref(g.Pending),
			Graded: webkit.Deref(g.Graded), GradedOn: day(g.GradedOn), ReceivedOn: day(g.ReceivedOn), Grade: webkit.Deref(g.Grade), Nursing: webkit.Deref(g.Nursing),
			PreviousGrade: g.PreviousGrade, Final: webkit.Deref(g.Final), AppealedOn: day(g.AppealedOn), AppealNote: webkit.Deref(g.AppealNote),
			RegradingFrom: day(g.RegradingFrom)}
	}
	if l := r.InjuryLeave; l != nil {
		out.Leave = injuryLeave{Start: day(l.Start), End: day(l.End), ExtendedMonths: webkit.Deref(l.ExtendedMonths), EndedEarlyOn: day(l.EndedEarlyOn)}
	}
	if cv := r.Coverage; cv != nil {
		out.Coverage.Status = str(cv.Status)
		for _, s := range webkit.Deref(cv.Schemes) {
			out.Coverage.Schemes = append(out.Coverage.Schemes, coverageScheme{Scheme: webkit.Deref(s.Scheme), Plan: webkit.Deref(s.Plan),
				From: webkit.Deref(s.From), To: webkit.Deref(s.To)})
		}
	}
	if ic := r.InCharge; ic != nil {
		out.InCharge = &inCharge{Name: webkit.Deref(ic.Name), Phone: webkit.Deref(ic.Phone)}
	}
	for _, cr := range webkit.Deref(r.CloseReasons) {
		out.CloseReasons = append(out.CloseReasons, string(cr))
	}
	return out
}

// timelineEntry is one entry of a case's timeline.
type timelineEntry struct {
	At                                          time.Time
	ActorName, Kind, Action, FromState, ToState string
	Body                                        string
	// Data is what the sweeper recorded on an escalation or a lapse: the
	// clock and the level it reached.
	Data struct{ Clock, Level string }
}

// EscalationLevel is the level an escalation entry reached. The sweeper
// stores it as the entry's action too, which is not an action of the
// case and has no action label.
func (e timelineEntry) EscalationLevel() string {
	if e.Data.Level != "" {
		return e.Data.Level
	}
	return e.Action
}

func timelineOf(entries []injuryapi.TimelineEntry) []timelineEntry {
	out := make([]timelineEntry, 0, len(entries))
	for _, e := range entries {
		te := timelineEntry{At: webkit.Deref(e.At), ActorName: webkit.Deref(e.ActorName), Kind: str(e.Kind), Action: webkit.Deref(e.Action),
			FromState: webkit.Deref(e.FromState), ToState: webkit.Deref(e.ToState), Body: webkit.Deref(e.Body)}
		data := webkit.Deref(e.Data)
		te.Data.Clock, te.Data.Level = text(data["clock"]), text(data["level"])
		out = append(out, te)
	}
	return out
}

// text is a member of an open object that the service writes as a string.
func text(v any) string {
	switch s := v.(type) {
	case nil:
		return ""
	case string:
		return s
	default:
		return fmt.Sprint(s)
	}
}

// document is one document of a case.
type document struct {
	ID, Kind, FileName, ContentType string
	SizeBytes                       int64
	UploadedAt                      time.Time
}

// SizeKB is the document's size in kilobytes, rounded up, for the page.
func (d document) SizeKB() int64 { return (d.SizeBytes + 1023) / 1024 }

func documentsOf(ds []injuryapi.Document) []document {
	out := make([]document, 0, len(ds))
	for _, d := range ds {
		doc := document{Kind: str(d.Kind), FileName: webkit.Deref(d.FileName), ContentType: str(d.ContentType),
			SizeBytes: int64(webkit.Deref(d.SizeBytes)), UploadedAt: webkit.Deref(d.UploadedAt)}
		if d.Id != nil {
			doc.ID = d.Id.String()
		}
		out = append(out, doc)
	}
	return out
}
