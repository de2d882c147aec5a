package leave

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	leaveapi "github.com/anxin-welfare/anxin/api/client/leave"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The administrator's year-end rollover (GET and POST /rollovers/{year}):
// carry-overs, expiries and the next year's entitlement for every member.

// leaveAdminData feeds the rollover page: the state of the year shown.
type leaveAdminData struct {
	Status leaveapi.RolloverState
	// Confirm is the confirmation card of a rollover asked for.
	Confirm *webkit.ConfirmCard
}

// leaveAdminPage shows how far the closing of a year has come (last year
// unless ?year= says otherwise) with the form that runs it.
func (a *area) leaveAdminPage(c *gin.Context) {
	var flash *web.Message
	if y := c.Query("rolled"); y != "" {
		if n, err := strconv.Atoi(y); err == nil {
			flash = webkit.Flash("web.leave_admin.rolled", n)
		}
	}
	y := clock.Today(a.Clock).Year() - 1
	if v := c.Query("year"); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 2000 || n > 2100 {
			// A mistyped year: said next to the field, as typed; no
			// year's state is shown.
			form := web.NewForm().Set("show-year", v).Set("year", strconv.Itoa(y))
			form.AddError("show-year", web.Msg("field.range", 2000, 2100))
			p := a.Page(c, "web.leave_admin.title")
			p.Form, p.Data = form, leaveAdminData{}
			a.Render(c, http.StatusUnprocessableEntity, "leave_admin", p)
			return
		}
		y = n
	}
	a.renderLeaveAdmin(c, http.StatusOK, y, web.NewForm().Set("year", strconv.Itoa(y)), flash, false)
}

// renderLeaveAdmin shows the state of year; confirm adds the card asking
// to confirm closing it, with how many members it will close.
func (a *area) renderLeaveAdmin(c *gin.Context, status, year int, form *web.Form, flash *web.Message, confirm bool) {
	var d leaveAdminData
	api, err := a.Leave(c)
	if err == nil {
		var r *leaveapi.GetRolloverStateResponse
		if r, err = api.GetRolloverStateWithResponse(c.Request.Context(), year); err == nil && r.JSON200 == nil {
			err = webkit.ErrUnexpected
		} else if err == nil {
			d.Status = *r.JSON200
		}
	}
	if err != nil {
		if confirm && webkit.ProblemOnForm(err, form, nil) {
			// The year cannot be asked about (the service says why):
			// the page for last year, the problem by the field.
			a.renderLeaveAdmin(c, webkit.StatusOf(err), clock.Today(a.Clock).Year()-1, form, nil, false)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	if confirm && !d.Status.Closable {
		// Nothing to confirm: the year cannot be closed yet.
		form.AddError("year", web.Msg("web.leave_admin.not_closable", year))
		status, confirm = http.StatusUnprocessableEntity, false
	}
	if confirm {
		d.Confirm = &webkit.ConfirmCard{
			Text:   web.Msg("web.confirm.rollover", year, d.Status.Open, d.Status.Closed),
			Action: "/admin/leave/rollover",
			Hidden: []webkit.HiddenField{{Name: "year", Value: strconv.Itoa(year)}},
			Button: "web.confirm.rollover_button", Back: "/admin/leave?year=" + strconv.Itoa(year),
		}
	}
	p := a.Page(c, "web.leave_admin.title")
	p.Form, p.Flash, p.Data = form, flash, d
	a.Render(c, status, "leave_admin", p)
}

// leaveRollover closes a past year for every member: carry-overs, expiries
// and the next year's entitlement. The first press (without confirm=yes)
// shows how many members it will close and changes nothing; the second
// runs it. The service's run is idempotent, so a repeat does no harm.
func (a *area) leaveRollover(c *gin.Context) {
	form := web.NewForm().Set("year", strings.TrimSpace(c.PostForm("year")))
	y, err := strconv.Atoi(form.Value("year"))
	last := clock.Today(a.Clock).Year() - 1
	if err != nil || y < 2000 || y > 2100 {
		form.AddError("year", web.Msg("field.range", 2000, 2100))
		a.renderLeaveAdmin(c, http.StatusUnprocessableEntity, last, form, nil, false)
		return
	}
	if !webkit.Confirmed(c) {
		// The first press only says what closing the year will do.
		a.renderLeaveAdmin(c, http.StatusOK, y, form, nil, true)
		return
	}
	api, err := a.Leave(c)
	if err == nil {
		err = webkit.Done(api.Rollover(c.Request.Context(), y)) //nolint:bodyclose // webkit.Done drains and closes it
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, nil) {
			a.renderLeaveAdmin(c, webkit.StatusOf(err), min(y, last), form, nil, false)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/leave?year="+strconv.Itoa(y)+"&rolled="+strconv.Itoa(y))
}
