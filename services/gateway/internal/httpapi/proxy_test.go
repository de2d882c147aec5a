package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/httpapi"
)

// unknownRequest is a leave request id no service holds.
const unknownRequest = "00000000-0000-7000-8000-00000000dead"

// TestProxy calls the real leave service through the gateway: the service
// answers as the signed-in officer whatever Authorization and language the
// browser sent, an Idempotency-Key reaches it (a retry is its first answer
// replayed), and a call the gateway refuses creates nothing there.
func TestProxy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := e.user("officer7", domain.RoleOfficer)
	period := `{"from":"2026-03-09","to":"2026-03-10"}`

	anon := e.browser()
	if r := anon.get("/api/v1/leave/members/" + u.MemberID + "/balance?year=2026"); r.status != http.StatusUnauthorized ||
		!strings.Contains(r.header.Get("Content-Type"), "problem+json") {
		t.Fatalf("API without session = %d %s", r.status, r.header.Get("Content-Type"))
	}

	b := e.browser()
	b.signIn("officer7")
	// The browser's forged token is not what the service verifies: it
	// answers with the officer's own balance.
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/api/v1/leave/members/"+u.MemberID+"/balance?year=2026", nil)
	req.Header.Set("Authorization", "Bearer forged")
	r := b.do(req)
	var balance struct {
		Balance struct {
			MemberID string `json:"member_id"`
			Year     int    `json:"year"`
		} `json:"balance"`
	}
	_ = json.Unmarshal([]byte(r.body), &balance)
	if r.status != http.StatusOK || balance.Balance.MemberID != u.MemberID || balance.Balance.Year != 2026 {
		t.Fatalf("proxied GET with a forged Authorization = %d %s", r.status, r.body)
	}
	// The language is the officer's (zh-CN), not the one the browser asks
	// the service for.
	req, _ = http.NewRequest(http.MethodGet, e.srv.URL+"/api/v1/leave/requests/"+unknownRequest, nil)
	req.Header.Set("X-Anxin-Lang", "en")
	r = b.do(req)
	if p := problemOf(r); r.status != http.StatusNotFound || p.Title != "未找到请求的内容" {
		t.Errorf("the service answered in %q (%d %s), want the officer's language", p.Title, r.status, r.body)
	}

	// An Idempotency-Key goes through: a retry is the first answer
	// replayed, and the service holds one request.
	first := b.api(http.MethodPost, "/api/v1/leave/requests", period, "Idempotency-Key", "k-proxy-1")
	again := b.api(http.MethodPost, "/api/v1/leave/requests", period, "Idempotency-Key", "k-proxy-1")
	if first.status != http.StatusCreated || again.status != http.StatusCreated || again.body != first.body ||
		again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("a retry with its Idempotency-Key = %d %s, then %d %v %s", first.status, first.body, again.status, again.header, again.body)
	}
	if n := len(e.leaveRequests(u.MemberID)); n != 1 {
		t.Fatalf("the service holds %d requests after a retry, want 1", n)
	}

	tests := []struct {
		name       string
		method     string
		path       string
		headers    []string
		wantStatus int
	}{
		{name: "unknown service", method: http.MethodGet, path: "/api/v1/payroll/x", wantStatus: http.StatusNotFound},
		{name: "unsafe call without token", method: http.MethodPost, path: "/api/v1/leave/requests", wantStatus: http.StatusForbidden},
		{name: "cross-site call", method: http.MethodPost, path: "/api/v1/leave/requests", headers: []string{"Sec-Fetch-Site", "cross-site", "X-CSRF-Token", b.csrf()}, wantStatus: http.StatusForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, e.srv.URL+tc.path, strings.NewReader(`{"from":"2026-03-16","to":"2026-03-17"}`))
			req.Header.Set("Content-Type", "application/json")
			for i := 0; i+1 < len(tc.headers); i += 2 {
				req.Header.Set(tc.headers[i], tc.headers[i+1])
			}
			if r := b.do(req); r.status != tc.wantStatus {
				t.Errorf("%s %s = %d, want %d", tc.method, tc.path, r.status, tc.wantStatus)
			}
			if n := len(e.leaveRequests(u.MemberID)); n != 1 {
				t.Errorf("a refused call reached the service: it holds %d requests", n)
			}
		})
	}
}

// leaveRequests are the member's leave requests as the real leave service
// holds them, read as the unit's caseworker.
func (e *env) leaveRequests(member string) []map[string]any {
	e.t.Helper()
	return e.sys.Items(e.t, e.staff, "/api/v1/leave/requests?member_id="+member)
}

// problemBody is what a problem answer says.
type problemBody struct {
	Title     string `json:"title"`
	Code      string `json:"code"`
	RequestID string `json:"request_id"`
}

// problemOf reads a problem answer.
func problemOf(r response) problemBody {
	var p problemBody
	_ = json.Unmarshal([]byte(r.body), &p)
	return p
}

// TestProxyKeepsTheBrowsersCredentials puts the gateway in front of a stub
// built for this one purpose, no copy of a service: it echoes the headers
// it was sent and tries to set a cookie, which no real service does, to
// show the browser's cookies and token never reach a service and a
// service's cookie never reaches the browser.
func TestProxyKeepsTheBrowsersCredentials(t *testing.T) {
	t.Parallel()
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "evil", Value: "1"})
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"path": r.URL.RequestURI(), "authorization": r.Header.Get("Authorization"),
			"cookie": r.Header.Get("Cookie"), "lang": r.Header.Get("X-Anxin-Lang"), "idempotency_key": r.Header.Get("Idempotency-Key")})
	}))
	t.Cleanup(echo.Close)
	ups, err := httpapi.NewUpstreams(map[string]string{"leave": echo.URL}, tokenForTest, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	e := newStubEnv(t, ups)
	u := e.user("officer7", domain.RoleOfficer)
	b := e.browser()
	b.signIn("officer7")
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/api/v1/leave/anything/x?year=2026", nil)
	req.Header.Set("Authorization", "Bearer forged")
	req.Header.Set("X-Anxin-Lang", "en")
	req.Header.Set("Idempotency-Key", "k-proxy-1")
	r := b.do(req)
	var got map[string]string
	_ = json.Unmarshal([]byte(r.body), &got)
	if r.status != http.StatusOK || got["path"] != "/api/v1/leave/anything/x?year=2026" {
		t.Fatalf("proxied GET = %d %s", r.status, r.body)
	}
	if got["authorization"] != "Bearer tok|"+u.ID+"|officer|zh-CN" {
		t.Errorf("the service got Authorization %q", got["authorization"])
	}
	if got["lang"] != "zh-CN" || got["cookie"] != "" || got["idempotency_key"] != "k-proxy-1" {
		t.Errorf("the service got lang %q, cookie %q, Idempotency-Key %q", got["lang"], got["cookie"], got["idempotency_key"])
	}
	for _, c := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "evil=") {
			t.Error("a service's cookie reached the browser")
		}
	}
}

// TestReadyzFollowsServices: the gateway is ready while the real services
// answer; with leave's server gone it is not, and says which.
func TestReadyzFollowsServices(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	if r := b.get("/readyz"); r.status != http.StatusOK {
		t.Fatalf("readyz with ready services = %d %s", r.status, r.body)
	}
	e.sys.Server["leave"].Close()
	if r := b.get("/readyz"); r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, "service:leave") {
		t.Fatalf("readyz with leave down = %d %s", r.status, r.body)
	}
}
