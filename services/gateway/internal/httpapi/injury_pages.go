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
	MemberName  string    `json:"member_name"` // from the injury service's member projection
	UnknownName string    `json:"unknown_name"`
	UnitID      string    `json:"unit_id"`
	Severity    string    `json:"severity"`
	State       string    `json:"state"`
	InjuredAt   time.Time `json:"injured_at"`
	OpenedAt    time.Time `json:"opened_at"`
	ClosedAt    time.Time `json:"closed_at"`
	Status      string    `json:"status"`
	// DueClock names the clock NextDueAt and Status describe: the running
	// clock due first.
	DueClock   string    `json:"due_clock"`
	NextDueAt  time.Time `json:"next_due_at"`
	Escalation string    `json:"escalation"`
	// InChargeName and InChargePhone: the caseworker who took the case.
	InChargeName  string `json:"in_charge_name"`
	InChargePhone string `json:"in_charge_phone"`
}

type injuryCaseList struct {
	Cases []injuryCaseSummary `json:"cases"`
	Next  string              `json:"next"`
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
	MemberName  string        `json:"member_name"`
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
		FiledOn     string `json:"filed_on"`
		AcceptedOn  string `json:"accepted_on"`
		Paused      bool   `json:"paused"`
		PauseReason string `json:"pause_reason"`
		DecidedOn   string `json:"decided_on"`
		Outcome     string `json:"outcome"`
		Article     int    `json:"article"`
		Clause      int    `json:"clause"`
		Reason      string `json:"reason"`
	} `json:"determination"`
	Grading injuryGrading `json:"grading"`
	Leave   struct {
		Start          string `json:"start"`
		End            string `json:"end"`
		ExtendedMonths int    `json:"extended_months"`
		EndedEarlyOn   string `json:"ended_early_on"`
	} `json:"injury_leave"`
	Coverage struct {
		Status  string                 `json:"status"`
		Schemes []injuryCoverageScheme `json:"schemes"`
	} `json:"coverage"`
	ClosedAt    time.Time `json:"closed_at"`
	CloseReason string    `json:"close_reason"`
	// InCharge is the caseworker who took the case and their phone.
	InCharge *struct {
		Name  string `json:"name"`
		Phone string `json:"phone"`
	} `json:"in_charge"`
	// CloseReasons are the reasons the case may close with now, as the
	// injury service's rules say; the close form offers only these.
	CloseReasons []string `json:"close_reasons"`
}

// injuryGrading is the grading round under way or last concluded, and the
// conclusion in force.
type injuryGrading struct {
	Round         string `json:"round"`
	AppliedOn     string `json:"applied_on"`
	Extended      bool   `json:"extended"`
	Pending       bool   `json:"pending"`
	Graded        bool   `json:"graded"`
	GradedOn      string `json:"graded_on"`
	ReceivedOn    string `json:"received_on"`
	Grade         int    `json:"grade"`
	Nursing       string `json:"nursing"`
	PreviousGrade *int   `json:"previous_grade"`
	Final         bool   `json:"final"`
	AppealedOn    string `json:"appealed_on"`
	AppealNote    string `json:"appeal_note"`
	RegradingFrom string `json:"regrading_from"`
}

// Replaced says the conclusion in force replaced an earlier grade (after
// an appeal or a re-grading); Previous is that grade (0: none reached).
func (g injuryGrading) Replaced() bool { return g.PreviousGrade != nil }

// Previous is the grade the conclusion in force replaced.
func (g injuryGrading) Previous() int {
	if g.PreviousGrade == nil {
		return 0
	}
	return *g.PreviousGrade
}

// injuryCoverageScheme is one insurance scheme that covered the member on
// the injury date, as enrollment told the injury service.
type injuryCoverageScheme struct {
	Scheme string    `json:"scheme"`
	Plan   string    `json:"plan"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
}

// Period is the scheme's cover period in Shanghai dates, for the page.
func (s injuryCoverageScheme) Period() web.Message {
	day := func(t time.Time) string { return clock.Local(t).Format(time.DateOnly) }
	if s.To.IsZero() {
		return web.Msg("web.injurycase.coverage_since", day(s.From))
	}
	return web.Msg("web.injurycase.coverage_period", day(s.From), day(s.To))
}

type injuryTimelineEntry struct {
	At        time.Time `json:"at"`
	ActorName string    `json:"actor_name"`
	Kind      string    `json:"kind"`
	Action    string    `json:"action"`
	FromState string    `json:"from_state"`
	ToState   string    `json:"to_state"`
	Body      string    `json:"body"`
	// Data is what the sweeper recorded on an escalation or a lapse: the
	// clock and the level it reached.
	Data struct {
		Clock string `json:"clock"`
		Level string `json:"level"`
	} `json:"data"`
}

// EscalationLevel is the level an escalation entry reached. The sweeper
// stores it as the entry's action too, which is not an action of the
// case and has no action label.
func (e injuryTimelineEntry) EscalationLevel() string {
	if e.Data.Level != "" {
		return e.Data.Level
	}
	return e.Action
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
	// Units are the units to choose from, by name, when the unit is not
	// known otherwise.
	Units []web.Option
	// OneUnit is the unit of the report when it is known: the injured
	// member's (a member reporting for themselves) or the reporter's only
	// unit. It is shown by name; nobody chooses it.
	OneUnit string
	// FromRecord says OneUnit was read from the member record.
	FromRecord bool
	Severities []web.Option
	// ForMember: the injured person is the user's member (an officer, or
	// the family of one): no name to type or find.
	ForMember bool
	// MemberName is that member's name, when enrollment told it.
	MemberName string
	// Find is the search for the injured member of staff reporting for
	// someone; Chosen the member chosen from it.
	Find   memberFind
	Chosen string
}

var severityOptions = []web.Option{
	{Value: "serious", Label: "web.injury.severity.serious"},
	{Value: "critical", Label: "web.injury.severity.critical"},
	{Value: "minor", Label: "web.injury.severity.minor"},
}

// reportsForSelf says u reports an injury of their own member: an officer
// themselves, a family member the officer they belong to.
func reportsForSelf(u *domain.User) bool {
	return u.MemberID != "" && u.Has(domain.RoleOfficer, domain.RoleFamily)
}

// selfUnit is the member u reports for (their own record, or the
// officer's for a family member) and that member's unit. The record is
// the truth; when enrollment does not answer (it is not routed, or does
// not show the record to this user), an account with a single unit gives
// it; otherwise unit is "" and the person is asked.
func (h *handlers) selfUnit(c *gin.Context, u *domain.User) (name, unit string, fromRecord bool) {
	m, err := h.enrollmentMember(c, u.MemberID)
	if err == nil && m.UnitID != "" {
		return m.Name, m.UnitID, true
	}
	if err != nil && !errors.Is(err, errNotRouted) {
		h.Log.InfoContext(c, "reporter's member record not read", "error", err)
	}
	if len(u.Units) == 1 {
		return "", u.Units[0], false
	}
	return "", "", false
}

// reportUnit is the unit a report is filed in: the one the form shows by
// name when there is one, else the one chosen.
func (h *handlers) reportUnit(c *gin.Context, u *domain.User, chosen string) string {
	if reportsForSelf(u) {
		if _, unit, _ := h.selfUnit(c, u); unit != "" {
			return unit
		}
		return chosen
	}
	if len(u.Units) == 1 {
		return u.Units[0]
	}
	return chosen
}

func (h *handlers) injuryReportPage(c *gin.Context) {
	now := clock.Local(h.Clock.Now())
	form := web.NewForm().Set("injured_at", now.Format("2006-01-02T15:04")).Set("severity", "serious")
	status := http.StatusOK
	var find memberFind
	if !reportsForSelf(currentUser(c)) {
		find = h.findMembers(c, c.Query("q"), c.Request.URL.Query().Has("q"))
		if find.Invalid {
			status = http.StatusUnprocessableEntity
		}
	}
	h.renderInjuryReport(c, status, form, find)
}

func (h *handlers) renderInjuryReport(c *gin.Context, status int, form *web.Form, find memberFind) {
	p := h.page(c, "web.injury.report.title")
	p.Form = form
	h.withUnitNames(c, p)
	u := currentUser(c)
	d := injuryReportData{Severities: severityOptions, ForMember: reportsForSelf(u), Find: find}
	if d.ForMember {
		d.MemberName, d.OneUnit, d.FromRecord = h.selfUnit(c, u)
	} else {
		if len(u.Units) == 1 {
			d.OneUnit = u.Units[0]
		}
		d.Chosen = form.Value("member_id")
		h.keepChosen(c, &d.Find, d.Chosen)
	}
	if d.OneUnit == "" {
		for _, id := range u.Units {
			d.Units = append(d.Units, web.Option{Value: id, Label: p.UnitName(id)})
		}
	}
	p.Data = d
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
	for _, f := range []string{"unit_id", "injured_at", "place", "description", "hospital", "severity", "unknown_name", "member_id", "q"} {
		form.Set(f, strings.TrimSpace(c.PostForm(f)))
	}
	req := openCaseRequest{
		UnitID: h.reportUnit(c, u, form.Value("unit_id")), InjuredAt: form.Value("injured_at"), Place: form.Value("place"),
		Description: form.Value("description"), Hospital: form.Value("hospital"), Severity: form.Value("severity"),
	}
	if reportsForSelf(u) {
		req.MemberID = u.MemberID
	} else {
		req.MemberID, req.UnknownName = form.Value("member_id"), form.Value("unknown_name")
	}
	var created injuryCase
	_, err := h.call(c, http.MethodPost, "injury", injuryAPI+"/cases", 0, req, &created)
	if err != nil {
		if problemOnForm(err, form, nil) {
			// the search the member was chosen from, shown again
			var find memberFind
			if q := form.Value("q"); q != "" && !reportsForSelf(u) {
				find = h.findMembers(c, q, true)
			}
			h.renderInjuryReport(c, http.StatusUnprocessableEntity, form, find)
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
	Type    string // text, textarea, date, yuan, number, checkbox, select, member (chosen from a name search)
	Options []web.Option
	// Optional: the API takes the field's absence as a default (a date
	// left empty is not filled in with today).
	Optional bool
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

// closeOptionsFor are the close reasons the service allows now, in the
// order of closeOptions.
func closeOptionsFor(allowed []string) []web.Option {
	var out []web.Option
	for _, o := range closeOptions {
		if slices.Contains(allowed, o.Value) {
			out = append(out, o)
		}
	}
	return out
}

// actionFields are the members each action takes (injury.yaml, actOnCase).
var actionFields = map[string][]actionField{
	"acknowledge":          {{Name: "phone", Type: "tel", Optional: true}},
	"confirm_handoff":      {{Name: "hospital", Type: "text"}, {Name: "guarantee_fen", Type: "yuan"}, {Name: "phone", Type: "tel", Optional: true}},
	"record_guarantee":     {{Name: "hospital", Type: "text"}, {Name: "amount_fen", Type: "yuan"}},
	"identify_member":      {{Name: "member_id", Type: "member"}},
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
	"record_grade": {{Name: "graded_on", Type: "date"}, {Name: "received_on", Type: "date", Optional: true},
		{Name: "grade", Type: "number"}, {Name: "nursing", Type: "select", Options: nursingOptions}},
	"file_appeal":       {{Name: "filed_on", Type: "date"}, {Name: "note", Type: "textarea"}},
	"request_regrading": {{Name: "applied_on", Type: "date"}},
	"start_leave":       {{Name: "start", Type: "date"}},
	"extend_leave":      {{Name: "months", Type: "number"}},
	"end_leave":         {{Name: "on", Type: "date"}},
	"close":             {{Name: "reason", Type: "select", Options: closeOptions}},
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
	// MemberName names the injured member (their id when enrollment does
	// not tell).
	MemberName string
	// Find is the name search of the identify_member action.
	Find memberFind
	// Confirm asks to confirm the closing of the case (the first press
	// of 结案 changed nothing).
	Confirm *confirmCard
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
		Calculations: calcs, NursingOptions: nursingOptions, MemberName: cs.MemberName}
	if d.MemberName == "" && cs.MemberID != "" {
		// the injury service has not heard of the member yet: enrollment
		// may name them (to those it shows the record), else the id
		d.MemberName = cs.MemberID
		if name := h.injuryMemberNames(c, []string{cs.MemberID}, 1)[cs.MemberID]; name != "" {
			d.MemberName = name
		}
	}
	findSearched := false
	if slices.Contains(cs.NextActions, "identify_member") {
		q, searched := c.Query("find"), c.Request.URL.Query().Has("find")
		if failed == "identify_member" && form != nil {
			q, searched = form.Value("find"), form.Value("find") != ""
		}
		d.Find = h.findMembers(c, q, searched)
		findSearched = searched
		if failed == "identify_member" && form != nil {
			h.keepChosen(c, &d.Find, form.Value("member_id"))
		}
		if d.Find.Invalid && status == http.StatusOK {
			status = http.StatusUnprocessableEntity
		}
	}
	if currentUser(c).Has(domain.RoleCaseworker) && cs.Access == "staff" {
		d.CalcForm = web.NewForm().Set("nursing", "none")
		if cs.Grading.Graded {
			d.CalcForm.Set("grade", strconv.Itoa(cs.Grading.Grade))
		}
		if failed == "calculation" && form != nil {
			d.CalcForm = form
		}
	}
	offered := cs.NextActions
	if _, known := actionFields[failed]; known && form != nil && !slices.Contains(offered, failed) {
		// refused because the case no longer allows it (a window closed
		// meanwhile): the form stays, with the service's reason next to it
		offered = append(slices.Clone(offered), failed)
	}
	for _, a := range offered {
		fields, known := actionFields[a]
		if !known {
			continue
		}
		af := actionForm{Action: a, Open: a == failed || (a == "identify_member" && findSearched)}
		for _, f := range fields {
			if a == "close" && f.Name == "reason" {
				f.Options = closeOptionsFor(cs.CloseReasons)
			}
			v := actionFieldView{actionField: f, ID: a + "-" + f.Name}
			if f.Type == "date" && !f.Optional {
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
	if failed == "close" && form != nil && !form.HasErrors() && !slices.Contains(cs.CloseReasons, form.Value("reason")) {
		// a reason the stage does not allow, sent by hand or from a page
		// older than the case: say which to choose instead of asking
		form.AddError("reason", web.Msg("web.injury.close_reason_not_offered"))
		for i := range d.Actions {
			if d.Actions[i].Action == "close" {
				d.Actions[i].Open = true
				for j := range d.Actions[i].Fields {
					d.Actions[i].Fields[j].Errors = form.Errors(d.Actions[i].Fields[j].Name)
				}
			}
		}
		status = http.StatusUnprocessableEntity
	}
	if failed == "close" && form != nil && !form.HasErrors() && slices.Contains(cs.CloseReasons, form.Value("reason")) {
		d.Confirm = &confirmCard{
			Text:   web.Msg("web.injury.close_confirm."+form.Value("reason"), cs.Number),
			Hint:   "web.injury.close_confirm_hint",
			Action: "/cases/" + url.PathEscape(cs.ID) + "/actions/close",
			Hidden: []hiddenField{{Name: "version", Value: strconv.FormatInt(cs.Version, 10)}, {Name: "reason", Value: form.Value("reason")}},
			Button: "web.injury.close_confirm_button", Back: "/cases/" + url.PathEscape(cs.ID),
		}
		for i := range d.Actions {
			d.Actions[i].Open = false // the card asks; the form stays folded
		}
	}
	p := h.page(c, "web.injury.case.title")
	p.Flash, p.Data = flash, d
	h.withUnitNames(c, p)
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
		case "member":
			form.Set("find", strings.TrimSpace(c.PostForm("find")))
			if raw == "" {
				form.AddError(f.Name, web.Msg("web.injurypeople.choose_member"))
				continue
			}
			body[f.Name] = raw
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
	if action == "close" && !confirmed(c) {
		// closing cancels the case's clocks and cannot be undone: the
		// first press shows what will happen and changes nothing
		if form.Value("reason") == "" {
			form.AddError("reason", web.Msg("field.required"))
			h.renderInjuryCase(c, http.StatusUnprocessableEntity, action, form, nil)
			return
		}
		h.renderInjuryCase(c, http.StatusOK, action, form, nil)
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
