package httpapi_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
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
	injury := reportOwn(t, o, e.unit)
	if r := o.post("/leave/requests", url.Values{"csrf_token": {o.token("/leave")}, "from": {"2026-03-09"}, "to": {"2026-03-10"}}); r.status != http.StatusSeeOther {
		t.Fatalf("leave request = %d", r.status)
	}
	app, number := e.applies(officer, e.hardshipProgram(), 3000)
	// Once enrollment has answered the case's coverage question (a step of
	// its own), the caseworker takes the case and hands it off at once, so
	// none of its clocks passes while the clock moves on (an escalation
	// would be a step too, whenever the service's sweeper runs); a day and
	// two hours on, the caseworker sends the application back.
	apptest.Eventually(t, 20*time.Second, "enrollment answered injury's coverage question", func() bool {
		cov, _ := e.injuryCase(injury)["coverage"].(map[string]any)
		return cov["status"] == "checked"
	})
	e.act(injury, "acknowledge", map[string]any{})
	e.act(injury, "confirm_handoff", map[string]any{"hospital": "县人民医院"})
	e.clk.Advance(26 * time.Hour)
	e.grantStep(app, "return", e.staff, map[string]any{"reason": "请补充家庭收入证明"})
	o.signIn("officer1")

	my := o.get("/my")
	if my.status != http.StatusOK {
		t.Fatalf("/my = %d", my.status)
	}
	for section, wants := range map[string][]string{
		`id="my-injury"`: {"GC-2026-000001", "王经办 · 确认医院交接及垫付担保", "2026-03-02 09:00"},
		`id="my-grants"`: {number, "王经办", "2026-03-03 11:00", "请补充家庭收入证明"},
		`id="my-leave"`:  {"2026-03-09 – 2026-03-10", "2026-03-02 09:00", "提交申请"},
	} {
		part := between(my.body, section, "</section>")
		for _, want := range wants {
			if !strings.Contains(part, want) {
				t.Errorf("%s lacks %q: %s", section, want, strings.ReplaceAll(part, "\n", " "))
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
// charge and their phone, their own deadline nearing (the window to appeal
// a grading), an application sent back to them; everything else is folded
// below. The cases are the real injury service's, moved there step by
// step: the late one acknowledged by 王经办 and never handed off, the
// officer's own graded on the day, and the clock moved on thirteen days.
// (The injury service never shows the member's own filing deadline as a
// case's due clock while the unit's runs, so the appeal window is the
// member's deadline that needs them.)
func TestMyPageAttentionFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.user("officer1", domain.RoleOfficer)
	o := e.browser()
	o.signIn("officer1")
	var cases []string
	for range 2 {
		cases = append(cases, reportOwn(t, o, e.unit))
	}
	late, own := cases[0], cases[1]
	e.act(late, "acknowledge", map[string]any{"phone": "0571-1234567"})
	e.gradeOnTheDay(own)
	_, returned := e.applies(officer, e.hardshipProgram(), 3000)
	e.grantStep(e.applicationID(returned), "return", e.staff, map[string]any{"reason": "请补充家庭收入证明"})

	e.clk.Advance(13 * 24 * time.Hour)
	apptest.Eventually(t, 60*time.Second, "the injury service's sweeper escalated the late case to the committee", func() bool {
		return e.listedCase(late)["escalation"] == "committee"
	})
	o.signIn("officer1")
	quiet := reportOwn(t, o, e.unit)
	lateNo, ownNo, quietNo := e.injuryCase(late)["number"].(string), e.injuryCase(own)["number"].(string), e.injuryCase(quiet)["number"].(string)

	my := o.get("/my")
	if my.status != http.StatusOK {
		t.Fatalf("/my = %d", my.status)
	}
	first := strings.Index(my.body, "<section")
	if first < 0 || !strings.HasPrefix(my.body[first:], `<section class="card" id="my-attention"`) {
		t.Errorf("/my does not open with the attention panel: %s", my.body[max(first, 0):min(len(my.body), max(first, 0)+200)])
	}
	att := between(my.body, `id="my-attention"`, "</section>")
	for _, want := range []string{lateNo, "已上报县委政法委督办", "不影响您的待遇", "经办人：王经办", `href="tel:0571-1234567"`,
		"工伤案件 " + ownNo + "：如对伤残等级鉴定结论有异议，可以申请再次鉴定，期限至 2026-03-18 00:00", returned, "被退回"} {
		if !strings.Contains(att, want) {
			t.Errorf("the attention panel lacks %q: %s", want, att)
		}
	}
	if strings.Contains(att, quietNo) {
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
	e := newEnv(t)
	officer := e.user("officer1", domain.RoleOfficer)
	o := e.browser()
	o.signIn("officer1")
	program := e.hardshipProgram()
	_, waiting := e.applies(officer, program, 3000)
	approved, granted := e.applies(officer, program, 2500)
	e.grantStep(approved, "review", e.staff, map[string]any{})
	e.grantStep(approved, "approve", auth.Identity{UserID: "u-seed-approver", Name: "赵主任", Roles: []auth.Role{auth.RoleApprover}, Units: []string{e.unit}}, map[string]any{})
	part := between(o.get("/my").body, `id="my-grants"`, "</section>")
	for _, tc := range []struct{ number, want, not string }{
		{waiting, "申请金额</span> ¥3,000.00", "核定金额"},
		{granted, "核定金额</span> ¥2,500.00", "申请金额"},
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
	e := newEnv(t)
	officer := e.user("officer1", domain.RoleOfficer)
	o := e.browser()
	o.signIn("officer1")
	for range 12 {
		report := url.Values{"csrf_token": {o.token("/injury/report")}, "unit_id": {e.unit}, "severity": {"minor"},
			"injured_at": {"2026-03-02T08:30"}, "place": {"城关派出所门口"}, "description": {"巡逻时扭伤"}}
		if r := o.post("/injury/report", report); r.status != http.StatusSeeOther {
			t.Fatalf("report = %d", r.status)
		}
	}
	// A stay and a health check the officer booked in the real leave
	// service (the booking page is in the leave area's package, tested
	// against the real service there).
	admin := auth.Identity{UserID: "u-seed-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
	facility := e.sys.Call(t, admin, http.MethodPost, "/api/v1/leave/recuperation/facilities", map[string]any{"name": "北戴河疗养院", "location": "秦皇岛"}, http.StatusCreated)["id"].(string)
	session := e.sys.Call(t, admin, http.MethodPost, "/api/v1/leave/recuperation/facilities/"+facility+"/sessions",
		map[string]any{"from": "2026-06-01", "to": "2026-06-07", "capacity": 10}, http.StatusCreated)["id"].(string)
	round := e.sys.Call(t, e.staff, http.MethodPost, "/api/v1/leave/health-checks/rounds", map[string]any{"unit_id": e.unit, "year": 2026, "opens": "2026-01-01", "closes": "2026-12-31"}, http.StatusCreated)["id"].(string)
	slot := e.sys.Call(t, e.staff, http.MethodPost, "/api/v1/leave/health-checks/rounds/"+round+"/slots", map[string]any{"starts_at": "2026-03-06T01:00:00Z", "capacity": 2}, http.StatusCreated)["id"].(string)
	check := e.sys.Call(t, e.as(officer), http.MethodPost, "/api/v1/leave/health-checks/slots/"+slot+"/bookings", map[string]any{}, http.StatusCreated)["id"].(string)
	stay := e.sys.Call(t, e.as(officer), http.MethodPost, "/api/v1/leave/recuperation/sessions/"+session+"/bookings", map[string]any{}, http.StatusCreated)["id"].(string)

	// What /my reads from each service, as the services' servers see it.
	var mu sync.Mutex
	gets := map[string][]string{}
	watching := true
	e.sys.Watch(func(service string, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if watching && r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/api/v1/") {
			gets[service] = append(gets[service], strings.TrimPrefix(r.URL.Path, "/api/v1/"+service))
		}
	})
	my := o.get("/my")
	mu.Lock()
	watching = false
	mu.Unlock()
	if my.status != http.StatusOK {
		t.Fatalf("/my = %d", my.status)
	}
	injury := between(my.body, `id="my-injury"`, "</section>")
	if n := strings.Count(injury, `<a href="/cases/`); n != 10 {
		t.Errorf("/my lists %d of 12 cases, want the latest 10", n)
	}
	next := regexp.MustCompile(`id="my-injury-next" href="(/my\?cases_after=[^"]+)"`).FindStringSubmatch(injury)
	if next == nil || strings.Contains(injury, `id="my-injury-first"`) {
		t.Fatalf("/my has no link to the older cases: %s", injury)
	}
	if !slices.Contains(gets["leave"], "/my/care") || slices.ContainsFunc(gets["leave"], func(p string) bool {
		return strings.HasPrefix(p, "/recuperation/") || strings.HasPrefix(p, "/health-checks/")
	}) {
		t.Errorf("/my read the care part with %v, want GET /my/care alone", gets["leave"])
	}
	if !slices.Equal(gets["injury"], []string{"/cases"}) {
		t.Errorf("/my asked injury for %v, want the case list alone (with the cases' last steps)", gets["injury"])
	}
	if !strings.Contains(injury, "用户 officer1") {
		t.Errorf("the cases show no steps: %s", injury)
	}
	if !slices.Equal(gets["grants"], []string{"/applications"}) {
		t.Errorf("/my asked grants for %v, want the application list alone (with the applications' last steps)", gets["grants"])
	}
	care := between(my.body, `id="my-care"`, "</section>")
	for _, want := range []string{"北戴河疗养院", "2026-06-01 – 2026-06-07", "2026-03-06 09:00", `href="/care#check-` + check + `"`, `href="/care#stay-` + stay + `"`} {
		if !strings.Contains(care, want) {
			t.Errorf("the care part lacks %q: %s", want, care)
		}
	}

	older := o.get(html.UnescapeString(next[1]))
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

// reportOwn reports the officer's own serious injury through the page and
// returns the case's id.
func reportOwn(t *testing.T, o *browser, unit string) string {
	t.Helper()
	report := url.Values{"csrf_token": {o.token("/injury/report")}, "unit_id": {unit}, "severity": {"serious"},
		"injured_at": {"2026-03-02T08:30"}, "place": {"城关派出所门口"}, "description": {"巡逻时摔伤右腿"}}
	r := o.post("/injury/report", report)
	if r.status != http.StatusSeeOther {
		t.Fatalf("report = %d", r.status)
	}
	return strings.TrimSuffix(strings.TrimPrefix(r.header.Get("Location"), "/cases/"), "?m=reported")
}

// injuryCase is case id as the real injury service holds it, read by the
// unit's caseworker.
func (e *env) injuryCase(id string) map[string]any {
	e.t.Helper()
	return e.sys.Call(e.t, e.staff, http.MethodGet, "/api/v1/injury/cases/"+id, nil, http.StatusOK)
}

// listedCase is case id as the real injury service lists it to the unit's
// caseworker: with its due clock's colour and escalation.
func (e *env) listedCase(id string) map[string]any {
	e.t.Helper()
	for _, c := range e.sys.List(e.t, e.staff, "/api/v1/injury/cases?limit=500", "cases") {
		if c["id"] == id {
			return c
		}
	}
	e.t.Fatalf("the injury service does not list case %s", id)
	return nil
}

// act takes action on case id as the unit's caseworker, at its current
// version.
func (e *env) act(id, action string, body map[string]any) {
	e.t.Helper()
	v := e.injuryCase(id)["version"]
	e.sys.Call(e.t, e.staff, http.MethodPost, "/api/v1/injury/cases/"+id+"/actions/"+action, body, http.StatusOK, "If-Match", fmt.Sprintf(`"%v"`, v))
}

// gradeOnTheDay takes case id from triage to a grading conclusion received
// on 2026-03-02: handed off, filed, accepted, recognised, graded 7 with
// no nursing. Its appeal window runs to the end of 2026-03-17.
func (e *env) gradeOnTheDay(id string) {
	e.t.Helper()
	e.act(id, "acknowledge", map[string]any{})
	e.act(id, "confirm_handoff", map[string]any{"hospital": "县人民医院", "guarantee_fen": 500000})
	e.act(id, "file_determination", map[string]any{"filed_on": "2026-03-02"})
	e.act(id, "accept_filing", map[string]any{"accepted_on": "2026-03-02", "clear_facts": true})
	e.act(id, "decide", map[string]any{"decided_on": "2026-03-02", "outcome": "recognised", "clause": 1, "reason": "执行公务时受伤"})
	e.act(id, "request_grading", map[string]any{"applied_on": "2026-03-02"})
	e.act(id, "record_grade", map[string]any{"graded_on": "2026-03-02", "grade": 7, "nursing": "none"})
}

// applicationID is the id of the application numbered number.
func (e *env) applicationID(number string) string {
	e.t.Helper()
	for _, a := range e.sys.Items(e.t, e.staff, "/api/v1/grants/applications?scope=unit") {
		if a["number"] == number {
			return a["id"].(string)
		}
	}
	e.t.Fatalf("no application %s", number)
	return ""
}

// applies has officer apply for yuan from program in the real grants
// service, with the programme's document named, and submit it; it returns
// the application's id and number.
func (e *env) applies(officer *domain.User, program string, yuan int) (id, number string) {
	e.t.Helper()
	me := e.as(officer)
	a := e.sys.Call(e.t, me, http.MethodPost, "/api/v1/grants/applications", map[string]any{"program_id": program, "requested_amount": yuan * 100,
		"form": map[string]any{"income_per_capita": 150000}, "documents": []string{"家庭收入证明"}}, http.StatusCreated)
	id = a["id"].(string)
	e.grantStep(id, "submit", me, map[string]any{})
	return id, a["number"].(string)
}

// grantStep takes step on application id as who, at its current version.
func (e *env) grantStep(id, step string, who auth.Identity, body map[string]any) {
	e.t.Helper()
	cur := e.sys.Call(e.t, e.staff, http.MethodGet, "/api/v1/grants/applications/"+id, nil, http.StatusOK)
	e.sys.Call(e.t, who, http.MethodPost, "/api/v1/grants/applications/"+id+"/"+step, body, http.StatusOK, "If-Match", fmt.Sprintf(`"%v"`, cur["version"]))
}
