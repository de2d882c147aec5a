package injury

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// A case's page: what happened, its clocks and outcome, the steps the
// service offers the reader now (each a small form), its documents, its
// benefit calculations, the comment form and the timeline.

// caseData feeds the case page.
type caseData struct {
	Case          injuryCase
	Timeline      []timelineEntry
	Actions       []actionForm
	Documents     []document
	DocumentKinds []web.Option
	Calculations  []calculation
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
	Confirm *webkit.ConfirmCard
}

var caseNotices = map[string]string{
	"reported": "web.injury.reported", "done": "web.injury.action_done",
	"commented": "web.injury.commented", "uploaded": "web.injury.uploaded", "calculated": "web.injury.calc.done",
}

func (a *area) casePage(c *gin.Context) {
	a.renderCase(c, http.StatusOK, "", nil, webkit.FlashOf(c, caseNotices))
}

// caseReads is what the case page reads of the injury service.
type caseReads struct {
	cs        injuryCase
	timeline  []timelineEntry
	documents []document
	calcs     []calculation
}

// readCase reads the case, its timeline, documents and calculations; a
// person the service does not show the calculations to sees none.
func (a *area) readCase(c *gin.Context, id uuid.UUID) (caseReads, error) {
	var out caseReads
	api, err := a.Injury(c)
	if err != nil {
		return out, err
	}
	ctx := c.Request.Context()
	cr, err := api.GetCaseWithResponse(ctx, id)
	if err != nil {
		return out, err
	}
	if cr.JSON200 == nil {
		return out, webkit.ErrUnexpected
	}
	out.cs = caseOf(*cr.JSON200)
	tr, err := api.GetTimelineWithResponse(ctx, id)
	if err != nil {
		return out, err
	}
	if tr.JSON200 == nil {
		return out, webkit.ErrUnexpected
	}
	out.timeline = timelineOf(tr.JSON200.Entries)
	dr, err := api.ListDocumentsWithResponse(ctx, id)
	if err != nil {
		return out, err
	}
	if dr.JSON200 == nil {
		return out, webkit.ErrUnexpected
	}
	out.documents = documentsOf(dr.JSON200.Documents)
	out.calcs, err = a.calculations(c, api, id)
	if err != nil {
		if !webkit.Refused(err, http.StatusNotFound) && !webkit.Refused(err, http.StatusForbidden) {
			return out, err
		}
		out.calcs = nil // a reporting colleague is not shown the benefits
	}
	return out, nil
}

// renderCase shows a case; failed names the action whose form holds the
// values and errors of form, or is "comment", "document" or "calculation"
// for those forms.
func (a *area) renderCase(c *gin.Context, status int, failed string, form *web.Form, flash *web.Message) {
	id, ok := a.PathID(c, "id")
	if !ok {
		return
	}
	reads, err := a.readCase(c, id)
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	cs := reads.cs
	today := clock.Today(a.Clock).Format(time.DateOnly)
	d := caseData{Case: cs, Timeline: reads.timeline, Documents: reads.documents, DocumentKinds: documentKindOptions(),
		Calculations: reads.calcs, NursingOptions: nursingOptions, MemberName: cs.MemberName}
	if d.MemberName == "" && cs.MemberID != "" {
		// the injury service has not heard of the member yet: enrollment
		// may name them (to those it shows the record), else the id
		d.MemberName = cs.MemberID
		if name := a.memberNames(c, []string{cs.MemberID}, 1)[cs.MemberID]; name != "" {
			d.MemberName = name
		}
	}
	findSearched := false
	if slices.Contains(cs.NextActions, "identify_member") {
		q, searched := c.Query("find"), c.Request.URL.Query().Has("find")
		if failed == "identify_member" && form != nil {
			q, searched = form.Value("find"), form.Value("find") != ""
		}
		d.Find = a.findMembers(c, q, searched)
		findSearched = searched
		if failed == "identify_member" && form != nil {
			a.keepChosen(c, &d.Find, form.Value("member_id"))
		}
		if d.Find.Invalid && status == http.StatusOK {
			status = http.StatusUnprocessableEntity
		}
	}
	if a.User(c).Has(domain.RoleCaseworker) && cs.Access == "staff" {
		d.CalcForm = web.NewForm().Set("nursing", "none")
		if cs.Grading.Graded {
			d.CalcForm.Set("grade", strconv.Itoa(cs.Grading.Grade))
		}
		if failed == "calculation" && form != nil {
			d.CalcForm = form
		}
	}
	d.Actions = actionForms(cs, failed, form, today, findSearched)
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
		d.Confirm = &webkit.ConfirmCard{
			Text:   web.Msg("web.injury.close_confirm."+form.Value("reason"), cs.Number),
			Hint:   "web.injury.close_confirm_hint",
			Action: "/cases/" + url.PathEscape(cs.ID) + "/actions/close",
			Hidden: []webkit.HiddenField{{Name: "version", Value: strconv.FormatInt(cs.Version, 10)}, {Name: "reason", Value: form.Value("reason")}},
			Button: "web.injury.close_confirm_button", Back: "/cases/" + url.PathEscape(cs.ID),
		}
		for i := range d.Actions {
			d.Actions[i].Open = false // the card asks; the form stays folded
		}
	}
	p := a.Page(c, "web.injury.case.title")
	p.Flash, p.Data = flash, d
	a.WithUnitNames(c, p)
	if failed == "comment" || failed == "document" {
		p.Form = form
	}
	a.Render(c, status, "injury_case", p)
}

// actionForms are the forms of the steps the case offers now; failed names
// the one whose form holds the values and errors of form.
func actionForms(cs injuryCase, failed string, form *web.Form, today string, findSearched bool) []actionForm {
	offered := cs.NextActions
	if _, known := actionFields[failed]; known && form != nil && !slices.Contains(offered, failed) {
		// refused because the case no longer allows it (a window closed
		// meanwhile): the form stays, with the service's reason next to it
		offered = append(slices.Clone(offered), failed)
	}
	var out []actionForm
	for _, act := range offered {
		fields, known := actionFields[act]
		if !known {
			continue
		}
		af := actionForm{Action: act, Open: act == failed || (act == "identify_member" && findSearched)}
		for _, f := range fields {
			if act == "close" && f.Name == "reason" {
				f.Options = closeOptionsFor(cs.CloseReasons)
			}
			v := actionFieldView{actionField: f, ID: act + "-" + f.Name}
			if f.Type == "date" && !f.Optional {
				v.Value = today
			}
			if act == failed && form != nil {
				v.Value = form.Value(f.Name)
				v.Errors = form.Errors(f.Name)
			}
			af.Fields = append(af.Fields, v)
		}
		if act == failed && form != nil {
			af.Errors = form.General()
		}
		out = append(out, af)
	}
	return out
}
