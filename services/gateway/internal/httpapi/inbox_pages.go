package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// notifyAPI is the notify service's API prefix.
const notifyAPI = "/api/v1/notify"

// registerInboxPages adds each person's inbox and notification
// preferences, and the admins' view of deliveries that failed.
func (h *handlers) registerInboxPages(g *gin.RouterGroup) {
	g.GET("/inbox", h.requireUser(), h.inboxPage)
	g.POST("/inbox/read-all", h.requireUser(), h.inboxReadAll)
	g.POST("/inbox/:id/read", h.requireUser(), h.inboxRead)
	g.GET("/account/notifications", h.requireUser(), h.notifyPreferencesPage)
	g.POST("/account/notifications", h.requireUser(), h.saveNotifyPreferences)
	g.GET("/admin/users/:id/notifications", h.requireUser(domain.RoleAdmin), h.notifyPreferencesPage)
	g.POST("/admin/users/:id/notifications", h.requireUser(domain.RoleAdmin), h.saveNotifyPreferences)
	g.GET("/admin/deliveries", h.requireUser(domain.RoleAdmin), h.deliveriesPage)
	g.POST("/admin/deliveries/:id/replay", h.requireUser(domain.RoleAdmin), h.replayDelivery)
}

// unreadTimeout bounds the header's unread count: a page never waits
// longer for it, and shows no badge when it is not there in time.
const unreadTimeout = 300 * time.Millisecond

// unreadCount is the signed-in person's unread notifications for the
// header: one indexed count in notify. ok is false without notify, or when
// it did not answer in time.
func (h *handlers) unreadCount(c *gin.Context) (n int, ok bool) {
	if h.Upstreams == nil || !h.Upstreams.Has("notify") || currentUser(c) == nil {
		return 0, false
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), unreadTimeout)
	defer cancel()
	var out struct {
		Count int `json:"count"`
	}
	if _, err := h.Upstreams.Call(ctx, currentUser(c), lang(c), http.MethodGet, "notify", notifyAPI+"/inbox/unread", 0, nil, &out); err != nil {
		h.Log.DebugContext(c, "header without unread count", "error", err)
		return 0, false
	}
	return out.Count, true
}

// inboxItem is one notification as notify renders it in the reader's
// language.
type inboxItem struct {
	ID        string     `json:"id"`
	Kind      string     `json:"kind"`
	Critical  bool       `json:"critical"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

type inboxData struct {
	Items  []inboxItem
	Unread bool
	Pager  pager
}

func (h *handlers) inboxPage(c *gin.Context) {
	q := url.Values{}
	if a := c.Query("after"); a != "" {
		q.Set("after", a)
	}
	unread := c.Query("unread") == "true"
	if unread {
		q.Set("unread", "true")
	}
	var out struct {
		Items []inboxItem `json:"items"`
		Next  string      `json:"next"`
	}
	path := notifyAPI + "/inbox"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	if _, err := h.call(c, http.MethodGet, "notify", path, 0, nil, &out); err != nil {
		h.serviceFailed(c, err)
		return
	}
	p := h.page(c, "web.inbox.title")
	switch c.Query("m") {
	case "read_all":
		m := web.Msg("web.inbox.all_read")
		p.Flash = &m
	}
	p.Data = inboxData{Items: out.Items, Unread: unread, Pager: pagerFor(c, "inbox", "after", out.Next)}
	h.render(c, http.StatusOK, "inbox", p)
}

// inboxRead marks one notification read and, with go=1, follows its link.
func (h *handlers) inboxRead(c *gin.Context) {
	id := c.Param("id")
	if _, err := h.call(c, http.MethodPost, "notify", notifyAPI+"/inbox/"+url.PathEscape(id)+"/read", 0, nil, nil); err != nil {
		h.serviceFailed(c, err)
		return
	}
	if next := web.SafeNext(c.PostForm("next")); c.PostForm("go") == "1" && next != "/" {
		c.Redirect(http.StatusSeeOther, next)
		return
	}
	c.Redirect(http.StatusSeeOther, "/inbox")
}

func (h *handlers) inboxReadAll(c *gin.Context) {
	if _, err := h.call(c, http.MethodPost, "notify", notifyAPI+"/inbox/read-all", 0, nil, nil); err != nil {
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/inbox?m=read_all")
}
