package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// TestMyPageShowsLastSteps: /my shows each case, application and request
// with its last steps and their dates, not just a status badge.
func TestMyPageShowsLastSteps(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.user("officer1", domain.RoleOfficer)
	o := e.browser()
	o.signIn("officer1")
	report := url.Values{"csrf_token": {o.token("/injury/report")}, "unit_id": {"unit-1"}, "severity": {"serious"},
		"injured_at": {"2026-03-02T08:30"}, "place": {"城关派出所门口"}, "description": {"巡逻时摔伤右腿"}}
	if r := o.post("/injury/report", report); r.status != http.StatusSeeOther {
		t.Fatalf("report = %d", r.status)
	}
	e.grants.mu.Lock()
	e.grants.apps["app-1"] = &fakeApp{ID: "app-1", Number: "GA-2026-000009", ProgramID: "p-1", ApplicantUserID: officer.ID, State: "returned",
		StateText: "退回补充材料", Version: 3, CreatedAt: t0, History: []map[string]any{
			{"step": "submit", "actor_name": "用户 officer1", "at": t0},
			{"step": "return", "actor_name": "王经办", "at": t0.Add(26 * time.Hour), "reason": "请补充家庭收入证明"},
		}}
	e.grants.mu.Unlock()
	if r := o.post("/leave/requests", url.Values{"csrf_token": {o.token("/leave")}, "from": {"2026-03-09"}, "to": {"2026-03-10"}}); r.status != http.StatusSeeOther {
		t.Fatalf("leave request = %d", r.status)
	}

	my := o.get("/my")
	if my.status != http.StatusOK {
		t.Fatalf("/my = %d", my.status)
	}
	for section, wants := range map[string][]string{
		`id="my-injury"`: {"GC-2026-000001", "张三", "2026-03-02 09:00"},
		`id="my-grants"`: {"GA-2026-000009", "王经办", "2026-03-03 11:00", "请补充家庭收入证明"},
		`id="my-leave"`:  {"2026-03-09 – 2026-03-10", "2026-03-02 09:00", "提交申请"},
	} {
		part := between(my.body, section, "</section>")
		for _, want := range wants {
			if !strings.Contains(part, want) {
				t.Errorf("%s lacks %q: %s", section, want, part)
			}
		}
		if !strings.Contains(part, `<ol class="timeline">`) {
			t.Errorf("%s shows no steps", section)
		}
	}
	if strings.Contains(my.body, "web.officer.") || strings.Contains(my.body, "web.grants.step.") {
		t.Error("/my shows a raw catalogue key")
	}
}
