// Package my is an officer's or family member's own page (/my): everything
// of theirs in progress across the services (injury cases, leave requests,
// grant applications, recuperation stays and health checks), each with its
// status and last steps, and first what needs them now. Every part calls
// its service through the generated client (api/client/<service>), signed
// for the person by the web kit; one service down blanks only its part.
package my

import (
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// area is the page's handlers over the kit.
type area struct {
	*webkit.Kit
}

// Register adds /my to g.
func Register(g *gin.RouterGroup, k *webkit.Kit) {
	a := &area{Kit: k}
	g.GET("/my", a.RequireUser(domain.RoleOfficer, domain.RoleFamily), a.myPage)
}

// section is one service's part of "my matters": its items, or why they
// cannot be shown now. One service being down must not blank the page.
type section struct {
	Available bool
	Error     *web.Message
}

// myCase is an injury case with its last steps.
type myCase struct {
	ID, Number, State, Status string
	InjuredAt                 time.Time
	// DueClock, NextDueAt and Escalation are the clock due first, when, and
	// how far a breach of it went; InChargeName and InChargePhone the
	// caseworker who took the case.
	DueClock                    string
	NextDueAt                   time.Time
	Escalation                  string
	InChargeName, InChargePhone string
	Steps                       []webkit.TimelineStep
}

// myApplication is a grant application with its last steps.
type myApplication struct {
	webkit.GrantSummary
	Steps []webkit.TimelineStep
}

// attention is one thing on /my that needs the officer's attention now, in
// plain words: a case late or escalated and who handles it, a deadline of
// their own coming, an application sent back to them.
type attention struct {
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

// leaveItem is a leave request with its steps.
type leaveItem struct {
	ID, From, To, Status string
	Days                 int
	Steps                []webkit.TimelineStep
}

// checkView is the officer's health check with its time.
type checkView struct {
	ID, Status, CompletedOn string
	StartsAt                time.Time
}

// stayView is the officer's stay with where and when it is, and why it
// waits.
type stayView struct {
	ID, Status, Facility, Location, From, To string
	RequestedAt                              time.Time
	Wait                                     *web.Message
}

type myData struct {
	// Attention is what needs the officer now, shown first; the rest of
	// the page folds.
	Attention []attention
	Injury    struct {
		section
		Cases []myCase
		// Pages links to older cases (this page is the officer's list of
		// their cases) and back to the latest; Stale says an old link's
		// cursor was refused and the latest are shown.
		Pages webkit.Pager
		Stale bool
	}
	// More, in the other parts, says there are older items than the page
	// shows: a link leads to their own page.
	Leave struct {
		section
		Requests []leaveItem
		More     bool
	}
	Grants struct {
		section
		Applications []myApplication
		More         bool
	}
	Care struct {
		section
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

// fill fills one part of the page from a service, or marks it unavailable;
// it never fails the page.
func (a *area) fill(c *gin.Context, s *section, service string, gets ...func() error) {
	if !a.Routed(service) {
		return
	}
	s.Available = true
	for _, get := range gets {
		if err := get(); err != nil {
			a.Log.WarnContext(c, "my page section", "service", service, "error", err)
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
func (a *area) myPage(c *gin.Context) {
	var (
		d                       myData
		caseAtt, applicationAtt []attention
		wg                      sync.WaitGroup
	)
	officer := a.User(c).Has(domain.RoleOfficer)
	wg.Go(func() { caseAtt = a.myInjury(c, &d) })
	if officer {
		wg.Go(func() { a.myLeave(c, &d) })
	}
	wg.Go(func() { applicationAtt = a.myGrants(c, &d) })
	if officer {
		wg.Go(func() { a.myCare(c, &d) })
	}
	wg.Wait()
	d.Attention = append(caseAtt, applicationAtt...)
	p := a.Page(c, "web.my.title")
	p.Data = d
	a.Render(c, http.StatusOK, "my", p)
}
