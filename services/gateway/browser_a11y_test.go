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
	if doc == b.axed {
		return
	}
	browsertest.AxeCheck(b.t, b.ctx)
	b.axed = doc
}

// recorder is a testing.TB that keeps what would fail the test.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) { r.errs = append(r.errs, fmt.Sprintf(format, args...)) }
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
