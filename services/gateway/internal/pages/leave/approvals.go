package leave

import (
	"net/http"
	"strconv"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The approval queue of unit heads and approvers (/approvals): leave
// requests waiting at their level, each with the member's balance, and for
// approvers the grant applications awaiting the committee, which the grants
// pages draw (GrantsQueue).

// GrantsQueue draws the approvals page's list of grant applications for an
// approver: its rows and pager as the "approvals" template reads them, and
// whether the page's grants_after cursor was stale (the first page is shown
// then). When the list cannot be read it answers the request itself (the
// service's 404, 403 or 503 page) and ok is false. The grants pages provide
// it; nil shows no grants list.
type GrantsQueue func(c *gin.Context) (rows, pages any, stale bool, err error)

// approvalItem is a request in the queue with what the deciding person
// needs: the member's balance for the request's year and what it would be
// after approving, and the decisions taken so far.
type approvalItem struct {
	leaveItem
	// Balance is nil when the member's balance could not be read; its
	// Request is this request's days, already among the pending ones.
	Balance *leaveBalanceView
}

type approvalsData struct {
	Leave []approvalItem
	// Elsewhere counts the requests of the caller's units waiting at a
	// step that is not theirs (with the unit head, for an approver).
	Elsewhere int
	// ElsewhereMore: more than Elsewhere wait there (it counts up to
	// elsewhereCountUpTo).
	ElsewhereMore bool
	// Grants are the applications awaiting the committee (GrantsQueue).
	Grants any
	// ShowGrants is true for approvers, whose queue includes applications
	// awaiting the committee.
	ShowGrants bool
	// LeavePages and GrantPages link each list's next page (cursors in
	// leave_after and grants_after) and back to its first.
	LeavePages webkit.Pager
	GrantPages any
}

// approvalsPageSize is the rows of the leave list on the approvals page:
// each row reads more (a balance), so fewer than a list's default.
const approvalsPageSize = 20

// elsewhereCountUpTo is how far the approvals page counts the requests
// waiting at the other step: beyond it, it says "more than".
const elsewhereCountUpTo = 100

// approvalsPage is the approval queue of unit heads and approvers.
func (a *area) approvalsPage(c *gin.Context) {
	var flash *web.Message
	if c.Query("m") == "done" {
		flash = webkit.Flash("web.leave.done")
	}
	a.renderApprovals(c, http.StatusOK, web.NewForm(), flash, nil)
}

func (a *area) renderApprovals(c *gin.Context, status int, form *web.Form, flash, alert *web.Message) {
	var d approvalsData
	var waiting []leaveRequest
	u := a.User(c)
	// The grant applications do not depend on the leave requests: they are
	// asked for at once, and the page waits for the slower of the two.
	var (
		wg            sync.WaitGroup
		gRows, gPages any
		gStale        bool
		gErr          error
	)
	showGrants := u.Has(domain.RoleApprover) && a.grants != nil
	if showGrants {
		wg.Go(func() { gRows, gPages, gStale, gErr = a.grants(c) })
	}
	fail := func(err error) {
		wg.Wait() // the page is written once, by this goroutine
		a.ServiceFailed(c, err)
	}
	if a.Routed("leave") && u.Has(domain.RoleUnitHead, domain.RoleApprover) {
		api, err := a.Leave(c)
		if err != nil {
			fail(err)
			return
		}
		// The states the caller decides (the first level is the unit
		// head's, the second an approver's), a page at a time, newest
		// first: every row of a page is theirs to decide.
		var mine, others []string
		for _, st := range []struct {
			status string
			role   domain.Role
		}{{"pending", domain.RoleUnitHead}, {"pending_second", domain.RoleApprover}} {
			if u.Has(st.role) {
				mine = append(mine, st.status)
			} else {
				others = append(others, st.status)
			}
		}
		reqs, next, err := a.requestsWithBalances(c, api, mine, approvalsPageSize, c.Query("leave_after"))
		if err != nil && webkit.StaleCursor(err) {
			alert = webkit.StaleCursorNote()
			reqs, next, err = a.requestsWithBalances(c, api, mine, approvalsPageSize, "")
		}
		if err != nil {
			fail(err)
			return
		}
		waiting = reqs
		d.LeavePages = a.PagerFor(c, "leave-approvals", "leave_after", next)
		if len(others) > 0 {
			// How many wait at the other step, up to a page's worth.
			if rest, more, err := a.requests(c, api, others, elsewhereCountUpTo, ""); err == nil {
				d.Elsewhere, d.ElsewhereMore = len(rest), more != ""
			}
		}
	}
	balances := map[string]*leaveBalance{}
	for _, it := range a.leaveItems(c, waiting) {
		// The queue is what the caller may decide: the service says which
		// steps it accepts from them at the request's stage.
		if !it.May("approve") && !it.May("reject") {
			d.Elsewhere++
			continue
		}
		item := approvalItem{leaveItem: it}
		b := it.Balance // the list brought it
		if b == nil {
			b = a.memberBalance(c, it.MemberID, it.From, balances)
		}
		if b != nil {
			item.Balance = &leaveBalanceView{Lang: a.Lang(c), B: *b, Request: it.Days}
		}
		d.Leave = append(d.Leave, item)
	}
	wg.Wait()
	if showGrants {
		if gErr != nil {
			a.ServiceFailed(c, gErr)
			return
		}
		if gStale {
			alert = webkit.StaleCursorNote()
		}
		d.Grants, d.GrantPages, d.ShowGrants = gRows, gPages, true
	}
	p := a.Page(c, "web.approvals.title")
	p.Form, p.Data, p.Flash, p.Alert = form, d, flash, alert
	a.WithUnitNames(c, p)
	a.Render(c, status, "approvals", p)
}

// memberBalance reads a member's balance for the year a request starts in
// (open to the staff of the member's unit), once per member and year. A
// balance that cannot be read is nil: the queue still shows, with the
// balance marked unavailable.
func (a *area) memberBalance(c *gin.Context, memberID, from string, cache map[string]*leaveBalance) *leaveBalance {
	year := clock.Today(a.Clock).Year()
	if len(from) >= 4 {
		if y, err := strconv.Atoi(from[:4]); err == nil {
			year = y
		}
	}
	key := memberID + "/" + strconv.Itoa(year)
	if b, seen := cache[key]; seen {
		return b
	}
	api, err := a.Leave(c)
	var b *leaveBalance
	if err == nil {
		b, err = a.balance(c, api, memberID, year)
	}
	if err != nil {
		a.Log.InfoContext(c, "approvals without a member's balance", "member", memberID, "error", err)
		b = nil
	}
	cache[key] = b
	return b
}
