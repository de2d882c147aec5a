package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// The grants area's pages moved to pages/grants; their tests run against
// the real services in services/gateway (grants_*_real_test.go). What is
// left here are the finance pages' tests, which still drive the fake.

func TestFinancePagesAndExport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("fin1", domain.RoleFinance)
	e.user("officer1", domain.RoleOfficer)
	e.user("audit1", domain.RoleAuditor)
	fin := e.browser()
	fin.signIn("fin1")
	page := fin.get("/finance")
	for _, want := range []string{"<svg", "bar-disbursed", `id="trial-balance"`, `id="total-debit">¥1,011,000.00`, "零余额账户用款额度", `action="/finance/exports"`,
		// the memo account on its normal side: 借 ¥11,000.00, not −¥11,000.00
		`<tr id="account-9101"><td>9101 已承诺资助（备查）</td><td class="num">¥11,000.00</td><td class="num">¥0.00</td><td class="side">借</td><td class="num balance">¥11,000.00</td></tr>`,
		`<tr id="account-9102"><td>9102 资助承诺对冲（备查）</td><td class="num">¥0.00</td><td class="num">¥11,000.00</td><td class="side">贷</td><td class="num balance">¥11,000.00</td></tr>`,
		// the chart: a scale, the amounts on the bars, a pattern beside
		// the colours, and its numbers as a table
		`<text x="400" y="20" text-anchor="end">¥800,000</text>`, "已支付 ¥100,000.00 · 已承诺未付 ¥100,000.00 · 余额 ¥400,000.00", `fill="url(#hatch)"`,
		`<tr><th scope="row">因公伤残干警资助</th><td class="num">¥600,000.00</td><td class="num">¥100,000.00</td><td class="num">¥100,000.00</td><td class="num">¥400,000.00</td></tr>`,
	} {
		if !strings.Contains(page.body, want) {
			t.Errorf("finance page lacks %q", want)
		}
	}
	if strings.Contains(page.body, "-¥") || strings.Contains(page.body, "−¥") {
		t.Error("the finance page shows a negative balance")
	}
	l := fin.get("/finance/ledger?fund=f-1&from=2026-01-01&to=2026-12-31")
	if !strings.Contains(l.body, "记-2026-000001") {
		t.Error("ledger lacks the voucher")
	}
	// the ledger's 借/贷 column: each line's side
	for _, want := range []string{"<th>借/贷</th>", `>1011</td><td class="side">借</td>`, `>4001</td><td class="side">贷</td>`} {
		if !strings.Contains(l.body, want) {
			t.Errorf("the ledger lacks %q", want)
		}
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
	if dl.status != http.StatusOK || dl.header.Get("Content-Disposition") != `attachment; filename="ledger_2026-01-01_2026-12-31.csv"; filename*=UTF-8''%E5%88%86%E7%B1%BB%E8%B4%A6_2026-01-01_2026-12-31.csv` ||
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

// TestLedgerReversal: finance is offered the reversal of an entry; the
// first press shows what it books with a reason field and books nothing;
// a missing or too long reason is refused by the field with the value
// kept; a reason books it and the ledger names the reversing voucher and
// offers no second reversal; a repeat is refused with the service's
// problem. An auditor is offered nothing and refused.
func TestLedgerReversal(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("fin1", domain.RoleFinance)
	e.user("aud1", domain.RoleAuditor)
	aud := e.browser()
	aud.signIn("aud1")
	if l := aud.get("/finance/ledger"); l.status != http.StatusOK || strings.Contains(l.body, "/reverse") {
		t.Errorf("the auditor's ledger = %d, offers a reversal: %v", l.status, strings.Contains(l.body, "/reverse"))
	}
	if r := aud.post("/finance/ledger/entries/1/reverse", url.Values{"csrf_token": {aud.token("/finance/ledger")}, "confirm": {"yes"}, "reason": {"x"}}); r.status != http.StatusForbidden {
		t.Errorf("auditor reversing = %d", r.status)
	}
	fin := e.browser()
	fin.signIn("fin1")
	l := fin.get("/finance/ledger")
	if !strings.Contains(l.body, `action="/finance/ledger/entries/1/reverse"`) {
		t.Fatalf("finance is not offered the reversal: %s", l.body)
	}
	tok := fin.token("/finance/ledger")
	r := fin.post("/finance/ledger/entries/1/reverse", url.Values{"csrf_token": {tok}, "fund": {"f-1"}})
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="confirm"`) || !strings.Contains(r.body, "将冲销凭证 记-2026-000001（2026-01-05，年度拨款）") ||
		!strings.Contains(r.body, `name="reason"`) || !strings.Contains(r.body, `name="fund" value="f-1"`) {
		t.Fatalf("first press = %d %s", r.status, r.body)
	}
	if n, _, _ := e.grants.ledgerActionCounts(); n != 0 {
		t.Fatal("the first press reversed")
	}
	r = fin.post("/finance/ledger/entries/1/reverse", url.Values{"csrf_token": {tok}, "fund": {"f-1"}, "confirm": {"yes"}, "reason": {"  "}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="reason-error"`) || !strings.Contains(r.body, `id="confirm"`) {
		t.Fatalf("no reason = %d %s", r.status, r.body)
	}
	long := strings.Repeat("金额录错", 51)
	r = fin.post("/finance/ledger/entries/1/reverse", url.Values{"csrf_token": {tok}, "fund": {"f-1"}, "confirm": {"yes"}, "reason": {long}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "原因不能超过 200 字") || !strings.Contains(r.body, `value="`+long+`"`) {
		t.Fatalf("too long a reason = %d", r.status)
	}
	if n, _, _ := e.grants.ledgerActionCounts(); n != 0 {
		t.Fatal("a refused reason reversed")
	}
	r = fin.post("/finance/ledger/entries/1/reverse", url.Values{"csrf_token": {tok}, "fund": {"f-1"}, "confirm": {"yes"}, "reason": {"金额录错，重新入账"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("second press = %d %s", r.status, r.body)
	}
	if n, _, reason := e.grants.ledgerActionCounts(); n != 1 || reason != "金额录错，重新入账" {
		t.Fatalf("reversals %d, reason %q", n, reason)
	}
	after := fin.get(r.header.Get("Location"))
	if !strings.Contains(after.body, "已冲销，冲销凭证 记-2026-000002。") || strings.Contains(after.body, `action="/finance/ledger/entries/1/reverse"`) ||
		strings.Contains(after.body, `action="/finance/ledger/entries/2/reverse"`) {
		t.Errorf("the ledger after the reversal = %d %s", after.status, after.body)
	}
	r = fin.post("/finance/ledger/entries/1/reverse", url.Values{"csrf_token": {tok}, "fund": {"f-1"}, "confirm": {"yes"}, "reason": {"再冲一次"}})
	if r.status != http.StatusConflict || !strings.Contains(r.body, "grants.ledger.already_reversed") || strings.Contains(r.body, `id="confirm"`) {
		t.Errorf("a second reversal = %d", r.status)
	}
}

// TestRecurringRunAsksFirst: finance and administrators are offered the
// run of the recurring payments; the first press explains it and runs
// nothing; the second runs it and the page says how many grants it
// processed. An auditor is offered nothing and refused.
func TestRecurringRunAsksFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("fin1", domain.RoleFinance)
	e.user("adm1", domain.RoleAdmin)
	e.user("aud1", domain.RoleAuditor)
	aud := e.browser()
	aud.signIn("aud1")
	if f := aud.get("/finance"); strings.Contains(f.body, "/finance/recurring/run") {
		t.Error("the auditor is offered the recurring run")
	}
	if r := aud.post("/finance/recurring/run", url.Values{"csrf_token": {aud.token("/finance")}, "confirm": {"yes"}}); r.status != http.StatusForbidden {
		t.Errorf("auditor running = %d", r.status)
	}
	for i, name := range []string{"fin1", "adm1"} {
		b := e.browser()
		b.signIn(name)
		if f := b.get("/finance"); !strings.Contains(f.body, `action="/finance/recurring/run"`) {
			t.Fatalf("%s is not offered the run", name)
		}
		tok := b.token("/finance")
		r := b.post("/finance/recurring/run", url.Values{"csrf_token": {tok}, "fund": {"f-1"}})
		if r.status != http.StatusOK || !strings.Contains(r.body, `id="confirm"`) || !strings.Contains(r.body, "将立即支付所有在册定期补助的到期月份") {
			t.Fatalf("%s first press = %d %s", name, r.status, r.body)
		}
		if _, runs, _ := e.grants.ledgerActionCounts(); runs != i {
			t.Fatalf("%s: the first press ran (%d runs)", name, runs)
		}
		r = b.post("/finance/recurring/run", url.Values{"csrf_token": {tok}, "fund": {"f-1"}, "confirm": {"yes"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("%s second press = %d", name, r.status)
		}
		if _, runs, _ := e.grants.ledgerActionCounts(); runs != i+1 {
			t.Fatalf("%s: %d runs", name, runs)
		}
		if f := b.get(r.header.Get("Location")); !strings.Contains(f.body, "定期补助已处理：3 项。") {
			t.Errorf("%s: no summary after the run: %s", name, r.header.Get("Location"))
		}
	}
}
