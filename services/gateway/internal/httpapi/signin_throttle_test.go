package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// The owner of an account an attacker hammered learns of it at their next
// sign-in, on their account page, before going on.
func TestSignInTellsOfFailedAttempts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("zhouqi", domain.RoleOfficer)
	attacker := e.browser()
	tok := attacker.token("/signin")
	for i := range 3 {
		if r := attacker.post("/signin", url.Values{"csrf_token": {tok}, "username": {"zhouqi"}, "password": {"guess " + string(rune('a'+i))}}); r.status != http.StatusUnauthorized {
			t.Fatalf("failure %d = %d", i+1, r.status)
		}
	}
	// Twenty minutes later (so not the owner's own typing just now), the owner
	// signs in.
	e.clk.Advance(20 * time.Minute)
	owner := e.browser()
	r := owner.signIn("zhouqi")
	loc := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/account?m=failed_signins&next=") {
		t.Fatalf("sign-in after failures = %d to %q, want the account page first", r.status, loc)
	}
	page := owner.get(loc)
	if !strings.Contains(page.body, `id="failed-signins"`) || !strings.Contains(page.body, "有 3 次登录失败") || !strings.Contains(page.body, "127.0.0.1") {
		t.Fatalf("account page does not tell of the 3 failures:\n%s", page.body)
	}
	// The next sign-in has nothing new to tell and goes straight home.
	again := e.browser()
	if r := again.signIn("zhouqi"); r.status != http.StatusSeeOther || strings.HasPrefix(r.header.Get("Location"), "/account") {
		t.Fatalf("second sign-in = %d to %q", r.status, r.header.Get("Location"))
	}
}

// An administrator sees who must wait and lifts it; an auditor may look
// but not lift.
func TestAdminLiftsASignInThrottle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("wuba", domain.RoleFinance)
	e.user("admin1", domain.RoleAdmin)
	e.user("auditor1", domain.RoleAuditor)
	b := e.browser()
	tok := b.token("/signin")
	for i := range 6 {
		b.post("/signin", url.Values{"csrf_token": {tok}, "username": {"wuba"}, "password": {"guess " + string(rune('a'+i))}})
	}
	if r := b.post("/signin", url.Values{"csrf_token": {tok}, "username": {"wuba"}, "password": {password}}); r.status != http.StatusTooManyRequests {
		t.Fatalf("throttled owner = %d", r.status)
	}

	aud := e.browser()
	aud.signIn("auditor1")
	list := aud.get("/admin/sign-in-throttles")
	if list.status != http.StatusOK || !strings.Contains(list.body, "wuba") || strings.Contains(list.body, `action="/admin/sign-in-throttles/lift"`) {
		t.Fatalf("auditor's list = %d, lift form shown: %v", list.status, strings.Contains(list.body, "lift"))
	}
	if r := aud.post("/admin/sign-in-throttles/lift", url.Values{"csrf_token": {aud.token("/account")}, "account": {"wuba"}, "address": {"127.0.0.1"}}); r.status != http.StatusForbidden {
		t.Fatalf("auditor lift = %d, want 403", r.status)
	}

	adm := e.browser()
	adm.signIn("admin1")
	list = adm.get("/admin/sign-in-throttles")
	if !strings.Contains(list.body, "wuba") || !strings.Contains(list.body, `action="/admin/sign-in-throttles/lift"`) {
		t.Fatalf("admin's list has no lift for wuba:\n%s", list.body)
	}
	r := adm.post("/admin/sign-in-throttles/lift", url.Values{"csrf_token": {adm.token("/admin/sign-in-throttles")}, "account": {"wuba"}, "address": {"127.0.0.1"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/sign-in-throttles?m=lifted" {
		t.Fatalf("lift = %d %q", r.status, r.header.Get("Location"))
	}
	if r := b.post("/signin", url.Values{"csrf_token": {tok}, "username": {"wuba"}, "password": {password}}); r.status != http.StatusSeeOther {
		t.Fatalf("owner right after the lift = %d, want signed in", r.status)
	}
	e.clk.Advance(time.Second)
	if page := adm.get("/admin/sign-in-throttles"); strings.Contains(page.body, ">wuba<") {
		t.Fatal("a lifted throttle followed by a sign-in is still listed")
	}
}
