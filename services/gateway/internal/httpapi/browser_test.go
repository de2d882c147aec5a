package httpapi_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/chromedp"

	"github.com/anxin-welfare/anxin/services/gateway/internal/browsertest"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// The gateway's own behaviour in Debian's Chromium, headless, on a
// phone-sized window, against the real services as the other tests: the
// language switch and errors next to their fields. The journeys of issue 7
// run against the real services in services/gateway/browser_journeys_test.go.
// When Chromium cannot be started the tests fail and say why: a browser
// test that skips proves nothing.

// tab is one browser with one tab, on a phone-sized window.
type tab struct {
	t   *testing.T
	ctx context.Context
	e   *env
}

func newTab(t *testing.T, e *env) *tab {
	t.Helper()
	ctx := browsertest.Start(t, 60*time.Second)
	return &tab{t: t, ctx: ctx, e: e}
}

func (b *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatal(err)
	}
}

func (b *tab) open(path string) { b.t.Helper(); b.do(chromedp.Navigate(b.e.srv.URL + path)) }

// text reads the visible text of the first element matching sel in the
// document now in the tab (evaluated there, so never a node of the page
// before a form submission).
func (b *tab) text(sel string) string {
	b.t.Helper()
	js := fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? e.innerText : null })()`, sel)
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[*string](js))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	if s == nil {
		b.t.Fatalf("no %s on the page", sel)
	}
	return strings.TrimSpace(*s)
}

// signIn types the credentials into the sign-in form, as a person would.
func (b *tab) signIn(username string) {
	b.t.Helper()
	b.open("/signin")
	b.do(
		chromedp.SendKeys(chromedp.CSS("#username"), username),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("form[action='/signin'] button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("nav.nav")),
	)
}

// waitLang waits until the page in the tab is in lang: a click that
// submits a form returns before the next page has loaded.
func (b *tab) waitLang(lang string) {
	b.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; {
		got, err := chromedp.Run(b.ctx, chromedp.Evaluate[string]("document.readyState === 'complete' ? document.documentElement.lang : ''"))
		if err == nil && got == lang {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("page language is %q after 10s, want %q (%v)", got, lang, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// screenshot saves the page under the test's artifact folder.
func (b *tab) screenshot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100)) // quality 100 is PNG
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b.t.ArtifactDir(), name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// Journey 5: switching to English changes the whole page; errors appear
// next to their fields.
func TestBrowserEnglishAndFieldErrors(t *testing.T) {
	e := newEnv(t)
	e.user("officer1", domain.RoleOfficer)
	b := newTab(t, e)
	b.open("/signin")
	b.do(chromedp.Click(chromedp.CSS("form.lang button")))
	b.waitLang("en")
	body := b.text("body")
	for _, r := range strings.ReplaceAll(body, "中文", "") {
		if unicode.Is(unicode.Han, r) {
			t.Fatalf("the English page still has Chinese: %q", body)
		}
	}
	b.do(
		chromedp.SendKeys(chromedp.CSS("#username"), "officer1"),
		chromedp.Click(chromedp.CSS("form[action='/signin'] button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#password-error")),
	)
	if got := b.text("#password-error"); !strings.Contains(got, "Enter a password") {
		t.Errorf("password error %q", got)
	}
	if v, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS("#username"))); err != nil || v != "officer1" {
		t.Errorf("the form lost what was typed: %q %v", v, err)
	}
	b.signIn("officer1")
	b.open("/leave")
	b.do(
		chromedp.SetValue(chromedp.CSS("#from"), "2026-03-04"),
		chromedp.SetValue(chromedp.CSS("#to"), "2026-03-02"),
		chromedp.Click(chromedp.CSS("form[action='/leave/requests'] button.primary")),
		chromedp.WaitVisible(chromedp.CSS("#to-error")),
	)
	if got := b.text("label[for=to]"); got != "To" {
		t.Errorf("label %q not in English after sign-in", got)
	}
	b.screenshot("english-field-errors")
}
