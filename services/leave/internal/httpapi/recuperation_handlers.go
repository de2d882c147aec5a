package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/services/leave/internal/commands"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
	"github.com/anxin-welfare/anxin/services/leave/internal/store/carestore"
)

// Facilities and sessions are a public catalogue for every signed-in user;
// bookings are personal.

func (a *API) listFacilities(c *gin.Context) {
	p, ok := pageOf(c)
	if !ok {
		return
	}
	fs, next, err := a.care.Facilities(c.Request.Context(), p)
	if err != nil {
		respond(c, err)
		return
	}
	out := make([]facilityJSON, len(fs))
	for i, f := range fs {
		out[i] = facilityJSON(f)
	}
	itemsPage(c, out, next)
}

type facilityInput struct {
	Name     string `json:"name"`
	Location string `json:"location"`
}

func (a *API) postFacility(c *gin.Context) {
	var in facilityInput
	if !bind(c, &in) {
		return
	}
	f, err := a.cmds.CreateFacility(c.Request.Context(), domain.Facility{Name: in.Name, Location: in.Location}, auth.Current(c).UserID)
	if err != nil {
		respond(c, err)
		return
	}
	httpx.SetETag(c, f.Version)
	c.JSON(http.StatusCreated, facilityJSON(f))
}

type sessionInput struct {
	From     Date `json:"from"`
	To       Date `json:"to"`
	Capacity int  `json:"capacity"`
}

func (a *API) postSession(c *gin.Context) {
	var in sessionInput
	if !bind(c, &in) {
		return
	}
	s, err := a.cmds.CreateSession(c.Request.Context(), domain.Session{FacilityID: c.Param("id"), From: in.From.Time, To: in.To.Time, Capacity: in.Capacity}, auth.Current(c).UserID)
	if err != nil {
		respond(c, err)
		return
	}
	httpx.SetETag(c, s.Version)
	c.JSON(http.StatusCreated, toSession(s))
}

func (a *API) listSessions(c *gin.Context) {
	from := clock.Today(a.clk)
	if s := c.Query("from"); s != "" {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			httpx.Respond(c, httpx.Invalid(fielderr.Problem{Field: "from", Code: domain.CodeNotDate}))
			return
		}
		from = t
	}
	p, ok := pageOf(c)
	if !ok {
		return
	}
	ss, next, err := a.care.Sessions(c.Request.Context(), from, p)
	if err != nil {
		respond(c, err)
		return
	}
	out := make([]sessionJSON, len(ss))
	for i, s := range ss {
		out[i] = toSession(s)
	}
	itemsPage(c, out, next)
}

func (a *API) getSession(c *gin.Context) {
	s, err := a.care.Session(c.Request.Context(), c.Param("id"))
	if err != nil {
		respond(c, err)
		return
	}
	httpx.SetETag(c, s.Version)
	c.JSON(http.StatusOK, toSession(s))
}

type capacityInput struct {
	Capacity int `json:"capacity"`
}

func (a *API) patchSession(c *gin.Context) {
	v, ok := version(c)
	if !ok {
		return
	}
	var in capacityInput
	if !bind(c, &in) {
		return
	}
	s, err := a.cmds.SetSessionCapacity(c.Request.Context(), c.Param("id"), in.Capacity, v, auth.Current(c).UserID)
	if err != nil {
		respond(c, err)
		return
	}
	httpx.SetETag(c, s.Version)
	c.JSON(http.StatusOK, toSession(s))
}

type memberInput struct {
	// MemberID is whom a caseworker books for; an officer books for
	// themself and leaves it empty.
	MemberID string `json:"member_id"`
}

// bookingMember decides for whom a booking is made: an officer for
// themself, a caseworker for a member of their units (404 otherwise).
func (a *API) bookingMember(c *gin.Context) (string, bool) {
	id := auth.Current(c)
	var in memberInput
	if c.Request.ContentLength != 0 && !bind(c, &in) {
		return "", false
	}
	if in.MemberID == "" || in.MemberID == ownMember(id) {
		return self(c)
	}
	if !id.Has(auth.RoleCaseworker) {
		respond(c, notFound())
		return "", false
	}
	m, err := a.store.Member(c.Request.Context(), in.MemberID)
	if err != nil {
		respond(c, err)
		return "", false
	}
	if !id.InUnit(m.UnitID) {
		respond(c, notFound())
		return "", false
	}
	return m.ID, true
}

func (a *API) postBooking(c *gin.Context) {
	member, ok := a.bookingMember(c)
	if !ok {
		return
	}
	b, err := a.cmds.Book(c.Request.Context(), c.Param("id"), member, auth.Current(c).UserID)
	if err != nil {
		respond(c, err)
		return
	}
	httpx.SetETag(c, b.Version)
	c.JSON(http.StatusCreated, toBooking(b))
}

func (a *API) listQuotas(c *gin.Context) {
	y, ok := a.yearParam(c, "year", false)
	if !ok {
		return
	}
	id := auth.Current(c)
	var units []string
	if !id.Has(auth.RoleAdmin) {
		units = unitsScope(id)
	}
	p, ok := pageOf(c)
	if !ok {
		return
	}
	qs, next, err := a.care.Quotas(c.Request.Context(), y, units, p)
	if err != nil {
		respond(c, err)
		return
	}
	out := make([]quotaJSON, len(qs))
	for i, q := range qs {
		out[i] = quotaJSON(q)
	}
	itemsPage(c, out, next)
}

type quotaInput struct {
	Places int `json:"places"`
}

func (a *API) putQuota(c *gin.Context) {
	y, ok := a.yearParam(c, "year", false)
	if !ok {
		return
	}
	v, ok := optionalVersion(c)
	if !ok {
		return
	}
	var in quotaInput
	if !bind(c, &in) {
		return
	}
	q, err := a.cmds.PutQuota(c.Request.Context(), commands.QuotaInput{Year: y, UnitID: c.Param("unit"), Places: in.Places, Version: v}, auth.Current(c).UserID)
	if err != nil {
		respond(c, err)
		return
	}
	httpx.SetETag(c, q.Version)
	c.JSON(http.StatusOK, quotaJSON(q))
}

// listBookings: an officer sees their own bookings, caseworkers and unit
// heads their units' (optionally one session's).
func (a *API) listBookings(c *gin.Context) {
	id := auth.Current(c)
	p, ok := pageOf(c)
	if !ok {
		return
	}
	f := carestore.BookingFilter{SessionID: c.Query("session_id"), Page: p}
	if c.Query("year") != "" {
		if f.Year, ok = a.yearParam(c, "year", true); !ok {
			return
		}
	}
	switch {
	case id.Has(auth.RoleCaseworker, auth.RoleUnitHead):
		f.Units = unitsScope(id)
		f.MemberID = c.Query("member_id")
	case ownMember(id) != "":
		f.MemberID = ownMember(id)
	default:
		itemsPage(c, []bookingJSON{}, "")
		return
	}
	bs, next, err := a.care.Bookings(c.Request.Context(), f)
	if err != nil {
		respond(c, err)
		return
	}
	out := make([]bookingJSON, len(bs))
	for i, b := range bs {
		out[i] = toBooking(b)
	}
	itemsPage(c, out, next)
}

func canSeeBooking(id auth.Identity, memberID, unitID string) bool {
	return (ownMember(id) != "" && ownMember(id) == memberID) || (id.Has(auth.RoleCaseworker, auth.RoleUnitHead) && id.InUnit(unitID))
}

func (a *API) bookingFor(c *gin.Context) (domain.Booking, bool) {
	b, err := a.care.Booking(c.Request.Context(), c.Param("id"))
	if err != nil {
		respond(c, err)
		return domain.Booking{}, false
	}
	if !canSeeBooking(auth.Current(c), b.MemberID, b.UnitID) {
		respond(c, notFound())
		return domain.Booking{}, false
	}
	return b, true
}

func (a *API) getBooking(c *gin.Context) {
	b, ok := a.bookingFor(c)
	if !ok {
		return
	}
	httpx.SetETag(c, b.Version)
	c.JSON(http.StatusOK, toBooking(b))
}

// cancelBooking: the member, or a caseworker of the member's unit
// (domain.Booking.MayCancel), told so before If-Match is read.
func (a *API) cancelBooking(c *gin.Context) {
	b, ok := a.bookingFor(c)
	if !ok {
		return
	}
	caller := callerOf(auth.Current(c), b.UnitID)
	if !b.MayCancel(caller) {
		respond(c, forbidden())
		return
	}
	v, ok := version(c)
	if !ok {
		return
	}
	out, err := a.cmds.CancelBooking(c.Request.Context(), b.ID, v, caller)
	if err != nil {
		respond(c, err)
		return
	}
	httpx.SetETag(c, out.Version)
	c.JSON(http.StatusOK, toBooking(out))
}
