package leave

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/api/client"
	leaveapi "github.com/anxin-welfare/anxin/api/client/leave"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Recuperation stays and health checks: an officer books and cancels
// (/care), a caseworker follows compliance by unit (/work/health-checks).

// careBooking is a recuperation booking (SessionID) or a health-check
// booking (RoundID, SlotID) of the officer.
type careBooking struct {
	ID, SessionID, RoundID, SlotID string
	Year                           int
	Status, WaitReason             string
	CompletedOn                    string
	RequestedAt                    time.Time
	Version                        int64
}

func stayOf(b leaveapi.Booking) careBooking {
	return careBooking{ID: b.Id.String(), SessionID: b.SessionId.String(), Year: webkit.Deref(b.Year), Status: string(b.Status),
		WaitReason: webkit.Deref(b.WaitReason), RequestedAt: webkit.Deref(b.RequestedAt), Version: int64(b.Version)}
}

func checkOf(b leaveapi.Check) careBooking {
	id := func(u *uuid.UUID) string {
		if u == nil {
			return ""
		}
		return u.String()
	}
	return careBooking{ID: id(b.Id), RoundID: id(b.RoundId), SlotID: id(b.SlotId), Year: webkit.Deref(b.Year), Status: string(webkit.Deref(b.Status)),
		CompletedOn: day(b.CompletedOn), Version: int64(webkit.Deref(b.Version))}
}

// recuperationSession is a stay at a facility.
type recuperationSession struct {
	ID, FacilityID, From, To string
	Capacity, Booked         int
	Facility                 string
}

func sessionOf(s leaveapi.Session) recuperationSession {
	return recuperationSession{ID: s.Id.String(), FacilityID: s.FacilityId.String(), From: s.From.String(), To: s.To.String(),
		Capacity: s.Capacity, Booked: webkit.Deref(s.Booked)}
}

// checkSlot is a time of a health-check round; Place and Notes (how to
// prepare) are what the caseworker set with it, either may be empty.
type checkSlot struct {
	ID, RoundID      string
	StartsAt         time.Time
	Capacity, Booked int
	Place, Notes     string
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

// careRound is a health-check round.
type careRound struct {
	ID            string
	Year          int
	Opens, Closes string
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

func (a *area) registerCarePages(g *gin.RouterGroup) {
	officer := a.RequireUser(domain.RoleOfficer)
	g.GET("/care", officer, a.carePage)
	g.POST("/care/recuperation/:id/book", officer, a.bookStay)
	g.POST("/care/health-checks/:id/book", officer, a.bookCheck)
	g.POST("/care/health-checks/bookings/:id/cancel", officer, a.cancelCheck)
	g.GET("/work/health-checks", a.RequireUser(domain.RoleCaseworker, domain.RoleUnitHead, domain.RoleApprover, domain.RoleAdmin), a.compliancePage)
}

func (a *area) carePage(c *gin.Context) {
	var flash *web.Message
	switch c.Query("m") {
	case "booked":
		flash = webkit.Flash("web.care.booked")
	case "cancelled":
		flash = webkit.Flash("web.care.cancelled")
	}
	a.renderCare(c, http.StatusOK, flash, nil, nil)
}

func (a *area) renderCare(c *gin.Context, status int, flash, alert *web.Message, confirm *careConfirm) {
	d, err := a.loadCare(c)
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	d.Confirm = confirm
	p := a.Page(c, "web.care.title")
	p.Data, p.Flash, p.Alert = d, flash, alert
	a.Render(c, status, "care", p)
}

// maxLimit asks for the largest page a list gives (pkg/page), for a list
// read whole.
func maxLimit() *int {
	n := page.MaxLimit
	return &n
}

// listed is a list page's items as the generated type T, and its cursor.
func listed[T any](p *leaveapi.Page) ([]T, *string, error) {
	if p == nil {
		return nil, nil, webkit.ErrUnexpected
	}
	items, err := webkit.Items[T](p.Items)
	return items, p.Next, err
}

// loadCare reads the officer's stays and checks and joins each with where
// and when it is: one call per list (facilities, sessions, bookings,
// rounds of a year, slots of a round), not one per booking, except for a
// stay whose session the list does not hold.
func (a *area) loadCare(c *gin.Context) (careData, error) {
	var d careData
	today := clock.Today(a.Clock)
	todayS := today.Format(time.DateOnly)
	api, err := a.Leave(c)
	if err != nil {
		return d, err
	}
	ctx := c.Request.Context()
	// The officer's own lists, whole: a few facilities, their own stays and checks.
	facilities, err := webkit.All(func(after *string) ([]leaveapi.Facility, *string, error) {
		r, err := api.ListFacilitiesWithResponse(ctx, &leaveapi.ListFacilitiesParams{After: after, Limit: maxLimit()})
		if err != nil {
			return nil, nil, err
		}
		return listed[leaveapi.Facility](r.JSON200)
	})
	if err != nil {
		return d, err
	}
	stays, err := webkit.All(func(after *string) ([]leaveapi.Booking, *string, error) {
		r, err := api.ListBookingsWithResponse(ctx, &leaveapi.ListBookingsParams{After: after, Limit: maxLimit()})
		if err != nil {
			return nil, nil, err
		}
		return listed[leaveapi.Booking](r.JSON200)
	})
	if err != nil {
		return d, err
	}
	checks, err := webkit.All(func(after *string) ([]leaveapi.Check, *string, error) {
		r, err := api.ListChecksWithResponse(ctx, &leaveapi.ListChecksParams{After: after, Limit: maxLimit()})
		if err != nil {
			return nil, nil, err
		}
		return listed[leaveapi.Check](r.JSON200)
	})
	if err != nil {
		return d, err
	}
	// Sessions from the first year the officer booked in, so their past
	// stays find their dates; the open ones are those still to start.
	since := today
	for _, b := range stays {
		if y := time.Date(webkit.Deref(b.Year), 1, 1, 0, 0, 0, 0, time.UTC); webkit.Deref(b.Year) > 1900 && y.Before(since) {
			since = y
		}
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
		return d, err
	}
	facility := map[string]leaveapi.Facility{}
	for _, f := range facilities {
		facility[f.Id.String()] = f
	}
	session := map[string]recuperationSession{}
	for _, s := range sessions {
		session[s.Id.String()] = sessionOf(s)
	}
	live := map[string]bool{}
	for _, sb := range stays {
		b := stayOf(sb)
		if _, ok := session[b.SessionID]; !ok {
			if r, err := api.GetSessionWithResponse(ctx, sb.SessionId); err == nil && r.JSON200 != nil {
				session[b.SessionID] = sessionOf(*r.JSON200)
			}
		}
		s, known := session[b.SessionID]
		v := stayView{careBooking: b, CanCancel: b.Status != "cancelled" && (!known || s.From > todayS)}
		if known {
			v.From, v.To = s.From, s.To
			v.Facility, v.Location = facility[s.FacilityID].Name, facility[s.FacilityID].Location
		}
		if b.Status == "waitlisted" {
			m := webkit.MsgOr(waitReasons[b.WaitReason], "web.officer.care.wait.other")
			v.Wait = &m
		}
		if b.Status != "cancelled" {
			live[b.SessionID] = true
		}
		d.Stays = append(d.Stays, v)
	}
	for _, ss := range sessions {
		s := sessionOf(ss)
		if s.From <= todayS {
			continue
		}
		s.Facility = facility[s.FacilityID].Name
		d.Sessions = append(d.Sessions, sessionView{recuperationSession: s, Location: facility[s.FacilityID].Location, Requested: live[s.ID]})
	}

	// This year's rounds to book in, and the rounds of other years the
	// officer's checks belong to, each read with its slots.
	mineChecks := make([]careBooking, 0, len(checks))
	for _, ch := range checks {
		mineChecks = append(mineChecks, checkOf(ch))
	}
	years := []int{today.Year()}
	for _, b := range mineChecks {
		if b.Year > 1900 && !slices.Contains(years, b.Year) {
			years = append(years, b.Year)
		}
	}
	held := map[string]bool{}
	mine := map[string]bool{}
	for _, b := range mineChecks {
		mine[b.RoundID] = true
		if b.Status == "booked" || b.Status == "completed" {
			held[b.RoundID] = true
		}
	}
	slot := map[string]checkSlot{}
	round := map[string]careRound{}
	for _, y := range years {
		rounds, err := webkit.All(func(after *string) ([]leaveapi.Round, *string, error) {
			r, err := api.ListRoundsWithResponse(ctx, &leaveapi.ListRoundsParams{Year: &y, After: after, Limit: maxLimit()})
			if err != nil {
				return nil, nil, err
			}
			return listed[leaveapi.Round](r.JSON200)
		})
		if err != nil {
			return d, err
		}
		for _, rr := range rounds {
			r := careRound{ID: rr.Id.String(), Year: rr.Year, Opens: rr.Opens.String(), Closes: rr.Closes.String()}
			round[r.ID] = r
			if y != today.Year() && !mine[r.ID] {
				continue
			}
			slots, err := webkit.All(func(after *string) ([]leaveapi.Slot, *string, error) {
				r, err := api.ListSlotsWithResponse(ctx, rr.Id, &leaveapi.ListSlotsParams{After: after, Limit: maxLimit()})
				if err != nil {
					return nil, nil, err
				}
				return listed[leaveapi.Slot](r.JSON200)
			})
			if err != nil {
				return d, err
			}
			rv := roundView{careRound: r, Booked: held[r.ID]}
			for _, ss := range slots {
				s := checkSlot{ID: ss.Id.String(), RoundID: ss.RoundId.String(), StartsAt: ss.StartsAt, Capacity: ss.Capacity,
					Booked: webkit.Deref(ss.Booked), Place: webkit.Deref(ss.Place), Notes: webkit.Deref(ss.Notes)}
				slot[s.ID] = s
				open := s.Booked < s.Capacity && !rv.Booked && shanghaiDay(s.StartsAt) > todayS && (r.Closes == "" || todayS <= r.Closes)
				rv.Slots = append(rv.Slots, slotView{checkSlot: s, Open: open})
			}
			if y == today.Year() {
				d.Rounds = append(d.Rounds, rv)
			}
		}
	}
	for _, b := range mineChecks {
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

// bookStay and bookCheck book a recuperation place or a health-check slot
// for the signed-in officer; the service decides waitlist, quota and
// priority.
func (a *area) bookStay(c *gin.Context) {
	a.careBook(c, func(api *leaveapi.ClientWithResponses, id uuid.UUID) error {
		return webkit.Done(api.BookSession(c.Request.Context(), id, leaveapi.BookSessionJSONRequestBody{})) //nolint:bodyclose // webkit.Done drains and closes it
	})
}

func (a *area) bookCheck(c *gin.Context) {
	a.careBook(c, func(api *leaveapi.ClientWithResponses, id uuid.UUID) error {
		return webkit.Done(api.BookCheck(c.Request.Context(), id, leaveapi.BookCheckJSONRequestBody{})) //nolint:bodyclose // webkit.Done drains and closes it
	})
}

func (a *area) careBook(c *gin.Context, book func(*leaveapi.ClientWithResponses, uuid.UUID) error) {
	id, ok := a.PathID(c, "id")
	if !ok {
		return
	}
	api, err := a.Leave(c)
	if err == nil {
		err = book(api, id)
	}
	if err != nil {
		form := web.NewForm()
		if !webkit.ProblemOnForm(err, form, nil) {
			a.ServiceFailed(c, err)
			return
		}
		alert := webkit.Messages(form)[0]
		a.renderCare(c, webkit.StatusOf(err), nil, &alert, nil)
		return
	}
	c.Redirect(http.StatusSeeOther, "/care?m=booked")
}

// cancelCheck cancels the officer's health-check booking at the version the
// page showed, after asking (officerCancel).
func (a *area) cancelCheck(c *gin.Context) {
	a.officerCancel(c, booking{
		get: func(api *leaveapi.ClientWithResponses, id uuid.UUID) (string, error) {
			r, err := api.GetCheckWithResponse(c.Request.Context(), id)
			if err != nil || r.JSON200 == nil {
				return "", orUnexpected(err, r)
			}
			return checkOf(*r.JSON200).ID, nil
		},
		cancel: func(api *leaveapi.ClientWithResponses, id uuid.UUID, version int64) error {
			return webkit.Done(api.CancelCheck(c.Request.Context(), id, &leaveapi.CancelCheckParams{IfMatch: client.Tag(version)})) //nolint:bodyclose // webkit.Done drains and closes it
		},
		title: "web.officer.confirm.check_title", hint: "web.officer.confirm.check_hint",
	})
}

// cancelStay cancels the officer's recuperation booking, after asking.
func (a *area) cancelStay(c *gin.Context) {
	a.officerCancel(c, booking{
		get: func(api *leaveapi.ClientWithResponses, id uuid.UUID) (string, error) {
			r, err := api.GetBookingWithResponse(c.Request.Context(), id)
			if err != nil || r.JSON200 == nil {
				return "", orUnexpected(err, r)
			}
			return r.JSON200.Id.String(), nil
		},
		cancel: cancelStayAt(c),
		title:  "web.officer.confirm.stay_title",
		hint:   "web.officer.confirm.stay_hint",
	})
}

// cancelStayAt cancels a recuperation booking at version.
func cancelStayAt(c *gin.Context) func(*leaveapi.ClientWithResponses, uuid.UUID, int64) error {
	return func(api *leaveapi.ClientWithResponses, id uuid.UUID, version int64) error {
		return webkit.Done(api.CancelBooking(c.Request.Context(), id, &leaveapi.CancelBookingParams{IfMatch: client.Tag(version)})) //nolint:bodyclose // webkit.Done drains and closes it
	}
}

// booking is how officerCancel reads and cancels one kind of booking.
type booking struct {
	get         func(*leaveapi.ClientWithResponses, uuid.UUID) (string, error)
	cancel      func(*leaveapi.ClientWithResponses, uuid.UUID, int64) error
	title, hint string
}

// officerCancel is the two presses of an officer's booking cancel: the
// first (no confirm=yes) reads the booking, which answers 404 for another
// member's, and shows it on /care with the cancel button; the second
// cancels at the version the list showed.
func (a *area) officerCancel(c *gin.Context, b booking) {
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
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	if c.PostForm("confirm") != "yes" {
		shown, err := b.get(api, id)
		if err != nil {
			a.ServiceFailed(c, err)
			return
		}
		d, err := a.loadCare(c)
		if err != nil {
			a.ServiceFailed(c, err)
			return
		}
		cf := &careConfirm{Action: c.Request.URL.Path, Version: version, Title: b.title, Hint: b.hint}
		for i := range d.Stays {
			if d.Stays[i].ID == shown {
				cf.Stay = &d.Stays[i]
			}
		}
		for i := range d.Checks {
			if d.Checks[i].ID == shown {
				cf.Check = &d.Checks[i]
			}
		}
		status := http.StatusOK
		p := a.Page(c, "web.care.title")
		if (cf.Stay != nil && !cf.Stay.CanCancel) || (cf.Check != nil && !cf.Check.CanCancel) {
			// Cancelled or due meanwhile: nothing to confirm.
			status, p.Alert = http.StatusConflict, webkit.Flash("web.officer.confirm.booking_not_cancellable")
		} else {
			d.Confirm = cf
		}
		p.Data = d
		a.Render(c, status, "care", p)
		return
	}
	if err := b.cancel(api, id, version); err != nil {
		form := web.NewForm()
		if !webkit.ProblemOnForm(err, form, nil) {
			a.ServiceFailed(c, err)
			return
		}
		a.renderCare(c, webkit.StatusOf(err), nil, &webkit.Messages(form)[0], nil)
		return
	}
	c.Redirect(http.StatusSeeOther, "/care?m=cancelled")
}

// complianceRow is a unit's health checks in a year.
type complianceRow struct {
	UnitID                    string
	Year                      int
	Active, Done, Booked, Due int
	Overdue                   []string
	Percent                   string
	// OverdueMembers names the members of Overdue.
	OverdueMembers []overdueMember
}

// overdueMember is a member whose check is overdue.
type overdueMember struct {
	MemberID, MemberName string
}

type complianceData struct {
	Year int
	Rows []complianceRow
	// Pages links the next page of units (leave answers a page of units
	// at a time) and back to the first.
	Pages webkit.Pager
	// LinkMembers: the viewer may open member records (caseworkers and
	// admins); unit heads and approvers see names only.
	LinkMembers bool
}

// compliancePage shows each unit's health-check compliance for a year.
func (a *area) compliancePage(c *gin.Context) {
	year := clock.Today(a.Clock).Year()
	if y, err := strconv.Atoi(c.Query("year")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	api, err := a.Leave(c)
	var r *leaveapi.GetComplianceResponse
	if err == nil {
		params := &leaveapi.GetComplianceParams{Year: &year}
		if after := c.Query("after"); after != "" {
			params.After = &after
		}
		r, err = api.GetComplianceWithResponse(c.Request.Context(), params)
	}
	if err == nil && r.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	var rows []complianceRow
	for _, cr := range webkit.Deref(r.JSON200.Items) {
		row := complianceRow{UnitID: webkit.Deref(cr.UnitId), Year: webkit.Deref(cr.Year), Active: webkit.Deref(cr.Active), Done: webkit.Deref(cr.Done),
			Booked: webkit.Deref(cr.Booked), Due: webkit.Deref(cr.Due), Overdue: webkit.Deref(cr.Overdue), Percent: webkit.Deref(cr.Percent)}
		for _, m := range webkit.Deref(cr.OverdueMembers) {
			row.OverdueMembers = append(row.OverdueMembers, overdueMember{MemberID: webkit.Deref(m.MemberId), MemberName: webkit.Deref(m.MemberName)})
		}
		rows = append(rows, row)
	}
	p := a.Page(c, "web.compliance.title")
	p.Data = complianceData{Year: year, Rows: rows, LinkMembers: a.User(c).Has(domain.RoleCaseworker, domain.RoleAdmin),
		Pages: a.PagerFor(c, "compliance", "after", webkit.Deref(r.JSON200.Next))}
	a.WithUnitNames(c, p)
	a.Render(c, http.StatusOK, "compliance", p)
}
