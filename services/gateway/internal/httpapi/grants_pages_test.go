package httpapi_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// TestGrantJourney: a family member applies; a caseworker reviews, two
// approvers approve and finance pays, four different people; the
// applicant sees "paid".
func TestGrantJourney(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("family1", domain.RoleFamily)
	e.user("case1", domain.RoleCaseworker)
	e.user("appr1", domain.RoleApprover)
	e.user("appr2", domain.RoleApprover)
	e.user("fin1", domain.RoleFinance)
	fam := e.browser()
	fam.signIn("family1")

	form := fam.get("/grants/apply")
	if form.status != http.StatusOK || !strings.Contains(form.body, "因公伤残干警资助") {
		t.Fatalf("apply form %d", form.status)
	}
	tok := fam.token("/grants/apply")
	tooMuch := fam.post("/grants/apply", url.Values{"csrf_token": {tok}, "program_id": {"p-1"}, "requested_amount": {"60000"}, "documents": {"鉴定结论"}})
	if tooMuch.status != http.StatusUnprocessableEntity || !strings.Contains(tooMuch.body, `id="requested_amount-error"`) ||
		!strings.Contains(tooMuch.body, "超过项目上限") || !strings.Contains(tooMuch.body, "鉴定结论") {
		t.Fatalf("over the cap = %d", tooMuch.status)
	}
	if r := fam.post("/grants/apply", url.Values{"csrf_token": {tok}, "program_id": {"p-1"}, "requested_amount": {"abc"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("non-amount = %d", r.status)
	}
	ok := fam.post("/grants/apply", url.Values{"csrf_token": {tok}, "program_id": {"p-1"}, "requested_amount": {"30000"}, "documents": {"鉴定结论\n病历"}})
	if ok.status != http.StatusSeeOther || !strings.Contains(ok.header.Get("Location"), "?m=submitted") {
		t.Fatalf("apply = %d %s", ok.status, ok.header.Get("Location"))
	}
	appPath := strings.TrimSuffix(ok.header.Get("Location"), "?m=submitted")

	step := func(who *browser, name string, version int) response {
		t.Helper()
		return who.post(appPath+"/"+name, url.Values{"csrf_token": {who.token(appPath)}, "version": {itoa(version)}})
	}
	cw := e.browser()
	cw.signIn("case1")
	if q := cw.get("/work/queue"); !strings.Contains(q.body, "GA-2026-000001") {
		t.Fatal("the caseworker's queue lacks the application")
	}
	if r := step(cw, "review", 2); r.status != http.StatusSeeOther {
		t.Fatalf("review = %d", r.status)
	}
	a1 := e.browser()
	a1.signIn("appr1")
	if q := a1.get("/approvals"); !strings.Contains(q.body, "GA-2026-000001") || !strings.Contains(q.body, "¥30,000.00") {
		t.Fatal("the approver's queue lacks the application and its amount")
	}
	if r := step(a1, "approve", 3); r.status != http.StatusSeeOther {
		t.Fatalf("first approval = %d", r.status)
	}
	if r := step(a1, "approve", 4); r.status != http.StatusForbidden || !strings.Contains(r.body, "grants.same_approver") {
		t.Fatalf("same approver twice = %d", r.status)
	}
	a2 := e.browser()
	a2.signIn("appr2")
	if r := step(a2, "approve", 4); r.status != http.StatusSeeOther {
		t.Fatalf("second approval = %d", r.status)
	}
	fin := e.browser()
	fin.signIn("fin1")
	if f := fin.get("/finance"); !strings.Contains(f.body, "GA-2026-000001") {
		t.Fatal("finance's to-pay list lacks the application")
	}
	if r := step(fin, "disburse", 5); r.status != http.StatusSeeOther {
		t.Fatalf("disburse = %d", r.status)
	}
	final := fam.get(appPath)
	if !strings.Contains(final.body, `id="app-state">已支付`) {
		t.Errorf("the applicant does not see paid")
	}
	if strings.Contains(final.body, "/disburse") || strings.Contains(final.body, "/approve") {
		t.Error("the applicant is offered staff steps")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestFinancePagesAndExport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("fin1", domain.RoleFinance)
	e.user("officer1", domain.RoleOfficer)
	e.user("audit1", domain.RoleAuditor)
	fin := e.browser()
	fin.signIn("fin1")
	page := fin.get("/finance")
	for _, want := range []string{"<svg", "bar-disbursed", `id="trial-balance"`, `id="total-debit">¥1,000,000.00`, "零余额账户用款额度", `action="/finance/exports"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("finance page lacks %q", want)
		}
	}
	if l := fin.get("/finance/ledger?fund=f-1&from=2026-01-01&to=2026-12-31"); !strings.Contains(l.body, "记-2026-000001") {
		t.Error("ledger lacks the voucher")
	}
	r := fin.post("/finance/exports", url.Values{"csrf_token": {fin.token("/finance")}, "fund_id": {"f-1"}, "from": {"2026-01-01"}, "to": {"2026-12-31"}, "format": {"csv"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/finance/exports/e-1" {
		t.Fatalf("export = %d %s", r.status, r.header.Get("Location"))
	}
	job := fin.get("/finance/exports/e-1")
	if !strings.Contains(job.body, `id="download"`) {
		t.Fatal("finished export offers no download")
	}
	dl := fin.get("/finance/exports/e-1/download")
	if dl.status != http.StatusOK || dl.header.Get("Content-Disposition") != `attachment; filename="ledger-e-1.csv"` ||
		!strings.HasPrefix(dl.body, "\ufeff凭证号") {
		t.Fatalf("download = %d %q", dl.status, dl.header.Get("Content-Disposition"))
	}
	off := e.browser()
	off.signIn("officer1")
	if r := off.get("/finance"); r.status != http.StatusForbidden {
		t.Errorf("officer on finance = %d", r.status)
	}
	aud := e.browser()
	aud.signIn("audit1")
	if r := aud.get("/finance"); r.status != http.StatusOK {
		t.Errorf("auditor on finance = %d", r.status)
	}
	if r := aud.get("/finance/exports/e-1/download"); r.status != http.StatusForbidden {
		t.Errorf("auditor downloading = %d", r.status)
	}
}
