package leave_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/leave"
)

// Paid injury leave (停工留薪期) consumes no annual leave, whatever the order
// of the request, its approval and the injury service's case.leave_changed
// events: these tests drive the leave service through those events and its
// HTTP API, and read the balances members and reports read.

type ledgerLine struct {
	Kind      string `json:"kind"`
	Days      int    `json:"days"`
	Reason    string `json:"reason"`
	RequestID string `json:"request_id"`
	Running   int    `json:"running"`
}

type statement struct {
	Balance struct {
		Days, Pending, Available, Taken, Adjusted, Expired int
	} `json:"balance"`
	Lines []ledgerLine `json:"lines"`
}

type requestView struct {
	ID           string `json:"id"`
	Days         int    `json:"days"`
	RestoredDays int    `json:"restored_days"`
	Status       string `json:"status"`
	Version      int64  `json:"version"`
}

func (h *harness) statement(t *testing.T, year string, headers ...string) statement {
	t.Helper()
	w := h.do(t, &officer1, "GET", "/api/v1/leave/members/m1/balance?year="+year, nil, headers...)
	if w.Code != http.StatusOK {
		t.Fatalf("balance %s: %d %s", year, w.Code, w.Body)
	}
	return decode[statement](t, w)
}

// waitBalance waits until m1's balance of year is days.
func (h *harness) waitBalance(t *testing.T, year string, days int) statement {
	t.Helper()
	var s statement
	waitFor(t, h, "m1's "+year+" balance "+itoa(days), func() bool {
		s = h.statement(t, year)
		return s.Balance.Days == days
	})
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

// unitDays is m1's line in the unit report, which must agree with the
// member's own balance.
func (h *harness) unitDays(t *testing.T, year string) string {
	t.Helper()
	w := h.do(t, &cw1, "GET", "/api/v1/leave/units/u1/balances?year="+year, nil)
	if w.Code != http.StatusOK {
		t.Fatalf("unit report: %d %s", w.Code, w.Body)
	}
	for _, r := range decode[struct {
		Items []map[string]any `json:"items"`
	}](t, w).Items {
		if r["member_id"] == "m1" {
			b, _ := json.Marshal(map[string]any{"days": r["days"], "pending": r["pending"], "available": r["available"]})
			return string(b)
		}
	}
	t.Fatalf("m1 not in the unit report: %s", w.Body)
	return ""
}

// approvedRequest applies for m1 and has head1 (and approver1 above five
// days) approve it.
func (h *harness) approvedRequest(t *testing.T, from, to string) requestView {
	t.Helper()
	r := h.pendingRequest(t, from, to)
	for _, who := range []*auth.Identity{&head1, &approver1} {
		w := h.do(t, who, "POST", "/api/v1/leave/requests/"+r.ID+"/approve", nil, "If-Match", etag(r.Version))
		if w.Code != http.StatusOK {
			t.Fatalf("approve as %s: %d %s", who.UserID, w.Code, w.Body)
		}
		if r = decode[requestView](t, w); r.Status == "approved" {
			return r
		}
	}
	t.Fatalf("request %s not approved: %+v", from, r)
	return r
}

func (h *harness) pendingRequest(t *testing.T, from, to string) requestView {
	t.Helper()
	w := h.do(t, &officer1, "POST", "/api/v1/leave/requests", map[string]string{"from": from, "to": to})
	if w.Code != http.StatusCreated {
		t.Fatalf("apply %s–%s: %d %s", from, to, w.Code, w.Body)
	}
	return decode[requestView](t, w)
}

func (h *harness) request(t *testing.T, id string) requestView {
	t.Helper()
	w := h.do(t, &officer1, "GET", "/api/v1/leave/requests/"+id, nil)
	if w.Code != http.StatusOK {
		t.Fatalf("request %s: %d %s", id, w.Code, w.Body)
	}
	return decode[requestView](t, w)
}

// leaveChanged is injury's case.leave_changed for version of the case,
// naming m1. last_day is the last day actually on leave.
func (h *harness) leaveChanged(t *testing.T, caseID string, version int64, start, lastDay string) bus.Event {
	t.Helper()
	ev, err := bus.NewEvent("injury", "case.leave_changed", 1, caseID, version, map[string]any{
		"case_id": caseID, "number": "GC-2026-000001", "member_id": "m1", "start": start, "end": "2027-05-31",
		"extended_months": 0, "last_day": lastDay,
	}, h.env.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	h.send(t, ev)
	return ev
}

// send publishes ev as it is (the same event id when sent twice:
// a redelivery).
func (h *harness) send(t *testing.T, ev bus.Event) {
	t.Helper()
	raw, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := h.env.Deps.Bus.JS.Publish(ctx, ev.Subject(), raw); err != nil {
		t.Fatalf("publish %s: %v", ev.Type, err)
	}
}

// consumed waits until the case consumer has taken evs (applied or skipped
// as stale or duplicate): the inbox holds every event it has seen.
func (h *harness) consumed(t *testing.T, evs ...bus.Event) {
	t.Helper()
	db, err := pg.Open(context.Background(), pg.Config{URL: h.env.Deps.Config.DatabaseURL, Schema: leave.Name, MaxOpenConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	for _, ev := range evs {
		waitFor(t, h, "event "+ev.ID.String()+" consumed", func() bool {
			var n int
			if err := sqlx.Get(db, &n, `SELECT count(*) FROM inbox WHERE consumer = 'leave-cases' AND event_id = $1`, ev.ID); err != nil {
				t.Fatal(err)
			}
			return n == 1
		})
	}
}

// applied waits until the case consumer has taken evs, then checks that
// m1's balance of year is days: the wait is for the events themselves, never
// for a balance an earlier event could already have produced.
func (h *harness) applied(t *testing.T, year string, days int, evs ...bus.Event) statement {
	t.Helper()
	h.consumed(t, evs...)
	s := h.statement(t, year)
	if s.Balance.Days != days {
		t.Fatalf("after %d event(s): m1's %s balance %d, want %d: %+v", len(evs), year, s.Balance.Days, days, s.Balance)
	}
	return s
}

// lines returns the kind and days of the lines of request id.
func linesOf(s statement, id string) []string {
	var out []string
	for _, l := range s.Lines {
		if l.RequestID == id {
			out = append(out, l.Kind+" "+itoa(l.Days))
		}
	}
	return out
}

// TestInjuryLeaveLengthenedShortenedWithdrawn follows one case whose paid
// injury leave grows, shrinks, is redelivered and arrives out of order:
// the days of an approved request given back always equal the request's
// working days the latest period covers, each change a ledger line of its own.
func TestInjuryLeaveLengthenedShortenedWithdrawn(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// 7–11 Dec 2026: five working days of m1's ten.
	a := h.approvedRequest(t, "2026-12-07", "2026-12-11")
	h.waitBalance(t, "2026", 5)

	// Injury leave of one day, Tue 8 Dec: one day back.
	h.applied(t, "2026", 6, h.leaveChanged(t, "c-1", 2, "2026-12-08", "2026-12-08"))
	// Lengthened to the end of May: 8–11 Dec are covered, three more back.
	v3 := h.leaveChanged(t, "c-1", 3, "2026-12-08", "2027-05-31")
	h.applied(t, "2026", 9, v3)
	// Ended early on Wed 9 Dec: 10–11 Dec were annual leave after all.
	v4 := h.leaveChanged(t, "c-1", 4, "2026-12-08", "2026-12-09")
	s := h.applied(t, "2026", 7, v4)
	last := s.Lines[len(s.Lines)-1]
	if last.Kind != "taking" || last.Days != -2 || last.RequestID != a.ID || !strings.Contains(last.Reason, "停工留薪期缩短") || last.Running != 7 {
		t.Fatalf("take-back line: %+v", last)
	}
	if r := h.request(t, a.ID); r.RestoredDays != 2 || r.Days != 5 || r.Status != "approved" {
		t.Fatalf("request after shortening: %+v", r)
	}

	// The same event again, the same version under a new id, and the
	// older lengthening arriving late change nothing.
	h.send(t, v4)
	again := h.leaveChanged(t, "c-1", 4, "2026-12-08", "2026-12-09")
	h.send(t, v3)
	h.consumed(t, v4, again, v3)
	if s2 := h.statement(t, "2026"); s2.Balance.Days != 7 || len(s2.Lines) != len(s.Lines) {
		t.Fatalf("redelivery or a stale event changed the balance: %+v", s2)
	}
	if w := h.do(t, &officer1, "GET", "/api/v1/leave/members/m1/injury-leaves", nil); !strings.Contains(w.Body.String(), `"to":"2026-12-09"`) {
		t.Fatalf("injury leave after a stale event: %s", w.Body)
	}

	// Extended again (a later correction): the two days go back again.
	h.applied(t, "2026", 9, h.leaveChanged(t, "c-1", 5, "2026-12-08", "2027-03-31"))
	// The period withdrawn from the request: corrected to start after it.
	// Every day given back is taken back, and the days are free again.
	s = h.applied(t, "2026", 5, h.leaveChanged(t, "c-1", 6, "2026-12-14", "2027-03-31"))
	want := []string{"taking -5", "taking_reversal 1", "taking_reversal 3", "taking -2", "taking_reversal 2", "taking -4"}
	if got := linesOf(s, a.ID); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("lines of the request: %v, want %v", got, want)
	}
	if r := h.request(t, a.ID); r.RestoredDays != 0 {
		t.Fatalf("request after withdrawal: %+v", r)
	}
	if s.Balance.Taken != 5 || s.Lines[len(s.Lines)-1].Running != 5 {
		t.Fatalf("balance after withdrawal: %+v", s)
	}
	// 14 Dec is injury leave now; 4 Dec is not and can be requested.
	expectProblem(t, h.do(t, &officer1, "POST", "/api/v1/leave/requests", map[string]string{"from": "2026-12-14", "to": "2026-12-14"}),
		http.StatusConflict, "leave.overlap_injury_leave")
	h.pendingRequest(t, "2026-12-04", "2026-12-04")
	if got := h.unitDays(t, "2026"); got != `{"available":4,"days":5,"pending":1}` {
		t.Fatalf("unit report: %s", got)
	}
}

// TestInjuryLeaveTakeBackOfUsedDays: days given back and then used for
// another request are taken back all the same when the injury leave is
// shortened; the balance goes negative and the line says so.
func TestInjuryLeaveTakeBackOfUsedDays(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.approvedRequest(t, "2026-12-14", "2026-12-18")
	h.applied(t, "2026", 10, h.leaveChanged(t, "c-2", 1, "2026-12-14", "2027-05-31"))
	// The five days given back and five more: 30 Nov – 11 Dec, ten days.
	h.approvedRequest(t, "2026-11-30", "2026-12-11")
	h.waitBalance(t, "2026", 0)

	// Back at work on 15 Dec: 15–18 Dec were annual leave after all.
	s := h.applied(t, "2026", -4, h.leaveChanged(t, "c-2", 2, "2026-12-14", "2026-12-14"))
	last := s.Lines[len(s.Lines)-1]
	if last.Kind != "taking" || last.Days != -4 || last.RequestID != a.ID || !strings.Contains(last.Reason, "余额为负") {
		t.Fatalf("negative take-back line: %+v", last)
	}
	en := h.statement(t, "2026", "Accept-Language", "en")
	if r := en.Lines[len(en.Lines)-1].Reason; !strings.Contains(r, "the balance is negative") {
		t.Fatalf("English reason %q", r)
	}
	if got := h.unitDays(t, "2026"); got != `{"available":-4,"days":-4,"pending":0}` {
		t.Fatalf("unit report: %s", got)
	}
	// Nothing more can be taken until the unit settles it.
	expectProblem(t, h.do(t, &officer1, "POST", "/api/v1/leave/requests", map[string]string{"from": "2026-12-21", "to": "2026-12-21"}),
		http.StatusConflict, "leave.balance_exceeded")
}

// TestInjuryLeaveAndTheRequestPath: a request made before the injury leave
// was known and approved after it takes nothing for its injury days; a
// cancelled request gives back the rest and is not touched by a later
// shortening; two cases over different days of one request both count,
// two over the same days once.
func TestInjuryLeaveAndTheRequestPath(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	p := h.pendingRequest(t, "2026-12-07", "2026-12-11")
	h.leaveChanged(t, "c-3", 1, "2026-12-10", "2027-01-31")
	waitFor(t, h, "injury leave c-3 projected", func() bool {
		return strings.Contains(h.do(t, &officer1, "GET", "/api/v1/leave/members/m1/injury-leaves", nil).Body.String(), `"case_id":"c-3"`)
	})
	if s := h.statement(t, "2026"); s.Balance.Days != 10 || s.Balance.Pending != 5 {
		t.Fatalf("before approval: %+v", s.Balance)
	}
	w := h.do(t, &head1, "POST", "/api/v1/leave/requests/"+p.ID+"/approve", nil, "If-Match", etag(p.Version))
	if w.Code != http.StatusOK {
		t.Fatalf("approve: %d %s", w.Code, w.Body)
	}
	p = decode[requestView](t, w)
	s := h.statement(t, "2026")
	if p.Status != "approved" || p.RestoredDays != 2 || s.Balance.Days != 7 || s.Balance.Pending != 0 ||
		strings.Join(linesOf(s, p.ID), ",") != "taking -5,taking_reversal 2" {
		t.Fatalf("approved over injury leave: %+v %+v", p, s)
	}

	// Cancelled before it starts: the three days not given back return.
	w = h.do(t, &officer1, "POST", "/api/v1/leave/requests/"+p.ID+"/cancel", map[string]string{"comment": "不休了"}, "If-Match", etag(p.Version))
	if w.Code != http.StatusOK {
		t.Fatalf("cancel: %d %s", w.Code, w.Body)
	}
	if s = h.statement(t, "2026"); s.Balance.Days != 10 {
		t.Fatalf("after cancel: %+v", s.Balance)
	}
	// Shortened afterwards: the cancelled request took nothing, so nothing
	// is taken back.
	ev := h.leaveChanged(t, "c-3", 2, "2026-12-10", "2026-12-10")
	h.consumed(t, ev)
	if s2 := h.statement(t, "2026"); s2.Balance.Days != 10 || len(s2.Lines) != len(s.Lines) {
		t.Fatalf("a cancelled request was touched: %+v", s2)
	}

	// 14–18 Dec: c-4 covers Mon–Tue, c-5 Thu–Fri, c-6 the same days as c-4.
	// Wait for the three events themselves: the balance of 9 is reached
	// as soon as c-4 and c-5 apply, before c-6 may have, and shortening
	// c-4 below is only a no-op once c-6 is known.
	q := h.approvedRequest(t, "2026-12-14", "2026-12-18")
	c4 := h.leaveChanged(t, "c-4", 1, "2026-12-14", "2026-12-15")
	c5 := h.leaveChanged(t, "c-5", 1, "2026-12-17", "2027-04-30")
	c6 := h.leaveChanged(t, "c-6", 1, "2026-12-14", "2026-12-15")
	h.consumed(t, c4, c5, c6)
	if s := h.statement(t, "2026"); s.Balance.Days != 9 {
		t.Fatalf("two cases: balance %+v", s.Balance)
	}
	if r := h.request(t, q.ID); r.RestoredDays != 4 {
		t.Fatalf("two cases: %+v", r)
	}
	// c-4 shortened to Monday: c-6 still covers Tuesday, nothing changes.
	ev = h.leaveChanged(t, "c-4", 2, "2026-12-14", "2026-12-14")
	h.consumed(t, ev)
	if r := h.request(t, q.ID); r.RestoredDays != 4 {
		t.Fatalf("a day still covered by another case was taken back: %+v", r)
	}
	// c-6 shortened too: Tuesday was annual leave.
	h.consumed(t, h.leaveChanged(t, "c-6", 2, "2026-12-14", "2026-12-14"))
	if s := h.statement(t, "2026"); s.Balance.Days != 8 {
		t.Fatalf("c-6 shortened: balance %+v", s.Balance)
	}
}

// TestInjuryLeaveOfAClosedYear: once 2026 is closed (its unused days
// expired), changes to days given back for a 2026 request are booked in
// 2027 as adjustments with a reason; 2026 stays as it was closed.
func TestInjuryLeaveOfAClosedYear(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.approvedRequest(t, "2026-12-21", "2026-12-25")
	h.applied(t, "2026", 8, h.leaveChanged(t, "c-7", 1, "2026-12-23", "2027-05-31"))

	h.env.Clock.Set(time.Date(2027, 1, 5, 2, 0, 0, 0, time.UTC))
	if w := h.do(t, &admin, "POST", "/api/v1/leave/rollovers/2026", nil); w.Code != http.StatusOK {
		t.Fatalf("rollover: %d %s", w.Code, w.Body)
	}
	closed := h.statement(t, "2026")
	if closed.Balance.Days != 0 || closed.Balance.Expired != 8 {
		t.Fatalf("2026 closed: %+v", closed.Balance)
	}
	h.waitBalance(t, "2027", 10)

	// Shortened to 23 Dec: 24–25 Dec were annual leave, taken from 2027.
	s := h.applied(t, "2027", 8, h.leaveChanged(t, "c-7", 2, "2026-12-23", "2026-12-23"))
	last := s.Lines[len(s.Lines)-1]
	if last.Kind != "adjustment" || last.Days != -2 || !strings.Contains(last.Reason, "已结转年度") {
		t.Fatalf("closed-year take-back: %+v", last)
	}
	// Extended again: given back in 2027 too.
	s = h.applied(t, "2027", 12, h.leaveChanged(t, "c-7", 3, "2026-12-21", "2027-05-31"))
	if last := s.Lines[len(s.Lines)-1]; last.Kind != "adjustment" || last.Days != 4 || !strings.Contains(last.Reason, "记入本年度") {
		t.Fatalf("closed-year give-back: %+v", last)
	}
	if r := h.request(t, a.ID); r.RestoredDays != 5 {
		t.Fatalf("request: %+v", r)
	}
	if after := h.statement(t, "2026"); after.Balance != closed.Balance || len(after.Lines) != len(closed.Lines) {
		t.Fatalf("the closed year changed: %+v", after)
	}
}
