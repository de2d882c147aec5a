package httpapi

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Recuperation stays and health checks, over /api/v1/leave
// (api/openapi/leave.yaml): an officer books, a caseworker follows
// compliance by unit.

type recuperationSession struct {
	ID         string `json:"id"`
	FacilityID string `json:"facility_id"`
	From       string `json:"from"`
	To         string `json:"to"`
	Capacity   int    `json:"capacity"`
	Booked     int    `json:"booked"`
	Facility   string `json:"-"`
}

// careBooking is a recuperation booking (session_id) or a health-check
// booking (round_id, slot_id) of the officer.
type careBooking struct {
	ID          string    `json:"id"`
	SessionID   string    `json:"session_id"`
	RoundID     string    `json:"round_id"`
	SlotID      string    `json:"slot_id"`
	Year        int       `json:"year"`
	Status      string    `json:"status"`
	WaitReason  string    `json:"wait_reason"`
	CompletedOn string    `json:"completed_on"`
	RequestedAt time.Time `json:"requested_at"`
	Version     int64     `json:"version"`
}

type checkSlot struct {
	ID       string    `json:"id"`
	RoundID  string    `json:"round_id"`
	StartsAt time.Time `json:"starts_at"`
	Capacity int       `json:"capacity"`
	Booked   int       `json:"booked"`
	// Place and Notes (how to prepare) are what the caseworker set with
	// the slot; either may be empty.
	Place string `json:"place"`
	Notes string `json:"notes"`
}

// careFacilityRef is a facility of GET /recuperation/facilities.
type careFacilityRef struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Location string `json:"location"`
}

// careRound is a health-check round of GET /health-checks/rounds.
type careRound struct {
	ID     string `json:"id"`
	Year   int    `json:"year"`
	Opens  string `json:"opens"`
	Closes string `json:"closes"`
}

// stayView is the officer's stay with where and when it is, why it waits,
// and whether it can still be cancelled (before the stay starts).
type stayView struct {
	careBooking
	Facility  string
	Location  string
	From      string
	To        string
	Wait      *web.Message
	CanCancel bool
}

// checkView is the officer's health check with its time (a slot of a
// round) and whether it can still be cancelled (before the slot's day).
type checkView struct {
	careBooking
	StartsAt  time.Time
	Closes    string
	CanCancel bool
	// Place and Notes are the booked slot's.
	Place, Notes string
}

// sessionView is a stay open for requests; Requested hides the button once
// the officer has a live booking in it.
type sessionView struct {
	recuperationSession
	Location  string
	Requested bool
}

// roundView is a health-check round with its slots; Booked hides every
// Book button of the round once the officer holds a booked or completed
// check in it (the service allows one).
type roundView struct {
	careRound
	Slots  []slotView
	Booked bool
}

// slotView is a slot; Open is true when it can be booked now.
type slotView struct {
	checkSlot
	Open bool
}

// careConfirm is the booking the officer asked to cancel, shown with the
// button that cancels it.
type careConfirm struct {
	Action  string
	Version int64
	Title   string
	Hint    string
	Stay    *stayView
	Check   *checkView
}

type careData struct {
	Sessions []sessionView
	Stays    []stayView
	Rounds   []roundView
	Checks   []checkView
	Confirm  *careConfirm
}

type complianceRow struct {
	UnitID  string   `json:"unit_id"`
	Year    int      `json:"year"`
	Active  int      `json:"active"`
	Done    int      `json:"done"`
	Booked  int      `json:"booked"`
	Due     int      `json:"due"`
	Overdue []string `json:"overdue"`
	Percent string   `json:"percent"`
	// OverdueMembers names the members of Overdue.
	OverdueMembers []struct {
		MemberID   string `json:"member_id"`
		MemberName string `json:"member_name"`
	} `json:"overdue_members"`
}

func (h *handlers) registerCarePages(g *gin.RouterGroup) {
	officer := h.requireUser(domain.RoleOfficer)
	g.GET("/care", officer, h.carePage)
	g.POST("/care/recuperation/:id/book", officer, h.careBook("/recuperation/sessions/"))
	g.POST("/care/health-checks/:id/book", officer, h.careBook("/health-checks/slots/"))
	g.POST("/care/health-checks/bookings/:id/cancel", officer, h.cancelCheck)
	g.GET("/work/health-checks", h.requireUser(domain.RoleCaseworker, domain.RoleUnitHead, domain.RoleApprover, domain.RoleAdmin), h.compliancePage)
}

type itemsOf[T any] struct {
	Items []T `json:"items"`
}

func (h *handlers) carePage(c *gin.Context) {
	var flash *web.Message
	switch c.Query("m") {
	case "booked":
		m := web.Msg("web.care.booked")
		flash = &m
	case "cancelled":
		m := web.Msg("web.care.cancelled")
		flash = &m
	}
	h.renderCare(c, http.StatusOK, flash, nil, nil)
}

func (h *handlers) renderCare(c *gin.Context, status int, flash, alert *web.Message, confirm *careConfirm) {
	d, err := h.loadCare(c)
	if err != nil {
		h.serviceFailed(c, err)
		return
	}
	d.Confirm = confirm
	p := h.page(c, "web.care.title")
	p.Data, p.Flash, p.Alert = d, flash, alert
	h.render(c, status, "care", p)
}

// loadCare reads the officer's stays and checks and joins each with where
// and when it is: one call per list (facilities, sessions, bookings,
// rounds of a year, slots of a round), not one per booking, except for a
// stay whose session the list does not hold.
func (h *handlers) loadCare(c *gin.Context) (careData, error) {
	var d careData
	today := clock.Today(h.Clock)
	todayS := today.Format(time.DateOnly)
	get := func(path string, out any) error {
		_, err := h.call(c, http.MethodGet, "leave", leaveAPI+path, 0, nil, out)
		return err
	}
	// The officer's own lists, whole: a few facilities, their own stays and checks.
	var (
		facilities    itemsOf[careFacilityRef]
		stays, checks itemsOf[careBooking]
		err           error
	)
	if facilities.Items, err = listAll[careFacilityRef](h, c, "leave", leaveAPI+"/recuperation/facilities"); err != nil {
		return d, err
	}
	if stays.Items, err = listAll[careBooking](h, c, "leave", leaveAPI+"/recuperation/bookings"); err != nil {
		return d, err
	}
	if checks.Items, err = listAll[careBooking](h, c, "leave", leaveAPI+"/health-checks/bookings"); err != nil {
		return d, err
	}
	// Sessions from the first year the officer booked in, so their past
	// stays find their dates; the open ones are those still to start.
	since := today
	for _, b := range stays.Items {
		if y := time.Date(b.Year, 1, 1, 0, 0, 0, 0, time.UTC); b.Year > 1900 && y.Before(since) {
			since = y
		}
	}
	var sessions itemsOf[recuperationSession]
	if sessions.Items, err = listAll[recuperationSession](h, c, "leave", leaveAPI+"/recuperation/sessions?from="+since.Format(time.DateOnly)); err != nil {
		return d, err
	}
	facility := map[string]careFacilityRef{}
	for _, f := range facilities.Items {
		facility[f.ID] = f
	}
	session := map[string]recuperationSession{}
	for _, s := range sessions.Items {
		session[s.ID] = s
	}
	live := map[string]bool{}
	for _, b := range stays.Items {
		if _, ok := session[b.SessionID]; !ok && b.SessionID != "" {
			var s recuperationSession
			if err := get("/recuperation/sessions/"+url.PathEscape(b.SessionID), &s); err == nil && s.ID != "" {
				session[s.ID] = s
			}
		}
		s, known := session[b.SessionID]
		v := stayView{careBooking: b, CanCancel: b.Status != "cancelled" && (!known || s.From > todayS)}
		if known {
			v.From, v.To = s.From, s.To
			v.Facility, v.Location = facility[s.FacilityID].Name, facility[s.FacilityID].Location
		}
		if b.Status == "waitlisted" {
			m := msgOr(waitReasons[b.WaitReason], "web.officer.care.wait.other")
			v.Wait = &m
		}
		if b.Status != "cancelled" {
			live[b.SessionID] = true
		}
		d.Stays = append(d.Stays, v)
	}
	for _, s := range sessions.Items {
		if s.From <= todayS {
			continue
		}
		s.Facility = facility[s.FacilityID].Name
		d.Sessions = append(d.Sessions, sessionView{recuperationSession: s, Location: facility[s.FacilityID].Location, Requested: live[s.ID]})
	}

	// This year's rounds to book in, and the rounds of other years the
	// officer's checks belong to, each read with its slots.
	years := []int{today.Year()}
	for _, b := range checks.Items {
		if b.Year > 1900 && !slices.Contains(years, b.Year) {
			years = append(years, b.Year)
		}
	}
	held := map[string]bool{}
	mine := map[string]bool{}
	for _, b := range checks.Items {
		mine[b.RoundID] = true
		if b.Status == "booked" || b.Status == "completed" {
			held[b.RoundID] = true
		}
	}
	slot := map[string]checkSlot{}
	round := map[string]careRound{}
	for _, y := range years {
		rounds, err := listAll[careRound](h, c, "leave", leaveAPI+"/health-checks/rounds?year="+strconv.Itoa(y))
		if err != nil {
			return d, err
		}
		for _, r := range rounds {
			round[r.ID] = r
			if y != today.Year() && !mine[r.ID] {
				continue
			}
			slots, err := listAll[checkSlot](h, c, "leave", leaveAPI+"/health-checks/rounds/"+url.PathEscape(r.ID)+"/slots")
			if err != nil {
				return d, err
			}
			rv := roundView{careRound: r, Booked: held[r.ID]}
			for _, s := range slots {
				slot[s.ID] = s
				open := s.Booked < s.Capacity && !rv.Booked && shanghaiDay(s.StartsAt) > todayS && (r.Closes == "" || todayS <= r.Closes)
				rv.Slots = append(rv.Slots, slotView{checkSlot: s, Open: open})
			}
			if y == today.Year() {
				d.Rounds = append(d.Rounds, rv)
			}
		}
	}
	for _, b := range checks.Items {
		s, known := slot[b.SlotID]
		v := checkView{careBooking: b, StartsAt: s.StartsAt, Closes: round[b.RoundID].Closes, Place: s.Place, Notes: s.Notes,
			CanCancel: b.Status == "booked" && (!known || shanghaiDay(s.StartsAt) > todayS)}
		d.Checks = append(d.Checks, v)
	}
	return d, nil
}

// waitReasons maps the leave service's wait_reason codes to page texts.
var waitReasons = map[string]string{
	"leave.recuperation.session_full":    "web.officer.care.wait.session_full",
	"leave.recuperation.quota_exhausted": "web.officer.care.wait.quota_exhausted",
}

// shanghaiDay is the calendar day of an instant in Asia/Shanghai.
func shanghaiDay(t time.Time) string { return clock.Local(t).Format(time.DateOnly) }

// careBook books a recuperation place or a health-check slot for the
// signed-in officer; the service decides waitlist, quota and priority.
func (h *handlers) careBook(prefix string) gin.HandlerFunc {
	return func(c *gin.Context) {
		path := leaveAPI + prefix + url.PathEscape(c.Param("id")) + "/bookings"
		if _, err := h.call(c, http.MethodPost, "leave", path, 0, map[string]any{}, nil); err != nil {
			form := web.NewForm()
			if !problemOnForm(err, form, nil) {
				h.serviceFailed(c, err)
				return
			}
			msgs := append(form.General(), flatten(form)...)
			alert := msgs[0]
			h.renderCare(c, statusOf(err), nil, &alert, nil)
			return
		}
		c.Redirect(http.StatusSeeOther, "/care?m=booked")
	}
}

// cancelCheck cancels the officer's health-check booking at the version the
// page showed, after asking: without confirm=yes it shows the booking with
// the button that cancels it.
func (h *handlers) cancelCheck(c *gin.Context) {
	h.officerCancel(c, "/health-checks/bookings/", "web.officer.confirm.check_title", "web.officer.confirm.check_hint")
}

// officerCancel is the two presses of an officer's booking cancel: the
// first (no confirm=yes) reads the booking, which answers 404 for another
// member's, and shows it on /care with the cancel button; the second
// cancels at the version the list showed.
func (h *handlers) officerCancel(c *gin.Context, prefix, title, hint string) {
	version, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
	if err != nil || version < 1 {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	path := leaveAPI + prefix + url.PathEscape(c.Param("id"))
	if c.PostForm("confirm") != "yes" {
		var b careBooking
		if _, err := h.call(c, http.MethodGet, "leave", path, 0, nil, &b); err != nil {
			h.serviceFailed(c, err)
			return
		}
		d, err := h.loadCare(c)
		if err != nil {
			h.serviceFailed(c, err)
			return
		}
		cf := &careConfirm{Action: c.Request.URL.Path, Version: version, Title: title, Hint: hint}
		for i := range d.Stays {
			if d.Stays[i].ID == b.ID {
				cf.Stay = &d.Stays[i]
			}
		}
		for i := range d.Checks {
			if d.Checks[i].ID == b.ID {
				cf.Check = &d.Checks[i]
			}
		}
		status := http.StatusOK
		p := h.page(c, "web.care.title")
		if (cf.Stay != nil && !cf.Stay.CanCancel) || (cf.Check != nil && !cf.Check.CanCancel) {
			// Cancelled or due meanwhile: nothing to confirm.
			m := web.Msg("web.officer.confirm.booking_not_cancellable")
			status, p.Alert = http.StatusConflict, &m
		} else {
			d.Confirm = cf
		}
		p.Data = d
		h.render(c, status, "care", p)
		return
	}
	if _, err := h.call(c, http.MethodPost, "leave", path+"/cancel", version, nil, nil); err != nil {
		form := web.NewForm()
		if !problemOnForm(err, form, nil) {
			h.serviceFailed(c, err)
			return
		}
		msgs := append(form.General(), flatten(form)...)
		h.renderCare(c, statusOf(err), nil, &msgs[0], nil)
		return
	}
	c.Redirect(http.StatusSeeOther, "/care?m=cancelled")
}

type complianceData struct {
	Year int
	Rows []complianceRow
	// LinkMembers: the viewer may open member records (caseworkers and
	// admins); unit heads and approvers see names only.
	LinkMembers bool
}

// compliancePage shows each unit's health-check compliance for a year.
func (h *handlers) compliancePage(c *gin.Context) {
	year := clock.Today(h.Clock).Year()
	if y, err := strconv.Atoi(c.Query("year")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	var rows itemsOf[complianceRow]
	if _, err := h.call(c, http.MethodGet, "leave", leaveAPI+"/health-checks/compliance?year="+strconv.Itoa(year), 0, nil, &rows); err != nil {
		h.serviceFailed(c, err)
		return
	}
	p := h.page(c, "web.compliance.title")
	p.Data = complianceData{Year: year, Rows: rows.Items, LinkMembers: currentUser(c).Has(domain.RoleCaseworker, domain.RoleAdmin)}
	h.withUnitNames(c, p)
	h.render(c, http.StatusOK, "compliance", p)
}
