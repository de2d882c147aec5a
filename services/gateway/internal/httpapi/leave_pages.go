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
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Pages of annual leave, over /api/v1/leave (api/openapi/leave.yaml).

const leaveAPI = "/api/v1/leave"

// leaveBalance is the Balance of the leave API.
type leaveBalance struct {
	Year      int `json:"year"`
	Accrued   int `json:"accrued"`
	Taken     int `json:"taken"`
	Adjusted  int `json:"adjusted"`
	CarriedIn int `json:"carried_in"`
	Days      int `json:"days"`
	Pending   int `json:"pending"`
	Available int `json:"available"`
	// Entitled − Taken − Pending = Available, as every page shows it.
	Entitled int `json:"entitled"`
	// Projected: Entitled includes next year's entitlement before the
	// year-end rollover books it; every page says it is an estimate.
	Projected bool `json:"projected"`
}

// leaveBalanceView is a balance as the "leavebalance" template shows it;
// Request is the working days of the request being decided (0 elsewhere).
type leaveBalanceView struct {
	Lang    i18n.Lang
	B       leaveBalance
	Request int
}

// leaveRequest is the Request of the leave API.
type leaveRequest struct {
	ID          string          `json:"id"`
	MemberID    string          `json:"member_id"`
	MemberName  string          `json:"member_name"`
	UnitID      string          `json:"unit_id"`
	From        string          `json:"from"`
	To          string          `json:"to"`
	Days        int             `json:"days"`
	Reason      string          `json:"reason"`
	Status      string          `json:"status"`
	SecondLevel bool            `json:"second_level"`
	Decisions   []leaveDecision `json:"decisions"`
	CreatedAt   time.Time       `json:"created_at"`
	Version     int64           `json:"version"`
	// Actions are the steps the service accepts from the caller now.
	Actions []string `json:"actions"`
	// ProvisionalCalendar: the days were counted with the provisional
	// calendar of a year without its official one.
	ProvisionalCalendar bool `json:"provisional_calendar"`
}

// May reports whether the service offers the caller the step.
func (r leaveRequest) May(action string) bool { return slices.Contains(r.Actions, action) }

// leaveDecision is one approval, rejection or cancellation of a request:
// the level it was taken at (1 unit head, 2 approver, 0 the member), the
// user (or, for the member's own cancel, member) id that took it, and the
// comment given.
type leaveDecision struct {
	Level   int       `json:"level"`
	Actor   string    `json:"actor"`
	Outcome string    `json:"outcome"`
	Comment string    `json:"comment"`
	At      time.Time `json:"at"`
}

// leaveQuote is the answer of POST /requests/quote.
type leaveQuote struct {
	From         string `json:"from"`
	To           string `json:"to"`
	Days         int    `json:"days"`
	Available    int    `json:"available"`
	BalanceAfter int    `json:"balance_after"`
	SecondLevel  bool   `json:"second_level"`
	Provisional  bool   `json:"provisional_calendar"`
	// ProjectedBalance: Available includes next year's entitlement before
	// the rollover books it.
	ProjectedBalance bool `json:"projected_balance"`
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
	Steps     []timelineStep
	CanCancel bool
}

type leaveData struct {
	Balance *leaveBalance
	// RequestPages links the next page of the officer's requests (newest
	// first; cursor in after) and the first.
	RequestPages pager
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

func (h *handlers) registerLeavePages(g *gin.RouterGroup) {
	officer := h.requireUser(domain.RoleOfficer)
	g.GET("/leave", officer, h.leavePage)
	g.POST("/leave/requests", officer, h.leaveApply)
	g.POST("/leave/requests/:id/cancel", officer, h.leaveDecide("cancel"))
	approver := h.requireUser(domain.RoleUnitHead, domain.RoleApprover)
	g.GET("/approvals", approver, h.approvalsPage)
	g.POST("/approvals/leave/:id/approve", approver, h.leaveDecide("approve"))
	g.POST("/approvals/leave/:id/reject", approver, h.leaveDecide("reject"))
}

func (h *handlers) leavePage(c *gin.Context) {
	var flash *web.Message
	if c.Query("m") == "requested" {
		m := web.Msg("web.leave.requested")
		flash = &m
	} else if c.Query("m") == "done" {
		m := web.Msg("web.leave.done")
		flash = &m
	}
	h.renderLeave(c, leaveView{status: http.StatusOK, form: h.leaveFormOf(c), flash: flash})
}

// leaveFormOf is the request form as the page showed it: the cancel and
// confirm forms carry the request form's values along, so a refused or
// confirmed cancel does not empty what was typed. Without them the form
// starts at today.
func (h *handlers) leaveFormOf(c *gin.Context) *web.Form {
	form := web.NewForm()
	today := clock.Today(h.Clock).Format(time.DateOnly)
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

// renderLeave shows the balance, the request form (with a quote when the
// person asked what a period would take) and the person's requests, each
// with its decisions.
func (h *handlers) renderLeave(c *gin.Context, v leaveView) {
	u := currentUser(c)
	d := leaveData{Quote: v.quote}
	alert := v.alert
	var bal struct {
		Balance leaveBalance `json:"balance"`
	}
	_, err := h.call(c, http.MethodGet, "leave", leaveAPI+"/members/"+url.PathEscape(u.MemberID)+"/balance", 0, nil, &bal)
	var ae *APIError
	switch {
	case errors.As(err, &ae) && ae.Status == http.StatusNotFound:
		// The leave service has not heard of this member yet (the registry's
		// event is on its way, or the record is missing): say so, not "404".
		m := web.Msg("web.leave.no_balance")
		if alert == nil {
			alert = &m
		}
	case err != nil:
		h.serviceFailed(c, err)
		return
	default:
		d.Balance = &bal.Balance
		d.BalanceView = &leaveBalanceView{Lang: lang(c), B: bal.Balance}
	}
	// The officer's requests a page at a time (newest first); a form's
	// POST shows the first page again, and so does a cursor not of ours.
	q := url.Values{}
	if a := c.Query("after"); a != "" && c.Request.Method == http.MethodGet {
		q.Set("after", a)
	}
	var reqs listPage[leaveRequest]
	_, err = h.call(c, http.MethodGet, "leave", leaveAPI+"/requests?"+q.Encode(), 0, nil, &reqs)
	if err != nil && staleCursor(err) {
		q.Del("after")
		_, err = h.call(c, http.MethodGet, "leave", leaveAPI+"/requests?"+q.Encode(), 0, nil, &reqs)
	}
	if err != nil {
		h.serviceFailed(c, err)
		return
	}
	d.Requests = h.leaveItems(c, reqs.Items)
	d.RequestPages = pagerAt(c, "/leave", q, "requests", "after", reqs.Next)
	if v.confirm != nil {
		items := h.leaveItems(c, []leaveRequest{*v.confirm})
		d.Confirm = &items[0]
	}
	p := h.page(c, "web.leave.title")
	p.Form, p.Data, p.Flash, p.Alert = v.form, d, v.flash, alert
	h.render(c, v.status, "leave", p)
}

// leaveItems adds each request's steps, naming who decided, and whether it
// can still be cancelled: the service says so in the request's actions.
func (h *handlers) leaveItems(c *gin.Context, reqs []leaveRequest) []leaveItem {
	names := actorNames{}
	out := make([]leaveItem, 0, len(reqs))
	for _, r := range reqs {
		out = append(out, leaveItem{leaveRequest: r, Steps: h.leaveSteps(c, r, names), CanCancel: r.May("cancel")})
	}
	return out
}

// actorNames caches the display names of the users who decided, one
// look-up per user and page.
type actorNames map[string]*web.Message

// leaveSteps is the request's history: sent, then each decision with who
// took it, when, and the comment. Who is the deciding user's name; when the
// gateway does not know them, the role that decides at that level.
func (h *handlers) leaveSteps(c *gin.Context, r leaveRequest, names actorNames) []timelineStep {
	steps := []timelineStep{{At: r.CreatedAt, What: web.Msg("web.officer.step.requested")}}
	for _, dc := range r.Decisions {
		st := timelineStep{At: dc.At, Note: dc.Comment, What: msgOr("web.officer.decision."+dc.Outcome, "web.officer.decision.other")}
		switch {
		case dc.Outcome == "cancelled" || dc.Level == 0 || dc.Actor == r.MemberID:
			m := web.Msg("web.officer.by.applicant")
			st.Who = &m
		default:
			st.Who = h.actorName(c, dc.Actor, names)
			if st.Who == nil {
				m := web.Msg("web.officer.by.unit_head")
				if dc.Level >= 2 {
					m = web.Msg("web.officer.by.approver")
				}
				st.Who = &m
			}
		}
		steps = append(steps, st)
	}
	return steps
}

// actorName is the display name of the gateway user id, or nil.
func (h *handlers) actorName(c *gin.Context, id string, names actorNames) *web.Message {
	if m, seen := names[id]; seen {
		return m
	}
	var m *web.Message
	if h.Accounts != nil && id != "" {
		if u, err := h.Accounts.User(c.Request.Context(), id); err == nil && u.DisplayName != "" {
			n := web.Localized(u.DisplayName)
			m = &n
		}
	}
	names[id] = m
	return m
}

// leaveApply either quotes the period (the "check" button) or sends the
// request: without JavaScript, the quote is a round trip that keeps the
// form filled in.
func (h *handlers) leaveApply(c *gin.Context) {
	form := web.NewForm()
	for _, f := range []string{"from", "to", "reason"} {
		form.Set(f, strings.TrimSpace(c.PostForm(f)))
	}
	body := map[string]string{"from": form.Value("from"), "to": form.Value("to")}
	if r := form.Value("reason"); r != "" {
		body["reason"] = r
	}
	if c.PostForm("quote") != "" {
		delete(body, "reason")
		var q leaveQuote
		if _, err := h.call(c, http.MethodPost, "leave", leaveAPI+"/requests/quote", 0, body, &q); err != nil {
			if problemOnForm(err, form, nil) {
				h.renderLeave(c, leaveView{status: http.StatusUnprocessableEntity, form: form})
				return
			}
			h.serviceFailed(c, err)
			return
		}
		h.renderLeave(c, leaveView{status: http.StatusOK, form: form, quote: &q})
		return
	}
	if _, err := h.call(c, http.MethodPost, "leave", leaveAPI+"/requests", 0, body, nil); err != nil {
		if problemOnForm(err, form, nil) {
			h.renderLeave(c, leaveView{status: statusOf(err), form: form})
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/leave?m=requested")
}

// statusOf is the status to answer a refused form with: the service's 409
// or 403 stays as it is, anything else is 422.
func statusOf(err error) int {
	var ae *APIError
	if errors.As(err, &ae) && (ae.Status == http.StatusConflict || ae.Status == http.StatusForbidden) {
		return ae.Status
	}
	return http.StatusUnprocessableEntity
}

// leaveDecide approves, rejects or cancels a request at the version the
// page showed, with an optional comment. A cancel asks first: without
// confirm=yes it shows the request with the button that cancels it.
func (h *handlers) leaveDecide(verb string) gin.HandlerFunc {
	return func(c *gin.Context) {
		version, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
		if err != nil || version < 1 {
			h.errorPage(c, http.StatusBadRequest, "web.error.400")
			return
		}
		id := c.Param("id")
		path := leaveAPI + "/requests/" + url.PathEscape(id)
		if verb == "cancel" && c.PostForm("confirm") != "yes" {
			h.confirmLeaveCancel(c, path, version, h.leaveFormOf(c), http.StatusOK, nil)
			return
		}
		// The cancel's comment is cancel_comment (the request form has its
		// own fields); a decision's is comment, put back on the queue as
		// comment-{id}, one per request.
		posted, field := "comment", "comment-"+id
		if verb == "cancel" {
			posted, field = "cancel_comment", "cancel_comment"
		}
		comment := strings.TrimSpace(c.PostForm(posted))
		body := map[string]string{}
		if comment != "" {
			body["comment"] = comment
		}
		if _, err := h.call(c, http.MethodPost, "leave", path+"/"+verb, version, body, nil); err != nil {
			form := web.NewForm()
			if !problemOnForm(err, form, map[string]string{"comment": field}) {
				h.serviceFailed(c, err)
				return
			}
			// Say why right here: a comment problem next to the comment, the
			// service's own words at the top.
			msgs := append(form.General(), flatten(form)...)
			alert := web.Msg("web.approvals.refused")
			if len(msgs) > 0 {
				alert = msgs[0]
			}
			if verb == "cancel" {
				page := h.leaveFormOf(c)
				page.Set(field, comment)
				if len(form.Errors(field)) > 0 {
					// Only the comment was wrong: ask again, with it.
					for _, m := range form.Errors(field) {
						page.AddError(field, m)
					}
					h.confirmLeaveCancel(c, path, version, page, statusOf(err), nil)
					return
				}
				h.renderLeave(c, leaveView{status: statusOf(err), form: page, alert: &alert})
				return
			}
			form.Set(field, comment)
			h.renderApprovals(c, statusOf(err), form, nil, &alert)
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
func (h *handlers) confirmLeaveCancel(c *gin.Context, path string, version int64, form *web.Form, status int, alert *web.Message) {
	var r leaveRequest
	if _, err := h.call(c, http.MethodGet, "leave", path, 0, nil, &r); err != nil {
		h.serviceFailed(c, err)
		return
	}
	r.Version = version
	if it := h.leaveItems(c, []leaveRequest{r}); !it[0].CanCancel {
		// Decided, cancelled or started meanwhile: nothing to confirm.
		m := web.Msg("web.officer.confirm.not_cancellable")
		h.renderLeave(c, leaveView{status: http.StatusConflict, form: form, alert: &m})
		return
	}
	h.renderLeave(c, leaveView{status: status, form: form, confirm: &r, alert: alert})
}

func flatten(f *web.Form) []web.Message {
	var out []web.Message
	for _, fe := range f.FieldErrors() {
		out = append(out, fe.Message)
	}
	return out
}

// approvalItem is a request in the queue with what the deciding person
// needs: the member's balance for the request's year and what it would be
// after approving, and the decisions taken so far.
type approvalItem struct {
	leaveItem
	// Balance is nil when the member's balance could not be read; its
	// Request is this request's days, already among the pending ones.
	Balance *leaveBalanceView
}

type approvalsData struct {
	Leave []approvalItem
	// Elsewhere counts the requests of the caller's units waiting at a
	// step that is not theirs (with the unit head, for an approver).
	Elsewhere int
	// ElsewhereMore: more than Elsewhere wait there (it counts up to
	// elsewhereCountUpTo).
	ElsewhereMore bool
	Grants        []grantQueueItem
	// ShowGrants is true for approvers, whose queue includes applications
	// awaiting the committee.
	ShowGrants bool
	// LeavePages and GrantPages link each list's next page (cursors in
	// leave_after and grants_after) and back to its first.
	LeavePages, GrantPages pager
}

// approvalsPageSize is the rows of each list on the approvals page: each
// row reads more (a balance, a whole application), so fewer than a list's
// default.
const approvalsPageSize = 20

// elsewhereCountUpTo is how far the approvals page counts the requests
// waiting at the other step: beyond it, it says "more than".
const elsewhereCountUpTo = 100

// approvalsPage is the approval queue of unit heads and approvers: leave
// requests waiting at their level and, for approvers, grant applications.
func (h *handlers) approvalsPage(c *gin.Context) {
	var flash *web.Message
	if c.Query("m") == "done" {
		m := web.Msg("web.leave.done")
		flash = &m
	}
	h.renderApprovals(c, http.StatusOK, web.NewForm(), flash, nil)
}

func (h *handlers) renderApprovals(c *gin.Context, status int, form *web.Form, flash, alert *web.Message) {
	var d approvalsData
	var waiting []leaveRequest
	if h.Upstreams.Has("leave") && currentUser(c).Has(domain.RoleUnitHead, domain.RoleApprover) {
		// The states the caller decides (the first level is the unit
		// head's, the second an approver's), a page at a time, newest
		// first: every row of a page is theirs to decide.
		u := currentUser(c)
		var mine, others []string
		for _, st := range []struct {
			status string
			role   domain.Role
		}{{"pending", domain.RoleUnitHead}, {"pending_second", domain.RoleApprover}} {
			if u.Has(st.role) {
				mine = append(mine, st.status)
			} else {
				others = append(others, st.status)
			}
		}
		q := url.Values{"status": mine, "limit": {strconv.Itoa(approvalsPageSize)}}
		if a := c.Query("leave_after"); a != "" {
			q.Set("after", a)
		}
		var reqs listPage[leaveRequest]
		_, err := h.call(c, http.MethodGet, "leave", leaveAPI+"/requests?"+q.Encode(), 0, nil, &reqs)
		if err != nil && staleCursor(err) {
			q.Del("after")
			alert = staleCursorNote()
			_, err = h.call(c, http.MethodGet, "leave", leaveAPI+"/requests?"+q.Encode(), 0, nil, &reqs)
		}
		if err != nil {
			h.serviceFailed(c, err)
			return
		}
		waiting = reqs.Items
		d.LeavePages = pagerFor(c, "leave-approvals", "leave_after", reqs.Next)
		if len(others) > 0 {
			// How many wait at the other step, up to a page's worth.
			var rest listPage[leaveRequest]
			q := url.Values{"status": others, "limit": {strconv.Itoa(elsewhereCountUpTo)}}
			if _, err := h.call(c, http.MethodGet, "leave", leaveAPI+"/requests?"+q.Encode(), 0, nil, &rest); err == nil {
				d.Elsewhere, d.ElsewhereMore = len(rest.Items), rest.Next != ""
			}
		}
	}
	balances := map[string]*leaveBalance{}
	for _, it := range h.leaveItems(c, waiting) {
		// The queue is what the caller may decide: the service says which
		// steps it accepts from them at the request's stage.
		if !it.May("approve") && !it.May("reject") {
			d.Elsewhere++
			continue
		}
		a := approvalItem{leaveItem: it}
		if b := h.memberBalance(c, it.MemberID, it.From, balances); b != nil {
			a.Balance = &leaveBalanceView{Lang: lang(c), B: *b, Request: it.Days}
		}
		d.Leave = append(d.Leave, a)
	}
	if currentUser(c).Has(domain.RoleApprover) && h.Upstreams.Has("grants") {
		apps, next, stale, err := h.grantQueue(c, "queue", "reviewed", c.Query("grants_after"), approvalsPageSize)
		if err != nil {
			h.serviceFailed(c, err)
			return
		}
		if stale {
			alert = staleCursorNote()
		}
		d.GrantPages = pagerFor(c, "grant-approvals", "grants_after", next)
		progs := h.grantPrograms(c)
		for _, a := range apps {
			// The list carries no history; the review needs the approvals
			// given and the caseworker's review, so read the whole record.
			var full grantApplication
			if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/applications/"+url.PathEscape(a.ID), 0, nil, &full); err == nil {
				a = full
			}
			d.Grants = append(d.Grants, grantQueueItem{grantApplication: a, Review: h.reviewOf(c, a, progs[a.ProgramID])})
		}
		d.ShowGrants = true
	}
	p := h.page(c, "web.approvals.title")
	p.Form, p.Data, p.Flash, p.Alert = form, d, flash, alert
	h.withUnitNames(c, p)
	h.render(c, status, "approvals", p)
}

// memberBalance reads a member's balance for the year a request starts in
// (GET /members/{id}/balance?year=, open to the staff of the member's
// unit), once per member and year. A balance that cannot be read is nil:
// the queue still shows, with the balance marked unavailable.
func (h *handlers) memberBalance(c *gin.Context, memberID, from string, cache map[string]*leaveBalance) *leaveBalance {
	year := strconv.Itoa(clock.Today(h.Clock).Year())
	if len(from) >= 4 {
		if _, err := strconv.Atoi(from[:4]); err == nil {
			year = from[:4]
		}
	}
	key := memberID + "/" + year
	if b, seen := cache[key]; seen {
		return b
	}
	var out struct {
		Balance leaveBalance `json:"balance"`
	}
	var b *leaveBalance
	if _, err := h.call(c, http.MethodGet, "leave", leaveAPI+"/members/"+url.PathEscape(memberID)+"/balance?year="+year, 0, nil, &out); err != nil {
		h.Log.InfoContext(c, "approvals without a member's balance", "member", memberID, "error", err)
	} else {
		b = &out.Balance
	}
	cache[key] = b
	return b
}
