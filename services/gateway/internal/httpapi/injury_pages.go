package httpapi

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Pages of the injury green channel, over /api/v1/injury (api/openapi/injury.yaml).

const injuryAPI = "/api/v1/injury"

// injuryCaseSummary is one row of GET /cases.
type injuryCaseSummary struct {
	ID          string    `json:"id"`
	Number      string    `json:"number"`
	MemberID    string    `json:"member_id"`
	UnknownName string    `json:"unknown_name"`
	UnitID      string    `json:"unit_id"`
	Severity    string    `json:"severity"`
	State       string    `json:"state"`
	InjuredAt   time.Time `json:"injured_at"`
	OpenedAt    time.Time `json:"opened_at"`
	Status      string    `json:"status"`
	NextDueAt   time.Time `json:"next_due_at"`
	Escalation  string    `json:"escalation"`
}

type injuryCaseList struct {
	Cases []injuryCaseSummary `json:"cases"`
}

// injuryClock is one SLA clock of a case.
type injuryClock struct {
	Kind      string    `json:"kind"`
	Status    string    `json:"status"`
	StartedAt time.Time `json:"started_at"`
	DueAt     time.Time `json:"due_at"`
	StoppedAt time.Time `json:"stopped_at"`
	Outcome   string    `json:"outcome"`
	Level     string    `json:"level"`
}

// injuryCase is the part of GET /cases/{id} the page shows.
type injuryCase struct {
	ID          string        `json:"id"`
	Number      string        `json:"number"`
	MemberID    string        `json:"member_id"`
	UnknownName string        `json:"unknown_name"`
	UnitID      string        `json:"unit_id"`
	Severity    string        `json:"severity"`
	State       string        `json:"state"`
	InjuredAt   time.Time     `json:"injured_at"`
	Place       string        `json:"place"`
	Description string        `json:"description"`
	Hospital    string        `json:"hospital"`
	OpenedAt    time.Time     `json:"opened_at"`
	Version     int64         `json:"version"`
	Access      string        `json:"access"`
	Clocks      []injuryClock `json:"clocks"`
	NextActions []string      `json:"next_actions"`
	Guarantees  []struct {
		Hospital  string    `json:"hospital"`
		AmountFen int64     `json:"amount_fen"`
		At        time.Time `json:"at"`
	} `json:"guarantees"`
	Determination struct {
		FiledOn   string `json:"filed_on"`
		DecidedOn string `json:"decided_on"`
		Outcome   string `json:"outcome"`
	} `json:"determination"`
	Grading struct {
		Graded bool `json:"graded"`
		Grade  int  `json:"grade"`
	} `json:"grading"`
}

type injuryTimelineEntry struct {
	At        time.Time `json:"at"`
	ActorName string    `json:"actor_name"`
	Kind      string    `json:"kind"`
	Action    string    `json:"action"`
	FromState string    `json:"from_state"`
	ToState   string    `json:"to_state"`
	Body      string    `json:"body"`
}

func (h *handlers) registerInjuryPages(g *gin.RouterGroup) {
	member := h.requireUser(domain.RoleOfficer, domain.RoleFamily, domain.RoleCaseworker, domain.RoleUnitHead)
	g.GET("/injury/report", member, h.injuryReportPage)
	g.POST("/injury/report", member, h.injuryReport)
	g.GET("/cases/:id", h.requireUser(), h.injuryCasePage)
	g.POST("/cases/:id/actions/:action", h.requireUser(), h.injuryAct)
	g.GET("/work/queue", h.requireUser(domain.RoleCaseworker, domain.RoleUnitHead), h.workQueue)
}

// injuryReportData feeds the report form.
type injuryReportData struct {
	Units      []web.Option
	OneUnit    string
	Severities []web.Option
	ForMember  bool // the injured person is the user's member: no name to type
}

var severityOptions = []web.Option{
	{Value: "serious", Label: "web.injury.severity.serious"},
	{Value: "critical", Label: "web.injury.severity.critical"},
	{Value: "minor", Label: "web.injury.severity.minor"},
}

func (h *handlers) injuryReportData(u *domain.User) injuryReportData {
	d := injuryReportData{Severities: severityOptions, ForMember: u.MemberID != "" && u.Has(domain.RoleOfficer, domain.RoleFamily)}
	for _, unit := range u.Units {
		d.Units = append(d.Units, web.Option{Value: unit, Label: unit})
	}
	if len(u.Units) == 1 {
		d.OneUnit = u.Units[0]
	}
	return d
}

func (h *handlers) injuryReportPage(c *gin.Context) {
	now := clock.Local(h.Clock.Now())
	form := web.NewForm().Set("injured_at", now.Format("2006-01-02T15:04")).Set("severity", "serious")
	h.renderInjuryReport(c, http.StatusOK, form)
}

func (h *handlers) renderInjuryReport(c *gin.Context, status int, form *web.Form) {
	p := h.page(c, "web.injury.report.title")
	p.Form = form
	p.Data = h.injuryReportData(currentUser(c))
	h.render(c, status, "injury_report", p)
}

// openCaseRequest is POST /api/v1/injury/cases.
type openCaseRequest struct {
	MemberID    string `json:"member_id,omitempty"`
	UnknownName string `json:"unknown_name,omitempty"`
	UnitID      string `json:"unit_id"`
	InjuredAt   string `json:"injured_at"`
	Place       string `json:"place"`
	Description string `json:"description"`
	Hospital    string `json:"hospital,omitempty"`
	Severity    string `json:"severity"`
}

// injuryReport opens a case in one step: a phone, a minute, no JavaScript.
func (h *handlers) injuryReport(c *gin.Context) {
	u := currentUser(c)
	form := web.NewForm()
	for _, f := range []string{"unit_id", "injured_at", "place", "description", "hospital", "severity", "unknown_name", "member_id"} {
		form.Set(f, strings.TrimSpace(c.PostForm(f)))
	}
	req := openCaseRequest{
		UnitID: form.Value("unit_id"), InjuredAt: form.Value("injured_at"), Place: form.Value("place"),
		Description: form.Value("description"), Hospital: form.Value("hospital"), Severity: form.Value("severity"),
	}
	if d := h.injuryReportData(u); d.ForMember {
		req.MemberID = u.MemberID
	} else {
		req.MemberID, req.UnknownName = form.Value("member_id"), form.Value("unknown_name")
	}
	var created injuryCase
	_, err := h.call(c, http.MethodPost, "injury", injuryAPI+"/cases", 0, req, &created)
	if err != nil {
		if problemOnForm(err, form, nil) {
			h.renderInjuryReport(c, http.StatusUnprocessableEntity, form)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/cases/"+url.PathEscape(created.ID)+"?m=reported")
}

// actionField describes one input of a case action's form.
type actionField struct {
	Name    string
	Type    string // text, date, yuan, number, checkbox, select
	Options []web.Option
}

var outcomeOptions = []web.Option{
	{Value: "recognised", Label: "web.injury.outcome.recognised"},
	{Value: "deemed", Label: "web.injury.outcome.deemed"},
	{Value: "rejected", Label: "web.injury.outcome.rejected"},
}

var nursingOptions = []web.Option{
	{Value: "none", Label: "web.injury.nursing.none"},
	{Value: "partial", Label: "web.injury.nursing.partial"},
	{Value: "most", Label: "web.injury.nursing.most"},
	{Value: "total", Label: "web.injury.nursing.total"},
}

var closeOptions = []web.Option{
	{Value: "completed", Label: "web.injury.close.completed"},
	{Value: "rejected", Label: "web.injury.close.rejected"},
	{Value: "withdrawn", Label: "web.injury.close.withdrawn"},
	{Value: "duplicate", Label: "web.injury.close.duplicate"},
}

// actionFields are the members each action takes (injury.yaml, actOnCase).
var actionFields = map[string][]actionField{
	"acknowledge":          nil,
	"confirm_handoff":      {{Name: "hospital", Type: "text"}, {Name: "guarantee_fen", Type: "yuan"}},
	"record_guarantee":     {{Name: "hospital", Type: "text"}, {Name: "amount_fen", Type: "yuan"}},
	"identify_member":      {{Name: "member_id", Type: "text"}},
	"file_determination":   {{Name: "filed_on", Type: "date"}},
	"request_documents":    {{Name: "on", Type: "date"}},
	"supplement_documents": {{Name: "on", Type: "date"}},
	"accept_filing":        {{Name: "accepted_on", Type: "date"}, {Name: "clear_facts", Type: "checkbox"}},
	"pause_decision":       {{Name: "reason", Type: "text"}},
	"resume_decision":      nil,
	"decide": {{Name: "decided_on", Type: "date"}, {Name: "outcome", Type: "select", Options: outcomeOptions},
		{Name: "clause", Type: "number"}, {Name: "reason", Type: "text"}},
	"request_grading": {{Name: "applied_on", Type: "date"}},
	"extend_grading":  nil,
	"record_grade": {{Name: "graded_on", Type: "date"}, {Name: "grade", Type: "number"},
		{Name: "nursing", Type: "select", Options: nursingOptions}},
	"start_leave":  {{Name: "start", Type: "date"}},
	"extend_leave": {{Name: "months", Type: "number"}},
	"end_leave":    {{Name: "on", Type: "date"}},
	"close":        {{Name: "reason", Type: "select", Options: closeOptions}},
}

// actionForm is one action's form on the case page.
type actionForm struct {
	Action string
	Fields []actionFieldView
	Errors []web.Message // of the whole action
	Open   bool          // the action just failed: show it expanded
}

type actionFieldView struct {
	actionField
	ID     string
	Value  string
	Errors []web.Message
}

type injuryCaseData struct {
	Case          injuryCase
	Timeline      []injuryTimelineEntry
	Actions       []actionForm
	Documents     []injuryDocument
	DocumentKinds []web.Option
	Calculations  []injuryCalculation
	// CalcForm is the calculation form of a caseworker (nil for anyone
	// else): its values, or what a refused one held.
	CalcForm       *web.Form
	NursingOptions []web.Option
}

var injuryNotices = map[string]string{
	"reported": "web.injury.reported", "done": "web.injury.action_done",
	"commented": "web.injury.commented", "uploaded": "web.injury.uploaded", "calculated": "web.injury.calc.done",
}

func (h *handlers) injuryCasePage(c *gin.Context) {
	var flash *web.Message
	if key, ok := injuryNotices[c.Query("m")]; ok {
		m := web.Msg(key)
		flash = &m
	}
	h.renderInjuryCase(c, http.StatusOK, "", nil, flash)
}

// renderInjuryCase shows a case; failed names the action whose form holds
// the values and errors of form, or is "comment" or "document" for those
// two forms.
func (h *handlers) renderInjuryCase(c *gin.Context, status int, failed string, form *web.Form, flash *web.Message) {
	id := url.PathEscape(c.Param("id"))
	var cs injuryCase
	if _, err := h.call(c, http.MethodGet, "injury", injuryAPI+"/cases/"+id, 0, nil, &cs); err != nil {
		h.serviceFailed(c, err)
		return
	}
	var tl struct {
		Entries []injuryTimelineEntry `json:"entries"`
	}
	if _, err := h.call(c, http.MethodGet, "injury", injuryAPI+"/cases/"+id+"/timeline", 0, nil, &tl); err != nil {
		h.serviceFailed(c, err)
		return
	}
	var docs struct {
		Documents []injuryDocument `json:"documents"`
	}
	if _, err := h.call(c, http.MethodGet, "injury", injuryAPI+"/cases/"+id+"/documents", 0, nil, &docs); err != nil {
		h.serviceFailed(c, err)
		return
	}
	calcs, err := h.injuryCalculations(c, c.Param("id"))
	if err != nil {
		var ae *APIError
		if !errors.As(err, &ae) || (ae.Status != http.StatusNotFound && ae.Status != http.StatusForbidden) {
			h.serviceFailed(c, err)
			return
		}
		calcs = nil // a reporting colleague is not shown the benefits
	}
	today := clock.Today(h.Clock).Format(time.DateOnly)
	d := injuryCaseData{Case: cs, Timeline: tl.Entries, Documents: docs.Documents, DocumentKinds: documentKindOptions(),
		Calculations: calcs, NursingOptions: nursingOptions}
	if currentUser(c).Has(domain.RoleCaseworker) && cs.Access == "staff" {
		d.CalcForm = web.NewForm().Set("nursing", "none")
		if cs.Grading.Graded {
			d.CalcForm.Set("grade", strconv.Itoa(cs.Grading.Grade))
		}
		if failed == "calculation" && form != nil {
			d.CalcForm = form
		}
	}
	for _, a := range cs.NextActions {
		fields, known := actionFields[a]
		if !known {
			continue
		}
		af := actionForm{Action: a, Open: a == failed}
		for _, f := range fields {
			v := actionFieldView{actionField: f, ID: a + "-" + f.Name}
			if f.Type == "date" {
				v.Value = today
			}
			if a == failed && form != nil {
				v.Value = form.Value(f.Name)
				v.Errors = form.Errors(f.Name)
			}
			af.Fields = append(af.Fields, v)
		}
		if a == failed && form != nil {
			af.Errors = form.General()
		}
		d.Actions = append(d.Actions, af)
	}
	p := h.page(c, "web.injury.case.title")
	p.Flash, p.Data = flash, d
	if failed == "comment" || failed == "document" {
		p.Form = form
	}
	h.render(c, status, "injury_case", p)
}

// injuryAct takes one step on a case with the form's members, converted to
// the API's types; the case's version guards against a colleague's step in
// between.
func (h *handlers) injuryAct(c *gin.Context) {
	action := c.Param("action")
	fields, known := actionFields[action]
	if !known {
		h.errorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	form := web.NewForm()
	body := map[string]any{}
	for _, f := range fields {
		raw := strings.TrimSpace(c.PostForm(f.Name))
		form.Set(f.Name, raw)
		switch f.Type {
		case "checkbox":
			body[f.Name] = raw != ""
		case "yuan":
			if raw == "" {
				continue
			}
			fen, err := money.Parse(raw)
			if err != nil {
				form.AddError(f.Name, web.Msg("field.money"))
				continue
			}
			body[f.Name] = int64(fen)
		case "number":
			if raw == "" {
				continue
			}
			n, err := strconv.Atoi(raw)
			if err != nil {
				form.AddError(f.Name, web.Msg("field.invalid"))
				continue
			}
			body[f.Name] = n
		default:
			if raw != "" {
				body[f.Name] = raw
			}
		}
	}
	version, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
	if err != nil || version < 1 {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	if form.HasErrors() {
		h.renderInjuryCase(c, http.StatusUnprocessableEntity, action, form, nil)
		return
	}
	id := url.PathEscape(c.Param("id"))
	_, err = h.call(c, http.MethodPost, "injury", injuryAPI+"/cases/"+id+"/actions/"+url.PathEscape(action), version, body, nil)
	if err != nil {
		if problemOnForm(err, form, nil) {
			status := http.StatusUnprocessableEntity
			var ae *APIError
			if errors.As(err, &ae) && ae.Status == http.StatusConflict {
				status = http.StatusConflict
			}
			h.renderInjuryCase(c, status, action, form, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/cases/"+id+"?m=done")
}

// workQueueData feeds the caseworker's queue.
type workQueueData struct {
	Grants []grantApplication
	Cases  []injuryCaseSummary
	State  string
	Unit   string
	Units  []string
	States []string
}

var injuryStates = []string{"triage", "treatment", "determination_filing", "determination_decided", "disability_grading", "closed"}

// workQueue is the caseworker's queue, most urgent first as the service
// sorts it, filtered by state (by the service) and unit (here: the service
// already limits it to the caseworker's units).
func (h *handlers) workQueue(c *gin.Context) {
	state := c.Query("state")
	if !slices.Contains(injuryStates, state) {
		state = ""
	}
	path := injuryAPI + "/cases"
	if state != "" {
		path += "?state=" + url.QueryEscape(state)
	}
	var list injuryCaseList
	if _, err := h.call(c, http.MethodGet, "injury", path, 0, nil, &list); err != nil {
		h.serviceFailed(c, err)
		return
	}
	unit := c.Query("unit")
	d := workQueueData{State: state, Unit: unit, Units: currentUser(c).Units, States: injuryStates}
	for _, cs := range list.Cases {
		if unit == "" || cs.UnitID == unit {
			d.Cases = append(d.Cases, cs)
		}
	}
	if currentUser(c).Has(domain.RoleCaseworker) && h.Upstreams.Has("grants") {
		apps, err := h.grantQueue(c, "unit", "submitted")
		if err != nil {
			h.serviceFailed(c, err)
			return
		}
		d.Grants = apps
	}
	p := h.page(c, "web.queue.title")
	p.Data = d
	h.withUnitNames(c, p)
	h.render(c, http.StatusOK, "work_queue", p)
}
