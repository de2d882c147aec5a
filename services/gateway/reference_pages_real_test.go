package gateway_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/auth"
)

// TestParametersPagesAgainstRealServices walks the reference area's dated
// parameters (pages/reference: /admin/parameters) against the real grants
// and injury services, where it used to run against fake ones: the
// administrator reads the figures both services compute with and sets one
// in the service that uses it; a figure a service refuses comes back next
// to its field; finance is refused the page; the auditor reads it without
// the form and cannot set a figure.
func TestParametersPagesAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	admin := auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
	// The injury service's regional wage, which the page shows the
	// administrator (the auditor does not see the injury figures).
	s.call(t, admin, "PUT", "/api/v1/injury/parameters/regional_average_monthly_wage/2026-01-01", map[string]any{"value_fen": 650000}, 200)
	rates := func() []any {
		t.Helper()
		items, _ := s.call(t, admin, "GET", "/api/v1/grants/rates?limit=100", nil, 200)["items"].([]any)
		return items
	}
	before := len(rates())

	adm := journeySignIn(t, s.gateway, "admin")
	st, page := adm.get("/admin/parameters")
	if st != http.StatusOK || !strings.Contains(page, "¥6,500.00") {
		t.Fatalf("parameters %d %s", st, snippet(page))
	}
	// The grants service refuses a rate dated years ahead: said next
	// to the date, the values kept.
	st, _, body := adm.post("/admin/parameters", url.Values{"kind": {"grants/regional_monthly_wage"}, "from": {"2040-01-01"}, "amount": {"6000"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="from-error"`) || !strings.Contains(body, `value="2040-01-01"`) {
		t.Fatalf("a date the service refuses = %d %s", st, snippet(body))
	}
	if st, _, body := adm.post("/admin/parameters", url.Values{"kind": {"payroll/x"}, "from": {"x"}, "amount": {"-1"}}); st != http.StatusUnprocessableEntity {
		t.Errorf("garbage = %d %s", st, snippet(body))
	}
	if n := len(rates()); n != before {
		t.Fatalf("refused forms set %d rates", n-before)
	}
	st, loc, body := adm.post("/admin/parameters", url.Values{"kind": {"grants/national_income"}, "from": {"2026-01-01"}, "amount": {"54188"}, "source": {"国家统计局公报"}})
	if st != http.StatusSeeOther || loc != "/admin/parameters?m=saved" {
		t.Fatalf("set = %d %s %s", st, loc, snippet(body))
	}
	set := false
	for _, r := range rates() {
		m, _ := r.(map[string]any)
		set = set || (m["kind"] == "national_income" && m["valid_from"] == "2026-01-01" && m["amount"] == float64(5418800))
	}
	if !set || len(rates()) != before+1 {
		t.Fatalf("the grants service holds %v", rates())
	}
	if _, page := adm.get(loc); !strings.Contains(page, "¥54,188.00") {
		t.Errorf("the saved rate is not listed: %s", snippet(page))
	}
	if st, _ := journeySignIn(t, s.gateway, "finance").get("/admin/parameters"); st != http.StatusForbidden {
		t.Errorf("finance on parameters = %d", st)
	}

	// The auditor reads the figures without the form, and cannot set one.
	aud := journeySignIn(t, s.gateway, "auditor")
	st, page = aud.get("/admin/parameters")
	if st != http.StatusOK || !strings.Contains(page, "¥54,188.00") || !strings.Contains(page, `id="read-only"`) ||
		strings.Contains(page, `action="/admin/parameters"`) {
		t.Fatalf("auditor on parameters = %d %s", st, snippet(page))
	}
	if st, _, _ := aud.post("/admin/parameters", url.Values{"kind": {"grants/national_income"}, "from": {"2026-01-01"}, "amount": {"1"}}); st != http.StatusForbidden || len(rates()) != before+1 {
		t.Errorf("auditor setting a parameter = %d", st)
	}
}
