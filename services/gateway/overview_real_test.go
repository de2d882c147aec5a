package gateway_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/anxin-welfare/anxin/pkg/auth"
)

// seedOverview adds a second unit with an officer, and an injury case in
// each unit, so that the overview has two units to tell apart. It returns
// the second unit's id.
func seedOverview(t *testing.T, s *realSystem) string {
	t.Helper()
	admin := auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
	var root string
	for _, u := range s.call(t, admin, "GET", "/api/v1/enrollment/units", nil, 200)["units"].([]any) {
		if m := u.(map[string]any); m["code"] == "ZFW" {
			root = m["id"].(string)
		}
	}
	admin.Units = []string{root}
	court := s.call(t, admin, "POST", "/api/v1/enrollment/units", map[string]any{"code": "FY", "name": "县人民法院", "kind": "court", "parent_id": root}, 201)["id"].(string)
	reporter := auth.Identity{UserID: "u-rep", MemberID: s.member, Name: "张伟", Roles: []auth.Role{auth.RoleOfficer}, Units: []string{s.unit}}
	for _, c := range []struct{ unit, severity, name string }{
		{s.unit, "critical", ""}, {s.unit, "serious", ""}, {court, "minor", "法警李明"},
	} {
		body := map[string]any{"unit_id": c.unit, "injured_at": "2026-11-20T09:00", "place": "县城", "description": "执勤时受伤", "severity": c.severity}
		if c.name != "" {
			body["unknown_name"] = c.name
		} else {
			body["member_id"] = s.member
		}
		s.call(t, reporter, "POST", "/api/v1/injury/cases", body, 201)
	}
	return court
}

// TestOverviewAgainstRealServices: the committee's leader sees both units'
// figures, with their names, and the same tables in the XLSX export; the
// unit head sees their own unit only and cannot ask for another; an
// officer gets 403 and no menu link; the leader sets the uptake target.
func TestOverviewAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	court := seedOverview(t, s)

	leader := journeySignIn(t, s.gateway, "leader")
	st, page := leader.get("/overview?from=2026-01&to=2026-12")
	if st != http.StatusOK {
		t.Fatalf("leader's overview = %d %s", st, snippet(page))
	}
	for _, want := range []string{"县公安局", "县人民法院", `id="cases-by-unit-table"`, `id="uptake-table"`, `id="health-table"`,
		"<svg", "<title>", "<desc>", `id="target-form"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the leader's overview lacks %q", want)
		}
	}
	// the cases by unit: 2 in the police bureau, 1 in the court
	if !strings.Contains(page, `<th scope="row">县公安局</th><td class="num">1</td><td class="num">1</td><td class="num">0</td><td class="num">2</td>`) ||
		!strings.Contains(page, `<th scope="row">县人民法院</th><td class="num">0</td><td class="num">0</td><td class="num">1</td><td class="num">1</td>`) {
		t.Errorf("the cases by unit table is not 2 and 1: %s", section(page, "cases-by-unit-table"))
	}

	// The export: a sheet per table, numbers as numbers.
	st, body := leader.get("/overview/export?from=2026-01&to=2026-12")
	if st != http.StatusOK {
		t.Fatalf("export = %d %s", st, snippet(body))
	}
	x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("the export is not a workbook: %v", err)
	}
	if n := len(x.GetSheetList()); n != strings.Count(page, `<figure class="card overview-figure"`) {
		t.Errorf("the workbook has %d sheets for %d figures", n, strings.Count(page, `<figure class="card overview-figure"`))
	}
	rows, err := x.GetRows("各单位受理案件（按伤情）")
	found := false
	for _, r := range rows {
		found = found || (len(r) == 5 && r[0] == "县公安局" && r[4] == "2")
	}
	if err != nil || !found {
		t.Errorf("the cases by unit sheet: %v %v", rows, err)
	}
	if v, err := x.GetCellType("各单位受理案件（按伤情）", "E3"); err != nil || v == excelize.CellTypeSharedString || v == excelize.CellTypeInlineString {
		t.Errorf("a count is written as text (%v, %v)", v, err)
	}

	// The target: 80% for 2026, then shown on the page.
	if st, loc, body := leader.post("/overview/uptake-target", url.Values{"year": {"2026"}, "target_percent": {"80"}, "from": {"2026-01"}, "to": {"2026-12"}}); st != http.StatusSeeOther ||
		!strings.HasPrefix(loc, "/overview?") {
		t.Fatalf("set target = %d %s %s", st, loc, snippet(body))
	}
	if _, page := leader.get("/overview?from=2026-01&to=2026-12&m=target"); !strings.Contains(page, "目标 80.0%") || !strings.Contains(page, `value="80"`) {
		t.Errorf("the target is not shown: %s", section(page, "uptake-table"))
	}
	if st, _, body := leader.post("/overview/uptake-target", url.Values{"year": {"2026"}, "target_percent": {"120"}}); st != http.StatusUnprocessableEntity ||
		!strings.Contains(body, `id="target_percent-error"`) {
		t.Errorf("a target of 120%% = %d %s", st, snippet(body))
	}
	if st, page := leader.get("/overview?from=2026-13"); st != http.StatusUnprocessableEntity || !strings.Contains(page, `id="from-error"`) {
		t.Errorf("a bad month = %d %s", st, snippet(page))
	}

	// The unit head: their unit only, whatever they ask for.
	head := journeySignIn(t, s.gateway, "unithead")
	st, page = head.get("/overview?from=2026-01&to=2026-12")
	if st != http.StatusOK || !strings.Contains(page, "县公安局") || strings.Contains(page, "县人民法院") || strings.Contains(page, court) {
		t.Errorf("the unit head's overview = %d, names another unit or misses theirs: %s", st, snippet(page))
	}
	if strings.Contains(page, `id="target-form"`) {
		t.Error("the unit head is offered the committee's target form")
	}
	if st, page := head.get("/overview?unit=" + court); st != http.StatusUnprocessableEntity || strings.Contains(page, `<th scope="row">县人民法院</th>`) {
		t.Errorf("the unit head asks for the court = %d", st)
	}
	if st, _ := head.get("/overview/export?unit=" + court); st != http.StatusForbidden {
		t.Errorf("the unit head exports the court = %d", st)
	}

	// An officer: 403, and no link.
	officer := journeySignIn(t, s.gateway, "officer")
	if st, _ := officer.get("/overview"); st != http.StatusForbidden {
		t.Errorf("officer's overview = %d", st)
	}
	if _, page := officer.get("/account"); strings.Contains(page, `href="/overview"`) {
		t.Error("the officer's menu links the overview")
	}
}

// section is the part of page around id, for failure messages.
func section(page, id string) string {
	i := strings.Index(page, `id="`+id+`"`)
	if i < 0 {
		return "(no " + id + ")"
	}
	return page[i:min(len(page), i+1500)]
}
