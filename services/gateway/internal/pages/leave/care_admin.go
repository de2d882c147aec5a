package leave

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/api/client"
	leaveapi "github.com/anxin-welfare/anxin/api/client/leave"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Setting up recuperation from the browser: administrators and caseworkers
// add facilities and their sessions and change a session's places
// (/admin/care). The service decides every rule; the pages check only that
// what was typed is a number or a date at all. Health-check rounds are in
// health_check_rounds.go.

// careMaxCapacity is the most places a session or slot may have, as the
// leave service's domain.MaxCapacity.
const careMaxCapacity = 10000

// careFacility is a recuperation facility with the sessions listed.
type careFacility struct {
	ID, Name, Location string
	Active             bool
	Sessions           []careSession
}

// careSession is a session; Waitlisted is counted from the bookings the
// reader may see (a caseworker's units).
type careSession struct {
	ID, FacilityID, From, To string
	Capacity, Booked         int
	Version                  int64
	Waitlisted               int
}

type careAdminData struct {
	Facilities []careFacility
	// Since is the first day of the sessions listed (1 January).
	Since string
	// Waitlist: the waitlist counts are known (a caseworker sees their
	// units' bookings; an administrator sees none).
	Waitlist bool
	// Posted names the form that came back refused: "facility", "session"
	// or "capacity"; Edit is the session of a refused capacity form.
	Posted string
	Edit   string
}

func (a *area) registerCareAdminPages(g *gin.RouterGroup) {
	setup := a.RequireUser(domain.RoleAdmin, domain.RoleCaseworker)
	g.GET("/admin/care", setup, a.careAdminPage)
	g.POST("/admin/care/facilities", setup, a.createFacility)
	g.POST("/admin/care/sessions", setup, a.createCareSession)
	g.POST("/admin/care/sessions/:id/capacity", setup, a.setSessionCapacity)
	a.registerRoundPages(g)
}

var careAdminFlash = map[string]string{
	"facility": "web.careadmin.facility_added", "session": "web.careadmin.session_added", "capacity": "web.careadmin.capacity_saved",
}

func (a *area) careAdminPage(c *gin.Context) {
	a.renderCareAdmin(c, http.StatusOK, web.NewForm(), "", "", webkit.FlashOf(c, careAdminFlash))
}

// renderCareAdmin lists the facilities with this year's sessions and the
// forms; form holds what the refused form (posted) had.
func (a *area) renderCareAdmin(c *gin.Context, status int, form *web.Form, posted, edit string, flash *web.Message) {
	year := clock.Today(a.Clock).Year()
	since := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	api, err := a.Leave(c)
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	ctx := c.Request.Context()
	// A year's stays and their bookings: a few hundred, read whole.
	facilities, err := webkit.All(func(after *string) ([]leaveapi.Facility, *string, error) {
		r, err := api.ListFacilitiesWithResponse(ctx, &leaveapi.ListFacilitiesParams{After: after, Limit: maxLimit()})
		if err != nil {
			return nil, nil, err
		}
		return listed[leaveapi.Facility](r.JSON200)
	})
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	from := dateOf(since)
	sessions, err := webkit.All(func(after *string) ([]leaveapi.Session, *string, error) {
		r, err := api.ListSessionsWithResponse(ctx, &leaveapi.ListSessionsParams{From: &from, After: after, Limit: maxLimit()})
		if err != nil {
			return nil, nil, err
		}
		return listed[leaveapi.Session](r.JSON200)
	})
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	d := careAdminData{Since: since.Format(time.DateOnly), Posted: posted, Edit: edit}
	for _, f := range facilities {
		d.Facilities = append(d.Facilities, careFacility{ID: f.Id.String(), Name: f.Name, Location: f.Location, Active: f.Active})
	}
	waiting := map[string]int{}
	if a.User(c).Has(domain.RoleCaseworker) {
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
			if b.Status == leaveapi.BookingStatusWaitlisted {
				waiting[b.SessionId.String()]++
			}
		}
		d.Waitlist = true
	}
	at := make(map[string]int, len(d.Facilities))
	for i, f := range d.Facilities {
		at[f.ID] = i
	}
	for _, ss := range sessions {
		s := careSession{ID: ss.Id.String(), FacilityID: ss.FacilityId.String(), From: ss.From.String(), To: ss.To.String(),
			Capacity: ss.Capacity, Booked: webkit.Deref(ss.Booked), Version: int64(ss.Version)}
		if i, ok := at[s.FacilityID]; ok {
			s.Waitlisted = waiting[s.ID]
			d.Facilities[i].Sessions = append(d.Facilities[i].Sessions, s)
		}
	}
	p := a.Page(c, "web.careadmin.title")
	p.Form, p.Flash, p.Data = form, flash, d
	a.Render(c, status, "care_admin", p)
}

// careRefused shows the service's refusal of a form on it, or the page
// for a failure that is no refusal.
func (a *area) careRefused(c *gin.Context, err error, form *web.Form, posted, edit, field string, aliases map[string]string) {
	if webkit.ProblemOnField(err, form, field, aliases) {
		a.renderCareAdmin(c, webkit.StatusOf(err), form, posted, edit, nil)
		return
	}
	a.ServiceFailed(c, err)
}

// createFacility adds a recuperation facility (name, optional location).
func (a *area) createFacility(c *gin.Context) {
	form := webkit.PostedForm(c, "name", "location")
	if form.Value("name") == "" {
		form.AddError("name", web.Msg("field.required"))
	}
	if form.HasErrors() {
		a.renderCareAdmin(c, http.StatusUnprocessableEntity, form, "facility", "", nil)
		return
	}
	location := form.Value("location")
	api, err := a.Leave(c)
	if err == nil {
		err = webkit.Done(api.CreateFacility(c.Request.Context(), leaveapi.CreateFacilityJSONRequestBody{Name: form.Value("name"), Location: &location})) //nolint:bodyclose // webkit.Done drains and closes it
	}
	if err != nil {
		a.careRefused(c, err, form, "facility", "", "name", nil)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/care?m=facility")
}

// createCareSession adds a session (dates and places) to a facility.
func (a *area) createCareSession(c *gin.Context) {
	form := webkit.PostedForm(c, "facility_id", "from", "to", "capacity")
	if form.Value("facility_id") == "" {
		form.AddError("facility_id", web.Msg("field.required"))
	}
	from := webkit.FormDate(form, "from")
	to := webkit.FormDate(form, "to")
	places := webkit.FormInt(form, "capacity", 1, careMaxCapacity)
	if form.HasErrors() {
		a.renderCareAdmin(c, http.StatusUnprocessableEntity, form, "session", "", nil)
		return
	}
	facility, err := uuid.Parse(form.Value("facility_id"))
	if err != nil {
		// No facility has such an id: as the service says of an unknown one.
		form.AddError("facility_id", web.Msg("field.not_found"))
		a.renderCareAdmin(c, http.StatusUnprocessableEntity, form, "session", "", nil)
		return
	}
	api, err := a.Leave(c)
	if err == nil {
		err = webkit.Done(api.CreateSession(c.Request.Context(), facility, //nolint:bodyclose // webkit.Done drains and closes it
			leaveapi.CreateSessionJSONRequestBody{From: dateOf(from), To: dateOf(to), Capacity: places}))
	}
	if err != nil {
		if webkit.Refused(err, http.StatusNotFound) {
			form.AddError("facility_id", web.Msg("field.not_found"))
			a.renderCareAdmin(c, http.StatusUnprocessableEntity, form, "session", "", nil)
			return
		}
		a.careRefused(c, err, form, "session", "", "", nil)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/care?m=session")
}

// setSessionCapacity changes a session's places at the version the page
// showed; the service refuses fewer places than are booked, and offers
// added places to the waitlist at once.
func (a *area) setSessionCapacity(c *gin.Context) {
	version, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
	if err != nil || version < 1 {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	form := webkit.PostedForm(c, "new_capacity")
	places := webkit.FormInt(form, "new_capacity", 1, careMaxCapacity)
	if form.HasErrors() {
		a.renderCareAdmin(c, http.StatusUnprocessableEntity, form, "capacity", c.Param("id"), nil)
		return
	}
	id, ok := a.PathID(c, "id")
	if !ok {
		return
	}
	api, err := a.Leave(c)
	if err == nil {
		err = webkit.Done(api.SetSessionCapacity(c.Request.Context(), id, &leaveapi.SetSessionCapacityParams{IfMatch: client.Tag(version)}, //nolint:bodyclose // webkit.Done drains and closes it
			leaveapi.SetSessionCapacityJSONRequestBody{Capacity: places}))
	}
	if err != nil {
		a.careRefused(c, err, form, "capacity", id.String(), "new_capacity", map[string]string{"capacity": "new_capacity"})
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/care?m=capacity")
}

// roundPath is the page of a round (its year says where to find it).
func roundPath(id string, year int) string {
	return "/work/health-check-rounds/" + url.PathEscape(id) + "?year=" + strconv.Itoa(year)
}
