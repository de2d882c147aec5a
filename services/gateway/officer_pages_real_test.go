package gateway_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/i18n"
)

// TestOfficerPagesAgainstRealServices walks the officer's pages against the
// real leave service (the fake clock stands at 2026-11-27): the unit head
// sees the member's balance in the queue, must give a reason to reject,
// and the officer reads who rejected and why on /leave and on /my; the
// officer books a health check and cancels it in two presses.
func TestOfficerPagesAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	officer := journeySignIn(t, s.gateway, "officer")
	if st, loc, body := officer.post("/leave/requests", url.Values{"from": {"2026-12-07"}, "to": {"2026-12-09"}, "reason": {"回老家探亲"}}); st != http.StatusSeeOther {
		t.Fatalf("leave request = %d %s %s", st, loc, snippet(body))
	}

	head := journeySignIn(t, s.gateway, "unithead")
	st, queue := head.get("/approvals")
	if st != http.StatusOK {
		t.Fatalf("approvals = %d %s", st, snippet(queue))
	}
	id := careMatch(t, `action="/approvals/leave/([^"/]+)/reject"`, queue, "approvals")
	item := between(queue, `id="approval-`+id+`"`, "</form>")
	balance := between(queue, `id="balance-`+id+`"`, "</div>")
	if !strings.Contains(item, i18n.T(i18n.ZH, "web.officer.approvals.days_counted")) || !strings.Contains(item, i18n.T(i18n.ZH, "web.leave.n_days", 3)) {
		t.Errorf("the queue does not show the days counted: %s", snippet(item))
	}
	for _, want := range []string{i18n.T(i18n.ZH, "web.officer.approvals.balance", 2026), i18n.T(i18n.ZH, "web.leave.entitled"),
		i18n.T(i18n.ZH, "web.leave.available"), "（含本申请 3 天）"} {
		if !strings.Contains(balance, want) {
			t.Errorf("the queue's balance lacks %q: %s", want, snippet(balance))
		}
	}
	if strings.Contains(balance, i18n.T(i18n.ZH, "web.officer.approvals.balance_unavailable")) {
		t.Errorf("the unit head cannot read the member's balance: %s", snippet(balance))
	}
	st, _, body := head.post("/approvals/leave/"+id+"/reject", url.Values{"version": {"1"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="comment-`+id+`-error"`) {
		t.Errorf("reject without a reason = %d %s", st, snippet(body))
	}
	const why = "年底警力紧张，请改到一月再休"
	if st, loc, body := head.post("/approvals/leave/"+id+"/reject", url.Values{"version": {"1"}, "comment": {why}}); st != http.StatusSeeOther {
		t.Fatalf("reject = %d %s %s", st, loc, snippet(body))
	}
	for _, page := range []string{"/leave", "/my"} {
		st, body := officer.get(page)
		item := between(body, "2026-12-07 – 2026-12-09", "</ol>")
		for _, want := range []string{why, "赵所长", i18n.T(i18n.ZH, "web.officer.decision.rejected"), "2026-11-27"} {
			if st != http.StatusOK || !strings.Contains(item, want) {
				t.Errorf("%s = %d: the rejected request lacks %q: %s", page, st, want, snippet(item))
			}
		}
	}

	// A round of the officer's unit with one slot, as the caseworker plans it.
	cw := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
	round := s.call(t, cw, "POST", "/api/v1/leave/health-checks/rounds", map[string]any{"unit_id": s.unit, "year": 2026, "opens": "2026-01-01", "closes": "2026-12-31"}, 201)["id"].(string)
	slot := s.call(t, cw, "POST", "/api/v1/leave/health-checks/rounds/"+round+"/slots", map[string]any{"starts_at": "2026-12-03T00:30:00Z", "capacity": 5}, 201)["id"].(string)
	if st, loc, body := officer.post("/care/health-checks/"+slot+"/book", url.Values{}); st != http.StatusSeeOther {
		t.Fatalf("book the check = %d %s %s", st, loc, snippet(body))
	}
	_, care := officer.get("/care")
	booking := careMatch(t, `action="/care/health-checks/bookings/([^"/]+)/cancel"`, care, "/care")
	if mine := between(care, `id="my-checks"`, "</ul>"); !strings.Contains(mine, "2026-12-03 08:30") {
		t.Errorf("the booked check does not say when: %s", snippet(mine))
	}
	if strings.Contains(care, "/care/health-checks/"+slot+"/book") {
		t.Error("the round still offers booking after the officer booked in it")
	}
	cancel := "/care/health-checks/bookings/" + booking + "/cancel"
	st, _, ask := officer.post(cancel, url.Values{"version": {"1"}})
	confirm := between(ask, `id="confirm"`, "</section>")
	if st != http.StatusOK || !strings.Contains(confirm, i18n.T(i18n.ZH, "web.officer.confirm.check_title")) || !strings.Contains(confirm, "2026-12-03 08:30") {
		t.Fatalf("first press = %d %s", st, snippet(ask))
	}
	if _, care := officer.get("/care"); !strings.Contains(care, cancel) {
		t.Fatal("the first press cancelled the check")
	}
	if st, loc, body := officer.post(cancel, url.Values{"version": {"1"}, "confirm": {"yes"}}); st != http.StatusSeeOther || loc != "/care?m=cancelled" {
		t.Fatalf("confirmed cancel = %d %s %s", st, loc, snippet(body))
	}
	_, care = officer.get("/care?m=cancelled")
	mine := between(care, `id="my-checks"`, "</ul>")
	if !strings.Contains(mine, i18n.T(i18n.ZH, "web.care.check_status.cancelled")) || strings.Contains(care, cancel) {
		t.Errorf("the check is not shown cancelled: %s", snippet(mine))
	}
	if !strings.Contains(care, "/care/health-checks/"+slot+"/book") {
		t.Error("after cancelling, the round does not offer booking again")
	}
}

// between is the part of s from the first from to the next to after it
// ("" when from is missing).
func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}
