package httpapi

import (
	"net/http"
	"net/url"
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

type careBooking struct {
	ID          string    `json:"id"`
	SessionID   string    `json:"session_id"`
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
}

type careData struct {
	Sessions    []recuperationSession
	MyStays     []careBooking
	Slots       []checkSlot
	MyChecks    []careBooking
	Unavailable bool
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
	h.renderCare(c, http.StatusOK, flash, nil)
}

func (h *handlers) renderCare(c *gin.Context, status int, flash, alert *web.Message) {
	var d careData
	get := func(path string, out any) bool {
		if _, err := h.call(c, http.MethodGet, "leave", leaveAPI+path, 0, nil, out); err != nil {
			h.serviceFailed(c, err)
			return false
		}
		return true
	}
	var facilities itemsOf[struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}]
	var sessions itemsOf[recuperationSession]
	var stays, checks itemsOf[careBooking]
	var rounds itemsOf[struct {
		ID string `json:"id"`
	}]
	if !get("/recuperation/facilities", &facilities) || !get("/recuperation/sessions", &sessions) ||
		!get("/recuperation/bookings", &stays) || !get("/health-checks/bookings", &checks) ||
		!get("/health-checks/rounds?year="+strconv.Itoa(clock.Today(h.Clock).Year()), &rounds) {
		return
	}
	names := map[string]string{}
	for _, f := range facilities.Items {
		names[f.ID] = f.Name
	}
	for _, s := range sessions.Items {
		s.Facility = names[s.FacilityID]
		d.Sessions = append(d.Sessions, s)
	}
	for _, r := range rounds.Items {
		var slots itemsOf[checkSlot]
		if !get("/health-checks/rounds/"+url.PathEscape(r.ID)+"/slots", &slots) {
			return
		}
		d.Slots = append(d.Slots, slots.Items...)
	}
	d.MyStays, d.MyChecks = stays.Items, checks.Items
	p := h.page(c, "web.care.title")
	p.Data, p.Flash, p.Alert = d, flash, alert
	h.render(c, status, "care", p)
}

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
			h.renderCare(c, statusOf(err), nil, &alert)
			return
		}
		c.Redirect(http.StatusSeeOther, "/care?m=booked")
	}
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
