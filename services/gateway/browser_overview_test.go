package gateway_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserOverview: the work overview in Chromium against the real
// services, as the committee on a desktop-wide window and as a unit head
// on a phone, with axe-core's WCAG 2.1 AA checks on each page (tab.do)
// and a screenshot of each.
func TestBrowserOverview(t *testing.T) {
	s := startRealSystem(t)
	seedOverview(t, s)
	b := newTab(t, s.gateway)

	t.Run("the committee sees every unit", func(t *testing.T) {
		b.t = t
		b.signIn("leader")
		if got := b.location(); !strings.HasSuffix(got, "/overview") {
			t.Errorf("a leader lands on %s, want the overview", got)
		}
		b.do(chromedp.EmulateViewport(1280, 900))
		b.open("/overview?from=2026-01&to=2026-12")
		table := b.text("#cases-by-unit-table")
		if !strings.Contains(table, "县公安局") || !strings.Contains(table, "县人民法院") {
			t.Errorf("the committee's cases by unit: %q", table)
		}
		if n := b.count("figure.overview-figure svg.ov-chart"); n < 5 {
			t.Errorf("%d charts drawn", n)
		}
		if n := b.count("figure.overview-figure svg.ov-chart[aria-hidden='true'] title"); n == 0 {
			t.Error("the charts have no <title>")
		}
		b.do(
			chromedp.SetValue(chromedp.CSS("#target_percent"), "80"),
			chromedp.Click(chromedp.CSS("#target-form button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(freshFlash)),
		)
		if got := b.text("#uptake-table"); !strings.Contains(got, "低于目标") {
			t.Errorf("with a target of 80%%, no unit is said to be below it: %q", got)
		}
		b.screenshot("overview-committee")
		b.signOut()
	})

	t.Run("a unit head sees their own unit", func(t *testing.T) {
		b.t = t
		b.do(chromedp.EmulateViewport(390, 844))
		b.signIn("unithead")
		b.open("/overview?from=2026-01&to=2026-12")
		body := b.text("main")
		if !strings.Contains(body, "县公安局") || strings.Contains(body, "县人民法院") {
			t.Errorf("the unit head's overview names another unit or misses theirs")
		}
		if b.count("#target-form") != 0 {
			t.Error("the unit head is offered the target form")
		}
		b.screenshot("overview-unit-head")
		b.signOut()
	})
}
