package httpapi

import (
	"context"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	adminpages "github.com/anxin-welfare/anxin/services/gateway/internal/pages/admin"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The page areas (services/gateway/internal/pages/…) stand on the web kit;
// this is the kit as the session layer here makes it: the same user,
// language, page frame, access check and form idempotency as every page of
// this package.

// kit is the web kit of this gateway's areas.
func (h *handlers) kit() *webkit.Kit {
	k := &webkit.Kit{Renderer: h.Renderer, Clock: h.Clock, Log: h.Log, Accounts: h.Accounts, Session: kitSession{h}}
	if h.Upstreams != nil {
		k.Routes = h.Upstreams
	}
	return k
}

// adminStores are the gateway's own stores the administration area's
// pages use: the accounts (users, throttles, service accounts), the audit
// trail, the single sign-on issuer, the routed services, and the creation
// of a service account as the API makes it.
func (h *handlers) adminStores() adminpages.Stores {
	s := adminpages.Stores{Accounts: h.Accounts, AuditDB: h.AuditDB,
		CreateServiceAccount: func(ctx context.Context, in adminpages.ServiceAccountForm, by store.Actor) (*domain.ServiceAccount, string, error) {
			return h.createServiceAccount(ctx, serviceAccountRequest{Name: in.Name, Roles: in.Roles, Units: in.Units, ExpiresAt: in.ExpiresAt}, by)
		}}
	if h.OIDC != nil {
		s.OIDCIssuer = h.OIDC.issuer
	}
	if h.Upstreams != nil {
		s.Services = h.Upstreams.Names()
	}
	return s
}

// kitSession is webkit.Session over the handlers.
type kitSession struct{ h *handlers }

func (s kitSession) User(c *gin.Context) *domain.User { return currentUser(c) }

func (s kitSession) Lang(c *gin.Context) i18n.Lang { return lang(c) }

func (s kitSession) Page(c *gin.Context, title string) *web.Page { return s.h.page(c, title) }

func (s kitSession) RequireUser(roles ...domain.Role) gin.HandlerFunc {
	return s.h.requireUser(roles...)
}

func (s kitSession) WithUnitNames(c *gin.Context, p *web.Page) { s.h.withUnitNames(c, p) }

func (s kitSession) CallContext(c *gin.Context, method, service, path string) context.Context {
	return callContext(c, method, service, path)
}
