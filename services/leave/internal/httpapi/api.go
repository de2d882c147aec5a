// Package httpapi is the leave service's JSON API under /api/v1/leave:
// gin handlers that decode, check access from the identity token, run the
// changes through internal/commands, read through the stores, and encode.
// Its contract is api/openapi/leave.yaml; a test keeps the two in step.
package httpapi

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pdfdoc"
	"github.com/anxin-welfare/anxin/pkg/report"
	"github.com/anxin-welfare/anxin/services/leave/internal/commands"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
	"github.com/anxin-welfare/anxin/services/leave/internal/store"
	"github.com/anxin-welfare/anxin/services/leave/internal/store/carestore"
	"github.com/anxin-welfare/anxin/services/leave/internal/wages"
)

// Options configure the API. Who records and reads health-check results
// is a role (auth.RoleMedicalCaseworker) that administrators grant, not
// configuration.
type Options struct {
	// Fonts is the font of the printed documents (nil: pdfdoc's default).
	Fonts *pdfdoc.Fonts
}

// API holds the handlers' dependencies.
type API struct {
	store *store.Store
	// care keeps the stays and health checks the care routes read.
	care *carestore.Store
	// cmds runs the commands (leave requests, stays, health checks); the
	// reads go to the store.
	cmds *commands.Service
	clk  clock.Clock
	opts Options
}

// New returns the API over st and care, running the commands through cmds.
func New(st *store.Store, care *carestore.Store, cmds *commands.Service, clk clock.Clock, opts Options) *API {
	return &API{store: st, care: care, cmds: cmds, clk: clk, opts: opts}
}

// Register mounts every route on g, the authenticated /api/v1/leave group.
func (a *API) Register(g *gin.RouterGroup) {
	staff := []auth.Role{auth.RoleCaseworker, auth.RoleUnitHead, auth.RoleApprover}

	g.GET("/calendars/:year", a.getCalendar)
	g.PUT("/calendars/:year", auth.Require(auth.RoleAdmin), a.putCalendar)
	g.POST("/calendars/:year/notice", auth.Require(auth.RoleAdmin), httpx.MaxBody(maxNoticeBytes), a.postCalendarNotice)
	g.GET("/working-days", a.countWorkingDays)

	g.GET("/members/:id/balance", a.getBalance)
	g.GET("/members/:id/entitlement", a.getEntitlement)
	g.GET("/members/:id/injury-leaves", a.getInjuryLeaves)
	g.GET("/my/care", auth.Require(auth.RoleOfficer), a.myCare)
	g.POST("/members/:id/adjustments", auth.Require(auth.RoleCaseworker, auth.RoleAdmin), a.postAdjustment)
	g.PUT("/members/:id/absences/:year", auth.Require(auth.RoleCaseworker), a.putAbsences)
	g.PUT("/members/:id/priority-flags", auth.Require(auth.RoleCaseworker), a.putPriorityFlags)
	g.PUT("/members/:id/carry-over/:year", auth.Require(auth.RoleUnitHead, auth.RoleCaseworker), a.putCarryOver)
	g.PUT("/members/:id/pay/:year", auth.Require(auth.RoleFinance), a.putPay)
	g.PUT("/members/:id/waiver/:year", auth.Require(auth.RoleCaseworker), a.putWaiver)
	g.GET("/reports/overview", a.overviewReport)
	g.PUT("/reports/uptake-targets/:year", auth.Require(report.Committee...), a.putUptakeTarget)
	g.GET("/units/:unit/balances", auth.Require(staff...), a.getUnitBalances)

	g.POST("/requests/quote", auth.Require(auth.RoleOfficer), a.postQuote)
	g.POST("/requests", auth.Require(auth.RoleOfficer), a.postRequest)
	g.GET("/requests", a.listRequests)
	g.GET("/requests/:id", a.getRequest)
	g.GET("/requests/:id/slip.pdf", a.printRequest)
	g.POST("/requests/:id/approve", auth.Require(auth.RoleUnitHead, auth.RoleApprover), a.decide(domain.ActionApprove))
	g.POST("/requests/:id/reject", auth.Require(auth.RoleUnitHead, auth.RoleApprover), a.decide(domain.ActionReject))
	g.POST("/requests/:id/cancel", a.decide(domain.ActionCancel))

	g.POST("/rollovers/:year", auth.Require(auth.RoleAdmin), a.postRollover)
	g.GET("/rollovers/:year", auth.Require(auth.RoleAdmin, auth.RoleFinance), a.getRollover)
	g.GET("/compensation/:year", auth.Require(auth.RoleFinance), a.getCompensation)
	g.POST("/pay-imports/:year", auth.Require(auth.RoleFinance), httpx.MaxBody(wages.MaxBytes), a.postPayImport)

	g.GET("/recuperation/facilities", a.listFacilities)
	g.POST("/recuperation/facilities", auth.Require(auth.RoleAdmin, auth.RoleCaseworker), a.postFacility)
	g.POST("/recuperation/facilities/:id/sessions", auth.Require(auth.RoleAdmin, auth.RoleCaseworker), a.postSession)
	g.GET("/recuperation/sessions", a.listSessions)
	g.GET("/recuperation/sessions/:id", a.getSession)
	g.PATCH("/recuperation/sessions/:id", auth.Require(auth.RoleAdmin, auth.RoleCaseworker), a.patchSession)
	g.POST("/recuperation/sessions/:id/bookings", auth.Require(auth.RoleOfficer, auth.RoleCaseworker), a.postBooking)
	g.GET("/recuperation/quotas/:year", auth.Require(auth.RoleAdmin, auth.RoleCaseworker, auth.RoleUnitHead), a.listQuotas)
	g.PUT("/recuperation/quotas/:year/:unit", auth.Require(auth.RoleAdmin), a.putQuota)
	g.GET("/recuperation/bookings", a.listBookings)
	g.GET("/recuperation/bookings/:id", a.getBooking)
	g.POST("/recuperation/bookings/:id/cancel", a.cancelBooking)

	// Health checks are worked by the caseworkers and the medical
	// caseworkers of the unit; only the latter record and read results.
	checkStaff := []auth.Role{auth.RoleCaseworker, auth.RoleMedicalCaseworker}
	g.POST("/health-checks/rounds", auth.Require(checkStaff...), a.postRound)
	g.GET("/health-checks/rounds", auth.Require(auth.RoleCaseworker, auth.RoleMedicalCaseworker, auth.RoleUnitHead, auth.RoleOfficer), a.listRounds)
	g.POST("/health-checks/rounds/:id/slots", auth.Require(checkStaff...), a.postSlot)
	g.GET("/health-checks/rounds/:id/slots", a.listSlots)
	g.POST("/health-checks/slots/:id/bookings", auth.Require(auth.RoleOfficer, auth.RoleCaseworker), a.postCheckBooking)
	g.GET("/health-checks/bookings", a.listChecks)
	g.GET("/health-checks/bookings/:id", a.getCheck)
	g.POST("/health-checks/bookings/:id/complete", auth.Require(auth.RoleMedicalCaseworker), a.updateCheck(domain.CheckActionComplete))
	g.POST("/health-checks/bookings/:id/no-show", auth.Require(checkStaff...), a.updateCheck(domain.CheckActionNoShow))
	g.POST("/health-checks/bookings/:id/cancel", a.updateCheck(domain.ActionCancel))
	g.GET("/health-checks/bookings/:id/result", a.getCheckResult)
	g.GET("/health-checks/compliance", auth.Require(auth.RoleCaseworker, auth.RoleUnitHead, auth.RoleApprover, auth.RoleAdmin), a.getCompliance)
	g.POST("/health-checks/reminders", auth.Require(auth.RoleAdmin), a.postReminders)
}

// isStaffOf reports whether id works the unit as caseworker, unit head or
// approver.
func isStaffOf(id auth.Identity, unitID string) bool {
	return id.Has(auth.RoleCaseworker, auth.RoleUnitHead, auth.RoleApprover) && id.InUnit(unitID)
}

// ownMember is the member the caller is, for "their own" leave, bookings
// and results: only an officer's identity. A family member's identity
// carries the officer's member id (what their grants and cases are about),
// but the officer's leave, stays and health checks are the officer's own.
func ownMember(id auth.Identity) string {
	if !id.Has(auth.RoleOfficer) {
		return ""
	}
	return id.MemberID
}

// canSeeMember: the member themself and the staff of their unit.
func canSeeMember(id auth.Identity, memberID, unitID string) bool {
	return (ownMember(id) != "" && ownMember(id) == memberID) || isStaffOf(id, unitID)
}

// memberFor loads the member of the :id path parameter if the caller may
// see them; otherwise the answer is 404, as for a member who does not exist.
func (a *API) memberFor(c *gin.Context, param string) (store.MemberRecord, bool) {
	m, err := a.store.Member(c.Request.Context(), c.Param(param))
	if err != nil {
		respond(c, err)
		return store.MemberRecord{}, false
	}
	if !canSeeMember(auth.Current(c), m.ID, m.UnitID) {
		respond(c, notFound())
		return store.MemberRecord{}, false
	}
	return m, true
}

// staffMemberFor is memberFor for staff actions: only the staff of the
// member's unit (an officer acting on their own record gets 404 too).
func (a *API) staffMemberFor(c *gin.Context, param string) (store.MemberRecord, bool) {
	m, err := a.store.Member(c.Request.Context(), c.Param(param))
	if err != nil {
		respond(c, err)
		return store.MemberRecord{}, false
	}
	if !isStaffOf(auth.Current(c), m.UnitID) {
		respond(c, notFound())
		return store.MemberRecord{}, false
	}
	return m, true
}

// yearParam reads a year from the path (or query); a malformed one is a 404
// for a path and a 422 for a query.
func (a *API) yearParam(c *gin.Context, name string, fromQuery bool) (int, bool) {
	s := c.Param(name)
	if fromQuery {
		s = c.Query(name)
		if s == "" {
			return clock.Today(a.clk).Year(), true
		}
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 1900 || y > 9999 {
		if fromQuery {
			httpx.Respond(c, httpx.Invalid(fielderr.Problem{Field: name, Code: "field.range", Args: []any{1900, 9999}}))
		} else {
			httpx.Respond(c, httpx.NotFound())
		}
		return 0, false
	}
	return y, true
}

// version reads If-Match, required on every change of an existing object.
func version(c *gin.Context) (int64, bool) {
	v, err := httpx.RequireIfMatch(c)
	if err != nil {
		httpx.Respond(c, err)
		return 0, false
	}
	return v, true
}

// optionalVersion reads If-Match where its absence means "create".
func optionalVersion(c *gin.Context) (int64, bool) {
	v, ok, err := httpx.IfMatch(c)
	if err != nil {
		httpx.Respond(c, err)
		return 0, false
	}
	if !ok {
		return 0, true
	}
	return v, true
}

func bind(c *gin.Context, dst any) bool {
	if err := httpx.BindJSON(c, dst); err != nil {
		httpx.Respond(c, err)
		return false
	}
	return true
}

// pageOf reads the request's ?limit&after; on a bad one it has answered.
func pageOf(c *gin.Context) (page.Request, bool) {
	p, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		httpx.Respond(c, err)
		return page.Request{}, false
	}
	return p, true
}

// itemsPage answers one page of a list: {"items": [...], "next": cursor}.
func itemsPage[T any](c *gin.Context, list []T, next string) {
	if list == nil {
		list = []T{}
	}
	c.JSON(http.StatusOK, gin.H{"items": list, "next": next})
}

// unitsScope is the units a staff caller may list: their own units.
func unitsScope(id auth.Identity) []string {
	if id.Units == nil {
		return []string{}
	}
	return slices.Clone(id.Units)
}
