package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

func TestProxy(t *testing.T) {
	t.Parallel()
	e := newFakeEnv(t)
	u := e.user("officer7", domain.RoleOfficer)

	anon := e.browser()
	if r := anon.get("/api/v1/leave/echo"); r.status != http.StatusUnauthorized || !strings.Contains(r.header.Get("Content-Type"), "problem+json") {
		t.Fatalf("API without session = %d %s", r.status, r.header.Get("Content-Type"))
	}
	if e.lastReceived() != nil {
		t.Fatal("an unauthenticated call reached the service")
	}

	b := e.browser()
	b.signIn("officer7")
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/api/v1/leave/echo/x?year=2026", nil)
	req.Header.Set("Authorization", "Bearer forged")
	req.Header.Set("X-Anxin-Lang", "en")
	req.Header.Set("Idempotency-Key", "k-proxy-1")
	r := b.do(req)
	if r.status != http.StatusOK {
		t.Fatalf("proxied GET = %d %s", r.status, r.body)
	}
	var body map[string]string
	_ = json.Unmarshal([]byte(r.body), &body)
	if body["path"] != "/api/v1/leave/echo/x?year=2026" {
		t.Errorf("service saw path %q", body["path"])
	}
	got := e.lastReceived()
	if got.Header.Get("Authorization") != "Bearer tok|"+u.ID+"|officer|zh-CN" {
		t.Errorf("Authorization = %q", got.Header.Get("Authorization"))
	}
	if got.Header.Get("Idempotency-Key") != "k-proxy-1" {
		t.Errorf("the service got Idempotency-Key %q: retries through the gateway would run twice", got.Header.Get("Idempotency-Key"))
	}
	if got.Header.Get("X-Anxin-Lang") != "zh-CN" || got.Header.Get("Cookie") != "" {
		t.Errorf("service got lang %q cookie %q", got.Header.Get("X-Anxin-Lang"), got.Header.Get("Cookie"))
	}
	for _, c := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "evil=") {
			t.Error("a service's cookie reached the browser")
		}
	}

	tests := []struct {
		name       string
		method     string
		path       string
		headers    []string
		wantStatus int
	}{
		{name: "unknown service", method: http.MethodGet, path: "/api/v1/payroll/x", wantStatus: http.StatusNotFound},
		{name: "unsafe call without token", method: http.MethodPost, path: "/api/v1/leave/echo", wantStatus: http.StatusForbidden},
		{name: "cross-site call", method: http.MethodPost, path: "/api/v1/leave/echo", headers: []string{"Sec-Fetch-Site", "cross-site"}, wantStatus: http.StatusForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.mu.Lock()
			before := len(e.received)
			e.mu.Unlock()
			req, _ := http.NewRequest(tc.method, e.srv.URL+tc.path, strings.NewReader("{}"))
			for i := 0; i+1 < len(tc.headers); i += 2 {
				req.Header.Set(tc.headers[i], tc.headers[i+1])
			}
			if r := b.do(req); r.status != tc.wantStatus {
				t.Errorf("%s %s = %d, want %d", tc.method, tc.path, r.status, tc.wantStatus)
			}
			e.mu.Lock()
			after := len(e.received)
			e.mu.Unlock()
			if after != before {
				t.Error("a refused call reached the service")
			}
		})
	}
}

func TestReadyzFollowsServices(t *testing.T) {
	t.Parallel()
	e := newFakeEnv(t)
	b := e.browser()
	if r := b.get("/readyz"); r.status != http.StatusOK {
		t.Fatalf("readyz with ready service = %d %s", r.status, r.body)
	}
	e.mu.Lock()
	e.ready = false
	e.mu.Unlock()
	if r := b.get("/readyz"); r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, "service:leave") {
		t.Fatalf("readyz with service down = %d %s", r.status, r.body)
	}
}
