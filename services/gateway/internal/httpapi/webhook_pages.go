package httpapi

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The administrators' pages of outbound webhooks (notify's subscriptions):
// the list with the form that subscribes a URL and shows its signing
// secret once; one subscription with its settings, a secret rotation, its
// deletion and its deliveries with a replay for each and for all dead
// ones; one delivery with every call made. Admins only: a subscription
// sends the county's events out of the building.

const webhooksPath = "/admin/webhooks"

// webhook is a subscription as notify answers it.
type webhook struct {
	ID                  string     `json:"id"`
	Name                string     `json:"name"`
	URL                 string     `json:"url"`
	Kinds               []string   `json:"kinds"`
	Active              bool       `json:"active"`
	CreatedBy           string     `json:"created_by"`
	CreatedAt           time.Time  `json:"created_at"`
	PreviousSecretUntil *time.Time `json:"previous_secret_until"`
	Version             int64      `json:"version"`
	// Secret is set only in the answer of a creation or a rotation.
	Secret string `json:"secret,omitempty"`
}

// webhookDelivery is one delivery as notify answers it.
type webhookDelivery struct {
	ID        string     `json:"id"`
	EventID   string     `json:"event_id"`
	EventType string     `json:"event_type"`
	State     string     `json:"state"`
	Attempts  int        `json:"attempts"`
	NextAt    time.Time  `json:"next_at"`
	LastError string     `json:"last_error"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at"`
	// Body and Calls are in the one delivery's answer.
	SubscriptionID string        `json:"subscription_id"`
	Body           string        `json:"body"`
	Calls          []webhookCall `json:"calls"`
}

type webhookCall struct {
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"`
	Outcome    string     `json:"outcome"`
	StatusCode *int       `json:"status_code"`
	LatencyMS  *int       `json:"latency_ms"`
	Response   string     `json:"response"`
	Error      string     `json:"error"`
}

// kindChoice is one event type of the form: its label in the page's
// language (the type itself when the catalogue has none) and whether it
// is ticked.
type kindChoice struct {
	Kind    string
	Label   string
	Checked bool
}

type webhooksData struct {
	Items []webhook
	Pager pager
	Kinds []kindChoice
	// Created is the subscription just made or given a new secret: its
	// secret is shown this once.
	Created *webhook
}

type webhookData struct {
	Hook       webhook
	Kinds      []kindChoice
	Deliveries []webhookDelivery
	Pager      pager
	State      string
	Confirm    *confirmCard
	// Created is the subscription just given a new secret.
	Created *webhook
}

func (h *handlers) registerWebhookPages(g *gin.RouterGroup) {
	admin := h.requireUser(domain.RoleAdmin)
	g.GET(webhooksPath, admin, h.webhooksPage)
	g.POST(webhooksPath, admin, h.createWebhookPage)
	g.GET(webhooksPath+"/:id", admin, h.webhookPage)
	g.POST(webhooksPath+"/:id", admin, h.updateWebhookPage)
	g.POST(webhooksPath+"/:id/rotate-secret", admin, h.rotateWebhookPage)
	g.POST(webhooksPath+"/:id/delete", admin, h.deleteWebhookPage)
	g.POST(webhooksPath+"/:id/replay-dead", admin, h.replayDeadWebhooksPage)
	g.GET("/admin/webhook-deliveries/:id", admin, h.webhookDeliveryPage)
	g.POST("/admin/webhook-deliveries/:id/replay", admin, h.replayWebhookDeliveryPage)
}

func webhookAPI(id string) string { return notifyAPI + "/admin/webhooks/" + url.PathEscape(id) }

// kindChoices are the event types notify offers, ticked as chosen.
func (h *handlers) kindChoices(c *gin.Context, chosen []string) ([]kindChoice, bool) {
	var out struct {
		Kinds []string `json:"kinds"`
	}
	if _, err := h.call(c, http.MethodGet, "notify", notifyAPI+"/admin/webhook-kinds", 0, nil, &out); err != nil {
		h.serviceFailed(c, err)
		return nil, false
	}
	l := lang(c)
	choices := make([]kindChoice, 0, len(out.Kinds))
	for _, k := range out.Kinds {
		label := k
		if key := "web.webhooks.kind." + k; i18n.Has(key) {
			label = i18n.T(l, key)
		}
		choices = append(choices, kindChoice{Kind: k, Label: label, Checked: slices.Contains(chosen, k)})
	}
	return choices, true
}

// webhookForm reads the subscription form: the body notify takes and the
// form that shows it again.
func webhookForm(c *gin.Context) (map[string]any, *web.Form, []string) {
	kinds := c.PostFormArray("kinds")
	if kinds == nil {
		kinds = []string{}
	}
	active := c.PostForm("active") == "on"
	body := map[string]any{"name": c.PostForm("name"), "url": c.PostForm("url"), "kinds": kinds, "active": active}
	form := web.NewForm().Set("name", c.PostForm("name")).Set("url", c.PostForm("url"))
	if active {
		form.Set("active", "on")
	}
	return body, form, kinds
}

// webhookFields puts notify's per-kind problems ("kinds[1]") on the
// kinds fieldset.
func webhookFields(err error) map[string]string {
	fields := map[string]string{}
	var ae *APIError
	if errors.As(err, &ae) {
		for _, fe := range ae.Problem.Errors {
			if strings.HasPrefix(fe.Field, "kinds") {
				fields[fe.Field] = "kinds"
			}
		}
	}
	return fields
}

func (h *handlers) webhooksPage(c *gin.Context) {
	var flash *web.Message
	if c.Query("m") == "deleted" {
		m := web.Msg("web.webhooks.deleted")
		flash = &m
	}
	h.renderWebhooks(c, http.StatusOK, web.NewForm().Set("active", "on"), nil, nil, flash)
}

func (h *handlers) renderWebhooks(c *gin.Context, status int, form *web.Form, chosen []string, created *webhook, flash *web.Message) {
	path := notifyAPI + "/admin/webhooks"
	if a := c.Query("after"); a != "" {
		path += "?" + url.Values{"after": {a}}.Encode()
	}
	var out struct {
		Items []webhook `json:"items"`
		Next  string    `json:"next"`
	}
	if _, err := h.call(c, http.MethodGet, "notify", path, 0, nil, &out); err != nil {
		h.serviceFailed(c, err)
		return
	}
	kinds, ok := h.kindChoices(c, chosen)
	if !ok {
		return
	}
	p := h.page(c, "web.webhooks.title")
	p.Form, p.Flash = form, flash
	p.Data = webhooksData{Items: out.Items, Kinds: kinds, Created: created,
		Pager: pagerAt(c, webhooksPath, c.Request.URL.Query(), "webhooks", "after", out.Next)}
	if created != nil {
		// The secret is on this page only: no cache may keep it.
		c.Header("Cache-Control", "no-store")
	}
	h.render(c, status, "webhooks", p)
}

func (h *handlers) createWebhookPage(c *gin.Context) {
	body, form, kinds := webhookForm(c)
	var created webhook
	if _, err := h.call(c, http.MethodPost, "notify", notifyAPI+"/admin/webhooks", 0, body, &created); err != nil {
		if problemOnForm(err, form, webhookFields(err)) {
			h.renderWebhooks(c, http.StatusUnprocessableEntity, form, kinds, nil, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	// The answer is the page with the secret, not a redirect: a secret in
	// a URL would end up in the browser's history.
	m := web.Msg("web.webhooks.created_flash", created.Name)
	h.renderWebhooks(c, http.StatusCreated, web.NewForm().Set("active", "on"), nil, &created, &m)
}

func (h *handlers) webhookPage(c *gin.Context) {
	var flash *web.Message
	switch c.Query("m") {
	case "saved", "replayed", "replayed_dead":
		m := web.Msg("web.webhooks.flash." + c.Query("m"))
		flash = &m
	}
	h.renderWebhook(c, http.StatusOK, nil, nil, nil, nil, flash)
}

// renderWebhook shows one subscription: form, when set, is the settings
// form as posted (with its problems), card a confirmation, created the
// subscription with its new secret.
func (h *handlers) renderWebhook(c *gin.Context, status int, form *web.Form, chosen []string, card *confirmCard, created *webhook, flash *web.Message) {
	id := c.Param("id")
	var hook webhook
	if _, err := h.call(c, http.MethodGet, "notify", webhookAPI(id), 0, nil, &hook); err != nil {
		h.serviceFailed(c, err)
		return
	}
	state := c.Query("state")
	q := url.Values{}
	if a := c.Query("after"); a != "" {
		q.Set("after", a)
	}
	switch state {
	case "pending", "sending", "sent", "dead":
		q.Set("state", state)
	default:
		state = ""
	}
	path := webhookAPI(id) + "/deliveries"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var out struct {
		Items []webhookDelivery `json:"items"`
		Next  string            `json:"next"`
	}
	if _, err := h.call(c, http.MethodGet, "notify", path, 0, nil, &out); err != nil {
		h.serviceFailed(c, err)
		return
	}
	if form == nil {
		form = web.NewForm().Set("name", hook.Name).Set("url", hook.URL)
		if hook.Active {
			form.Set("active", "on")
		}
		chosen = hook.Kinds
	}
	kinds, ok := h.kindChoices(c, chosen)
	if !ok {
		return
	}
	p := h.page(c, "web.webhooks.one_title")
	p.Form, p.Flash = form, flash
	self := webhooksPath + "/" + url.PathEscape(id)
	p.Data = webhookData{Hook: hook, Kinds: kinds, Deliveries: out.Items, State: state, Confirm: card, Created: created,
		Pager: pagerAt(c, self, c.Request.URL.Query(), "deliveries", "after", out.Next)}
	if created != nil {
		c.Header("Cache-Control", "no-store")
	}
	h.render(c, status, "webhook", p)
}

func (h *handlers) updateWebhookPage(c *gin.Context) {
	body, form, kinds := webhookForm(c)
	id := c.Param("id")
	if _, err := h.call(c, http.MethodPut, "notify", webhookAPI(id), formVersion(c), body, nil); err != nil {
		if problemOnForm(err, form, webhookFields(err)) {
			h.renderWebhook(c, http.StatusUnprocessableEntity, form, kinds, nil, nil, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, webhooksPath+"/"+url.PathEscape(id)+"?m=saved")
}

func (h *handlers) rotateWebhookPage(c *gin.Context) {
	var hook webhook
	if _, err := h.call(c, http.MethodPost, "notify", webhookAPI(c.Param("id"))+"/rotate-secret", formVersion(c), nil, &hook); err != nil {
		h.serviceFailed(c, err)
		return
	}
	m := web.Msg("web.webhooks.rotated")
	h.renderWebhook(c, http.StatusOK, nil, nil, nil, &hook, &m)
}

// deleteWebhookPage deletes in two presses: the first shows a card naming
// the subscription (nothing changes), the second (confirm=yes) deletes.
func (h *handlers) deleteWebhookPage(c *gin.Context) {
	id := c.Param("id")
	if !confirmed(c) {
		var hook webhook
		if _, err := h.call(c, http.MethodGet, "notify", webhookAPI(id), 0, nil, &hook); err != nil {
			h.serviceFailed(c, err)
			return
		}
		self := webhooksPath + "/" + url.PathEscape(id)
		card := &confirmCard{Text: web.Msg("web.webhooks.confirm_delete", hook.Name, hook.URL), Hint: "web.webhooks.confirm_delete_hint",
			Action: self + "/delete", Button: "web.webhooks.delete", Back: self,
			Hidden: []hiddenField{{Name: "version", Value: strconv.FormatInt(hook.Version, 10)}}}
		h.renderWebhook(c, http.StatusOK, nil, nil, card, nil, nil)
		return
	}
	if _, err := h.call(c, http.MethodDelete, "notify", webhookAPI(id), formVersion(c), nil, nil); err != nil {
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, webhooksPath+"?m=deleted")
}

func (h *handlers) replayDeadWebhooksPage(c *gin.Context) {
	id := c.Param("id")
	if _, err := h.call(c, http.MethodPost, "notify", webhookAPI(id)+"/replay-dead", 0, nil, nil); err != nil {
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, webhooksPath+"/"+url.PathEscape(id)+"?m=replayed_dead")
}

func (h *handlers) webhookDeliveryPage(c *gin.Context) {
	var d webhookDelivery
	if _, err := h.call(c, http.MethodGet, "notify", notifyAPI+"/admin/webhook-deliveries/"+url.PathEscape(c.Param("id")), 0, nil, &d); err != nil {
		h.serviceFailed(c, err)
		return
	}
	p := h.page(c, "web.webhooks.delivery_title")
	if c.Query("m") == "replayed" {
		m := web.Msg("web.webhooks.flash.replayed")
		p.Flash = &m
	}
	p.Data = d
	h.render(c, http.StatusOK, "webhook_delivery", p)
}

func (h *handlers) replayWebhookDeliveryPage(c *gin.Context) {
	id := c.Param("id")
	if _, err := h.call(c, http.MethodPost, "notify", notifyAPI+"/admin/webhook-deliveries/"+url.PathEscape(id)+"/replay", 0, nil, nil); err != nil {
		var ae *APIError
		if errors.As(err, &ae) && ae.Status == http.StatusConflict {
			// Already pending or being sent: what was asked is under way.
			c.Redirect(http.StatusSeeOther, "/admin/webhook-deliveries/"+url.PathEscape(id)+"?m=replayed")
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/webhook-deliveries/"+url.PathEscape(id)+"?m=replayed")
}
