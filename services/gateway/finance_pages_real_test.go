package gateway_test

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/i18n"
)

// financeWorld is startRealSystem's county with grant applications the
// committee approved in the hardship programme, through the real grants
// service's own steps (officer, caseworker, approver, finance).
type financeWorld struct {
	*realSystem
	officer, cw, approver, finance, admin auth.Identity
	n                                     int
}

func newFinanceWorld(t *testing.T) *financeWorld {
	t.Helper()
	s := startRealSystem(t)
	return &financeWorld{realSystem: s,
		officer:  auth.Identity{UserID: "u-fin-officer", Name: "张伟", MemberID: s.member, Roles: []auth.Role{auth.RoleOfficer}, Units: []string{s.unit}},
		cw:       auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}},
		approver: auth.Identity{UserID: "u-fin-approver", Name: "陈书记", Roles: []auth.Role{auth.RoleApprover}},
		finance:  auth.Identity{UserID: "u-fin-finance", Name: "孙会计", Roles: []auth.Role{auth.RoleFinance}},
		admin:    auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}},
	}
}

// approved files, submits, reviews and approves an application of yuan
// (one approval: below the programme's 10,000 yuan line) and returns its
// id and number.
func (w *financeWorld) approved(t *testing.T, yuan int) (string, string) {
	t.Helper()
	w.n++
	app := w.call(t, w.officer, "POST", "/api/v1/grants/applications", map[string]any{"program_id": w.program, "requested_amount": yuan * 100,
		"documents": []string{"家庭收入证明"}, "event_ref": "hardship:finance-" + strconv.Itoa(w.n), "form": map[string]any{"income_per_capita": 150000}}, 201)
	id := app["id"].(string)
	step := func(who auth.Identity, action string, app map[string]any) map[string]any {
		return w.call(t, who, "POST", "/api/v1/grants/applications/"+id+"/"+action, map[string]any{}, 200, "If-Match", fmt.Sprintf(`"%d"`, int(app["version"].(float64))))
	}
	app = step(w.officer, "submit", app)
	app = step(w.cw, "review", app)
	if app = step(w.approver, "approve", app); app["state"] != "approved" {
		t.Fatalf("application %s is %v after its approval", id, app["state"])
	}
	return id, app["number"].(string)
}

// disburse pays an approved application.
func (w *financeWorld) disburse(t *testing.T, id string) {
	t.Helper()
	app := w.call(t, w.finance, "GET", "/api/v1/grants/applications/"+id, nil, 200)
	w.call(t, w.finance, "POST", "/api/v1/grants/applications/"+id+"/disburse", map[string]any{}, 200, "If-Match", fmt.Sprintf(`"%d"`, int(app["version"].(float64))))
}

// entries are the fund's ledger entries as the grants service holds them.
func (w *financeWorld) entries(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, it := range w.call(t, w.finance, "GET", "/api/v1/grants/funds/"+w.fund+"/entries?limit=500", nil, 200)["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

// TestFinancePagesAgainstRealServices walks the finance area (pages/finance:
// /finance, the ledger, the exports) against the real grants service,
// where it used to run against a fake one. The hardship programme (800,000
// yuan) has paid 8,000 yuan and committed 3,000 more; the martyr programme
// (1,000,000 yuan) nothing. Finance reads the position chart, the trial
// balance with the memo accounts on their normal sides, the ledger with
// its 借/贷 column, and exports the ledger as CSV named by what it holds;
// an officer is refused, an auditor reads without the export form and
// cannot download.
func TestFinancePagesAgainstRealServices(t *testing.T) {
	w := newFinanceWorld(t)
	paid, paidNumber := w.approved(t, 8000)
	w.disburse(t, paid)
	_, due := w.approved(t, 3000)

	fin := journeySignIn(t, w.gateway, "finance")
	st, page := fin.get("/finance")
	if st != http.StatusOK {
		t.Fatalf("/finance = %d %s", st, snippet(page))
	}
	for _, want := range []string{"<svg", "bar-disbursed", `id="trial-balance"`, `id="total-debit">¥6,043,000.00`, `id="total-credit">¥6,043,000.00`, "零余额账户用款额度", `action="/finance/exports"`,
		// the memo accounts on their normal sides: 借 and 贷 ¥3,000.00 still
		// committed, never a negative balance
		`<tr id="account-9101"><td>9101 已承诺资助（备查）</td><td class="num">¥11,000.00</td><td class="num">¥8,000.00</td><td class="side">借</td><td class="num balance">¥3,000.00</td></tr>`,
		`<tr id="account-9102"><td>9102 资助承诺对冲（备查）</td><td class="num">¥8,000.00</td><td class="num">¥11,000.00</td><td class="side">贷</td><td class="num balance">¥3,000.00</td></tr>`,
		// the chart: a scale, the amounts on the bars, a pattern beside
		// the colours, and its numbers as a table
		`<text x="400" y="20" text-anchor="end">¥1,000,000</text>`, "已支付 ¥8,000.00 · 已承诺未付 ¥3,000.00 · 余额 ¥789,000.00", `fill="url(#hatch)"`,
		`<tr><th scope="row">困难干警帮扶</th><td class="num">¥800,000.00</td><td class="num">¥8,000.00</td><td class="num">¥3,000.00</td><td class="num">¥789,000.00</td></tr>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("finance page lacks %q", want)
		}
	}
	// the payments due: the approved application, naming its programme
	// (from httpapi's TestGrantJourney and TestGrantListsNameTheProgramme),
	// not the one paid
	if toPay := between(page, `id="to-pay"`, "</ul>"); !strings.Contains(toPay, due+`</a> <span class="program">困难干警帮扶</span> <span>¥3,000.00</span>`) ||
		strings.Contains(toPay, paidNumber) {
		t.Errorf("finance's payments due = %s, want %s with its programme and not %s", toPay, due, paidNumber)
	}
	if strings.Contains(page, "-¥") || strings.Contains(page, "−¥") {
		t.Error("the finance page shows a negative balance")
	}
	if t.Failed() {
		t.Logf("the finance page: %s", between(page, "<main", "</main>"))
	}
	_, l := fin.get("/finance/ledger?fund=" + w.fund + "&from=2026-01-01&to=2026-12-31")
	if !strings.Contains(l, "记-2026-000001") {
		t.Errorf("ledger lacks the voucher: %s", snippet(l))
	}
	// the ledger's 借/贷 column: each line's side
	for _, want := range []string{"<th>借/贷</th>", `>1011 零余额账户用款额度</td><td class="side">借</td>`, `>4001 财政拨款收入</td><td class="side">贷</td>`} {
		if !strings.Contains(l, want) {
			t.Errorf("the ledger lacks %q: %s", want, between(l, `id="ledger"`, "</table>"))
		}
	}

	// A day that is none is said next to the field, the values kept.
	st, _, body := fin.post("/finance/exports", url.Values{"fund_id": {w.fund}, "from": {"2026-13-01"}, "to": {"2026-12-31"}, "format": {"csv"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="from-error"`) || !strings.Contains(body, `value="2026-13-01"`) {
		t.Errorf("an export from a day that is none = %d %s", st, snippet(body))
	}
	// The service refuses a period that ends before it starts: next to to.
	st, _, body = fin.post("/finance/exports", url.Values{"fund_id": {w.fund}, "from": {"2026-12-31"}, "to": {"2026-01-01"}, "format": {"csv"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="to-error"`) {
		t.Errorf("an export ending before it starts = %d %s", st, snippet(body))
	}
	st, loc, body := fin.post("/finance/exports", url.Values{"fund_id": {w.fund}, "from": {"2026-01-01"}, "to": {"2026-12-31"}, "format": {"csv"}})
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/finance/exports/") {
		t.Fatalf("export = %d %s %s", st, loc, snippet(body))
	}
	apptest.Eventually(t, 20*time.Second, "the export is done and offers its download", func() bool {
		_, job := fin.get(loc)
		return strings.Contains(job, `id="download"`)
	})
	dl := fin.download(t, loc+"/download")
	if dl.status != http.StatusOK || dl.header.Get("Content-Disposition") != `attachment; filename="ledger_2026-01-01_2026-12-31.csv"; filename*=UTF-8''%E5%88%86%E7%B1%BB%E8%B4%A6_2026-01-01_2026-12-31.csv` ||
		!strings.HasPrefix(dl.body, "\ufeff凭证号") {
		t.Fatalf("download = %d %q %q", dl.status, dl.header.Get("Content-Disposition"), snippet(dl.body))
	}
	if st, _ := journeySignIn(t, w.gateway, "officer").get("/finance"); st != http.StatusForbidden {
		t.Errorf("officer on finance = %d", st)
	}
	aud := journeySignIn(t, w.gateway, "auditor")
	if st, _ := aud.get("/finance"); st != http.StatusOK {
		t.Errorf("auditor on finance = %d", st)
	}
	if st, _ := aud.get(loc + "/download"); st != http.StatusForbidden {
		t.Errorf("auditor downloading = %d", st)
	}

	// Auditors and administrators read /finance without the export form
	// (its POST is finance's).
	for _, name := range []string{"auditor", "admin"} {
		st, page := journeySignIn(t, w.gateway, name).get("/finance")
		if st != http.StatusOK || strings.Contains(page, `action="/finance/exports"`) || !strings.Contains(page, `id="export-finance-only"`) {
			t.Errorf("%s sees /finance = %d with the export form", name, st)
		}
	}
	if _, page := fin.get("/finance"); !strings.Contains(page, `action="/finance/exports"`) || strings.Contains(page, `id="export-finance-only"`) {
		t.Error("finance lost the export form")
	}
}

// TestFinanceToPayPagesAgainstRealServices: 60 approved applications are
// more than a page of finance's to-pay list (50): its next-page link shows
// the other 10, none twice.
func TestFinanceToPayPagesAgainstRealServices(t *testing.T) {
	w := newFinanceWorld(t)
	var want []string
	for range 60 {
		_, number := w.approved(t, 100)
		want = append(want, number)
	}
	fin := journeySignIn(t, w.gateway, "finance")
	idRe, nextRe := regexp.MustCompile(`>(GA-2026-[0-9]+)</a>`), regexp.MustCompile(`id="to-pay-next" href="([^"]+)"`)
	var pages [][]string
	for path := "/finance"; path != ""; {
		if len(pages) > 10 {
			t.Fatal("the next page never ends")
		}
		st, page := fin.get(path)
		if st != http.StatusOK || !strings.Contains(page, `id="to-pay"`) {
			t.Fatalf("%s = %d %s", path, st, snippet(page))
		}
		if len(pages) > 0 && !strings.Contains(page, `id="to-pay-first"`) {
			t.Errorf("page %d has no link back to the first", len(pages)+1)
		}
		var ids []string
		for _, m := range idRe.FindAllStringSubmatch(page[strings.Index(page, `id="to-pay"`):], -1) {
			ids = append(ids, m[1])
		}
		pages = append(pages, ids)
		path = ""
		if m := nextRe.FindStringSubmatch(page); m != nil {
			path = html.UnescapeString(m[1])
		}
	}
	if len(pages) != 2 || len(pages[0]) != 50 {
		t.Errorf("to-pay pages: %d, first of %d rows; want 2, 50", len(pages), len(pages[0]))
	}
	seen := map[string]bool{}
	for _, p := range pages {
		for _, n := range p {
			if seen[n] {
				t.Errorf("%s shown twice", n)
			}
			seen[n] = true
		}
	}
	for _, n := range want {
		if !seen[n] {
			t.Errorf("%s never shown", n)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("%d shown, want %d", len(seen), len(want))
	}
}

// download is GET path with the answer's headers.
func (cl *client) download(t *testing.T, path string) grantsReply {
	t.Helper()
	r, err := cl.c.Get(cl.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return grantsReply{status: r.StatusCode, header: r.Header, body: string(b)}
}

// TestLedgerReversalAgainstRealServices: finance is offered the reversal
// of an entry; the first press shows what it books with a reason field and
// books nothing; a missing or too long reason is refused by the field with
// the value kept; a reason books it and the ledger names the reversing
// voucher and offers no second reversal; a repeat is refused with the
// service's problem. An auditor is offered nothing and refused.
func TestLedgerReversalAgainstRealServices(t *testing.T) {
	w := newFinanceWorld(t)
	paid, _ := w.approved(t, 8000)
	w.disburse(t, paid)
	var payment map[string]any // the disbursement's entry
	for _, e := range w.entries(t) {
		if e["kind"] == "disbursement" {
			payment = e
		}
	}
	if payment == nil {
		t.Fatalf("no disbursement in the ledger: %v", w.entries(t))
	}
	id, voucher := payment["id"].(string), payment["voucher"].(string)
	entries := len(w.entries(t))
	reverse := "/finance/ledger/entries/" + id + "/reverse"

	aud := journeySignIn(t, w.gateway, "auditor")
	if st, l := aud.get("/finance/ledger"); st != http.StatusOK || strings.Contains(l, "/reverse") {
		t.Errorf("the auditor's ledger = %d, offers a reversal: %v", st, strings.Contains(l, "/reverse"))
	}
	if st, _, _ := aud.post(reverse, url.Values{"confirm": {"yes"}, "reason": {"x"}}); st != http.StatusForbidden {
		t.Errorf("auditor reversing = %d", st)
	}
	fin := journeySignIn(t, w.gateway, "finance")
	if _, l := fin.get("/finance/ledger"); !strings.Contains(l, `action="`+reverse+`"`) {
		t.Fatalf("finance is not offered the reversal: %s", snippet(l))
	}
	st, _, body := fin.post(reverse, url.Values{"fund": {w.fund}})
	confirm := fmt.Sprintf("将冲销凭证 %s（%s，%s）", voucher, payment["date"], payment["summary"])
	if st != http.StatusOK || !strings.Contains(body, `id="confirm"`) || !strings.Contains(body, html.EscapeString(confirm)) ||
		!strings.Contains(body, `name="reason"`) || !strings.Contains(body, `name="fund" value="`+w.fund+`"`) {
		t.Fatalf("first press = %d, want %q: %s", st, confirm, snippet(body))
	}
	if n := len(w.entries(t)); n != entries {
		t.Fatal("the first press reversed")
	}
	st, _, body = fin.post(reverse, url.Values{"fund": {w.fund}, "confirm": {"yes"}, "reason": {"  "}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="reason-error"`) || !strings.Contains(body, `id="confirm"`) {
		t.Fatalf("no reason = %d %s", st, snippet(body))
	}
	long := strings.Repeat("金额录错", 51)
	st, _, body = fin.post(reverse, url.Values{"fund": {w.fund}, "confirm": {"yes"}, "reason": {long}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, "原因不能超过 200 字") || !strings.Contains(body, `value="`+long+`"`) {
		t.Fatalf("too long a reason = %d", st)
	}
	if n := len(w.entries(t)); n != entries {
		t.Fatal("a refused reason reversed")
	}
	st, loc, body := fin.post(reverse, url.Values{"fund": {w.fund}, "confirm": {"yes"}, "reason": {"金额录错，重新入账"}})
	if st != http.StatusSeeOther {
		t.Fatalf("second press = %d %s", st, snippet(body))
	}
	var reversal map[string]any
	for _, e := range w.entries(t) {
		if e["reversal_of"] == id {
			reversal = e
		}
	}
	if reversal == nil || len(w.entries(t)) != entries+1 || !strings.Contains(fmt.Sprint(reversal["summary"]), "金额录错，重新入账") {
		t.Fatalf("the reversal booked = %v", reversal)
	}
	_, after := fin.get(loc)
	if !strings.Contains(after, fmt.Sprintf("已冲销，冲销凭证 %s。", reversal["voucher"])) || strings.Contains(after, `action="`+reverse+`"`) ||
		strings.Contains(after, `action="/finance/ledger/entries/`+reversal["id"].(string)+`/reverse"`) {
		t.Errorf("the ledger after the reversal: %s", snippet(after))
	}
	st, _, body = fin.post(reverse, url.Values{"fund": {w.fund}, "confirm": {"yes"}, "reason": {"再冲一次"}})
	if st != http.StatusConflict || !strings.Contains(body, "该凭证已冲销，不能重复冲销") || strings.Contains(body, `id="confirm"`) {
		t.Errorf("a second reversal = %d %s", st, snippet(body))
	}
}

// TestRecurringRunAsksFirstAgainstRealServices: finance and administrators
// are offered the run of the recurring payments; the first press explains
// it and runs nothing; the second runs it (the grants service audits every
// run by hand) and the page says how many grants it paid: none, as the one
// monthly grant's first month was paid when it was disbursed. An auditor
// is offered nothing and refused.
func TestRecurringRunAsksFirstAgainstRealServices(t *testing.T) {
	w := newFinanceWorld(t)
	// A monthly hardship grant, approved and paid: active.
	w.program = w.call(t, w.admin, "POST", "/api/v1/grants/programs", map[string]any{
		"fund_id": w.fund, "code": "hardship-monthly", "name_zh": "困难干警按月帮扶", "kind": "hardship", "recurring": true,
		"allocation": 10000000, "eligibility": map[string]any{"max_income_per_capita": 250000},
		"amount_rule": map[string]any{"kind": "assessed", "cap": 200000}, "required_documents": []string{"家庭收入证明"}, "dual_approval_above": 1000000,
	}, 201)["id"].(string)
	grant, _ := w.approved(t, 500)
	w.disburse(t, grant)
	if st := w.call(t, w.finance, "GET", "/api/v1/grants/applications/"+grant, nil, 200)["state"]; st != "active" {
		t.Fatalf("the monthly grant is %v, want active", st)
	}
	runs := func() int {
		t.Helper()
		return strings.Count(fmt.Sprint(w.call(t, w.admin, "GET", "/api/v1/grants/admin/audit", nil, 200)), "grants.recurring.run")
	}
	aud := journeySignIn(t, w.gateway, "auditor")
	if _, f := aud.get("/finance"); strings.Contains(f, "/finance/recurring/run") {
		t.Error("the auditor is offered the recurring run")
	}
	if st, _, _ := aud.post("/finance/recurring/run", url.Values{"confirm": {"yes"}}); st != http.StatusForbidden || runs() != 0 {
		t.Errorf("auditor running = %d", st)
	}
	for i, name := range []string{"finance", "admin"} {
		b := journeySignIn(t, w.gateway, name)
		if _, f := b.get("/finance"); !strings.Contains(f, `action="/finance/recurring/run"`) {
			t.Fatalf("%s is not offered the run", name)
		}
		st, _, body := b.post("/finance/recurring/run", url.Values{"fund": {w.fund}})
		if st != http.StatusOK || !strings.Contains(body, `id="confirm"`) || !strings.Contains(body, "将立即支付所有在册定期补助的到期月份") ||
			!strings.Contains(body, `name="fund" value="`+w.fund+`"`) {
			t.Fatalf("%s first press = %d %s", name, st, snippet(body))
		}
		if n := runs(); n != i {
			t.Fatalf("%s: the first press ran (%d runs)", name, n)
		}
		st, loc, body := b.post("/finance/recurring/run", url.Values{"fund": {w.fund}, "confirm": {"yes"}})
		if st != http.StatusSeeOther || loc != "/finance?fund="+w.fund+"&recurring=0" {
			t.Fatalf("%s second press = %d %s %s", name, st, loc, snippet(body))
		}
		if n := runs(); n != i+1 {
			t.Fatalf("%s: %d runs", name, n)
		}
		if _, f := b.get(loc); !strings.Contains(f, "定期补助已运行：0 项支付了到期月份或已终止。") {
			t.Errorf("%s: no summary after the run: %s", name, loc)
		}
	}
}

// financeRawKey is a catalogue key printed instead of its text.
var financeRawKey = regexp.MustCompile(`\b(web|gateway)\.[a-z_]+\.[a-z_.0-9]+`)

// TestFundPagesAgainstRealServices: finance and auditors read the funds
// without the form that opens one and are refused its POST; an officer is
// refused the page; the administrator's form proposes the first year
// without a fund, keeps what was typed with each problem by its field,
// says the service's refusal of a second fund of a year next to the year,
// and opens the 2027 fund with its appropriation in fen.
func TestFundPagesAgainstRealServices(t *testing.T) {
	w := newFinanceWorld(t)
	for _, name := range []string{"finance", "auditor"} {
		b := journeySignIn(t, w.gateway, name)
		st, page := b.get("/admin/funds")
		for _, want := range []string{"<strong>2026</strong>", "2026年度政法干警关爱帮扶资金", "¥3,000,000.00", `href="/finance?fund=` + w.fund + `"`} {
			if st != http.StatusOK || !strings.Contains(page, want) {
				t.Errorf("%s's funds = %d, lack %q: %s", name, st, want, snippet(page))
			}
		}
		if strings.Contains(page, `action="/admin/funds"`) {
			t.Errorf("%s is offered the form that opens a fund", name)
		}
		if k := financeRawKey.FindString(page); k != "" {
			t.Errorf("%s's funds show the raw key %q", name, k)
		}
		if st, _, _ := b.post("/admin/funds", url.Values{"fiscal_year": {"2027"}, "name": {"x"}, "appropriation": {"1"}}); st != http.StatusForbidden {
			t.Errorf("%s POST /admin/funds = %d", name, st)
		}
	}
	if st, _ := journeySignIn(t, w.gateway, "officer").get("/admin/funds"); st != http.StatusForbidden {
		t.Errorf("officer on the funds = %d", st)
	}

	a := journeySignIn(t, w.gateway, "admin")
	funds := func() []any {
		t.Helper()
		items, _ := w.call(t, w.admin, "GET", "/api/v1/grants/funds", nil, 200)["items"].([]any)
		return items
	}
	want := func(name string, st int, body string, wantSt int, wants ...string) {
		t.Helper()
		if st != wantSt {
			t.Errorf("%s = %d, want %d: %s", name, st, wantSt, snippet(body))
		}
		for _, s := range wants {
			if !strings.Contains(body, s) {
				t.Errorf("%s lacks %q", name, s)
			}
		}
		if k := financeRawKey.FindString(body); k != "" {
			t.Errorf("%s shows the raw key %q", name, k)
		}
	}
	st, page := a.get("/admin/funds")
	want("admin's funds", st, page, http.StatusOK, `action="/admin/funds"`, `id="fiscal_year" name="fiscal_year" type="text" autocomplete="off" inputmode="numeric" value="2027"`)
	st, _, body := a.post("/admin/funds", url.Values{"fiscal_year": {"两千"}, "name": {""}, "appropriation": {"12.345"}})
	want("fund with bad fields", st, body, http.StatusUnprocessableEntity,
		`id="fiscal_year-error"`, `id="name-error"`, `id="appropriation-error"`, `value="两千"`, `value="12.345"`, i18n.T(i18n.ZH, "field.money"))
	st, _, body = a.post("/admin/funds", url.Values{"fiscal_year": {"2026"}, "name": {"又一笔"}, "appropriation": {"100"}})
	want("second fund of 2026", st, body, http.StatusConflict, `id="fiscal_year-error"`, "该年度的资金已存在", `value="又一笔"`)
	if n := len(funds()); n != 1 {
		t.Fatalf("refused forms opened funds: %d", n)
	}
	st, loc, body := a.post("/admin/funds", url.Values{"fiscal_year": {"2027"}, "name": {"2027年度资金"}, "appropriation": {"3,000,000.50"}})
	if st != http.StatusSeeOther || loc != "/admin/funds?m=created" {
		t.Fatalf("fund = %d %s %s", st, loc, snippet(body))
	}
	opened := false
	for _, f := range funds() {
		m := f.(map[string]any)
		opened = opened || (m["fiscal_year"] == float64(2027) && m["name"] == "2027年度资金" && m["appropriation"] == float64(300000050))
	}
	if !opened || len(funds()) != 2 {
		t.Errorf("funds %v, want the 2027 one with its appropriation in fen", funds())
	}
	st, page = a.get(loc)
	want("after the fund", st, page, http.StatusOK, i18n.T(i18n.ZH, "web.funds.created"), "2027年度资金")
	a.post("/lang", url.Values{"lang": {"en"}, "next": {"/admin/funds"}})
	st, page = a.get("/admin/funds")
	want("funds in English", st, page, http.StatusOK, i18n.T(i18n.EN, "web.funds.title"))
}
