package gateway_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/i18n"
)

// TestNextYearLeaveAgainstProjectedBalance: on 27 November 2026 (the fake
// clock), before the 2027 calendar is entered and before the year-end
// rollover books 2027's entitlement, the officer asks for 4–8 January 2027.
// The quote counts 5 days provisionally and compares them with the
// projected 2027 entitlement (10 days), saying both; the request is
// accepted; the unit head sees the same 2027 balance the leave service
// gives the officer, with the same projected note.
func TestNextYearLeaveAgainstProjectedBalance(t *testing.T) {
	s := startRealSystem(t)
	officer := journeySignIn(t, s.gateway, "officer")
	period := url.Values{"from": {"2027-01-04"}, "to": {"2027-01-08"}, "reason": {"春节前回老家"}}

	quote := url.Values{"quote": {"1"}}
	for k, v := range period {
		quote[k] = v
	}
	st, _, page := officer.post("/leave/requests", quote)
	if st != http.StatusOK {
		t.Fatalf("quote = %d %s", st, snippet(page))
	}
	note := i18n.T(i18n.ZH, "web.leave.projected_note", 2027)
	for _, want := range []string{i18n.T(i18n.ZH, "web.leave.quote", 5, 5), `id="quote-provisional"`, `id="quote-projected"`, note} {
		if !strings.Contains(page, want) {
			t.Errorf("the quote lacks %q: %s", want, snippet(page))
		}
	}
	if strings.Contains(page, "提交后可用 -") {
		t.Errorf("the quote still compares with an empty 2027: %s", snippet(page))
	}

	if st, loc, body := officer.post("/leave/requests", period); st != http.StatusSeeOther {
		t.Fatalf("leave request = %d %s %s", st, loc, snippet(body))
	}
	if _, mine := officer.get("/leave"); !strings.Contains(mine, i18n.T(i18n.ZH, "web.leave.provisional_badge")) {
		t.Errorf("the officer's request is not marked provisional: %s", snippet(mine))
	}

	who := auth.Identity{UserID: "u-officer", MemberID: s.member, Name: "张伟", Roles: []auth.Role{auth.RoleOfficer}, Units: []string{s.unit}}
	bal := s.call(t, who, "GET", "/api/v1/leave/members/"+s.member+"/balance?year=2027", nil, http.StatusOK)["balance"].(map[string]any)
	if bal["projected"] != true || bal["projected_days"] != float64(10) || bal["entitled"] != float64(10) || bal["pending"] != float64(5) || bal["available"] != float64(5) {
		t.Fatalf("the officer's 2027 balance = %v", bal)
	}

	head := journeySignIn(t, s.gateway, "unithead")
	st, queue := head.get("/approvals")
	if st != http.StatusOK {
		t.Fatalf("approvals = %d %s", st, snippet(queue))
	}
	id := careMatch(t, `action="/approvals/leave/([^"/]+)/reject"`, queue, "approvals")
	balance := between(queue, `id="balance-`+id+`"`, "</div>")
	for _, want := range []string{
		i18n.T(i18n.ZH, "web.officer.approvals.balance", 2027),
		i18n.T(i18n.ZH, "web.leave.entitled"), i18n.T(i18n.ZH, "web.leave.n_days", 10),
		i18n.T(i18n.ZH, "web.leave.pending_incl", 5, 5),
		i18n.T(i18n.ZH, "web.leave.available"), "<strong>" + i18n.T(i18n.ZH, "web.leave.n_days", 5) + "</strong>",
		note,
	} {
		if !strings.Contains(balance, want) {
			t.Errorf("the unit head's balance lacks %q: %s", want, balance)
		}
	}
	if !strings.Contains(between(queue, `id="approval-`+id+`"`, "</form>"), i18n.T(i18n.ZH, "web.leave.provisional_badge")) {
		t.Errorf("the unit head is not told the days were counted provisionally")
	}
}
