package httpapi

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Pages of the assistance fund's applications, over /api/v1/grants
// (api/openapi/grants.yaml).

const grantsAPI = "/api/v1/grants"

type grantProgram struct {
	ID     string `json:"id"`
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
	Kind   string `json:"kind"`
	Active bool   `json:"active"`
}

type grantApplication struct {
	ID              string   `json:"id"`
	Number          string   `json:"number"`
	ProgramID       string   `json:"program_id"`
	MemberID        string   `json:"member_id"`
	ApplicantUserID string   `json:"applicant_user_id"`
	ApplicantName   string   `json:"applicant_name"`
	PreparedBy      string   `json:"prepared_by"`
	UnitID          string   `json:"unit_id"`
	State           string   `json:"state"`
	StateText       string   `json:"state_text"`
	RequestedAmount int64    `json:"requested_amount"`
	Amount          int64    `json:"amount"`
	Recurring       bool     `json:"recurring"`
	Reason          string   `json:"reason"`
	Documents       []string `json:"documents"`
	Breakdown       struct {
		Total int64 `json:"total"`
		Items []struct {
			Text     string `json:"text"`
			Amount   int64  `json:"amount"`
			Citation string `json:"citation"`
		} `json:"items"`
	} `json:"breakdown"`
	DuplicateFlags []struct {
		Number string `json:"number"`
	} `json:"duplicate_flags"`
	DuplicateNote string `json:"duplicate_note"`
	Round         int    `json:"round"`
	History       []struct {
		Round     int       `json:"round"`
		Step      string    `json:"step"`
		ActorName string    `json:"actor_name"`
		At        time.Time `json:"at"`
		Reason    string    `json:"reason"`
	} `json:"history"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
}

func (h *handlers) registerGrantsPages(g *gin.RouterGroup) {
	applicant := h.requireUser(domain.RoleOfficer, domain.RoleFamily)
	g.GET("/grants", applicant, h.grantsPage)
	g.GET("/grants/apply", applicant, h.grantApplyPage)
	g.POST("/grants/apply", applicant, h.grantApply)
	g.GET("/grants/applications/:id", h.requireUser(), h.grantApplicationPage)
	g.POST("/grants/applications/:id/:step", h.requireUser(), h.grantStep)
}

func (h *handlers) grantsPage(c *gin.Context) {
	var list struct {
		Items []grantApplication `json:"items"`
	}
	if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/applications?scope=mine", 0, nil, &list); err != nil {
		h.serviceFailed(c, err)
		return
	}
	p := h.page(c, "web.grants.title")
	p.Data = list.Items
	h.render(c, http.StatusOK, "grants", p)
}

type grantApplyData struct {
	Programs []web.Option
	Causes   []web.Option
}

var causeOptions = []web.Option{
	{Value: "", Label: "web.grants.cause.none"},
	{Value: "line_of_duty", Label: "web.grants.cause.line_of_duty"},
	{Value: "martyr", Label: "web.grants.cause.martyr"},
	{Value: "illness", Label: "web.grants.cause.illness"},
	{Value: "other", Label: "web.grants.cause.other"},
}

func (h *handlers) grantApplyPage(c *gin.Context) {
	h.renderGrantApply(c, http.StatusOK, web.NewForm().Set("program_id", c.Query("program")))
}

func (h *handlers) renderGrantApply(c *gin.Context, status int, form *web.Form) {
	var progs struct {
		Items []grantProgram `json:"items"`
	}
	if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/programs", 0, nil, &progs); err != nil {
		h.serviceFailed(c, err)
		return
	}
	d := grantApplyData{Causes: causeOptions}
	l := lang(c)
	for _, pr := range progs.Items {
		if !pr.Active {
			continue
		}
		name := pr.NameZH
		if l == "en" && pr.NameEN != "" {
			name = pr.NameEN
		}
		d.Programs = append(d.Programs, web.Option{Value: pr.ID, Label: name})
	}
	p := h.page(c, "web.grants.apply")
	p.Form, p.Data = form, d
	h.render(c, status, "grant_apply", p)
}

// grantApply starts the application and submits it in one go: the person
// fills one form; the draft step is the API's, not theirs.
func (h *handlers) grantApply(c *gin.Context) {
	u := currentUser(c)
	form := web.NewForm()
	for _, f := range []string{"program_id", "requested_amount", "event_date", "income_per_capita", "grade", "cause", "documents"} {
		form.Set(f, strings.TrimSpace(c.PostForm(f)))
	}
	body := map[string]any{"program_id": form.Value("program_id"), "member_id": u.MemberID}
	fields := map[string]any{}
	yuan := func(name string, dst map[string]any, key string) {
		if v := form.Value(name); v != "" {
			fen, err := money.Parse(v)
			if err != nil || fen < 0 {
				form.AddError(name, web.Msg("field.money"))
				return
			}
			dst[key] = int64(fen)
		}
	}
	yuan("requested_amount", body, "requested_amount")
	yuan("income_per_capita", fields, "income_per_capita")
	if v := form.Value("event_date"); v != "" {
		fields["event_date"] = v
	}
	if v := form.Value("grade"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			form.AddError("grade", web.Msg("field.invalid"))
		}
		fields["grade"] = n
	}
	if v := form.Value("cause"); v != "" {
		fields["cause"] = v
	}
	if len(fields) > 0 {
		body["form"] = fields
	}
	var docs []string
	for _, line := range strings.Split(form.Value("documents"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			docs = append(docs, line)
		}
	}
	if docs != nil {
		body["documents"] = docs
	}
	if form.HasErrors() {
		h.renderGrantApply(c, http.StatusUnprocessableEntity, form)
		return
	}
	// API field names inside the form object come back as "form.grade".
	alias := map[string]string{"form.event_date": "event_date", "form.income_per_capita": "income_per_capita", "form.grade": "grade", "form.cause": "cause"}
	var app grantApplication
	if _, err := h.call(c, http.MethodPost, "grants", grantsAPI+"/applications", 0, body, &app); err != nil {
		if problemOnForm(err, form, alias) {
			h.renderGrantApply(c, statusOf(err), form)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	if _, err := h.call(c, http.MethodPost, "grants", grantsAPI+"/applications/"+url.PathEscape(app.ID)+"/submit", app.Version, map[string]any{}, nil); err != nil {
		// The draft exists; the person can submit it from its page.
		h.Log.WarnContext(c, "submit after create failed", "application", app.ID, "error", err)
		c.Redirect(http.StatusSeeOther, "/grants/applications/"+url.PathEscape(app.ID)+"?m=draft")
		return
	}
	c.Redirect(http.StatusSeeOther, "/grants/applications/"+url.PathEscape(app.ID)+"?m=submitted")
}

// grantSteps are the steps a page may ask for; the service decides whether
// this person may take them now.
var grantSteps = []string{"submit", "review", "approve", "reject", "return", "withdraw", "disburse"}

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
			out = append(out, "approve", "return", "reject")
		}
	case "approved":
		if u.Has(domain.RoleFinance) && !own {
			out = append(out, "disburse")
		}
	}
	return out
}

type grantApplicationData struct {
	App     grantApplication
	Steps   []string
	Program string
	// Review is shown to staff while a decision is pending.
	Review *grantReview
}

var grantNotices = map[string]string{"submitted": "web.grants.submitted", "draft": "web.grants.draft", "done": "web.grants.done"}

func (h *handlers) grantApplicationPage(c *gin.Context) {
	var flash *web.Message
	if key, ok := grantNotices[c.Query("m")]; ok {
		m := web.Msg(key)
		flash = &m
	}
	h.renderGrantApplication(c, http.StatusOK, flash, nil)
}

func (h *handlers) renderGrantApplication(c *gin.Context, status int, flash, alert *web.Message) {
	var app grantApplication
	if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/applications/"+url.PathEscape(c.Param("id")), 0, nil, &app); err != nil {
		h.serviceFailed(c, err)
		return
	}
	d := grantApplicationData{App: app, Steps: stepsFor(currentUser(c), app)}
	var prog programDetail
	if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/programs/"+url.PathEscape(app.ProgramID), 0, nil, &prog); err == nil {
		d.Program = prog.NameZH
		if lang(c) == "en" && prog.NameEN != "" {
			d.Program = prog.NameEN
		}
	}
	staff := currentUser(c).Has(domain.RoleCaseworker, domain.RoleApprover, domain.RoleFinance, domain.RoleAuditor, domain.RoleAdmin)
	if staff && slices.Contains([]string{"submitted", "reviewed", "approved"}, app.State) {
		r := h.reviewOf(c, app, prog)
		d.Review = &r
	}
	p := h.page(c, "web.grants.application")
	p.Data, p.Flash, p.Alert = d, flash, alert
	h.render(c, status, "grant_application", p)
}

// grantStep takes one step of the approval chain at the version shown.
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
	body := map[string]any{}
	if r := strings.TrimSpace(c.PostForm("reason")); r != "" && (step == "reject" || step == "return") {
		body["reason"] = r
	}
	if n := strings.TrimSpace(c.PostForm("duplicate_note")); n != "" && step == "approve" {
		body["duplicate_note"] = n
	}
	id := url.PathEscape(c.Param("id"))
	if _, err := h.call(c, http.MethodPost, "grants", grantsAPI+"/applications/"+id+"/"+step, version, body, nil); err != nil {
		form := web.NewForm()
		if !problemOnForm(err, form, nil) {
			h.serviceFailed(c, err)
			return
		}
		msgs := append(form.General(), flatten(form)...)
		alert := web.Msg("web.approvals.refused")
		if len(msgs) > 0 {
			alert = msgs[0]
		}
		h.renderGrantApplication(c, statusOf(err), nil, &alert)
		return
	}
	c.Redirect(http.StatusSeeOther, "/grants/applications/"+id+"?m=done")
}

// grantQueue lists the applications waiting for u's step: a caseworker's
// review, the committee's approval, finance's payment.
func (h *handlers) grantQueue(c *gin.Context, scope, state string) ([]grantApplication, error) {
	var list struct {
		Items []grantApplication `json:"items"`
	}
	q := url.Values{"scope": {scope}, "state": {state}}
	_, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/applications?"+q.Encode(), 0, nil, &list)
	return list.Items, err
}
