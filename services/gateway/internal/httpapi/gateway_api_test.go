package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/internal/specs"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// apiCall sends a JSON call as the browser b, with the session's form token
// on unsafe methods (read from /me) unless noToken.
func (b *browser) api(method, path, body string, headers ...string) response {
	b.t.Helper()
	req, _ := http.NewRequest(method, b.e.srv.URL+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if method != http.MethodGet {
		me := b.get("/api/v1/gateway/me")
		var m struct {
			CSRF string `json:"csrf_token"`
		}
		_ = json.Unmarshal([]byte(me.body), &m)
		req.Header.Set("X-CSRF-Token", m.CSRF)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

func problemCode(t *testing.T, r response) string {
	t.Helper()
	var p struct {
		Code string `json:"code"`
	}
	_ = json.Unmarshal([]byte(r.body), &p)
	return p.Code
}

func TestGatewayAPIAccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	spec := specs.MustLoad(t, "gateway")
	target := e.user("target", domain.RoleOfficer)
	e.user("admin1", domain.RoleAdmin)
	e.user("auditor1", domain.RoleAuditor)
	e.user("officer1", domain.RoleOfficer)
	as := map[string]*browser{"anonymous": e.browser()}
	for _, name := range []string{"admin1", "auditor1", "officer1"} {
		b := e.browser()
		if r := b.signIn(name); r.status != http.StatusSeeOther {
			t.Fatalf("sign in %s: %d", name, r.status)
		}
		as[name] = b
	}
	id := target.ID
	create := `{"username":"new1","display_name":"新用户","roles":["finance"],"password":"a long new passphrase"}`
	update := `{"display_name":"改名","member_id":"m-target","roles":["officer"]}`
	tests := []struct {
		method, path, body string
		want               map[string]int // by who; missing: 403
	}{
		{http.MethodGet, "/api/v1/gateway/me", "", map[string]int{"admin1": 200, "auditor1": 200, "officer1": 200}},
		{http.MethodGet, "/api/v1/gateway/users", "", map[string]int{"admin1": 200, "auditor1": 200}},
		{http.MethodGet, "/api/v1/gateway/users/" + id, "", map[string]int{"admin1": 200, "auditor1": 200}},
		{http.MethodPut, "/api/v1/gateway/users/" + id, update, map[string]int{"admin1": 200}},
		{http.MethodPost, "/api/v1/gateway/users/" + id + "/password", `{"password":"another long phrase"}`, map[string]int{"admin1": 204}},
		{http.MethodPost, "/api/v1/gateway/users", create, map[string]int{"admin1": 201}},
		{http.MethodPost, "/api/v1/gateway/users/" + id + "/disable", "", map[string]int{"admin1": 200}},
		{http.MethodPost, "/api/v1/gateway/users/" + id + "/enable", "", map[string]int{"admin1": 200}},
	}
	for _, tc := range tests {
		for _, who := range []string{"anonymous", "officer1", "auditor1", "admin1"} {
			want, ok := tc.want[who]
			switch {
			case who == "anonymous":
				want = http.StatusUnauthorized
			case !ok:
				want = http.StatusForbidden
			}
			var headers []string
			if tc.method == http.MethodPut || strings.HasSuffix(tc.path, "able") {
				cur := as["admin1"].get("/api/v1/gateway/users/" + id)
				headers = []string{"If-Match", cur.header.Get("ETag")}
			}
			r := as[who].api(tc.method, tc.path, tc.body, headers...)
			if r.status != want {
				t.Errorf("%s %s as %s = %d, want %d (%s)", tc.method, tc.path, who, r.status, want, r.body)
			}
			// 2xx and problem bodies alike are what api/openapi/gateway.yaml says.
			if err := spec.ValidateResponse(httptest.NewRequest(tc.method, tc.path, nil), r.status, r.header, []byte(r.body)); err != nil {
				t.Errorf("%s %s as %s: %v", tc.method, tc.path, who, err)
			}
		}
	}
}

func TestGatewayAPIRejectsAndChangesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	target := e.user("target", domain.RoleOfficer)
	admin := e.user("admin1", domain.RoleAdmin)
	b := e.browser()
	b.signIn("admin1")
	path := "/api/v1/gateway/users/" + target.ID
	tests := []struct {
		name, method, path, body string
		headers                  []string
		wantStatus               int
		wantCode                 string
	}{
		{name: "stale version", method: http.MethodPut, path: path, body: `{"display_name":"x","member_id":"m","roles":["officer"]}`,
			headers: []string{"If-Match", `"9"`}, wantStatus: 409, wantCode: "version_mismatch"},
		{name: "no If-Match", method: http.MethodPut, path: path, body: `{"display_name":"x","member_id":"m","roles":["officer"]}`,
			wantStatus: 428, wantCode: "precondition_required"},
		{name: "invalid roles", method: http.MethodPut, path: path, body: `{"display_name":"x","roles":["officer"]}`,
			headers: []string{"If-Match", `"1"`}, wantStatus: 422, wantCode: "validation_failed"},
		{name: "unknown field", method: http.MethodPut, path: path, body: `{"display_name":"x","roles":["officer"],"extra":1}`,
			headers: []string{"If-Match", `"1"`}, wantStatus: 422, wantCode: "validation_failed"},
		{name: "common password", method: http.MethodPost, path: path + "/password", body: `{"password":"password123"}`,
			wantStatus: 422, wantCode: "validation_failed"},
		{name: "disable self", method: http.MethodPost, path: "/api/v1/gateway/users/" + admin.ID + "/disable",
			headers: []string{"If-Match", `"1"`}, wantStatus: 409, wantCode: domain.CodeDisableSelf},
		{name: "unknown user", method: http.MethodGet, path: "/api/v1/gateway/users/0190c0de-0000-7000-8000-000000000000", wantStatus: 404, wantCode: "not_found"},
		{name: "malformed id", method: http.MethodGet, path: "/api/v1/gateway/users/not-a-uuid", wantStatus: 404, wantCode: "not_found"},
		{name: "taken username", method: http.MethodPost, path: "/api/v1/gateway/users",
			body: `{"username":"target","display_name":"重名","roles":["finance"]}`, wantStatus: 422, wantCode: "validation_failed"},
		{name: "no csrf header", method: http.MethodPost, path: path + "/disable", headers: []string{"X-CSRF-Token", "", "If-Match", `"1"`},
			wantStatus: 403, wantCode: "gateway.csrf"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := b.api(tc.method, tc.path, tc.body, tc.headers...)
			if r.status != tc.wantStatus || problemCode(t, r) != tc.wantCode {
				t.Errorf("= %d %q, want %d %q: %s", r.status, problemCode(t, r), tc.wantStatus, tc.wantCode, r.body)
			}
		})
	}
	got, _ := e.accounts.User(t.Context(), target.ID)
	if got.Version != target.Version || got.DisplayName != target.DisplayName || !got.Active() || got.PasswordHash != target.PasswordHash {
		t.Errorf("rejected requests changed the user: %+v", got)
	}
}

func TestDisableEndsSessionAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	target := e.user("target", domain.RoleOfficer)
	e.user("admin1", domain.RoleAdmin)
	victim := e.browser()
	victim.signIn("target")
	if r := victim.get("/api/v1/gateway/me"); r.status != http.StatusOK {
		t.Fatalf("me = %d", r.status)
	}
	admin := e.browser()
	admin.signIn("admin1")
	if r := admin.api(http.MethodPost, "/api/v1/gateway/users/"+target.ID+"/disable", "", "If-Match", `"1"`); r.status != http.StatusOK {
		t.Fatalf("disable = %d %s", r.status, r.body)
	}
	if r := victim.get("/api/v1/gateway/me"); r.status != http.StatusUnauthorized {
		t.Errorf("disabled user's session still answers %d", r.status)
	}
	if r := victim.get("/account"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/signin") {
		t.Errorf("disabled user's page = %d %s", r.status, r.header.Get("Location"))
	}
}
