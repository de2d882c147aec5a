package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// notifyAPI is the notify service's API prefix.
const notifyAPI = "/api/v1/notify"

// unreadTimeout bounds the header's unread count: a page never waits
// longer for it, and shows no badge when it is not there in time.
const unreadTimeout = 300 * time.Millisecond

// unreadCount is the signed-in person's unread notifications for the
// header: one indexed count in notify. ok is false without notify, or when
// it did not answer in time. The inbox itself is the notify area's
// (pages/notify); the count belongs to every page's frame.
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
