package admin

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The services' dead letters with replay, over each service's platform
// endpoints: administrators only.

type deadLettersData struct {
	Services []string
	Service  string
	Items    []bus.DeadLetter
	// Pages links to the next page of letters (and back to the first);
	// Stale says an old link's cursor was refused and the first page shown.
	Pages webkit.Pager
	Stale bool
	// Confirm is the confirmation card of a replay asked for.
	Confirm *webkit.ConfirmCard
}

// deadLetterPageSize is how many letters the page shows at a time.
const deadLetterPageSize = 50

// deadLetterPage reads one page of a service's dead letters, replayed ones
// included, after the cursor after ("" for the first page).
func (a *area) deadLetterPage(c *gin.Context, service, after string) ([]bus.DeadLetter, string, error) {
	pf, err := a.platformOf(c, service)
	if err != nil {
		return nil, "", err
	}
	raw, err := pf.deadLetters(c.Request.Context(), after, deadLetterPageSize)
	if err != nil {
		return nil, "", err
	}
	return webkit.PageOf[bus.DeadLetter](raw)
}

func (a *area) deadLettersPage(c *gin.Context) {
	var flash *web.Message
	if c.Query("m") == "replayed" {
		flash = webkit.Flash("web.deadletters.replayed")
	}
	a.renderDeadLetters(c, http.StatusOK, flash, nil, 0)
}

// renderDeadLetters shows a service's dead letters; confirm, when not 0,
// is the letter whose replay the page asks to confirm.
func (a *area) renderDeadLetters(c *gin.Context, status int, flash, alert *web.Message, confirm int64) {
	names := a.s.Services
	d := deadLettersData{Services: names, Service: c.Query("service")}
	if c.Param("service") != "" {
		d.Service = c.Param("service")
	}
	if !slices.Contains(names, d.Service) && len(names) > 0 {
		d.Service = names[0]
	}
	if d.Service != "" {
		// A page at a time, newest first; the cursor travels in after. A
		// replay's POST shows the first page again.
		after := ""
		if c.Request.Method == http.MethodGet {
			after = c.Query("after")
		}
		items, next, err := a.deadLetterPage(c, d.Service, after)
		if err != nil && after != "" && webkit.StaleCursor(err) {
			d.Stale = true
			items, next, err = a.deadLetterPage(c, d.Service, "")
		}
		if err != nil {
			a.ServiceFailed(c, err)
			return
		}
		d.Items = items
		pq := url.Values{"service": {d.Service}}
		if after != "" && !d.Stale {
			pq.Set("after", after)
		}
		d.Pages = a.PagerAt(c, "/admin/dead-letters", pq, "dead-letters", "after", next)
	}
	if confirm != 0 {
		dl := bus.DeadLetter{ID: confirm}
		for _, it := range d.Items {
			if it.ID == confirm {
				dl = it
			}
		}
		d.Confirm = &webkit.ConfirmCard{
			Text:   web.Msg("web.confirm.replay", d.Service, dl.ID, dl.Consumer, dl.Subject),
			Action: "/admin/dead-letters/" + url.PathEscape(d.Service) + "/" + strconv.FormatInt(dl.ID, 10) + "/replay",
			Button: "web.confirm.replay_button", Back: "/admin/dead-letters?service=" + url.QueryEscape(d.Service),
		}
	}
	p := a.Page(c, "web.deadletters.title")
	p.Data, p.Flash, p.Alert = d, flash, alert
	a.Render(c, status, "dead_letters", p)
}

func (a *area) replayDeadLetter(c *gin.Context) {
	svc := c.Param("service")
	if !slices.Contains(a.s.Services, svc) {
		a.ErrorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	id, err := strconv.Atoi(c.Param("id"))
	if err != nil {
		a.ErrorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	if !webkit.Confirmed(c) {
		// The first press only shows what the replay will do.
		a.renderDeadLetters(c, http.StatusOK, nil, nil, int64(id))
		return
	}
	pf, err := a.platformOf(c, svc)
	if err == nil {
		err = pf.replay(c.Request.Context(), id)
	}
	if err != nil {
		form := web.NewForm()
		if !webkit.ProblemOnForm(err, form, nil) {
			a.ServiceFailed(c, err)
			return
		}
		alert := web.Msg("web.approvals.refused")
		if g := form.General(); len(g) > 0 {
			alert = g[0]
		}
		a.renderDeadLetters(c, webkit.StatusOf(err), nil, &alert, 0)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/dead-letters?service="+url.QueryEscape(svc)+"&m=replayed")
}
