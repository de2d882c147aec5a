package httpapi

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/page"
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
	// ObjectName names the object for a reader: a username, a case or
	// application number; "" when it cannot be named (the page shows the id).
	ObjectName string `json:"-"`
	// TypeKey is the catalogue key naming ObjectType, "" when unnamed.
	TypeKey string `json:"-"`
	// Session is what a sign-in, sign-out or failed sign-in recorded.
	Session *sessionRecord `json:"-"`
}

type auditData struct {
	Services []string
	Service  string
	Filter   map[string]string
	Rows     []auditRow
	// Next is the cursor of the following (older) page, "" on the last.
	Next string
	// NextURL is the page's filters with Next, for the "older" link; built
	// by url.Values.Encode, so safe as a URL.
	NextURL template.URL
	// Older is set on every page but the newest.
	Older bool
	// Actions are the named actions, for the action filter's suggestions.
	Actions []string
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
	// Pages links to the next page of letters (and back to the first);
	// Stale says an old link's cursor was refused and the first page shown.
	Pages pager
	Stale bool
	// Confirm is the confirmation card of a replay asked for.
	Confirm *confirmCard
}

// deadLetterPageSize is how many letters the page shows at a time.
const deadLetterPageSize = 50

// deadLetterPage reads one page of a service's dead letters, replayed ones
// included, after the cursor after ("" for the first page).
func (h *handlers) deadLetterPage(c *gin.Context, service, after string) (listPage[deadLetter], error) {
	q := url.Values{"pending": {"false"}, "limit": {strconv.Itoa(deadLetterPageSize)}}
	if after != "" {
		q.Set("after", after)
	}
	var list listPage[deadLetter]
	_, err := h.call(c, http.MethodGet, service, "/api/v1/"+service+"/admin/dead-letters?"+q.Encode(), 0, nil, &list)
	return list, err
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

// objectNumberPattern is the shape of the numbers people give objects: a
// case's GC-2026-000123, an application's GA-2026-000001.
var objectNumberPattern = regexp.MustCompile(`^[A-Z]{2,4}-\d{4}-\d{1,12}$`)

var auditFilters = []string{"actor", "action", "object_type", "object_id", "from", "to"}

// auditPageSize is the rows of one page of the trail.
const auditPageSize = 50

func (h *handlers) auditPage(c *gin.Context) {
	lang := lang(c)
	d := auditData{Services: h.auditServices(), Service: c.DefaultQuery("service", "gateway"), Filter: map[string]string{},
		Actions: auditActionNames(lang)}
	if !slices.Contains(d.Services, d.Service) {
		d.Service = "gateway"
	}
	for _, k := range auditFilters {
		d.Filter[k] = strings.TrimSpace(c.Query(k))
	}
	// The trail records user ids and action codes; the auditor searches
	// by username or name, by the action's name in their language, and by
	// a username as the object.
	actorFilter := h.actorID(c, d.Filter["actor"])
	actionFilter := auditActionCode(lang, d.Filter["action"])
	objectFilter, objectNumber := d.Filter["object_id"], ""
	if id := h.userIDByUsername(c.Request.Context(), objectFilter); id != "" {
		objectFilter = id
	} else if n := strings.ToUpper(objectFilter); objectNumberPattern.MatchString(n) {
		objectFilter, objectNumber = "", n
	}
	pr, err := page.FromQuery(url.Values{"after": {c.Query("after")}, "limit": {strconv.Itoa(auditPageSize)}})
	if err != nil {
		pr = page.Request{Limit: auditPageSize} // a cursor that is not ours: start at the newest
	}
	d.Older = pr.After != ""
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
		f := audit.Filter{Actor: actorFilter, Action: actionFilter, ObjectType: d.Filter["object_type"], ObjectID: objectFilter, ObjectNumber: objectNumber,
			From: from, To: to, NewestFirst: true, Limit: pr.Fetch()}
		var before int64
		if ok, err := pr.Decode(&before); err == nil && ok {
			f.BeforeSeq = before
		}
		recs, err := audit.List(c.Request.Context(), h.AuditDB, f)
		if err != nil {
			h.fail(c, err)
			return
		}
		recs, d.Next = page.Trim(pr, recs, func(r audit.Record) string { return page.Cursor(r.Seq) })
		for _, r := range recs {
			d.Rows = append(d.Rows, auditRow{Seq: r.Seq, At: r.At, Actor: r.Actor, Action: r.Action, ObjectType: r.ObjectType,
				ObjectID: r.ObjectID, Before: r.Before, After: r.After})
		}
	} else {
		q := url.Values{"limit": {strconv.Itoa(auditPageSize)}}
		for k, v := range map[string]string{"action": actionFilter, "object_type": d.Filter["object_type"], "object_id": objectFilter,
			"object_number": objectNumber, "actor": actorFilter} {
			if v != "" {
				q.Set(k, v)
			}
		}
		if !from.IsZero() {
			q.Set("from", from.Format(time.RFC3339))
		}
		if !to.IsZero() {
			q.Set("to", to.Format(time.RFC3339))
		}
		if pr.After != "" {
			q.Set("after", pr.After)
		}
		var list struct {
			Items []auditRow `json:"items"`
			Next  string     `json:"next"`
		}
		if _, err := h.call(c, http.MethodGet, d.Service, "/api/v1/"+d.Service+"/admin/audit?"+q.Encode(), 0, nil, &list); err != nil {
			h.serviceFailed(c, err)
			return
		}
		d.Rows, d.Next = list.Items, list.Next
	}
	if d.Next != "" {
		nq := url.Values{"service": {d.Service}, "after": {d.Next}}
		for k, v := range d.Filter {
			if v != "" {
				nq.Set(k, v)
			}
		}
		d.NextURL = template.URL("/audit?" + nq.Encode()) //nolint:gosec // every part is encoded by url.Values
	}
	h.nameActors(c, d.Rows)
	h.nameObjects(c, d.Service, d.Rows)
	for i := range d.Rows {
		if strings.HasPrefix(d.Rows[i].Action, "session.") {
			var rec sessionRecord
			if json.Unmarshal(d.Rows[i].After, &rec) == nil {
				d.Rows[i].Session = &rec
			}
		}
		if k := "web.audit.type." + d.Rows[i].ObjectType; i18n.Has(k) {
			d.Rows[i].TypeKey = k
		}
		if k := "web.audit.act." + d.Rows[i].Action; i18n.Has(k) {
			d.Rows[i].ActionKey = k
		}
	}
	p := h.page(c, "web.audit.title")
	p.Data = d
	h.render(c, http.StatusOK, "audit", p)
}

// auditActionNames lists the name of every action the catalogue names,
// in the reader's language, for the filter's suggestions.
func auditActionNames(l i18n.Lang) []string {
	var out []string
	for _, k := range i18n.Keys() {
		if strings.HasPrefix(k, "web.audit.act.") {
			out = append(out, i18n.T(l, k))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// auditActionCode turns an action filter typed as the action's name (in
// the reader's language, or the other one) into its code; a code, or a
// name the catalogue does not know, is searched as typed.
func auditActionCode(l i18n.Lang, v string) string {
	if v == "" {
		return ""
	}
	for _, k := range i18n.Keys() {
		if !strings.HasPrefix(k, "web.audit.act.") {
			continue
		}
		if i18n.T(l, k) == v || strings.EqualFold(i18n.T(i18n.EN, k), v) || i18n.T(i18n.ZH, k) == v {
			return strings.TrimPrefix(k, "web.audit.act.")
		}
	}
	return v
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
		// A page at a time, newest first; the cursor travels in after. A
		// replay's POST shows the first page again.
		after := ""
		if c.Request.Method == http.MethodGet {
			after = c.Query("after")
		}
		list, err := h.deadLetterPage(c, d.Service, after)
		if err != nil && after != "" && staleCursor(err) {
			d.Stale = true
			list, err = h.deadLetterPage(c, d.Service, "")
		}
		if err != nil {
			h.serviceFailed(c, err)
			return
		}
		d.Items = list.Items
		pq := url.Values{"service": {d.Service}}
		if after != "" && !d.Stale {
			pq.Set("after", after)
		}
		d.Pages = pagerAt(c, "/admin/dead-letters", pq, "dead-letters", "after", list.Next)
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

// nameActors fills the rows' ActorName from the gateway's users and
// service accounts, one lookup per distinct actor.
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
			} else if sa, err := h.Accounts.ServiceAccount(c.Request.Context(), a); err == nil {
				name = sa.Name + " (" + sa.DisplayPrefix() + ")" // a machine client
			}
			names[a] = name
		}
		rows[i].ActorName = name
	}
}

// nameObjects names the objects of the rows shown, one lookup per distinct
// object of this page: users by username, cases and applications by their
// number, members, units and plans by their name (from the rows themselves
// when they record it, else from the service that owns the object, as far
// as the reader may see it). An object that cannot be named keeps its id.
func (h *handlers) nameObjects(c *gin.Context, service string, rows []auditRow) {
	names := map[string]string{}
	// A row that records the object's state often carries its number.
	for _, r := range rows {
		for _, state := range []json.RawMessage{r.After, r.Before} {
			var v struct {
				Number string `json:"number"`
				Name   string `json:"name"`
			}
			if len(state) == 0 || json.Unmarshal(state, &v) != nil {
				continue
			}
			k := r.ObjectType + "/" + r.ObjectID
			switch {
			case v.Number != "" && names[k] == "":
				names[k] = v.Number
			case v.Name != "" && names[k] == "" && (r.ObjectType == "member" || r.ObjectType == "unit" || r.ObjectType == "plan"):
				// A member, unit or plan is known by its name.
				names[k] = v.Name
			}
		}
	}
	lookup := func(typ, id string) string {
		switch {
		case typ == "user" && h.Accounts != nil:
			if u, err := h.Accounts.User(c.Request.Context(), id); err == nil {
				return u.Username
			}
		case typ == "case" && service == "injury":
			var cs struct {
				Number string `json:"number"`
			}
			if _, err := h.call(c, http.MethodGet, "injury", "/api/v1/injury/cases/"+url.PathEscape(id), 0, nil, &cs); err == nil {
				return cs.Number
			}
		case typ == "application" && service == "grants":
			var a struct {
				Number string `json:"number"`
			}
			if _, err := h.call(c, http.MethodGet, "grants", "/api/v1/grants/applications/"+url.PathEscape(id), 0, nil, &a); err == nil {
				return a.Number
			}
		}
		return ""
	}
	for i := range rows {
		r := &rows[i]
		if r.ObjectID == "" {
			continue
		}
		k := r.ObjectType + "/" + r.ObjectID
		name, seen := names[k]
		if !seen {
			name = lookup(r.ObjectType, r.ObjectID)
			names[k] = name
		}
		r.ObjectName = name
	}
}
