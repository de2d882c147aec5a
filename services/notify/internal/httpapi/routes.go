// Package httpapi is the notify service's JSON API: a person's inbox and
// preferences, and the admin's view of failed deliveries with replay.
package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/reqctx"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
	"github.com/anxin-welfare/anxin/services/notify/internal/store"
	"github.com/anxin-welfare/anxin/services/notify/internal/templates"
)

// API holds the handlers' dependencies.
type API struct {
	Store *store.Store
	Clock clock.Clock
	// Available reports which delivery channels this deployment has.
	Available func(domain.Channel) bool
}

// Register adds the routes to g (/api/v1/notify).
func (a *API) Register(g *gin.RouterGroup) {
	g.GET("/inbox", a.inbox)
	g.GET("/inbox/unread", a.unread)
	g.POST("/inbox/read-all", a.readAll)
	g.POST("/inbox/:id/read", a.read)
	g.GET("/preferences", a.preferences)
	g.PUT("/preferences", a.savePreferences)
	// Admins set a person's contact details and choices for them (someone
	// without e-mail at a desk, a new account).
	g.GET("/admin/users/:user_id/preferences", auth.Require(auth.RoleAdmin), a.preferences)
	g.PUT("/admin/users/:user_id/preferences", auth.Require(auth.RoleAdmin), a.savePreferences)
	g.GET("/admin/deliveries", auth.Require(auth.RoleAdmin), a.failed)
	g.POST("/admin/deliveries/:id/replay", auth.Require(auth.RoleAdmin), a.replay)
}

// person is the caller's user id; a service identity has no inbox. Under
// /admin/users/:user_id (admins only) it is that person.
func person(c *gin.Context) (string, bool) {
	if uid := c.Param("user_id"); uid != "" {
		return uid, true
	}
	id := auth.Current(c)
	if id.UserID == "" || id.Has(auth.RoleService) {
		httpx.Respond(c, httpx.Forbidden())
		return "", false
	}
	return id.UserID, true
}

type notificationView struct {
	ID        uuid.UUID  `json:"id"`
	Kind      string     `json:"kind"`
	Critical  bool       `json:"critical"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

func (a *API) inbox(c *gin.Context) {
	uid, ok := person(c)
	if !ok {
		return
	}
	pg, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	unread := false
	switch c.Query("unread") {
	case "", "false":
	case "true":
		unread = true
	default:
		httpx.Respond(c, httpx.Invalid(fielderr.Problem{Field: "unread", Code: "field.invalid"}))
		return
	}
	rows, next, err := a.Store.Inbox(c.Request.Context(), uid, unread, pg)
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	lang := httpx.Lang(c)
	items := make([]notificationView, 0, len(rows))
	for _, n := range rows {
		t := templates.Render(lang, n.Kind, n.Critical, n.Args(), n.Link)
		items = append(items, notificationView{ID: n.ID, Kind: string(n.Kind), Critical: n.Critical, Title: t.Title,
			Body: t.Body, Link: n.Link, CreatedAt: n.CreatedAt, ReadAt: n.ReadAt})
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next": next})
}

func (a *API) unread(c *gin.Context) {
	uid, ok := person(c)
	if !ok {
		return
	}
	n, err := a.Store.Unread(c.Request.Context(), uid)
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"count": n})
}

func (a *API) read(c *gin.Context) {
	uid, ok := person(c)
	if !ok {
		return
	}
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		httpx.Respond(c, httpx.NotFound())
		return
	}
	if err := a.Store.MarkRead(c.Request.Context(), uid, id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			err = httpx.NotFound()
		}
		httpx.Respond(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (a *API) readAll(c *gin.Context) {
	uid, ok := person(c)
	if !ok {
		return
	}
	n, err := a.Store.MarkAllRead(c.Request.Context(), uid)
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"marked": n})
}

// preferencesBody is the preferences as the API reads and writes them.
type preferencesBody struct {
	Email      string                      `json:"email"`
	Mobile     string                      `json:"mobile"`
	Channels   map[string][]domain.Channel `json:"channels"`
	QuietStart string                      `json:"quiet_start"`
	QuietEnd   string                      `json:"quiet_end"`
}

type preferencesView struct {
	preferencesBody
	Version int64 `json:"version"`
	// Kinds and AvailableChannels let a form be drawn: every kind, and the
	// channels this deployment can deliver on.
	Kinds             []string `json:"kinds"`
	AvailableChannels []string `json:"available_channels"`
}

func hhmm(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

func parseHHMM(s string) (int, bool) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

func (a *API) view(p domain.Preferences) preferencesView {
	v := preferencesView{preferencesBody: preferencesBody{Email: p.Email, Mobile: p.Mobile, Channels: map[string][]domain.Channel{}},
		Version: p.Version, Kinds: []string{}, AvailableChannels: []string{}}
	for _, k := range domain.Kinds() {
		v.Kinds = append(v.Kinds, string(k))
		if cs, ok := p.Channels[k]; ok {
			v.Channels[string(k)] = cs
		}
	}
	for _, ch := range domain.DeliveryChannels() {
		if a.Available(ch) {
			v.AvailableChannels = append(v.AvailableChannels, string(ch))
		}
	}
	if p.Quiet != nil {
		v.QuietStart, v.QuietEnd = hhmm(p.Quiet.Start), hhmm(p.Quiet.End)
	}
	return v
}

func (a *API) preferences(c *gin.Context) {
	uid, ok := person(c)
	if !ok {
		return
	}
	p, err := a.Store.Preferences(c.Request.Context(), uid)
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	httpx.SetETag(c, p.Version)
	c.JSON(http.StatusOK, a.view(p))
}

func (a *API) savePreferences(c *gin.Context) {
	uid, ok := person(c)
	if !ok {
		return
	}
	// No If-Match (or "0") creates the preferences, 409 if they exist; the
	// current version replaces them.
	version, _, err := httpx.IfMatch(c)
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	var body preferencesBody
	if err := httpx.BindJSON(c, &body); err != nil {
		httpx.Respond(c, err)
		return
	}
	p, fields := fromBody(body)
	if len(fields) > 0 {
		httpx.Respond(c, httpx.Invalid(fields...))
		return
	}
	v, err := a.Store.SavePreferences(c.Request.Context(), uid, version, p)
	if err != nil {
		if errors.Is(err, store.ErrVersion) {
			err = httpx.VersionMismatch()
		}
		httpx.Respond(c, err)
		return
	}
	p.Version = v
	httpx.SetETag(c, v)
	c.JSON(http.StatusOK, a.view(p))
}

// fromBody checks the body and builds preferences, naming every bad field.
func fromBody(b preferencesBody) (domain.Preferences, []fielderr.Problem) {
	var fields []fielderr.Problem
	p := domain.Preferences{Email: b.Email, Mobile: b.Mobile}
	if len(b.Channels) > 0 {
		p.Channels = map[domain.Kind][]domain.Channel{}
		for k, cs := range b.Channels {
			if cs == nil {
				cs = []domain.Channel{}
			}
			p.Channels[domain.Kind(k)] = cs
		}
	}
	switch {
	case b.QuietStart == "" && b.QuietEnd == "":
	default:
		s, okS := parseHHMM(b.QuietStart)
		e, okE := parseHHMM(b.QuietEnd)
		if !okS {
			fields = append(fields, fielderr.Problem{Field: "quiet_start", Code: "notify.invalid_time"})
		}
		if !okE {
			fields = append(fields, fielderr.Problem{Field: "quiet_end", Code: "notify.invalid_time"})
		}
		p.Quiet = &domain.QuietHours{Start: s, End: e}
	}
	for _, fe := range p.Validate() {
		if fe.Field == "quiet_start" || fe.Field == "quiet_end" {
			continue // reported above from the text
		}
		fields = append(fields, fe)
	}
	return p, fields
}

type deliveryView struct {
	ID        uuid.UUID `json:"id"`
	EventID   uuid.UUID `json:"event_id"`
	UserID    string    `json:"user_id"`
	Kind      string    `json:"kind"`
	Title     string    `json:"title"`
	Channel   string    `json:"channel"`
	State     string    `json:"state"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error"`
	CreatedAt time.Time `json:"created_at"`
	Version   int64     `json:"version"`
}

func deliveryOf(c *gin.Context, d store.Delivery) deliveryView {
	t := templates.Render(httpx.Lang(c), d.Kind, d.Critical, d.Args(), d.Link)
	return deliveryView{ID: d.ID, EventID: d.EventID, UserID: d.UserID, Kind: string(d.Kind), Title: t.Title,
		Channel: string(d.Channel), State: string(d.State), Attempts: d.Attempts, LastError: d.LastError,
		CreatedAt: d.CreatedAt, Version: d.Version}
}

func (a *API) failed(c *gin.Context) {
	pg, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	rows, next, err := a.Store.Failed(c.Request.Context(), pg)
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	items := make([]deliveryView, 0, len(rows))
	for _, d := range rows {
		items = append(items, deliveryOf(c, d))
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next": next})
}

func (a *API) replay(c *gin.Context) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		httpx.Respond(c, httpx.NotFound())
		return
	}
	d, err := a.Store.Replay(c.Request.Context(), id, auth.Current(c).UserID, reqctx.RequestID(c.Request.Context()))
	switch {
	case errors.Is(err, store.ErrNotFound):
		err = httpx.NotFound()
	case errors.Is(err, store.ErrNotReplayable):
		err = httpx.NewError(http.StatusConflict, "notify_not_replayable")
	}
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	c.JSON(http.StatusOK, deliveryOf(c, d))
}
