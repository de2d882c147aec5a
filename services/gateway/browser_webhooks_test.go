package gateway_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// screenshotWithCode is screenshot for a page that shows identifiers on
// purpose: event types such as injury.case.opened, in <code> and <pre>,
// look like catalogue keys. Every other text must still come from the
// catalogue.
func (b *tab) screenshotWithCode(name string) {
	b.t.Helper()
	b.parsed()
	text, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(() => { const c = document.body.cloneNode(true);
		c.querySelectorAll("code, pre").forEach(e => e.remove()); return c.innerText })()`))
	if err != nil {
		b.t.Fatal(err)
	}
	if k := catalogueKey.FindString(text); k != "" {
		b.t.Errorf("the page at %s shows the catalogue key %q instead of its text", b.location(), k)
	}
	shot, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b.t.ArtifactDir(), name+".png"), shot, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// TestBrowserWebhookPages walks the administrator's webhook pages in
// Chromium on a phone, each checked with axe-core: the list and its form,
// the form refused by field, the secret shown once, the subscription's
// page and its deletion card.
func TestBrowserWebhookPages(t *testing.T) {
	s := startRealSystem(t)
	withNotifyWebhooks(t, s)
	receiver := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(receiver.Close)
	b := newTab(t, s.gateway)
	b.signIn("admin")
	b.open("/admin/webhooks")
	b.do(
		chromedp.SendKeys(chromedp.CSS("#name"), "县人社局"),
		chromedp.SendKeys(chromedp.CSS("#url"), "http://203.0.113.5/hook"),
		chromedp.Click(chromedp.CSS("#new-webhook button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".error-summary")),
	)
	if got := b.text("#kinds-error"); !strings.Contains(got, "至少选择一种事件") {
		t.Errorf("the kinds' problem: %q", got)
	}
	b.screenshotWithCode("webhooks-1-refused")
	b.open("/admin/webhooks")
	b.do(
		chromedp.SendKeys(chromedp.CSS("#name"), "县人社局"),
		chromedp.SendKeys(chromedp.CSS("#url"), receiver.URL+"/anxin"),
		chromedp.Click(chromedp.CSS("input[name=kinds][value='injury.case.opened']")),
		chromedp.Click(chromedp.CSS("#new-webhook button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#new-secret")),
	)
	if got := b.text("#new-secret"); !strings.HasPrefix(got, "whsec_") {
		t.Errorf("the secret shown: %q", got)
	}
	b.screenshotWithCode("webhooks-2-secret-once")
	b.do(
		chromedp.Click(chromedp.CSS("#new-secret-card a")),
		chromedp.WaitVisible(chromedp.CSS("#edit-webhook")),
	)
	b.do(
		chromedp.Click(chromedp.CSS("form[action$='/delete'] button")),
		chromedp.WaitVisible(chromedp.CSS("#confirm")),
	)
	if got := b.text("#confirm-text"); !strings.Contains(got, "县人社局") {
		t.Errorf("the deletion card: %q", got)
	}
	b.screenshotWithCode("webhooks-3-delete-card")
}
