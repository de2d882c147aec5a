package httpapi

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The audit trail of every service, with search, and the services' dead
// letters with replay: over each service's platform admin endpoints
// (/api/v1/<service>/admin/…), and the gateway's own trail read directly.

type auditRow struct {
	Seq        int64           `json:"seq"`
	At         time.Time       `json:"at"`
	Actor      string          `json:"actor"`
	Action     string          `json:"action"`
	ObjectType string          `json:"object_type"`
	ObjectID   string          `json:"object_id"`
	Before     json.RawMessage `json:"before"`
	After      json.RawMessage `json:"after"`
	// ActorName is the gateway user behind Actor, "姓名 (username)", when
	// Actor is a user id.
	ActorName string `json:"-"`
	// ActionKey is the catalogue key naming Action, "" when the catalogue
	// has no name for it (the page shows the code).
	ActionKey string `json:"-"`
}

type auditData struct {
	Services []string
	Service  string
	Filter   map[string]string
	Rows     []auditRow
	Next     int64
}

type deadLetter struct {
	ID         int64      `json:"id"`
	Consumer   string     `json:"consumer"`
	Subject    string     `json:"subject"`
	Error      string     `json:"error"`
	Deliveries int        `json:"deliveries"`
	FailedAt   time.Time  `json:"failed_at"`
	ReplayedAt *time.Time `json:"replayed_at"`
}

type deadLettersData struct {
	Services []string
	Service  string
	Items    []deadLetter
	// Confirm is the confirmation card of a replay asked for.
	Confirm *confirmCard
}

// confirmCard is the second step of an action that cannot be taken back
// with one click: the page shows, changing nothing, exactly what will
// happen and one button that sends the form again with confirm=yes.
type confirmCard struct {
	Text   web.Message
	Hint   string // a catalogue key, optional
	Action string // the form's address
	Hidden []hiddenField
	Button string // catalogue key
	Back   string // where "No, go back" leads
	// Reason asks for a reason (the ledger's reversal), with its value
	// and errors in the page's form.
	Reason bool
}

// confirmed reports whether the form was sent from a confirmation card.
func confirmed(c *gin.Context) bool { return c.PostForm("confirm") == "yes" }

func (h *handlers) registerAuditPages(g *gin.RouterGroup) {
	g.GET("/audit", h.requireUser(domain.RoleAuditor, domain.RoleAdmin), h.auditPage)
	admin := h.requireUser(domain.RoleAdmin)
	g.GET("/admin/dead-letters", admin, h.deadLettersPage)
	g.POST("/admin/dead-letters/:service/:id/replay", admin, h.replayDeadLetter)
}

// auditServices are the trails one can read: the gateway's and each routed
// service's.
func (h *handlers) auditServices() []string {
	out := []string{"gateway"}
	if h.Upstreams != nil {
		out = append(out, h.Upstreams.Names()...)
	}
	return out
}

var auditFilters = []string{"actor", "action", "object_type", "object_id", "from", "to"}

func (h *handlers) auditPage(c *gin.Context) {
	d := auditData{Services: h.auditServices(), Service: c.DefaultQuery("service", "gateway"), Filter: map[string]string{}}
	if !slices.Contains(d.Services, d.Service) {
		d.Service = "gateway"
	}
	for _, k := range auditFilters {
		d.Filter[k] = strings.TrimSpace(c.Query(k))
	}
	// The trail records user ids; the auditor searches by username or
	// name, so a filter naming exactly one user searches that user's id.
	actorFilter := h.actorID(c, d.Filter["actor"])
	after, _ := strconv.ParseInt(c.Query("after"), 10, 64)
	// Dates on the form are days in Asia/Shanghai; the trail is kept in UTC.
	bound := func(k string, endOfDay bool) time.Time {
		t, err := time.ParseInLocation(time.DateOnly, d.Filter[k], clock.Shanghai)
		if err != nil {
			d.Filter[k] = ""
			return time.Time{}
		}
		if endOfDay {
			t = t.AddDate(0, 0, 1)
		}
		return t.UTC()
	}
	from, to := bound("from", false), bound("to", true)
	if d.Service == "gateway" {
		recs, err := audit.List(c.Request.Context(), h.AuditDB, audit.Filter{
			Actor: actorFilter, Action: d.Filter["action"], ObjectType: d.Filter["object_type"], ObjectID: d.Filter["object_id"],
			From: from, To: to, AfterSeq: after, Limit: 200,
		})
		if err != nil {
			h.fail(c, err)
			return
		}
		for _, r := range recs {
			d.Rows = append(d.Rows, auditRow{Seq: r.Seq, At: r.At, Actor: r.Actor, Action: r.Action, ObjectType: r.ObjectType,
				ObjectID: r.ObjectID, Before: r.Before, After: r.After})
		}
	} else {
		q := url.Values{}
		for _, k := range []string{"action", "object_type", "object_id"} {
			if v := d.Filter[k]; v != "" {
				q.Set(k, v)
			}
		}
		if actorFilter != "" {
			q.Set("actor", actorFilter)
		}
		if !from.IsZero() {
			q.Set("from", from.Format(time.RFC3339))
		}
		if !to.IsZero() {
			q.Set("to", to.Format(time.RFC3339))
		}
		if after > 0 {
			q.Set("after", strconv.FormatInt(after, 10))
		}
		var list struct {
			Items []auditRow `json:"items"`
		}
		if _, err := h.call(c, http.MethodGet, d.Service, "/api/v1/"+d.Service+"/admin/audit?"+q.Encode(), 0, nil, &list); err != nil {
			h.serviceFailed(c, err)
			return
		}
		d.Rows = list.Items
	}
	if n := len(d.Rows); n >= 200 {
		d.Next = d.Rows[n-1].Seq
	}
	h.nameActors(c, d.Rows)
	for i := range d.Rows {
		if k := "web.audit.act." + d.Rows[i].Action; i18n.Has(k) {
			d.Rows[i].ActionKey = k
		}
	}
	p := h.page(c, "web.audit.title")
	p.Data = d
	h.render(c, http.StatusOK, "audit", p)
}

func (h *handlers) deadLettersPage(c *gin.Context) {
	var flash *web.Message
	if c.Query("m") == "replayed" {
		m := web.Msg("web.deadletters.replayed")
		flash = &m
	}
	h.renderDeadLetters(c, http.StatusOK, flash, nil, 0)
}

// renderDeadLetters shows a service's dead letters; confirm, when not 0,
// is the letter whose replay the page asks to confirm.
func (h *handlers) renderDeadLetters(c *gin.Context, status int, flash, alert *web.Message, confirm int64) {
	var names []string
	if h.Upstreams != nil {
		names = h.Upstreams.Names()
	}
	d := deadLettersData{Services: names, Service: c.Query("service")}
	if c.Param("service") != "" {
		d.Service = c.Param("service")
	}
	if !slices.Contains(names, d.Service) && len(names) > 0 {
		d.Service = names[0]
	}
	if d.Service != "" {
		var list struct {
			Items []deadLetter `json:"items"`
		}
		if _, err := h.call(c, http.MethodGet, d.Service, "/api/v1/"+d.Service+"/admin/dead-letters?pending=false", 0, nil, &list); err != nil {
			h.serviceFailed(c, err)
			return
		}
		d.Items = list.Items
	}
	if confirm != 0 {
		dl := deadLetter{ID: confirm}
		for _, it := range d.Items {
			if it.ID == confirm {
				dl = it
			}
		}
		d.Confirm = &confirmCard{
			Text:   web.Msg("web.confirm.replay", d.Service, dl.ID, dl.Consumer, dl.Subject),
			Action: "/admin/dead-letters/" + url.PathEscape(d.Service) + "/" + strconv.FormatInt(dl.ID, 10) + "/replay",
			Button: "web.confirm.replay_button", Back: "/admin/dead-letters?service=" + url.QueryEscape(d.Service),
		}
	}
	p := h.page(c, "web.deadletters.title")
	p.Data, p.Flash, p.Alert = d, flash, alert
	h.render(c, status, "dead_letters", p)
}

func (h *handlers) replayDeadLetter(c *gin.Context) {
	svc := c.Param("service")
	if !h.Upstreams.Has(svc) {
		h.errorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		h.errorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	if !confirmed(c) {
		// The first press only shows what the replay will do.
		h.renderDeadLetters(c, http.StatusOK, nil, nil, id)
		return
	}
	path := "/api/v1/" + svc + "/admin/dead-letters/" + strconv.FormatInt(id, 10) + "/replay"
	if _, err := h.call(c, http.MethodPost, svc, path, 0, map[string]any{}, nil); err != nil {
		form := web.NewForm()
		if !problemOnForm(err, form, nil) {
			h.serviceFailed(c, err)
			return
		}
		alert := web.Msg("web.approvals.refused")
		if g := form.General(); len(g) > 0 {
			alert = g[0]
		}
		h.renderDeadLetters(c, statusOf(err), nil, &alert, 0)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/dead-letters?service="+url.QueryEscape(svc)+"&m=replayed")
}

// actorID turns an actor filter that names exactly one gateway user (by
// username or display name) into that user's id; anything else (an id, a
// member id, a service) is searched as typed.
func (h *handlers) actorID(c *gin.Context, v string) string {
	if v == "" || h.Accounts == nil {
		return v
	}
	users, err := h.Accounts.Users(c.Request.Context(), store.UserFilter{Query: v, Limit: 50})
	if err != nil {
		return v
	}
	var match []string
	for _, u := range users {
		if u.Username == v || u.DisplayName == v {
			match = append(match, u.ID)
		}
	}
	if len(match) == 1 {
		return match[0]
	}
	return v
}

// nameActors fills the rows' ActorName from the gateway's users, one
// lookup per distinct actor.
func (h *handlers) nameActors(c *gin.Context, rows []auditRow) {
	if h.Accounts == nil {
		return
	}
	names := map[string]string{}
	for i := range rows {
		a := rows[i].Actor
		name, seen := names[a]
		if !seen {
			if u, err := h.Accounts.User(c.Request.Context(), a); err == nil {
				name = u.DisplayName + " (" + u.Username + ")"
			}
			names[a] = name
		}
		rows[i].ActorName = name
	}
}
