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

// Setting up recuperation and health checks from the browser, over
// /api/v1/leave (api/openapi/leave.yaml): administrators and caseworkers
// add facilities and their sessions and change a session's places; a
// caseworker plans a unit's health-check round, adds its slots and deals
// with its bookings (the result only if the leave service counts them a
// medical caseworker). The service decides every rule; the pages check only
// that what was typed is a number, a date or a time at all.

// careMaxCapacity is the most places a session or slot may have, as the
// leave service's domain.MaxCapacity.
const careMaxCapacity = 10000

// careFacility is a recuperation facility with the sessions listed.
type careFacility struct {
	ID       string        `json:"id"`
	Name     string        `json:"name"`
	Location string        `json:"location"`
	Active   bool          `json:"active"`
	Sessions []careSession `json:"-"`
}

// careSession is a session as the leave service returns it; Waitlisted is
// counted from the bookings the reader may see (a caseworker's units).
type careSession struct {
	ID         string `json:"id"`
	FacilityID string `json:"facility_id"`
	From       string `json:"from"`
	To         string `json:"to"`
	Capacity   int    `json:"capacity"`
	Booked     int    `json:"booked"`
	Version    int64  `json:"version"`
	Waitlisted int    `json:"-"`
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

// hcRound is a health-check round with its slots and their totals.
type hcRound struct {
	ID       string      `json:"id"`
	UnitID   string      `json:"unit_id"`
	Year     int         `json:"year"`
	Opens    string      `json:"opens"`
	Closes   string      `json:"closes"`
	Slots    []checkSlot `json:"-"`
	Capacity int         `json:"-"`
	Booked   int         `json:"-"`
}

// hcBooking is a health-check booking as a caseworker sees it.
type hcBooking struct {
	ID          string `json:"id"`
	RoundID     string `json:"round_id"`
	SlotID      string `json:"slot_id"`
	MemberID    string `json:"member_id"`
	MemberName  string `json:"member_name"`
	UnitID      string `json:"unit_id"`
	Year        int    `json:"year"`
	Status      string `json:"status"`
	CompletedOn string `json:"completed_on"`
	Version     int64  `json:"version"`
}

type hcRoundsData struct {
	Year   int
	Rounds []hcRound
	// Units are the caseworker's units, for the planning form.
	Units []string
}

// hcSlotView is a slot with its bookings.
type hcSlotView struct {
	checkSlot
	Bookings []hcBooking
}

type hcRoundData struct {
	Round hcRound
	Slots []hcSlotView
	// Posted is "slot" when the slot form came back refused; Edit is the
	// booking whose result form came back.
	Posted string
	Edit   string
}

func (h *handlers) registerCareAdminPages(g *gin.RouterGroup) {
	setup := h.requireUser(domain.RoleAdmin, domain.RoleCaseworker)
	g.GET("/admin/care", setup, h.careAdminPage)
	g.POST("/admin/care/facilities", setup, h.createFacility)
	g.POST("/admin/care/sessions", setup, h.createCareSession)
	g.POST("/admin/care/sessions/:id/capacity", setup, h.setSessionCapacity)
	// Health checks: the unit's caseworkers and medical caseworkers (only
	// the latter may record results; the service decides).
	cw := h.requireUser(domain.RoleCaseworker, domain.RoleMedicalCaseworker)
	g.GET("/work/health-check-rounds", cw, h.roundsPage)
	g.POST("/work/health-check-rounds", cw, h.planRound)
	g.GET("/work/health-check-rounds/:id", cw, h.roundPage)
	g.POST("/work/health-check-rounds/:id/slots", cw, h.addSlot)
	g.POST("/work/health-check-bookings/:id/complete", cw, h.checkAction("complete"))
	g.POST("/work/health-check-bookings/:id/no-show", cw, h.checkAction("no-show"))
	g.POST("/work/health-check-bookings/:id/cancel", cw, h.checkAction("cancel"))
	h.registerFundPages(g)
}

// flashOf is the confirmation a redirect's ?m= asks for, from keys.
func flashOf(c *gin.Context, keys map[string]string) *web.Message {
	if key, ok := keys[c.Query("m")]; ok {
		m := web.Msg(key)
		return &m
	}
	return nil
}

// problemOnField is problemOnForm with the refusals that name no field put
// on field instead of the top of the page, where they belong to one small
// form among several.
func problemOnField(err error, form *web.Form, field string, aliases map[string]string) bool {
	tmp := web.NewForm()
	if !problemOnForm(err, tmp, aliases) {
		return false
	}
	for _, m := range tmp.General() {
		form.AddError(field, m)
	}
	for _, fe := range tmp.FieldErrors() {
		form.AddError(fe.Field, fe.Message)
	}
	return true
}

// isStatus reports whether err is a service's answer with status.
func isStatus(err error, status int) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Status == status
}

// formDate checks a typed date (YYYY-MM-DD) of a required field.
func formDate(form *web.Form, name string) {
	v := form.Value(name)
	if v == "" {
		form.AddError(name, web.Msg("field.required"))
		return
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		form.AddError(name, web.Msg("field.date"))
	}
}

// formInt reads a required whole number within lo..hi.
func formInt(form *web.Form, name string, lo, hi int) int {
	v := form.Value(name)
	if v == "" {
		form.AddError(name, web.Msg("field.required"))
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		form.AddError(name, web.Msg("field.range", lo, hi))
	}
	return n
}

// postedForm reads the named fields of a posted form, trimmed.
func postedForm(c *gin.Context, fields ...string) *web.Form {
	form := web.NewForm()
	for _, f := range fields {
		form.Set(f, strings.TrimSpace(c.PostForm(f)))
	}
	return form
}

// ---- recuperation facilities and sessions ----------------------------

var careAdminFlash = map[string]string{
	"facility": "web.careadmin.facility_added", "session": "web.careadmin.session_added", "capacity": "web.careadmin.capacity_saved",
}

func (h *handlers) careAdminPage(c *gin.Context) {
	h.renderCareAdmin(c, http.StatusOK, web.NewForm(), "", "", flashOf(c, careAdminFlash))
}

// renderCareAdmin lists the facilities with this year's sessions and the
// forms; form holds what the refused form (posted) had.
func (h *handlers) renderCareAdmin(c *gin.Context, status int, form *web.Form, posted, edit string, flash *web.Message) {
	since := time.Date(clock.Today(h.Clock).Year(), 1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	// A year's stays and their bookings: a few hundred, read whole.
	facilities, err := listAll[careFacility](h, c, "leave", leaveAPI+"/recuperation/facilities")
	if err != nil {
		h.serviceFailed(c, err)
		return
	}
	sessions, err := listAll[careSession](h, c, "leave", leaveAPI+"/recuperation/sessions?from="+since)
	if err != nil {
		h.serviceFailed(c, err)
		return
	}
	d := careAdminData{Facilities: facilities, Since: since, Posted: posted, Edit: edit}
	waiting := map[string]int{}
	if currentUser(c).Has(domain.RoleCaseworker) {
		bs, err := listAll[unitBooking](h, c, "leave", leaveAPI+"/recuperation/bookings?year="+since[:4])
		if err != nil {
			h.serviceFailed(c, err)
			return
		}
		for _, b := range bs {
			if b.Status == "waitlisted" {
				waiting[b.SessionID]++
			}
		}
		d.Waitlist = true
	}
	at := make(map[string]int, len(d.Facilities))
	for i, f := range d.Facilities {
		at[f.ID] = i
	}
	for _, s := range sessions {
		if i, ok := at[s.FacilityID]; ok {
			s.Waitlisted = waiting[s.ID]
			d.Facilities[i].Sessions = append(d.Facilities[i].Sessions, s)
		}
	}
	p := h.page(c, "web.careadmin.title")
	p.Form, p.Flash, p.Data = form, flash, d
	h.render(c, status, "care_admin", p)
}

// careRefused shows the service's refusal of a form on it, or the page
// for a failure that is no refusal.
func (h *handlers) careRefused(c *gin.Context, err error, form *web.Form, posted, edit, field string, aliases map[string]string) {
	if problemOnField(err, form, field, aliases) {
		h.renderCareAdmin(c, statusOf(err), form, posted, edit, nil)
		return
	}
	h.serviceFailed(c, err)
}

// createFacility adds a recuperation facility (name, optional location).
func (h *handlers) createFacility(c *gin.Context) {
	form := postedForm(c, "name", "location")
	if form.Value("name") == "" {
		form.AddError("name", web.Msg("field.required"))
	}
	if form.HasErrors() {
		h.renderCareAdmin(c, http.StatusUnprocessableEntity, form, "facility", "", nil)
		return
	}
	body := map[string]string{"name": form.Value("name"), "location": form.Value("location")}
	if _, err := h.call(c, http.MethodPost, "leave", leaveAPI+"/recuperation/facilities", 0, body, nil); err != nil {
		h.careRefused(c, err, form, "facility", "", "name", nil)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/care?m=facility")
}

// createCareSession adds a session (dates and places) to a facility.
func (h *handlers) createCareSession(c *gin.Context) {
	form := postedForm(c, "facility_id", "from", "to", "capacity")
	if form.Value("facility_id") == "" {
		form.AddError("facility_id", web.Msg("field.required"))
	}
	formDate(form, "from")
	formDate(form, "to")
	places := formInt(form, "capacity", 1, careMaxCapacity)
	if form.HasErrors() {
		h.renderCareAdmin(c, http.StatusUnprocessableEntity, form, "session", "", nil)
		return
	}
	body := map[string]any{"from": form.Value("from"), "to": form.Value("to"), "capacity": places}
	path := leaveAPI + "/recuperation/facilities/" + url.PathEscape(form.Value("facility_id")) + "/sessions"
	if _, err := h.call(c, http.MethodPost, "leave", path, 0, body, nil); err != nil {
		if isStatus(err, http.StatusNotFound) {
			form.AddError("facility_id", web.Msg("field.not_found"))
			h.renderCareAdmin(c, http.StatusUnprocessableEntity, form, "session", "", nil)
			return
		}
		h.careRefused(c, err, form, "session", "", "", nil)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/care?m=session")
}

// setSessionCapacity changes a session's places at the version the page
// showed; the service refuses fewer places than are booked, and offers
// added places to the waitlist at once.
func (h *handlers) setSessionCapacity(c *gin.Context) {
	id := c.Param("id")
	version, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
	if err != nil || version < 1 {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	form := postedForm(c, "new_capacity")
	places := formInt(form, "new_capacity", 1, careMaxCapacity)
	if form.HasErrors() {
		h.renderCareAdmin(c, http.StatusUnprocessableEntity, form, "capacity", id, nil)
		return
	}
	path := leaveAPI + "/recuperation/sessions/" + url.PathEscape(id)
	if _, err := h.call(c, http.MethodPatch, "leave", path, version, map[string]int{"capacity": places}, nil); err != nil {
		h.careRefused(c, err, form, "capacity", id, "new_capacity", map[string]string{"capacity": "new_capacity"})
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/care?m=capacity")
}

// ---- health-check rounds ---------------------------------------------

var roundFlash = map[string]string{
	"planned": "web.hcwork.planned", "slot": "web.hcwork.slot_added", "complete": "web.hcwork.recorded",
	"no-show": "web.hcwork.no_show_marked", "cancel": "web.care.cancelled",
}

// pageYear is ?year= when it is a plausible year, else this year.
func (h *handlers) pageYear(v string) int {
	if y, err := strconv.Atoi(v); err == nil && y >= 2000 && y <= 2100 {
		return y
	}
	return clock.Today(h.Clock).Year()
}

func (h *handlers) roundsPage(c *gin.Context) {
	year := h.pageYear(c.Query("year"))
	form := web.NewForm().Set("year", strconv.Itoa(year))
	if u := currentUser(c); len(u.Units) == 1 {
		form.Set("unit", u.Units[0])
	}
	h.renderRounds(c, http.StatusOK, year, form, flashOf(c, roundFlash))
}

// rounds lists the rounds of year in the caseworker's units, with their
// slots. It has answered the request when it reports false.
func (h *handlers) rounds(c *gin.Context, year int) ([]hcRound, bool) {
	rs, err := listAll[hcRound](h, c, "leave", leaveAPI+"/health-checks/rounds?year="+strconv.Itoa(year))
	if err != nil {
		h.serviceFailed(c, err)
		return nil, false
	}
	for i := range rs {
		r := &rs[i]
		slots, err := listAll[checkSlot](h, c, "leave", leaveAPI+"/health-checks/rounds/"+url.PathEscape(r.ID)+"/slots")
		if err != nil {
			h.serviceFailed(c, err)
			return nil, false
		}
		r.Slots = slots
		for _, s := range slots {
			r.Capacity += s.Capacity
			r.Booked += s.Booked
		}
	}
	return rs, true
}

func (h *handlers) renderRounds(c *gin.Context, status, year int, form *web.Form, flash *web.Message) {
	rs, ok := h.rounds(c, year)
	if !ok {
		return
	}
	p := h.page(c, "web.hcwork.title")
	h.withUnitNames(c, p)
	p.Form, p.Flash, p.Data = form, flash, hcRoundsData{Year: year, Rounds: rs, Units: currentUser(c).Units}
	h.render(c, status, "health_checks_work", p)
}

// planRound plans a unit's round for a year: the days members may book.
func (h *handlers) planRound(c *gin.Context) {
	form := postedForm(c, "unit", "year", "opens", "closes")
	if form.Value("unit") == "" {
		form.AddError("unit", web.Msg("field.required"))
	}
	year := formInt(form, "year", 2000, 2100)
	formDate(form, "opens")
	formDate(form, "closes")
	shown := h.pageYear(form.Value("year"))
	if form.HasErrors() {
		h.renderRounds(c, http.StatusUnprocessableEntity, shown, form, nil)
		return
	}
	body := map[string]any{"unit_id": form.Value("unit"), "year": year, "opens": form.Value("opens"), "closes": form.Value("closes")}
	var r hcRound
	if _, err := h.call(c, http.MethodPost, "leave", leaveAPI+"/health-checks/rounds", 0, body, &r); err != nil {
		if isStatus(err, http.StatusNotFound) {
			form.AddError("unit", web.Msg("field.not_found"))
			h.renderRounds(c, http.StatusUnprocessableEntity, shown, form, nil)
			return
		}
		if problemOnForm(err, form, map[string]string{"unit_id": "unit"}) {
			h.renderRounds(c, statusOf(err), shown, form, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, roundPath(r.ID, year)+"&m=planned")
}

// roundPath is the page of a round (its year says where to find it).
func roundPath(id string, year int) string {
	return "/work/health-check-rounds/" + url.PathEscape(id) + "?year=" + strconv.Itoa(year)
}

func (h *handlers) roundPage(c *gin.Context) {
	h.renderRound(c, http.StatusOK, c.Param("id"), h.pageYear(c.Query("year")), web.NewForm(), "", "", flashOf(c, roundFlash), nil)
}

// renderRound shows one round: its slots, each with its bookings and
// their actions, and the form that adds a slot.
func (h *handlers) renderRound(c *gin.Context, status int, id string, year int, form *web.Form, posted, edit string, flash, alert *web.Message) {
	rs, ok := h.rounds(c, year)
	if !ok {
		return
	}
	d := hcRoundData{Posted: posted, Edit: edit}
	found := false
	for _, r := range rs {
		if r.ID == id {
			d.Round, found = r, true
		}
	}
	if !found {
		h.errorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	// A round is one unit's: its bookings are its members', read whole.
	bookings, err := listAll[hcBooking](h, c, "leave", leaveAPI+"/health-checks/bookings?round_id="+url.QueryEscape(id))
	if err != nil {
		h.serviceFailed(c, err)
		return
	}
	bs := itemsOf[hcBooking]{Items: bookings}
	at := map[string]int{}
	for i, s := range d.Round.Slots {
		at[s.ID] = i
		d.Slots = append(d.Slots, hcSlotView{checkSlot: s})
	}
	for _, b := range bs.Items {
		if i, ok := at[b.SlotID]; ok {
			d.Slots[i].Bookings = append(d.Slots[i].Bookings, b)
		}
	}
	if form.Value("year") == "" {
		form.Set("year", strconv.Itoa(year))
	}
	p := h.page(c, "web.hcwork.round_title")
	h.withUnitNames(c, p)
	p.Form, p.Flash, p.Alert, p.Data = form, flash, alert, d
	h.render(c, status, "health_check_round", p)
}

// slotTimeLayouts are the forms a local date and time may be typed in: a
// datetime-local input's, and the same with a space.
var slotTimeLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02 15:04:05"}

// parseLocalTime reads a date and time typed in Asia/Shanghai.
func parseLocalTime(v string) (time.Time, bool) {
	for _, l := range slotTimeLayouts {
		if t, err := time.ParseInLocation(l, v, clock.Shanghai); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// addSlot adds a bookable time to a round; the time is typed in Beijing
// time and sent as UTC. The service keeps it inside the round's days.
func (h *handlers) addSlot(c *gin.Context) {
	id := c.Param("id")
	form := postedForm(c, "starts_at", "capacity", "year", "place", "notes")
	year := h.pageYear(form.Value("year"))
	var starts time.Time
	if v := form.Value("starts_at"); v == "" {
		form.AddError("starts_at", web.Msg("field.required"))
	} else if t, ok := parseLocalTime(v); ok {
		starts = t
	} else {
		form.AddError("starts_at", web.Msg("web.hcwork.starts_at_invalid"))
	}
	places := formInt(form, "capacity", 1, careMaxCapacity)
	if form.HasErrors() {
		h.renderRound(c, http.StatusUnprocessableEntity, id, year, form, "slot", "", nil, nil)
		return
	}
	path := leaveAPI + "/health-checks/rounds/" + url.PathEscape(id) + "/slots"
	if _, err := h.call(c, http.MethodPost, "leave", path, 0, map[string]any{"starts_at": starts, "capacity": places,
		"place": form.Value("place"), "notes": form.Value("notes")}, nil); err != nil {
		if problemOnForm(err, form, nil) {
			h.renderRound(c, statusOf(err), id, year, form, "slot", "", nil, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, roundPath(id, year)+"&m=slot")
}

// checkAction records a booking's result (op "complete", with the result
// typed), marks a no-show or cancels it, at the version the page showed.
// Who may record a result is the leave service's to say: for any other
// caseworker it answers 403, which the page explains.
func (h *handlers) checkAction(op string) gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.Param("id")
		version, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
		if err != nil || version < 1 {
			h.errorPage(c, http.StatusBadRequest, "web.error.400")
			return
		}
		form := web.NewForm()
		var body any
		if op == "complete" {
			form.Set("result", strings.TrimSpace(c.PostForm("result")))
			if form.Value("result") == "" {
				form.AddError("result", web.Msg("field.required"))
			}
			body = map[string]string{"result": form.Value("result")}
		}
		status := http.StatusUnprocessableEntity
		var alert *web.Message
		if !form.HasErrors() {
			var out hcBooking
			path := leaveAPI + "/health-checks/bookings/" + url.PathEscape(id) + "/" + op
			_, err := h.call(c, http.MethodPost, "leave", path, version, body, &out)
			if err == nil {
				c.Redirect(http.StatusSeeOther, roundPath(out.RoundID, out.Year)+"&m="+op)
				return
			}
			status = statusOf(err)
			var ae *APIError
			switch {
			case op == "complete" && errors.As(err, &ae) && ae.Status == http.StatusForbidden && (ae.Problem.Code == "" || ae.Problem.Code == "forbidden"):
				m := web.Msg("web.hcwork.not_medical")
				alert = &m
			case op == "complete":
				if !problemOnField(err, form, "result", nil) {
					h.serviceFailed(c, err)
					return
				}
			default:
				if !problemOnForm(err, form, nil) {
					h.serviceFailed(c, err)
					return
				}
				msgs := append(form.General(), flatten(form)...)
				alert = &msgs[0]
				form = web.NewForm()
			}
		}
		// Back to the booking's round, with the refusal shown.
		var b hcBooking
		if _, err := h.call(c, http.MethodGet, "leave", leaveAPI+"/health-checks/bookings/"+url.PathEscape(id), 0, nil, &b); err != nil {
			h.serviceFailed(c, err)
			return
		}
		edit := ""
		if op == "complete" {
			edit = id
		}
		h.renderRound(c, status, b.RoundID, b.Year, form, "", edit, nil, alert)
	}
}
