// Package notify is the gateway's notification area: each person's inbox
// and notification preferences (an administrator's form for someone
// else's), the administrators' failed deliveries with a replay for each,
// and the outbound webhooks (subscriptions, their secrets and deliveries).
// Every page calls the notify service through its generated client
// (api/client/notify), signed for the person whose page it is by the web
// kit.
package notify

import (
	"strconv"

	"github.com/gin-gonic/gin"

	notifyapi "github.com/anxin-welfare/anxin/api/client/notify"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
)

// area is the pages' handlers over the kit.
type area struct {
	*webkit.Kit
}

// Register adds the area's pages to g.
func Register(g *gin.RouterGroup, k *webkit.Kit) {
	a := &area{Kit: k}
	a.registerInboxPages(g)
	a.registerWebhookPages(g)
}

// registerInboxPages adds each person's inbox and notification
// preferences, and the admins' view of deliveries that failed.
func (a *area) registerInboxPages(g *gin.RouterGroup) {
	g.GET("/inbox", a.RequireUser(), a.inboxPage)
	g.POST("/inbox/read-all", a.RequireUser(), a.inboxReadAll)
	g.POST("/inbox/:id/read", a.RequireUser(), a.inboxRead)
	g.GET("/account/notifications", a.RequireUser(), a.preferencesPage)
	g.POST("/account/notifications", a.RequireUser(), a.savePreferences)
	g.GET("/admin/users/:id/notifications", a.RequireUser(domain.RoleAdmin), a.preferencesPage)
	g.POST("/admin/users/:id/notifications", a.RequireUser(domain.RoleAdmin), a.savePreferences)
	g.GET("/admin/deliveries", a.RequireUser(domain.RoleAdmin), a.deliveriesPage)
	g.POST("/admin/deliveries/:id/replay", a.RequireUser(domain.RoleAdmin), a.replayDelivery)
}

// client is the notify client of this page's calls, or the page for a
// gateway without notify (and false).
func (a *area) client(c *gin.Context) (*notifyapi.ClientWithResponses, bool) {
	api, err := a.Notify(c)
	if err != nil {
		a.ServiceFailed(c, err)
		return nil, false
	}
	return api, true
}

// orUnexpected is err, or webkit.ErrUnexpected when the call succeeded
// without the answer the document promises.
func orUnexpected(err error) error {
	if err != nil {
		return err
	}
	return webkit.ErrUnexpected
}

// optional is s as an optional query parameter: none when empty.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// formVersion is the version the form was rendered from; a form without
// one never matches (-1).
func formVersion(c *gin.Context) int64 {
	v, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
	if err != nil || v < 1 {
		return -1
	}
	return v
}
