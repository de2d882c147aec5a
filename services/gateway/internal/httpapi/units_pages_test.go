package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

func TestUnitsAndProgramsPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	e.user("case1", domain.RoleCaseworker)
	b := e.browser()
	b.signIn("admin1")
	if r := b.get("/admin/units"); r.status != http.StatusOK || !strings.Contains(r.body, "城关派出所") {
		t.Fatalf("units %d", r.status)
	}
	tok := b.token("/admin/units")
	bad := b.post("/admin/units", url.Values{"csrf_token": {tok}, "code": {"GA 02"}, "name": {"东关派出所"}, "kind": {"police_station"}, "parent_id": {"u-1"}})
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, `id="code-error"`) || !strings.Contains(bad.body, `value="东关派出所"`) {
		t.Fatalf("bad unit = %d", bad.status)
	}
	if r := b.post("/admin/units", url.Values{"csrf_token": {tok}, "code": {"GA02"}, "name": {"东关派出所"}, "kind": {"police_station"}, "parent_id": {"u-1"}}); r.status != http.StatusSeeOther {
		t.Fatalf("create unit = %d", r.status)
	}
	if len(e.enrollment.units) != 1 || e.enrollment.units[0]["parent_id"] != "u-1" {
		t.Errorf("enrollment got %v", e.enrollment.units)
	}
	// The programmes page (pages/grants) is read against the real grants
	// service: TestGrantNoticesAgainstRealServices.
	cw := e.browser()
	cw.signIn("case1")
	for _, p := range []string{"/admin/units", "/admin/programs", "/admin/parameters"} {
		if r := cw.get(p); r.status != http.StatusForbidden {
			t.Errorf("caseworker GET %s = %d", p, r.status)
		}
	}
}

// TestUnitEditAndReaders: an administrator renames or moves a unit at the
// version the form showed; the service's refusal of the parent is said
// next to the parent select; a change made meanwhile comes back as it is
// now. Auditors read the units without forms.
func TestUnitEditAndReaders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	e.user("audit1", domain.RoleAuditor)
	e.enrollment.addUnit("u-2", "县公安局")
	b := e.browser()
	b.signIn("admin1")
	list := b.get("/admin/units")
	if !strings.Contains(list.body, `href="/admin/units?edit=u-1#unit-form"`) {
		t.Fatal("units list offers no edit")
	}
	form := b.get("/admin/units?edit=u-1")
	if form.status != http.StatusOK || !strings.Contains(form.body, `action="/admin/units/u-1"`) || !strings.Contains(form.body, `name="version" value="1"`) ||
		!strings.Contains(form.body, `value="城关派出所"`) || strings.Contains(form.body, `<option value="u-1"`) || !strings.Contains(form.body, `<option value="u-2">县公安局</option>`) {
		t.Fatalf("edit form = %d", form.status)
	}
	tok := b.token("/admin/units")
	bad := b.post("/admin/units/u-1", url.Values{"csrf_token": {tok}, "version": {"1"}, "code": {"GA01"}, "name": {"城关所"}, "kind": {"police_station"}, "parent_id": {"u-1"}})
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, `id="parent_id-error"`) || !strings.Contains(bad.body, "不能把单位移到它自己或其下级单位之下") ||
		!strings.Contains(bad.body, `value="城关所"`) {
		t.Fatalf("moving under itself = %d", bad.status)
	}
	ok := b.post("/admin/units/u-1", url.Values{"csrf_token": {tok}, "version": {"1"}, "code": {"GA01"}, "name": {"城关派出所（新）"}, "kind": {"police_station"}, "parent_id": {"u-2"}})
	if ok.status != http.StatusSeeOther || ok.header.Get("Location") != "/admin/units?m=updated" {
		t.Fatalf("rename = %d", ok.status)
	}
	if r := b.get("/admin/units?m=updated"); !strings.Contains(r.body, "单位已更新") || !strings.Contains(r.body, "<td>城关派出所（新）</td>") || !strings.Contains(r.body, "<td>县公安局</td><td>") {
		t.Errorf("units after the rename: %s", r.body)
	}
	// Someone else renames it while the form (version 2) is open.
	e.enrollment.editUnitBehind("城关中心派出所")
	stale := b.post("/admin/units/u-1", url.Values{"csrf_token": {tok}, "version": {"2"}, "code": {"GA01"}, "name": {"我的名字"}, "kind": {"police_station"}})
	if stale.status != http.StatusConflict || !strings.Contains(stale.body, "该单位刚被他人修改") || !strings.Contains(stale.body, `value="城关中心派出所"`) ||
		!strings.Contains(stale.body, `name="version" value="3"`) {
		t.Errorf("stale edit = %d", stale.status)
	}
	if r := b.get("/admin/units?edit=u-404"); r.status != http.StatusNotFound {
		t.Errorf("editing a unit that does not exist = %d", r.status)
	}
	a := e.browser()
	a.signIn("audit1")
	r := a.get("/admin/units?edit=u-1")
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="read-only"`) || strings.Contains(r.body, "<form method=\"post\" action=\"/admin/units") ||
		!strings.Contains(r.body, "县公安局") {
		t.Errorf("auditor on units = %d", r.status)
	}
	if r := a.post("/admin/units/u-1", url.Values{"csrf_token": {a.token("/admin/units")}, "version": {"3"}, "name": {"x"}}); r.status != http.StatusForbidden {
		t.Errorf("auditor editing a unit = %d", r.status)
	}
}
