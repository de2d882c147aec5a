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
	if r := b.get("/admin/programs"); r.status != http.StatusOK || !strings.Contains(r.body, "因公伤残干警资助") {
		t.Errorf("programs %d", r.status)
	}
	cw := e.browser()
	cw.signIn("case1")
	for _, p := range []string{"/admin/units", "/admin/programs", "/admin/parameters"} {
		if r := cw.get(p); r.status != http.StatusForbidden {
			t.Errorf("caseworker GET %s = %d", p, r.status)
		}
	}
}
