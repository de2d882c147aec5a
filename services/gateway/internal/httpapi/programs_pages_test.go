package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// TestProgramsPages: the administration pages are closed to caseworkers.
// (The unit pages that shared this test moved to pages/members:
// TestUnitPagesAgainstRealServices; the programmes page moved to
// pages/grants, where administrators list the programmes against the real
// grants service: TestGrantNoticesAgainstRealServices.)
func TestProgramsPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("case1", domain.RoleCaseworker)
	cw := e.browser()
	cw.signIn("case1")
	for _, p := range []string{"/admin/units", "/admin/programs", "/admin/parameters"} {
		if r := cw.get(p); r.status != http.StatusForbidden {
			t.Errorf("caseworker GET %s = %d", p, r.status)
		}
	}
}
