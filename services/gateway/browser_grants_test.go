package gateway_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/anxin-welfare/anxin/pkg/i18n"
)

// Browser journeys of issue 11, grants and finance, in Debian's Chromium
// against the real services (startRealSystem): an officer applies to the
// hardship programme, whose form asks only its own questions; the
// approver reviews it — the declared income against the programme's line,
// the amount requested — and approves with a comment; finance reads the
// ledger with its 借/贷 column, the memo account 9101 positive on its
// debit side, the fund chart with its amounts and data table, and
// downloads the export named by what it holds, with the payee's name in
// full.
func TestBrowserGrantsReviewAndLedgerAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	// grants names the applicant from enrollment's member events: wait
	// for them (the spouse's registration is the newest)
	waitDependant(t, s, s.member, "刘敏")
	b := newTab(t, s.gateway)
	var appPath string

	t.Run("officer applies to the hardship programme, whose form asks only its questions", func(t *testing.T) {
		b.t = t
		b.signIn("officer")
		b.open("/grants/apply?program=" + s.program)
		if n := b.count("#grade, #cause, #event_date"); n != 0 {
			t.Errorf("the hardship form asks %d questions of injury or death", n)
		}
		b.do(
			chromedp.SendKeys(chromedp.CSS("#requested_amount"), "8000"),
			chromedp.SendKeys(chromedp.CSS("#income_per_capita"), "1800"),
			chromedp.Click(chromedp.CSS("input[name=doc][value='家庭收入证明']")),
		)
		b.screenshot("1-hardship-form")
		b.do(
			chromedp.Click(chromedp.CSS("form#grant-form button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#app-state")),
		)
		appPath = strings.TrimPrefix(strings.SplitN(b.location(), "?", 2)[0], s.gateway)
		if !strings.HasPrefix(appPath, "/grants/applications/") {
			t.Fatalf("after applying the officer is on %s: %s", appPath, b.pageText())
		}
		// until approval the amount is the amount asked for
		if got := b.text("#amount-label"); got != i18n.T(i18n.ZH, "web.grantux.requested") {
			t.Errorf("the amount is labelled %q right after submission", got)
		}
		if got := b.text("#amount"); got != "¥8,000.00" {
			t.Errorf("the amount reads %q", got)
		}
		// one name for who applies: the member as enrolled, not the account
		if got := b.text("#applicant"); got != "张伟" {
			t.Errorf("the applicant reads %q, want the member 张伟", got)
		}
		if got := b.text("ol.timeline"); !strings.Contains(got, "张伟 · ") || strings.Contains(got, "张警官") {
			t.Errorf("the history names the applicant otherwise: %q", got)
		}
		b.screenshot("2-applied")
		b.signOut()
	})
	if appPath == "" {
		t.Fatal("no application to review")
	}

	t.Run("caseworker sees the amount in the queue and reviews", func(t *testing.T) {
		b.t = t
		b.signIn("caseworker")
		b.open("/work/queue")
		if got := b.text("#grant-queue"); !strings.Contains(got, "¥8,000.00") || !strings.Contains(got, "张伟") {
			t.Errorf("the caseworker's grant queue reads %q", got)
		}
		b.open(appPath)
		b.do(chromedp.Click(chromedp.CSS("form[action$='/review'] button")), chromedp.WaitVisible(chromedp.CSS(freshFlash)))
		b.signOut()
	})

	comment := "家庭人均收入低于困难线，材料齐全，同意资助"
	t.Run("approver reads the declared income and the amount requested and approves with a comment", func(t *testing.T) {
		b.t = t
		b.signIn("approver1")
		b.open("/approvals")
		got := b.text("#grant-approvals")
		for _, want := range []string{i18n.T(i18n.ZH, "web.grantux.income"), "¥1,800.00", i18n.T(i18n.ZH, "web.grantux.income_line", "¥2,500.00"),
			i18n.T(i18n.ZH, "web.grantux.requested"), "¥8,000.00", "张*"} {
			if !strings.Contains(got, want) {
				t.Errorf("the approval queue lacks %q: %q", want, got)
			}
		}
		b.screenshot("3-approval-queue")
		b.open(appPath)
		if got := b.text("#review"); !strings.Contains(got, "¥1,800.00") || !strings.Contains(got, "¥2,500.00") {
			t.Errorf("the review lacks the income and its line: %q", got)
		}
		b.do(chromedp.SendKeys(chromedp.CSS("#comment"), comment))
		b.screenshot("4-approve-with-comment")
		b.do(
			chromedp.Click(chromedp.CSS("form[action$='/approve'] button")),
			chromedp.WaitVisible(chromedp.CSS(freshFlash)),
		)
		if got, want := b.text("#app-state"), i18n.T(i18n.ZH, "grants.state.approved"); got != want {
			t.Errorf("after one approval of ¥8,000 the state is %q, want %q", got, want)
		}
		if got := b.text("ol.timeline"); !strings.Contains(got, comment) || strings.Contains(got, "张警官") {
			t.Errorf("the history lacks the comment, or names the applicant by the account: %q", got)
		}
		if got := b.text("#amount-label"); got != i18n.T(i18n.ZH, "web.grants.amount") {
			t.Errorf("after approval the amount is labelled %q", got)
		}
		b.screenshot("5-approved")
		b.signOut()
	})

	t.Run("finance reads the ledger, the chart and the export with payees in full", func(t *testing.T) {
		b.t = t
		b.signIn("finance")
		b.open(appPath)
		if got := b.text("#applicant"); got != "张伟" {
			t.Errorf("finance reads the payee as %q, want in full", got)
		}
		b.open("/finance")
		// 9101 已承诺资助 on its normal (debit) side, positive
		row := b.text("#account-9101")
		if !strings.Contains(row, "借") || !strings.Contains(row, "¥8,000.00") || strings.Contains(row, "-") || strings.Contains(row, "−") {
			t.Errorf("9101 reads %q, want 借 ¥8,000.00", row)
		}
		if row := b.text("#account-9102"); !strings.Contains(row, "贷") || !strings.Contains(row, "¥8,000.00") {
			t.Errorf("9102 reads %q, want 贷 ¥8,000.00", row)
		}
		// the chart: an axis, amounts on the bars, and its numbers as a table
		if n := b.count("figure.chart .chart-axis text"); n != 5 {
			t.Errorf("the chart's axis has %d marks, want 5", n)
		}
		if got := b.svgText("figure.chart svg"); !strings.Contains(got, "已承诺未付 ¥8,000.00") || !strings.Contains(got, "¥1,000,000") {
			t.Errorf("the chart's bars do not say their amounts: %q", got)
		}
		table := b.text("#position-table")
		for _, want := range []string{"困难干警帮扶", "¥800,000.00", "¥8,000.00", "¥792,000.00"} {
			if !strings.Contains(table, want) {
				t.Errorf("the chart's table lacks %q: %q", want, table)
			}
		}
		b.screenshot("6-finance-position")
		b.open("/finance/ledger")
		if got := b.text("#ledger thead"); !strings.Contains(got, "借/贷") {
			t.Errorf("the ledger has no 借/贷 column: %q", got)
		}
		if n := b.count("#ledger td.side"); n == 0 {
			t.Error("the ledger's lines say no side")
		}
		b.screenshot("7-ledger")
		b.open("/finance")
		b.do(
			chromedp.SetValue(chromedp.CSS("#from"), "2026-01-01"),
			chromedp.SetValue(chromedp.CSS("#to"), "2026-12-31"),
			chromedp.SetValue(chromedp.CSS("#format"), "xlsx"),
			chromedp.Click(chromedp.CSS("form[action='/finance/exports'] button")),
			chromedp.WaitVisible(chromedp.CSS("#download")),
		)
		href, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.CSS("#download"), "href"))
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodGet, s.gateway+href.Value, nil)
		req.AddCookie(b.sessionCookie())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("download = %d", resp.StatusCode)
		}
		const wantCD = `attachment; filename="ledger_2026-01-01_2026-12-31.xlsx"; filename*=UTF-8''%E5%88%86%E7%B1%BB%E8%B4%A6_2026-01-01_2026-12-31.xlsx`
		if cd := resp.Header.Get("Content-Disposition"); cd != wantCD {
			t.Errorf("Content-Disposition %q, want %q", cd, wantCD)
		}
		x, err := excelize.OpenReader(resp.Body)
		if err != nil {
			t.Fatalf("open the XLSX: %v", err)
		}
		defer x.Close()
		rows, err := x.GetRows(x.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) < 2 || rows[0][9] != "收款人" {
			t.Fatalf("the export's headings %v", rows[0])
		}
		if !slices.ContainsFunc(rows, func(r []string) bool { return len(r) > 9 && r[9] == "张伟" }) {
			t.Errorf("no line of the export names the payee 张伟 in full: %v", rows)
		}
		b.signOut()
	})
}

// svgText is the text of an SVG element (which has no innerText).
func (b *tab) svgText(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[*string](fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? e.textContent : null })()`, sel)))
	if err != nil || s == nil {
		b.t.Fatalf("no %s on the page at %s: %v", sel, b.location(), err)
	}
	return strings.Join(strings.Fields(*s), " ")
}
