package httpapi

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"

	notifyapi "github.com/anxin-welfare/anxin/api/client/notify"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
)

// unreadTimeout bounds the header's unread count: a page never waits
// longer for it, and shows no badge when it is not there in time.
const unreadTimeout = 300 * time.Millisecond

// unreadCount is the signed-in person's unread notifications for the
// header: one indexed count in notify, through its generated client.
// ok is false without notify, or when it did not answer in time. The inbox
// itself is the notify area's (pages/notify); the count belongs to every
// page's frame.
func (h *handlers) unreadCount(c *gin.Context) (n int, ok bool) {
	if h.Upstreams == nil || !h.Upstreams.Has("notify") || currentUser(c) == nil {
		return 0, false
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), unreadTimeout)
	defer cancel()
	api, err := h.kit().NotifyWithin(ctx, c)
	var r *notifyapi.CountUnreadResponse
	if err == nil {
		r, err = api.CountUnreadWithResponse(ctx)
	}
	if err == nil && r.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		h.Log.DebugContext(c, "header without unread count", "error", err)
		return 0, false
	}
	return r.JSON200.Count, true
}
