package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

func TestLeaveJourney(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("officer1", domain.RoleOfficer)
	e.user("head1", domain.RoleUnitHead)
	o := e.browser()
	o.signIn("officer1")
	page := o.get("/leave")
	if page.status != http.StatusOK || !strings.Contains(page.body, `id="balance"`) || !strings.Contains(page.body, "<strong>10</strong>") {
		t.Fatalf("leave page %d", page.status)
	}
	tok := o.token("/leave")
	quote := o.post("/leave/requests", url.Values{"csrf_token": {tok}, "from": {"2026-03-02"}, "to": {"2026-03-04"}, "quote": {"1"}})
	if quote.status != http.StatusOK || !strings.Contains(quote.body, "这段时间占用 3 个工作日，批准后余额 7 天") || !strings.Contains(quote.body, `value="2026-03-04"`) {
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
	id := e.leave.requests[0].ID
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
	// A second decision on the same request is refused with the reason shown.
	r := head.post("/approvals/leave/"+id+"/reject", url.Values{"csrf_token": {htok}, "version": {"2"}})
	if r.status != http.StatusConflict || !strings.Contains(r.body, "error-flash") {
		t.Errorf("decision on a decided request = %d", r.status)
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
