package gateway_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/services/gateway"
)

// The injury area's people (pages/injury): who a report is for and in
// which unit, the name search of staff reporting for someone and of the
// identify_member step, and the names of the injured on the queue and the
// case, against the real enrollment and injury services. These were run
// against fake services in httpapi before the area moved out.

// rawPageKey is a page text key printed instead of its text (the injury
// service's own keys, injury.state.*, are not the gateway's).
var rawPageKey = regexp.MustCompile(`\b(web|field)\.[a-z_]+\.[a-z_.0-9]+`)

func pageHas(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	if k := rawPageKey.FindString(body); k != "" {
		t.Errorf("%s shows the raw key %q", what, k)
	}
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q: %s", what, w, snippet(body))
		}
	}
}

func pageLacks(t *testing.T, what, body string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(body, w) {
			t.Errorf("%s shows %q: %s", what, w, snippet(body))
		}
	}
}

// seedPeople adds gateway users to the real system, each with the
// journeys' password.
func seedPeople(t *testing.T, s *realSystem, users ...gateway.DemoUser) {
	t.Helper()
	for i := range users {
		users[i].Password = journeyPassword(users[i].Username)
	}
	if _, err := gateway.SeedUsers(context.Background(), s.env.Deps, gateway.Config{}, users); err != nil {
		t.Fatal(err)
	}
}

// eastStation adds 东城派出所 under 县公安局 and returns its id.
func eastStation(t *testing.T, s *realSystem) string {
	t.Helper()
	admin := auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}, Units: []string{s.unit}}
	return s.call(t, admin, "POST", "/api/v1/enrollment/units", map[string]any{"code": "DCS", "name": "东城派出所", "kind": "police_station", "parent_id": s.unit}, 201)["id"].(string)
}

// registerMember registers a member in unit as a caseworker of units and
// returns their id; n makes the identity number unique.
func registerMember(t *testing.T, s *realSystem, units []string, unit, name string, n int) string {
	t.Helper()
	cw := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: units}
	return s.call(t, cw, "POST", "/api/v1/enrollment/members", map[string]any{
		"unit_id": unit, "name": name, "category": "police",
		"id_number": idcard.Generate("110105", time.Date(1988, 2, 3, 0, 0, 0, 0, time.UTC), 100+2*n, true), "hire_date": "2012-07-01",
	}, 201)["id"].(string)
}

// injuredAtNow is the report form's own time of injury (the system's
// clock).
func injuredAtNow(t *testing.T, form string) string {
	t.Helper()
	m := regexp.MustCompile(`name="injured_at" type="datetime-local"[^>]*value="([^"]+)"`).FindStringSubmatch(form)
	if m == nil {
		t.Fatalf("the form has no time of injury: %s", snippet(form))
	}
	return m[1]
}

// An officer reports for themselves without choosing a unit: the unit is
// the one of their member record, shown by name, whatever unit the form
// posts, and the case names them and the unit. A family account with one
// unit is shown it; one without is asked for it.
func TestInjuryReportTakesTheUnitFromTheRecordAgainstRealServices(t *testing.T) {
	t.Parallel()
	s := startRealSystem(t)
	seedPeople(t, s, gateway.DemoUser{Username: "family-nounit", DisplayName: "王家属", Roles: []auth.Role{auth.RoleFamily}, MemberID: s.member})
	officer := journeySignIn(t, s.gateway, "officer")
	st, form := officer.get("/injury/report")
	if st != http.StatusOK {
		t.Fatalf("report form = %d", st)
	}
	pageHas(t, "the officer's form", form, `id="member-name">张伟<`, `id="unit-name">县公安局<`, "根据人员档案确定")
	pageLacks(t, "the officer's form", form, `name="unit_id"`, `name="member_id"`, `name="q"`)

	report := url.Values{"severity": {"serious"}, "injured_at": {injuredAtNow(t, form)}, "place": {""}, "description": {"巡逻时摔伤右腿"},
		"unit_id": {uuid.NewString()}}
	st, _, bad := officer.post("/injury/report", report)
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("report without place = %d %s", st, snippet(bad))
	}
	pageHas(t, "the refused form", bad, `id="place-error"`, "巡逻时摔伤右腿", `id="unit-name">县公安局<`)
	report.Set("place", "城关派出所门口")
	st, loc, body := officer.post("/injury/report", report)
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/cases/") {
		t.Fatalf("report = %d %s %s", st, loc, snippet(body))
	}
	id := strings.TrimSuffix(strings.TrimPrefix(loc, "/cases/"), "?m=reported")
	cw := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
	if c := s.call(t, cw, "GET", "/api/v1/injury/cases/"+id, nil, 200); c["member_id"] != s.member || c["unit_id"] != s.unit {
		t.Errorf("case opened for %v in %v, want %s in the record's %s (not the posted unit)", c["member_id"], c["unit_id"], s.member, s.unit)
	}
	_, page := officer.get(loc)
	pageHas(t, "the case page", page, `id="case-member">张伟<`, `id="case-unit">县公安局<`)

	// Family: the account's one unit is the report's, shown; without a
	// unit the form asks for it.
	fam := journeySignIn(t, s.gateway, "family")
	_, f := fam.get("/injury/report")
	pageHas(t, "the family form", f, `id="unit-name">`)
	pageLacks(t, "the family form", f, `name="unit_id"`, `name="member_id"`)
	if st, _, body := fam.post("/injury/report", url.Values{"severity": {"minor"}, "injured_at": {injuredAtNow(t, f)}, "place": {"家中"}, "description": {"摔伤"}}); st != http.StatusSeeOther {
		t.Fatalf("family report = %d %s", st, snippet(body))
	}
	_, f = journeySignIn(t, s.gateway, "family-nounit").get("/injury/report")
	if strings.Contains(f, `id="member-name">张伟<`) {
		// enrollment shows this family account the officer's record: the
		// unit is the record's
		pageHas(t, "the form of a family member without a unit", f, `id="unit-name">县公安局<`)
	} else {
		pageHas(t, "the form of a family member without a unit", f, `name="unit_id"`, "未能从人员档案确定所在单位")
	}
}

// A caseworker finds the injured member by name, among their units, and
// picks the unit by name; bad searches are errors next to the search. A
// unit head, whom enrollment does not let search, gets a note and types
// the name.
func TestInjuryReportForSomeoneFoundByNameAgainstRealServices(t *testing.T) {
	t.Parallel()
	s := startRealSystem(t)
	east := eastStation(t, s)
	units := []string{s.unit, east}
	liMing := registerMember(t, s, units, s.unit, "李明", 1)
	liHua := registerMember(t, s, units, east, "李华", 2)
	registerMember(t, s, units, s.unit, "王五", 3)
	seedPeople(t, s,
		gateway.DemoUser{Username: "caseworker2", DisplayName: "钱经办", Roles: []auth.Role{auth.RoleCaseworker}, Units: units},
		gateway.DemoUser{Username: "caseworker-en", DisplayName: "Caseworker", Roles: []auth.Role{auth.RoleCaseworker}, Units: units},
		gateway.DemoUser{Username: "unithead2", DisplayName: "孙所长", Roles: []auth.Role{auth.RoleUnitHead}, Units: units})
	b := journeySignIn(t, s.gateway, "caseworker2")

	st, form := b.get("/injury/report")
	if st != http.StatusOK {
		t.Fatalf("form = %d", st)
	}
	pageHas(t, "the form", form, `name="q"`, `<option value="`+s.unit+`">县公安局</option>`, `<option value="`+east+`">东城派出所</option>`)
	pageLacks(t, "the form", form, `type="radio"`, `name="member_id" type="text"`)

	for q, want := range map[string]string{"": "请输入要查找的姓名", strings.Repeat("李", 41): "姓名最多 40 个字"} {
		st, r := b.get("/injury/report?q=" + url.QueryEscape(q))
		if st != http.StatusUnprocessableEntity {
			t.Errorf("search %q = %d", q, st)
		}
		pageHas(t, "a bad search", r, `id="q-error"`, want, `value="`+q+`"`)
	}
	_, none := b.get("/injury/report?q=" + url.QueryEscape("赵"))
	pageHas(t, "a search finding nobody", none, "没有姓名以“赵”开头的人员")

	st, found := b.get("/injury/report?q=" + url.QueryEscape("李"))
	if st != http.StatusOK {
		t.Fatalf("search = %d", st)
	}
	pageHas(t, "the search", found, `id="member_id-`+liMing+`"`, "李明 · 县公安局", "李华 · 东城派出所", `type="hidden" name="q" value="李"`)
	pageLacks(t, "the search", found, "王五")

	report := url.Values{"q": {"李"}, "member_id": {liHua}, "unit_id": {east}, "severity": {"serious"},
		"injured_at": {injuredAtNow(t, form)}, "place": {""}, "description": {"处警时受伤"}}
	st, _, bad := b.post("/injury/report", report)
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("report without place = %d", st)
	}
	pageHas(t, "the refused report", bad, `value="`+liHua+`" checked`, `id="place-error"`, `<option value="`+east+`" selected>东城派出所</option>`, "处警时受伤")
	report.Set("place", "东城路口")
	st, loc, body := b.post("/injury/report", report)
	if st != http.StatusSeeOther {
		t.Fatalf("report = %d %s", st, snippet(body))
	}
	_, page := b.get(loc)
	pageHas(t, "the case", page, `id="case-member">李华<`, `id="case-unit">东城派出所<`)
	_, queue := b.get("/work/queue")
	pageHas(t, "the queue", queue, "<td>李华</td>", `<td data-label="单位">东城派出所</td>`)

	// The same in English.
	en := journeySignIn(t, s.gateway, "caseworker-en")
	if st, _, _ := en.post("/lang", url.Values{"lang": {"en"}, "next": {"/injury/report"}}); st != http.StatusSeeOther {
		t.Fatalf("switch to English = %d", st)
	}
	_, r := en.get("/injury/report?q=" + url.QueryEscape("李"))
	pageHas(t, "the English search", r, "Find the injured member by name", "Choose the injured member", "Not in the list", "李华 · 东城派出所")
	_, r = en.get("/injury/report?q=")
	pageHas(t, "the English bad search", r, "Type a name to search for")
	_, r = en.get("/work/queue")
	pageHas(t, "the English queue", r, "Injured", "<td>李华</td>")

	// A unit head may not search enrollment: a note, and the name typed.
	head := journeySignIn(t, s.gateway, "unithead2")
	st, r = head.get("/injury/report?q=" + url.QueryEscape("李"))
	if st != http.StatusOK {
		t.Fatalf("unit head's search = %d", st)
	}
	pageHas(t, "the unit head's search", r, "暂时无法查找人员", `name="unknown_name"`)
}

// A case reported under an unknown name is identified by finding the
// member by name on the case page.
func TestInjuryIdentifyMemberByNameAgainstRealServices(t *testing.T) {
	t.Parallel()
	s := startRealSystem(t)
	liMing := registerMember(t, s, []string{s.unit}, s.unit, "李明", 1)
	b := journeySignIn(t, s.gateway, "caseworker")
	_, form := b.get("/injury/report")
	st, loc, body := b.post("/injury/report", url.Values{"unknown_name": {"一名辅警"}, "severity": {"serious"},
		"injured_at": {injuredAtNow(t, form)}, "place": {"城关"}, "description": {"受伤"}})
	if st != http.StatusSeeOther {
		t.Fatalf("report = %d %s", st, snippet(body))
	}
	casePath := strings.TrimSuffix(loc, "?m=reported")
	_, page := b.get(casePath)
	pageHas(t, "the case", page, `action="`+casePath+`#action-identify_member"`, `name="find"`, "一名辅警", `id="case-unit">县公安局<`)
	pageLacks(t, "the case", page, `name="member_id" type="text"`, `id="case-member"`)

	if st, r := b.get(casePath + "?find="); st != http.StatusUnprocessableEntity || !strings.Contains(r, `id="identify_member-find-error"`) {
		t.Errorf("an empty search = %d", st)
	}
	_, found := b.get(casePath + "?find=" + url.QueryEscape("李"))
	pageHas(t, "the search", found, `id="action-identify_member" open`, `id="identify_member-member_id-`+liMing+`"`, "李明 · 县公安局")

	version := versionRE.FindStringSubmatch(page)
	if version == nil {
		t.Fatalf("no version on the case page: %s", snippet(page))
	}
	st, _, none := b.post(casePath+"/actions/identify_member", url.Values{"version": {version[1]}, "find": {"李"}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("identify without a choice = %d", st)
	}
	pageHas(t, "the refused identification", none, "请从查找结果中选择人员", "李明 · 县公安局", `id="action-identify_member" open`)
	st, _, done := b.post(casePath+"/actions/identify_member", url.Values{"version": {version[1]}, "find": {"李"}, "member_id": {liMing}})
	if st != http.StatusSeeOther {
		t.Fatalf("identify = %d %s", st, snippet(done))
	}
	_, page = b.get(casePath)
	pageHas(t, "the identified case", page, `id="case-member">李明<`)
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
// asked only about members the injury service cannot name (here one
// enrollment has no record of either, shown by id). The queue offers
// staff the report form. A second gateway in front of a counting
// enrollment tells who asked what.
func TestInjuryNamesFromTheInjuryServiceAndReportFromTheQueueAgainstRealServices(t *testing.T) {
	t.Parallel()
	s := startRealSystem(t)
	liMing := registerMember(t, s, []string{s.unit}, s.unit, "李明", 1)
	gone := uuid.NewString()
	enr := &countingHandler{paths: map[string]int{}, next: s.h["enrollment"]}
	esrv := httptest.NewServer(enr)
	t.Cleanup(esrv.Close)
	deps := *s.env.Deps
	deps.Config.URLs.Enrollment = esrv.URL
	gw, err := gateway.New(context.Background(), &deps, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	gsrv := httptest.NewServer(gw.Handler())
	t.Cleanup(gsrv.Close)

	cw := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
	b := journeySignIn(t, gsrv.URL, "caseworker")
	_, form := b.get("/injury/report")
	open := func(member string) string {
		st, loc, body := b.post("/injury/report", url.Values{"member_id": {member}, "severity": {"serious"},
			"injured_at": {injuredAtNow(t, form)}, "place": {"城关"}, "description": {"受伤"}})
		if st != http.StatusSeeOther {
			t.Fatalf("report for %s = %d %s", member, st, snippet(body))
		}
		return strings.TrimSuffix(loc, "?m=reported")
	}
	named := open(liMing)
	open(gone)
	apptest.Eventually(t, 20*time.Second, "the injury service names 李明 on the case", func() bool {
		c := s.call(t, cw, "GET", "/api/v1/injury/cases/"+strings.TrimPrefix(named, "/cases/"), nil, 200)
		return c["member_name"] == "李明"
	})
	before := enr.count("/api/v1/enrollment/members/" + liMing)

	_, queue := b.get("/work/queue")
	pageHas(t, "the caseworker's queue", queue, "<td>李明</td>", "<td>"+gone+"</td>", `<a class="button primary" id="report-injury" href="/injury/report">报告工伤</a>`)
	_, page := b.get(named)
	pageHas(t, "the caseworker's case", page, `id="case-member">李明<`)
	if n := enr.count("/api/v1/enrollment/members/" + liMing); n != before {
		t.Errorf("enrollment asked %d times for a member the injury service names", n-before)
	}
	if n := enr.count("/api/v1/enrollment/members/" + gone); n == 0 {
		t.Error("enrollment not asked for the member the injury service cannot name")
	}

	head := journeySignIn(t, gsrv.URL, "unithead")
	st, queue := head.get("/work/queue")
	if st != http.StatusOK {
		t.Fatalf("unit head's queue = %d", st)
	}
	pageHas(t, "the unit head's queue", queue, "<td>李明</td>", `id="report-injury" href="/injury/report"`)
	pageLacks(t, "the unit head's queue", queue, "<td>"+liMing+"</td>")
	_, page = head.get(named)
	pageHas(t, "the unit head's case", page, `id="case-member">李明<`)
	if st, _ := head.get("/injury/report"); st != http.StatusOK {
		t.Errorf("the unit head follows the button: %d", st)
	}
}
