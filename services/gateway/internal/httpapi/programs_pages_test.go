package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// TestProgramsPages: administrators list the grant programmes; the
// administration pages are closed to caseworkers. (The unit pages that
// shared this test moved to pages/members: TestUnitPagesAgainstRealServices.)
func TestProgramsPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	e.user("case1", domain.RoleCaseworker)
	b := e.browser()
	b.signIn("admin1")
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
