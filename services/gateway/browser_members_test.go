package gateway_test

import (
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/services/gateway/internal/browsertest"
)

// TestBrowserMembersAndAuditJourneys: in a phone-sized Chromium against the
// real services, a caseworker finds a member by identity number (the list
// shows units by name and its total, and pages), then an auditor reads the
// audit trail: names instead of ids, the sign-ins and failed sign-ins,
// filtered by a username and by an action's name, newest first, and the
// next page.
func TestBrowserMembersAndAuditJourneys(t *testing.T) {
	s := startRealSystem(t)
	// Fifty more officers in the unit, so the list has a second page.
	cw := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
	for i := range 50 {
		s.call(t, cw, "POST", "/api/v1/enrollment/members", map[string]any{
			"unit_id": s.unit, "name": fmt.Sprintf("辅警%02d", i), "category": "auxiliary_police", "post": map[string]any{"aux_duty": "duty"},
			"id_number": idcard.Generate("110105", time.Date(1995, 1, 1+i%28, 0, 0, 0, 0, time.UTC), 100+i, i%2 == 0), "hire_date": "2019-07-01",
		}, 201)
	}
	zhang := idcard.Generate("110105", time.Date(1985, 3, 4, 0, 0, 0, 0, time.UTC), 11, true)
	// The machine is shared: give the browser room beyond newTab's limit.
	b := &tab{t: t, ctx: browsertest.Start(t, 10*time.Minute), base: s.gateway}

	t.Run("caseworker searches members by identity number", func(t *testing.T) {
		b.t = t
		// A mistyped password first: the auditor will see it.
		b.open("/signin")
		b.do(
			chromedp.SendKeys(chromedp.CSS("#username"), "caseworker"),
			chromedp.SendKeys(chromedp.CSS("#password"), "not the password"),
			chromedp.Click(chromedp.CSS("form[action='/signin'] button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(".signin-failed")),
		)
		if got := b.text(".signin-failed"); !strings.Contains(got, "登录未成功") || strings.Contains(got, "请修改以下问题") {
			t.Errorf("failed sign-in reads %q", got)
		}
		if focused := b.text("*:focus"); !strings.Contains(focused, "登录未成功") {
			t.Errorf("the failure message does not have focus: %q", focused)
		}
		b.screenshot("members-0-signin-failed")
		b.signIn("caseworker")

		b.open("/work/members")
		if got := b.text("#members-total"); !strings.Contains(got, "共 52 人") || !strings.Contains(got, "第 1–50 人") {
			t.Errorf("total %q, want 52 members, 1–50 shown", got)
		}
		if got := b.text("#members tbody tr:first-child td.unit"); got != "县委政法委 / 县公安局" {
			t.Errorf("unit column %q", got)
		}
		if strings.Contains(b.text("#members"), s.unit) {
			t.Error("the list shows a unit id")
		}
		if n := b.count("#members tbody tr"); n != 50 {
			t.Errorf("first page has %d rows, want 50", n)
		}
		b.screenshot("members-1-list")
		b.do(chromedp.Click(chromedp.CSS("#members-next")), chromedp.WaitVisible(chromedp.CSS("#members-total[data-from='51']")))
		if got := b.text("#members-total"); !strings.Contains(got, "第 51–52 人") {
			t.Errorf("second page total %q", got)
		}
		if n := b.count("#members tbody tr"); n != 2 || b.count("#members-next") != 0 {
			t.Errorf("second page has %d rows and a next link %d", n, b.count("#members-next"))
		}

		// A malformed number is told apart from "nobody has it".
		b.open("/work/members")
		b.do(
			chromedp.SendKeys(chromedp.CSS("#id_number"), zhang[:12]),
			chromedp.Click(chromedp.CSS("form.filters button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#id_number-error")),
		)
		if got := b.text("#id_number-error"); !strings.Contains(got, "身份证号码应为18位") {
			t.Errorf("field message %q", got)
		}
		if got := b.text(".error-summary"); !strings.Contains(got, "身份证号码") {
			t.Errorf("summary %q does not name the field", got)
		}
		b.screenshot("members-2-bad-id-number")

		// The full number, typed with spaces as printed on the card.
		b.open("/work/members")
		b.do(
			chromedp.SendKeys(chromedp.CSS("#id_number"), zhang[:6]+" "+zhang[6:14]+" "+strings.ToLower(zhang[14:])),
			chromedp.Click(chromedp.CSS("form.filters button[type=submit]")),
			// The answer's page: its field carries the number typed.
			chromedp.WaitVisible(chromedp.CSS("#id_number:not([value=''])")),
		)
		if got := b.text("#members"); !strings.Contains(got, "张伟") || strings.Contains(got, "王强") || b.count("#members tbody tr") != 1 {
			t.Errorf("search by identity number found %q", got)
		}
		if got := b.text("#members-total"); !strings.Contains(got, "共 1 人") {
			t.Errorf("total %q", got)
		}
		b.screenshot("members-3-found-by-id-number")
		// The member's page: records and beneficiaries to change.
		b.do(chromedp.Click(chromedp.CSS("#members tbody a")), chromedp.WaitVisible(chromedp.CSS("#records")))
		if got := b.text("#records"); !strings.Contains(got, "工伤案件") || !strings.Contains(got, "休假申请") {
			t.Errorf("records %q", got)
		}
		b.screenshot("members-4-member-page")
		b.do(chromedp.Click(chromedp.CSS("#edit-beneficiaries-personal_accident")), chromedp.WaitVisible(chromedp.CSS("#beneficiaries-form")))
		b.do(
			chromedp.SendKeys(chromedp.CSS("#b0_name"), "刘敏"),
			chromedp.SetValue(chromedp.CSS("#b0_relation"), "spouse"),
			chromedp.SendKeys(chromedp.CSS("#b0_share"), "70"),
			chromedp.Click(chromedp.CSS("#beneficiaries-form button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(".error-summary")),
		)
		if got := b.text(".error-summary"); !strings.Contains(got, "受益比例合计为 70.00%") {
			t.Errorf("summary %q", got)
		}
		b.screenshot("members-5-beneficiaries-refused")
		b.signOut()
	})

	t.Run("auditor reads the audit trail", func(t *testing.T) {
		b.t = t
		b.signIn("auditor")
		// Then enough failed attempts by someone unknown to fill a page.
		// An address past 30 failures is slowed only for the usernames it
		// has already failed (a first try is always checked): the second
		// try at intruder49 is refused unchecked, and still recorded.
		visitor := newVisitor(t, s.gateway)
		for i := range 48 {
			visitor.failSignIn(t, "intruder"+strconv.Itoa(i))
		}
		visitor.failSignIn(t, "intruder49")
		visitor.failSignIn(t, "intruder49")
		b.open("/audit")
		trail := b.text("#audit")
		for _, want := range []string{"登录失败", "用户名 intruder0，来自", "用户名或密码错误", "失败次数过多", "未知用户"} {
			if !strings.Contains(trail, want) {
				t.Errorf("the trail lacks %q", want)
			}
		}
		uuid := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
		if id := uuid.FindString(b.text("#audit td.actor")); id != "" {
			t.Errorf("an actor is shown as an id: %s", id)
		}
		seqs := b.seqs()
		for i := 1; i < len(seqs); i++ {
			if seqs[i] >= seqs[i-1] {
				t.Fatalf("rows are not newest first: %v", seqs)
			}
		}
		if got := b.text("#audit tbody tr:first-child"); !strings.Contains(got, "用户名 intruder49") || !strings.Contains(got, "失败次数过多") {
			t.Errorf("the newest row is not the last (throttled) attempt: %q", got)
		}
		b.screenshot("audit-1-newest-first")
		first := seqs
		b.do(chromedp.Click(chromedp.CSS("#audit-older")), chromedp.WaitVisible(chromedp.CSS("#audit[data-page='older']")))
		older := b.seqs()
		if len(older) == 0 || older[0] >= first[len(first)-1] {
			t.Errorf("the next page does not continue: %v after %v", older, first[len(first)-1])
		}
		// Further back: the caseworker's morning, with names, not ids.
		trail = b.text("#audit")
		for _, want := range []string{"周审计 (auditor)", "王经办 (caseworker)", "退出登录", "用户名 caseworker", "新建用户"} {
			if !strings.Contains(trail, want) {
				t.Errorf("the older page lacks %q", want)
			}
		}
		if id := uuid.FindString(trail); id != "" {
			t.Errorf("the older page shows an id: %s", id)
		}
		b.screenshot("audit-2-older-page")

		// By username and by the action's name, as the auditor says them.
		b.open("/audit")
		b.do(
			chromedp.SendKeys(chromedp.CSS("#actor"), "caseworker"),
			chromedp.SendKeys(chromedp.CSS("#action"), "登录失败"),
			chromedp.Click(chromedp.CSS("form[action='/audit'] button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#actor[value='caseworker']")),
		)
		rows := b.count("#audit tbody tr")
		got := b.text("#audit")
		if rows != 1 || !strings.Contains(got, "用户名 caseworker") || !strings.Contains(got, "用户名或密码错误") || strings.Contains(got, "intruder") {
			t.Errorf("filtered trail (%d rows): %q", rows, got)
		}
		b.screenshot("audit-3-failed-sign-ins-of-caseworker")
		b.open("/audit?action=" + url.QueryEscape("登录") + "&actor=caseworker")
		if got := b.text("#audit"); !strings.Contains(got, "王经办 (caseworker)") || strings.Contains(got, "登录失败") {
			t.Errorf("sign-ins of caseworker: %q", got)
		}
		b.screenshot("audit-4-sign-ins-of-caseworker")
	})
}

// seqs are the sequence numbers of the audit rows shown.
func (b *tab) seqs() []int {
	b.t.Helper()
	var out []int
	n := b.count("#audit tbody td.num")
	for i := 1; i <= n; i++ {
		v, err := strconv.Atoi(b.text(fmt.Sprintf("#audit tbody tr:nth-child(%d) td.num", i)))
		if err != nil {
			b.t.Fatalf("row %d: %v", i, err)
		}
		out = append(out, v)
	}
	return out
}

// visitor is a browser without JavaScript that is not signed in.
type visitor struct{ cl *client }

func newVisitor(t *testing.T, base string) *visitor {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	cl := &client{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	return &visitor{cl: cl}
}

// failSignIn tries a username with a wrong password.
func (v *visitor) failSignIn(t *testing.T, username string) {
	t.Helper()
	st, _, body := v.cl.post("/signin", url.Values{"username": {username}, "password": {"wrong password"}})
	if st != http.StatusUnauthorized && st != http.StatusTooManyRequests {
		t.Fatalf("failed sign-in of %s = %d %s", username, st, snippet(body))
	}
}
