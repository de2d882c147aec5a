package admin

import (
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
)

// The audit trail of every service, with search: the gateway's own trail
// read directly, each routed service's over its platform endpoint.

// auditRow is one row of a trail as the page shows it.
type auditRow struct {
	Seq        int64
	At         time.Time
	Actor      string
	Action     string
	ObjectType string
	ObjectID   string
	// Before and After are the states the row recorded, as JSON.
	Before, After []byte
	// ActorName is the gateway user behind Actor, "姓名 (username)", when
	// Actor is a user id.
	ActorName string
	// ActionKey is the catalogue key naming Action, "" when the catalogue
	// has no name for it (the page shows the code).
	ActionKey string
	// ObjectName names the object for a reader: a username, a case or
	// application number; "" when it cannot be named (the page shows the id).
	ObjectName string
	// TypeKey is the catalogue key naming ObjectType, "" when unnamed.
	TypeKey string
	// Session is what a sign-in, sign-out or failed sign-in recorded.
	Session *sessionRecord
}

func rowOf(r audit.Record) auditRow {
	return auditRow{Seq: r.Seq, At: r.At, Actor: r.Actor, Action: r.Action, ObjectType: r.ObjectType, ObjectID: r.ObjectID, Before: r.Before, After: r.After}
}

// sessionRecord is what a session row of the gateway's trail keeps (the
// sign-in pages write it): the username as typed, the address, the
// outcome and the method.
type sessionRecord struct {
	Username string
	Address  string
	Outcome  string
	Method   string
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

func (a *area) registerAuditPages(g *gin.RouterGroup) {
	g.GET("/audit", a.RequireUser(domain.RoleAuditor, domain.RoleAdmin), a.auditPage)
	admin := a.RequireUser(domain.RoleAdmin)
	g.GET("/admin/dead-letters", admin, a.deadLettersPage)
	g.POST("/admin/dead-letters/:service/:id/replay", admin, a.replayDeadLetter)
}

// auditServices are the trails one can read: the gateway's and each routed
// service's.
func (a *area) auditServices() []string {
	return append([]string{"gateway"}, a.s.Services...)
}

// objectNumberPattern is the shape of the numbers people give objects: a
// case's GC-2026-000123, an application's GA-2026-000001.
var objectNumberPattern = regexp.MustCompile(`^[A-Z]{2,4}-\d{4}-\d{1,12}$`)

var auditFilters = []string{"actor", "action", "object_type", "object_id", "from", "to"}

// auditPageSize is the rows of one page of the trail.
const auditPageSize = 50

func (a *area) auditPage(c *gin.Context) {
	lang := a.Lang(c)
	d := auditData{Services: a.auditServices(), Service: c.DefaultQuery("service", "gateway"), Filter: map[string]string{},
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
	q := auditQuery{Actor: a.actorID(c, d.Filter["actor"]), Action: auditActionCode(lang, d.Filter["action"]), ObjectType: d.Filter["object_type"],
		ObjectID: d.Filter["object_id"], Limit: auditPageSize}
	if id := a.userIDByUsername(c, q.ObjectID); id != "" {
		q.ObjectID = id
	} else if n := strings.ToUpper(q.ObjectID); objectNumberPattern.MatchString(n) {
		q.ObjectID, q.ObjectNumber = "", n
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
	q.From, q.To = bound("from", false), bound("to", true)
	if d.Service == "gateway" {
		f := audit.Filter{Actor: q.Actor, Action: q.Action, ObjectType: q.ObjectType, ObjectID: q.ObjectID, ObjectNumber: q.ObjectNumber,
			From: q.From, To: q.To, NewestFirst: true, Limit: pr.Fetch()}
		var before int64
		if ok, err := pr.Decode(&before); err == nil && ok {
			f.BeforeSeq = before
		}
		recs, err := audit.List(c.Request.Context(), a.s.AuditDB, f)
		if err != nil {
			a.Fail(c, err)
			return
		}
		recs, d.Next = page.Trim(pr, recs, func(r audit.Record) string { return page.Cursor(r.Seq) })
		for _, r := range recs {
			d.Rows = append(d.Rows, rowOf(r))
		}
	} else {
		q.After = pr.After
		recs, next, err := a.serviceTrail(c, d.Service, q)
		if err != nil {
			a.ServiceFailed(c, err)
			return
		}
		d.Next = next
		for _, r := range recs {
			d.Rows = append(d.Rows, rowOf(r))
		}
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
	a.nameActors(c, d.Rows)
	a.nameObjects(c, d.Service, d.Rows)
	for i := range d.Rows {
		if strings.HasPrefix(d.Rows[i].Action, "session.") {
			var rec sessionRecord
			if webkit.StateOf(d.Rows[i].After, &rec) {
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
	p := a.Page(c, "web.audit.title")
	p.Data = d
	a.Render(c, http.StatusOK, "audit", p)
}

// serviceTrail reads one page of a service's trail.
func (a *area) serviceTrail(c *gin.Context, service string, q auditQuery) ([]audit.Record, string, error) {
	pf, err := a.platformOf(c, service)
	if err != nil {
		return nil, "", err
	}
	raw, err := pf.audit(c.Request.Context(), q)
	if err != nil {
		return nil, "", err
	}
	return webkit.PageOf[audit.Record](raw)
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

// actorID turns an actor filter that names exactly one gateway user (by
// username or display name) into that user's id; anything else (an id, a
// member id, a service) is searched as typed.
func (a *area) actorID(c *gin.Context, v string) string {
	if v == "" || a.s.Accounts == nil {
		return v
	}
	users, err := a.s.Accounts.Users(c.Request.Context(), store.UserFilter{Query: v, Limit: 50})
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
func (a *area) nameActors(c *gin.Context, rows []auditRow) {
	if a.s.Accounts == nil {
		return
	}
	names := map[string]string{}
	for i := range rows {
		who := rows[i].Actor
		name, seen := names[who]
		if !seen {
			if u, err := a.s.Accounts.User(c.Request.Context(), who); err == nil {
				name = u.DisplayName + " (" + u.Username + ")"
			} else if sa, err := a.s.Accounts.ServiceAccount(c.Request.Context(), who); err == nil {
				name = sa.Name + " (" + sa.DisplayPrefix() + ")" // a machine client
			}
			names[who] = name
		}
		rows[i].ActorName = name
	}
}

// recordedName is what a row's recorded state says of its object.
type recordedName struct {
	Number string
	Name   string
}

// nameObjects names the objects of the rows shown, one lookup per distinct
// object of this page: users by username, cases and applications by their
// number, members, units and plans by their name (from the rows themselves
// when they record it, else from the service that owns the object, as far
// as the reader may see it). An object that cannot be named keeps its id.
func (a *area) nameObjects(c *gin.Context, service string, rows []auditRow) {
	names := map[string]string{}
	// A row that records the object's state often carries its number.
	for _, r := range rows {
		for _, state := range [][]byte{r.After, r.Before} {
			var v recordedName
			if !webkit.StateOf(state, &v) {
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
	for i := range rows {
		r := &rows[i]
		if r.ObjectID == "" {
			continue
		}
		k := r.ObjectType + "/" + r.ObjectID
		name, seen := names[k]
		if !seen {
			name = a.lookupObject(c, service, r.ObjectType, r.ObjectID)
			names[k] = name
		}
		r.ObjectName = name
	}
}

// lookupObject names one object by asking who keeps it: a user the
// gateway, a case injury, an application grants; "" when it cannot.
func (a *area) lookupObject(c *gin.Context, service, typ, id string) string {
	ctx := c.Request.Context()
	switch {
	case typ == "user" && a.s.Accounts != nil:
		if u, err := a.s.Accounts.User(ctx, id); err == nil {
			return u.Username
		}
	case typ == "case" && service == "injury":
		cid, err := uuid.Parse(id)
		if err != nil {
			return ""
		}
		api, err := a.Injury(c)
		if err != nil {
			return ""
		}
		if r, err := api.GetCaseWithResponse(ctx, cid); err == nil && r.JSON200 != nil {
			return r.JSON200.Number
		}
	case typ == "application" && service == "grants":
		api, err := a.Grants(c)
		if err != nil {
			return ""
		}
		if r, err := api.GetApplicationWithResponse(ctx, id); err == nil && r.JSON200 != nil {
			return r.JSON200.Number
		}
	}
	return ""
}

// userIDByUsername is the id of the gateway user with exactly that
// username, "" when none has it.
func (a *area) userIDByUsername(c *gin.Context, username string) string {
	if username == "" || a.s.Accounts == nil {
		return ""
	}
	users, err := a.s.Accounts.Users(c.Request.Context(), store.UserFilter{Query: username, Limit: 50})
	if err != nil {
		return ""
	}
	for _, u := range users {
		if u.Username == username {
			return u.ID
		}
	}
	return ""
}
