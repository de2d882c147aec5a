// Package httpapi is the gateway's HTTP face: the server-rendered pages
// (sign-in, the language switch, and the pages of each service), the
// gateway's own JSON API, and the reverse proxy that forwards
// /api/v1/<service>/… to the services with a signed identity token.
package httpapi

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/idem"
	"github.com/anxin-welfare/anxin/services/gateway/internal/accounts"
	memberpages "github.com/anxin-welfare/anxin/services/gateway/internal/pages/members"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Deps is what the handlers need, wired by the composition root.
type Deps struct {
	Accounts *accounts.Service
	Renderer *web.Renderer
	Clock    clock.Clock
	Log      *slog.Logger
	// Secure marks cookies Secure and gives the session cookie the
	// __Host- prefix; false only in development over plain HTTP.
	Secure bool
	// TrustedOrigins are extra origins allowed to POST (for a deployment
	// behind a proxy that rewrites Host); normally empty.
	TrustedOrigins []string
	// Upstreams routes /api/v1/<name>/… and the pages' API calls.
	Upstreams *Upstreams
	// OIDC is the single sign-on provider; nil when not configured.
	OIDC *OIDC
	// AuditDB reads the gateway's own audit trail for the audit page.
	AuditDB sqlx.QueryerContext
	// Idem keeps the Idempotency-Keys of the gateway's own JSON API; nil
	// for none.
	Idem *idem.Store
}

// Register adds every gateway route to e, an engine made by httpx.New.
func Register(e *gin.Engine, d Deps) error {
	h, err := newHandlers(d)
	if err != nil {
		return err
	}
	e.Use(h.securityHeaders, h.crossOrigin)
	e.GET("/static/*file", gin.WrapH(web.StaticHandler()))
	e.GET("/favicon.ico", gin.WrapH(web.FaviconHandler()))

	pages := e.Group("/", h.loadSession, h.formInput, h.formToken)
	pages.GET("/", h.home)
	pages.GET("/signin", h.signInPage)
	pages.POST("/signin", h.signIn)
	pages.POST("/signout", h.signOut)
	pages.POST("/lang", h.setLang)
	pages.GET("/signin/oidc", h.requireOIDC, h.oidcStart)
	pages.GET("/signin/oidc/callback", h.requireOIDC, h.oidcCallback)
	// Upload forms raise the body cap before anything reads the body (the
	// form-token check parses the form).
	uploads := e.Group("/", httpx.MaxBody(maxUpload), h.loadSession, h.formInput, h.formToken)
	documents := e.Group("/", httpx.MaxBody(maxDocumentForm), h.loadSession, h.formInput, h.formToken)
	h.registerPages(pages, uploads, documents)

	api := e.Group("/api/v1", h.authenticateAPI, h.apiToken)
	h.registerGatewayAPI(api.Group("/gateway"))
	if d.Upstreams != nil {
		api.Any("/:service/*path", h.requireAPICaller, h.proxy)
	}
	return nil
}

// maxUpload caps the body of an upload form: a roster (the members area's
// limit), base64 in a confirm form, and the form around it.
const maxUpload = 2*memberpages.MaxRoster + 1<<20

// handlers holds Deps and what is derived from them once.
type handlers struct {
	Deps
	cop *http.CrossOriginProtection
}

func newHandlers(d Deps) (*handlers, error) {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Clock == nil {
		d.Clock = clock.System{}
	}
	cop := http.NewCrossOriginProtection()
	for _, o := range d.TrustedOrigins {
		if err := cop.AddTrustedOrigin(o); err != nil {
			return nil, err
		}
	}
	return &handlers{Deps: d, cop: cop}, nil
}
