package leave

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/api/client"
	enrollmentapi "github.com/anxin-welfare/anxin/api/client/enrollment"
	leaveapi "github.com/anxin-welfare/anxin/api/client/leave"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Recuperation places per unit and year (GET and PUT
// /recuperation/quotas/{year}[/{unit}]), and cancelling a booked stay: the
// officer their own, a caseworker one of their unit's (POST
// /recuperation/bookings/{id}/cancel), which moves the waitlist up.

// recuperationQuota is a unit's places in a year and how many are used.
type recuperationQuota struct {
	Year         int
	UnitID       string
	Places, Used int
	Version      int64
}

// unitBooking is a booking as a caseworker sees it.
type unitBooking struct {
	ID, SessionID, MemberID, MemberName, UnitID string
	Year                                        int
	Status                                      string
	Priority                                    int
	Version                                     int64
}

// unitChoice is a unit offered by name in the quota form.
type unitChoice struct {
	ID, Name string
}

type quotasData struct {
	Year    int
	Quotas  []recuperationQuota
	CanEdit bool
	// Units names the units, when the registry lets the reader list them
	// (a unit head may not); the page shows ids otherwise.
	Units []unitChoice
	Names map[string]string
	// Bookings are the stays booked in the reader's units (caseworkers and
	// unit heads); a caseworker may cancel one.
	Bookings  []unitBooking
	CanCancel bool
}

func (a *area) registerQuotaPages(g *gin.RouterGroup) {
	g.POST("/care/recuperation/bookings/:id/cancel", a.RequireUser(domain.RoleOfficer), a.cancelStay)
	staff := a.RequireUser(domain.RoleCaseworker, domain.RoleUnitHead, domain.RoleAdmin)
	g.GET("/work/recuperation-quotas", staff, a.quotasPage)
	g.POST("/work/recuperation-quotas", a.RequireUser(domain.RoleAdmin), a.setQuota)
	g.POST("/work/recuperation-bookings/:id/cancel", a.RequireUser(domain.RoleCaseworker), a.cancelUnitBooking)
}

// cancelUnitBooking is a caseworker cancelling a stay booked in their unit
// (the member withdrew, fell ill…); the freed place goes to the waitlist.
// The page comes back at the year it showed.
func (a *area) cancelUnitBooking(c *gin.Context) {
	year := clock.Today(a.Clock).Year()
	if y, err := strconv.Atoi(c.PostForm("year")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	version, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
	if err != nil || version < 1 {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	id, ok := a.PathID(c, "id")
	if !ok {
		return
	}
	api, err := a.Leave(c)
	if err == nil {
		err = webkit.Done(api.CancelBooking(c.Request.Context(), id, &leaveapi.CancelBookingParams{IfMatch: client.Tag(version)})) //nolint:bodyclose // webkit.Done drains and closes it
	}
	if err != nil {
		form := web.NewForm()
		if !webkit.ProblemOnForm(err, form, nil) {
			a.ServiceFailed(c, err)
			return
		}
		// The service's reason, on the page the caseworker was on.
		a.renderQuotas(c, webkit.StatusOf(err), year, web.NewForm().Set("year", strconv.Itoa(year)), nil, &webkit.Messages(form)[0])
		return
	}
	c.Redirect(http.StatusSeeOther, "/work/recuperation-quotas?m=cancelled&year="+strconv.Itoa(year))
}

func (a *area) quotasPage(c *gin.Context) {
	year := clock.Today(a.Clock).Year()
	if y, err := strconv.Atoi(c.Query("year")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	var flash *web.Message
	switch c.Query("m") {
	case "saved":
		flash = webkit.Flash("web.admin.users.saved")
	case "cancelled":
		flash = webkit.Flash("web.care.cancelled")
	}
	a.renderQuotas(c, http.StatusOK, year, web.NewForm().Set("year", strconv.Itoa(year)), flash, nil)
}

func (a *area) renderQuotas(c *gin.Context, status, year int, form *web.Form, flash, alert *web.Message) {
	api, err := a.Leave(c)
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	ctx := c.Request.Context()
	qs, err := webkit.All(func(after *string) ([]leaveapi.Quota, *string, error) {
		r, err := api.ListQuotasWithResponse(ctx, year, &leaveapi.ListQuotasParams{After: after, Limit: maxLimit()})
		if err != nil {
			return nil, nil, err
		}
		return listed[leaveapi.Quota](r.JSON200)
	})
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	d := quotasData{Year: year, CanEdit: a.User(c).Has(domain.RoleAdmin), Names: map[string]string{}}
	for _, q := range qs {
		d.Quotas = append(d.Quotas, recuperationQuota{Year: q.Year, UnitID: q.UnitId, Places: q.Places, Used: q.Used, Version: int64(q.Version)})
	}
	if a.Routed("enrollment") {
		units, err := a.units(c)
		if err != nil {
			a.Log.InfoContext(c, "quotas page without unit names", "error", err)
		}
		for _, u := range units {
			d.Units = append(d.Units, unitChoice{ID: u.Id.String(), Name: u.Name})
			d.Names[u.Id.String()] = u.Name
		}
	}
	if u := a.User(c); u.Has(domain.RoleCaseworker, domain.RoleUnitHead) {
		bs, err := webkit.All(func(after *string) ([]leaveapi.Booking, *string, error) {
			r, err := api.ListBookingsWithResponse(ctx, &leaveapi.ListBookingsParams{Year: &year, After: after, Limit: maxLimit()})
			if err != nil {
				return nil, nil, err
			}
			return listed[leaveapi.Booking](r.JSON200)
		})
		if err != nil {
			a.ServiceFailed(c, err)
			return
		}
		for _, b := range bs {
			d.Bookings = append(d.Bookings, unitBooking{ID: b.Id.String(), SessionID: b.SessionId.String(), MemberID: b.MemberId,
				MemberName: webkit.Deref(b.MemberName), UnitID: webkit.Deref(b.UnitId), Year: webkit.Deref(b.Year), Status: string(b.Status),
				Priority: webkit.Deref(b.Priority), Version: int64(b.Version)})
		}
		d.CanCancel = u.Has(domain.RoleCaseworker)
	}
	p := a.Page(c, "web.quotas.title")
	p.Form, p.Flash, p.Alert, p.Data = form, flash, alert, d
	a.Render(c, status, "quotas", p)
}

// units reads every page of enrollment's units the reader may list.
func (a *area) units(c *gin.Context) ([]enrollmentapi.Unit, error) {
	api, err := a.Enrollment(c)
	if err != nil {
		return nil, err
	}
	return webkit.All(func(after *string) ([]enrollmentapi.Unit, *string, error) {
		r, err := api.ListUnitsWithResponse(c.Request.Context(), &enrollmentapi.ListUnitsParams{After: after, Limit: maxLimit()})
		if err != nil {
			return nil, nil, err
		}
		if r.JSON200 == nil {
			return nil, nil, webkit.ErrUnexpected
		}
		return r.JSON200.Units, r.JSON200.Next, nil
	})
}

// setQuota sets a unit's places for a year; the service refuses fewer
// places than are already used.
func (a *area) setQuota(c *gin.Context) {
	form := web.NewForm()
	for _, f := range []string{"year", "unit", "places"} {
		form.Set(f, strings.TrimSpace(c.PostForm(f)))
	}
	year, err := strconv.Atoi(form.Value("year"))
	if err != nil || year < 2000 || year > 2100 {
		form.AddError("year", web.Msg("field.range", 2000, 2100))
		year = clock.Today(a.Clock).Year()
	}
	if form.Value("unit") == "" {
		form.AddError("unit", web.Msg("field.required"))
	}
	places, err := strconv.Atoi(form.Value("places"))
	if err != nil || places < 0 || places > 100000 {
		form.AddError("places", web.Msg("field.range", 0, 100000))
	}
	if form.HasErrors() {
		a.renderQuotas(c, http.StatusUnprocessableEntity, year, form, nil, nil)
		return
	}
	api, err := a.Leave(c)
	if err == nil {
		err = webkit.Done(api.PutQuota(c.Request.Context(), year, form.Value("unit"), &leaveapi.PutQuotaParams{}, //nolint:bodyclose // webkit.Done drains and closes it
			leaveapi.PutQuotaJSONRequestBody{Places: places}))
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, nil) {
			a.renderQuotas(c, webkit.StatusOf(err), year, form, nil, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/work/recuperation-quotas?m=saved&year="+strconv.Itoa(year))
}
