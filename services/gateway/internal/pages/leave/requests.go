package leave

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/anxin-welfare/anxin/api/client"
	leaveapi "github.com/anxin-welfare/anxin/api/client/leave"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// An officer's annual leave (/leave): the balance, the request form with a
// quote of what a period would take, and their requests with who decided
// what; a request is cancelled in two presses.

// leaveBalance is a member's balance for a year as the pages show it:
// Entitled − Taken − Pending = Available.
type leaveBalance struct {
	Year, Accrued, Taken, Adjusted, CarriedIn, Days, Pending, Available, Entitled int
	// Projected: Entitled includes next year's entitlement before the
	// year-end rollover books it; every page says it is an estimate.
	Projected bool
}

func balanceOf(b leaveapi.Balance) leaveBalance {
	return leaveBalance{Year: webkit.Deref(b.Year), Accrued: webkit.Deref(b.Accrued), Taken: webkit.Deref(b.Taken), Adjusted: webkit.Deref(b.Adjusted),
		CarriedIn: webkit.Deref(b.CarriedIn), Days: webkit.Deref(b.Days), Pending: webkit.Deref(b.Pending), Available: webkit.Deref(b.Available),
		Entitled: webkit.Deref(b.Entitled), Projected: webkit.Deref(b.Projected)}
}

// leaveBalanceView is a balance as the "leavebalance" template shows it;
// Request is the working days of the request being decided (0 elsewhere).
type leaveBalanceView struct {
	Lang    i18n.Lang
	B       leaveBalance
	Request int
}

// leaveRequest is a request as the pages show it.
type leaveRequest struct {
	ID, MemberID, MemberName, UnitID string
	From, To                         string
	Days                             int
	Reason, Status                   string
	SecondLevel                      bool
	Decisions                        []leaveDecision
	CreatedAt                        time.Time
	Version                          int64
	// Actions are the steps the service accepts from the caller now.
	Actions []string
	// ProvisionalCalendar: the days were counted with the provisional
	// calendar of a year without its official one.
	ProvisionalCalendar bool
	// Balance is the member's balance for the year the request starts in,
	// when the list was asked for it (the approvers' queue); nil otherwise.
	Balance *leaveBalance
}

// May reports whether the service offers the caller the step.
func (r leaveRequest) May(action string) bool { return slices.Contains(r.Actions, action) }

// leaveDecision is one approval, rejection or cancellation of a request:
// the level it was taken at (1 unit head, 2 approver, 0 the member), the
// user (or, for the member's own cancel, member) id that took it, and the
// comment given.
type leaveDecision struct {
	Level                   int
	Actor, Outcome, Comment string
	At                      time.Time
}

func requestOf(r leaveapi.Request) leaveRequest {
	out := leaveRequest{ID: r.Id.String(), MemberID: r.MemberId, MemberName: webkit.Deref(r.MemberName), UnitID: r.UnitId,
		From: r.From.String(), To: r.To.String(), Days: r.Days, Reason: webkit.Deref(r.Reason), Status: string(r.Status),
		SecondLevel: r.SecondLevel, CreatedAt: webkit.Deref(r.CreatedAt), Version: int64(r.Version), ProvisionalCalendar: webkit.Deref(r.ProvisionalCalendar)}
	for _, a := range webkit.Deref(r.Actions) {
		out.Actions = append(out.Actions, string(a))
	}
	// The document leaves a decision's members open; these are the ones
	// the leave service writes.
	for _, d := range webkit.Deref(r.Decisions) {
		dc := leaveDecision{}
		if n, ok := d["level"].(float64); ok {
			dc.Level = int(n)
		}
		dc.Actor, _ = d["actor"].(string)
		dc.Outcome, _ = d["outcome"].(string)
		dc.Comment, _ = d["comment"].(string)
		if at, ok := d["at"].(string); ok {
			dc.At, _ = time.Parse(time.RFC3339Nano, at)
		}
		out.Decisions = append(out.Decisions, dc)
	}
	if r.Balance != nil {
		b := balanceOf(*r.Balance)
		out.Balance = &b
	}
	return out
}

// leaveQuote is what a period would take.
type leaveQuote struct {
	From, To                      string
	Days, Available, BalanceAfter int
	SecondLevel, Provisional      bool
	// ProjectedBalance: Available includes next year's entitlement before
	// the rollover books it.
	ProjectedBalance bool
}

// Year is the year the quoted period lies in (0 when From is no date).
func (q leaveQuote) Year() int {
	if t, err := time.Parse(time.DateOnly, q.From); err == nil {
		return t.Year()
	}
	return 0
}

// leaveItem is a request as the pages show it: with its steps (sent, then
// each decision with who, when and their comment) and whether the officer
// may still cancel it.
type leaveItem struct {
	leaveRequest
	Steps     []webkit.TimelineStep
	CanCancel bool
}

type leaveData struct {
	Balance *leaveBalance
	// RequestPages links the next page of the officer's requests (newest
	// first; cursor in after) and the first.
	RequestPages webkit.Pager
	// BalanceView is Balance for the "leavebalance" template.
	BalanceView *leaveBalanceView
	Requests    []leaveItem
	Quote       *leaveQuote
	// Confirm is the request the officer asked to cancel, shown with the
	// button that really cancels it.
	Confirm *leaveItem
}

// leaveView is what renderLeave shows besides the service's data.
type leaveView struct {
	status  int
	form    *web.Form
	quote   *leaveQuote
	confirm *leaveRequest
	flash   *web.Message
	alert   *web.Message
}

func (a *area) registerLeavePages(g *gin.RouterGroup) {
	officer := a.RequireUser(domain.RoleOfficer)
	g.GET("/leave", officer, a.leavePage)
	g.POST("/leave/requests", officer, a.leaveApply)
	g.POST("/leave/requests/:id/cancel", officer, a.leaveDecide("cancel"))
	approver := a.RequireUser(domain.RoleUnitHead, domain.RoleApprover)
	g.GET("/approvals", approver, a.approvalsPage)
	g.POST("/approvals/leave/:id/approve", approver, a.leaveDecide("approve"))
	g.POST("/approvals/leave/:id/reject", approver, a.leaveDecide("reject"))
}

func (a *area) leavePage(c *gin.Context) {
	var flash *web.Message
	if c.Query("m") == "requested" {
		flash = webkit.Flash("web.leave.requested")
	} else if c.Query("m") == "done" {
		flash = webkit.Flash("web.leave.done")
	}
	a.renderLeave(c, leaveView{status: http.StatusOK, form: a.leaveFormOf(c), flash: flash})
}

// leaveFormOf is the request form as the page showed it: the cancel and
// confirm forms carry the request form's values along, so a refused or
// confirmed cancel does not empty what was typed. Without them the form
// starts at today.
func (a *area) leaveFormOf(c *gin.Context) *web.Form {
	form := web.NewForm()
	today := clock.Today(a.Clock).Format(time.DateOnly)
	form.Set("from", today).Set("to", today)
	if c.Request.Method != http.MethodPost {
		return form
	}
	for _, f := range []string{"from", "to", "reason"} {
		if v, ok := c.GetPostForm(f); ok {
			form.Set(f, strings.TrimSpace(v))
		}
	}
	return form
}

// balance reads memberID's balance for year (0: the service's default,
// this year).
func (a *area) balance(c *gin.Context, api *leaveapi.ClientWithResponses, memberID string, year int) (*leaveBalance, error) {
	params := &leaveapi.GetBalanceParams{}
	if year > 0 {
		params.Year = &year
	}
	r, err := api.GetBalanceWithResponse(c.Request.Context(), memberID, params)
	if err != nil || r.JSON200 == nil || r.JSON200.Balance == nil {
		return nil, orUnexpected(err, r)
	}
	b := balanceOf(*r.JSON200.Balance)
	return &b, nil
}

// requests reads a page of the requests the caller may see: of states
// (all when none), at most limit (the service's default when 0), after the
// cursor after.
func (a *area) requests(c *gin.Context, api *leaveapi.ClientWithResponses, states []string, limit int, after string) ([]leaveRequest, string, error) {
	return a.requestsOf(c, api, &leaveapi.ListRequestsParams{}, states, limit, after)
}

// requestsWithBalances is requests with each one's member's balance for the
// year it starts in, all computed by the service at once.
func (a *area) requestsWithBalances(c *gin.Context, api *leaveapi.ClientWithResponses, states []string, limit int, after string) ([]leaveRequest, string, error) {
	yes := true
	return a.requestsOf(c, api, &leaveapi.ListRequestsParams{Balances: &yes}, states, limit, after)
}

func (a *area) requestsOf(c *gin.Context, api *leaveapi.ClientWithResponses, params *leaveapi.ListRequestsParams, states []string, limit int, after string) ([]leaveRequest, string, error) {
	if len(states) > 0 {
		st := make([]leaveapi.ListRequestsParamsStatus, 0, len(states))
		for _, s := range states {
			st = append(st, leaveapi.ListRequestsParamsStatus(s))
		}
		params.Status = &st
	}
	if limit > 0 {
		params.Limit = &limit
	}
	if after != "" {
		params.After = &after
	}
	r, err := api.ListRequestsWithResponse(c.Request.Context(), params)
	if err != nil {
		return nil, "", err
	}
	items, next, err := listed[leaveapi.Request](r.JSON200)
	if err != nil {
		return nil, "", err
	}
	out := make([]leaveRequest, 0, len(items))
	for _, it := range items {
		out = append(out, requestOf(it))
	}
	return out, webkit.Deref(next), nil
}

// renderLeave shows the balance, the request form (with a quote when the
// person asked what a period would take) and the person's requests, each
// with its decisions.
func (a *area) renderLeave(c *gin.Context, v leaveView) {
	u := a.User(c)
	d := leaveData{Quote: v.quote}
	alert := v.alert
	api, err := a.Leave(c)
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	bal, err := a.balance(c, api, u.MemberID, 0)
	switch {
	case webkit.Refused(err, http.StatusNotFound):
		// The leave service has not heard of this member yet (the registry's
		// event is on its way, or the record is missing): say so, not "404".
		if alert == nil {
			alert = webkit.Flash("web.leave.no_balance")
		}
	case err != nil:
		a.ServiceFailed(c, err)
		return
	default:
		d.Balance = bal
		d.BalanceView = &leaveBalanceView{Lang: a.Lang(c), B: *bal}
	}
	// The officer's requests a page at a time (newest first); a form's
	// POST shows the first page again, and so does a cursor not of ours.
	after := ""
	if c.Request.Method == http.MethodGet {
		after = c.Query("after")
	}
	reqs, next, err := a.requests(c, api, nil, 0, after)
	if err != nil && webkit.StaleCursor(err) {
		after = ""
		reqs, next, err = a.requests(c, api, nil, 0, "")
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	q := map[string][]string{}
	if after != "" {
		q["after"] = []string{after}
	}
	d.Requests = a.leaveItems(c, reqs)
	d.RequestPages = a.PagerAt(c, "/leave", q, "requests", "after", next)
	if v.confirm != nil {
		items := a.leaveItems(c, []leaveRequest{*v.confirm})
		d.Confirm = &items[0]
	}
	p := a.Page(c, "web.leave.title")
	p.Form, p.Data, p.Flash, p.Alert = v.form, d, v.flash, alert
	a.Render(c, v.status, "leave", p)
}

// leaveItems adds each request's steps, naming who decided, and whether it
// can still be cancelled: the service says so in the request's actions.
func (a *area) leaveItems(c *gin.Context, reqs []leaveRequest) []leaveItem {
	names := actorNames{}
	out := make([]leaveItem, 0, len(reqs))
	for _, r := range reqs {
		out = append(out, leaveItem{leaveRequest: r, Steps: a.leaveSteps(c, r, names), CanCancel: r.May("cancel")})
	}
	return out
}

// actorNames caches the display names of the users who decided, one
// look-up per user and page.
type actorNames map[string]*web.Message

// leaveSteps is the request's history: sent, then each decision with who
// took it, when, and the comment. Who is the deciding user's name; when the
// gateway does not know them, the role that decides at that level.
func (a *area) leaveSteps(c *gin.Context, r leaveRequest, names actorNames) []webkit.TimelineStep {
	steps := []webkit.TimelineStep{{At: r.CreatedAt, What: web.Msg("web.officer.step.requested")}}
	for _, dc := range r.Decisions {
		st := webkit.TimelineStep{At: dc.At, Note: dc.Comment, What: webkit.MsgOr("web.officer.decision."+dc.Outcome, "web.officer.decision.other")}
		switch {
		case dc.Outcome == "cancelled" || dc.Level == 0 || dc.Actor == r.MemberID:
			st.Who = webkit.Flash("web.officer.by.applicant")
		default:
			st.Who = a.actorName(c, dc.Actor, names)
			if st.Who == nil {
				st.Who = webkit.Flash("web.officer.by.unit_head")
				if dc.Level >= 2 {
					st.Who = webkit.Flash("web.officer.by.approver")
				}
			}
		}
		steps = append(steps, st)
	}
	return steps
}

// actorName is the display name of the gateway user id, or nil.
func (a *area) actorName(c *gin.Context, id string, names actorNames) *web.Message {
	if m, seen := names[id]; seen {
		return m
	}
	var m *web.Message
	if a.Accounts != nil && id != "" {
		if u, err := a.Accounts.User(c.Request.Context(), id); err == nil && u.DisplayName != "" {
			n := web.Localized(u.DisplayName)
			m = &n
		}
	}
	names[id] = m
	return m
}

// period reads the form's from and to as the dates the service takes. A
// value that is no date is refused here as the service refuses it (its
// field.invalid, said at the top of the form), since a typed client cannot
// send it on.
func period(form *web.Form) (from, to openapi_types.Date, ok bool) {
	parse := func(s string) (openapi_types.Date, bool) {
		t, err := time.Parse(time.DateOnly, s)
		return openapi_types.Date{Time: t}, err == nil && t.Year() >= 1900
	}
	from, okFrom := parse(form.Value("from"))
	to, okTo := parse(form.Value("to"))
	if !okFrom || !okTo {
		form.AddError("", web.Msg("field.invalid"))
		return from, to, false
	}
	return from, to, true
}

// leaveApply either quotes the period (the "check" button) or sends the
// request: without JavaScript, the quote is a round trip that keeps the
// form filled in.
func (a *area) leaveApply(c *gin.Context) {
	form := web.NewForm()
	for _, f := range []string{"from", "to", "reason"} {
		form.Set(f, strings.TrimSpace(c.PostForm(f)))
	}
	from, to, ok := period(form)
	if !ok {
		a.renderLeave(c, leaveView{status: http.StatusUnprocessableEntity, form: form})
		return
	}
	api, err := a.Leave(c)
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	if c.PostForm("quote") != "" {
		r, err := api.QuoteRequestWithResponse(c.Request.Context(), leaveapi.QuoteRequestJSONRequestBody{From: from, To: to})
		if err == nil && r.JSON200 == nil {
			err = webkit.ErrUnexpected
		}
		if err != nil {
			if webkit.ProblemOnForm(err, form, nil) {
				a.renderLeave(c, leaveView{status: http.StatusUnprocessableEntity, form: form})
				return
			}
			a.ServiceFailed(c, err)
			return
		}
		j := r.JSON200
		q := leaveQuote{From: day(j.From), To: day(j.To), Days: webkit.Deref(j.Days), Available: webkit.Deref(j.Available), BalanceAfter: webkit.Deref(j.BalanceAfter),
			SecondLevel: webkit.Deref(j.SecondLevel), Provisional: webkit.Deref(j.ProvisionalCalendar), ProjectedBalance: webkit.Deref(j.ProjectedBalance)}
		a.renderLeave(c, leaveView{status: http.StatusOK, form: form, quote: &q})
		return
	}
	body := leaveapi.ApplyLeaveJSONRequestBody{From: from, To: to}
	if r := form.Value("reason"); r != "" {
		body.Reason = &r
	}
	if err := webkit.Done(api.ApplyLeave(c.Request.Context(), body)); err != nil { //nolint:bodyclose // webkit.Done drains and closes it
		if webkit.ProblemOnForm(err, form, nil) {
			a.renderLeave(c, leaveView{status: webkit.StatusOf(err), form: form})
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/leave?m=requested")
}

// leaveDecide approves, rejects or cancels a request at the version the
// page showed, with an optional comment. A cancel asks first: without
// confirm=yes it shows the request with the button that cancels it.
func (a *area) leaveDecide(verb string) gin.HandlerFunc {
	return func(c *gin.Context) {
		version, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
		if err != nil || version < 1 {
			a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
			return
		}
		id, ok := a.PathID(c, "id")
		if !ok {
			return
		}
		if verb == "cancel" && c.PostForm("confirm") != "yes" {
			a.confirmLeaveCancel(c, id, version, a.leaveFormOf(c), http.StatusOK, nil)
			return
		}
		// The cancel's comment is cancel_comment (the request form has its
		// own fields); a decision's is comment, put back on the queue as
		// comment-{id}, one per request.
		posted, field := "comment", "comment-"+c.Param("id")
		if verb == "cancel" {
			posted, field = "cancel_comment", "cancel_comment"
		}
		comment := strings.TrimSpace(c.PostForm(posted))
		var say *string
		if comment != "" {
			say = &comment
		}
		api, err := a.Leave(c)
		if err == nil {
			ctx, tag := c.Request.Context(), client.Tag(version)
			switch verb {
			case "approve":
				err = webkit.Done(api.ApproveRequest(ctx, id, &leaveapi.ApproveRequestParams{IfMatch: tag}, leaveapi.ApproveRequestJSONRequestBody{Comment: say})) //nolint:bodyclose // webkit.Done drains and closes it
			case "reject":
				err = webkit.Done(api.RejectRequest(ctx, id, &leaveapi.RejectRequestParams{IfMatch: tag}, leaveapi.RejectRequestJSONRequestBody{Comment: say})) //nolint:bodyclose // webkit.Done drains and closes it
			default:
				err = webkit.Done(api.CancelRequest(ctx, id, &leaveapi.CancelRequestParams{IfMatch: tag}, leaveapi.CancelRequestJSONRequestBody{Comment: say})) //nolint:bodyclose // webkit.Done drains and closes it
			}
		}
		if err != nil {
			form := web.NewForm()
			if !webkit.ProblemOnForm(err, form, map[string]string{"comment": field}) {
				a.ServiceFailed(c, err)
				return
			}
			// Say why right here: a comment problem next to the comment, the
			// service's own words at the top.
			alert := web.Msg("web.approvals.refused")
			if msgs := webkit.Messages(form); len(msgs) > 0 {
				alert = msgs[0]
			}
			if verb == "cancel" {
				page := a.leaveFormOf(c)
				page.Set(field, comment)
				if len(form.Errors(field)) > 0 {
					// Only the comment was wrong: ask again, with it.
					for _, m := range form.Errors(field) {
						page.AddError(field, m)
					}
					a.confirmLeaveCancel(c, id, version, page, webkit.StatusOf(err), nil)
					return
				}
				a.renderLeave(c, leaveView{status: webkit.StatusOf(err), form: page, alert: &alert})
				return
			}
			form.Set(field, comment)
			a.renderApprovals(c, webkit.StatusOf(err), form, nil, &alert)
			return
		}
		if verb == "cancel" {
			c.Redirect(http.StatusSeeOther, "/leave?m=done")
			return
		}
		c.Redirect(http.StatusSeeOther, "/approvals?m=done")
	}
}

// confirmLeaveCancel shows the leave page with the request to cancel at
// the top and the button that cancels it at the version the list showed.
// A request the officer may not see answers 404, as the service does.
func (a *area) confirmLeaveCancel(c *gin.Context, id uuid.UUID, version int64, form *web.Form, status int, alert *web.Message) {
	api, err := a.Leave(c)
	var got *leaveapi.GetRequestResponse
	if err == nil {
		got, err = api.GetRequestWithResponse(c.Request.Context(), id)
	}
	if err == nil && got.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	r := requestOf(*got.JSON200)
	r.Version = version
	if it := a.leaveItems(c, []leaveRequest{r}); !it[0].CanCancel {
		// Decided, cancelled or started meanwhile: nothing to confirm.
		a.renderLeave(c, leaveView{status: http.StatusConflict, form: form, alert: webkit.Flash("web.officer.confirm.not_cancellable")})
		return
	}
	a.renderLeave(c, leaveView{status: status, form: form, confirm: &r, alert: alert})
}
