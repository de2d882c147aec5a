package notify

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/api/client"
	notifyapi "github.com/anxin-welfare/anxin/api/client/notify"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The administrators' pages of outbound webhooks (notify's subscriptions):
// the list with the form that subscribes a URL and shows its signing
// secret once; one subscription with its settings, a secret rotation, its
// deletion and its deliveries with a replay for each and for all dead
// ones; one delivery with every call made. Admins only: a subscription
// sends the county's events out of the building.

const webhooksPath = "/admin/webhooks"

// webhook is a subscription as the pages show it.
type webhook struct {
	ID                  string
	Name                string
	URL                 string
	Kinds               []string
	Active              bool
	CreatedBy           string
	CreatedAt           time.Time
	PreviousSecretUntil *time.Time
	Version             int64
	// Secret is set only after a creation or a rotation.
	Secret string
}

func webhookOf(w notifyapi.Webhook) webhook {
	return webhook{ID: w.Id.String(), Name: w.Name, URL: w.Url, Kinds: w.Kinds, Active: w.Active, CreatedBy: w.CreatedBy,
		CreatedAt: w.CreatedAt, PreviousSecretUntil: w.PreviousSecretUntil, Version: int64(w.Version)}
}

func webhookWithSecret(w notifyapi.WebhookWithSecret) *webhook {
	return &webhook{ID: w.Id.String(), Name: w.Name, URL: w.Url, Kinds: w.Kinds, Active: w.Active, CreatedBy: w.CreatedBy,
		CreatedAt: w.CreatedAt, PreviousSecretUntil: w.PreviousSecretUntil, Version: int64(w.Version), Secret: w.Secret}
}

// webhookDelivery is one delivery as the pages show it.
type webhookDelivery struct {
	ID        string
	EventID   string
	EventType string
	State     string
	Attempts  int
	NextAt    time.Time
	LastError string
	CreatedAt time.Time
	SentAt    *time.Time
	// Body and Calls are in the one delivery's page.
	SubscriptionID string
	Body           string
	Calls          []webhookCall
}

type webhookCall struct {
	StartedAt  time.Time
	FinishedAt *time.Time
	Outcome    string
	StatusCode *int
	LatencyMS  *int
	Response   string
	Error      string
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
	Pager webkit.Pager
	Kinds []kindChoice
	// Created is the subscription just made or given a new secret: its
	// secret is shown this once.
	Created *webhook
}

type webhookData struct {
	Hook       webhook
	Kinds      []kindChoice
	Deliveries []webhookDelivery
	Pager      webkit.Pager
	State      string
	Confirm    *webkit.ConfirmCard
	// Created is the subscription just given a new secret.
	Created *webhook
}

func (a *area) registerWebhookPages(g *gin.RouterGroup) {
	admin := a.RequireUser(domain.RoleAdmin)
	g.GET(webhooksPath, admin, a.webhooksPage)
	g.POST(webhooksPath, admin, a.createWebhookPage)
	g.GET(webhooksPath+"/:id", admin, a.webhookPage)
	g.POST(webhooksPath+"/:id", admin, a.updateWebhookPage)
	g.POST(webhooksPath+"/:id/rotate-secret", admin, a.rotateWebhookPage)
	g.POST(webhooksPath+"/:id/delete", admin, a.deleteWebhookPage)
	g.POST(webhooksPath+"/:id/replay-dead", admin, a.replayDeadWebhooksPage)
	g.GET("/admin/webhook-deliveries/:id", admin, a.webhookDeliveryPage)
	g.POST("/admin/webhook-deliveries/:id/replay", admin, a.replayWebhookDeliveryPage)
}

// kindChoices are the event types notify offers, ticked as chosen.
func (a *area) kindChoices(c *gin.Context, api *notifyapi.ClientWithResponses, chosen []string) ([]kindChoice, bool) {
	r, err := api.ListWebhookKindsWithResponse(c.Request.Context())
	if err == nil && r.JSON200 == nil {
		err = orUnexpected(nil)
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return nil, false
	}
	l := a.Lang(c)
	choices := make([]kindChoice, 0, len(r.JSON200.Kinds))
	for _, k := range r.JSON200.Kinds {
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
func webhookForm(c *gin.Context) (notifyapi.WebhookInput, *web.Form, []string) {
	kinds := c.PostFormArray("kinds")
	if kinds == nil {
		kinds = []string{}
	}
	active := c.PostForm("active") == "on"
	body := notifyapi.WebhookInput{Name: c.PostForm("name"), Url: c.PostForm("url"), Kinds: kinds, Active: &active}
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
	if _, p, ok := webkit.Refusal(err); ok {
		for _, fe := range p.Errors {
			if strings.HasPrefix(fe.Field, "kinds") {
				fields[fe.Field] = "kinds"
			}
		}
	}
	return fields
}

// ifMatch is the If-Match of a change at the form's version; a form
// without one sends none, which notify refuses.
func ifMatch(c *gin.Context) string {
	if v := formVersion(c); v > 0 {
		return client.Tag(v)
	}
	return ""
}

func (a *area) webhooksPage(c *gin.Context) {
	var flash *web.Message
	if c.Query("m") == "deleted" {
		flash = webkit.Flash("web.webhooks.deleted")
	}
	a.renderWebhooks(c, http.StatusOK, web.NewForm().Set("active", "on"), nil, nil, flash)
}

func (a *area) renderWebhooks(c *gin.Context, status int, form *web.Form, chosen []string, created *webhook, flash *web.Message) {
	api, ok := a.client(c)
	if !ok {
		return
	}
	r, err := api.ListWebhooksWithResponse(c.Request.Context(), &notifyapi.ListWebhooksParams{After: optional(c.Query("after"))})
	if err == nil && r.JSON200 == nil {
		err = orUnexpected(nil)
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	kinds, ok := a.kindChoices(c, api, chosen)
	if !ok {
		return
	}
	items := make([]webhook, 0, len(r.JSON200.Items))
	for _, w := range r.JSON200.Items {
		items = append(items, webhookOf(w))
	}
	p := a.Page(c, "web.webhooks.title")
	p.Form, p.Flash = form, flash
	p.Data = webhooksData{Items: items, Kinds: kinds, Created: created,
		Pager: a.PagerAt(c, webhooksPath, c.Request.URL.Query(), "webhooks", "after", r.JSON200.Next)}
	if created != nil {
		// The secret is on this page only: no cache may keep it.
		c.Header("Cache-Control", "no-store")
	}
	a.Render(c, status, "webhooks", p)
}

func (a *area) createWebhookPage(c *gin.Context) {
	api, ok := a.client(c)
	if !ok {
		return
	}
	body, form, kinds := webhookForm(c)
	r, err := api.CreateWebhookWithResponse(c.Request.Context(), body)
	if err == nil && r.JSON201 == nil {
		err = orUnexpected(nil)
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, webhookFields(err)) {
			a.renderWebhooks(c, http.StatusUnprocessableEntity, form, kinds, nil, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	// The answer is the page with the secret, not a redirect: a secret in
	// a URL would end up in the browser's history.
	created := webhookWithSecret(*r.JSON201)
	a.renderWebhooks(c, http.StatusCreated, web.NewForm().Set("active", "on"), nil, created, webkit.Flash("web.webhooks.created_flash", created.Name))
}

func (a *area) webhookPage(c *gin.Context) {
	var flash *web.Message
	switch c.Query("m") {
	case "saved", "replayed", "replayed_dead":
		flash = webkit.Flash("web.webhooks.flash." + c.Query("m"))
	}
	a.renderWebhook(c, http.StatusOK, nil, nil, nil, nil, flash)
}

// getWebhook reads the subscription of the page's path, or shows the
// page for the refusal (and false).
func (a *area) getWebhook(c *gin.Context, api *notifyapi.ClientWithResponses) (webhook, bool) {
	r, err := api.GetWebhookWithResponse(c.Request.Context(), c.Param("id"))
	if err == nil && r.JSON200 == nil {
		err = orUnexpected(nil)
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return webhook{}, false
	}
	return webhookOf(*r.JSON200), true
}

// renderWebhook shows one subscription: form, when set, is the settings
// form as posted (with its problems), card a confirmation, created the
// subscription with its new secret.
func (a *area) renderWebhook(c *gin.Context, status int, form *web.Form, chosen []string, card *webkit.ConfirmCard, created *webhook, flash *web.Message) {
	api, ok := a.client(c)
	if !ok {
		return
	}
	id := c.Param("id")
	hook, ok := a.getWebhook(c, api)
	if !ok {
		return
	}
	state := c.Query("state")
	params := &notifyapi.ListWebhookDeliveriesParams{After: optional(c.Query("after"))}
	switch state {
	case "pending", "sending", "sent", "dead":
		s := notifyapi.ListWebhookDeliveriesParamsState(state)
		params.State = &s
	default:
		state = ""
	}
	r, err := api.ListWebhookDeliveriesWithResponse(c.Request.Context(), id, params)
	if err == nil && r.JSON200 == nil {
		err = orUnexpected(nil)
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	if form == nil {
		form = web.NewForm().Set("name", hook.Name).Set("url", hook.URL)
		if hook.Active {
			form.Set("active", "on")
		}
		chosen = hook.Kinds
	}
	kinds, ok := a.kindChoices(c, api, chosen)
	if !ok {
		return
	}
	deliveries := make([]webhookDelivery, 0, len(r.JSON200.Items))
	for _, d := range r.JSON200.Items {
		deliveries = append(deliveries, webhookDelivery{ID: d.Id.String(), EventID: d.EventId.String(), EventType: d.EventType, State: string(d.State),
			Attempts: d.Attempts, NextAt: d.NextAt, LastError: d.LastError, CreatedAt: d.CreatedAt, SentAt: d.SentAt, SubscriptionID: d.SubscriptionId.String()})
	}
	p := a.Page(c, "web.webhooks.one_title")
	p.Form, p.Flash = form, flash
	self := webhooksPath + "/" + url.PathEscape(id)
	p.Data = webhookData{Hook: hook, Kinds: kinds, Deliveries: deliveries, State: state, Confirm: card, Created: created,
		Pager: a.PagerAt(c, self, c.Request.URL.Query(), "deliveries", "after", r.JSON200.Next)}
	if created != nil {
		c.Header("Cache-Control", "no-store")
	}
	a.Render(c, status, "webhook", p)
}

func (a *area) updateWebhookPage(c *gin.Context) {
	api, ok := a.client(c)
	if !ok {
		return
	}
	body, form, kinds := webhookForm(c)
	id := c.Param("id")
	err := webkit.Done(api.PutWebhook(c.Request.Context(), id, &notifyapi.PutWebhookParams{IfMatch: ifMatch(c)}, body)) //nolint:bodyclose // webkit.Done drains and closes it
	if err != nil {
		if webkit.ProblemOnForm(err, form, webhookFields(err)) {
			a.renderWebhook(c, http.StatusUnprocessableEntity, form, kinds, nil, nil, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, webhooksPath+"/"+url.PathEscape(id)+"?m=saved")
}

func (a *area) rotateWebhookPage(c *gin.Context) {
	api, ok := a.client(c)
	if !ok {
		return
	}
	params := &notifyapi.RotateWebhookSecretParams{}
	if tag := ifMatch(c); tag != "" {
		params.IfMatch = &tag
	}
	r, err := api.RotateWebhookSecretWithResponse(c.Request.Context(), c.Param("id"), params)
	if err == nil && r.JSON200 == nil {
		err = orUnexpected(nil)
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	a.renderWebhook(c, http.StatusOK, nil, nil, nil, webhookWithSecret(*r.JSON200), webkit.Flash("web.webhooks.rotated"))
}

// deleteWebhookPage deletes in two presses: the first shows a card naming
// the subscription (nothing changes), the second (confirm=yes) deletes.
func (a *area) deleteWebhookPage(c *gin.Context) {
	api, ok := a.client(c)
	if !ok {
		return
	}
	id := c.Param("id")
	if !webkit.Confirmed(c) {
		hook, ok := a.getWebhook(c, api)
		if !ok {
			return
		}
		self := webhooksPath + "/" + url.PathEscape(id)
		card := &webkit.ConfirmCard{Text: web.Msg("web.webhooks.confirm_delete", hook.Name, hook.URL), Hint: "web.webhooks.confirm_delete_hint",
			Action: self + "/delete", Button: "web.webhooks.delete", Back: self,
			Hidden: []webkit.HiddenField{{Name: "version", Value: strconv.FormatInt(hook.Version, 10)}}}
		a.renderWebhook(c, http.StatusOK, nil, nil, card, nil, nil)
		return
	}
	if err := webkit.Done(api.DeleteWebhook(c.Request.Context(), id, &notifyapi.DeleteWebhookParams{IfMatch: ifMatch(c)})); err != nil { //nolint:bodyclose // webkit.Done drains and closes it
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, webhooksPath+"?m=deleted")
}

func (a *area) replayDeadWebhooksPage(c *gin.Context) {
	api, ok := a.client(c)
	if !ok {
		return
	}
	id := c.Param("id")
	if err := webkit.Done(api.ReplayDeadWebhookDeliveries(c.Request.Context(), id)); err != nil { //nolint:bodyclose // webkit.Done drains and closes it
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, webhooksPath+"/"+url.PathEscape(id)+"?m=replayed_dead")
}

func (a *area) webhookDeliveryPage(c *gin.Context) {
	api, ok := a.client(c)
	if !ok {
		return
	}
	r, err := api.GetWebhookDeliveryWithResponse(c.Request.Context(), c.Param("id"))
	if err == nil && r.JSON200 == nil {
		err = orUnexpected(nil)
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	d := r.JSON200
	one := webhookDelivery{ID: d.Id.String(), EventID: d.EventId.String(), EventType: d.EventType, State: string(d.State), Attempts: d.Attempts,
		NextAt: d.NextAt, LastError: d.LastError, CreatedAt: d.CreatedAt, SentAt: d.SentAt, SubscriptionID: d.SubscriptionId.String(), Body: d.Body}
	for _, call := range d.Calls {
		one.Calls = append(one.Calls, webhookCall{StartedAt: call.StartedAt, FinishedAt: call.FinishedAt, Outcome: string(call.Outcome),
			StatusCode: call.StatusCode, LatencyMS: call.LatencyMs, Response: call.Response, Error: call.Error})
	}
	p := a.Page(c, "web.webhooks.delivery_title")
	if c.Query("m") == "replayed" {
		p.Flash = webkit.Flash("web.webhooks.flash.replayed")
	}
	p.Data = one
	a.Render(c, http.StatusOK, "webhook_delivery", p)
}

func (a *area) replayWebhookDeliveryPage(c *gin.Context) {
	api, ok := a.client(c)
	if !ok {
		return
	}
	id := c.Param("id")
	if err := webkit.Done(api.ReplayWebhookDelivery(c.Request.Context(), id)); err != nil && !webkit.Refused(err, http.StatusConflict) { //nolint:bodyclose // webkit.Done drains and closes it
		// A 409 is a delivery already pending or being sent: what was
		// asked is under way.
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/webhook-deliveries/"+url.PathEscape(id)+"?m=replayed")
}
