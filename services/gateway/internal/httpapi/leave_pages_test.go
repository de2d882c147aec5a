package httpapi_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

func TestLeaveJourney(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.user("officer1", domain.RoleOfficer)
	e.user("head1", domain.RoleUnitHead)
	o := e.browser()
	o.signIn("officer1")
	page := o.get("/leave")
	if page.status != http.StatusOK || !strings.Contains(page.body, `id="balance"`) || !strings.Contains(page.body, "<strong>10</strong>") {
		t.Fatalf("leave page %d", page.status)
	}
	tok := o.token("/leave")
	quote := o.post("/leave/requests", url.Values{"csrf_token": {tok}, "from": {"2026-03-02"}, "to": {"2026-03-04"}, "quote": {"1"}})
	if quote.status != http.StatusOK || !strings.Contains(quote.body, "这段时间占用 3 个工作日，提交后可用 7 天") || !strings.Contains(quote.body, `value="2026-03-04"`) {
		t.Fatalf("quote = %d", quote.status)
	}
	bad := o.post("/leave/requests", url.Values{"csrf_token": {tok}, "from": {"2026-03-04"}, "to": {"2026-03-02"}, "reason": {"探亲"}})
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, `id="to-error"`) || !strings.Contains(bad.body, `value="探亲"`) {
		t.Fatalf("bad period = %d", bad.status)
	}
	// The refused form's language switch goes back to the page the form was
	// sent from, not to the address that only takes POSTs.
	if !strings.Contains(bad.body, `name="next" value="/"`) {
		t.Error("without a Referer the language switch of a refused form does not go home")
	}
	again := o.post("/leave/requests", url.Values{"csrf_token": {tok}, "from": {"2026-03-04"}, "to": {"2026-03-02"}}, "Referer", e.srv.URL+"/leave?m=x")
	if !strings.Contains(again.body, `name="next" value="/leave?m=x"`) {
		t.Error("the language switch of a refused form does not go back to the form's page")
	}
	elsewhere := o.post("/leave/requests", url.Values{"csrf_token": {tok}, "from": {"2026-03-04"}, "to": {"2026-03-02"}}, "Referer", "https://evil.example/leave")
	if !strings.Contains(elsewhere.body, `name="next" value="/"`) {
		t.Error("the language switch follows a Referer from another site")
	}
	if r := o.post("/leave/requests", url.Values{"csrf_token": {tok}, "from": {"2026-03-02"}, "to": {"2026-03-04"}}); r.status != http.StatusSeeOther {
		t.Fatalf("request = %d", r.status)
	}
	if my := o.get("/my"); !strings.Contains(my.body, "2026-03-02 – 2026-03-04") {
		t.Error("my page does not show the request")
	}

	head := e.browser()
	head.signIn("head1")
	queue := head.get("/approvals")
	if queue.status != http.StatusOK || !strings.Contains(queue.body, "2026-03-02 – 2026-03-04") {
		t.Fatalf("approvals %d", queue.status)
	}
	id := e.requestIDs(officer.MemberID)[0]
	htok := head.token("/approvals")
	if r := head.post("/approvals/leave/"+id+"/approve", url.Values{"csrf_token": {htok}, "version": {"3"}}); r.status != http.StatusConflict {
		t.Errorf("stale approve = %d", r.status)
	}
	if r := head.post("/approvals/leave/"+id+"/approve", url.Values{"csrf_token": {htok}, "version": {"1"}}); r.status != http.StatusSeeOther {
		t.Fatalf("approve = %d %s", r.status, r.body)
	}
	if after := o.get("/leave"); !strings.Contains(after.body, "已批准") {
		t.Error("officer does not see the approval")
	}
	// A second decision on the same request is refused as a conflict,
	// saying why (the request is no longer waiting for a decision; the
	// head has the right, the request has moved on), and changes nothing.
	r := head.post("/approvals/leave/"+id+"/reject", url.Values{"csrf_token": {htok}, "version": {"2"}, "comment": {"改主意了"}})
	if r.status != http.StatusConflict || !strings.Contains(r.body, "该申请当前的状态不允许此操作") || strings.Contains(r.body, "您没有权限进行此操作") {
		t.Errorf("decision on a decided request = %d %s", r.status, r.body)
	}
	if st := e.leaveRequest(id)["status"]; st != "approved" {
		t.Errorf("the refused decision left the request %v", st)
	}
}

func TestLeavePagesAccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("family1", domain.RoleFamily)
	e.user("officer1", domain.RoleOfficer)
	fam := e.browser()
	fam.signIn("family1")
	off := e.browser()
	off.signIn("officer1")
	tests := []struct {
		name string
		b    *browser
		path string
		want int
	}{
		{name: "family has no annual leave", b: fam, path: "/leave", want: http.StatusForbidden},
		{name: "officer cannot approve", b: off, path: "/approvals", want: http.StatusForbidden},
		{name: "anonymous", b: e.browser(), path: "/leave", want: http.StatusSeeOther},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if r := tc.b.get(tc.path); r.status != tc.want {
				t.Errorf("GET %s = %d, want %d", tc.path, r.status, tc.want)
			}
		})
	}
	if r := off.post("/approvals/leave/x/approve", url.Values{"csrf_token": {off.token("/leave")}, "version": {"1"}}); r.status != http.StatusForbidden {
		t.Errorf("officer approving = %d", r.status)
	}
}

// TestLeaveDecisionsShown: the unit head must give a reason to reject (the
// refusal shows next to that request's comment, as typed); the officer
// then reads who rejected, when and why on /leave and on /my. The queue
// shows the member's balance, the working days counted and the balance
// after approving.
func TestLeaveDecisionsShown(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.user("officer1", domain.RoleOfficer)
	e.user("head1", domain.RoleUnitHead)
	o := e.browser()
	o.signIn("officer1")
	tok := o.token("/leave")
	for _, p := range [][2]string{{"2026-03-09", "2026-03-11"}, {"2026-03-16", "2026-03-17"}} {
		if r := o.post("/leave/requests", url.Values{"csrf_token": {tok}, "from": {p[0]}, "to": {p[1]}}); r.status != http.StatusSeeOther {
			t.Fatalf("request %v = %d", p, r.status)
		}
	}
	ids := e.requestIDs(officer.MemberID)
	first, second := ids[0], ids[1]

	head := e.browser()
	head.signIn("head1")
	queue := head.get("/approvals")
	balance := between(queue.body, `id="balance-`+second+`"`, "</div>")
	for _, want := range []string{"2026 年度余额", "本年应休</dt><dd>10 天", "已休</dt><dd>0 天", "审批中占用</dt><dd>5 天（含本申请 2 天）",
		"可用</dt><dd><strong>5 天</strong>", "批准后：已休 2 天，可用仍为 5 天"} {
		if !strings.Contains(balance, want) {
			t.Errorf("the queue's balance of the 2-day request lacks %q: %s", want, balance)
		}
	}
	// The officer sees the same balance, shown the same way.
	own := between(o.get("/leave").body, `id="balance"`, "</section>")
	for _, want := range []string{"本年应休</dt><dd>10 天", "审批中占用</dt><dd>5 天", "可用</dt><dd><strong>5 天</strong>"} {
		if !strings.Contains(own, want) {
			t.Errorf("the officer's balance lacks %q: %s", want, own)
		}
	}
	htok := head.token("/approvals")
	noReason := head.post("/approvals/leave/"+first+"/reject", url.Values{"csrf_token": {htok}, "version": {"1"}, "comment": {"  "}})
	if noReason.status != http.StatusUnprocessableEntity || !strings.Contains(noReason.body, `id="comment-`+first+`-error">必填<`) {
		t.Fatalf("reject without a reason = %d", noReason.status)
	}
	tooLong := strings.Repeat("长", 501)
	kept := head.post("/approvals/leave/"+first+"/reject", url.Values{"csrf_token": {htok}, "version": {"1"}, "comment": {tooLong}})
	if kept.status != http.StatusUnprocessableEntity || !strings.Contains(kept.body, `value="`+tooLong+`"`) {
		t.Errorf("a refused comment is not kept as typed: %d", kept.status)
	}
	e.clk.Advance(10 * time.Minute) // decided at 09:10, after the request at 09:00
	if r := head.post("/approvals/leave/"+first+"/reject", url.Values{"csrf_token": {htok}, "version": {"1"}, "comment": {"所里人手不足，请改到下月"}}); r.status != http.StatusSeeOther {
		t.Fatalf("reject = %d", r.status)
	}

	for _, page := range []string{"/leave", "/my"} {
		body := o.get(page).body
		item := between(body, "2026-03-09 – 2026-03-11", "</ol>")
		for _, want := range []string{"未批准", "用户 head1", "所里人手不足，请改到下月", "2026-03-02 09:10", "提交申请"} {
			if !strings.Contains(item, want) {
				t.Errorf("%s: the rejected request lacks %q: %s", page, want, item)
			}
		}
		if strings.Contains(body, "web.officer.") {
			t.Errorf("%s shows a raw catalogue key", page)
		}
	}
}

// TestLeaveCancelAsksFirst: the first press shows the request with the
// button that cancels it and changes nothing; a refused cancel keeps the
// request form as the page showed it; a too-long reason comes back next
// to its field; another officer's request answers 404.
func TestLeaveCancelAsksFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.user("officer1", domain.RoleOfficer)
	e.user("officer2", domain.RoleOfficer)
	o := e.browser()
	o.signIn("officer1")
	tok := o.token("/leave")
	if r := o.post("/leave/requests", url.Values{"csrf_token": {tok}, "from": {"2026-03-09"}, "to": {"2026-03-11"}}); r.status != http.StatusSeeOther {
		t.Fatalf("request = %d", r.status)
	}
	id := e.requestIDs(officer.MemberID)[0]
	// The request form was refused with what the officer typed; the cancel
	// buttons of that page carry it.
	typed := o.post("/leave/requests", url.Values{"csrf_token": {tok}, "from": {"2026-04-02"}, "to": {"2026-04-01"}, "reason": {"探亲"}})
	if !strings.Contains(typed.body, `<input type="hidden" name="reason" value="探亲">`) {
		t.Fatalf("the cancel form does not carry the typed request form: %d", typed.status)
	}
	keep := url.Values{"csrf_token": {tok}, "version": {"1"}, "from": {"2026-04-02"}, "to": {"2026-04-01"}, "reason": {"探亲"}}
	ask := o.post("/leave/requests/"+id+"/cancel", keep)
	confirm := between(ask.body, `id="confirm"`, "</section>")
	if ask.status != http.StatusOK || !strings.Contains(confirm, "2026-03-09 – 2026-03-11") || !strings.Contains(confirm, `name="confirm" value="yes"`) ||
		!strings.Contains(ask.body, `value="探亲"`) {
		t.Fatalf("first press = %d %s", ask.status, confirm)
	}
	if st := e.leaveRequest(id)["status"]; st != "pending" {
		t.Fatalf("the first press left the request %v", st)
	}
	stale := url.Values{"confirm": {"yes"}}
	for k, v := range keep {
		stale[k] = v
	}
	stale.Set("version", "7")
	refused := o.post("/leave/requests/"+id+"/cancel", stale)
	if refused.status != http.StatusConflict || !strings.Contains(refused.body, "error-flash") ||
		!strings.Contains(refused.body, `value="2026-04-02"`) || !strings.Contains(refused.body, `value="探亲"`) {
		t.Errorf("a refused cancel = %d, the form not as shown", refused.status)
	}
	long := url.Values{"csrf_token": {tok}, "version": {"1"}, "confirm": {"yes"}, "cancel_comment": {strings.Repeat("因", 501)}}
	r := o.post("/leave/requests/"+id+"/cancel", long)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="cancel_comment-error"`) || !strings.Contains(r.body, `id="confirm"`) {
		t.Errorf("a too-long reason = %d", r.status)
	}

	other := e.browser()
	other.signIn("officer2")
	if r := other.post("/leave/requests/"+id+"/cancel", url.Values{"csrf_token": {other.token("/leave")}, "version": {"1"}}); r.status != http.StatusNotFound {
		t.Errorf("another officer's first press = %d, want 404", r.status)
	}

	done := o.post("/leave/requests/"+id+"/cancel", url.Values{"csrf_token": {tok}, "version": {"1"}, "confirm": {"yes"}, "cancel_comment": {"计划有变"}})
	if st := e.leaveRequest(id)["status"]; done.status != http.StatusSeeOther || st != "cancelled" {
		t.Fatalf("confirmed cancel = %d, the request %v", done.status, st)
	}
	again := o.post("/leave/requests/"+id+"/cancel", url.Values{"csrf_token": {tok}, "version": {"2"}})
	if again.status != http.StatusConflict || !strings.Contains(again.body, "这条申请已不能撤销") || strings.Contains(again.body, `id="confirm"`) {
		t.Errorf("asking to cancel a cancelled request = %d", again.status)
	}
	item := between(o.get("/leave").body, "2026-03-09 – 2026-03-11", "</ol>")
	if !strings.Contains(item, "申请人本人 · 撤销") || !strings.Contains(item, "计划有变") || strings.Contains(item, "/cancel") {
		t.Errorf("the cancelled request: %s", item)
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

// TestApproverSeesOnlyTheirSteps: a request still with the unit head is
// not offered to the approver (the service would answer 403); one at the
// second level (longer than five working days, approved by the unit head)
// is, with both steps.
func TestApproverSeesOnlyTheirSteps(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.user("officer1", domain.RoleOfficer)
	e.user("head1", domain.RoleUnitHead)
	e.user("approver1", domain.RoleApprover)
	o := e.browser()
	o.signIn("officer1")
	tok := o.token("/leave")
	for _, p := range [][2]string{{"2026-03-02", "2026-03-04"}, {"2026-03-16", "2026-03-23"}} {
		if r := o.post("/leave/requests", url.Values{"csrf_token": {tok}, "from": {p[0]}, "to": {p[1]}}); r.status != http.StatusSeeOther {
			t.Fatalf("request %v = %d", p, r.status)
		}
	}
	ids := e.requestIDs(officer.MemberID)
	withHead, withMe := ids[0], ids[1]
	head := e.browser()
	head.signIn("head1")
	if r := head.post("/approvals/leave/"+withMe+"/approve", url.Values{"csrf_token": {head.token("/approvals")}, "version": {"1"}}); r.status != http.StatusSeeOther {
		t.Fatalf("the unit head's approval = %d %s", r.status, r.body)
	}
	if st := e.leaveRequest(withMe)["status"]; st != "pending_second" {
		t.Fatalf("the 6-day request after the unit head = %v, want pending_second", st)
	}

	a := e.browser()
	a.signIn("approver1")
	queue := a.get("/approvals")
	if queue.status != http.StatusOK {
		t.Fatalf("approvals = %d", queue.status)
	}
	if strings.Contains(queue.body, `id="approval-`+withHead+`"`) || strings.Contains(queue.body, "/approvals/leave/"+withHead+"/") {
		t.Errorf("the approver is offered a request still with the unit head")
	}
	if !strings.Contains(queue.body, `id="leave-elsewhere"`) || !strings.Contains(queue.body, "另有 1 项申请在其他审批环节") {
		t.Errorf("the queue does not say one more request waits elsewhere")
	}
	item := between(queue.body, `id="approval-`+withMe+`"`, "</li>\n    <li")
	for _, want := range []string{"/approvals/leave/" + withMe + "/approve", "/approvals/leave/" + withMe + "/reject"} {
		if !strings.Contains(queue.body, want) {
			t.Errorf("the request with the approver lacks %s: %s", want, item)
		}
	}
	if r := a.post("/approvals/leave/"+withMe+"/approve", url.Values{"csrf_token": {a.token("/approvals")}, "version": {"2"}}); r.status != http.StatusSeeOther {
		t.Fatalf("approve = %d", r.status)
	}
	if st := e.leaveRequest(withMe)["status"]; st != "approved" {
		t.Errorf("the request after the approver = %v, want approved", st)
	}
}

// requestIDs are the member's leave requests in the real leave service,
// by their first day (the tests ask for them in that order, all at t0).
func (e *env) requestIDs(member string) []string {
	e.t.Helper()
	items := e.leaveRequests(member)
	slices.SortFunc(items, func(a, b map[string]any) int { return strings.Compare(a["from"].(string), b["from"].(string)) })
	ids := make([]string, len(items))
	for i, q := range items {
		ids[i] = q["id"].(string)
	}
	return ids
}

// leaveRequest is one request as the real leave service holds it.
func (e *env) leaveRequest(id string) map[string]any {
	e.t.Helper()
	return e.sys.Call(e.t, e.staff, http.MethodGet, "/api/v1/leave/requests/"+id, nil, http.StatusOK)
}
