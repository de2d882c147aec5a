package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

func TestParametersPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	e.user("fin1", domain.RoleFinance)
	b := e.browser()
	b.signIn("admin1")
	page := b.get("/admin/parameters")
	if page.status != http.StatusOK || !strings.Contains(page.body, "¥6,500.00") {
		t.Fatalf("parameters %d", page.status)
	}
	tok := b.token("/admin/parameters")
	bad := b.post("/admin/parameters", url.Values{"csrf_token": {tok}, "kind": {"injury/regional_average_monthly_wage"}, "from": {"2027-01-01"}, "amount": {"2000000"}})
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, `id="amount-error"`) || !strings.Contains(bad.body, "金额不合理") {
		t.Fatalf("unreasonable amount = %d", bad.status)
	}
	if r := b.post("/admin/parameters", url.Values{"csrf_token": {tok}, "kind": {"payroll/x"}, "from": {"x"}, "amount": {"-1"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("garbage = %d", r.status)
	}
	ok := b.post("/admin/parameters", url.Values{"csrf_token": {tok}, "kind": {"grants/national_income"}, "from": {"2026-01-01"}, "amount": {"54188"}, "source": {"国家统计局公报"}})
	if ok.status != http.StatusSeeOther || len(e.grants.rates) != 1 || e.grants.rates[0]["amount"] != float64(5418800) {
		t.Fatalf("set = %d, grants got %v", ok.status, e.grants.rates)
	}
	f := e.browser()
	f.signIn("fin1")
	if r := f.get("/admin/parameters"); r.status != http.StatusForbidden {
		t.Errorf("finance on parameters = %d", r.status)
	}
}

// TestParametersReadByAuditors: auditors read the dated parameters
// without the form, and cannot set one.
func TestParametersReadByAuditors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("audit1", domain.RoleAuditor)
	a := e.browser()
	a.signIn("audit1")
	page := a.get("/admin/parameters")
	if page.status != http.StatusOK || !strings.Contains(page.body, "¥6,500.00") || !strings.Contains(page.body, `id="read-only"`) ||
		strings.Contains(page.body, `action="/admin/parameters"`) {
		t.Fatalf("auditor on parameters = %d", page.status)
	}
	r := a.post("/admin/parameters", url.Values{"csrf_token": {a.token("/admin/parameters")}, "kind": {"grants/national_income"}, "from": {"2026-01-01"}, "amount": {"1"}})
	if r.status != http.StatusForbidden || len(e.grants.rates) != 0 {
		t.Errorf("auditor setting a parameter = %d", r.status)
	}
}
