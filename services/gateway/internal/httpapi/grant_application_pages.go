package httpapi

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// grantEditPage is the applicant's form to change a draft or returned
// application: amounts, answers, documents and files.
func (h *handlers) grantEditPage(c *gin.Context) {
	app, prog, ok := h.editableGrant(c)
	if !ok {
		return
	}
	h.renderGrantForm(c, http.StatusOK, grantEditForm(app, prog.RequiredDocuments), editFormData(app))
}

// grantEdit saves the edit form (PUT at the version the form was read at),
// uploads its files, and submits when the person asked to.
func (h *handlers) grantEdit(c *gin.Context) {
	app, prog, ok := h.editableGrant(c)
	if !ok {
		return
	}
	d := editFormData(app)
	version, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
	if err != nil || version < 1 {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	d.Version = version
	form := web.NewForm()
	answers, docs, uploads := readGrantForm(c, form, prog.RequiredDocuments, prog.FormFields)
	if form.HasErrors() {
		h.renderGrantForm(c, http.StatusUnprocessableEntity, form, d)
		return
	}
	// answers the form does not show (set by a caseworker) are kept,
	// as long as the programme asks them
	merged := map[string]any{}
	for k, v := range app.Answers {
		if !slices.Contains([]string{"income_per_capita", "event_date", "grade", "cause"}, k) &&
			(k == "category" || slices.Contains(prog.FormFields, k)) {
			merged[k] = v
		}
	}
	for k, v := range answers {
		merged[k] = v
	}
	var saved grantApplication
	if _, err := h.call(c, http.MethodPut, "grants", grantsAPI+"/applications/"+url.PathEscape(app.ID), d.Version,
		grantPutBody(form, merged, docs), &saved); err != nil {
		if problemOnForm(err, form, grantFieldAlias) {
			var ae *APIError
			if errors.As(err, &ae) && ae.Status == http.StatusConflict && ae.Problem.Code == "version_mismatch" {
				// changed meanwhile: the message says so, and saving
				// again is a choice made knowing it
				d.Version = app.Version
			}
			h.renderGrantForm(c, statusOf(err), form, d)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	d.Version = saved.Version
	if !h.uploadGrantFiles(c, form, app.ID, uploads) {
		return
	}
	if form.HasErrors() {
		h.renderGrantForm(c, http.StatusUnprocessableEntity, form, d)
		return
	}
	m := "saved"
	if c.PostForm("action") == "submit" {
		if !h.submitGrant(c, form, &d) {
			return
		}
		m = "submitted"
	}
	c.Redirect(http.StatusSeeOther, "/grants/applications/"+url.PathEscape(app.ID)+"?m="+m)
}

// grantDocumentDownload passes an application's document through as an
// attachment named by the application's number and the document's id —
// the file name a person uploaded never reaches a header.
func (h *handlers) grantDocumentDownload(c *gin.Context) {
	id, doc := c.Param("id"), c.Param("doc")
	var app grantApplication
	if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/applications/"+url.PathEscape(id), 0, nil, &app); err != nil {
		h.serviceFailed(c, err)
		return
	}
	i := slices.IndexFunc(app.Files, func(f grantFile) bool { return f.ID == doc })
	if i < 0 {
		h.errorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	f := app.Files[i]
	h.streamDocument(c, "grants", grantsAPI+"/applications/"+url.PathEscape(id)+"/documents/"+url.PathEscape(doc),
		f.ContentType, safeName(app.Number)+"-"+safeName(f.ID))
}

// grantSteps are the steps a page may ask for; the service decides whether
// this person may take them now.
var grantSteps = []string{"submit", "review", "approve", "reject", "return", "withdraw", "disburse", "recheck"}

// approvedThisRound reports whether u gave a committee approval in the
// application's current round (a return for changes starts a new one).
func approvedThisRound(u *domain.User, a grantApplication) bool {
	return slices.ContainsFunc(a.History, func(x grantAction) bool {
		return x.Round == a.Round && x.Step == "committee_approval" && x.Actor == u.ID
	})
}

// stepsFor guesses which steps to offer u on an application: only a
// convenience, since the service refuses any step not allowed.
func stepsFor(u *domain.User, a grantApplication) []string {
	own := a.ApplicantUserID == u.ID || a.PreparedBy == u.ID || (u.MemberID != "" && a.MemberID == u.MemberID && u.Has(domain.RoleOfficer, domain.RoleFamily))
	var out []string
	switch a.State {
	case "draft", "returned":
		if own {
			out = append(out, "submit", "withdraw")
		}
	case "submitted":
		if u.Has(domain.RoleCaseworker) && !own {
			out = append(out, "review", "return", "reject")
		}
		if own {
			out = append(out, "withdraw")
		}
	case "reviewed":
		if u.Has(domain.RoleApprover) && !own {
			// one approval per person and round: a second approver gives the other
			if !approvedThisRound(u, a) {
				out = append(out, "approve")
			}
			out = append(out, "return", "reject")
		}
	case "approved":
		if u.Has(domain.RoleFinance) && !own {
			out = append(out, "disburse")
		}
	case "active":
		// the yearly re-check of a recurring grant, by a caseworker
		if u.Has(domain.RoleCaseworker) {
			out = append(out, "recheck")
		}
	}
	return out
}

// grantStepView is one step's form on the application page, with what was
// typed into it and what was wrong when it was refused.
type grantStepView struct {
	Name string
	// Reason: reject and return ask why.
	Reason       bool
	ReasonValue  string
	ReasonErrors []web.Message
	// Note: an approval of an application flagged as a possible duplicate
	// needs the approver's note.
	Note       bool
	NoteValue  string
	NoteErrors []web.Message
	// Comment: an approval takes the approver's comment (optional), kept
	// with it in the history.
	Comment       bool
	CommentValue  string
	CommentErrors []web.Message
}

type grantApplicationData struct {
	App     grantApplication
	Steps   []grantStepView
	Program string
	// CanEdit offers the edit form to the applicant.
	CanEdit bool
	// Duplicates are the numbers of the other applications for the same
	// event.
	Duplicates     []string
	DuplicatesText string
	// Review is shown to staff while a decision is pending.
	Review *grantReview
	// AwaitingSecond: this approver approved in the current round and a
	// second approver's approval is awaited.
	AwaitingSecond bool
	// Confirm is the confirmation card of a withdrawal asked for.
	Confirm *confirmCard
}

var grantNotices = map[string]string{"submitted": "web.grants.submitted", "draft": "web.grants.draft", "done": "web.grants.done", "saved": "web.grantapp.saved"}

func (h *handlers) grantApplicationPage(c *gin.Context) {
	var flash *web.Message
	if key, ok := grantNotices[c.Query("m")]; ok {
		m := web.Msg(key)
		flash = &m
	}
	h.renderGrantApplication(c, http.StatusOK, flash, nil)
}

func (h *handlers) renderGrantApplication(c *gin.Context, status int, flash, alert *web.Message) {
	h.renderGrantApplicationForm(c, status, flash, alert, nil, false)
}

// renderGrantApplicationForm draws the application page; form holds what
// was typed into a refused step (reason-<step>, duplicate_note) and its
// errors; needNote asks for the duplicate note even when the application
// shows no flag (the service found one at approval).
func (h *handlers) renderGrantApplicationForm(c *gin.Context, status int, flash, alert *web.Message, form *web.Form, needNote bool) {
	h.renderGrantApplicationPage(c, status, flash, alert, form, needNote, false)
}

// renderGrantApplicationPage draws the application page; confirmWithdraw
// adds the card asking to confirm its withdrawal.
func (h *handlers) renderGrantApplicationPage(c *gin.Context, status int, flash, alert *web.Message, form *web.Form, needNote, confirmWithdraw bool) {
	var app grantApplication
	if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/applications/"+url.PathEscape(c.Param("id")), 0, nil, &app); err != nil {
		h.serviceFailed(c, err)
		return
	}
	u := currentUser(c)
	if form == nil {
		form = web.NewForm()
	}
	d := grantApplicationData{App: app, CanEdit: canEditGrant(u, app),
		AwaitingSecond: app.State == "reviewed" && u.Has(domain.RoleApprover) && approvedThisRound(u, app)}
	for _, f := range app.DuplicateFlags {
		d.Duplicates = append(d.Duplicates, f.Number)
	}
	d.DuplicatesText = strings.Join(d.Duplicates, "、")
	for _, s := range stepsFor(u, app) {
		v := grantStepView{Name: s, Reason: s == "reject" || s == "return", Note: s == "approve" && (len(d.Duplicates) > 0 || needNote)}
		if v.Reason {
			v.ReasonValue, v.ReasonErrors = form.Value("reason-"+s), form.Errors("reason-"+s)
		}
		if v.Note {
			v.NoteValue, v.NoteErrors = form.Value("duplicate_note"), form.Errors("duplicate_note")
		}
		if v.Comment = s == "approve"; v.Comment {
			v.CommentValue, v.CommentErrors = form.Value("comment"), form.Errors("comment")
		}
		d.Steps = append(d.Steps, v)
	}
	var prog programDetail
	if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/programs/"+url.PathEscape(app.ProgramID), 0, nil, &prog); err == nil {
		d.Program = prog.NameZH
		if lang(c) == "en" && prog.NameEN != "" {
			d.Program = prog.NameEN
		}
	}
	staff := u.Has(domain.RoleCaseworker, domain.RoleApprover, domain.RoleFinance, domain.RoleAuditor, domain.RoleAdmin)
	if staff && slices.Contains([]string{"submitted", "reviewed", "approved"}, app.State) {
		r := h.reviewOf(c, app, prog)
		d.Review = &r
	}
	if confirmWithdraw {
		d.Confirm = &confirmCard{
			Text:   web.Msg("web.confirm.withdraw", app.Number),
			Action: "/grants/applications/" + url.PathEscape(app.ID) + "/withdraw",
			Hidden: []hiddenField{{Name: "version", Value: c.PostForm("version")}},
			Button: "web.confirm.withdraw_button", Back: "/grants/applications/" + url.PathEscape(app.ID),
		}
	}
	p := h.page(c, "web.grants.application")
	p.Data, p.Flash, p.Alert = d, flash, alert
	h.render(c, status, "grant_application", p)
}

// grantStep takes one step of the approval chain at the version shown. A
// refusal shows the page again with the typed reason or note kept and the
// problem next to it.
func (h *handlers) grantStep(c *gin.Context) {
	step := c.Param("step")
	if !slices.Contains(grantSteps, step) {
		h.errorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	version, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
	if err != nil || version < 1 {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	if step == "withdraw" && !confirmed(c) {
		// The first press only says what withdrawing does.
		h.renderGrantApplicationPage(c, http.StatusOK, nil, nil, nil, false, true)
		return
	}
	reason, note := strings.TrimSpace(c.PostForm("reason")), strings.TrimSpace(c.PostForm("duplicate_note"))
	comment := strings.TrimSpace(c.PostForm("comment"))
	body := map[string]any{}
	if comment != "" && step == "approve" {
		body["comment"] = comment
	}
	if reason != "" && (step == "reject" || step == "return") {
		body["reason"] = reason
	}
	if note != "" && step == "approve" {
		body["duplicate_note"] = note
	}
	id := url.PathEscape(c.Param("id"))
	if _, err := h.call(c, http.MethodPost, "grants", grantsAPI+"/applications/"+id+"/"+step, version, body, nil); err != nil {
		form := web.NewForm().Set("reason-"+step, c.PostForm("reason")).Set("duplicate_note", c.PostForm("duplicate_note")).
			Set("comment", c.PostForm("comment"))
		if !problemOnForm(err, form, map[string]string{"reason": "reason-" + step}) {
			h.serviceFailed(c, err)
			return
		}
		msgs := append(form.General(), flatten(form)...)
		alert := web.Msg("web.approvals.refused")
		if len(msgs) > 0 {
			alert = msgs[0]
		}
		var ae *APIError
		needNote := errors.As(err, &ae) && ae.Problem.Code == "grants.duplicate_unacknowledged"
		if needNote {
			for _, m := range form.General() {
				form.AddError("duplicate_note", m)
			}
		}
		h.renderGrantApplicationForm(c, statusOf(err), nil, &alert, form, needNote)
		return
	}
	c.Redirect(http.StatusSeeOther, "/grants/applications/"+id+"?m=done")
}

// grantQueue lists the applications waiting for u's step: a caseworker's
// review, the committee's approval, finance's payment: the page after the
// cursor after ("" for the first), the next page's cursor, and stale when
// after was refused and the first page is shown instead. limit 0 is the
// service's page size.
func (h *handlers) grantQueue(c *gin.Context, scope, state, after string, limit int) (apps []grantApplication, next string, stale bool, err error) {
	var list listPage[grantApplication]
	q := url.Values{"scope": {scope}, "state": {state}}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	if after != "" {
		q.Set("after", after)
	}
	_, err = h.call(c, http.MethodGet, "grants", grantsAPI+"/applications?"+q.Encode(), 0, nil, &list)
	if err != nil && after != "" && staleCursor(err) {
		stale = true
		q.Del("after")
		_, err = h.call(c, http.MethodGet, "grants", grantsAPI+"/applications?"+q.Encode(), 0, nil, &list)
	}
	if err != nil {
		return nil, "", false, err
	}
	h.nameGrantPrograms(c, list.Items)
	return list.Items, list.Next, stale, nil
}

// askedFields is the set of a programme's form questions.
func askedFields(fields []string) map[string]bool {
	out := make(map[string]bool, len(fields))
	for _, f := range fields {
		out[f] = true
	}
	return out
}
