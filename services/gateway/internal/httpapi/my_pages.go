package httpapi

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// mySection is one service's part of "my matters": its items, or why they
// cannot be shown now. One service being down must not blank the page.
type mySection struct {
	Available bool
	Error     *web.Message
}

// timelineStep is one dated step of an item's history as the pages show
// it: when (an instant shown in Asia/Shanghai, or a day), who, what
// happened and the state it led to, and the words someone wrote.
type timelineStep struct {
	At   time.Time
	Day  string
	Who  *web.Message
	What web.Message
	To   *web.Message
	Note string
}

// myCase is an injury case with its last steps.
type myCase struct {
	injuryCaseSummary
	Steps []timelineStep
}

// myApplication is a grant application with its last steps.
type myApplication struct {
	grantApplication
	Steps []timelineStep
}

// myAttention is one thing on /my that needs the officer's attention
// now, in plain words: a case late or escalated and who handles it, a
// deadline of their own coming, an application sent back to them.
type myAttention struct {
	Href, Number string
	// Status is the clock colour shown as a badge ("" for none).
	Status string
	// What says what happened and what it means for them.
	What web.Message
	// InCharge names the caseworker who took the case and Phone the
	// number they gave ("" when none has yet: the unit's caseworkers are
	// told).
	InCharge, Phone string
}

type myData struct {
	// Attention is what needs the officer now, shown first; the rest of
	// the page folds.
	Attention []myAttention
	Injury    struct {
		mySection
		Cases []myCase
		// Pages links to older cases (this page is the officer's list of
		// their cases) and back to the latest; Stale says an old link's
		// cursor was refused and the latest are shown.
		Pages pager
		Stale bool
	}
	// More, in the other parts, says there are older items than the page
	// shows: a link leads to their own page.
	Leave struct {
		mySection
		Requests []leaveItem
		More     bool
	}
	Grants struct {
		mySection
		Applications []myApplication
		More         bool
	}
	Care struct {
		mySection
		Stays  []stayView
		Checks []checkView
		// Count is how many checks and stays there are, for the folded
		// part's summary.
		Count int
		More  bool
	}
}

const (
	// myListed is how many of each list (cases, leave requests,
	// applications, checks and stays) /my asks for and shows, the latest
	// first; a link leads to the whole list when there are more.
	myListed = 10
	// mySteps is how many of an item's last steps /my shows.
	mySteps = 3
	// myNoteRunes shortens a comment on /my; the item's page has it whole.
	myNoteRunes = 120
)

// section fills one part of the page from a service, or marks it
// unavailable; it never fails the page.
func (h *handlers) section(c *gin.Context, s *mySection, service string, gets ...func() error) {
	if !h.Upstreams.Has(service) {
		return
	}
	s.Available = true
	for _, get := range gets {
		if err := get(); err != nil {
			h.Log.WarnContext(c, "my page section", "service", service, "error", err)
			m := web.Msg("web.my.section_unavailable")
			s.Error = &m
			return
		}
	}
}

// myPage is an officer's or family member's overview of everything of
// theirs in progress, each with its status and its last steps. It asks the
// services at once, each for the latest myListed items, and the item
// histories at once too: the page waits for the slowest call, not for
// their sum.
func (h *handlers) myPage(c *gin.Context) {
	var (
		d                       myData
		caseAtt, applicationAtt []myAttention
		wg                      sync.WaitGroup
	)
	officer := currentUser(c).Has(domain.RoleOfficer)
	wg.Go(func() { caseAtt = h.myInjury(c, &d) })
	if officer {
		wg.Go(func() { h.myLeave(c, &d) })
	}
	wg.Go(func() { applicationAtt = h.myGrants(c, &d) })
	if officer {
		wg.Go(func() { h.myCare(c, &d) })
	}
	wg.Wait()
	d.Attention = append(caseAtt, applicationAtt...)
	p := h.page(c, "web.my.title")
	p.Data = d
	h.render(c, http.StatusOK, "my", p)
}

// myListQuery is the query of a /my list call: the latest myListed.
var myListQuery = "limit=" + strconv.Itoa(myListed)

// myInjury fills the injury part: the latest cases with their last steps
// (one call), and what needs the officer in them.
func (h *handlers) myInjury(c *gin.Context, d *myData) []myAttention {
	var att []myAttention
	h.section(c, &d.Injury.mySection, "injury", func() error {
		after := c.Query(myCasesParam)
		list, err := h.myCases(c, after)
		if err != nil && after != "" && staleCursor(err) {
			d.Injury.Stale = true
			list, err = h.myCases(c, "")
		}
		if err != nil {
			return err
		}
		q := c.Request.URL.Query()
		if d.Injury.Stale {
			q.Del(myCasesParam)
		}
		d.Injury.Pages = pagerAt(c, c.Request.URL.Path, q, "my-injury", myCasesParam, list.Next)
		for _, cs := range list.Cases {
			d.Injury.Cases = append(d.Injury.Cases, myCase{injuryCaseSummary: cs.injuryCaseSummary, Steps: caseSteps(cs.Steps)})
			if what, ok := caseAttention(lang(c), cs.injuryCaseSummary); ok {
				att = append(att, myAttention{Href: "/cases/" + url.PathEscape(cs.ID), Number: cs.Number, Status: cs.Status,
					What: what, InCharge: cs.InChargeName, Phone: cs.InChargePhone})
			}
		}
		return nil
	})
	return att
}

// myCasesParam carries the cursor of the officer's older cases in /my's
// address.
const myCasesParam = "cases_after"

// myCaseList is a page of the injury list asked for each case's last
// steps (?steps=), which it reads for the whole page at once.
type myCaseList struct {
	Cases []struct {
		injuryCaseSummary
		Steps []injuryTimelineEntry `json:"steps"`
	} `json:"cases"`
	Next string `json:"next"`
}

// myCases reads a page of the officer's cases, the latest first, each with
// its last mySteps steps, after the cursor after ("" for the first page).
func (h *handlers) myCases(c *gin.Context, after string) (myCaseList, error) {
	path := injuryAPI + "/cases?" + myListQuery + "&steps=" + strconv.Itoa(mySteps)
	if after != "" {
		path += "&after=" + url.QueryEscape(after)
	}
	var list myCaseList
	_, err := h.call(c, http.MethodGet, "injury", path, 0, nil, &list)
	return list, err
}

// myLeave fills the leave part: the latest requests with their steps.
func (h *handlers) myLeave(c *gin.Context, d *myData) {
	h.section(c, &d.Leave.mySection, "leave", func() error {
		var list listPage[leaveRequest]
		if _, err := h.call(c, http.MethodGet, "leave", leaveAPI+"/requests?"+myListQuery, 0, nil, &list); err != nil {
			return err
		}
		d.Leave.More = list.Next != ""
		d.Leave.Requests = h.leaveItems(c, list.Items)
		for i := range d.Leave.Requests {
			d.Leave.Requests[i].Steps = lastSteps(d.Leave.Requests[i].Steps)
		}
		return nil
	})
}

// myGrants fills the grants part: the latest applications with their last
// steps (one call), and those sent back to the officer.
func (h *handlers) myGrants(c *gin.Context, d *myData) []myAttention {
	var att []myAttention
	h.section(c, &d.Grants.mySection, "grants", func() error {
		var list listPage[grantApplication]
		path := grantsAPI + "/applications?scope=mine&" + myListQuery + "&steps=" + strconv.Itoa(mySteps)
		if _, err := h.call(c, http.MethodGet, "grants", path, 0, nil, &list); err != nil {
			return err
		}
		d.Grants.More = list.Next != ""
		for _, a := range list.Items {
			if a.State == "returned" {
				att = append(att, myAttention{Href: "/grants/applications/" + url.PathEscape(a.ID), Number: a.Number,
					What: web.Msg("web.my.attention.grant_returned", a.Number)})
			}
			d.Grants.Applications = append(d.Grants.Applications, myApplication{grantApplication: a, Steps: applicationSteps(a.History)})
		}
		return nil
	})
	return att
}

// myCareAnswer is leave's GET /my/care: the officer's latest checks with
// their slots' times and latest stays with their dates and facility.
type myCareAnswer struct {
	Checks []struct {
		careBooking
		StartsAt time.Time `json:"starts_at"`
	} `json:"checks"`
	Stays []struct {
		careBooking
		From     string `json:"from"`
		To       string `json:"to"`
		Facility string `json:"facility"`
		Location string `json:"location"`
	} `json:"stays"`
}

// myCare fills the care part from one call: the care page's lists, the
// stays' sessions and the checks' slots would take a dozen.
func (h *handlers) myCare(c *gin.Context, d *myData) {
	h.section(c, &d.Care.mySection, "leave", func() error {
		var a myCareAnswer
		if _, err := h.call(c, http.MethodGet, "leave", leaveAPI+"/my/care?"+myListQuery, 0, nil, &a); err != nil {
			return err
		}
		for _, x := range a.Checks {
			d.Care.Checks = append(d.Care.Checks, checkView{careBooking: x.careBooking, StartsAt: x.StartsAt})
		}
		for _, x := range a.Stays {
			v := stayView{careBooking: x.careBooking, From: x.From, To: x.To, Facility: x.Facility, Location: x.Location}
			if x.Status == "waitlisted" {
				m := msgOr(waitReasons[x.WaitReason], "web.officer.care.wait.other")
				v.Wait = &m
			}
			d.Care.Stays = append(d.Care.Stays, v)
		}
		d.Care.Count = len(d.Care.Stays) + len(d.Care.Checks)
		d.Care.More = len(a.Checks) == myListed || len(a.Stays) == myListed
		return nil
	})
}

// memberClocks are the deadlines the member meets themselves: filing for
// the determination, and the window to appeal a grading.
var memberClocks = []string{"member_filing", "appeal"}

// caseAttention says in plain words what an open case needs of the officer
// now, if anything: a deadline of their own nearing or passed (they must
// act), or a caseworker's deadline passed or escalated (which deadline,
// how far it went, and that their benefits do not suffer from it).
func caseAttention(l i18n.Lang, cs injuryCaseSummary) (web.Message, bool) {
	if cs.State == "closed" {
		return web.Message{}, false
	}
	clock := i18n.T(l, "web.my.attention.some_deadline")
	if cs.DueClock != "" && i18n.Has("injury.clock."+cs.DueClock) {
		clock = i18n.T(l, "injury.clock."+cs.DueClock)
	}
	due := clockLocal(cs.NextDueAt)
	switch {
	case slices.Contains(memberClocks, cs.DueClock) && (cs.Status == "amber" || cs.Status == "red"):
		return web.Msg("web.my.attention.yours."+cs.DueClock, cs.Number, due), true
	case cs.Escalation == "committee":
		return web.Msg("web.my.attention.committee", cs.Number, clock), true
	case cs.Escalation == "unit_head":
		return web.Msg("web.my.attention.unit_head", cs.Number, clock), true
	case cs.Status == "red":
		return web.Msg("web.my.attention.breached", cs.Number, clock), true
	}
	return web.Message{}, false
}

// clockLocal is an instant as people in the county read it.
func clockLocal(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return clock.Local(t).Format("2006-01-02 15:04")
}

// caseSteps is an injury case's last steps as the page shows them (the
// case list gives them with the case).
func caseSteps(entries []injuryTimelineEntry) []timelineStep {
	steps := make([]timelineStep, 0, len(entries))
	for _, e := range entries {
		st := timelineStep{At: e.At, Who: named(e.ActorName), Note: shorten(e.Body)}
		if e.Action != "" {
			st.What = msgOr("injury.action."+e.Action, "web.officer.step.other")
		} else {
			st.What = msgOr("web.injury.timeline_kind."+e.Kind, "web.officer.step.other")
		}
		if e.ToState != "" {
			m := msgOr("injury.state."+e.ToState, "web.officer.step.other")
			st.To = &m
		}
		steps = append(steps, st)
	}
	return lastSteps(steps)
}

// applicationSteps is a grant application's last steps as the page shows
// them (the application list gives them with the application).
func applicationSteps(history []grantAction) []timelineStep {
	steps := make([]timelineStep, 0, len(history))
	for _, x := range history {
		steps = append(steps, timelineStep{At: x.At, Who: named(x.ActorName), What: msgOr("web.grants.step."+x.Step, "web.officer.step.other"), Note: shorten(x.Reason)})
	}
	return lastSteps(steps)
}

// lastSteps keeps the last mySteps steps, oldest first.
func lastSteps(s []timelineStep) []timelineStep {
	if len(s) > mySteps {
		return s[len(s)-mySteps:]
	}
	return s
}

// named is a person's name as a message, nil when unknown.
func named(name string) *web.Message {
	if name == "" {
		return nil
	}
	m := web.Localized(name)
	return &m
}

// shorten cuts a comment to myNoteRunes characters.
func shorten(s string) string {
	r := []rune(s)
	if len(r) > myNoteRunes {
		return string(r[:myNoteRunes]) + "…"
	}
	return s
}

// msgOr is the message key, or fallback when the catalogue lacks it: a code
// a service adds later must not reach a page as a bare key.
func msgOr(key, fallback string) web.Message {
	if key != "" && i18n.Has(key) {
		return web.Msg(key)
	}
	return web.Msg(fallback)
}

func (h *handlers) registerMyPages(g *gin.RouterGroup) {
	g.GET("/my", h.requireUser(domain.RoleOfficer, domain.RoleFamily), h.myPage)
}
