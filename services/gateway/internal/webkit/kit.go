// Package webkit is what every page area of the gateway needs and no area
// owns: the signed-in user and the page's language, the page's frame and
// its rendering, the error pages, a service's refusal put on a form or
// shown as a page, pagers and confirmation cards, and the generated
// clients (api/client/<service>) a page calls the services with, signed for
// the person whose page it is.
//
// An area (services/gateway/internal/pages/<area>) registers its routes on
// the gateway's router with a Kit; it never builds a service call by hand
// (internal/guards TestGatewayAreasUseGeneratedClients keeps it so).
package webkit

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/accounts"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Session is what the gateway's session layer (httpapi) knows about the
// request a page answers: who is signed in, in which language the page is
// shown, the page's frame (title, navigation, form token, unread count),
// the access check, the unit names, and the context of a call a form makes
// (with the Idempotency-Key of its submission token).
type Session interface {
	// User is the signed-in user, or nil.
	User(c *gin.Context) *domain.User
	// Lang is the language of the page.
	Lang(c *gin.Context) i18n.Lang
	// Page starts the view model of a page titled by the catalogue key title.
	Page(c *gin.Context, title string) *web.Page
	// RequireUser lets users holding any of roles through (any user when
	// none), sends a visitor to sign in and shows others the 403 page.
	RequireUser(roles ...domain.Role) gin.HandlerFunc
	// WithUnitNames fills p.UnitNames, or leaves it empty when the unit
	// list cannot be read.
	WithUnitNames(c *gin.Context, p *web.Page)
	// CallContext is the context of a page's call to service: for a POST
	// answering a form with a submission token, it carries the
	// Idempotency-Key of that call.
	CallContext(c *gin.Context, method, service, path string) context.Context
}

// Kit is handed to every area when the router registers it.
type Kit struct {
	Renderer *web.Renderer
	Clock    clock.Clock
	Log      *slog.Logger
	// Accounts names the users who decided a step (leave's decisions);
	// nil leaves the roles instead.
	Accounts *accounts.Service
	Session  Session
	// Routes reaches the services; nil routes none.
	Routes Routes
}

// User is the signed-in user, or nil.
func (k *Kit) User(c *gin.Context) *domain.User { return k.Session.User(c) }

// Lang is the language of the page.
func (k *Kit) Lang(c *gin.Context) i18n.Lang { return k.Session.Lang(c) }

// Page starts the view model of a page titled by the catalogue key title.
func (k *Kit) Page(c *gin.Context, title string) *web.Page { return k.Session.Page(c, title) }

// RequireUser is the access check of a route: users holding any of roles.
func (k *Kit) RequireUser(roles ...domain.Role) gin.HandlerFunc {
	return k.Session.RequireUser(roles...)
}

// WithUnitNames fills p.UnitNames, so pages show unit names, not ids.
func (k *Kit) WithUnitNames(c *gin.Context, p *web.Page) { k.Session.WithUnitNames(c, p) }

// Render writes a page, or a plain 500 when it cannot be rendered, and
// stops the handler chain.
func (k *Kit) Render(c *gin.Context, status int, name string, p *web.Page) {
	if err := k.Renderer.Render(c.Writer, status, name, p); err != nil {
		k.Log.ErrorContext(c, "render page", "page", name, "error", err)
		if !c.Writer.Written() {
			c.String(http.StatusInternalServerError, "internal error")
		}
	}
	c.Abort()
}

// ErrorPage renders the error page with status and a message key.
func (k *Kit) ErrorPage(c *gin.Context, status int, msgKey string) {
	titleKey := "web.error.title.500"
	switch status {
	case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusServiceUnavailable:
		titleKey = "web.error.title." + strconv.Itoa(status)
	}
	p := k.Page(c, titleKey)
	p.Data = struct{ Message web.Message }{web.Msg(msgKey)}
	k.Render(c, status, "error", p)
}

// Fail logs an unexpected error and shows the 500 page.
func (k *Kit) Fail(c *gin.Context, err error) {
	k.Log.ErrorContext(c, "request failed", "path", c.FullPath(), "error", err)
	k.ErrorPage(c, http.StatusInternalServerError, "web.error.500")
}
