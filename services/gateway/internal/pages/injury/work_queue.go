package injury

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	injuryapi "github.com/anxin-welfare/anxin/api/client/injury"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
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
	GrantPages  webkit.Pager
	GrantsStale bool
	Cases       []caseSummary
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
	webkit.GrantSummary
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
func (a *area) workQueue(c *gin.Context) {
	u := a.User(c)
	d := workQueueData{Units: u.Units, States: injuryStates[:len(injuryStates)-1], Sorts: queueSorts, MemberNames: map[string]string{},
		Closed: c.Query("status") == "closed", Query: strings.TrimSpace(c.Query("q")), Now: a.Clock.Now(), Calculators: u.Has(domain.RoleCaseworker)}
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
	after := c.Query("after")
	list, err := a.queueCases(c, d, after)
	if err != nil {
		status, problem, refused := webkit.Refusal(err)
		if !refused || status != http.StatusUnprocessableEntity {
			a.ServiceFailed(c, err)
			return
		}
		// a search too long or a stale cursor: show the problem, no list
		p := a.Page(c, "web.queue.title")
		text := problem.Title
		for _, fe := range problem.Errors {
			text = fe.Message
		}
		p.Data, p.Alert = d, &web.Message{Text: text}
		a.WithUnitNames(c, p)
		a.Render(c, http.StatusUnprocessableEntity, "work_queue", p)
		return
	}
	d.Cases = casesOf(list)
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
	maps.Copy(d.MemberNames, a.memberNames(c, unnamed, maxQueueLookups))
	if u.Has(domain.RoleCaseworker) && a.Routed("grants") {
		if d.State != "" || d.Closed || d.Query != "" || after != "" {
			d.GrantsHidden = true
		} else if !a.grantsToReview(c, &d) {
			return
		}
	}
	p := a.Page(c, "web.queue.title")
	p.Data = d
	a.WithUnitNames(c, p)
	a.Render(c, http.StatusOK, "work_queue", p)
}

// queueCases reads a page of the queue's cases from the injury service.
func (a *area) queueCases(c *gin.Context, d workQueueData, after string) (*injuryapi.CaseList, error) {
	api, err := a.Injury(c)
	if err != nil {
		return nil, err
	}
	limit := queuePageSize
	params := &injuryapi.ListCasesParams{Limit: &limit}
	set := func(dst **string, v string) {
		if v != "" {
			*dst = &v
		}
	}
	set(&params.Q, d.Query)
	set(&params.Unit, d.Unit)
	set(&params.After, after)
	if d.State != "" {
		st := injuryapi.State(d.State)
		params.State = &st
	}
	status, sort := injuryapi.ListCasesParamsStatusOpen, injuryapi.ListCasesParamsSort(d.Sort)
	if d.Closed {
		status, sort = injuryapi.ListCasesParamsStatusClosed, injuryapi.ListCasesParamsSortOpened
	}
	params.Status, params.Sort = &status, &sort
	r, err := api.ListCasesWithResponse(c.Request.Context(), params)
	if err != nil {
		return nil, err
	}
	if r.JSON200 == nil {
		return nil, webkit.ErrUnexpected
	}
	return r.JSON200, nil
}

// grantsToReview fills the queue's grant applications awaiting the
// caseworker's review (the first page, or the one grants_after names; a
// stale cursor shows the first). When they cannot be read the page has
// answered and it reports false.
func (a *area) grantsToReview(c *gin.Context, d *workQueueData) bool {
	apps, next, stale, err := a.submittedGrants(c, c.Query("grants_after"))
	if err != nil {
		a.ServiceFailed(c, err)
		return false
	}
	d.GrantsShown, d.GrantsStale = true, stale
	d.GrantPages = a.PagerFor(c, "grant-queue", "grants_after", next)
	for _, app := range apps {
		if d.Unit != "" && app.UnitID != d.Unit {
			continue
		}
		row := grantQueueRow{GrantSummary: app, SubmittedAt: app.SubmittedAt()}
		if days := int(d.Now.Sub(row.SubmittedAt) / (24 * time.Hour)); days > 0 {
			row.DaysWaiting = days
		}
		d.Grants = append(d.Grants, row)
	}
	return true
}

// submittedGrants reads a page of the unit's submitted applications after
// the cursor after; a cursor the service refuses (an old link) reads the
// first page, and stale says so.
func (a *area) submittedGrants(c *gin.Context, after string) (apps []webkit.GrantSummary, next string, stale bool, err error) {
	api, err := a.Grants(c)
	if err != nil {
		return nil, "", false, err
	}
	scope, state := grantsapi.ListApplicationsParamsScope("unit"), grantsapi.State("submitted")
	params := &grantsapi.ListApplicationsParams{Scope: &scope, State: &state}
	if after != "" {
		params.After = &after
	}
	r, err := api.ListApplicationsWithResponse(c.Request.Context(), params)
	if err != nil && after != "" && webkit.StaleCursor(err) {
		stale, params.After = true, nil
		r, err = api.ListApplicationsWithResponse(c.Request.Context(), params)
	}
	if err != nil {
		return nil, "", false, err
	}
	if r.JSON200 == nil {
		return nil, "", false, webkit.ErrUnexpected
	}
	for _, app := range webkit.Deref(r.JSON200.Items) {
		apps = append(apps, webkit.GrantSummaryOf(app))
	}
	return apps, webkit.Deref(r.JSON200.Next), stale, nil
}
