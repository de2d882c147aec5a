// Package httpapi is the enrollment service's HTTP API under
// /api/v1/enrollment, as described by api/openapi/enrollment.yaml: gin
// handlers that decode, call the store (which runs the domain in a
// transaction) and encode, answering errors as problem+json.
package httpapi

import (
	"log/slog"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/commands"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/roster"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/store"
)

// Base is the path prefix of every route.
const Base = "/api/v1/enrollment"

// Handler serves the API.
type Handler struct {
	store *store.Store
	// cmd runs the commands that change members, enrollments and the
	// roster: the domain decides, the store saves.
	cmd    *commands.Service
	log    *slog.Logger
	limits roster.Limits
}

// New returns the handlers over st. limits bound roster uploads (zero
// values take roster.DefaultLimits).
func New(st *store.Store, log *slog.Logger, limits roster.Limits) *Handler {
	if limits.MaxBytes <= 0 {
		limits.MaxBytes = roster.DefaultLimits.MaxBytes
	}
	return &Handler{store: st, cmd: commands.New(st), log: log, limits: limits}
}

// Register mounts every route on g, the service's /api/v1/enrollment group
// that already verifies identity tokens (app.Base.API).
func (h *Handler) Register(g gin.IRouter) {
	staff := auth.Require(auth.RoleCaseworker, auth.RoleAdmin)
	readers := auth.Require(auth.RoleCaseworker, auth.RoleAdmin, auth.RoleOfficer, auth.RoleService)
	admin := auth.Require(auth.RoleAdmin)
	// The unit tree is the county's organisation chart, not personal data:
	// every staff role reads it, so pages name units instead of showing ids.
	unitReaders := auth.Require(auth.RoleCaseworker, auth.RoleAdmin, auth.RoleOfficer, auth.RoleService,
		auth.RoleUnitHead, auth.RoleApprover, auth.RoleFinance, auth.RoleAuditor, auth.RoleFamily, auth.RoleLeader)

	g.GET("/units", unitReaders, h.listUnits)
	g.POST("/units", admin, h.createUnit)
	g.GET("/units/:id", unitReaders, h.getUnit)
	g.PUT("/units/:id", admin, h.updateUnit)

	g.GET("/members", readers, h.listMembers)
	g.POST("/members", staff, h.createMember)
	g.GET("/members/:id", readers, h.getMember)
	g.PUT("/members/:id", staff, h.replaceMember)
	g.GET("/members/:id/id-number", readers, h.revealIDNumber)
	g.POST("/members/:id/status", staff, h.changeStatus)
	g.POST("/members/:id/death", staff, h.recordDeath)
	g.POST("/members/:id/honours", staff, h.addHonour)
	g.GET("/members/:id/dependants", readers, h.listDependants)
	g.POST("/members/:id/dependants", staff, h.addDependant)
	g.PUT("/members/:id/dependants/:dependant_id", staff, h.replaceDependant)
	g.DELETE("/members/:id/dependants/:dependant_id", staff, h.removeDependant)
	g.PUT("/members/:id/beneficiaries/:scheme", staff, h.setBeneficiaries)
	g.GET("/members/:id/history", readers, h.history)
	g.GET("/members/:id/enrollments", readers, h.memberEnrollments)
	g.GET("/members/:id/coverage", readers, h.coverage)

	g.POST("/roster-imports", staff, httpx.MaxBody(h.limits.MaxBytes), h.importRoster)

	g.GET("/plans", readers, h.listPlans)
	g.POST("/plans", admin, h.createPlan)
	g.GET("/plans/:id", readers, h.getPlan)
	g.POST("/plans/:id/bulk-enrollments", staff, h.bulkEnroll)
	g.POST("/plans/:id/renewals", staff, h.renew)

	g.POST("/enrollments", staff, h.enroll)
	g.GET("/enrollments/:id", readers, h.getEnrollment)
	g.GET("/enrollments/:id/events", readers, h.enrollmentFacts)
	g.POST("/enrollments/:id/close", staff, h.closeEnrollment)

	g.GET("/premium-summary", auth.Require(auth.RoleCaseworker, auth.RoleAdmin, auth.RoleFinance), h.premiumSummary)
}

func itoa(i int) string { return strconv.Itoa(i) }

// fail answers err through the service's error mapper.
func fail(c *gin.Context, err error) { httpx.Respond(c, problem(err)) }
