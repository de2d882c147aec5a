package grants

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/api/client"
	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// One application's page: what was asked and decided, its documents, the
// review an approver reads, the steps this person may take, its history.

// grantSteps are the steps a page may ask for; the service decides whether
// this person may take them now.
var grantSteps = []string{"submit", "review", "approve", "reject", "return", "withdraw", "disburse", "recheck"}

// approvedThisRound reports whether u gave a committee approval in the
// application's current round (a return for changes starts a new one).
func approvedThisRound(u *domain.User, a application) bool {
	return slices.ContainsFunc(a.History, func(x action) bool {
		return x.Round == a.Round && x.Step == "committee_approval" && x.Actor == u.ID
	})
}

// stepsFor guesses which steps to offer u on an application: only a
// convenience, since the service refuses any step not allowed.
func stepsFor(u *domain.User, a application) []string {
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
	App     application
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
	Confirm *webkit.ConfirmCard
}

var grantNotices = map[string]string{"submitted": "web.grants.submitted", "draft": "web.grants.draft", "done": "web.grants.done", "saved": "web.grantapp.saved"}

func (a *area) grantApplicationPage(c *gin.Context) {
	a.renderGrantApplicationPage(c, http.StatusOK, webkit.FlashOf(c, grantNotices), nil, nil, false, false)
}

// renderGrantApplicationPage draws the application page; form holds what
// was typed into a refused step (reason-<step>, duplicate_note) and its
// errors; needNote asks for the duplicate note even when the application
// shows no flag (the service found one at approval); confirmWithdraw adds
// the card asking to confirm its withdrawal.
func (a *area) renderGrantApplicationPage(c *gin.Context, status int, flash, alert *web.Message, form *web.Form, needNote, confirmWithdraw bool) {
	app, err := a.application(c, c.Param("id"))
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	u := a.User(c)
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
	prog, err := a.program(c, app.ProgramID)
	if err == nil {
		d.Program = prog.Name(string(a.Lang(c)))
	} else {
		prog = program{}
	}
	staff := u.Has(domain.RoleCaseworker, domain.RoleApprover, domain.RoleFinance, domain.RoleAuditor, domain.RoleAdmin)
	if staff && slices.Contains([]string{"submitted", "reviewed", "approved"}, app.State) {
		r := a.reviewOf(c, app, prog)
		d.Review = &r
	}
	if confirmWithdraw {
		d.Confirm = &webkit.ConfirmCard{
			Text:   web.Msg("web.confirm.withdraw", app.Number),
			Action: "/grants/applications/" + url.PathEscape(app.ID) + "/withdraw",
			Hidden: []webkit.HiddenField{{Name: "version", Value: c.PostForm("version")}},
			Button: "web.confirm.withdraw_button", Back: "/grants/applications/" + url.PathEscape(app.ID),
		}
	}
	p := a.Page(c, "web.grants.application")
	p.Data, p.Flash, p.Alert = d, flash, alert
	a.Render(c, status, "grant_application", p)
}

// takeStep sends one step of the approval chain at version with body.
func takeStep(ctx context.Context, api *grantsapi.ClientWithResponses, id, step string, version int64, body grantsapi.ApplicationStep) error {
	tag := client.Tag(version)
	var resp *http.Response
	var err error
	switch step {
	case "submit":
		resp, err = api.SubmitApplication(ctx, id, &grantsapi.SubmitApplicationParams{IfMatch: tag}, body) //nolint:bodyclose // webkit.Done drains and closes it
	case "review":
		resp, err = api.ReviewApplication(ctx, id, &grantsapi.ReviewApplicationParams{IfMatch: tag}, body) //nolint:bodyclose // webkit.Done drains and closes it
	case "approve":
		resp, err = api.ApproveApplication(ctx, id, &grantsapi.ApproveApplicationParams{IfMatch: tag}, body) //nolint:bodyclose // webkit.Done drains and closes it
	case "reject":
		resp, err = api.RejectApplication(ctx, id, &grantsapi.RejectApplicationParams{IfMatch: tag}, body) //nolint:bodyclose // webkit.Done drains and closes it
	case "return":
		resp, err = api.ReturnApplication(ctx, id, &grantsapi.ReturnApplicationParams{IfMatch: tag}, body) //nolint:bodyclose // webkit.Done drains and closes it
	case "withdraw":
		resp, err = api.WithdrawApplication(ctx, id, &grantsapi.WithdrawApplicationParams{IfMatch: tag}, body) //nolint:bodyclose // webkit.Done drains and closes it
	case "disburse":
		resp, err = api.DisburseApplication(ctx, id, &grantsapi.DisburseApplicationParams{IfMatch: tag}, body) //nolint:bodyclose // webkit.Done drains and closes it
	case "recheck":
		resp, err = api.RecheckApplication(ctx, id, &grantsapi.RecheckApplicationParams{IfMatch: tag}, body) //nolint:bodyclose // webkit.Done drains and closes it
	default:
		return webkit.ErrUnexpected // grantStep lets none other through
	}
	return webkit.Done(resp, err)
}

// grantStep takes one step of the approval chain at the version shown. A
// refusal shows the page again with the typed reason or note kept and the
// problem next to it.
func (a *area) grantStep(c *gin.Context) {
	step := c.Param("step")
	if !slices.Contains(grantSteps, step) {
		a.ErrorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	version, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
	if err != nil || version < 1 {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	if step == "withdraw" && !webkit.Confirmed(c) {
		// The first press only says what withdrawing does.
		a.renderGrantApplicationPage(c, http.StatusOK, nil, nil, nil, false, true)
		return
	}
	reason, note := strings.TrimSpace(c.PostForm("reason")), strings.TrimSpace(c.PostForm("duplicate_note"))
	comment := strings.TrimSpace(c.PostForm("comment"))
	var body grantsapi.ApplicationStep
	if comment != "" && step == "approve" {
		body.Comment = &comment
	}
	if reason != "" && (step == "reject" || step == "return") {
		body.Reason = &reason
	}
	if note != "" && step == "approve" {
		body.DuplicateNote = &note
	}
	id := c.Param("id")
	api, err := a.Grants(c)
	if err == nil {
		err = takeStep(c.Request.Context(), api, id, step, version, body)
	}
	if err != nil {
		form := web.NewForm().Set("reason-"+step, c.PostForm("reason")).Set("duplicate_note", c.PostForm("duplicate_note")).
			Set("comment", c.PostForm("comment"))
		if !webkit.ProblemOnForm(err, form, map[string]string{"reason": "reason-" + step}) {
			a.ServiceFailed(c, err)
			return
		}
		msgs := webkit.Messages(form)
		alert := web.Msg("web.approvals.refused")
		if len(msgs) > 0 {
			alert = msgs[0]
		}
		_, p, _ := webkit.Refusal(err)
		needNote := p.Code == "grants.duplicate_unacknowledged"
		if needNote {
			for _, m := range form.General() {
				form.AddError("duplicate_note", m)
			}
		}
		a.renderGrantApplicationPage(c, webkit.StatusOf(err), nil, &alert, form, needNote, false)
		return
	}
	c.Redirect(http.StatusSeeOther, "/grants/applications/"+url.PathEscape(id)+"?m=done")
}
