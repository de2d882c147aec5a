package httpapi

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Recuperation places per unit and year (GET and PUT
// /api/v1/leave/recuperation/quotas/{year}[/{unit}]), and an officer
// cancelling a stay they booked (POST /recuperation/bookings/{id}/cancel),
// which moves the waitlist up.

// recuperationQuota is a unit's places in a year and how many are used.
type recuperationQuota struct {
	Year    int    `json:"year"`
	UnitID  string `json:"unit_id"`
	Places  int    `json:"places"`
	Used    int    `json:"used"`
	Version int64  `json:"version"`
}

type quotasData struct {
	Year    int
	Quotas  []recuperationQuota
	CanEdit bool
	// Units names the units, when the registry lets the reader list them
	// (a unit head may not); the page shows ids otherwise.
	Units []unitRow
	Names map[string]string
	// Bookings are the stays booked in the reader's units (caseworkers and
	// unit heads); a caseworker may cancel one.
	Bookings  []unitBooking
	CanCancel bool
}

// unitBooking is a booking of the leave API as a caseworker sees it.
type unitBooking struct {
	ID         string `json:"id"`
	SessionID  string `json:"session_id"`
	MemberID   string `json:"member_id"`
	MemberName string `json:"member_name"`
	UnitID     string `json:"unit_id"`
	Year       int    `json:"year"`
	Status     string `json:"status"`
	Priority   int    `json:"priority"`
	Version    int64  `json:"version"`
}

func (h *handlers) registerRecuperationPages(g *gin.RouterGroup) {
	g.POST("/care/recuperation/bookings/:id/cancel", h.requireUser(domain.RoleOfficer), h.cancelStay)
	staff := h.requireUser(domain.RoleCaseworker, domain.RoleUnitHead, domain.RoleAdmin)
	g.GET("/work/recuperation-quotas", staff, h.quotasPage)
	g.POST("/work/recuperation-quotas", h.requireUser(domain.RoleAdmin), h.setQuota)
	g.POST("/work/recuperation-bookings/:id/cancel", h.requireUser(domain.RoleCaseworker), h.cancelUnitBooking)
}

// cancelStay cancels the officer's booking at the version the page showed,
// after asking (officerCancel).
func (h *handlers) cancelStay(c *gin.Context) {
	h.officerCancel(c, "/recuperation/bookings/", "web.officer.confirm.stay_title", "web.officer.confirm.stay_hint")
}

// cancelUnitBooking is a caseworker cancelling a stay booked in their unit
// (the member withdrew, fell ill…); the freed place goes to the waitlist.
// The page comes back at the year it showed.
func (h *handlers) cancelUnitBooking(c *gin.Context) {
	year := clock.Today(h.Clock).Year()
	if y, err := strconv.Atoi(c.PostForm("year")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	if alert, status, ok := h.cancelBooking(c); !ok {
		if alert != nil {
			h.renderQuotas(c, status, year, web.NewForm().Set("year", strconv.Itoa(year)), nil, alert)
		}
		return
	}
	c.Redirect(http.StatusSeeOther, "/work/recuperation-quotas?m=cancelled&year="+strconv.Itoa(year))
}

// cancelBooking sends the cancel at the version the page showed. When it
// fails it has answered the request itself, unless it returns the
// service's reason (alert) for the caller to show on its page.
func (h *handlers) cancelBooking(c *gin.Context) (*web.Message, int, bool) {
	version, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
	if err != nil || version < 1 {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return nil, 0, false
	}
	path := leaveAPI + "/recuperation/bookings/" + url.PathEscape(c.Param("id")) + "/cancel"
	if _, err := h.call(c, http.MethodPost, "leave", path, version, nil, nil); err != nil {
		form := web.NewForm()
		if !problemOnForm(err, form, nil) {
			h.serviceFailed(c, err)
			return nil, 0, false
		}
		msgs := append(form.General(), flatten(form)...)
		return &msgs[0], statusOf(err), false
	}
	return nil, 0, true
}

func (h *handlers) quotasPage(c *gin.Context) {
	year := clock.Today(h.Clock).Year()
	if y, err := strconv.Atoi(c.Query("year")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	var flash *web.Message
	switch c.Query("m") {
	case "saved":
		m := web.Msg("web.admin.users.saved")
		flash = &m
	case "cancelled":
		m := web.Msg("web.care.cancelled")
		flash = &m
	}
	h.renderQuotas(c, http.StatusOK, year, web.NewForm().Set("year", strconv.Itoa(year)), flash, nil)
}

func (h *handlers) renderQuotas(c *gin.Context, status, year int, form *web.Form, flash, alert *web.Message) {
	qs, err := listAll[recuperationQuota](h, c, "leave", leaveAPI+"/recuperation/quotas/"+strconv.Itoa(year))
	if err != nil {
		h.serviceFailed(c, err)
		return
	}
	d := quotasData{Year: year, Quotas: qs, CanEdit: currentUser(c).Has(domain.RoleAdmin), Names: map[string]string{}}
	var units struct {
		Units []unitRow `json:"units"`
	}
	if h.Upstreams.Has("enrollment") {
		if err := listInto(h, c, "enrollment", enrollmentAPI+"/units", "units", &units.Units); err != nil {
			h.Log.InfoContext(c, "quotas page without unit names", "error", err)
		}
	}
	d.Units = units.Units
	for _, u := range units.Units {
		d.Names[u.ID] = u.Name
	}
	if u := currentUser(c); u.Has(domain.RoleCaseworker, domain.RoleUnitHead) {
		bs, err := listAll[unitBooking](h, c, "leave", leaveAPI+"/recuperation/bookings?year="+strconv.Itoa(year))
		if err != nil {
			h.serviceFailed(c, err)
			return
		}
		d.Bookings = bs
		d.CanCancel = u.Has(domain.RoleCaseworker)
	}
	p := h.page(c, "web.quotas.title")
	p.Form, p.Flash, p.Alert, p.Data = form, flash, alert, d
	h.render(c, status, "quotas", p)
}

// setQuota sets a unit's places for a year; the service refuses fewer
// places than are already used.
func (h *handlers) setQuota(c *gin.Context) {
	form := web.NewForm()
	for _, f := range []string{"year", "unit", "places"} {
		form.Set(f, strings.TrimSpace(c.PostForm(f)))
	}
	year, err := strconv.Atoi(form.Value("year"))
	if err != nil || year < 2000 || year > 2100 {
		form.AddError("year", web.Msg("field.range", 2000, 2100))
		year = clock.Today(h.Clock).Year()
	}
	if form.Value("unit") == "" {
		form.AddError("unit", web.Msg("field.required"))
	}
	places, err := strconv.Atoi(form.Value("places"))
	if err != nil || places < 0 || places > 100000 {
		form.AddError("places", web.Msg("field.range", 0, 100000))
	}
	if form.HasErrors() {
		h.renderQuotas(c, http.StatusUnprocessableEntity, year, form, nil, nil)
		return
	}
	path := leaveAPI + "/recuperation/quotas/" + strconv.Itoa(year) + "/" + url.PathEscape(form.Value("unit"))
	if _, err := h.call(c, http.MethodPut, "leave", path, 0, map[string]int{"places": places}, nil); err != nil {
		if problemOnForm(err, form, nil) {
			h.renderQuotas(c, statusOf(err), year, form, nil, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/work/recuperation-quotas?m=saved&year="+strconv.Itoa(year))
}
