package gateway_test

import (
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
