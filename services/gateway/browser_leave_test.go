package gateway_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway"
)

// Browser journeys of issue 11 on the leave side, in Chromium on a phone
// against the real services: the approver's leave approval and finance's
// wage import for the unused-leave compensation.

// seedLeaveApprover adds an approver of the county's unit (the demo
// approvers of the shared journeys have no unit, so they see no leave).
func seedLeaveApprover(t *testing.T, s *realSystem) {
	t.Helper()
	u := gateway.DemoUser{Username: "leaveapprover", DisplayName: "陈书记", Roles: []auth.Role{auth.RoleApprover}, Units: []string{s.unit},
		Password: journeyPassword("leaveapprover")}
	if _, err := gateway.SeedUsers(context.Background(), s.env.Deps, gateway.Config{}, []gateway.DemoUser{u}); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserLeaveApproval: a 7-working-day request needs the unit head
// and then an approver. While it is with the unit head the approver is
// offered nothing on it (the service would refuse); once it reaches them,
// they see approve and reject and the member's balance the way the
// officer sees it, and approving it works.
func TestBrowserLeaveApproval(t *testing.T) {
	s := startRealSystem(t)
	seedLeaveApprover(t, s)
	officer := auth.Identity{UserID: "u-officer", MemberID: s.member, Name: "张伟", Roles: []auth.Role{auth.RoleOfficer}, Units: []string{s.unit}}
	// 14–22 December 2026: 7 working days, above the unit head's 5.
	s.call(t, officer, "POST", "/api/v1/leave/requests", map[string]any{"from": "2026-12-14", "to": "2026-12-22", "reason": "回老家探亲"}, 201)
	b := newTab(t, s.gateway)

	b.signIn("leaveapprover")
	b.open("/approvals")
	if n := b.count("#leave-approvals form[action^='/approvals/leave/']"); n != 0 {
		t.Errorf("the approver is offered %d steps on a request still with the unit head", n)
	}
	if got := b.text("#leave-elsewhere"); !strings.Contains(got, "另有 1 项") {
		t.Errorf("the queue does not say a request waits at another step: %q", got)
	}
	b.screenshot("leave-approver-nothing-yet")
	b.signOut()

	b.signIn("unithead")
	b.open("/approvals")
	b.do(
		chromedp.Click(chromedp.CSS("#leave-approvals form[action$='/approve'] button")),
		chromedp.WaitVisible(chromedp.CSS(freshFlash)),
	)
	b.signOut()

	b.signIn("officer")
	b.open("/leave")
	own := b.text("#balance dl.leave-balance")
	b.signOut()

	b.signIn("leaveapprover")
	b.open("/approvals")
	if n := b.count("#leave-approvals form[action$='/approve']"); n != 1 {
		t.Fatalf("the approver is offered %d approvals, want the one now with them", n)
	}
	if n := b.count("#leave-approvals form[action$='/reject']"); n != 1 {
		t.Errorf("the approver cannot reject the request with them")
	}
	theirs := b.text("#leave-approvals dl.leave-balance")
	// The same four lines; only the pending line adds that it includes
	// this request.
	for _, label := range []string{"web.leave.entitled", "web.leave.taken", "web.leave.available"} {
		if line(own, i18n.T(i18n.ZH, label)) != line(theirs, i18n.T(i18n.ZH, label)) {
			t.Errorf("%s: the officer sees %q, the approver %q", label, line(own, i18n.T(i18n.ZH, label)), line(theirs, i18n.T(i18n.ZH, label)))
		}
	}
	if !strings.Contains(theirs, "含本申请 7 天") {
		t.Errorf("the approver's balance does not say the request's days are held: %q", theirs)
	}
	b.screenshot("leave-approver-sees-their-step")
	b.do(
		chromedp.Click(chromedp.CSS("#leave-approvals form[action$='/approve'] button")),
		chromedp.WaitVisible(chromedp.CSS(freshFlash)),
	)
	if n := b.count("#leave-approvals form[action$='/approve']"); n != 0 {
		t.Errorf("the approved request is still offered")
	}
	b.signOut()

	b.signIn("officer")
	b.open("/leave")
	if got := b.text("#requests"); !strings.Contains(got, i18n.T(i18n.ZH, "web.leave.status.approved")) {
		t.Errorf("the officer's request is not approved: %q", got)
	}
	b.screenshot("leave-officer-approved")
}

// line is the text following label in a definition list's innerText
// ("label\tvalue" or "label\nvalue").
func line(text, label string) string {
	i := strings.Index(text, label)
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(text[i+len(label):], " \t\n")
	if j := strings.IndexAny(rest, "\n"); j >= 0 {
		rest = rest[:j]
	}
	return strings.TrimSpace(rest)
}

// TestBrowserWageImport: finance finds two people without wage data,
// uploads a wage file, reads the dry run's problem by row and column,
// fixes the file and imports it; the report then lists names, units and
// amounts, a page at a time.
func TestBrowserWageImport(t *testing.T) {
	s := startRealSystem(t)
	b := newTab(t, s.gateway)
	b.signIn("finance")
	b.open("/finance/compensation?year=2026")
	if got := b.text("#missing-pay h2"); !strings.Contains(got, "2 人") {
		t.Fatalf("the report does not summarise the two without wage data: %q", got)
	}
	if n := b.count("#missing-pay form"); n != 1 {
		t.Errorf("the report shows %d pay forms for those without wage data, want one", n)
	}
	b.screenshot("wages-missing-summary")
	b.do(chromedp.Click(chromedp.CSS("#wage-import")), chromedp.WaitVisible(chromedp.CSS("#file")))

	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	head := "人员编号,姓名,单位,全年工资收入（元）\n"
	bad := write("工资表.csv", head+s.member+",张伟,县公安局,十万\n"+s.fallen+",王强,县公安局,98000\n")
	b.do(
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{bad}),
		chromedp.Click(chromedp.CSS("#check-file")),
		chromedp.WaitVisible(chromedp.CSS("#problems")),
	)
	problems := b.text("#problems tbody")
	if !strings.Contains(problems, "2") || !strings.Contains(problems, "全年工资收入（元）") || !strings.Contains(problems, i18n.T(i18n.ZH, "field.money")) {
		t.Errorf("the dry run does not name row 2's annual pay: %q", problems)
	}
	if b.count("#confirm-import") != 0 {
		t.Error("a file with a problem can be imported")
	}
	b.screenshot("wages-dry-run-problem")

	good := write("工资表.csv", head+s.member+",张伟,县公安局,104400\n"+s.fallen+",王强,县公安局,98000\n")
	b.do(
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{good}),
		chromedp.Click(chromedp.CSS("#check-file")),
		chromedp.WaitVisible(chromedp.CSS("#confirm-import")),
	)
	if got := b.text("#preview-summary"); !strings.Contains(got, "可新增 2 人") {
		t.Errorf("the clean dry run says %q", got)
	}
	b.do(chromedp.Click(chromedp.CSS("#confirm-import")), chromedp.WaitVisible(chromedp.CSS("#imported")))
	if got := b.text("#imported"); !strings.Contains(got, "新增 2 人") {
		t.Errorf("the import notice says %q", got)
	}
	if b.count("#missing-pay") != 0 {
		t.Error("the report still lists people without wage data")
	}
	table := b.text("#compensation tbody")
	for _, want := range []string{"张伟", "王强", "县公安局", "400.00"} {
		if !strings.Contains(table, want) {
			t.Errorf("the report lacks %q: %q", want, table)
		}
	}
	if strings.Contains(table, s.member) {
		t.Errorf("the report shows the member's id: %q", table)
	}
	b.screenshot("wages-imported-report")

	// A page at a time: one line a page here.
	b.open("/finance/compensation?year=2026&limit=1")
	first := b.text("#compensation tbody")
	b.do(chromedp.Click(chromedp.CSS("#next-page")), chromedp.WaitVisible(chromedp.CSS("#first-page")))
	second := b.text("#compensation tbody")
	if first == second || !strings.Contains(first+second, "张伟") || !strings.Contains(first+second, "王强") {
		t.Errorf("the pages show %q then %q", first, second)
	}
	if got := b.text("#pager"); !strings.Contains(got, "共 2 人") {
		t.Errorf("the pager says %q", got)
	}
	b.screenshot("wages-report-page-2")
}

// TestBrowserNextYearLeave: with no 2027 calendar yet, the administrator
// sees that 2027 is counted provisionally, previews the holiday notice
// file (a problem by its line, nothing saved), fixes and saves it; before
// that, the officer's quote for January 2027 warns it is provisional.
func TestBrowserNextYearLeave(t *testing.T) {
	s := startRealSystem(t)
	b := newTab(t, s.gateway)

	b.signIn("officer")
	b.open("/leave")
	b.do(
		chromedp.SetValue(chromedp.CSS("#from"), "2027-01-04"),
		chromedp.SetValue(chromedp.CSS("#to"), "2027-01-05"),
		chromedp.Click(chromedp.CSS("button[name=quote]")),
		chromedp.WaitVisible(chromedp.CSS("#quote-provisional")),
	)
	if got := b.text("#quote-provisional"); !strings.Contains(got, "2027 年") || strings.Contains(got, "%!") || !strings.Contains(got, "系统管理员") {
		t.Errorf("the provisional warning says %q", got)
	}
	// 2027's entitlement is projected until the rollover books it, and the
	// quote says so instead of comparing with an empty 2027.
	if got := b.text("#quote-projected"); !strings.Contains(got, "预计") || !strings.Contains(got, "2027 年") {
		t.Errorf("the projected-balance note says %q", got)
	}
	if got := b.text("#quote"); !strings.Contains(got, "提交后可用 8 天") {
		t.Errorf("the quote says %q, want 8 of the projected 10 days left", got)
	}
	b.screenshot("next-year-quote-provisional")
	b.signOut()

	b.signIn("admin")
	b.open("/admin/calendar?year=2027")
	if got := b.text("#calendar-provisional"); !strings.Contains(got, "临时日历") {
		t.Errorf("the calendar page does not say 2027 is provisional: %q", got)
	}
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("2027放假安排.csv", "日期,类型,名称\n2027-01-01,放假,元旦\n2027-02-06~2027-02-12,放假,春节\n2027-02-15,上班,春节调休\n")
	b.do(
		chromedp.SetUploadFiles(chromedp.CSS("#notice"), []string{bad}),
		chromedp.Click(chromedp.CSS("#notice-check")),
		chromedp.WaitVisible(chromedp.CSS("#notice-problems")),
	)
	if got := b.text("#notice-problems tbody"); !strings.Contains(got, "4") || !strings.Contains(got, "2027-02-15") {
		t.Errorf("the preview does not name line 4: %q", got)
	}
	if b.count("#notice-save") != 0 || b.count("#calendar-provisional") != 1 {
		t.Error("a notice with a problem can be saved, or was")
	}
	b.screenshot("next-year-notice-problem")
	good := write("2027放假安排.csv", "日期,类型,名称\n2027-01-01,放假,元旦\n2027-02-06~2027-02-12,放假,春节\n2027-02-14,上班,春节调休\n")
	b.do(
		chromedp.SetUploadFiles(chromedp.CSS("#notice"), []string{good}),
		chromedp.Click(chromedp.CSS("#notice-check")),
		chromedp.WaitVisible(chromedp.CSS("#notice-save")),
	)
	if got := b.text("#notice-off"); !strings.Contains(got, "2027-02-08") {
		t.Errorf("the preview's days off: %q", got)
	}
	b.screenshot("next-year-notice-preview")
	b.do(chromedp.Click(chromedp.CSS("#notice-save")), chromedp.WaitVisible(chromedp.CSS("#calendar")))
	if got := b.text("#calendar-summary"); !strings.Contains(got, "256") {
		t.Errorf("the saved calendar says %q", got)
	}
	if b.count("#calendar-provisional") != 0 {
		t.Error("the saved year is still shown as provisional")
	}
	b.screenshot("next-year-calendar-saved")
}
