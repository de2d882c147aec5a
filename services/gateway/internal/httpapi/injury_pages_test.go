package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

func TestInjuryJourney(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("officer1", domain.RoleOfficer)
	e.user("case1", domain.RoleCaseworker)
	officer := e.browser()
	officer.signIn("officer1")

	form := officer.get("/injury/report")
	if form.status != http.StatusOK || !strings.Contains(form.body, `name="injured_at"`) || strings.Contains(form.body, `name="member_id"`) {
		t.Fatalf("report form %d", form.status)
	}
	tok := officer.token("/injury/report")
	report := url.Values{"csrf_token": {tok}, "unit_id": {"unit-1"}, "severity": {"serious"},
		"injured_at": {"2026-03-02T08:30"}, "place": {""}, "description": {"巡逻时摔伤右腿"}}
	bad := officer.post("/injury/report", report)
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, `id="place-error"`) ||
		!strings.Contains(bad.body, "请填写地点") || !strings.Contains(bad.body, "巡逻时摔伤右腿") {
		t.Fatalf("report without place = %d", bad.status)
	}
	report.Set("place", "城关派出所门口")
	ok := officer.post("/injury/report", report)
	if ok.status != http.StatusSeeOther || !strings.HasPrefix(ok.header.Get("Location"), "/cases/") {
		t.Fatalf("report = %d %s", ok.status, ok.header.Get("Location"))
	}
	casePath := strings.TrimSuffix(ok.header.Get("Location"), "?m=reported")
	page := officer.get(ok.header.Get("Location"))
	for _, want := range []string{"GC-2026-000001", "已提交报告", `id="clocks"`, "sla-breached", "城关派出所门口", "2026-03-02 08:30"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	if strings.Contains(page.body, "/actions/") {
		t.Error("the officer is offered caseworker actions")
	}
	if my := officer.get("/my"); !strings.Contains(my.body, "GC-2026-000001") {
		t.Error("my page does not list the case")
	}

	worker := e.browser()
	worker.signIn("case1")
	queue := worker.get("/work/queue")
	if queue.status != http.StatusOK || !strings.Contains(queue.body, "GC-2026-000001") || !strings.Contains(queue.body, "row-breached") {
		t.Fatalf("queue %d lacks the red case", queue.status)
	}
	detail := worker.get(casePath)
	if !strings.Contains(detail.body, `action="`+casePath+`/actions/acknowledge"`) {
		t.Fatal("caseworker is not offered acknowledge")
	}
	wtok := worker.token(casePath)
	stale := worker.post(casePath+"/actions/acknowledge", url.Values{"csrf_token": {wtok}, "version": {"5"}})
	if stale.status != http.StatusConflict || !strings.Contains(stale.body, "version_mismatch") {
		t.Fatalf("stale acknowledge = %d", stale.status)
	}
	done := worker.post(casePath+"/actions/acknowledge", url.Values{"csrf_token": {wtok}, "version": {"1"}})
	if done.status != http.StatusSeeOther {
		t.Fatalf("acknowledge = %d %s", done.status, done.body)
	}
	after := officer.get(casePath)
	if !strings.Contains(after.body, "injury.state.treatment") && !strings.Contains(after.body, "treatment") {
		t.Error("officer does not see the new state")
	}
}

func TestInjuryPagesAccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("officer1", domain.RoleOfficer)
	e.user("officer2", domain.RoleOfficer)
	e.user("fin1", domain.RoleFinance)
	o1 := e.browser()
	o1.signIn("officer1")
	r := o1.post("/injury/report", url.Values{"csrf_token": {o1.token("/injury/report")}, "unit_id": {"u"}, "severity": {"minor"},
		"injured_at": {"2026-03-02T08:30"}, "place": {"p"}, "description": {"d"}})
	casePath := strings.TrimSuffix(r.header.Get("Location"), "?m=reported")

	o2 := e.browser()
	o2.signIn("officer2")
	fin := e.browser()
	fin.signIn("fin1")
	anon := e.browser()
	tests := []struct {
		name string
		b    *browser
		path string
		want int
	}{
		{name: "other officer's case", b: o2, path: casePath, want: http.StatusNotFound},
		{name: "officer on the queue", b: o2, path: "/work/queue", want: http.StatusForbidden},
		{name: "finance reporting", b: fin, path: "/injury/report", want: http.StatusForbidden},
		{name: "finance on my page", b: fin, path: "/my", want: http.StatusForbidden},
		{name: "anonymous case", b: anon, path: casePath, want: http.StatusSeeOther},
		{name: "anonymous queue", b: anon, path: "/work/queue", want: http.StatusSeeOther},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.b.get(tc.path); got.status != tc.want {
				t.Errorf("GET %s = %d, want %d", tc.path, got.status, tc.want)
			}
		})
	}
	if r := o2.post(casePath+"/actions/acknowledge", url.Values{"csrf_token": {o2.token("/my")}, "version": {"1"}}); r.status != http.StatusNotFound {
		t.Errorf("other officer acting = %d", r.status)
	}
}
