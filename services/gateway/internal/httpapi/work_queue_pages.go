package httpapi

import (
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// workQueueData feeds the caseworker's queue.
type workQueueData struct {
	Grants []grantQueueRow
	// GrantsShown: the user reviews grant applications (a caseworker, with
	// the grants service routed), on the first page of the open queue with
	// no case filter, which grant applications do not have.
	GrantsShown bool
	// GrantsHidden: they would be shown but for a filter.
	GrantsHidden bool
	// GrantPages links the applications' next page (cursor in
	// grants_after); GrantsStale: its cursor was refused, the first shows.
	GrantPages  pager
	GrantsStale bool
	Cases       []injuryCaseSummary
	State       string
	Unit        string
	Units       []string
	States      []string
	// Closed lists closed cases instead of the open work (待办).
	Closed bool
	Sort   string
	Sorts  []string
	Query  string
	// Next is the address of the next page ("" on the last); First the
	// first page's, shown on a later page.
	Next, First string
	// Now is the clock's time, for the time left to each deadline.
	Now time.Time
	// Calculators links the 测算 page (caseworkers).
	Calculators bool
	// MemberNames names the injured members of the cases.
	MemberNames map[string]string
}

// MemberName is the injured member's name, or their id when it is not
// known.
func (d workQueueData) MemberName(id string) string {
	if n := d.MemberNames[id]; n != "" {
		return n
	}
	return id
}

// Left says how long until a deadline, or how long past it, in the
// reader's words: "还剩 13 分钟", "已超期 2 小时".
func (d workQueueData) Left(due time.Time) web.Message {
	left := due.Sub(d.Now)
	key := "web.queue.left"
	if left < 0 {
		key, left = "web.queue.over", -left
	}
	switch {
	case left < time.Hour:
		return web.Msg(key+"_minutes", int(left.Minutes()))
	case left < 48*time.Hour:
		return web.Msg(key+"_hours", int(left.Hours()))
	}
	return web.Msg(key+"_days", int(left.Hours()/24))
}

// grantQueueRow is a grant application waiting for the caseworker's
// review. The grants API gives it no due date, so it shows how long it
// has waited rather than a colour for a deadline nobody set.
type grantQueueRow struct {
	grantApplication
	SubmittedAt time.Time
	DaysWaiting int
}

// maxQueueLookups caps the member look-ups of one queue page (one call
// each: enrollment's list does not filter by several ids); members past
// the cap are shown by id.
const maxQueueLookups = 25

// queuePageSize is how many cases one page of the queue shows.
const queuePageSize = 25

var injuryStates = []string{"triage", "treatment", "determination_filing", "determination_decided", "disability_grading", "closed"}

// queueSorts are the orders of the open queue; closed cases show newest
// first.
var queueSorts = []string{"due", "severity", "opened"}

// workQueue is the caseworker's queue: open cases (待办), by default the
// deadline due first, or closed ones on request; searched by case number
// or name, filtered by state and unit, a page at a time, all by the
// injury service. Grant applications awaiting review follow on the first
// page of the unfiltered open queue.
func (h *handlers) workQueue(c *gin.Context) {
	u := currentUser(c)
	d := workQueueData{Units: u.Units, States: injuryStates[:len(injuryStates)-1], Sorts: queueSorts, MemberNames: map[string]string{},
		Closed: c.Query("status") == "closed", Query: strings.TrimSpace(c.Query("q")), Now: h.Clock.Now(), Calculators: u.Has(domain.RoleCaseworker)}
	if d.State = c.Query("state"); !slices.Contains(d.States, d.State) || d.Closed {
		d.State = ""
	}
	if d.Unit = c.Query("unit"); !slices.Contains(u.Units, d.Unit) {
		d.Unit = ""
	}
	if d.Sort = c.Query("sort"); !slices.Contains(queueSorts, d.Sort) {
		d.Sort = "due"
	}
	q := url.Values{}
	if d.Closed {
		q.Set("status", "closed")
		d.Sort = ""
	}
	for k, v := range map[string]string{"state": d.State, "unit": d.Unit, "q": d.Query, "sort": d.Sort} {
		if v != "" {
			q.Set(k, v)
		}
	}
	api := url.Values{}
	maps.Copy(api, q)
	if d.Closed {
		api.Set("sort", "opened")
	} else {
		api.Set("status", "open")
	}
	api.Set("limit", strconv.Itoa(queuePageSize))
	after := c.Query("after")
	if after != "" {
		api.Set("after", after)
	}
	var list injuryCaseList
	if _, err := h.call(c, http.MethodGet, "injury", injuryAPI+"/cases?"+api.Encode(), 0, nil, &list); err != nil {
		var ae *APIError
		if !errors.As(err, &ae) || ae.Status != http.StatusUnprocessableEntity {
			h.serviceFailed(c, err)
			return
		}
		// a search too long or a stale cursor: show the problem, no list
		p := h.page(c, "web.queue.title")
		text := ae.Problem.Title
		for _, fe := range ae.Problem.Errors {
			text = fe.Message
		}
		p.Data, p.Alert = d, &web.Message{Text: text}
		h.withUnitNames(c, p)
		h.render(c, http.StatusUnprocessableEntity, "work_queue", p)
		return
	}
	d.Cases = list.Cases
	if list.Next != "" {
		next := url.Values{}
		maps.Copy(next, q)
		next.Set("after", list.Next)
		d.Next = "/work/queue?" + next.Encode()
	}
	if after != "" {
		d.First = "/work/queue?" + q.Encode()
	}
	unnamed := []string{}
	for _, cs := range d.Cases {
		if cs.MemberName != "" {
			d.MemberNames[cs.MemberID] = cs.MemberName
		} else if cs.MemberID != "" {
			unnamed = append(unnamed, cs.MemberID)
		}
	}
	// Only members the injury service cannot name yet are asked of
	// enrollment (which shows records to caseworkers, not unit heads).
	maps.Copy(d.MemberNames, h.injuryMemberNames(c, unnamed, maxQueueLookups))
	if u.Has(domain.RoleCaseworker) && h.Upstreams.Has("grants") {
		if d.State != "" || d.Closed || d.Query != "" || after != "" {
			d.GrantsHidden = true
		} else {
			apps, next, stale, err := h.grantQueue(c, "unit", "submitted", c.Query("grants_after"), 0)
			if err != nil {
				h.serviceFailed(c, err)
				return
			}
			d.GrantsShown, d.GrantsStale = true, stale
			d.GrantPages = pagerFor(c, "grant-queue", "grants_after", next)
			for _, a := range apps {
				if d.Unit != "" && a.UnitID != d.Unit {
					continue
				}
				row := grantQueueRow{grantApplication: a, SubmittedAt: submittedAt(a)}
				if days := int(d.Now.Sub(row.SubmittedAt) / (24 * time.Hour)); days > 0 {
					row.DaysWaiting = days
				}
				d.Grants = append(d.Grants, row)
			}
		}
	}
	p := h.page(c, "web.queue.title")
	p.Data = d
	h.withUnitNames(c, p)
	h.render(c, http.StatusOK, "work_queue", p)
}

// submittedAt is when an application was last submitted: its latest
// submit step, or its creation when the history does not show one.
func submittedAt(a grantApplication) time.Time {
	at := a.CreatedAt
	for _, x := range a.History {
		if x.Step == "submit" && x.At.After(at) {
			at = x.At
		}
	}
	return at
}

// injuryMember is the part of an enrollment member (GET /members and
// GET /members/{id}) the injury pages show: who, and in which unit.
type injuryMember struct {
	ID             string `json:"id"`
	UnitID         string `json:"unit_id"`
	Name           string `json:"name"`
	IDNumberMasked string `json:"id_number_masked"`
}

// findLimit is how many members a name search lists.
const findLimit = 20

// maxFindRunes bounds the name searched for.
const maxFindRunes = 40

// memberFind is a search for a member by name, in the searcher's units as
// enrollment scopes its member list, and what it found.
type memberFind struct {
	Query    string
	Searched bool
	Found    []injuryMember
	More     bool // more than Limit matched
	Limit    int
	// Errors are about what was typed (Invalid) or say the search could
	// not be made; either shows next to the search field.
	Errors  []web.Message
	Invalid bool
}

// findMembers searches enrollment for members whose name starts with q.
// What was typed wrong is an error next to the search field; a refusal or
// an enrollment that does not answer is a note there too, never an error
// page: the report must still go out, with the name typed instead.
func (h *handlers) findMembers(c *gin.Context, q string, searched bool) memberFind {
	q = strings.TrimSpace(strings.ToValidUTF8(q, ""))
	f := memberFind{Query: q, Searched: searched, Limit: findLimit}
	if !searched {
		return f
	}
	switch n := utf8.RuneCountInString(q); {
	case n == 0:
		f.Errors, f.Invalid = []web.Message{web.Msg("web.injurypeople.find_required")}, true
		return f
	case n > maxFindRunes:
		f.Errors, f.Invalid = []web.Message{web.Msg("web.injurypeople.find_too_long", maxFindRunes)}, true
		return f
	}
	qs := url.Values{"name": {q}, "limit": {strconv.Itoa(findLimit + 1)}}
	var list struct {
		Members []injuryMember `json:"members"`
	}
	if _, err := h.call(c, http.MethodGet, "enrollment", enrollmentAPI+"/members?"+qs.Encode(), 0, nil, &list); err != nil {
		h.Log.InfoContext(c, "member search not made", "error", err)
		f.Errors = []web.Message{web.Msg("web.injurypeople.find_unavailable")}
		return f
	}
	if len(list.Members) > findLimit {
		list.Members, f.More = list.Members[:findLimit], true
	}
	f.Found = list.Members
	return f
}

// keepChosen puts the member chosen before a refused form back among the
// choices when the search no longer lists them.
func (h *handlers) keepChosen(c *gin.Context, f *memberFind, id string) {
	if id == "" || slices.ContainsFunc(f.Found, func(m injuryMember) bool { return m.ID == id }) {
		return
	}
	if m, err := h.enrollmentMember(c, id); err == nil && m.ID != "" {
		f.Found = append([]injuryMember{m}, f.Found...)
	}
}

// enrollmentMember reads one member's record as the user may see it.
func (h *handlers) enrollmentMember(c *gin.Context, id string) (injuryMember, error) {
	var m injuryMember
	if id == "" {
		return m, errNotRouted
	}
	_, err := h.call(c, http.MethodGet, "enrollment", enrollmentAPI+"/members/"+url.PathEscape(id), 0, nil, &m)
	return m, err
}

// injuryMemberNames names up to max distinct members of ids, one look-up each:
// enrollment's list filters by one name prefix, not by several ids. A
// member past the cap, or whose record the user may not read, is shown by
// id; a role enrollment refuses outright (a unit head) is not asked again.
func (h *handlers) injuryMemberNames(c *gin.Context, ids []string, max int) map[string]string {
	names := map[string]string{}
	tried := map[string]bool{}
	for _, id := range ids {
		if id == "" || tried[id] || len(tried) >= max {
			continue
		}
		tried[id] = true
		m, err := h.enrollmentMember(c, id)
		if err != nil {
			var ae *APIError
			if errors.Is(err, errNotRouted) || (errors.As(err, &ae) && (ae.Status == http.StatusForbidden || ae.Status == http.StatusUnauthorized)) {
				return names // the user may read no member record: ask no more
			}
			h.Log.InfoContext(c, "member not named", "member", id, "error", err)
			continue
		}
		names[id] = m.Name
	}
	return names
}
