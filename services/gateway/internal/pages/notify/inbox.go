package notify

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	notifyapi "github.com/anxin-welfare/anxin/api/client/notify"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// inboxItem is one notification as the inbox shows it, rendered by notify
// in the reader's language.
type inboxItem struct {
	ID        string
	Kind      string
	Critical  bool
	Title     string
	Body      string
	Link      string
	CreatedAt time.Time
	ReadAt    *time.Time
}

func inboxItemOf(n notifyapi.Notification) inboxItem {
	return inboxItem{ID: n.Id.String(), Kind: string(n.Kind), Critical: n.Critical, Title: n.Title, Body: n.Body, Link: n.Link,
		CreatedAt: n.CreatedAt, ReadAt: n.ReadAt}
}

type inboxData struct {
	Items  []inboxItem
	Unread bool
	Pager  webkit.Pager
}

func (a *area) inboxPage(c *gin.Context) {
	api, ok := a.client(c)
	if !ok {
		return
	}
	params := &notifyapi.ListInboxParams{After: optional(c.Query("after"))}
	unread := c.Query("unread") == "true"
	if unread {
		params.Unread = &unread
	}
	r, err := api.ListInboxWithResponse(c.Request.Context(), params)
	if err == nil && r.JSON200 == nil {
		err = orUnexpected(nil)
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	items := make([]inboxItem, 0, len(r.JSON200.Items))
	for _, n := range r.JSON200.Items {
		items = append(items, inboxItemOf(n))
	}
	p := a.Page(c, "web.inbox.title")
	if c.Query("m") == "read_all" {
		p.Flash = webkit.Flash("web.inbox.all_read")
	}
	p.Data = inboxData{Items: items, Unread: unread, Pager: a.PagerFor(c, "inbox", "after", r.JSON200.Next)}
	a.Render(c, http.StatusOK, "inbox", p)
}

// inboxRead marks one notification read and, with go=1, follows its link.
func (a *area) inboxRead(c *gin.Context) {
	api, ok := a.client(c)
	if !ok {
		return
	}
	if err := webkit.Done(api.MarkRead(c.Request.Context(), c.Param("id"))); err != nil { //nolint:bodyclose // webkit.Done drains and closes it
		a.ServiceFailed(c, err)
		return
	}
	if next := web.SafeNext(c.PostForm("next")); c.PostForm("go") == "1" && next != "/" {
		c.Redirect(http.StatusSeeOther, next)
		return
	}
	c.Redirect(http.StatusSeeOther, "/inbox")
}

func (a *area) inboxReadAll(c *gin.Context) {
	api, ok := a.client(c)
	if !ok {
		return
	}
	if err := webkit.Done(api.MarkAllRead(c.Request.Context())); err != nil { //nolint:bodyclose // webkit.Done drains and closes it
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/inbox?m=read_all")
}
