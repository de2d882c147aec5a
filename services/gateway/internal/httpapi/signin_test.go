package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

func TestSignInFlow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("zhangsan", domain.RoleOfficer)
	b := e.browser()

	if r := b.get("/"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/signin" {
		t.Fatalf("GET / signed out = %d %s", r.status, r.header.Get("Location"))
	}
	page := b.get("/signin")
	if page.status != http.StatusOK || !strings.Contains(page.body, `<html lang="zh-CN">`) ||
		!strings.Contains(page.header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("sign-in page %d %q", page.status, page.header)
	}

	tok := b.token("/signin")
	bad := b.post("/signin", url.Values{"csrf_token": {tok}, "username": {"ZhangSan"}, "password": {"wrong one"}})
	if bad.status != http.StatusUnauthorized || !strings.Contains(bad.body, "用户名或密码不正确") ||
		!strings.Contains(bad.body, `value="ZhangSan"`) || strings.Contains(bad.body, "wrong one") {
		t.Fatalf("wrong password: %d", bad.status)
	}
	unknown := b.post("/signin", url.Values{"csrf_token": {tok}, "username": {"nobody"}, "password": {"wrong one"}})
	if unknown.status != bad.status || !strings.Contains(unknown.body, "用户名或密码不正确") {
		t.Fatalf("unknown user answered differently: %d", unknown.status)
	}
	empty := b.post("/signin", url.Values{"csrf_token": {tok}})
	if empty.status != http.StatusUnprocessableEntity || !strings.Contains(empty.body, `id="username-error"`) ||
		!strings.Contains(empty.body, `id="password-error"`) {
		t.Fatalf("empty form: %d", empty.status)
	}

	ok := b.signIn("zhangsan")
	if ok.status != http.StatusSeeOther || ok.header.Get("Location") != "/my" {
		t.Fatalf("sign-in = %d → %s", ok.status, ok.header.Get("Location"))
	}
	first := b.cookie("anxin_session")
	if first == "" {
		t.Fatal("no session cookie")
	}
	for _, c := range ok.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "anxin_session=") && (!strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax")) {
			t.Errorf("session cookie %q lacks HttpOnly or SameSite=Lax", c)
		}
	}
	// Signing in again gives a new id and ends the old session.
	b.post("/signin", url.Values{"csrf_token": {b.token("/account")}, "username": {"zhangsan"}, "password": {password}})
	second := b.cookie("anxin_session")
	if second == "" || second == first {
		t.Fatal("session id did not change at sign-in")
	}
	if _, _, err := e.accounts.Resolve(t.Context(), first); err == nil {
		t.Error("the replaced session still works")
	}

	out := b.post("/signout", url.Values{"csrf_token": {b.token("/account")}})
	if out.status != http.StatusSeeOther || out.header.Get("Location") != "/signin?m=signed_out" {
		t.Fatalf("sign-out = %d %s", out.status, out.header.Get("Location"))
	}
	if _, _, err := e.accounts.Resolve(t.Context(), second); err == nil {
		t.Error("session alive after sign-out")
	}
	if r := b.get("/signin?m=signed_out"); !strings.Contains(r.body, "您已退出登录") {
		t.Error("no signed-out notice")
	}
}

func TestSignInNextIsLocalOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("caseworker1", domain.RoleCaseworker)
	tests := []struct {
		name, next, want string
	}{
		{name: "local path", next: "/work/queue?unit=u1", want: "/work/queue?unit=u1"},
		{name: "other site", next: "https://evil.example/", want: "/work/queue"},
		{name: "protocol relative", next: "//evil.example/", want: "/work/queue"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := e.browser()
			tok := b.token("/signin")
			r := b.post("/signin", url.Values{"csrf_token": {tok}, "username": {"caseworker1"}, "password": {password}, "next": {tc.next}})
			if r.status != http.StatusSeeOther || r.header.Get("Location") != tc.want {
				t.Errorf("next %q → %d %q, want %q", tc.next, r.status, r.header.Get("Location"), tc.want)
			}
		})
	}
}

func TestForgedPostsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := e.user("lisi", domain.RoleOfficer)
	b := e.browser()
	if r := b.signIn("lisi"); r.status != http.StatusSeeOther {
		t.Fatalf("sign-in %d", r.status)
	}
	tok := b.token("/account")
	tests := []struct {
		name    string
		form    url.Values
		headers []string
	}{
		{name: "cross-site by Sec-Fetch-Site", form: url.Values{"csrf_token": {tok}, "lang": {"en"}}, headers: []string{"Sec-Fetch-Site", "cross-site"}},
		{name: "cross-site by Origin", form: url.Values{"csrf_token": {tok}, "lang": {"en"}}, headers: []string{"Sec-Fetch-Site", "", "Origin", "https://evil.example"}},
		{name: "no form token", form: url.Values{"lang": {"en"}}},
		{name: "wrong form token", form: url.Values{"csrf_token": {strings.Repeat("A", 43)}, "lang": {"en"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := b.post("/lang", tc.form, tc.headers...)
			if r.status != http.StatusForbidden {
				t.Errorf("forged POST = %d, want 403", r.status)
			}
		})
	}
	got, err := e.accounts.User(t.Context(), u.ID)
	if err != nil || got.Lang != domain.LangZH || got.Version != u.Version {
		t.Errorf("a refused request changed the user: %+v %v", got, err)
	}
	// The visitor's sign-in form is guarded too.
	v := e.browser()
	if r := v.post("/signin", url.Values{"username": {"lisi"}, "password": {password}}); r.status != http.StatusForbidden {
		t.Errorf("sign-in without token = %d", r.status)
	}
}

// TestFormOfAnEndedSessionSignsInAgain: a form posted after its session
// ended (here: idle past the limit) is not called a forgery: the person is
// sent to sign in again, told why, with the page the form was on to come
// back to, and nothing is done. A form with a stale session cookie and no
// token at all from another site is still refused.
func TestFormOfAnEndedSessionSignsInAgain(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := e.user("lisi", domain.RoleOfficer)
	b := e.browser()
	if r := b.signIn("lisi"); r.status != http.StatusSeeOther {
		t.Fatalf("sign-in %d", r.status)
	}
	tok := b.token("/account")
	e.clk.Advance(domain.DefaultSessions.Idle + time.Minute)
	r := b.post("/lang", url.Values{"csrf_token": {tok}, "lang": {"en"}}, "Referer", e.srv.URL+"/account?tab=1")
	if loc := r.header.Get("Location"); r.status != http.StatusSeeOther || loc != "/signin?m=session_ended&next="+url.QueryEscape("/account?tab=1") {
		t.Fatalf("a form of an ended session = %d %q", r.status, loc)
	}
	if page := b.get(r.header.Get("Location")); !strings.Contains(page.body, "登录已过期，请重新登录。") {
		t.Errorf("the sign-in page does not say why: %d", page.status)
	}
	got, err := e.accounts.User(t.Context(), u.ID)
	if err != nil || got.Lang != domain.LangZH || got.Version != u.Version {
		t.Errorf("the form of an ended session changed the user: %+v %v", got, err)
	}
	// from another site: refused before the session is looked at
	if r := b.post("/lang", url.Values{"csrf_token": {tok}, "lang": {"en"}}, "Sec-Fetch-Site", "cross-site"); r.status != http.StatusForbidden {
		t.Errorf("a cross-site form with an ended session's cookie = %d, want 403", r.status)
	}
	// signing in again with the stale cookie still in the jar works
	if r := b.signIn("lisi"); r.status != http.StatusSeeOther || strings.HasPrefix(r.header.Get("Location"), "/signin") {
		t.Errorf("signing in again = %d %q", r.status, r.header.Get("Location"))
	}
}

func TestThrottleEngages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("wangwu", domain.RoleFinance)
	b := e.browser()
	tok := b.token("/signin")
	for i := range 5 {
		if r := b.post("/signin", url.Values{"csrf_token": {tok}, "username": {"wangwu"}, "password": {"guess " + string(rune('a'+i))}}); r.status != http.StatusUnauthorized {
			t.Fatalf("failure %d = %d", i+1, r.status)
		}
	}
	r := b.post("/signin", url.Values{"csrf_token": {tok}, "username": {"wangwu"}, "password": {password}})
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" || !strings.Contains(r.body, "登录失败次数过多") {
		t.Fatalf("sixth attempt = %d %q", r.status, r.header.Get("Retry-After"))
	}
	e.clk.Advance(time.Minute)
	if r := b.post("/signin", url.Values{"csrf_token": {tok}, "username": {"wangwu"}, "password": {password}}); r.status != http.StatusSeeOther {
		t.Fatalf("after the wait = %d", r.status)
	}
}

func TestLanguageSwitch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := e.user("zhaoliu", domain.RoleOfficer)
	v := e.browser()
	r := v.post("/lang", url.Values{"csrf_token": {v.token("/signin")}, "lang": {"en"}, "next": {"/signin"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/signin" {
		t.Fatalf("switch = %d %s", r.status, r.header.Get("Location"))
	}
	page := v.get("/signin")
	if !strings.Contains(page.body, `<html lang="en">`) || !strings.Contains(page.body, "Username") || strings.Contains(page.body, "用户名") {
		t.Fatal("sign-in page not in English after the switch")
	}
	// Errors come in English next to their fields.
	bad := v.post("/signin", url.Values{"csrf_token": {v.token("/signin")}, "username": {"zhaoliu"}})
	if !strings.Contains(bad.body, "Enter a password") || !strings.Contains(bad.body, `value="zhaoliu"`) {
		t.Fatal("English field error missing")
	}
	// A signed-in user's choice is saved with the account.
	b := e.browser()
	b.signIn("zhaoliu")
	b.post("/lang", url.Values{"csrf_token": {b.token("/account")}, "lang": {"en"}, "next": {"//evil.example"}})
	got, _ := e.accounts.User(t.Context(), u.ID)
	if got.Lang != domain.LangEN {
		t.Errorf("user language = %q", got.Lang)
	}
}

func TestSecureCookies(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("secure1", domain.RoleAuditor)
	h := secureHandler(t, e)
	get := httptest.NewRecorder()
	h.ServeHTTP(get, httptest.NewRequest(http.MethodGet, "https://anxin.example/signin", nil))
	var form *http.Cookie
	for _, c := range get.Result().Cookies() {
		if c.Name == "__Host-anxin_form" {
			form = c
		}
	}
	if form == nil || !form.Secure || !form.HttpOnly {
		t.Fatalf("form cookie %+v", form)
	}
	req := httptest.NewRequest(http.MethodPost, "https://anxin.example/signin",
		strings.NewReader(url.Values{"csrf_token": {form.Value}, "username": {"secure1"}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(form)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var sess *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == "__Host-anxin_session" {
			sess = c
		}
	}
	if rec.Code != http.StatusSeeOther || sess == nil || !sess.Secure || !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode || sess.Path != "/" || sess.Domain != "" {
		t.Fatalf("sign-in %d, session cookie %+v", rec.Code, sess)
	}
	if rec.Header().Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS outside development")
	}
}
