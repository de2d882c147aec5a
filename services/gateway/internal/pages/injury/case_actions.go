package injury

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/anxin-welfare/anxin/api/client"
	injuryapi "github.com/anxin-welfare/anxin/api/client/injury"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The steps of a case (injury.yaml: actOnCase), each a small form on the
// case page whose members the step takes.

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

// setMember puts the value of one of an action's fields in the body the
// step sends, as the member of the same name takes it; a date that is no
// date, which a typed client cannot send on, is refused on its field.
func setMember(body *injuryapi.ActionBody, form *web.Form, name, raw string, n int, hasNumber bool) {
	date := func(dst **openapi_types.Date) {
		t, err := time.Parse(time.DateOnly, raw)
		if err != nil {
			form.AddError(name, web.Msg("field.date"))
			return
		}
		*dst = &openapi_types.Date{Time: t}
	}
	number := func(dst **int) {
		if hasNumber {
			*dst = &n
		}
	}
	switch name {
	case "clear_facts":
		v := raw != ""
		body.ClearFacts = &v
	case "guarantee_fen":
		number(&body.GuaranteeFen)
	case "amount_fen":
		number(&body.AmountFen)
	case "clause":
		number(&body.Clause)
	case "grade":
		number(&body.Grade)
	case "months":
		number(&body.Months)
	case "member_id":
		body.MemberId = optional(raw)
	case "phone":
		body.Phone = optional(raw)
	case "hospital":
		body.Hospital = optional(raw)
	case "reason":
		body.Reason = optional(raw)
	case "note":
		body.Note = optional(raw)
	case "outcome":
		if raw != "" {
			o := injuryapi.ActionBodyOutcome(raw)
			body.Outcome = &o
		}
	case "nursing":
		if raw != "" {
			v := injuryapi.Nursing(raw)
			body.Nursing = &v
		}
	}
	if raw == "" {
		return
	}
	switch name {
	case "filed_on":
		date(&body.FiledOn)
	case "on":
		date(&body.On)
	case "accepted_on":
		date(&body.AcceptedOn)
	case "decided_on":
		date(&body.DecidedOn)
	case "applied_on":
		date(&body.AppliedOn)
	case "graded_on":
		date(&body.GradedOn)
	case "received_on":
		date(&body.ReceivedOn)
	case "start":
		date(&body.Start)
	}
}

// act takes one step on a case with the form's members, converted to the
// API's types; the case's version guards against a colleague's step in
// between.
func (a *area) act(c *gin.Context) {
	action := c.Param("action")
	fields, known := actionFields[action]
	if !known {
		a.ErrorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	form := web.NewForm()
	var body injuryapi.ActionBody
	for _, f := range fields {
		raw := strings.TrimSpace(c.PostForm(f.Name))
		form.Set(f.Name, raw)
		n, hasNumber := 0, false
		switch f.Type {
		case "yuan":
			if raw != "" {
				fen, err := money.Parse(raw)
				if err != nil {
					form.AddError(f.Name, web.Msg("field.money"))
					continue
				}
				n, hasNumber = int(fen), true
			}
		case "number":
			if raw != "" {
				v, err := strconv.Atoi(raw)
				if err != nil {
					form.AddError(f.Name, web.Msg("field.invalid"))
					continue
				}
				n, hasNumber = v, true
			}
		case "member":
			form.Set("find", strings.TrimSpace(c.PostForm("find")))
			if raw == "" {
				form.AddError(f.Name, web.Msg("web.injurypeople.choose_member"))
				continue
			}
		}
		setMember(&body, form, f.Name, raw, n, hasNumber)
	}
	version, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
	if err != nil || version < 1 {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	if form.HasErrors() {
		a.renderCase(c, http.StatusUnprocessableEntity, action, form, nil)
		return
	}
	if action == "close" && !webkit.Confirmed(c) {
		// closing cancels the case's clocks and cannot be undone: the
		// first press shows what will happen and changes nothing
		if form.Value("reason") == "" {
			form.AddError("reason", web.Msg("field.required"))
			a.renderCase(c, http.StatusUnprocessableEntity, action, form, nil)
			return
		}
		a.renderCase(c, http.StatusOK, action, form, nil)
		return
	}
	id, ok := a.PathID(c, "id")
	if !ok {
		return
	}
	api, err := a.Injury(c)
	if err == nil {
		//nolint:bodyclose // webkit.Done drains and closes it
		err = webkit.Done(api.ActOnCase(c.Request.Context(), id, injuryapi.Action(action),
			&injuryapi.ActOnCaseParams{IfMatch: client.Tag(version)}, body))
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, nil) {
			status := http.StatusUnprocessableEntity
			if webkit.Refused(err, http.StatusConflict) {
				status = http.StatusConflict
			}
			a.renderCase(c, status, action, form, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/cases/"+url.PathEscape(id.String())+"?m=done")
}
