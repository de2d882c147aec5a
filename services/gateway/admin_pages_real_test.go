package gateway_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/auth"
)

// TestAdminPagesAgainstRealServices walks the administrators', auditors'
// and finance's pages against the real services (the fake clock stands in
// 2026): the administrator sets up the 2027 work calendar, which the leave
// service then counts an officer's 2027 working days in; renames a unit at
// its version in the real registry; finance enters the pay a member of the
// compensation report lacks and the report's line is computed from it;
// the auditor reads units and parameters without forms.
func TestAdminPagesAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	officer := auth.Identity{UserID: "u-officer", Name: "张伟", MemberID: s.member, Roles: []auth.Role{auth.RoleOfficer}, Units: []string{s.unit}}
	count := func(from, to string, want int) map[string]any {
		t.Helper()
		return s.call(t, officer, "GET", "/api/v1/leave/working-days?from="+from+"&to="+to, nil, want)
	}
	// Without a 2027 calendar, 2027 is counted provisionally: weekends only.
	if got := count("2027-01-01", "2027-01-31", http.StatusOK); got["working_days"] != float64(21) || got["provisional_calendar"] != true {
		t.Errorf("January 2027 before its calendar = %v", got)
	}

	admin := journeySignIn(t, s.gateway, "admin")
	st, page := admin.get("/admin/calendar?year=2027")
	if st != http.StatusOK || !strings.Contains(page, `id="calendar-provisional"`) || strings.Contains(page, `name="version"`) || !strings.Contains(page, `href="/admin/calendar"`) {
		t.Fatalf("2027 without a calendar = %d %s", st, snippet(page))
	}
	st, _, body := admin.post("/admin/calendar", url.Values{"year": {"2027"}, "off": {"2027-01-01\n2027-13-01"}, "work": {"2027-02-07"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="off-error"`) || !strings.Contains(body, "第 2 行") ||
		!strings.Contains(body, ">2027-01-01\n2027-13-01</textarea>") {
		t.Errorf("a bad line = %d %s", st, snippet(body))
	}
	// The leave service refuses a Monday as an adjusted working day: said
	// by its list, at its line.
	st, _, body = admin.post("/admin/calendar", url.Values{"year": {"2027"}, "off": {"2027-01-01"}, "work": {"2027-02-07\n2027-02-08"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="work-error"`) || !strings.Contains(body, "第 2 行") {
		t.Errorf("a Monday as a working day = %d %s", st, snippet(body))
	}
	st, loc, body := admin.post("/admin/calendar", url.Values{"year": {"2027"}, "off": {"2027-01-01\n2027-02-10\n2027-02-11\n2027-02-12"}, "work": {"2027-02-07"}})
	if st != http.StatusSeeOther || loc != "/admin/calendar?year=2027&m=saved" {
		t.Fatalf("save the 2027 calendar = %d %s %s", st, loc, snippet(body))
	}
	if st, page := admin.get(loc); st != http.StatusOK || !strings.Contains(page, `name="version" value="1"`) || !strings.Contains(page, "2027-02-07") {
		t.Errorf("saved calendar = %d %s", st, snippet(page))
	}
	// The officer's count uses it: January less New Year's Day; February
	// less three holidays, plus the Sunday worked.
	if got := count("2027-01-01", "2027-01-31", http.StatusOK)["working_days"]; got != float64(20) {
		t.Errorf("January 2027 = %v working days, want 20", got)
	}
	if got := count("2027-02-01", "2027-02-28", http.StatusOK)["working_days"]; got != float64(18) {
		t.Errorf("February 2027 = %v working days, want 18", got)
	}
	// A form of the year as it was before the save (no version) is stale.
	st, _, body = admin.post("/admin/calendar", url.Values{"year": {"2027"}, "off": {"2027-05-03"}})
	if st != http.StatusConflict || !strings.Contains(body, "2027-02-10\n2027-02-11") {
		t.Errorf("a stale calendar form = %d %s", st, snippet(body))
	}

	// A unit renamed at its version; moved under its own child, refused
	// next to the parent select.
	_, page = admin.get("/admin/units?edit=" + s.unit)
	if !strings.Contains(page, `name="version" value="1"`) || !strings.Contains(page, `value="县公安局"`) {
		t.Fatalf("unit form: %s", snippet(page))
	}
	root := regexp.MustCompile(`<option value="([^"]+)" selected>县委政法委</option>`).FindStringSubmatch(page)
	if root == nil {
		t.Fatalf("the unit's parent is not chosen: %s", snippet(page))
	}
	if st, loc, body := admin.post("/admin/units/"+s.unit, url.Values{"version": {"1"}, "code": {"GAJ"}, "name": {"县公安局（改）"}, "kind": {"police_bureau"}, "parent_id": {root[1]}}); st != http.StatusSeeOther {
		t.Fatalf("rename unit = %d %s %s", st, loc, snippet(body))
	}
	st, _, body = admin.post("/admin/units/"+root[1], url.Values{"version": {"1"}, "code": {"ZFW"}, "name": {"县委政法委"}, "kind": {"committee"}, "parent_id": {s.unit}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="parent_id-error"`) {
		t.Errorf("move under its own child = %d %s", st, snippet(body))
	}
	st, _, body = admin.post("/admin/units/"+s.unit, url.Values{"version": {"1"}, "code": {"GAJ"}, "name": {"又一个名字"}, "kind": {"police_bureau"}, "parent_id": {root[1]}})
	if st != http.StatusConflict || !strings.Contains(body, `value="县公安局（改）"`) || !strings.Contains(body, `name="version" value="2"`) {
		t.Errorf("stale unit form = %d %s", st, snippet(body))
	}

	// Finance: the officer has unused 2026 days and no pay on file.
	fin := journeySignIn(t, s.gateway, "finance")
	st, page = fin.get("/finance/compensation?year=2026")
	if st != http.StatusOK || !strings.Contains(page, `id="pay-missing"`) || !strings.Contains(page, `<option value="`+s.member+`">张伟 · `) {
		t.Fatalf("report without pay = %d %s", st, snippet(page))
	}
	st, _, body = fin.post("/finance/compensation/pay", url.Values{"year": {"2026"}, "form": {"missing"}, "member_id": {s.member}, "annual_pay": {"十万"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="annual_pay-missing-error"`) || !strings.Contains(body, `value="十万"`) {
		t.Errorf("a mistyped pay = %d %s", st, snippet(body))
	}
	st, loc, body = fin.post("/finance/compensation/pay", url.Values{"year": {"2026"}, "form": {"missing"}, "member_id": {s.member}, "annual_pay": {"104400"}})
	if st != http.StatusSeeOther {
		t.Fatalf("enter pay = %d %s %s", st, loc, snippet(body))
	}
	st, page = fin.get(loc)
	line := regexp.MustCompile(`(?s)<tr><td>张伟</td>.*?</tr>`).FindString(page)
	// 104,400 yuan a year is 400 yuan a day (÷ 261).
	if st != http.StatusOK || line == "" || !strings.Contains(line, `<td class="num">400.00</td>`) || !strings.Contains(page, "张伟 的工资已保存") {
		t.Errorf("report after the pay = %d line %q %s", st, line, snippet(page))
	}

	// The auditor reads units and parameters, without forms; the injury
	// service keeps its figures to its staff, and the page says so.
	aud := journeySignIn(t, s.gateway, "auditor")
	for _, p := range []string{"/admin/units", "/admin/parameters", "/admin/users"} {
		st, page := aud.get(p)
		if st != http.StatusOK || strings.Contains(page, `method="post" action="`+p) {
			t.Errorf("auditor GET %s = %d %s", p, st, snippet(page))
		}
		if !strings.Contains(page, `href="`+p+`" aria-current="page"`) {
			t.Errorf("auditor's menu lacks %s", p)
		}
	}
	if _, page := aud.get("/admin/parameters"); !strings.Contains(page, `id="injury-hidden"`) {
		t.Errorf("the auditor's parameters page does not say the injury figures are not shown: %s", snippet(page))
	}
	if _, page := aud.get("/finance"); strings.Contains(page, `action="/finance/exports"`) {
		t.Error("the auditor is offered the ledger export")
	}
}
