package httpapi

import (
	"errors"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/reqctx"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
	"github.com/anxin-welfare/anxin/services/notify/internal/store"
	"github.com/anxin-welfare/anxin/services/notify/internal/webhooks"
)

// Webhooks is the admins' API of outbound webhook subscriptions: create
// (the signing secret shown once), change, rotate the secret, delete, and
// the deliveries with their attempts and replay. Every route is the
// admin's; every change is audited.
type Webhooks struct {
	Store *store.Webhooks
	// Check resolves a URL's host and refuses private addresses.
	Check webhooks.Checker
	// Kinds are the event types a subscription may choose.
	Kinds []string
}

// Register adds the routes to g (/api/v1/notify).
func (a *Webhooks) Register(g *gin.RouterGroup) {
	admin := auth.Require(auth.RoleAdmin)
	g.GET("/admin/webhook-kinds", admin, a.kinds)
	g.GET("/admin/webhooks", admin, a.list)
	g.POST("/admin/webhooks", admin, a.create)
	g.GET("/admin/webhooks/:id", admin, a.get)
	g.PUT("/admin/webhooks/:id", admin, a.update)
	g.DELETE("/admin/webhooks/:id", admin, a.delete)
	g.POST("/admin/webhooks/:id/rotate-secret", admin, a.rotate)
	g.GET("/admin/webhooks/:id/deliveries", admin, a.deliveries)
	g.POST("/admin/webhooks/:id/replay-dead", admin, a.replayDead)
	g.GET("/admin/webhook-deliveries/:id", admin, a.delivery)
	g.POST("/admin/webhook-deliveries/:id/replay", admin, a.replay)
}

type webhookBody struct {
	Name   string   `json:"name"`
	URL    string   `json:"url"`
	Kinds  []string `json:"kinds"`
	Active *bool    `json:"active"`
}

type webhookView struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	URL       string    `json:"url"`
	Kinds     []string  `json:"kinds"`
	Active    bool      `json:"active"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// PreviousSecretUntil is when the rotated-out secret stops signing.
	PreviousSecretUntil *time.Time `json:"previous_secret_until"`
	Version             int64      `json:"version"`
}

// webhookWithSecret is the answer of a creation or a rotation: the only
// time the secret is shown.
type webhookWithSecret struct {
	webhookView
	Secret string `json:"secret"`
}

func webhookOf(s domain.WebhookSubscription) webhookView {
	kinds := s.Kinds
	if kinds == nil {
		kinds = []string{}
	}
	return webhookView{ID: s.ID, Name: s.Name, URL: s.URL, Kinds: kinds, Active: s.Active, CreatedBy: s.CreatedBy,
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, PreviousSecretUntil: s.PreviousUntil, Version: s.Version}
}

func (a *Webhooks) kinds(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"kinds": a.Kinds})
}

func (a *Webhooks) list(c *gin.Context) {
	pr, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	rows, next, err := a.Store.Subscriptions(c.Request.Context(), pr)
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	items := make([]webhookView, 0, len(rows))
	for _, s := range rows {
		items = append(items, webhookOf(s))
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next": next})
}

// input reads and checks a subscription's body, naming every bad field;
// ok is false when the answer was sent.
func (a *Webhooks) input(c *gin.Context) (domain.WebhookInput, bool) {
	var b webhookBody
	if err := httpx.BindJSON(c, &b); err != nil {
		httpx.Respond(c, err)
		return domain.WebhookInput{}, false
	}
	in := domain.WebhookInput{Name: strings.TrimSpace(b.Name), URL: strings.TrimSpace(b.URL), Kinds: b.Kinds, Active: b.Active == nil || *b.Active}
	fields := in.Validate(a.Kinds, a.Check.AllowLocal)
	urlBad := slices.ContainsFunc(fields, func(fe fielderr.Problem) bool { return fe.Field == "url" })
	if !urlBad {
		if code := a.Check.Host(c.Request.Context(), in.URL); code != "" {
			fields.Add("url", code)
		}
	}
	if len(fields) > 0 {
		httpx.Respond(c, httpx.Invalid(fields...))
		return in, false
	}
	return in, true
}

func (a *Webhooks) create(c *gin.Context) {
	in, ok := a.input(c)
	if !ok {
		return
	}
	s, secret, err := a.Store.CreateSubscription(c.Request.Context(), in, auth.Current(c).UserID, reqctx.RequestID(c.Request.Context()))
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	httpx.SetETag(c, s.Version)
	c.JSON(http.StatusCreated, webhookWithSecret{webhookView: webhookOf(s), Secret: secret})
}

// subscriptionID parses :id; an id that is not a UUID names nothing (404).
func subscriptionID(c *gin.Context) (uuid.UUID, bool) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		httpx.Respond(c, httpx.NotFound())
		return id, false
	}
	return id, true
}

func respondStoreErr(c *gin.Context, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		err = httpx.NotFound()
	case errors.Is(err, store.ErrVersion):
		err = httpx.VersionMismatch()
	case errors.Is(err, store.ErrNotReplayable):
		err = httpx.NewError(http.StatusConflict, "notify_webhook_not_replayable")
	}
	httpx.Respond(c, err)
}

func (a *Webhooks) get(c *gin.Context) {
	id, ok := subscriptionID(c)
	if !ok {
		return
	}
	s, err := a.Store.Subscription(c.Request.Context(), id)
	if err != nil {
		respondStoreErr(c, err)
		return
	}
	httpx.SetETag(c, s.Version)
	c.JSON(http.StatusOK, webhookOf(s))
}

func (a *Webhooks) update(c *gin.Context) {
	id, ok := subscriptionID(c)
	if !ok {
		return
	}
	version, err := httpx.RequireIfMatch(c)
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	in, ok := a.input(c)
	if !ok {
		return
	}
	s, err := a.Store.UpdateSubscription(c.Request.Context(), id, version, in, auth.Current(c).UserID, reqctx.RequestID(c.Request.Context()))
	if err != nil {
		respondStoreErr(c, err)
		return
	}
	httpx.SetETag(c, s.Version)
	c.JSON(http.StatusOK, webhookOf(s))
}

func (a *Webhooks) delete(c *gin.Context) {
	id, ok := subscriptionID(c)
	if !ok {
		return
	}
	version, err := httpx.RequireIfMatch(c)
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	if err := a.Store.DeleteSubscription(c.Request.Context(), id, version, auth.Current(c).UserID, reqctx.RequestID(c.Request.Context())); err != nil {
		respondStoreErr(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (a *Webhooks) rotate(c *gin.Context) {
	id, ok := subscriptionID(c)
	if !ok {
		return
	}
	version, _, err := httpx.IfMatch(c)
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	s, secret, err := a.Store.RotateSecret(c.Request.Context(), id, version, auth.Current(c).UserID, reqctx.RequestID(c.Request.Context()))
	if err != nil {
		respondStoreErr(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	httpx.SetETag(c, s.Version)
	c.JSON(http.StatusOK, webhookWithSecret{webhookView: webhookOf(s), Secret: secret})
}

type webhookDeliveryView struct {
	ID             uuid.UUID  `json:"id"`
	SubscriptionID uuid.UUID  `json:"subscription_id"`
	EventID        uuid.UUID  `json:"event_id"`
	EventType      string     `json:"event_type"`
	State          string     `json:"state"`
	Attempts       int        `json:"attempts"`
	NextAt         time.Time  `json:"next_at"`
	LastError      string     `json:"last_error"`
	CreatedAt      time.Time  `json:"created_at"`
	SentAt         *time.Time `json:"sent_at"`
	Version        int64      `json:"version"`
}

func webhookDeliveryOf(d store.WebhookDelivery) webhookDeliveryView {
	return webhookDeliveryView{ID: d.ID, SubscriptionID: d.SubscriptionID, EventID: d.EventID, EventType: d.EventType,
		State: string(d.State), Attempts: d.Attempts, NextAt: d.NextAt, LastError: d.LastError, CreatedAt: d.CreatedAt,
		SentAt: d.SentAt, Version: d.Version}
}

var deliveryStates = []domain.State{domain.StatePending, domain.StateSending, domain.StateSent, domain.StateDead}

func (a *Webhooks) deliveries(c *gin.Context) {
	id, ok := subscriptionID(c)
	if !ok {
		return
	}
	pr, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	state := domain.State(c.Query("state"))
	if state != "" && !slices.Contains(deliveryStates, state) {
		httpx.Respond(c, httpx.Invalid(fielderr.New("state", "field.invalid")))
		return
	}
	if _, err := a.Store.Subscription(c.Request.Context(), id); err != nil {
		respondStoreErr(c, err)
		return
	}
	rows, next, err := a.Store.Deliveries(c.Request.Context(), id, state, pr)
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	items := make([]webhookDeliveryView, 0, len(rows))
	for _, d := range rows {
		items = append(items, webhookDeliveryOf(d))
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next": next})
}

func (a *Webhooks) replayDead(c *gin.Context) {
	id, ok := subscriptionID(c)
	if !ok {
		return
	}
	n, more, err := a.Store.ReplayDead(c.Request.Context(), id, auth.Current(c).UserID, reqctx.RequestID(c.Request.Context()))
	if err != nil {
		respondStoreErr(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"replayed": n, "more": more})
}

// webhookDeliveryDetail is one delivery with the exact body it sends and
// every call made.
type webhookDeliveryDetail struct {
	webhookDeliveryView
	Body  string                 `json:"body"`
	Calls []store.WebhookAttempt `json:"calls"`
}

func (a *Webhooks) delivery(c *gin.Context) {
	id, ok := subscriptionID(c)
	if !ok {
		return
	}
	d, calls, err := a.Store.WebhookDeliveryOf(c.Request.Context(), id)
	if err != nil {
		respondStoreErr(c, err)
		return
	}
	if calls == nil {
		calls = []store.WebhookAttempt{}
	}
	c.JSON(http.StatusOK, webhookDeliveryDetail{webhookDeliveryView: webhookDeliveryOf(d), Body: d.Body, Calls: calls})
}

func (a *Webhooks) replay(c *gin.Context) {
	id, ok := subscriptionID(c)
	if !ok {
		return
	}
	d, err := a.Store.ReplayDelivery(c.Request.Context(), id, auth.Current(c).UserID, reqctx.RequestID(c.Request.Context()))
	if err != nil {
		respondStoreErr(c, err)
		return
	}
	c.JSON(http.StatusOK, webhookDeliveryOf(d))
}
