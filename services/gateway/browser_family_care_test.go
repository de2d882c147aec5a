package gateway_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/i18n"
)

// TestBrowserFamilyCareJourney runs issue 18's path in Chromium on a
// phone-sized window against the real services, keeping a screenshot of
// each step: a member dies in the line of duty; the family's care record
// appears and is given its liaisons; the leader liaison records the Spring
// Festival visit on a phone; the family raises a schooling matter; a
// caseworker turns it into a children's-education application and
// resolves it; the committee's summary counts it. An officer outside the
// family's circle is shown 404.
func TestBrowserFamilyCareJourney(t *testing.T) {
	s := startRealSystem(t)
	admin := auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
	s.call(t, admin, "POST", "/api/v1/grants/programs", map[string]any{
		"fund_id": s.fund, "code": "children_edu", "name_zh": "英烈子女教育资助", "name_en": "Education of fallen officers' children",
		"kind": "children_education", "allocation": 20000000, "amount_rule": map[string]any{"kind": "fixed", "fixed": 300000},
		"dual_approval_above": 1000000,
	}, 201)
	b := newTab(t, s.gateway)
	// Headless Chromium keeps its window at least 500 px wide; the
	// phone's own viewport is emulated, as TestBrowserNavShowsEveryItemOnAPhone does.
	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	var recordPath string

	t.Run("0 an admin keeps the visit rule and the festival dates", func(t *testing.T) {
		b.t = t
		b.signIn("admin")
		b.open("/admin/family-care")
		if n := b.count("#visit-rules form.rule"); n != 3 {
			t.Fatalf("%d occasions, want 3: %s", n, b.pageText())
		}
		b.do(
			chromedp.SetValue(chromedp.CSS("#before-qingming"), "many"),
			chromedp.Click(chromedp.CSS("#rule-qingming button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#before-qingming-error")),
		)
		b.do(
			chromedp.SetValue(chromedp.CSS("#before-qingming"), "10"),
			chromedp.Click(chromedp.CSS("#rule-qingming button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(freshFlash)),
		)
		if got := b.value("#before-qingming"); got != "10" {
			t.Errorf("Qingming's window opens %s days before, want 10", got)
		}
		b.do(
			chromedp.SendKeys(chromedp.CSS("#year"), "2031"),
			chromedp.SetValue(chromedp.CSS("#spring_festival"), "2031-01-23"),
			chromedp.SetValue(chromedp.CSS("#qingming"), "2031-04-05"),
			chromedp.Click(chromedp.CSS("#dates-form button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(freshFlash)),
		)
		if got := b.text("#festival-dates table"); !strings.Contains(got, "2031-01-23") {
			t.Errorf("the festival dates %q lack 2031", got)
		}
		b.screenshot("care-0-settings")
		b.signOut()
	})

	t.Run("1 a member dies in the line of duty", func(t *testing.T) {
		b.t = t
		b.signIn("caseworker")
		b.open("/work/members/" + s.fallen)
		b.do(
			chromedp.Click(chromedp.CSS("#record-death summary")),
			chromedp.SetValue(chromedp.CSS("#death_date"), "2026-11-20"),
			chromedp.SetValue(chromedp.CSS("#death_cause"), "line_of_duty"),
			chromedp.Click(chromedp.CSS("form[action$='/death'] button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#confirm")),
		)
		b.do(chromedp.Click(chromedp.CSS("#confirm button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#death-cause")))
		b.screenshot("care-1-death-recorded")
		b.signOut()
	})

	t.Run("2 the family's care record appears with its liaisons", func(t *testing.T) {
		b.t = t
		approver := auth.Identity{UserID: "u-seed-ap", Name: "审批", Roles: []auth.Role{auth.RoleApprover}}
		apptest.Eventually(t, 20*time.Second, "the death opened the family's care record", func() bool {
			w := s.env.Do(t, s.h["grants"], &approver, "GET", "/api/v1/grants/care/records", nil)
			var out struct {
				Items []map[string]any `json:"items"`
			}
			_ = json.Unmarshal(w.Body.Bytes(), &out)
			return w.Code == http.StatusOK && len(out.Items) == 1
		})
		b.signIn("caseworker")
		b.open("/work/family-care")
		if n := b.count("#families tr.family"); n != 1 {
			t.Fatalf("%d families listed, want 1: %s", n, b.pageText())
		}
		if got := b.text("#families"); !strings.Contains(got, "王强") || !strings.Contains(got, i18n.T(i18n.ZH, "grants.care.occasion.spring_festival")) {
			t.Errorf("the list %q lacks the family or its next visit", got)
		}
		b.do(chromedp.Click(chromedp.CSS("#families tr.family a")), chromedp.WaitVisible(chromedp.CSS("#liaisons")))
		recordPath = strings.TrimPrefix(strings.SplitN(b.location(), "?", 2)[0], s.gateway)
		for _, l := range []struct{ role, user, phone string }{{"leader", "unithead", "13900000001"}, {"caseworker", "caseworker", "13900000002"}} {
			b.do(
				chromedp.Click(chromedp.CSS("details:has(form[action$='/liaisons/"+l.role+"']) summary")),
				chromedp.WaitVisible(chromedp.CSS("#"+l.role+"_phone")),
			)
			b.selectByText("#"+l.role+"_user", l.user)
			b.do(
				chromedp.SendKeys(chromedp.CSS("#"+l.role+"_phone"), l.phone),
				chromedp.Click(chromedp.CSS(fmt.Sprintf("form[action$='/liaisons/%s'] button[type=submit]", l.role))),
				chromedp.WaitVisible(chromedp.CSS(freshFlash)),
			)
		}
		got := b.text("#liaisons")
		if !strings.Contains(got, "赵所长") || !strings.Contains(got, "13900000001") || !strings.Contains(got, "王经办") {
			t.Errorf("liaisons %q", got)
		}
		if got := b.text("#family"); !strings.Contains(got, "李娜") || !strings.Contains(got, "王小明") {
			t.Errorf("the family's people %q", got)
		}
		b.screenshot("care-2-record-with-liaisons")
		b.signOut()
	})

	t.Run("3 the liaison records the Spring Festival visit on a phone", func(t *testing.T) {
		b.t = t
		if recordPath == "" {
			t.Fatal("step 2 found no record")
		}
		photo := filepath.Join(t.TempDir(), "走访合影.png")
		if err := os.WriteFile(photo, onePixelPNG(t), 0o600); err != nil {
			t.Fatal(err)
		}
		// a phone's file that is not a picture, whatever its name says
		notAPhoto := filepath.Join(t.TempDir(), "坏照片.png")
		if err := os.WriteFile(notAPhoto, []byte("not a picture"), 0o600); err != nil {
			t.Fatal(err)
		}
		b.signIn("unithead")
		b.open("/work/family-care")
		if got := b.text("#families"); !strings.Contains(got, "王强") {
			t.Fatalf("the liaison's list %q lacks the family", got)
		}
		b.open(recordPath)
		b.do(chromedp.Click(chromedp.CSS("#record-visit")), chromedp.WaitVisible(chromedp.CSS("#visit-form")))
		if got := b.value("#occasion"); got != "spring_festival" {
			t.Errorf("the form proposes the occasion %q, want the Spring Festival due next", got)
		}
		b.fitsPhone()
		b.screenshot("care-3-visit-form-on-a-phone")
		b.do(
			chromedp.SendKeys(chromedp.CSS("#cash"), "abc"),
			chromedp.Click(chromedp.CSS("#visit-form button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#cash-error")),
		)
		b.do(
			chromedp.SetValue(chromedp.CSS("#cash"), "2000"),
			chromedp.SendKeys(chromedp.CSS("#goods"), "米、面、油"),
			chromedp.SendKeys(chromedp.CSS("#family_raised"), "王小明明年升学，学费有困难"),
			chromedp.SetUploadFiles(chromedp.CSS("#photo"), []string{notAPhoto}),
			chromedp.Click(chromedp.CSS("#visit-form button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(freshFlash)),
		)
		// the visit is kept; the photo that failed is named with its reason
		// on the visit's own form, open to take it again
		if got := b.text("#visits"); !strings.Contains(got, "2,000.00") || !strings.Contains(got, "米、面、油") || !strings.Contains(got, "王小明明年升学") {
			t.Errorf("the visit %q", got)
		}
		if got := b.text("#visits .photo-error"); !strings.Contains(got, "坏照片.png") || !strings.Contains(got, "JPEG、PNG 或 PDF") {
			t.Errorf("the failed photo is not explained: %q", got)
		}
		if got := b.text(".error-summary"); !strings.Contains(got, "坏照片.png") {
			t.Errorf("the page's summary does not name the failed photo: %q", got)
		}
		if n := b.count("#visits article.visit"); n != 1 {
			t.Errorf("%d visits recorded, want 1", n)
		}
		b.screenshot("care-3-photo-failed")
		b.do(
			chromedp.SetUploadFiles(chromedp.CSS("#visits details.add-photo[open] input[type=file]"), []string{photo}),
			chromedp.Click(chromedp.CSS("#visits details.add-photo[open] button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(freshFlash)),
		)
		if n := b.count("#visits .photo-error"); n != 0 {
			t.Errorf("the photo added again still shows an error")
		}
		if n := b.count("#visits article.visit a"); n != 1 {
			t.Errorf("%d photos shown with the visit, want 1", n)
		}
		if got := b.text("#plan"); !strings.Contains(got, i18n.T(i18n.ZH, "grants.care.visit_status.on_time")) {
			t.Errorf("the plan %q does not show the Spring Festival visit done on time", got)
		}
		b.screenshot("care-3-visit-recorded")
		b.signOut()
	})

	t.Run("4 the family raises a schooling matter", func(t *testing.T) {
		b.t = t
		b.signIn("widow")
		b.open("/family-care")
		if got := b.text("#my-liaisons"); !strings.Contains(got, "赵所长") || !strings.Contains(got, "13900000001") {
			t.Errorf("the family does not see its liaison and how to reach them: %q", got)
		}
		b.do(chromedp.Click(chromedp.CSS("details.action summary")), chromedp.WaitVisible(chromedp.CSS("form.matter-form select[name=kind]")))
		b.do(
			chromedp.SetValue(chromedp.CSS("form.matter-form select[name=kind]"), "schooling"),
			chromedp.SetValue(chromedp.CSS("form.matter-form select[name=topic]"), "tuition"),
		)
		b.selectByText("form.matter-form select[name=person_id]", "王小明")
		b.do(
			chromedp.SendKeys(chromedp.CSS("form.matter-form textarea[name=summary]"), "王小明初中学费需要帮助"),
			chromedp.Click(chromedp.CSS("form.matter-form button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(freshFlash)),
		)
		if got := b.text("#my-matters"); !strings.Contains(got, "王小明初中学费需要帮助") {
			t.Errorf("the family's matters %q", got)
		}
		b.screenshot("care-4-family-raised-a-matter")
		b.signOut()
	})

	t.Run("5 the matter becomes a children's-education application and is resolved", func(t *testing.T) {
		b.t = t
		b.signIn("caseworker")
		b.open(recordPath)
		progress := "form[action$='/progress']"
		b.do(
			chromedp.Click(chromedp.CSS("details:has("+progress+") summary")),
			chromedp.WaitVisible(chromedp.CSS(progress+" textarea")),
			chromedp.Click(chromedp.CSS(progress+" input[name=take]")),
			chromedp.SetValue(chromedp.CSS(progress+" input[name=due_on]"), "2026-12-31"),
			chromedp.SendKeys(chromedp.CSS(progress+" textarea"), "已联系学校核实学费"),
			chromedp.Click(chromedp.CSS(progress+" button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(freshFlash)),
		)
		if got := b.text("#matters"); !strings.Contains(got, "已联系学校核实学费") || !strings.Contains(got, "2026-12-31") ||
			!strings.Contains(got, i18n.T(i18n.ZH, "grants.care.matter_state.in_progress")) {
			t.Errorf("the matter after the caseworker took it: %q", got)
		}
		b.do(chromedp.Click(chromedp.CSS("button.to-application")), chromedp.WaitVisible(chromedp.CSS("#app-state")))
		if loc := b.location(); !strings.Contains(loc, "/grants/applications/") {
			t.Fatalf("no application page: %s: %s", loc, b.text("#matters"))
		}
		if got := b.text("main"); !strings.Contains(got, "英烈子女教育资助") || b.text("#applicant") != "王小明" {
			t.Errorf("the application page does not name the programme and the child: %q", got)
		}
		b.screenshot("care-5-education-application")
		b.open(recordPath)
		if n := b.count("a.matter-application"); n != 1 {
			t.Errorf("%d links to the application on the matter, want 1", n)
		}
		b.do(
			chromedp.SendKeys(chromedp.CSS("form[action$='/resolve'] textarea"), "已申请子女教育资助，学费落实"),
			chromedp.Click(chromedp.CSS("button.resolve")),
			chromedp.WaitVisible(chromedp.CSS(freshFlash)),
		)
		if got := b.text("#matters"); !strings.Contains(got, i18n.T(i18n.ZH, "grants.care.matter_state.resolved")) || !strings.Contains(got, "学费落实") {
			t.Errorf("the matter %q is not resolved", got)
		}
		b.screenshot("care-5-matter-resolved")
		b.signOut()
	})

	t.Run("6 the committee's summary counts it; an officer outside the circle gets 404", func(t *testing.T) {
		b.t = t
		b.signIn("approver1")
		b.open("/work/family-care/summary")
		row := b.text("#care-summary tr.unit-row")
		if !strings.Contains(row, "县公安局") || b.text("#care-summary tr.unit-row td.families") != "1" ||
			b.text("#care-summary tr.unit-row td.on-time") != "1" || b.text("#care-summary tr.unit-row td.resolved") != "1" ||
			b.text("#care-summary tr.unit-row td.open") != "0" {
			t.Errorf("the summary row %q", row)
		}
		// the export masks by default; full names are a deliberate,
		// recorded choice
		if got := b.text("#care-export"); !strings.Contains(got, "审计日志") {
			t.Errorf("the export does not warn that full names are recorded: %q", got)
		}
		b.screenshot("care-6-committee-summary")
		audited := func(action string) string {
			return schemaCounts(t, s, "grants", `SELECT count(*)::text FROM audit_log WHERE action = '`+action+`'`)
		}
		before := audited("grants.care.export.unmasked")
		for _, ex := range []struct {
			query        string
			full, masked bool
		}{{"", false, true}, {"?unmask=1", true, false}} {
			req, _ := http.NewRequest(http.MethodGet, s.gateway+"/work/family-care/export"+ex.query, nil)
			req.AddCookie(b.sessionCookie())
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
				t.Fatalf("export%s = %d %s", ex.query, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			if strings.Contains(string(body), "王强") != ex.full || strings.Contains(string(body), "王*") != ex.masked {
				t.Errorf("export%s: %s", ex.query, body)
			}
		}
		if after := audited("grants.care.export.unmasked"); after == before {
			t.Errorf("the unmasked export is not in the audit trail (%s before, %s after)", before, after)
		}
		b.signOut()

		b.signIn("officer")
		// an officer reaches the family-care page from the menu; with no
		// record of their own it says so plainly
		b.open("/family-care")
		if n := b.count("nav a[href='/family-care']"); n == 0 {
			t.Errorf("no menu link to the officer's family care")
		}
		if got := b.text("main"); !strings.Contains(got, "您目前没有关爱档案") {
			t.Errorf("an officer without a record sees %q", got)
		}
		b.open(recordPath)
		if got := b.text("main"); !strings.Contains(got, "404") && !strings.Contains(got, i18n.T(i18n.ZH, "web.error.404")) {
			t.Errorf("an officer outside the family's circle sees %q", got)
		}
		b.signOut()
	})
}

// selectByText chooses the option of the select sel whose text contains
// text, as a person picks a name from a list.
func (b *tab) selectByText(sel, text string) {
	b.t.Helper()
	js := fmt.Sprintf(`(() => { const s = document.querySelector(%q); if (!s) return false;
		const o = [...s.options].find(o => o.text.includes(%q)); if (!o) return false;
		s.value = o.value; s.dispatchEvent(new Event("change", {bubbles: true})); return true })()`, sel, text)
	ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](js))
	if err != nil || !ok {
		b.t.Fatalf("no option %q in %s: %v; the page says: %s", text, sel, err, b.pageText())
	}
}

// fitsPhone fails when the page is not a 390 px phone's, or when it is
// wider than the screen: a form that scrolls sideways cannot be filled in
// during a visit.
func (b *tab) fitsPhone() {
	b.t.Helper()
	got, err := chromedp.Run(b.ctx, chromedp.Evaluate[struct {
		Width  int    `json:"width"`
		Scroll int    `json:"scroll"`
		Wide   string `json:"wide"`
	}](`(() => ({width: document.documentElement.clientWidth, scroll: document.documentElement.scrollWidth,
		wide: [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
			.slice(0, 5).map(e => e.tagName + "#" + e.id).join(", ")}))()`))
	if err != nil {
		b.t.Fatal(err)
	}
	if got.Width != 390 || got.Scroll > got.Width {
		b.t.Errorf("the page is %d px wide in a %d px screen, want a 390 px phone with nothing past its edge: %s", got.Scroll, got.Width, got.Wide)
	}
}
