// Package httpapi is the injury service's JSON API under /api/v1/injury:
// gin handlers that decode, check access, call the domain through the store
// and encode. Every error goes through toProblem.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/pdfdoc"
	"github.com/anxin-welfare/anxin/pkg/reqctx"
	"github.com/anxin-welfare/anxin/services/injury/internal/commands"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

// Identify returns the caller of a request as the domain sees them; false
// means no verified identity (the auth middleware has already answered 401
// in that case, so this is a safety net).
type Identify func(c *gin.Context) (domain.Actor, bool)

// Handler serves the API.
type Handler struct {
	Store    *store.Store
	Clock    clock.Clock
	Identify Identify
	// Opener opens cases; the service batches concurrent openings
	// (store.BatchOpener). Nil opens through Store directly.
	Opener Opener
	// CoverageChanged is called after cases open, so the coverage worker
	// asks enrollment at once. May be nil.
	CoverageChanged func()
	Log             *slog.Logger
	// Fonts is the font of the printed documents.
	Fonts *pdfdoc.Fonts
}

// Opener opens the cases of one request (store.Store, store.BatchOpener).
type Opener = commands.Opener

// commands runs the service's commands on cases: the domain decides, the
// store saves the change with its events.
func (h *Handler) commands() *commands.Service { return commands.New(h.Store, h.Opener) }

// Prefix is where the API lives.
const Prefix = "/api/v1/injury"

// Register adds the routes to g, the group at Prefix behind the middleware
// that verifies the identity token.
func (h *Handler) Register(g gin.IRouter) {
	g.POST("/cases", h.openCase)
	g.GET("/cases", h.listCases)
	g.POST("/incidents", h.openIncident)
	g.GET("/incidents/:id/cases", h.incidentCases)
	g.GET("/cases/:id", h.getCase)
	g.POST("/cases/:id/actions/:action", h.act)
	g.GET("/cases/:id/timeline", h.timeline)
	g.POST("/cases/:id/comments", h.comment)
	g.GET("/cases/:id/documents", h.listDocuments)
	g.POST("/cases/:id/documents", httpx.MaxBody(domain.MaxDocumentBytes), h.uploadDocument)
	g.GET("/cases/:id/documents/:doc/content", h.downloadDocument)
	g.GET("/cases/:id/calculations", h.listCalculations)
	g.POST("/cases/:id/calculations", h.calculate)
	g.POST("/calculations/preview", h.previewCalculation)
	g.GET("/parameters", h.listParameters)
	g.PUT("/parameters/:kind/:from", h.setParameter)
	h.registerPrints(g)
	g.GET("/reports/overview", h.overviewReport)
}

// actor returns the caller or answers 401.
func (h *Handler) actor(c *gin.Context) (domain.Actor, bool) {
	a, ok := h.Identify(c)
	if !ok || a.UserID == "" {
		httpx.Respond(c, httpx.Unauthenticated())
		return domain.Actor{}, false
	}
	return a, true
}

func (h *Handler) meta(c *gin.Context, a domain.Actor) store.Meta {
	return store.Meta{Actor: a, RequestID: reqctx.RequestID(c.Request.Context())}
}

// fail answers err as a problem.
func fail(c *gin.Context, err error) { httpx.Respond(c, toProblem(err)) }

// loadVisible loads a case and checks the caller may see at least min of
// it; anything less answers 404.
func (h *Handler) loadVisible(c *gin.Context, who domain.Actor, min domain.Access) (*domain.Case, domain.Access, bool) {
	cs, err := h.Store.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		fail(c, err)
		return nil, domain.AccessNone, false
	}
	access := cs.AccessFor(who)
	if access < min {
		fail(c, errNoAccess)
		return nil, access, false
	}
	return cs, access, true
}

func (h *Handler) writeCase(c *gin.Context, status int, cs *domain.Case, who domain.Actor) {
	httpx.SetETag(c, cs.Version)
	c.JSON(status, h.view(c.Request.Context(), cs, who))
}

// view is the case as who may see it, with the injured member's name from
// the member projection.
func (h *Handler) view(ctx context.Context, cs *domain.Case, who domain.Actor) caseView {
	v := viewCase(cs, who, h.Clock.Now())
	if cs.MemberID != "" {
		v.MemberName = h.projectedMember(ctx, cs.MemberID).Name
	}
	return v
}

func (h *Handler) getCase(c *gin.Context) {
	who, ok := h.actor(c)
	if !ok {
		return
	}
	cs, _, ok := h.loadVisible(c, who, domain.AccessReporter)
	if !ok {
		return
	}
	if err := h.Store.AuditRead(c.Request.Context(), h.meta(c, who), "case", cs.ID); err != nil {
		fail(c, err)
		return
	}
	h.writeCase(c, http.StatusOK, cs, who)
}

// IdentifyFromToken is the Identify of the running service: the identity
// auth.Middleware verified, as the domain's actor.
func IdentifyFromToken(c *gin.Context) (domain.Actor, bool) {
	id := auth.Current(c)
	if id.IsZero() {
		return domain.Actor{}, false
	}
	return domain.Actor{UserID: id.UserID, MemberID: id.MemberID, Name: id.Name, Units: id.Units, Roles: slices.Clone(id.Roles)}, true
}
