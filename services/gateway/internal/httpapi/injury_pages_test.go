package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/httpapi"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
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

// injuryUser creates a user with the test password, their member and
// units as given.
func injuryUser(t *testing.T, e *env, name, member string, units []string, roles ...domain.Role) *domain.User {
	t.Helper()
	u, err := e.accounts.CreateUser(context.Background(), domain.UserInput{Username: name, DisplayName: "用户 " + name,
		Roles: roles, Units: units, MemberID: member}, password, password, store.Actor{UserID: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// rawInjuryKey is a page text key printed instead of its text (the
// injury service's own keys, injury.state.*, are not registered here).
var rawInjuryKey = regexp.MustCompile(`\b(web|field)\.[a-z_]+\.[a-z_.0-9]+`)

func wantIn(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	if k := rawInjuryKey.FindString(body); k != "" {
		t.Errorf("%s shows the raw key %q", what, k)
	}
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func wantNotIn(t *testing.T, what, body string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(body, w) {
			t.Errorf("%s shows %q", what, w)
		}
	}
}

// An officer reports for themselves without choosing a unit: the unit is
// the one of their member record, shown by name, and the case names them
// and the unit.
func TestInjuryReportTakesTheUnitFromTheMemberRecord(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := injuryUser(t, e, "officer-zhang", "m-zhang", nil, domain.RoleOfficer)
	e.enrollment.addPerson("m-zhang", "u-1", "张建国", officer.ID)
	b := e.browser()
	b.signIn("officer-zhang")

	form := b.get("/injury/report")
	if form.status != http.StatusOK {
		t.Fatalf("report form = %d", form.status)
	}
	wantIn(t, "the officer's form", form.body, `id="member-name">张建国<`, `id="unit-name">城关派出所<`, "根据人员档案确定")
	wantNotIn(t, "the officer's form", form.body, `name="unit_id"`, `name="member_id"`, `name="q"`)

	tok := b.token("/injury/report")
	report := url.Values{"csrf_token": {tok}, "severity": {"serious"}, "injured_at": {"2026-03-02T08:30"},
		"place": {""}, "description": {"巡逻时摔伤右腿"}, "unit_id": {"u-other"}}
	bad := b.post("/injury/report", report)
	if bad.status != http.StatusUnprocessableEntity {
		t.Fatalf("report without place = %d", bad.status)
	}
	wantIn(t, "the refused form", bad.body, `id="place-error"`, "巡逻时摔伤右腿", `id="unit-name">城关派出所<`)
	report.Set("place", "城关派出所门口")
	ok := b.post("/injury/report", report)
	if ok.status != http.StatusSeeOther {
		t.Fatalf("report = %d %s", ok.status, ok.body)
	}
	e.injury.mu.Lock()
	c := e.injury.cases[e.injury.order[0]]
	member, unit := c.MemberID, c.UnitID
	e.injury.mu.Unlock()
	if member != "m-zhang" || unit != "u-1" {
		t.Errorf("case opened for %q in %q, want m-zhang in the record's u-1 (not the posted unit)", member, unit)
	}
	page := b.get(ok.header.Get("Location"))
	wantIn(t, "the case page", page.body, `id="case-member">张建国<`, `id="case-unit">城关派出所<`)

	// Family: enrollment does not show them the officer's record; the
	// unit their account has is shown by name, or else asked for.
	injuryUser(t, e, "family-li", "m-zhang", []string{"u-1"}, domain.RoleFamily)
	injuryUser(t, e, "family-wang", "m-zhang", nil, domain.RoleFamily)
	fam := e.browser()
	fam.signIn("family-li")
	f := fam.get("/injury/report")
	wantIn(t, "the family form", f.body, `id="unit-name">u-1<`)
	wantNotIn(t, "the family form", f.body, `name="unit_id"`, `name="member_id"`)
	r := fam.post("/injury/report", url.Values{"csrf_token": {fam.token("/injury/report")}, "severity": {"minor"},
		"injured_at": {"2026-03-02T08:30"}, "place": {"家中"}, "description": {"摔伤"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("family report = %d", r.status)
	}
	fam2 := e.browser()
	fam2.signIn("family-wang")
	wantIn(t, "the form of a family member without a unit", fam2.get("/injury/report").body, `name="unit_id"`, "未能从人员档案确定所在单位")
}

// A caseworker finds the injured member by name, among their units, and
// picks the unit by name; bad searches are errors next to the search.
func TestInjuryReportForSomeoneFoundByName(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.enrollment.addUnit("u-2", "东城派出所")
	e.enrollment.addPerson("m-a", "u-1", "李明", "")
	e.enrollment.addPerson("m-b", "u-2", "李华", "")
	e.enrollment.addPerson("m-c", "u-1", "王五", "")
	injuryUser(t, e, "caseworker1", "", []string{"u-1", "u-2"}, domain.RoleCaseworker)
	injuryUser(t, e, "unithead1", "", []string{"u-1", "u-2"}, domain.RoleUnitHead)
	b := e.browser()
	b.signIn("caseworker1")

	form := b.get("/injury/report")
	if form.status != http.StatusOK {
		t.Fatalf("form = %d", form.status)
	}
	wantIn(t, "the form", form.body, `name="q"`, `<option value="u-1">城关派出所</option>`, `<option value="u-2">东城派出所</option>`)
	wantNotIn(t, "the form", form.body, `type="radio"`, `name="member_id" type="text"`)

	for q, want := range map[string]string{"": "请输入要查找的姓名", strings.Repeat("李", 41): "姓名最多 40 个字"} {
		r := b.get("/injury/report?q=" + url.QueryEscape(q))
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("search %q = %d", q, r.status)
		}
		wantIn(t, "a bad search", r.body, `id="q-error"`, want, `value="`+q+`"`)
	}
	none := b.get("/injury/report?q=" + url.QueryEscape("赵"))
	wantIn(t, "a search finding nobody", none.body, "没有姓名以“赵”开头的人员")

	found := b.get("/injury/report?q=" + url.QueryEscape("李"))
	if found.status != http.StatusOK {
		t.Fatalf("search = %d", found.status)
	}
	wantIn(t, "the search", found.body, `id="member_id-m-a"`, "李明 · 城关派出所", "李华 · 东城派出所", `type="hidden" name="q" value="李"`)
	wantNotIn(t, "the search", found.body, "王五")

	tok := b.token("/injury/report")
	report := url.Values{"csrf_token": {tok}, "q": {"李"}, "member_id": {"m-b"}, "unit_id": {"u-2"}, "severity": {"serious"},
		"injured_at": {"2026-03-02T08:30"}, "place": {""}, "description": {"处警时受伤"}}
	bad := b.post("/injury/report", report)
	if bad.status != http.StatusUnprocessableEntity {
		t.Fatalf("report without place = %d", bad.status)
	}
	wantIn(t, "the refused report", bad.body, `value="m-b" checked`, `id="place-error"`, `<option value="u-2" selected>东城派出所</option>`, "处警时受伤")
	report.Set("place", "东城路口")
	ok := b.post("/injury/report", report)
	if ok.status != http.StatusSeeOther {
		t.Fatalf("report = %d", ok.status)
	}
	page := b.get(ok.header.Get("Location"))
	wantIn(t, "the case", page.body, `id="case-member">李华<`, `id="case-unit">东城派出所<`)
	queue := b.get("/work/queue")
	wantIn(t, "the queue", queue.body, "<td>李华</td>", `<td data-label="单位">东城派出所</td>`)

	// The same in English.
	en, err := e.accounts.CreateUser(context.Background(), domain.UserInput{Username: "caseworker-en", DisplayName: "Caseworker",
		Roles: []domain.Role{domain.RoleCaseworker}, Units: []string{"u-1", "u-2"}, Lang: "en"}, password, password, store.Actor{UserID: "test"})
	if err != nil || en.Lang != "en" {
		t.Fatalf("English caseworker: %v", err)
	}
	enb := e.browser()
	enb.signIn("caseworker-en")
	wantIn(t, "the English search", enb.get("/injury/report?q="+url.QueryEscape("李")).body,
		"Find the injured member by name", "Choose the injured member", "Not in the list", "李华 · 东城派出所")
	wantIn(t, "the English bad search", enb.get("/injury/report?q=").body, "Type a name to search for")
	wantIn(t, "the English queue", enb.get("/work/queue").body, "Injured", "<td>李华</td>")

	// A unit head may not search enrollment: a note, and the name typed.
	head := e.browser()
	head.signIn("unithead1")
	r := head.get("/injury/report?q=" + url.QueryEscape("李"))
	if r.status != http.StatusOK {
		t.Fatalf("unit head's search = %d", r.status)
	}
	wantIn(t, "the unit head's search", r.body, "暂时无法查找人员", `name="unknown_name"`)
}

// A case reported under an unknown name is identified by finding the
// member by name on the case page.
func TestInjuryIdentifyMemberByName(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.enrollment.addPerson("m-a", "u-1", "李明", "")
	injuryUser(t, e, "caseworker1", "", []string{"u-1"}, domain.RoleCaseworker)
	b := e.browser()
	b.signIn("caseworker1")
	ok := b.post("/injury/report", url.Values{"csrf_token": {b.token("/injury/report")}, "unknown_name": {"一名辅警"}, "severity": {"serious"},
		"injured_at": {"2026-03-02T08:30"}, "place": {"城关"}, "description": {"受伤"}})
	if ok.status != http.StatusSeeOther {
		t.Fatalf("report = %d", ok.status)
	}
	casePath := strings.TrimSuffix(ok.header.Get("Location"), "?m=reported")
	page := b.get(casePath)
	wantIn(t, "the case", page.body, `action="`+casePath+`#action-identify_member"`, `name="find"`, "一名辅警", `id="case-unit">城关派出所<`)
	wantNotIn(t, "the case", page.body, `name="member_id" type="text"`, `id="case-member"`)

	if r := b.get(casePath + "?find="); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="identify_member-find-error"`) {
		t.Errorf("an empty search = %d", r.status)
	}
	found := b.get(casePath + "?find=" + url.QueryEscape("李"))
	wantIn(t, "the search", found.body, `id="action-identify_member" open`, `id="identify_member-member_id-m-a"`, "李明 · 城关派出所")

	tok := b.token(casePath)
	none := b.post(casePath+"/actions/identify_member", url.Values{"csrf_token": {tok}, "version": {"1"}, "find": {"李"}})
	if none.status != http.StatusUnprocessableEntity {
		t.Fatalf("identify without a choice = %d", none.status)
	}
	wantIn(t, "the refused identification", none.body, "请从查找结果中选择人员", "李明 · 城关派出所", `id="action-identify_member" open`)
	done := b.post(casePath+"/actions/identify_member", url.Values{"csrf_token": {tok}, "version": {"1"}, "find": {"李"}, "member_id": {"m-a"}})
	if done.status != http.StatusSeeOther {
		t.Fatalf("identify = %d %s", done.status, done.body)
	}
	wantIn(t, "the identified case", b.get(casePath).body, `id="case-member">李明<`)
}

// grantsQueue stands in for the grants service's review queue: two
// applications in two units, one submitted three days before t0.
func grantsQueue(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/readyz" {
		return
	}
	if r.URL.Path != "/api/v1/grants/applications" || r.URL.Query().Get("scope") != "unit" {
		problem(w, http.StatusNotFound, "not_found")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"items": []map[string]any{
		{"id": "a-1", "number": "GA-2026-000001", "unit_id": "u-1", "applicant_name": "王强", "state": "submitted", "state_text": "待审核",
			"requested_amount": 1_200_000, "created_at": t0.Add(-10 * 24 * time.Hour),
			"history": []map[string]any{{"step": "submit", "at": t0.Add(-3*24*time.Hour - time.Hour)}}},
		{"id": "a-2", "number": "GA-2026-000002", "unit_id": "u-2", "applicant_name": "李娜", "state": "submitted", "state_text": "待审核",
			"requested_amount": 50_000, "created_at": t0.Add(-time.Hour), "history": []map[string]any{}},
	}})
}

// The queue names the injured and filters the grant applications by unit,
// with applicant, amount and days waiting (the grants API gives no due
// date, so no colour).
func TestWorkQueueNamesPeopleAndFiltersGrants(t *testing.T) {
	t.Parallel()
	var (
		inj = newFakeInjury()
		enr = &fakeEnrollment{}
	)
	e := newEnv(t, func(d *httpapi.Deps) {
		servers := map[string]string{}
		for name, h := range map[string]http.Handler{"injury": inj, "enrollment": enr, "grants": http.HandlerFunc(grantsQueue)} {
			srv := httptest.NewServer(h)
			t.Cleanup(srv.Close)
			servers[name] = srv.URL
		}
		ups, err := httpapi.NewUpstreams(servers, tokenForTest, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		d.Upstreams = ups
	})
	enr.addUnit("u-2", "东城派出所")
	enr.addPerson("m-a", "u-1", "李明", "")
	injuryUser(t, e, "caseworker1", "", []string{"u-1", "u-2"}, domain.RoleCaseworker)
	b := e.browser()
	b.signIn("caseworker1")
	for _, r := range []url.Values{
		{"member_id": {"m-a"}, "unit_id": {"u-1"}},
		{"member_id": {"m-gone"}, "unit_id": {"u-2"}},
	} {
		r.Set("csrf_token", b.token("/injury/report"))
		r.Set("severity", "serious")
		r.Set("injured_at", "2026-03-02T08:30")
		r.Set("place", "路口")
		r.Set("description", "受伤")
		if got := b.post("/injury/report", r); got.status != http.StatusSeeOther {
			t.Fatalf("report = %d", got.status)
		}
	}
	all := b.get("/work/queue")
	if all.status != http.StatusOK {
		t.Fatalf("queue = %d", all.status)
	}
	wantIn(t, "the queue", all.body, "<td>李明</td>", "<td>m-gone</td>", `<td data-label="单位">城关派出所</td>`, "<td>东城派出所</td>",
		`id="grant-queue"`, "GA-2026-000001", "<td>王强</td>", money.Fen(1_200_000).String(), `<td class="num">3</td>`,
		"GA-2026-000002", "<td>李娜</td>", `<td class="num">0</td>`)

	one := b.get("/work/queue?unit=u-2")
	wantIn(t, "the queue of u-2", one.body, "GA-2026-000002", "<td>m-gone</td>")
	wantNotIn(t, "the queue of u-2", one.body, "GA-2026-000001", "李明")

	triage := b.get("/work/queue?state=triage")
	wantIn(t, "the queue in triage", triage.body, `id="grants-hidden"`, "<td>李明</td>")
	wantNotIn(t, "the queue in triage", triage.body, "GA-2026-000001")

	if r := b.get("/work/queue?unit=" + url.QueryEscape("<not mine>") + "&state=" + url.QueryEscape("%")); r.status != http.StatusOK ||
		!strings.Contains(r.body, "GA-2026-000001") {
		t.Errorf("a queue with a foreign unit and a bad state = %d", r.status)
	}
}

// reportFor reports an injury of member in u-1 as b and returns the case's
// path.
func reportFor(t *testing.T, b *browser, member string) string {
	t.Helper()
	r := b.post("/injury/report", url.Values{"csrf_token": {b.token("/injury/report")}, "member_id": {member}, "unit_id": {"u-1"},
		"severity": {"serious"}, "injured_at": {"2026-03-02T08:30"}, "place": {"城关"}, "description": {"受伤"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("report for %s = %d %s", member, r.status, r.body)
	}
	return strings.TrimSuffix(r.header.Get("Location"), "?m=reported")
}

// The case page shows the outcome: the determination, the grading with
// its round, the grade it replaced and the appeal, injury leave, the
// insurance cover and why the case closed.
func TestInjuryCaseShowsTheOutcome(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.enrollment.addPerson("m-a", "u-1", "李明", "")
	injuryUser(t, e, "caseworker1", "", []string{"u-1"}, domain.RoleCaseworker)
	b := e.browser()
	b.signIn("caseworker1")
	done := reportFor(t, b, "m-a")
	pending := reportFor(t, b, "m-a")
	ungraded := reportFor(t, b, "m-a")
	closedAt := time.Date(2027, 4, 1, 2, 0, 0, 0, time.UTC)
	e.injury.edit(1, func(c *fakeCase) {
		c.State = "closed"
		c.Determination = map[string]any{"filed_on": "2026-03-05", "accepted_on": "2026-03-06", "decided_on": "2026-03-20",
			"outcome": "recognised", "article": 14, "clause": 1, "reason": "执行公务时受伤"}
		c.Grading = map[string]any{"round": "appeal", "applied_on": "2026-04-20", "pending": false, "graded": true, "graded_on": "2026-05-10",
			"received_on": "2026-05-12", "grade": 5, "nursing": "partial", "previous_grade": 7, "final": true,
			"appealed_on": "2026-04-20", "appeal_note": "对等级有异议", "regrading_from": "2027-05-10"}
		c.Leave = map[string]any{"start": "2026-03-02", "end": "2027-03-01", "extended_months": 2, "ended_early_on": "2026-12-31"}
		c.Coverage = map[string]any{"status": "checked", "attempts": 1, "schemes": []map[string]any{
			{"scheme": "work_injury", "plan": "2026 工伤保险", "from": "2026-01-01T00:00:00Z", "to": "2026-12-31T00:00:00Z"},
			{"scheme": "personal_accident", "plan": "人身意外险", "from": "2026-01-01T00:00:00Z"}}}
		c.CloseReason, c.ClosedAt = "completed", &closedAt
	})
	e.injury.edit(2, func(c *fakeCase) {
		c.Determination = map[string]any{"filed_on": "2026-03-05", "accepted_on": "2026-03-06", "paused": true, "pause_reason": "等待司法结论"}
		c.Coverage = map[string]any{"status": "pending", "schemes": []any{}}
	})
	e.injury.edit(3, func(c *fakeCase) {
		c.Determination = map[string]any{"filed_on": "2026-03-05", "decided_on": "2026-03-20", "outcome": "deemed", "article": 15, "clause": 1}
		c.Grading = map[string]any{"round": "initial", "applied_on": "2026-03-25", "graded": true, "graded_on": "2026-04-10",
			"received_on": "2026-04-10", "grade": 0, "nursing": "none", "final": false, "regrading_from": "2027-04-10"}
		c.Coverage = map[string]any{"status": "checked", "schemes": []any{}}
	})

	page := b.get(done)
	wantIn(t, "the closed case", page.body, `id="case-determination"><strong>认定为工伤</strong> · 第 14 条第 1 项 · 2026-03-20 作出<br>执行公务时受伤`,
		`<strong id="case-grade">伤残 5 级</strong> · 部分护理依赖 · 2026-05-10 鉴定 · 2026-05-12 送达`, `id="case-grade-final">最终结论<`,
		"原为伤残 7 级", `id="case-round">injury.round.appeal<`, `id="case-appeal">2026-04-20 申请再次鉴定: 对等级有异议<`,
		`id="case-leave">2026-03-02 至 2027-03-01 · 已延长 2 个月 · 2026-12-31 提前结束<`,
		"工伤保险 · 2026 工伤保险 · 2026-01-01 至 2026-12-31", "人身意外伤害保险 · 人身意外险 · 2026-01-01 起",
		`id="case-closed">办结 · 2027-04-01 10:00<`)
	wantNotIn(t, "the closed case", page.body, "申请复查鉴定", "等待结论")

	page = b.get(pending)
	wantIn(t, "the case awaiting the determination", page.body, `id="case-determination">2026-03-05 申请，尚未作出结论 · 2026-03-06 受理 · 认定时限中止: 等待司法结论<`,
		`id="case-coverage">正在核对<`)
	wantNotIn(t, "the case awaiting the determination", page.body, `id="case-grading"`, `id="case-leave"`, `id="case-closed"`)

	page = b.get(ungraded)
	wantIn(t, "the case below every grade", page.body, "<strong>视同工伤</strong> · 第 15 条第 1 项", `<strong id="case-grade">未达伤残等级</strong> · 无需护理 · 2026-04-10 鉴定<br>`,
		"可于 2027-04-10 起申请复查鉴定", `id="case-coverage">受伤当日未查到有效参保<`)
	wantNotIn(t, "the case below every grade", page.body, "送达", "最终结论", "原为")

	en, err := e.accounts.CreateUser(context.Background(), domain.UserInput{Username: "caseworker-en", DisplayName: "Caseworker",
		Roles: []domain.Role{domain.RoleCaseworker}, Units: []string{"u-1"}, Lang: "en"}, password, password, store.Actor{UserID: "test"})
	if err != nil || en.Lang != "en" {
		t.Fatalf("English caseworker: %v", err)
	}
	enb := e.browser()
	enb.signIn("caseworker-en")
	wantIn(t, "the English closed case", enb.get(done).body, "Recognised as a work injury", "art. 14, clause 1", "Grade 5", "was grade 7",
		"Final", "Re-assessment asked for on 2026-04-20", "Injury leave", "extended by 2 months", "Work injury · 2026 工伤保险", "Completed")
}

// The grading steps are offered with their fields: the conclusion with an
// optional day it was received, the appeal with its note, the re-grading;
// a refusal because the window closed shows the service's reason, with
// its date, next to the form even though the step is no longer offered.
// Escalations and lapsed windows read as such on the timeline.
func TestInjuryGradingSteps(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.enrollment.addPerson("m-a", "u-1", "李明", "")
	injuryUser(t, e, "caseworker1", "", []string{"u-1"}, domain.RoleCaseworker)
	b := e.browser()
	b.signIn("caseworker1")
	casePath := reportFor(t, b, "m-a")
	e.injury.edit(1, func(c *fakeCase) {
		c.State, c.Version = "disability_grading", 7
		c.staffActions = []string{"record_grade"}
		c.Grading = map[string]any{"round": "initial", "applied_on": "2026-02-01", "pending": true}
		c.timeline = []map[string]any{
			{"at": t0, "actor_id": "system", "kind": "escalation", "action": "unit_head",
				"data": map[string]any{"clock": "acknowledgement", "level": "unit_head", "due_at": t0}},
			{"at": t0, "actor_id": "system", "kind": "lapse", "data": map[string]any{"clock": "appeal", "outcome": "lapsed"}},
		}
	})
	page := b.get(casePath)
	wantIn(t, "the case awaiting the conclusion", page.body, `action="`+casePath+`/actions/record_grade"`,
		`id="record_grade-graded_on" name="graded_on" type="date" value="2026-03-02"`,
		`<label for="record_grade-received_on">结论送达日期（不填则为鉴定日期）</label>`,
		`id="record_grade-received_on" name="received_on" type="date" value=""`,
		"超时督办 · injury.level.unit_head · injury.clock.acknowledgement", "期限届满 · injury.clock.appeal")
	wantNotIn(t, "the case awaiting the conclusion", page.body, "injury.action.unit_head", `action="`+casePath+`/actions/file_appeal"`)

	tok := b.token(casePath)
	grade := url.Values{"csrf_token": {tok}, "version": {"7"}, "graded_on": {"2026-03-01"}, "received_on": {""}, "grade": {"7"}, "nursing": {"none"}}
	if r := b.post(casePath+"/actions/record_grade", grade); r.status != http.StatusSeeOther {
		t.Fatalf("record_grade = %d %s", r.status, r.body)
	}
	grade.Set("version", "8")
	grade.Set("received_on", "2026-03-02")
	if r := b.post(casePath+"/actions/record_grade", grade); r.status != http.StatusSeeOther {
		t.Fatalf("record_grade with received_on = %d %s", r.status, r.body)
	}
	e.injury.mu.Lock()
	bodies := slices.Clone(e.injury.bodies)
	e.injury.mu.Unlock()
	if len(bodies) != 2 {
		t.Fatalf("bodies = %+v", bodies)
	}
	if _, sent := bodies[0].Body["received_on"]; sent || bodies[0].Body["graded_on"] != "2026-03-01" || bodies[0].Body["grade"] != float64(7) {
		t.Errorf("record_grade without a received day sent %v", bodies[0].Body)
	}
	if bodies[1].Body["received_on"] != "2026-03-02" {
		t.Errorf("record_grade sent %v, want received_on 2026-03-02", bodies[1].Body)
	}

	e.injury.edit(1, func(c *fakeCase) {
		c.staffActions = []string{"file_appeal", "request_regrading"}
		c.Grading = map[string]any{"round": "initial", "graded": true, "grade": 7, "graded_on": "2026-03-01", "received_on": "2026-03-02"}
	})
	page = b.get(casePath)
	wantIn(t, "the graded case", page.body, `action="`+casePath+`/actions/file_appeal"`, `action="`+casePath+`/actions/request_regrading"`,
		`<summary>injury.action.file_appeal</summary>`, `id="file_appeal-filed_on" name="filed_on" type="date" value="2026-03-02"`,
		`<label for="file_appeal-note">说明</label>`, `<textarea id="file_appeal-note" name="note" rows="3"></textarea>`,
		`id="request_regrading-applied_on" name="applied_on" type="date" value="2026-03-02"`)

	long := url.Values{"csrf_token": {tok}, "version": {"9"}, "filed_on": {"2026-03-02"}, "note": {strings.Repeat("长", 4001)}}
	if r := b.post(casePath+"/actions/file_appeal", long); r.status != http.StatusUnprocessableEntity {
		t.Errorf("a 4001-character note = %d", r.status)
	} else {
		wantIn(t, "the refused note", r.body, `id="file_appeal-note-error"`, "最多 4000 字", `id="action-file_appeal" open`)
	}

	// The window closes while the page is open: the form stays, with why.
	closed := "申请再次鉴定的期限已于 2026-03-17 届满（《工伤保险条例》第二十六条）"
	e.injury.edit(1, func(c *fakeCase) {
		c.staffActions = []string{"request_regrading"}
		c.refusals = map[string]string{"file_appeal": closed}
	})
	late := url.Values{"csrf_token": {tok}, "version": {"9"}, "filed_on": {"2026-03-02"}, "note": {"对等级有异议"}}
	r := b.post(casePath+"/actions/file_appeal", late)
	if r.status != http.StatusConflict {
		t.Fatalf("a late appeal = %d", r.status)
	}
	wantIn(t, "the refused appeal", r.body, `id="action-file_appeal" open`, "案件当前状态不允许此操作: "+closed, ">对等级有异议</textarea>")

	e.injury.edit(1, func(c *fakeCase) {
		c.staffActions = []string{"file_appeal", "request_regrading"}
		c.refusals = nil
	})
	if r := b.post(casePath+"/actions/file_appeal", late); r.status != http.StatusSeeOther {
		t.Fatalf("file_appeal = %d %s", r.status, r.body)
	}
	wantIn(t, "the appealed case", b.get(casePath).body, `id="case-round">injury.round.appeal<`,
		`id="case-appeal">2026-03-02 申请再次鉴定: 对等级有异议<`, "2026-03-02 申请，等待结论")
	if r := b.post(casePath+"/actions/request_regrading", url.Values{"csrf_token": {tok}, "version": {"10"}, "applied_on": {"2026-03-02"}}); r.status != http.StatusSeeOther {
		t.Fatalf("request_regrading = %d %s", r.status, r.body)
	}
	e.injury.mu.Lock()
	bodies = slices.Clone(e.injury.bodies)
	e.injury.mu.Unlock()
	want := []fakeActionBody{
		{Action: "file_appeal", Body: map[string]any{"filed_on": "2026-03-02", "note": "对等级有异议"}},
		{Action: "request_regrading", Body: map[string]any{"applied_on": "2026-03-02"}},
	}
	if got := bodies[2:]; !reflect.DeepEqual(got, want) {
		t.Errorf("appeal and re-grading sent %+v, want %+v", got, want)
	}
}

// countingHandler counts the requests of each path it passes on.
type countingHandler struct {
	mu    sync.Mutex
	paths map[string]int
	next  http.Handler
}

func (c *countingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.paths[r.URL.Path]++
	c.mu.Unlock()
	c.next.ServeHTTP(w, r)
}

func (c *countingHandler) count(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.paths[path]
}

// The queue and the case page name the injured from the injury service,
// which learnt the names from enrollment's events: a unit head, whom
// enrollment shows no member record, sees names too, and enrollment is
// asked only about members the injury service cannot name. The queue
// offers staff the report form.
func TestInjuryNamesFromTheInjuryServiceAndReportFromTheQueue(t *testing.T) {
	t.Parallel()
	var (
		inj = newFakeInjury()
		enr = &countingHandler{paths: map[string]int{}, next: &fakeEnrollment{}}
	)
	e := newEnv(t, func(d *httpapi.Deps) {
		servers := map[string]string{}
		for name, h := range map[string]http.Handler{"injury": inj, "enrollment": enr} {
			srv := httptest.NewServer(h)
			t.Cleanup(srv.Close)
			servers[name] = srv.URL
		}
		ups, err := httpapi.NewUpstreams(servers, tokenForTest, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		d.Upstreams = ups
	})
	enr.next.(*fakeEnrollment).addPerson("m-gone", "u-1", "王五", "")
	inj.names["m-a"] = "李明"
	injuryUser(t, e, "caseworker1", "", []string{"u-1"}, domain.RoleCaseworker)
	injuryUser(t, e, "unithead1", "", []string{"u-1"}, domain.RoleUnitHead)
	cw := e.browser()
	cw.signIn("caseworker1")
	named := reportFor(t, cw, "m-a")
	reportFor(t, cw, "m-gone")

	queue := cw.get("/work/queue")
	wantIn(t, "the caseworker's queue", queue.body, "<td>李明</td>", "<td>王五</td>", `<a class="button primary" id="report-injury" href="/injury/report">报告工伤</a>`)
	wantIn(t, "the caseworker's case", cw.get(named).body, `id="case-member">李明<`)
	if n := enr.count("/api/v1/enrollment/members/m-a"); n != 0 {
		t.Errorf("enrollment asked %d times for a member the injury service names", n)
	}
	if n := enr.count("/api/v1/enrollment/members/m-gone"); n == 0 {
		t.Error("enrollment not asked for the member the injury service cannot name")
	}

	head := e.browser()
	head.signIn("unithead1")
	queue = head.get("/work/queue")
	if queue.status != http.StatusOK {
		t.Fatalf("unit head's queue = %d", queue.status)
	}
	wantIn(t, "the unit head's queue", queue.body, "<td>李明</td>", `id="report-injury" href="/injury/report"`)
	wantNotIn(t, "the unit head's queue", queue.body, "<td>m-a</td>")
	wantIn(t, "the unit head's case", head.get(named).body, `id="case-member">李明<`)
	if r := head.get("/injury/report"); r.status != http.StatusOK {
		t.Errorf("the unit head follows the button: %d", r.status)
	}
}
