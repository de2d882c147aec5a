package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// Browser journeys: the gateway's pages in Debian's Chromium, headless, on
// a phone-sized window, against the fake services of the other tests. When
// Chromium cannot be started the tests fail and say why: a browser test
// that skips proves nothing.

const chromiumPath = "/usr/bin/chromium"

// tab is one browser with one tab, on a phone-sized window.
type tab struct {
	t   *testing.T
	ctx context.Context
	e   *env
}

func newTab(t *testing.T, e *env) *tab {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("browser tests need Debian's chromium at %s (apt-get install -y chromium; make test installs it): %v", chromiumPath, err)
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(390, 844),
	)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("cannot start %s: %v", chromiumPath, err)
	}
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

func (b *tab) location() string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return s
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

func (b *tab) signOut() {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.CSS("form[action='/signout'] button")), chromedp.WaitVisible(chromedp.CSS("#username")))
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

// sessionCookie is the browser's session cookie, for fetching a download.
func (b *tab) sessionCookie() *http.Cookie {
	b.t.Helper()
	res, err := chromedp.Run(b.ctx, func(ctx context.Context, t *chromedp.Target) (network.GetCookiesResult, error) {
		return cdp.Call(ctx, t, network.GetCookies, network.GetCookiesParams{URLs: []string{b.e.srv.URL}})
	})
	if err != nil {
		b.t.Fatal(err)
	}
	for _, c := range res.Cookies {
		if c.Name == "anxin_session" {
			if !c.HTTPOnly {
				b.t.Error("the session cookie is readable by scripts")
			}
			return &http.Cookie{Name: c.Name, Value: c.Value}
		}
	}
	b.t.Fatal("no session cookie in the browser")
	return nil
}

// Journeys 1 and 2: an officer on a phone reports an injury and sees the
// case with its clocks; a caseworker sees it in the queue and moves it on;
// the officer sees the new state.
func TestBrowserInjuryJourney(t *testing.T) {
	e := newEnv(t)
	e.user("officer1", domain.RoleOfficer)
	e.user("case1", domain.RoleCaseworker)
	b := newTab(t, e)
	start := time.Now()
	b.signIn("officer1")
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
	if got := b.text("h1"); !strings.Contains(got, "GC-2026-000001") {
		t.Fatalf("case page heading %q", got)
	}
	if got := b.text("#clocks"); got == "" {
		t.Fatal("the case shows no clocks")
	}
	casePath := strings.TrimPrefix(strings.SplitN(b.location(), "?", 2)[0], e.srv.URL)
	b.signOut()

	b.signIn("case1")
	b.open("/work/queue")
	if got := b.text("#queue"); !strings.Contains(got, "GC-2026-000001") {
		t.Fatalf("queue %q lacks the case", got)
	}
	b.open(casePath)
	b.do(
		chromedp.Click(chromedp.CSS("details.action summary")),
		chromedp.Click(chromedp.CSS("form[action$='/actions/acknowledge'] button")),
		chromedp.WaitVisible(chromedp.CSS("p.flash")),
	)
	b.signOut()

	b.signIn("officer1")
	b.open(casePath)
	if got := b.text("#case-state"); !strings.Contains(got, "treatment") {
		t.Errorf("officer sees state %q, want the new one", got)
	}
	b.screenshot("injury-journey")
}

// Journey 3: a family member applies for a grant; a caseworker reviews, two
// approvers approve and finance pays; the applicant sees "paid".
func TestBrowserGrantJourney(t *testing.T) {
	e := newEnv(t)
	for name, role := range map[string]domain.Role{"family1": domain.RoleFamily, "case1": domain.RoleCaseworker,
		"appr1": domain.RoleApprover, "appr2": domain.RoleApprover, "fin1": domain.RoleFinance} {
		e.user(name, role)
	}
	b := newTab(t, e)
	b.signIn("family1")
	b.open("/grants/apply")
	b.do(
		chromedp.SendKeys(chromedp.CSS("#requested_amount"), "30000"),
		chromedp.SendKeys(chromedp.CSS("#documents"), "伤残等级鉴定结论"),
		chromedp.Click(chromedp.CSS("form[action='/grants/apply'] button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#app-state")),
	)
	appPath := strings.TrimPrefix(strings.SplitN(b.location(), "?", 2)[0], e.srv.URL)
	b.signOut()
	for _, s := range []struct{ who, step string }{{"case1", "review"}, {"appr1", "approve"}, {"appr2", "approve"}, {"fin1", "disburse"}} {
		b.signIn(s.who)
		b.open(appPath)
		b.do(
			chromedp.Click(chromedp.CSS("form[action$='/"+s.step+"'] button")),
			chromedp.WaitVisible(chromedp.CSS("p.flash")),
		)
		b.signOut()
	}
	b.signIn("family1")
	b.open(appPath)
	if got := b.text("#app-state"); got != "已支付" {
		t.Errorf("applicant sees %q, want 已支付", got)
	}
	b.screenshot("grant-journey")
}

// Journey 4: finance exports the ledger as XLSX; the file's control totals
// match the trial balance page.
func TestBrowserFinanceExport(t *testing.T) {
	e := newEnv(t)
	e.user("fin1", domain.RoleFinance)
	b := newTab(t, e)
	b.signIn("fin1")
	b.open("/finance")
	pageDebit := b.text("#total-debit")
	b.screenshot("finance-position")
	b.do(
		chromedp.SetValue(chromedp.CSS("#format"), "xlsx"),
		chromedp.Click(chromedp.CSS("form[action='/finance/exports'] button")),
		chromedp.WaitVisible(chromedp.CSS("#download")),
	)
	href, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.CSS("#download"), "href"))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, absolute(e.srv.URL, href.Value), nil)
	req.AddCookie(b.sessionCookie())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="ledger-e-1.xlsx"` {
		t.Errorf("Content-Disposition %q", cd)
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
	last := rows[len(rows)-1]
	fileDebit, err := money.Parse(last[4])
	if err != nil {
		t.Fatalf("totals row %q: %v", last, err)
	}
	shown, err := money.Parse(strings.NewReplacer("¥", "", ",", "").Replace(pageDebit))
	if err != nil {
		t.Fatalf("trial balance total %q: %v", pageDebit, err)
	}
	if fileDebit != shown {
		t.Errorf("export total %v, trial balance page %v", fileDebit, shown)
	}
	b.screenshot("finance-export")
}

func absolute(base, href string) string {
	if strings.HasPrefix(href, "/") {
		return base + href
	}
	return href
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
