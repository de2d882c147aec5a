package gateway_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/pg"
)

// Browser journeys of issue 11's injury items, in a phone-sized Chromium
// against the real services: the caseworker's queue (severity, one clock,
// closed cases gone, search and the next page), a 测算 that saves nothing,
// closing a case with the reasons its stage allows and a confirmation, and
// the officer's /my on a 390×844 phone with what needs them first.

// schemaCounts runs count queries in a service's schema, for asserting that
// a page changed nothing there.
func schemaCounts(t *testing.T, s *realSystem, schema string, queries ...string) string {
	t.Helper()
	db, err := pg.Open(context.Background(), pg.Config{URL: s.env.Deps.Config.DatabaseURL, Schema: schema, MaxOpenConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out []string
	for _, q := range queries {
		var v string
		if err := db.Get(&v, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out = append(out, v)
	}
	return strings.Join(out, "|")
}

// injuryState is a case's state as the injury service has it.
func injuryState(t *testing.T, s *realSystem, cw auth.Identity, id string) string {
	t.Helper()
	return s.call(t, cw, "GET", "/api/v1/injury/cases/"+id, nil, http.StatusOK)["state"].(string)
}

func TestInjuryBrowserJourneys(t *testing.T) {
	s := startRealSystem(t)
	clk := s.env.Clock
	cw := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
	admin := auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
	open := func(member, severity, place string) (id, number string) {
		t.Helper()
		c := s.call(t, cw, "POST", "/api/v1/injury/cases", map[string]any{"member_id": member, "unit_id": s.unit,
			"injured_at": clk.Now().Add(-time.Hour).Format(time.RFC3339), "place": place, "description": "执勤时受伤", "severity": severity}, http.StatusCreated)
		return c["id"].(string), c["number"].(string)
	}
	// The county's caseload: 张伟's critical case, 26 minor ones of 王强's
	// unit and one reported twice, closed as a duplicate.
	criticalID, critical := open(s.member, "critical", "东城路口")
	var minors []string
	minorIDs := map[string]string{}
	for i := 0; i < 26; i++ {
		id, n := open(s.fallen, "minor", fmt.Sprintf("第%d执勤点", i+1))
		minors = append(minors, n)
		minorIDs[n] = id
	}
	dupID, duplicate := open(s.fallen, "minor", "重复报告的地点")
	s.call(t, cw, "POST", "/api/v1/injury/cases/"+dupID+"/actions/close", map[string]any{"reason": "duplicate"}, http.StatusOK, "If-Match", `"1"`)
	// Two minutes on, the critical case is due in 13 minutes.
	clk.Advance(2 * time.Minute)
	apptest.Eventually(t, 20*time.Second, "the injury service names 张伟 (member events)", func() bool {
		w := s.env.Do(t, s.h["injury"], &cw, "GET", "/api/v1/injury/cases?status=open&q="+url.QueryEscape("张伟"), nil)
		return w.Code == http.StatusOK && strings.Contains(w.Body.String(), critical)
	})

	b := newTab(t, s.gateway)
	t.Run("caseworker's queue: severity, one clock, open work only, search and next page", func(t *testing.T) {
		b.t = t
		b.signIn("caseworker")
		b.open("/work/queue")
		if n := b.count("#queue tbody tr[data-case]"); n != 25 {
			t.Errorf("the first page shows %d cases, want 25", n)
		}
		first := b.text("#queue tbody tr[data-case]")
		for _, want := range []string{critical, "危重", "临近期限", "还剩 13 分钟", "接收确认时限"} {
			if !strings.Contains(first, want) {
				t.Errorf("the first row %q lacks %q", first, want)
			}
		}
		if strings.Contains(first, "正常") {
			t.Errorf("a critical case due in 13 minutes shows 正常: %q", first)
		}
		if got := b.text("#queue-clock-hint"); !strings.Contains(got, "同一项") {
			t.Errorf("the queue does not say which clock it shows: %q", got)
		}
		if strings.Contains(b.text("#queue"), duplicate) {
			t.Errorf("the closed case %s is in 待办", duplicate)
		}
		b.screenshot("queue-first-page")
		b.do(chromedp.Click(chromedp.CSS("#queue-next")), chromedp.WaitVisible(chromedp.CSS("#queue-first")))
		if n := b.count("#queue tbody tr[data-case]"); n != 2 {
			t.Errorf("the second page shows %d cases, want 2", n)
		}
		if strings.Contains(b.text("#queue"), critical) {
			t.Errorf("the second page repeats the first row")
		}
		b.screenshot("queue-second-page")

		b.open("/work/queue")
		// The old page is marked, so the wait is for the answer to the
		// search, not the page it was typed on.
		b.do(chromedp.Evaluate[chromedp.Void](`document.body.dataset.before = "search"`),
			chromedp.SendKeys(chromedp.CSS("#q"), "张伟"), chromedp.Click(chromedp.CSS("form.filters button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("body:not([data-before]) #queue")))
		if n, got := b.count("#queue tbody tr[data-case]"), b.text("#queue tbody"); n != 1 || !strings.Contains(got, critical) {
			t.Errorf("search 张伟 = %d rows: %q", n, got)
		}
		want := minors[6]
		b.open("/work/queue?q=" + url.QueryEscape(want[len(want)-6:]))
		if n, got := b.count("#queue tbody tr[data-case]"), b.text("#queue tbody"); n != 1 || !strings.Contains(got, want) {
			t.Errorf("search by number %s = %d rows: %q", want, n, got)
		}
		b.screenshot("queue-search-by-number")
		b.do(chromedp.Click(chromedp.CSS("#tab-closed")), chromedp.WaitVisible(chromedp.CSS("#tab-closed[aria-current]")))
		if got := b.text("#queue tbody"); !strings.Contains(got, duplicate) || strings.Contains(got, critical) {
			t.Errorf("the closed filter shows %q", got)
		}
		b.screenshot("queue-closed")
	})

	t.Run("测算 of injury benefits and a statutory grant saves nothing", func(t *testing.T) {
		b.t = t
		s.call(t, admin, "PUT", "/api/v1/injury/parameters/regional_average_monthly_wage/2025-07-01", map[string]any{"value_fen": 750000}, http.StatusOK)
		injuryQ := []string{`SELECT count(*)::text FROM cases`, `SELECT count(*)::text FROM calculations`, `SELECT count(*)::text FROM timeline`,
			`SELECT count(*)::text FROM audit_log`, `SELECT count(*)::text FROM outbox`,
			`SELECT coalesce(string_agg(sequencename || '=' || coalesce(last_value, 0), ',' ORDER BY sequencename), '') FROM pg_sequences WHERE schemaname = current_schema()`}
		grantsQ := []string{`SELECT count(*)::text FROM applications`, `SELECT coalesce(sum(last_no), 0)::text FROM application_counters`,
			`SELECT count(*)::text FROM audit_log`, `SELECT count(*)::text FROM outbox`}
		injuryBefore, grantsBefore := schemaCounts(t, s, "injury", injuryQ...), schemaCounts(t, s, "grants", grantsQ...)

		b.open("/work/queue")
		b.do(chromedp.Click(chromedp.CSS("#calculators-link")), chromedp.WaitVisible(chromedp.CSS("#calc-nothing-saved")))
		if got := b.text("#calc-nothing-saved"); !strings.Contains(got, "不保存") || !strings.Contains(got, "不占用编号") {
			t.Errorf("the page does not say nothing is saved: %q", got)
		}
		b.do(
			chromedp.SendKeys(chromedp.CSS("#grade"), "5"),
			chromedp.SendKeys(chromedp.CSS("#wages"), "6000 6000"),
			chromedp.SetValue(chromedp.CSS("#nursing"), "partial"),
			chromedp.Click(chromedp.CSS("#calc-injury form button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#calc-injury-result")),
		)
		// Own wage 6,000 yuan (within 60%–300% of 7,500); grade 5: 18
		// months; nursing 30% of 7,500.
		for sel, want := range map[string]string{"#calc-own_wage": "6,000.00", "#calc-one_time_subsidy": "108,000.00", "#calc-nursing_fee": "2,250.00"} {
			if got := b.text(sel); !strings.Contains(got, want) {
				t.Errorf("%s = %q, want %s", sel, got, want)
			}
		}
		b.screenshot("calculators-injury")
		b.do(
			chromedp.SetValue(chromedp.CSS("#calculator"), "martyr_grant"),
			chromedp.Click(chromedp.CSS("#calc-choose")),
			chromedp.WaitVisible(chromedp.CSS("#calc-statutory-form")),
			chromedp.SetValue(chromedp.CSS("#event_date"), "2025-05-01"),
			chromedp.Click(chromedp.CSS("#calc-statutory-form button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#calc-statutory-total")),
		)
		// 30 × the 2024 national urban income of 54,188 yuan.
		if got := b.text("#calc-statutory-total"); !strings.Contains(got, "1,625,640.00") {
			t.Errorf("martyr grant = %q", got)
		}
		if n := b.count("#calc-statutory-form #monthly_wage"); n != 0 {
			t.Errorf("the martyr grant asks for a wage it does not use")
		}
		b.screenshot("calculators-statutory")
		if after := schemaCounts(t, s, "injury", injuryQ...); after != injuryBefore {
			t.Errorf("the 测算 changed the injury service: %s → %s", injuryBefore, after)
		}
		if after := schemaCounts(t, s, "grants", grantsQ...); after != grantsBefore {
			t.Errorf("the 测算 changed the grants service: %s → %s", grantsBefore, after)
		}
	})

	t.Run("caseworker closes a case with a reason its stage allows, after confirming", func(t *testing.T) {
		b.t = t
		number := minors[0]
		id := minorIDs[number]
		b.open("/cases/" + id)
		b.do(chromedp.Click(chromedp.CSS("details#action-close summary")), chromedp.WaitVisible(chromedp.CSS("#close-reason")))
		if n, opts := b.count("#close-reason option"), b.text("#close-reason"); n != 2 || !strings.Contains(opts, "撤回") || !strings.Contains(opts, "重复报告") {
			t.Errorf("a case in triage offers %d reasons: %q", n, opts)
		}
		b.do(chromedp.SetValue(chromedp.CSS("#close-reason"), "duplicate"),
			chromedp.Click(chromedp.CSS("form[action$='/actions/close'] button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#confirm")))
		if got := b.text("#confirm"); !strings.Contains(got, number) || !strings.Contains(got, "重复报告") || !strings.Contains(got, "不能重新打开") {
			t.Errorf("the confirmation says %q", got)
		}
		if st := injuryState(t, s, cw, id); st != "triage" {
			t.Errorf("the first press changed the case to %s", st)
		}
		b.screenshot("close-confirm")
		b.do(chromedp.Click(chromedp.CSS("#confirm button[type=submit]")), chromedp.WaitVisible(chromedp.CSS(freshFlash)))
		if got := b.text("#case-state"); got != "已结案" {
			t.Errorf("after confirming the case is %q", got)
		}
		if st := injuryState(t, s, cw, id); st != "closed" {
			t.Errorf("the case is %s after confirming", st)
		}
		b.screenshot("close-done")

		// The caseworker takes 张伟's critical case, giving a phone.
		b.open("/cases/" + criticalID)
		b.do(chromedp.Click(chromedp.CSS("details#action-acknowledge summary")),
			chromedp.SendKeys(chromedp.CSS("#acknowledge-phone"), "0000-6660110"),
			chromedp.Click(chromedp.CSS("form[action$='/actions/acknowledge'] button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(freshFlash)))
		if got := b.text("#case-in-charge"); !strings.Contains(got, "王经办") || !strings.Contains(got, "0000-6660110") {
			t.Errorf("the case names %q in charge", got)
		}
		b.signOut()
	})

	t.Run("officer's /my on a phone: what needs them first, who to call, the rest folded", func(t *testing.T) {
		b.t = t
		// The hand-off deadline (an hour for a critical case) passes and
		// the sweeper reports it to the unit head.
		clk.Advance(time.Hour)
		apptest.Eventually(t, 40*time.Second, "the critical case escalated", func() bool {
			w := s.env.Do(t, s.h["injury"], &cw, "GET", "/api/v1/injury/cases?status=open&q="+url.QueryEscape(critical), nil)
			return strings.Contains(w.Body.String(), `"escalation":"unit_head"`)
		})
		b.signIn("officer")
		b.open("/my")
		order, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("main section.card")).map(s => s.id)`))
		if err != nil || len(order) == 0 || order[0] != "my-attention" {
			t.Errorf("the sections of /my are %v (%v), want my-attention first", order, err)
		}
		att := b.text("#my-attention")
		for _, want := range []string{critical, "已上报单位负责人督办", "不影响您的待遇", "王经办", "0000-6660110"} {
			if !strings.Contains(att, want) {
				t.Errorf("the attention panel %q lacks %q", att, want)
			}
		}
		if n := b.count("main details.fold[open]"); n != 0 {
			t.Errorf("%d parts of /my are unfolded", n)
		}
		height, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.documentElement.scrollHeight`))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("/my is %d px tall on a 390×844 phone", height)
		if height > 1600 {
			t.Errorf("/my is %d px tall on a phone", height)
		}
		// Every tab of the officer's menu is on screen, none cut off.
		hidden, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("nav.nav ul a")).filter(a => {
			const r = a.getBoundingClientRect(); return r.width === 0 || r.left < 0 || r.right > window.innerWidth }).map(a => a.textContent.trim())`))
		if err != nil || len(hidden) > 0 {
			t.Errorf("tabs cut off on a phone: %v (%v)", hidden, err)
		}
		tabs := b.count("nav.nav ul a")
		t.Logf("the officer's menu has %d tabs, all within the 390 px width", tabs)
		b.screenshot("my-phone")
		b.do(chromedp.Click(chromedp.CSS("#fold-injury summary")))
		b.screenshot("my-phone-injury-open")
	})
}
