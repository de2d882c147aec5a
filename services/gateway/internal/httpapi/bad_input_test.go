package httpapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

// TestFormWithAControlCharacterNamesTheField: a NUL typed (or pasted) into
// a form is refused with 422 naming the field, and nothing is created;
// line breaks in a text are text.
func TestFormWithAControlCharacterNamesTheField(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	b := e.browser()
	b.signIn("admin1")
	tok := b.token("/account")
	r := b.post("/admin/users", url.Values{"csrf_token": {tok}, "username": {"nul.user"}, "display_name": {"王\x00五"},
		"roles": {"caseworker"}, "units": {"unit-1"}, "lang": {"zh-CN"}, "password": {"a long good phrase"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "“display_name”一栏含有不可见的控制字符") {
		t.Fatalf("NUL in a form = %d %s", r.status, r.body)
	}
	if us, _ := e.accounts.Users(t.Context(), store.UserFilter{Query: "nul.user"}); len(us) != 0 {
		t.Fatal("a user was created from a refused form")
	}
	r = b.post("/admin/users", url.Values{"csrf_token": {tok}, "username": {"esc.user"}, "display_name": {"王五\x1b[31m"},
		"roles": {"caseworker"}, "units": {"unit-1"}, "lang": {"zh-CN"}, "password": {"a long good phrase"}}, "Accept-Language", "en")
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "display_name") {
		t.Fatalf("ESC in a form = %d %s", r.status, r.body)
	}
}

// TestFormOverItsCapIs413: a form larger than the gateway takes is a 413
// page naming the cap, not a 403 "cross-site" refusal.
func TestFormOverItsCapIs413(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	b := e.browser()
	b.signIn("admin1")
	tok := b.token("/account")
	r := b.post("/admin/users", url.Values{"csrf_token": {tok}, "username": {"big.user"}, "display_name": {strings.Repeat("大", 1<<20)}})
	if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, "超过了 1 MiB 的上限") {
		t.Fatalf("form over the cap = %d %.300s", r.status, r.body)
	}
}

// TestProxiedBodyOverTheCapIs413: a JSON body over the gateway's cap on its
// way to a service is the client's mistake, a 413 problem naming the cap,
// not a 502 "the service is unavailable".
func TestProxiedBodyOverTheCapIs413(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("off1", domain.RoleOfficer)
	b := e.browser()
	b.signIn("off1")
	body := `{"reason":"` + strings.Repeat("x", 2<<20) + `"}`
	for _, chunked := range []bool{false, true} {
		var rd io.Reader = strings.NewReader(body)
		if chunked {
			rd = struct{ io.Reader }{rd} // no declared length: the cap is found while reading
		}
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/api/v1/leave/requests", rd)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept-Language", "en")
		req.Header.Set("X-CSRF-Token", b.csrf())
		r := b.do(req)
		var p struct {
			Code   string `json:"code"`
			Detail string `json:"detail"`
			Limit  int64  `json:"limit_bytes"`
		}
		_ = json.Unmarshal([]byte(r.body), &p)
		if r.status != http.StatusRequestEntityTooLarge || p.Code != "too_large" || p.Limit != 1<<20 || !strings.Contains(p.Detail, "1 MiB") {
			t.Fatalf("chunked=%v: oversized proxied body = %d %s", chunked, r.status, r.body)
		}
	}
}

// csrf is the session's token for API calls.
func (b *browser) csrf() string {
	b.t.Helper()
	var m struct {
		CSRF string `json:"csrf_token"`
	}
	_ = json.Unmarshal([]byte(b.get("/api/v1/gateway/me").body), &m)
	return m.CSRF
}

// TestUserAPIRefusesNUL: a NUL in a user's display name through the
// gateway's own API was a 500; it is a 422 naming the field.
func TestUserAPIRefusesNUL(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	target := e.user("target", domain.RoleOfficer)
	e.user("admin1", domain.RoleAdmin)
	b := e.browser()
	b.signIn("admin1")
	for _, tc := range []struct{ method, path, body, field string }{
		{http.MethodPost, "/api/v1/gateway/users", `{"username":"nul1","display_name":"新\u0000用户","roles":["finance"],"password":"a long new passphrase"}`, "display_name"},
		{http.MethodPut, "/api/v1/gateway/users/" + target.ID, `{"display_name":"改名","member_id":"m-target","roles":["officer"],"units":["unit-1\u0000"]}`, "units.0"},
	} {
		r := b.api(tc.method, tc.path, tc.body, "If-Match", `"1"`)
		var p struct {
			Code   string `json:"code"`
			Errors []struct{ Field, Code string }
		}
		_ = json.Unmarshal([]byte(r.body), &p)
		if r.status != http.StatusUnprocessableEntity || len(p.Errors) != 1 || p.Errors[0].Field != tc.field || p.Errors[0].Code != "field.control_char" {
			t.Fatalf("%s %s = %d %s", tc.method, tc.path, r.status, r.body)
		}
	}
	if us, _ := e.accounts.Users(t.Context(), store.UserFilter{Query: "nul1"}); len(us) != 0 {
		t.Fatal("a user was created from a refused call")
	}
	if u, _ := e.accounts.User(t.Context(), target.ID); u.Version != target.Version {
		t.Fatal("a refused update changed the user")
	}
}

// TestProxiedResponsesAreNotStoredAndSayTheirIDOnce: an API answer passed
// through from a service carries Cache-Control: no-store (it may hold
// medical data) and one X-Request-ID, the one the service logged too.
func TestProxiedResponsesAreNotStoredAndSayTheirIDOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := e.user("off1", domain.RoleOfficer)
	b := e.browser()
	b.signIn("off1")
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/api/v1/leave/members/"+u.MemberID+"/balance?year=2026", nil)
	req.Header.Set("X-Request-ID", "req-from-client-1")
	r := b.do(req)
	if r.status != http.StatusOK {
		t.Fatalf("proxied GET = %d %s", r.status, r.body)
	}
	if got := r.header.Values("X-Request-Id"); len(got) != 1 || got[0] != "req-from-client-1" {
		t.Errorf("X-Request-ID = %q, want once", got)
	}
	if got := r.header.Values("Cache-Control"); len(got) != 1 || got[0] != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store once", got)
	}
	if got := r.header.Values("X-Content-Type-Options"); len(got) != 1 {
		t.Errorf("X-Content-Type-Options = %q, want once", got)
	}
	// The service's own answer names the request id it logged.
	req, _ = http.NewRequest(http.MethodGet, e.srv.URL+"/api/v1/leave/requests/"+unknownRequest, nil)
	req.Header.Set("X-Request-ID", "req-from-client-2")
	if r := b.do(req); r.status != http.StatusNotFound || problemOf(r).RequestID != "req-from-client-2" {
		t.Errorf("the service logged request id %q (%d %s)", problemOf(r).RequestID, r.status, r.body)
	}
	// A page with personal data is not stored either.
	if p := b.get("/account"); p.header.Get("Cache-Control") != "no-store" {
		t.Errorf("account page Cache-Control = %q", p.header.Get("Cache-Control"))
	}
}
