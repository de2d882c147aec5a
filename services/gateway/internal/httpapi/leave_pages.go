package httpapi

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/clock"
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
}

// leaveRequest is the Request of the leave API.
type leaveRequest struct {
	ID          string    `json:"id"`
	MemberID    string    `json:"member_id"`
	MemberName  string    `json:"member_name"`
	UnitID      string    `json:"unit_id"`
	From        string    `json:"from"`
	To          string    `json:"to"`
	Days        int       `json:"days"`
	Reason      string    `json:"reason"`
	Status      string    `json:"status"`
	SecondLevel bool      `json:"second_level"`
	CreatedAt   time.Time `json:"created_at"`
	Version     int64     `json:"version"`
}

// leaveQuote is the answer of POST /requests/quote.
type leaveQuote struct {
	From         string `json:"from"`
	To           string `json:"to"`
	Days         int    `json:"days"`
	Available    int    `json:"available"`
	BalanceAfter int    `json:"balance_after"`
	SecondLevel  bool   `json:"second_level"`
}

type leaveData struct {
	Balance  *leaveBalance
	Requests []leaveRequest
	Quote    *leaveQuote
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
	form := web.NewForm()
	today := clock.Today(h.Clock).Format(time.DateOnly)
	form.Set("from", today).Set("to", today)
	var flash *web.Message
	if c.Query("m") == "requested" {
		m := web.Msg("web.leave.requested")
		flash = &m
	} else if c.Query("m") == "done" {
		m := web.Msg("web.leave.done")
		flash = &m
	}
	h.renderLeave(c, http.StatusOK, form, nil, flash, nil)
}

// renderLeave shows the balance, the request form (with a quote when the
// person asked what a period would take) and the person's requests.
func (h *handlers) renderLeave(c *gin.Context, status int, form *web.Form, quote *leaveQuote, flash, alert *web.Message) {
	u := currentUser(c)
	d := leaveData{Quote: quote}
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
		alert = &m
	case err != nil:
		h.serviceFailed(c, err)
		return
	default:
		d.Balance = &bal.Balance
	}
	var reqs struct {
		Items []leaveRequest `json:"items"`
	}
	if _, err := h.call(c, http.MethodGet, "leave", leaveAPI+"/requests", 0, nil, &reqs); err != nil {
		h.serviceFailed(c, err)
		return
	}
	d.Requests = reqs.Items
	p := h.page(c, "web.leave.title")
	p.Form, p.Data, p.Flash, p.Alert = form, d, flash, alert
	h.render(c, status, "leave", p)
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
				h.renderLeave(c, http.StatusUnprocessableEntity, form, nil, nil, nil)
				return
			}
			h.serviceFailed(c, err)
			return
		}
		h.renderLeave(c, http.StatusOK, form, &q, nil, nil)
		return
	}
	if _, err := h.call(c, http.MethodPost, "leave", leaveAPI+"/requests", 0, body, nil); err != nil {
		if problemOnForm(err, form, nil) {
			h.renderLeave(c, statusOf(err), form, nil, nil, nil)
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
// page showed, with an optional comment.
func (h *handlers) leaveDecide(verb string) gin.HandlerFunc {
	return func(c *gin.Context) {
		version, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
		if err != nil || version < 1 {
			h.errorPage(c, http.StatusBadRequest, "web.error.400")
			return
		}
		body := map[string]string{}
		if cm := strings.TrimSpace(c.PostForm("comment")); cm != "" {
			body["comment"] = cm
		}
		path := leaveAPI + "/requests/" + url.PathEscape(c.Param("id")) + "/" + verb
		back := "/approvals"
		if verb == "cancel" {
			back = "/leave"
		}
		if _, err := h.call(c, http.MethodPost, "leave", path, version, body, nil); err != nil {
			form := web.NewForm()
			if !problemOnForm(err, form, nil) {
				h.serviceFailed(c, err)
				return
			}
			// Say why right here; the flash is the service's own words.
			msgs := append(form.General(), flatten(form)...)
			flash := web.Msg("web.approvals.refused")
			if len(msgs) > 0 {
				flash = msgs[0]
			}
			if verb == "cancel" {
				h.renderLeave(c, statusOf(err), web.NewForm(), nil, nil, &flash)
				return
			}
			h.renderApprovals(c, statusOf(err), nil, &flash)
			return
		}
		c.Redirect(http.StatusSeeOther, back+"?m=done")
	}
}

func flatten(f *web.Form) []web.Message {
	var out []web.Message
	for _, fe := range f.FieldErrors() {
		out = append(out, fe.Message)
	}
	return out
}

type approvalsData struct {
	Leave  []leaveRequest
	Grants []grantQueueItem
	// ShowGrants is true for approvers, whose queue includes applications
	// awaiting the committee.
	ShowGrants bool
}

// approvalsPage is the approval queue of unit heads and approvers: leave
// requests waiting at their level (grants join when their API lands).
func (h *handlers) approvalsPage(c *gin.Context) {
	var flash *web.Message
	if c.Query("m") == "done" {
		m := web.Msg("web.leave.done")
		flash = &m
	}
	h.renderApprovals(c, http.StatusOK, flash, nil)
}

func (h *handlers) renderApprovals(c *gin.Context, status int, flash, alert *web.Message) {
	var d approvalsData
	for _, st := range []string{"pending", "pending_second"} {
		if !h.Upstreams.Has("leave") {
			break
		}
		var reqs struct {
			Items []leaveRequest `json:"items"`
		}
		if _, err := h.call(c, http.MethodGet, "leave", leaveAPI+"/requests?status="+st, 0, nil, &reqs); err != nil {
			h.serviceFailed(c, err)
			return
		}
		d.Leave = append(d.Leave, reqs.Items...)
	}
	if currentUser(c).Has(domain.RoleApprover) && h.Upstreams.Has("grants") {
		apps, err := h.grantQueue(c, "queue", "reviewed")
		if err != nil {
			h.serviceFailed(c, err)
			return
		}
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
	p.Data, p.Flash, p.Alert = d, flash, alert
	h.withUnitNames(c, p)
	h.render(c, status, "approvals", p)
}
