package gateway_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/anxin-welfare/anxin/pkg/auth"
)

// strconvQuote makes s a JavaScript string literal (JSON is one).
func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Submissions that happen once and sign-in without lockouts, in a phone
// browser against the real services: a case report form sent again opens
// no second case; the owner of an account
// someone guessed at is told at their next sign-in; an administrator sees a
// throttle and lifts it.
func TestBrowserSubmitOnceAndSignInThrottles(t *testing.T) {
	s := startRealSystem(t)
	b := newTab(t, s.gateway)
	cw := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
	cases := func() int {
		w := s.env.Do(t, s.h["injury"], &cw, "GET", "/api/v1/injury/cases", nil)
		var out struct {
			Cases []json.RawMessage `json:"cases"`
		}
		_ = json.Unmarshal(w.Body.Bytes(), &out)
		return len(out.Cases)
	}

	t.Run("a case report sent twice opens one case", func(t *testing.T) {
		b.t = t
		before := cases()
		b.signIn("officer")
		b.open("/injury/report")
		b.do(
			chromedp.SendKeys(chromedp.CSS("#place"), "城关派出所门口"),
			chromedp.SendKeys(chromedp.CSS("#description"), "巡逻时摔伤右腿"),
		)
		// The very form as the browser would send it again (a double tap
		// that lands after the first, or a reload that re-sends the POST).
		// Back would not do it: the pages are no-store, so Back fetches a
		// fresh form with a fresh token, which is a new report.
		form, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(() => {
			const f = document.querySelector("form[action='/injury/report']");
			for (const e of f.elements) { if (e.name) e.setAttribute("value", e.value); }
			for (const o of f.querySelectorAll("option")) { if (o.selected) o.setAttribute("selected", ""); }
			for (const ta of f.querySelectorAll("textarea")) { ta.textContent = ta.value; }
			return f.outerHTML })()`))
		if err != nil {
			t.Fatal(err)
		}
		b.do(
			chromedp.Click(chromedp.CSS("form[action='/injury/report'] button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#clocks")),
		)
		first := strings.SplitN(b.location(), "?", 2)[0]
		resend := fmt.Sprintf(`(() => { document.body.insertAdjacentHTML("beforeend", %s); document.querySelector("#again form").submit(); return true })()`,
			strconvQuote(`<div id="again">`+form+`</div>`))
		if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](resend)); err != nil {
			t.Fatal(err)
		}
		b.do(chromedp.WaitNotPresent(chromedp.CSS("#again")), chromedp.WaitVisible(chromedp.CSS("#clocks")))
		if again := strings.SplitN(b.location(), "?", 2)[0]; again != first {
			t.Fatalf("the form sent again went to %s, not to the first report's case %s", again, first)
		}
		if n := cases() - before; n != 1 {
			t.Fatalf("%d cases opened by one report sent twice, want 1", n)
		}
		b.screenshot("once-case-report-sent-again")
		b.signOut()
	})

	t.Run("the owner learns of failed attempts at the next sign-in", func(t *testing.T) {
		b.t = t
		for range 3 {
			b.open("/signin")
			b.do(
				chromedp.SendKeys(chromedp.CSS("#username"), "finance"),
				chromedp.SendKeys(chromedp.CSS("#password"), "a wrong guess"),
				chromedp.Click(chromedp.CSS("form[action='/signin'] button[type=submit]")),
				// The refusal re-renders the form with the name filled in.
				chromedp.WaitVisible(chromedp.CSS(`#username[value="finance"]`)),
			)
		}
		// Not the owner's own typing a moment ago.
		s.env.Clock.Advance(20 * time.Minute)
		b.signIn("finance")
		if loc := b.location(); !strings.Contains(loc, "/account?m=failed_signins") {
			t.Fatalf("after failed attempts the sign-in went to %s, not the account page", loc)
		}
		if got := b.text("#failed-signins"); !strings.Contains(got, "3 次登录失败") {
			t.Fatalf("notice %q does not tell of the 3 failures", got)
		}
		b.screenshot("signin-failed-attempts-notice")
		b.signOut()
	})

	t.Run("an administrator sees a throttle and lifts it", func(t *testing.T) {
		b.t = t
		for range 6 {
			b.open("/signin")
			b.do(
				chromedp.SendKeys(chromedp.CSS("#username"), "approver1"),
				chromedp.SendKeys(chromedp.CSS("#password"), "a wrong guess"),
				chromedp.Click(chromedp.CSS("form[action='/signin'] button[type=submit]")),
				chromedp.WaitVisible(chromedp.CSS(`#username[value="approver1"]`)),
			)
		}
		b.signIn("admin")
		b.open("/admin/sign-in-throttles")
		if got := b.text("#sign-in-throttles"); !strings.Contains(got, "approver1") {
			t.Fatalf("throttles %q lack approver1", got)
		}
		b.screenshot("sign-in-throttles")
		b.do(
			chromedp.Click(chromedp.CSS("#sign-in-throttles form[action='/admin/sign-in-throttles/lift'] button")),
			chromedp.WaitVisible(chromedp.CSS(freshFlash)),
		)
		if got := b.text("p.flash"); !strings.Contains(got, "已解除") {
			t.Fatalf("flash %q", got)
		}
		b.signOut()
		b.signIn("approver1")
		if loc := b.location(); strings.Contains(loc, "/signin") {
			t.Fatalf("approver1 still refused after the lift: %s", loc)
		}
		if w := s.env.Do(t, s.h["enrollment"], &cw, "GET", "/healthz", nil); w.Code != http.StatusOK {
			t.Fatal("enrollment not healthy")
		}
	})
}
