package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// TestAdminGrantsMedicalCaseworker: the users page offers the medical
// caseworker role by its name; it needs units like a caseworker's; the
// account granted it signs in to the health-check rounds and sees them in
// its menu.
func TestAdminGrantsMedicalCaseworker(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	b := e.browser()
	b.signIn("admin1")
	form := b.get("/admin/users/new")
	if !strings.Contains(form.body, `value="medical_caseworker"> 医务经办人`) {
		t.Fatalf("the users page does not offer the medical caseworker role")
	}
	tok := b.token("/account")
	noUnits := b.post("/admin/users", url.Values{"csrf_token": {tok}, "username": {"li.doctor"}, "display_name": {"李医生"},
		"roles": {"medical_caseworker"}, "lang": {"zh-CN"}, "password": {"a long good phrase"}})
	if noUnits.status != http.StatusUnprocessableEntity || !strings.Contains(noUnits.body, `id="units-error"`) {
		t.Fatalf("a medical caseworker without units = %d", noUnits.status)
	}
	ok := b.post("/admin/users", url.Values{"csrf_token": {tok}, "username": {"li.doctor"}, "display_name": {"李医生"},
		"roles": {"medical_caseworker"}, "units": {"unit-1"}, "lang": {"zh-CN"}, "password": {"a long good phrase"}})
	if ok.status != http.StatusSeeOther {
		t.Fatalf("grant = %d %s", ok.status, ok.body)
	}
	if page := b.get(ok.header.Get("Location")); !strings.Contains(page.body, `value="medical_caseworker" checked`) {
		t.Errorf("the saved user does not hold the role")
	}
	d := e.browser()
	r := d.post("/signin", url.Values{"csrf_token": {d.token("/signin")}, "username": {"li.doctor"}, "password": {"a long good phrase"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/work/health-check-rounds" {
		t.Fatalf("sign in = %d to %q", r.status, r.header.Get("Location"))
	}
	// The menu of every page leads there; the rounds page itself, in the
	// leave area, is read from the real service in
	// TestCareAdminFormsAgainstRealServices.
	if account := d.get("/account"); account.status != http.StatusOK || !strings.Contains(account.body, `href="/work/health-check-rounds"`) {
		t.Errorf("the medical caseworker's menu lacks the rounds page (%d)", account.status)
	}
	if d.get("/work/queue").status != http.StatusForbidden {
		t.Errorf("the medical caseworker reaches the caseworker's case queue")
	}
}
