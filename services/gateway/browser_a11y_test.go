package gateway_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/services/gateway/internal/browsertest"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// axe checks the document now in the tab with axe-core's WCAG 2.1 A and
// AA rules once per document: do calls it after every step, so each page
// a journey reaches is checked without the journey having to ask.
func (b *tab) axe() {
	b.t.Helper()
	// timeOrigin is new for every document the tab loads, so a form that
	// re-renders at the same address is checked again.
	doc, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`new Promise(done => {
		const key = () => done(performance.timeOrigin + " " + location.href);
		if (document.readyState === "complete") key(); else addEventListener("load", key);
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("axe: which page is this: %v", err)
	}
	if doc == b.axed || !strings.Contains(doc, " http") {
		return // checked already, or the browser's own about:blank
	}
	browsertest.AxeCheck(b.t, b.ctx)
	b.axed = doc
}

// recorder is a testing.TB that keeps what would fail the test.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.TB.Fatalf("axe could not check the page: "+format, args...)
}

// TestAxeCheckFailsOnViolation shows the check every journey runs is not
// vacuous: a page with an unlabelled field and an image without a text
// alternative fails, naming the rule, the page and the element, and the
// same page fixed passes.
func TestAxeCheckFailsOnViolation(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'")
		body := `<img src="/x.png" id="bad-img"><input id="bad-input" type="text">`
		if r.URL.Path == "/fixed" {
			body = `<img src="/x.png" alt="徽标"><label for="ok">姓名</label><input id="ok" type="text">`
		}
		fmt.Fprintf(w, `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>测试</title></head><body><main><h1>测试</h1>%s</main></body></html>`, body)
	}))
	t.Cleanup(srv.Close)
	ctx := browsertest.Start(t, time.Minute)

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/broken")); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{TB: t}
	browsertest.AxeCheck(rec, ctx)
	all := strings.Join(rec.errs, "\n")
	for _, want := range []string{"image-alt", "label", srv.URL + "/broken", "#bad-img", "#bad-input"} {
		if !strings.Contains(all, want) {
			t.Errorf("axe's report lacks %q:\n%s", want, all)
		}
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/fixed")); err != nil {
		t.Fatal(err)
	}
	rec = &recorder{TB: t}
	browsertest.AxeCheck(rec, ctx)
	if len(rec.errs) > 0 {
		t.Errorf("the fixed page still fails:\n%s", strings.Join(rec.errs, "\n"))
	}
}

// TestBrowserKeyboardOnlyInjuryReport: an officer with one usable hand
// files an injury report with the keyboard alone: Tab to move, arrows to
// choose, Enter to follow a link and send, the characters of the place
// and the description typed. Every stop Tab reaches shows the two-colour
// focus ring, and axe checks each page on the way (tab.do).
func TestBrowserKeyboardOnlyInjuryReport(t *testing.T) {
	s := startRealSystem(t)
	b := newTab(t, s.gateway)

	// Signing in, by keyboard too.
	b.open("/signin")
	b.tabTo("#username")
	b.typeKeys("officer")
	b.tabTo("#password")
	b.typeKeys(journeyPassword("officer"))
	b.do(chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("nav.nav")))

	// From the officer's own page, the first thing offered is to report.
	b.open("/my")
	first := b.tabTo("a.skip")
	if first != 1 {
		t.Errorf("the skip link is Tab stop %d, want the first", first)
	}
	if left := b.evalString(`getComputedStyle(document.activeElement).left`); left != "0px" {
		t.Errorf("the focused skip link is not on screen (left %s)", left)
	}
	b.tabTo("main a[href='/injury/report']")
	b.do(chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("form[action='/injury/report']")))

	// The severity: arrows change the choice on a closed select.
	b.tabTo("#severity")
	before := b.value("#severity")
	b.do(chromedp.KeyEvent(kb.ArrowDown))
	if after := b.value("#severity"); after == before {
		t.Errorf("ArrowDown left the severity at %q", before)
	}
	if b.value("#injured_at") == "" {
		t.Fatal("the time of the injury is not filled in with now")
	}
	b.tabTo("#place")
	b.typeKeys("城关派出所门口")
	b.tabTo("#description")
	b.typeKeys("巡逻时摔伤右手")
	b.tabTo("form[action='/injury/report'] button[type=submit]")
	b.screenshot("keyboard-report-ready")
	b.do(chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("#clocks")))
	if got := b.text("h1"); !strings.Contains(got, "GC-") {
		t.Fatalf("after Enter the page is %q, not the new case", got)
	}
	if got := b.text("main"); !strings.Contains(got, "城关派出所门口") {
		t.Errorf("the case does not show the typed place: %s", got)
	}
	b.screenshot("keyboard-case-opened")
}

// tabTo presses Tab until the focused element matches sel and returns
// how many presses it took. Every element Tab stops at must show the
// focus ring: the dark outline and the yellow shadow of app.css.
func (b *tab) tabTo(sel string) int {
	b.t.Helper()
	const limit = 80
	for n := 1; n <= limit; n++ {
		b.do(chromedp.KeyEvent(kb.Tab))
		js := fmt.Sprintf(`(() => {
			const e = document.activeElement;
			if (!e || e === document.body) return {match: false, ring: "", what: "body"};
			const s = getComputedStyle(e);
			return {match: e.matches(%q), ring: s.outlineStyle + " " + s.outlineColor + " | " + s.boxShadow,
				what: e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.getAttribute("href") ? "[href=" + e.getAttribute("href") + "]" : "")};
		})()`, sel)
		got, err := chromedp.Run(b.ctx, chromedp.Evaluate[struct {
			Match bool   `json:"match"`
			Ring  string `json:"ring"`
			What  string `json:"what"`
		}](js))
		if err != nil {
			b.t.Fatalf("focus after Tab: %v", err)
		}
		if got.What != "body" && (!strings.HasPrefix(got.Ring, "solid rgb(11, 12, 12)") || !strings.Contains(got.Ring, "rgb(255, 191, 71)")) {
			b.t.Errorf("Tab stop %s on %s shows no two-colour focus ring: %s", got.What, b.location(), got.Ring)
		}
		if got.Match {
			return n
		}
	}
	b.t.Fatalf("%d presses of Tab never reached %s on %s", limit, sel, b.location())
	return 0
}

// typeKeys types s into the focused field, one key event per character.
func (b *tab) typeKeys(s string) {
	b.t.Helper()
	b.do(chromedp.KeyEvent(s))
}

func (b *tab) evalString(js string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("%s: %v", js, err)
	}
	return s
}

// TestBrowserNavShowsEveryItemOnAPhone: on a 390×844 phone every item of
// the navigation bar is on screen, none scrolled out of sight: the items
// wrap onto more rows (the officer's five, the administrator's many).
func TestBrowserNavShowsEveryItemOnAPhone(t *testing.T) {
	s := startRealSystem(t)
	b := newTab(t, s.gateway)
	// Headless Chromium keeps its window at least 500 px wide whatever
	// WindowSize asks; the phone's own viewport is emulated.
	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	for _, who := range []string{"officer", "caseworker", "finance", "admin"} {
		b.signIn(who)
		got, err := chromedp.Run(b.ctx, chromedp.Evaluate[struct {
			Items   int      `json:"items"`
			Width   float64  `json:"width"`
			Outside []string `json:"outside"`
		}](`(() => {
			const items = [...document.querySelectorAll("nav.nav ul a")];
			const width = document.documentElement.clientWidth;
			const outside = items.filter(a => { const r = a.getBoundingClientRect(); return r.left < 0 || r.right > width || r.width === 0; })
				.map(a => a.textContent.trim());
			return {items: items.length, width, outside};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if got.Width != 390 {
			t.Fatalf("the page is %.0f px wide, not a 390 px phone", got.Width)
		}
		if got.Items == 0 {
			t.Fatalf("%s: no navigation items", who)
		}
		if len(got.Outside) > 0 {
			t.Errorf("%s: %d of %d navigation items are out of sight on a %.0f px screen: %v", who, len(got.Outside), got.Items, got.Width, got.Outside)
		}
		t.Logf("%s: %d navigation items, all on a %.0f px screen", who, got.Items, got.Width)
		b.screenshot("nav-" + who)
		b.signOut()
	}
}
