// Package admin is the gateway's administration area: the users (an
// administrator changes, an auditor reads), the sign-in throttles, the
// service accounts (machine clients), every service's audit trail with
// search, and the services' dead letters with replay. The users, throttles,
// service accounts and the gateway's own trail are the gateway's stores,
// handed to Register; every other service is called through its generated
// client (api/client/<service>), signed for the person whose page it is by
// the web kit.
package admin

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/reqctx"
	"github.com/anxin-welfare/anxin/services/gateway/internal/accounts"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
)

// Stores are the gateway's own stores and rules the area's pages use.
type Stores struct {
	// Accounts keeps the users, sign-in throttles and service accounts.
	Accounts *accounts.Service
	// AuditDB reads the gateway's own audit trail.
	AuditDB sqlx.QueryerContext
	// OIDCIssuer is the single sign-on provider's issuer; "" when none is
	// configured (the user page then offers no linking).
	OIDCIssuer string
	// Services are the routed services, whose trails and dead letters the
	// pages read.
	Services []string
	// CreateServiceAccount creates a service account from the creation
	// form as typed (name, roles, units, expiry), as the API does, and
	// returns it with its token; every problem is a *fielderr.Invalid.
	CreateServiceAccount func(ctx context.Context, in ServiceAccountForm, by store.Actor) (*domain.ServiceAccount, string, error)
}

// ServiceAccountForm is the creation form of a service account as typed.
type ServiceAccountForm struct {
	Name      string
	Roles     []domain.Role
	Units     []string
	ExpiresAt string
}

// area is the pages' handlers over the kit and the stores.
type area struct {
	*webkit.Kit
	s Stores
}

// Register adds the area's pages to g.
func Register(g *gin.RouterGroup, k *webkit.Kit, s Stores) {
	a := &area{Kit: k, s: s}
	a.registerUserPages(g)
	a.registerAuditPages(g)
	a.registerThrottlePages(g)
	a.registerServiceAccountPages(g)
}

// actor is the signed-in user as the author of a change, for audit rows.
func (a *area) actor(c *gin.Context) store.Actor {
	who := store.Actor{RequestID: reqctx.RequestID(c.Request.Context())}
	if u := a.User(c); u != nil {
		who.UserID = u.ID
	}
	return who
}

// formVersion is the version the form was rendered from.
func formVersion(c *gin.Context) int64 {
	v, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
	if err != nil || v < 1 {
		return -1 // never matches: a form without a version is stale
	}
	return v
}

// splitUnits reads the unit ids of a form: one per ticked checkbox, or
// several separated by commas in the text field shown when the registry
// cannot name the units.
func splitUnits(values []string) []string {
	var out []string
	for _, v := range values {
		for _, id := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '，' || r == ' ' }) {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

// unitChoice is one unit of a unit picker.
type unitChoice struct {
	ID      string
	Label   string
	Checked bool
}

// roleChoice is one role checkbox.
type roleChoice struct {
	Role    domain.Role
	Checked bool
}
