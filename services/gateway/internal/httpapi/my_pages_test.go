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

// app1 and app2 are application ids as the grants service gives them
// (UUIDs), which /my's generated client reads.
const (
	app1 = "00000000-0000-7000-8000-0000000000a1"
	app2 = "00000000-0000-7000-8000-0000000000a2"
)

// TestMyPageShowsLastSteps: /my shows each case, application and request
// with its last steps and their dates, not just a status badge.
func TestMyPageShowsLastSteps(t *testing.T) {
	t.Parallel()
	e := newFakeEnv(t)
	officer := e.user("officer1", domain.RoleOfficer)
	o := e.browser()
	o.signIn("officer1")
	report := url.Values{"csrf_token": {o.token("/injury/report")}, "unit_id": {"unit-1"}, "severity": {"serious"},
		"injured_at": {"2026-03-02T08:30"}, "place": {"城关派出所门口"}, "description": {"巡逻时摔伤右腿"}}
	if r := o.post("/injury/report", report); r.status != http.StatusSeeOther {
		t.Fatalf("report = %d", r.status)
	}
	e.grants.mu.Lock()
	e.grants.apps[app1] = &fakeApp{ID: app1, Number: "GA-2026-000009", ProgramID: "00000000-0000-7000-b000-000000000001", ApplicantUserID: officer.ID, State: "returned",
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

// TestMyPageAttentionFirst: /my opens with what needs the officer now, in
// plain words: a case escalated to the committee with the caseworker in
// charge and their phone, their own filing deadline nearing, an
// application sent back to them; everything else is folded below.
func TestMyPageAttentionFirst(t *testing.T) {
	t.Parallel()
	e := newFakeEnv(t)
	officer := e.user("officer1", domain.RoleOfficer)
	o := e.browser()
	o.signIn("officer1")
	for i := 0; i < 3; i++ {
		report := url.Values{"csrf_token": {o.token("/injury/report")}, "unit_id": {"unit-1"}, "severity": {"serious"},
			"injured_at": {"2026-03-02T08:30"}, "place": {"城关派出所门口"}, "description": {"巡逻时摔伤右腿"}}
		if r := o.post("/injury/report", report); r.status != http.StatusSeeOther {
			t.Fatalf("report = %d", r.status)
		}
	}
	e.injury.mu.Lock()
	late, own, quiet := e.injury.cases[e.injury.order[0]], e.injury.cases[e.injury.order[1]], e.injury.cases[e.injury.order[2]]
	late.Status, late.DueClock, late.Escalation, late.InChargeName, late.InChargePhone = "red", "handoff", "committee", "王经办", "0571-1234567"
	own.Status, own.DueClock, own.NextDueAt = "amber", "member_filing", time.Date(2027, 3, 2, 0, 30, 0, 0, time.UTC)
	quiet.Status, quiet.DueClock = "green", "acknowledgement"
	e.injury.mu.Unlock()
	e.grants.mu.Lock()
	e.grants.apps[app1] = &fakeApp{ID: app1, Number: "GA-2026-000009", ProgramID: "00000000-0000-7000-b000-000000000001", ApplicantUserID: officer.ID, State: "returned",
		StateText: "退回补充材料", Version: 3, CreatedAt: t0}
	e.grants.mu.Unlock()

	my := o.get("/my")
	if my.status != http.StatusOK {
		t.Fatalf("/my = %d", my.status)
	}
	first := strings.Index(my.body, "<section")
	if first < 0 || !strings.HasPrefix(my.body[first:], `<section class="card" id="my-attention"`) {
		t.Errorf("/my does not open with the attention panel: %s", my.body[max(first, 0):min(len(my.body), max(first, 0)+200)])
	}
	att := between(my.body, `id="my-attention"`, "</section>")
	for _, want := range []string{late.Number, "已上报县委政法委督办", "不影响您的待遇", "经办人：王经办", `href="tel:0571-1234567"`,
		own.Number, "您本人或近亲属可以自己申请，期限至 2027-03-02 08:30", "GA-2026-000009", "被退回"} {
		if !strings.Contains(att, want) {
			t.Errorf("the attention panel lacks %q: %s", want, att)
		}
	}
	if strings.Contains(att, quiet.Number) {
		t.Errorf("a case on time needs attention: %s", att)
	}
	for _, part := range []string{"injury", "leave", "grants", "care"} {
		if !strings.Contains(my.body, `<details class="fold" id="fold-`+part+`">`) {
			t.Errorf("the %s part is not folded", part)
		}
	}
	if strings.Contains(my.body, "web.my.") {
		t.Error("/my shows a raw catalogue key")
	}
}

// TestMyPageNamesTheAmountByItsState: on /my, an application awaiting a
// decision shows the amount requested under that name, never as 核定金额
// (the amount granted), which it only becomes once approved.
func TestMyPageNamesTheAmountByItsState(t *testing.T) {
	t.Parallel()
	e := newFakeEnv(t)
	officer := e.user("officer1", domain.RoleOfficer)
	o := e.browser()
	o.signIn("officer1")
	e.grants.mu.Lock()
	e.grants.apps[app1] = &fakeApp{ID: app1, Number: "GA-2026-000011", ProgramID: "00000000-0000-7000-b000-000000000001", ApplicantUserID: officer.ID, State: "submitted",
		StateText: "已提交", Version: 2, CreatedAt: t0, RequestedAmount: 300_000}
	e.grants.apps[app2] = &fakeApp{ID: app2, Number: "GA-2026-000012", ProgramID: "00000000-0000-7000-b000-000000000001", ApplicantUserID: officer.ID, State: "approved",
		StateText: "已批准", Version: 5, CreatedAt: t0, RequestedAmount: 300_000, Amount: 250_000}
	e.grants.mu.Unlock()
	part := between(o.get("/my").body, `id="my-grants"`, "</section>")
	for _, tc := range []struct{ number, want, not string }{
		{"GA-2026-000011", "申请金额</span> ¥3,000.00", "核定金额"},
		{"GA-2026-000012", "核定金额</span> ¥2,500.00", "申请金额"},
	} {
		item := between(part, tc.number, "</li>")
		if !strings.Contains(item, tc.want) || strings.Contains(item, tc.not) {
			t.Errorf("%s on /my: want %q, not %q: %s", tc.number, tc.want, tc.not, item)
		}
	}
}

// TestMyPageAsksForAPage: /my asks each service for its latest items only,
// the cases and applications with their last steps in the one list call
// each, and for the care part makes one call. Twelve cases show the latest ten
// with a plain link to the older two (and back); an old link's cursor
// shows the latest ten with a note. The care part shows the stay's dates
// and facility and the check's time from GET /my/care alone, not from the
// care page's lists, sessions, rounds and slots.
func TestMyPageAsksForAPage(t *testing.T) {
	t.Parallel()
	e := newFakeEnv(t)
	officer := e.user("officer1", domain.RoleOfficer)
	o := e.browser()
	o.signIn("officer1")
	for range 12 {
		report := url.Values{"csrf_token": {o.token("/injury/report")}, "unit_id": {"unit-1"}, "severity": {"minor"},
			"injured_at": {"2026-03-02T08:30"}, "place": {"城关派出所门口"}, "description": {"巡逻时扭伤"}}
		if r := o.post("/injury/report", report); r.status != http.StatusSeeOther {
			t.Fatalf("report = %d", r.status)
		}
	}
	// the check booked in slot-2, as leave keeps it (the booking page is
	// in the leave area's package now, tested against the real service)
	e.leave.mu.Lock()
	oc := e.leave.officerState()
	oc.slots[1].Booked++
	oc.checks = append(oc.checks, &fakeOfficerCheck{fcCheck: fcCheck{ID: "hc-o1", RoundID: "r-1", SlotID: "slot-2", MemberID: "m-" + officer.ID,
		UnitID: "unit-1", Year: 2026, Status: "booked", Version: 1}, owner: officer.ID})
	e.leave.stays = append(e.leave.stays, map[string]any{"id": "b-1", "session_id": "s-1", "year": 2026, "status": "confirmed", "requested_at": t0})
	e.leave.gets = nil
	e.leave.mu.Unlock()
	e.injury.mu.Lock()
	e.injury.gets = nil
	e.injury.mu.Unlock()
	e.grants.mu.Lock()
	e.grants.gets = nil
	e.grants.mu.Unlock()

	my := o.get("/my")
	if my.status != http.StatusOK {
		t.Fatalf("/my = %d", my.status)
	}
	injury := between(my.body, `id="my-injury"`, "</section>")
	if n := strings.Count(injury, `<a href="/cases/`); n != 10 {
		t.Errorf("/my lists %d of 12 cases, want the latest 10", n)
	}
	if !strings.Contains(injury, `id="my-injury-next" href="/my?cases_after=off-10"`) || strings.Contains(injury, `id="my-injury-first"`) {
		t.Errorf("/my has no link to the older cases: %s", injury)
	}
	e.leave.mu.Lock()
	gets := slices.Clone(e.leave.gets)
	e.leave.mu.Unlock()
	if !slices.Contains(gets, "/my/care") || slices.ContainsFunc(gets, func(p string) bool {
		return strings.HasPrefix(p, "/recuperation/") || strings.HasPrefix(p, "/health-checks/")
	}) {
		t.Errorf("/my read the care part with %v, want GET /my/care alone", gets)
	}
	e.injury.mu.Lock()
	injuryGets := slices.Clone(e.injury.gets)
	e.injury.mu.Unlock()
	if len(injuryGets) != 1 || injuryGets[0] != "/cases" {
		t.Errorf("/my asked injury for %v, want the case list alone (with the cases' last steps)", injuryGets)
	}
	if !strings.Contains(injury, "张三") {
		t.Errorf("the cases show no steps: %s", injury)
	}
	e.grants.mu.Lock()
	grantsGets := slices.Clone(e.grants.gets)
	e.grants.mu.Unlock()
	if len(grantsGets) != 1 || grantsGets[0] != "/applications" {
		t.Errorf("/my asked grants for %v, want the application list alone (with the applications' last steps)", grantsGets)
	}
	care := between(my.body, `id="my-care"`, "</section>")
	for _, want := range []string{"北戴河疗养院", "2026-06-01 – 2026-06-07", "2026-03-06 09:00", `href="/care#check-hc-o1"`, `href="/care#stay-b-1"`} {
		if !strings.Contains(care, want) {
			t.Errorf("the care part lacks %q: %s", want, care)
		}
	}

	older := o.get("/my?cases_after=off-10")
	injury = between(older.body, `id="my-injury"`, "</section>")
	if older.status != http.StatusOK || strings.Count(injury, `<a href="/cases/`) != 2 || strings.Contains(injury, `id="my-injury-next"`) ||
		!strings.Contains(injury, `id="my-injury-first" href="/my"`) || !strings.Contains(older.body, `<details class="fold" id="fold-injury" open>`) {
		t.Errorf("the older cases = %d: %s", older.status, injury)
	}
	stale := o.get("/my?cases_after=from-an-old-link")
	injury = between(stale.body, `id="my-injury"`, "</section>")
	if stale.status != http.StatusOK || !strings.Contains(injury, `id="my-injury-stale"`) || strings.Count(injury, `<a href="/cases/`) != 10 {
		t.Errorf("an old link's cursor = %d: %s", stale.status, injury)
	}
}
