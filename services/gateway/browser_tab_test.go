package gateway_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/anxin-welfare/anxin/services/gateway/internal/browsertest"
)

// tab is one Chromium with one tab on a phone-sized window. t is the
// running (sub)test, so failures are reported where they happen.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
	// axed is the document axe-core last checked (see axe).
	axed string
}

func newTab(t *testing.T, base string) *tab {
	t.Helper()
	ctx := browsertest.Start(t, 4*time.Minute)
	return &tab{t: t, ctx: ctx, base: base}
}

// do runs steps, each bounded so that a page that never shows what a step
// waits for fails the journey with what the page says instead.
//
// Before the steps it marks the document now in the tab (data-left on its
// root), so a wait for freshFlash after a submission matches only the page
// the submission leads to: the page before may show a flash of its own,
// and a wait that it satisfied would read the old page.
func (b *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 45*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { if (document.documentElement) document.documentElement.dataset.left = "1"; return true })()`)); err != nil {
		b.t.Fatalf("mark the page at %s: %v", b.location(), err)
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%v; the page at %s says: %s", err, b.location(), b.pageText())
	}
	b.axe()
}

// freshFlash is the flash message of a page loaded since do began.
const freshFlash = "html:not([data-left]) p.flash"

func (b *tab) open(path string) { b.t.Helper(); b.do(chromedp.Navigate(b.base + path)) }

// pageText is the visible text of the page's main part, for failures.
func (b *tab) pageText() string {
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(() => { const m = document.querySelector("main") || document.body; return m ? m.innerText : "" })()`))
	if err != nil {
		return err.Error()
	}
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 600 {
		s = s[:600]
	}
	return s
}

// text reads the visible text of the first element matching sel in the
// document now in the tab.
func (b *tab) text(sel string) string {
	b.t.Helper()
	b.parsed()
	js := fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? e.innerText : null })()`, sel)
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[*string](js))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	if s == nil {
		b.t.Fatalf("no %s on the page at %s: %s", sel, b.location(), b.pageText())
	}
	return strings.TrimSpace(*s)
}

// count is how many elements match sel in the document now in the tab.
func (b *tab) count(sel string) int {
	b.t.Helper()
	b.parsed()
	n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
	if err != nil {
		b.t.Fatalf("count %s: %v", sel, err)
	}
	return n
}

// parsed waits until the current document is parsed to its end. A step
// that waited for an element of a new page (WaitVisible) may return while
// the rest of the page still streams in: a table read then can hold only
// its first cells.
func (b *tab) parsed() {
	b.t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; {
		state, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.readyState`))
		if err == nil && state != "loading" {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("the page at %s is still loading: %v", b.location(), err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// value is the current value of the form control matching sel.
func (b *tab) value(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[*string](fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? e.value : null })()`, sel)))
	if err != nil || s == nil {
		b.t.Fatalf("value of %s: %v", sel, err)
	}
	return *s
}

func (b *tab) location() string {
	s, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		return err.Error()
	}
	return s
}

// signIn types the credentials into the sign-in form, as a person would.
func (b *tab) signIn(username string) {
	b.t.Helper()
	b.open("/signin")
	b.do(
		chromedp.SendKeys(chromedp.CSS("#username"), username),
		chromedp.SendKeys(chromedp.CSS("#password"), journeyPassword(username)),
		chromedp.Click(chromedp.CSS("form[action='/signin'] button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("nav.nav")),
	)
}

func (b *tab) signOut() {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.CSS("form[action='/signout'] button")), chromedp.WaitVisible(chromedp.CSS("#username")))
}

// catalogueKey is a message key shown as it is: a text missing from the
// catalogue.
var catalogueKey = regexp.MustCompile(`\b(web|injury|grants|leave|enrollment|field|problem)\.[a-z0-9_]+(\.[a-z0-9_]+)*\b`)

// screenshot checks that every text on the page came from the catalogue
// and saves the page under the test's artifact folder.
func (b *tab) screenshot(name string) {
	b.t.Helper()
	if k := catalogueKey.FindString(b.text("body")); k != "" {
		b.t.Errorf("the page at %s shows the catalogue key %q instead of its text", b.location(), k)
	}
	shot, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100)) // quality 100 is PNG
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b.t.ArtifactDir(), name+".png"), shot, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// sessionCookie is the browser's session cookie, for fetching a download.
func (b *tab) sessionCookie() *http.Cookie {
	b.t.Helper()
	res, err := chromedp.Run(b.ctx, func(ctx context.Context, t *chromedp.Target) (network.GetCookiesResult, error) {
		return cdp.Call(ctx, t, network.GetCookies, network.GetCookiesParams{URLs: []string{b.base}})
	})
	if err != nil {
		b.t.Fatal(err)
	}
	for _, c := range res.Cookies {
		if strings.HasSuffix(c.Name, "anxin_session") {
			if !c.HTTPOnly {
				b.t.Error("the session cookie is readable by scripts")
			}
			return &http.Cookie{Name: c.Name, Value: c.Value}
		}
	}
	b.t.Fatal("no session cookie in the browser")
	return nil
}
