package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// TestWageTemplateListsThoseWithoutPay: finance downloads the list to fill
// in: the members the report lacks pay for, by id, name, unit name and
// category, under the headers the import reads; with a BOM for Excel.
func TestWageTemplateListsThoseWithoutPay(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("fin1", domain.RoleFinance)
	_, unpaid := e.paidAndUnpaid()
	b := e.browser()
	b.signIn("fin1")
	r := b.get("/finance/compensation/wages/template?year=2026")
	if r.status != http.StatusOK || r.header.Get("Content-Disposition") != `attachment; filename="wages-2026.csv"` {
		t.Fatalf("template = %d %q", r.status, r.header.Get("Content-Disposition"))
	}
	lines := strings.Split(strings.TrimSpace(r.body), "\n")
	if len(lines) != 2 || lines[0] != "\ufeff人员编号,姓名,单位,人员类别,全年工资收入（元）,月平均工资（元）" ||
		lines[1] != unpaid+",李四,县公安局,人民警察,," {
		t.Errorf("template:\n%s", r.body)
	}
	page := b.get("/finance/compensation/wages?year=2026")
	if page.status != http.StatusOK || !strings.Contains(page.body, `id="file"`) || !strings.Contains(page.body, `href="/finance/compensation/wages/template?year=2026"`) {
		t.Errorf("import page = %d", page.status)
	}
	if b.get("/finance/compensation/wages?year=20x6").status != http.StatusBadRequest {
		t.Errorf("a forged year is not refused")
	}
}
