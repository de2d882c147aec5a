package gateway_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/xuri/excelize/v2"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/money"
)

// Browser journeys of issue 7 in Debian's Chromium, headless, on a
// phone-sized window, against the real services: enrollment, injury,
// grants and leave each built with New on its own schema with its relay,
// consumers and workers running, behind the real gateway. What the pages
// show is what the services answered. When Chromium cannot be started the
// test fails and says why: a browser test that skips proves nothing.

// TestBrowserJourneysAgainstRealServices runs journeys 1–5 of issue 7 in
// one county, one after the other, each ending with an assertion on what
// the page shows and a screenshot of that page.
func TestBrowserJourneysAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	b := newTab(t, s.gateway)

	var casePath string
	t.Run("1 officer reports an injury on a phone and sees its clocks", func(t *testing.T) {
		b.t = t
		start := time.Now()
		b.signIn("officer")
		b.open("/injury/report")
		b.do(
			chromedp.SendKeys(chromedp.CSS("#place"), "城关派出所门口"),
			chromedp.SendKeys(chromedp.CSS("#description"), "巡逻时摔伤右腿"),
			chromedp.Click(chromedp.CSS("form[action='/injury/report'] button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#clocks")),
		)
		if elapsed := time.Since(start); elapsed > time.Minute {
			t.Errorf("reporting took %v, over a minute", elapsed)
		}
		if got := b.text("h1"); !strings.Contains(got, "GC-2026-") {
			t.Fatalf("case page heading %q", got)
		}
		if got := b.text("#clocks"); got == "" {
			t.Fatal("the case shows no clocks")
		}
		casePath = strings.TrimPrefix(strings.SplitN(b.location(), "?", 2)[0], s.gateway)
		b.screenshot("1-injury-reported")
		b.signOut()
	})

	t.Run("2 caseworker moves the case on and the officer sees the new state", func(t *testing.T) {
		b.t = t
		if casePath == "" {
			t.Fatal("journey 1 opened no case")
		}
		number := ""
		b.signIn("caseworker")
		b.open("/work/queue")
		queue := b.text("#queue")
		if !strings.Contains(queue, "GC-2026-") {
			t.Fatalf("queue %q lacks the case", queue)
		}
		if !strings.Contains(queue, "县公安局") || strings.Contains(queue, s.unit) {
			t.Fatalf("queue %q shows the unit's id instead of its name", queue)
		}
		b.open(casePath)
		number = b.text("h1")
		b.do(
			chromedp.Click(chromedp.CSS("details.action:has(form[action$='/actions/confirm_handoff']) summary")),
			chromedp.SendKeys(chromedp.CSS("#confirm_handoff-hospital"), "县人民医院"),
			chromedp.Click(chromedp.CSS("form[action$='/actions/confirm_handoff'] button")),
			chromedp.WaitVisible(chromedp.CSS(freshFlash)),
		)
		b.signOut()

		b.signIn("officer")
		b.open(casePath)
		want := i18n.T(i18n.ZH, "injury.state.treatment")
		if got := b.text("#case-state"); got != want {
			t.Errorf("officer sees state %q on %s, want %q", got, number, want)
		}
		if got := b.text("dl.facts"); !strings.Contains(got, "县人民医院") {
			t.Errorf("officer does not see the hospital the caseworker recorded: %q", got)
		}
		b.screenshot("2-injury-moved-on")
		b.signOut()
	})

	t.Run("caseworker comments on the case and uploads a photo; the officer sees both", func(t *testing.T) {
		b.t = t
		if casePath == "" {
			t.Fatal("journey 1 opened no case")
		}
		photo := filepath.Join(t.TempDir(), "伤情照片.png")
		if err := os.WriteFile(photo, onePixelPNG(t), 0o600); err != nil {
			t.Fatal(err)
		}
		b.signIn("caseworker")
		b.open(casePath)
		b.do(
			chromedp.Click(chromedp.CSS("form[action$='/comments'] button")),
			chromedp.WaitVisible(chromedp.CSS("#comment-error")),
		)
		b.do(
			chromedp.SendKeys(chromedp.CSS("#comment"), "已联系家属，明日到医院探望"),
			chromedp.Click(chromedp.CSS("form[action$='/comments'] button")),
			chromedp.WaitVisible(chromedp.CSS(freshFlash)),
		)
		notAnImage := filepath.Join(t.TempDir(), "说明.png")
		if err := os.WriteFile(notAnImage, []byte("这不是图片"), 0o600); err != nil {
			t.Fatal(err)
		}
		b.do(
			chromedp.SetValue(chromedp.CSS("#document_kind"), "photo"),
			chromedp.SetUploadFiles(chromedp.CSS("#document"), []string{notAnImage}),
			chromedp.Click(chromedp.CSS("form[action$='/documents'] button")),
			chromedp.WaitVisible(chromedp.CSS("#document-error")),
		)
		if got := b.text("#document-error"); got == "" || b.count("#document-list") != 0 {
			t.Errorf("a file that is no image was not refused next to the file field: %q", got)
		}
		b.do(
			chromedp.SetValue(chromedp.CSS("#document_kind"), "photo"),
			chromedp.SetUploadFiles(chromedp.CSS("#document"), []string{photo}),
			chromedp.Click(chromedp.CSS("form[action$='/documents'] button")),
			chromedp.WaitVisible(chromedp.CSS("#document-list")),
		)
		href, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.CSS("#document-list a"), "href"))
		if err != nil {
			t.Fatal(err)
		}
		b.signOut()

		b.signIn("officer")
		b.open(casePath)
		if got := b.text("#timeline"); !strings.Contains(got, "已联系家属，明日到医院探望") {
			t.Errorf("the officer's timeline lacks the comment: %q", got)
		}
		if got := b.text("#document-list"); !strings.Contains(got, i18n.T(i18n.ZH, "web.injury.document_kind.photo")) {
			t.Errorf("the officer's documents %q lack the photo", got)
		}
		req, _ := http.NewRequest(http.MethodGet, s.gateway+href.Value, nil)
		req.AddCookie(b.sessionCookie())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		got, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !bytes.Equal(got, onePixelPNG(t)) {
			t.Errorf("download = %d, %d bytes, want the uploaded photo", resp.StatusCode, len(got))
		}
		if cd := resp.Header.Get("Content-Disposition"); !regexp.MustCompile(`^attachment; filename="photo-[0-9a-f-]+\.png"$`).MatchString(cd) {
			t.Errorf("Content-Disposition %q", cd)
		}
		b.screenshot("case-comment-and-document")
		b.signOut()
	})

	t.Run("caseworker calculates the benefits; the officer reads them line by line", func(t *testing.T) {
		b.t = t
		if casePath == "" {
			t.Fatal("journey 1 opened no case")
		}
		admin := auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
		s.call(t, admin, "PUT", "/api/v1/injury/parameters/regional_average_monthly_wage/2026-01-01", map[string]any{"value_fen": 700000}, 200)
		b.signIn("caseworker")
		b.open(casePath)
		b.do(
			chromedp.Click(chromedp.CSS("#calculations details.action summary")),
			chromedp.SendKeys(chromedp.CSS("#calc-wages"), "8000 八千"),
			chromedp.SendKeys(chromedp.CSS("#calc-grade"), "7"),
			chromedp.Click(chromedp.CSS("form[action$='/calculations'] button")),
			chromedp.WaitVisible(chromedp.CSS("#calc-wages-error")),
		)
		b.do(
			chromedp.SetValue(chromedp.CSS("#calc-wages"), "8000, 8000\n8000"),
			chromedp.Click(chromedp.CSS("form[action$='/calculations'] button")),
			chromedp.WaitVisible(chromedp.CSS("#calculation")),
		)
		b.signOut()
		b.signIn("officer")
		b.open(casePath)
		if got := b.text("#calc-own_wage"); got != "¥8,000.00" {
			t.Errorf("own wage %q, want ¥8,000.00", got)
		}
		if got := b.text("#calc-one_time_subsidy"); got != "¥104,000.00" {
			t.Errorf("grade 7 subsidy %q, want 13 months of ¥8,000.00", got)
		}
		if b.count("form[action$='/calculations']") != 0 {
			t.Error("the officer is offered the calculation form")
		}
		b.screenshot("case-calculation")
		b.signOut()
	})

	t.Run("3 family applies; review, two approvals and payment by four users; applicant sees paid", func(t *testing.T) {
		b.t = t
		b.signIn("family")
		b.open("/grants/apply")
		b.do(
			// the programme first: its own questions follow
			chromedp.SetValue(chromedp.CSS("#program"), s.program),
			chromedp.Click(chromedp.CSS("#choose")),
			chromedp.WaitVisible(chromedp.CSS("#requested_amount")),
			chromedp.SendKeys(chromedp.CSS("#requested_amount"), "15000"),
			chromedp.SendKeys(chromedp.CSS("#income_per_capita"), "1500"),
			chromedp.SendKeys(chromedp.CSS("#documents"), "家庭收入证明"),
			chromedp.Click(chromedp.CSS("form[action='/grants/apply'] button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#app-state")),
		)
		appPath := strings.TrimPrefix(strings.SplitN(b.location(), "?", 2)[0], s.gateway)
		if !strings.HasPrefix(appPath, "/grants/applications/") {
			t.Fatalf("after applying the family is on %s: %q", appPath, b.text("main"))
		}
		b.signOut()
		given := 0
		for _, st := range []struct{ who, step string }{{"caseworker", "review"}, {"approver1", "approve"}, {"approver2", "approve"}, {"finance", "disburse"}} {
			b.signIn(st.who)
			if st.step == "approve" {
				// The queue shows the amount against the budget left, the
				// approvals given and needed, and what was checked.
				b.open("/approvals")
				got := b.text("#grant-approvals")
				for _, want := range []string{"¥15,000.00", i18n.T(i18n.ZH, "web.review.remaining"), i18n.T(i18n.ZH, "web.review.approvals_n", given, 2),
					i18n.T(i18n.ZH, "web.review.eligible"), i18n.T(i18n.ZH, "web.review.documents_complete"), "王经办"} {
					if !strings.Contains(got, want) {
						t.Errorf("%s's approval queue lacks %q: %q", st.who, want, got)
					}
				}
				if given == 1 {
					b.screenshot("3-approval-queue")
				}
				given++
			}
			b.open(appPath)
			b.do(
				chromedp.Click(chromedp.CSS("form[action$='/"+st.step+"'] button")),
				chromedp.WaitVisible(chromedp.CSS(freshFlash)),
			)
			b.signOut()
		}
		b.signIn("family")
		b.open(appPath)
		if got, want := b.text("#app-state"), i18n.T(i18n.ZH, "grants.state.disbursed"); got != want {
			t.Errorf("applicant sees %q, want %q", got, want)
		}
		if got := b.text("#amount"); !strings.Contains(got, "15,000") {
			t.Errorf("applicant sees amount %q, want 15,000", got)
		}
		b.screenshot("3-grant-paid")
		b.signOut()
	})

	t.Run("4 finance exports the ledger as XLSX whose totals match the trial balance", func(t *testing.T) {
		b.t = t
		b.signIn("finance")
		b.open("/finance")
		pageDebit := b.text("#total-debit")
		// An end before the start is refused next to the field, the
		// dates as typed.
		b.do(
			chromedp.SetValue(chromedp.CSS("#from"), "2026-06-30"),
			chromedp.SetValue(chromedp.CSS("#to"), "2026-01-01"),
			chromedp.Click(chromedp.CSS("form[action='/finance/exports'] button")),
			chromedp.WaitVisible(chromedp.CSS("#to-error")),
		)
		if b.value("#from") != "2026-06-30" || b.value("#to") != "2026-01-01" {
			t.Errorf("the refused export form holds %q–%q, not what was typed", b.value("#from"), b.value("#to"))
		}
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
		if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="ledger_2026-01-01_2026-12-31.xlsx"; filename*=UTF-8''`) {
			t.Errorf("Content-Disposition %q", cd)
		}
		x, err := excelize.OpenReader(resp.Body)
		if err != nil {
			t.Fatalf("open the XLSX: %v", err)
		}
		defer x.Close()
		rows, err := x.GetRows(x.GetSheetName(0), excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) < 3 {
			t.Fatalf("the ledger has %d rows, want the entries of the payment and a totals row", len(rows))
		}
		fileDebit, shown := sheetDebitTotal(t, rows), pageMoney(t, pageDebit)
		if fileDebit != shown || shown == 0 {
			t.Errorf("export debit total %v, trial balance page %v (want equal, not zero)", fileDebit, shown)
		}
		b.open("/finance/ledger")
		if got := b.text("main"); !strings.Contains(got, "1011 零余额账户用款额度") {
			t.Errorf("the ledger does not name its accounts: %q", got)
		}
		b.open("/finance")
		b.screenshot("4-finance-trial-balance")
		b.signOut()
	})

	t.Run("caseworker turns a death-on-duty notice into an application and dismisses the other", func(t *testing.T) {
		b.t = t
		cw := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
		s.call(t, cw, "POST", "/api/v1/enrollment/members/"+s.fallen+"/death", map[string]any{"date": "2026-11-20", "cause": "line_of_duty"}, 200, "If-Match", `"3"`)
		apptest.Eventually(t, 20*time.Second, "a martyr-family notice for each of the two dependants", func() bool {
			w := s.env.Do(t, s.h["grants"], &cw, "GET", "/api/v1/grants/notices", nil)
			var out struct {
				Items []map[string]any `json:"items"`
			}
			_ = json.Unmarshal(w.Body.Bytes(), &out)
			return w.Code == http.StatusOK && len(out.Items) == 2
		})
		b.signIn("caseworker")
		b.open("/work/notices")
		if n := b.count("#notices section.notice"); n != 2 {
			t.Fatalf("%d notices on the page, want 2: %s", n, b.pageText())
		}
		if got := b.text("#notices .notice-member"); got != "王强" {
			t.Errorf("the notice names the member %q, want 王强", got)
		}
		if got := b.text("#notices"); !strings.Contains(got, "李娜") || !strings.Contains(got, "王小明") {
			t.Errorf("the notices do not name both dependants: %q", got)
		}
		// Converting without choosing the applicant is refused by the
		// field; the choices are the accounts linked to the member.
		b.do(
			chromedp.Click(chromedp.CSS("#notices section.notice form[action$='/convert'] button")),
			chromedp.WaitVisible(chromedp.CSS("#notices .field-error")),
		)
		if got := b.text("#notices .field-error"); got != i18n.T(i18n.ZH, "web.grantnotice.applicant_required") {
			t.Errorf("converting without an applicant says %q", got)
		}
		if got := b.text("#notices section.notice fieldset"); !strings.Contains(got, "widow") || strings.Contains(got, "officer ·") {
			t.Errorf("the applicant choices are %q, want the widow's account and no unrelated one", got)
		}
		b.do(
			chromedp.Click(chromedp.Search(`(//section[contains(@class,"notice")])[1]//label[contains(., "widow")]/input`)),
			chromedp.Click(chromedp.CSS("#notices section.notice form[action$='/convert'] button")),
			chromedp.WaitVisible(chromedp.CSS("#app-state")),
		)
		if got := b.text("#app-state"); got != i18n.T(i18n.ZH, "grants.state.draft") {
			t.Errorf("the converted application is %q, want a draft", got)
		}
		b.open("/work/notices")
		if n := b.count("#notices section.notice"); n != 1 {
			t.Fatalf("%d open notices after converting one, want 1", n)
		}
		b.do(
			chromedp.Click(chromedp.CSS("#notices details.action summary")),
			chromedp.SendKeys(chromedp.CSS("#notices input[name=reason]"), "子女已由另一监护人申请"),
			chromedp.Click(chromedp.CSS("#notices form[action$='/dismiss'] button")),
			chromedp.WaitVisible(chromedp.CSS(freshFlash)),
		)
		if n := b.count("#notices section.notice"); n != 0 {
			t.Errorf("%d open notices after dismissing the last, want none", n)
		}
		b.open("/work/notices?state=converted")
		if n := b.count("#notices section.notice"); n != 1 {
			t.Errorf("%d converted notices, want 1", n)
		}
		b.screenshot("notices-converted")
		b.signOut()
	})

	t.Run("admin creates a programme with its allocation; a mistake shows next to its field", func(t *testing.T) {
		b.t = t
		b.signIn("admin")
		b.open("/admin/programs")
		b.do(
			chromedp.SetValue(chromedp.CSS("#fund_id"), s.fund),
			chromedp.SendKeys(chromedp.CSS("#name_zh"), "干警子女助学"),
			chromedp.SetValue(chromedp.CSS("#kind"), "children_education"),
			chromedp.SendKeys(chromedp.CSS("#allocation"), "十万"),
			chromedp.SetValue(chromedp.CSS("#rule"), "fixed"),
			chromedp.SendKeys(chromedp.CSS("#rule_amount"), "3000"),
			chromedp.Click(chromedp.CSS("form[action='/admin/programs'] button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#allocation-error")),
		)
		if b.count("#code-error") != 1 || b.value("#name_zh") != "干警子女助学" || b.value("#rule_amount") != "3000" {
			t.Fatalf("the refused form lost what was typed or has no error at the code: %s", b.pageText())
		}
		b.do(
			chromedp.SendKeys(chromedp.CSS("#code"), "education"),
			chromedp.SetValue(chromedp.CSS("#allocation"), "100000"),
			chromedp.Click(chromedp.CSS("form[action='/admin/programs'] button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(freshFlash)),
		)
		if got := b.text("#programs"); !strings.Contains(got, "干警子女助学") || !strings.Contains(got, "100,000.00") {
			t.Errorf("the programme list lacks the new programme and its allocation: %q", got)
		}
		admin := auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
		var found bool
		var id string
		for _, p := range s.call(t, admin, "GET", "/api/v1/grants/programs", nil, 200)["items"].([]any) {
			p := p.(map[string]any)
			if p["code"] == "education" {
				id = p["id"].(string)
				found = p["allocation"] == float64(10000000) && p["amount_rule"].(map[string]any)["fixed"] == float64(300000)
			}
		}
		if !found {
			t.Fatal("the grants service does not hold the programme as typed")
		}
		b.screenshot("admin-program-created")

		// The administrator changes it to amounts by disability grade and
		// closes it to new applications; a mistake keeps what was typed.
		b.open("/admin/programs/" + id)
		if got := b.value("#rule_amount"); got != "3000.00" {
			t.Errorf("the edit form shows the fixed amount as %q", got)
		}
		b.do(
			chromedp.SetValue(chromedp.CSS("#rule"), "by_grade"),
			chromedp.SendKeys(chromedp.CSS("#grade_1"), "50000"),
			chromedp.SendKeys(chromedp.CSS("#grade_2"), "4万"),
			chromedp.SetValue(chromedp.CSS("#allocation"), "90000"),
			chromedp.Click(chromedp.CSS("form[action^='/admin/programs/'] button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#grade_2-error")),
		)
		if b.value("#grade_1") != "50000" || b.value("#allocation") != "90000" || b.value("#rule") != "by_grade" {
			t.Fatalf("the refused edit lost what was typed: %s", b.pageText())
		}
		b.do(
			chromedp.SetValue(chromedp.CSS("#grade_2"), "40000"),
			chromedp.Click(chromedp.CSS("#active")),
			chromedp.Click(chromedp.CSS("form[action^='/admin/programs/'] button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(freshFlash)),
		)
		if got := b.text("#programs"); !strings.Contains(got, "90,000.00") || !strings.Contains(got, i18n.T(i18n.ZH, "web.programs.inactive")) {
			t.Errorf("the list does not show the new allocation and the programme closed: %q", got)
		}
		p := s.call(t, admin, "GET", "/api/v1/grants/programs/"+id, nil, 200)
		rule := p["amount_rule"].(map[string]any)
		if rule["kind"] != "by_grade" || rule["by_grade"].([]any)[0] != float64(5000000) || rule["by_grade"].([]any)[1] != float64(4000000) ||
			p["active"] != false || p["allocation"] != float64(9000000) || p["code"] != "education" {
			t.Errorf("the grants service holds %v", p)
		}

		// Someone else saves in between: the page shows their version and
		// says so instead of overwriting it.
		b.open("/admin/programs/" + id)
		s.call(t, admin, "PUT", "/api/v1/grants/programs/"+id, map[string]any{"name_zh": "干警子女助学金", "name_en": "Children's education",
			"allocation": 9000000, "amount_rule": rule, "required_documents": []string{}, "dual_approval_above": 0, "recurring": false, "active": false},
			200, "If-Match", fmt.Sprintf(`"%v"`, p["version"]))
		b.do(
			chromedp.SetValue(chromedp.CSS("#name_zh"), "子女助学（旧页面）"),
			chromedp.Click(chromedp.CSS("form[action^='/admin/programs/'] button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(".error-summary")),
		)
		if got := b.text(".error-summary"); !strings.Contains(got, i18n.T(i18n.ZH, "web.programs.changed")) || b.value("#name_zh") != "干警子女助学金" {
			t.Errorf("a concurrent change was not reported with the fresh version: %q, name %q", got, b.value("#name_zh"))
		}
		b.screenshot("admin-program-edited")
		b.signOut()
	})

	t.Run("finance reads the unused-leave compensation and downloads it; admin closes the past leave year", func(t *testing.T) {
		b.t = t
		fin := auth.Identity{UserID: "u-seed-fin", Name: "财务", Roles: []auth.Role{auth.RoleFinance}, Units: []string{s.unit}}
		s.call(t, fin, "PUT", "/api/v1/leave/members/"+s.member+"/pay/2026", map[string]any{"annual_pay": "120000.00"}, 200)
		b.signIn("finance")
		b.open("/finance/compensation?year=2026")
		if got := b.text("#compensation tbody"); !strings.Contains(got, "县公安局") || !strings.Contains(got, "张伟") {
			t.Fatalf("the report lacks the officer's name or unit: %q", got)
		}
		if got := b.text("#unit option[value='" + s.unit + "']"); got != "县公安局" {
			t.Errorf("the unit filter offers the unit as %q, not by its name", got)
		}
		// The filter is a plain GET form: what choosing the unit submits.
		b.open("/finance/compensation?year=2026&unit=" + s.unit)
		if got := b.text("#unit option:checked"); got != "县公安局" {
			t.Errorf("the unit filter shows %q, not the unit's name", got)
		}
		if got := b.text("#compensation tbody"); !strings.Contains(got, "张伟") {
			t.Errorf("the unit's report lacks its officer: %q", got)
		}
		pageTotal := b.text("#total-total")
		for _, format := range []string{"csv", "xlsx"} {
			href, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.CSS("#download-"+format), "href"))
			if err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest(http.MethodGet, s.gateway+href.Value, nil)
			req.AddCookie(b.sessionCookie())
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s download = %d: %s", format, resp.StatusCode, body)
			}
			if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="compensation-2026.`+format+`"` {
				t.Errorf("Content-Disposition %q", cd)
			}
			if format == "csv" && !bytes.Contains(body, []byte(pageTotal)) {
				t.Errorf("the CSV lacks the page's total %s", pageTotal)
			}
			if format == "xlsx" {
				x, err := excelize.OpenReader(bytes.NewReader(body))
				if err != nil {
					t.Fatalf("open the XLSX: %v", err)
				}
				rows, err := x.GetRows(x.GetSheetName(0), excelize.Options{RawCellValue: true})
				_ = x.Close()
				if err != nil || len(rows) < 3 {
					t.Fatalf("the XLSX has %d rows (%v), want a heading, the officer and totals", len(rows), err)
				}
				last := rows[len(rows)-1]
				if got := last[len(last)-1]; pageMoney(t, got) != pageMoney(t, pageTotal) {
					t.Errorf("the XLSX total %q differs from the page's %q", got, pageTotal)
				}
			}
		}
		b.screenshot("leave-compensation")
		b.signOut()

		b.signIn("admin")
		b.open("/admin/leave")
		b.do(
			chromedp.SetValue(chromedp.CSS("#year"), "去年"),
			chromedp.Click(chromedp.CSS("form[action='/admin/leave/rollover'] button")),
			chromedp.WaitVisible(chromedp.CSS("#year-error")),
		)
		if got := b.value("#year"); got != "去年" {
			t.Errorf("the refused form holds %q, not what was typed", got)
		}
		b.do(
			chromedp.SetValue(chromedp.CSS("#year"), "2025"),
			chromedp.Click(chromedp.CSS("form[action='/admin/leave/rollover'] button")),
			chromedp.WaitVisible(chromedp.CSS("#confirm")),
		)
		// The rollover asks first, naming the year and who it closes.
		if got := b.text("#confirm"); !strings.Contains(got, "2025") {
			t.Errorf("the confirmation does not name the year: %q", got)
		}
		b.do(
			chromedp.Click(chromedp.CSS("#confirm button.primary")),
			chromedp.WaitVisible(chromedp.CSS(freshFlash)),
		)
		if got, want := b.text("p.flash"), i18n.T(i18n.ZH, "web.leave_admin.rolled", 2025); got != want {
			t.Errorf("after the rollover the page says %q, want %q", got, want)
		}
		if got, want := b.text("#rollover-verdict"), i18n.T(i18n.ZH, "web.leave_admin.all_closed", 2025); got != want {
			t.Errorf("after the rollover the status says %q, want %q", got, want)
		}
		if closed, members := b.text("#rollover-closed"), b.text("#rollover-members"); closed == "0" || closed != members {
			t.Errorf("after the rollover %s of %s members are closed", closed, members)
		}
		b.screenshot("leave-rollover")
		b.signOut()
	})

	t.Run("admin sets a unit's recuperation places; the officer books a stay and cancels it", func(t *testing.T) {
		b.t = t
		admin := auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
		facility := s.call(t, admin, "POST", "/api/v1/leave/recuperation/facilities", map[string]any{"name": "县疗养院", "location": "温泉镇"}, 201)["id"].(string)
		s.call(t, admin, "POST", "/api/v1/leave/recuperation/facilities/"+facility+"/sessions", map[string]any{"from": "2026-12-07", "to": "2026-12-11", "capacity": 5}, 201)
		b.signIn("admin")
		b.open("/work/recuperation-quotas")
		b.do(
			chromedp.SetValue(chromedp.CSS("#unit"), s.unit),
			chromedp.SendKeys(chromedp.CSS("#places"), "-1"),
			chromedp.Click(chromedp.CSS("form[action='/work/recuperation-quotas'] button.primary")),
			chromedp.WaitVisible(chromedp.CSS("#places-error")),
		)
		if got := b.value("#unit"); got != s.unit {
			t.Errorf("the refused form holds unit %q, not what was typed", got)
		}
		b.do(
			chromedp.SetValue(chromedp.CSS("#places"), "2"),
			chromedp.Click(chromedp.CSS("form[action='/work/recuperation-quotas'] button.primary")),
			chromedp.WaitVisible(chromedp.CSS(freshFlash)),
		)
		if got := b.text("#quotas tbody"); !strings.Contains(got, "县公安局") || !strings.Contains(got, "2") {
			t.Errorf("the quotas do not show the unit's 2 places: %q", got)
		}
		b.signOut()

		b.signIn("officer")
		b.open("/care")
		b.do(
			chromedp.Click(chromedp.CSS("#sessions form[action$='/book'] button")),
			chromedp.WaitVisible(chromedp.CSS(freshFlash)),
		)
		if n := b.count("#my-stays form[action$='/cancel']"); n != 1 {
			t.Fatalf("%d stays to cancel after booking, want 1: %s", n, b.pageText())
		}
		// Cancelling asks first; the stay is cancelled on the second press.
		b.do(
			chromedp.Click(chromedp.CSS("#my-stays form[action$='/cancel'] button")),
			chromedp.WaitVisible(chromedp.CSS("#confirm")),
		)
		b.do(
			chromedp.Click(chromedp.CSS("#confirm button.primary")),
			chromedp.WaitNotPresent(chromedp.CSS("#my-stays form[action$='/cancel']")),
			chromedp.WaitVisible(chromedp.CSS(freshFlash)),
		)
		if got, want := b.text("p.flash"), i18n.T(i18n.ZH, "web.care.cancelled"); got != want {
			t.Errorf("after cancelling the page says %q, want %q", got, want)
		}
		if got, want := b.text("#my-stays"), i18n.T(i18n.ZH, "web.care.stay_status.cancelled"); !strings.Contains(got, want) || b.count("#my-stays form[action$='/cancel']") != 0 {
			t.Errorf("the stay is not shown cancelled: %q", got)
		}
		b.screenshot("recuperation-cancelled")

		// Booked again, the stay is cancelled by the unit's caseworker.
		b.open("/care")
		b.do(
			chromedp.Click(chromedp.CSS("#sessions form[action$='/book'] button")),
			chromedp.WaitVisible(chromedp.CSS("#my-stays form[action$='/cancel']")),
		)
		b.signOut()
		b.signIn("caseworker")
		b.open("/work/recuperation-quotas")
		if got := b.text("#unit-bookings"); !strings.Contains(got, "张伟") {
			t.Fatalf("the caseworker does not see the officer's booking by name: %q", got)
		}
		b.do(
			chromedp.Click(chromedp.CSS("#unit-bookings form[action$='/cancel'] button")),
			chromedp.WaitNotPresent(chromedp.CSS("#unit-bookings form[action$='/cancel']")),
			chromedp.WaitVisible(chromedp.CSS(freshFlash)),
		)
		b.screenshot("recuperation-cancelled-by-caseworker")
		b.signOut()
		b.signIn("officer")
		b.open("/care")
		if n := b.count("#my-stays form[action$='/cancel']"); n != 0 {
			t.Errorf("the officer still has %d stays to cancel after the caseworker cancelled", n)
		}
		b.signOut()
	})

	t.Run("5 switching to English changes the whole page; an error shows next to its field and the form keeps what was typed", func(t *testing.T) {
		b.t = t
		b.signIn("officer")
		b.open("/leave")
		if got := b.text("h1"); got != i18n.T(i18n.ZH, "web.leave.title") {
			t.Fatalf("the leave page starts as %q, want Chinese %q", got, i18n.T(i18n.ZH, "web.leave.title"))
		}
		b.do(
			chromedp.Click(chromedp.CSS("form[action='/lang'] button")),
			chromedp.WaitVisible(chromedp.CSS("html[lang='en'] #balance")),
		)
		if got := b.location(); !strings.HasPrefix(got, s.gateway+"/leave") {
			t.Errorf("switching language left the page for %s", got)
		}
		b.assertEnglish("after switching")
		b.do(
			chromedp.SetValue(chromedp.CSS("#from"), "2026-12-10"),
			chromedp.SetValue(chromedp.CSS("#to"), "2026-12-01"),
			chromedp.SendKeys(chromedp.CSS("#reason"), "visiting my parents"),
			chromedp.Click(chromedp.CSS("form[action='/leave/requests'] button.primary")),
			chromedp.WaitVisible(chromedp.CSS("#to-error")),
		)
		if got, want := b.text("#to-error"), i18n.T(i18n.EN, "leave.field.date_order"); !strings.Contains(got, want) {
			t.Errorf("the error next to the end date says %q, want %q", got, want)
		}
		if b.count(".field.has-error #to") != 1 || b.count(".field.has-error") != 1 {
			t.Errorf("the error is not next to the end date alone: %d fields marked", b.count(".field.has-error"))
		}
		for id, want := range map[string]string{"from": "2026-12-10", "to": "2026-12-01", "reason": "visiting my parents"} {
			if got := b.value("#" + id); got != want {
				t.Errorf("after the refusal #%s holds %q, want what was typed, %q", id, got, want)
			}
		}
		b.assertEnglish("with the refusal")
		if b.count("#requests li:not(.hint)") != 0 {
			t.Error("a refused request was filed")
		}
		b.screenshot("5-english-field-error")
		// Back to Chinese, so the account is left as the seed made it.
		b.do(
			chromedp.Click(chromedp.CSS("form[action='/lang'] button")),
			chromedp.WaitVisible(chromedp.CSS("html[lang='zh-CN'] #balance")),
		)
		b.signOut()
	})
}

// han is any Chinese character.
// han finds Chinese on an English page: Han characters and CJK
// punctuation (、，。（）：), which templates once hard-coded.
var han = regexp.MustCompile(`[\p{Han}\x{3000}-\x{303F}\x{FF01}-\x{FF1F}]+`)

// assertEnglish checks that the page is wholly in English: its language,
// its title, the navigation and the main content hold no Chinese (the
// signed-in person's own name, shown above the navigation, is data).
func (b *tab) assertEnglish(when string) {
	b.t.Helper()
	title, err := chromedp.Run(b.ctx, chromedp.Title())
	if err != nil {
		b.t.Fatal(err)
	}
	// A page with a refused form says so first ("Error: …").
	title = strings.TrimPrefix(title, i18n.T(i18n.EN, "web.form.error_prefix"))
	if !strings.HasPrefix(title, i18n.T(i18n.EN, "web.leave.title")) || han.MatchString(title) {
		b.t.Errorf("%s the title is %q", when, title)
	}
	for _, sel := range []string{"nav.nav ul", "main", "header .brand", "footer"} {
		if got := han.FindAllString(b.text(sel), -1); len(got) > 0 {
			b.t.Errorf("%s %s still shows Chinese %q: %s", when, sel, got, b.text(sel))
		}
	}
	for _, label := range []string{"from", "to", "reason"} {
		if got, want := b.text("label[for='"+label+"']"), i18n.T(i18n.EN, "web.leave."+label); !strings.HasPrefix(got, want) {
			b.t.Errorf("%s the label of %s is %q, want %q", when, label, got, want)
		}
	}
}

// onePixelPNG is a valid PNG image: the injury service decides the type
// of a document from its content.
func onePixelPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 1, 1))
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sheetDebitTotal reads the debit total of the export: the column headed
// by a debit title in the last row.
func sheetDebitTotal(t *testing.T, rows [][]string) money.Fen {
	t.Helper()
	col := -1
	for i, h := range rows[0] {
		if strings.Contains(strings.ToLower(h), "debit") || strings.Contains(h, "借") {
			col = i
			break
		}
	}
	if col < 0 {
		t.Fatalf("no debit column in the header %q", rows[0])
	}
	last := rows[len(rows)-1]
	if col >= len(last) {
		t.Fatalf("totals row %q has no debit", last)
	}
	fen, err := money.Parse(last[col])
	if err != nil {
		t.Fatalf("totals row %q: %v", last, err)
	}
	return fen
}

func pageMoney(t *testing.T, s string) money.Fen {
	t.Helper()
	fen, err := money.Parse(strings.NewReplacer("¥", "", ",", "", "元", "").Replace(strings.TrimSpace(s)))
	if err != nil {
		t.Fatalf("trial balance total %q: %v", s, err)
	}
	return fen
}
