package httpapi

import (
	"net/http"
	"net/url"
	"slices"
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
	}
	Leave struct {
		mySection
		Requests []leaveItem
	}
	Grants struct {
		mySection
		Applications []myApplication
	}
	Care struct {
		mySection
		Stays  []stayView
		Checks []checkView
		// Count is how many checks and stays there are, for the folded
		// part's summary.
		Count int
	}
}

const (
	// myDetailed is how many cases and applications /my reads the history
	// of (one call each); older ones show their status only.
	myDetailed = 5
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
// theirs in progress, each with its status and its last steps.
func (h *handlers) myPage(c *gin.Context) {
	var d myData
	h.section(c, &d.Injury.mySection, "injury", func() error {
		var list injuryCaseList
		if _, err := h.call(c, http.MethodGet, "injury", injuryAPI+"/cases", 0, nil, &list); err != nil {
			return err
		}
		for i, cs := range list.Cases {
			mc := myCase{injuryCaseSummary: cs}
			if i < myDetailed {
				mc.Steps = h.caseSteps(c, cs.ID)
			}
			if what, ok := caseAttention(lang(c), cs); ok {
				d.Attention = append(d.Attention, myAttention{Href: "/cases/" + url.PathEscape(cs.ID), Number: cs.Number, Status: cs.Status,
					What: what, InCharge: cs.InChargeName, Phone: cs.InChargePhone})
			}
			d.Injury.Cases = append(d.Injury.Cases, mc)
		}
		return nil
	})
	if currentUser(c).Has(domain.RoleOfficer) {
		h.section(c, &d.Leave.mySection, "leave", func() error {
			var list itemsOf[leaveRequest]
			if _, err := h.call(c, http.MethodGet, "leave", leaveAPI+"/requests", 0, nil, &list); err != nil {
				return err
			}
			d.Leave.Requests = h.leaveItems(c, list.Items)
			for i := range d.Leave.Requests {
				d.Leave.Requests[i].Steps = lastSteps(d.Leave.Requests[i].Steps)
			}
			return nil
		})
	}
	h.section(c, &d.Grants.mySection, "grants", func() error {
		var list itemsOf[grantApplication]
		if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/applications?scope=mine", 0, nil, &list); err != nil {
			return err
		}
		for i, a := range list.Items {
			if a.State == "returned" {
				d.Attention = append(d.Attention, myAttention{Href: "/grants/applications/" + url.PathEscape(a.ID), Number: a.Number,
					What: web.Msg("web.my.attention.grant_returned", a.Number)})
			}
			ma := myApplication{grantApplication: a}
			if i < myDetailed {
				ma.Steps = h.applicationSteps(c, a.ID)
			}
			d.Grants.Applications = append(d.Grants.Applications, ma)
		}
		return nil
	})
	if currentUser(c).Has(domain.RoleOfficer) {
		h.section(c, &d.Care.mySection, "leave", func() error {
			cd, err := h.loadCare(c)
			d.Care.Stays, d.Care.Checks = cd.Stays, cd.Checks
			d.Care.Count = len(cd.Stays) + len(cd.Checks)
			return err
		})
	}
	p := h.page(c, "web.my.title")
	p.Data = d
	h.render(c, http.StatusOK, "my", p)
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

// caseSteps is the last steps of an injury case's timeline; a timeline
// that cannot be read leaves the case with its status only.
func (h *handlers) caseSteps(c *gin.Context, id string) []timelineStep {
	var tl struct {
		Entries []injuryTimelineEntry `json:"entries"`
	}
	if _, err := h.call(c, http.MethodGet, "injury", injuryAPI+"/cases/"+url.PathEscape(id)+"/timeline", 0, nil, &tl); err != nil {
		h.Log.InfoContext(c, "my page: case without its timeline", "case", id, "error", err)
		return nil
	}
	steps := make([]timelineStep, 0, len(tl.Entries))
	for _, e := range tl.Entries {
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

// applicationSteps is the last steps of a grant application's history
// (only one application's answer carries it).
func (h *handlers) applicationSteps(c *gin.Context, id string) []timelineStep {
	var a grantApplication
	if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/applications/"+url.PathEscape(id), 0, nil, &a); err != nil {
		h.Log.InfoContext(c, "my page: application without its history", "application", id, "error", err)
		return nil
	}
	steps := make([]timelineStep, 0, len(a.History))
	for _, x := range a.History {
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
