package notify

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	notifyapi "github.com/anxin-welfare/anxin/api/client/notify"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
)

// failedDelivery is one delivery waiting for an admin.
type failedDelivery struct {
	ID        string
	UserID    string
	Kind      string
	Title     string
	Channel   string
	State     string
	Attempts  int
	LastError string
	CreatedAt time.Time
}

type deliveriesData struct {
	Items []failedDelivery
	Pager webkit.Pager
}

func (a *area) deliveriesPage(c *gin.Context) {
	api, ok := a.client(c)
	if !ok {
		return
	}
	r, err := api.ListFailedDeliveriesWithResponse(c.Request.Context(), &notifyapi.ListFailedDeliveriesParams{After: optional(c.Query("after"))})
	if err == nil && r.JSON200 == nil {
		err = orUnexpected(nil)
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	items := make([]failedDelivery, 0, len(r.JSON200.Items))
	for _, d := range r.JSON200.Items {
		items = append(items, failedDelivery{ID: d.Id.String(), UserID: d.UserId, Kind: string(d.Kind), Title: d.Title, Channel: string(d.Channel),
			State: string(d.State), Attempts: d.Attempts, LastError: d.LastError, CreatedAt: d.CreatedAt})
	}
	p := a.Page(c, "web.deliveries.title")
	if c.Query("m") == "replayed" {
		p.Flash = webkit.Flash("web.deliveries.replayed")
	}
	p.Data = deliveriesData{Items: items, Pager: a.PagerFor(c, "deliveries", "after", r.JSON200.Next)}
	a.Render(c, http.StatusOK, "deliveries", p)
}

func (a *area) replayDelivery(c *gin.Context) {
	api, ok := a.client(c)
	if !ok {
		return
	}
	if err := webkit.Done(api.ReplayDelivery(c.Request.Context(), c.Param("id"))); err != nil { //nolint:bodyclose // webkit.Done drains and closes it
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/deliveries?m=replayed")
}
