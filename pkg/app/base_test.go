package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app"
	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
)

func TestBaseServesProbesAndAdminEndpoints(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	b, err := app.NewBase(context.Background(), env.Deps, app.BaseConfig{Name: "demo", HTTPAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	apptest.Run(t, b.Run)
	h := b.Engine
	if w := env.Do(t, h, nil, "GET", "/healthz", nil); w.Code != http.StatusOK {
		t.Fatalf("healthz = %d", w.Code)
	}
	if w := env.Do(t, h, nil, "GET", "/readyz", nil); w.Code != http.StatusOK {
		t.Fatalf("readyz = %d %s", w.Code, w.Body)
	}
	// Metrics and pprof are never on the public listener: the scrape has
	// a listener of its own (ANXIN_METRICS_ADDR), pprof too (ANXIN_DEBUG_ADDR).
	for _, path := range []string{"/metrics", "/debug/pprof/", "/debug/pprof/heap"} {
		if w := env.Do(t, h, nil, "GET", path, nil); w.Code != http.StatusNotFound {
			t.Fatalf("GET %s on the public listener = %d, want 404", path, w.Code)
		}
	}
	if w := env.Do(t, httpx.MetricsHandler(b.Registry), nil, "GET", "/metrics", nil); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "anxin_outbox_published_total") {
		t.Fatalf("metrics = %d", w.Code)
	}
	admin := auth.Identity{UserID: "u-admin", Roles: []auth.Role{auth.RoleAdmin}}
	officer := auth.Identity{UserID: "u-officer", Roles: []auth.Role{auth.RoleOfficer}}
	tests := []struct {
		name string
		id   *auth.Identity
		path string
		want int
	}{
		{"anonymous", nil, "/api/v1/demo/admin/dead-letters", http.StatusUnauthorized},
		{"officer", &officer, "/api/v1/demo/admin/dead-letters", http.StatusForbidden},
		{"admin", &admin, "/api/v1/demo/admin/dead-letters", http.StatusOK},
		{"audit for admin", &admin, "/api/v1/demo/admin/audit", http.StatusOK},
		{"audit verify", &admin, "/api/v1/demo/admin/audit/verify", http.StatusOK},
		{"bad date", &admin, "/api/v1/demo/admin/audit?from=yesterday", http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if w := env.Do(t, h, tt.id, "GET", tt.path, nil); w.Code != tt.want {
				t.Fatalf("GET %s = %d, want %d: %s", tt.path, w.Code, tt.want, w.Body)
			}
		})
	}
	if w := env.Do(t, h, &admin, "POST", "/api/v1/demo/admin/dead-letters/42/replay", nil); w.Code != http.StatusNotFound {
		t.Fatalf("replay unknown = %d", w.Code)
	}
}

func TestConfigValidateListsEveryProblem(t *testing.T) {
	t.Parallel()
	c := app.Config{Env: "staging", LogLevel: "loud", NATSPort: 4222, DataDir: "", Replicas: 2,
		Addrs: app.Addrs{Gateway: "8080", Enrollment: ":1", Injury: ":2", Grants: ":3", Leave: ":4", Notify: ":5"},
		URLs:  app.URLs{Enrollment: "ftp://x", Injury: "http://x", Grants: "http://x", Leave: "http://x", Notify: "http://x"}}
	err := c.Validate()
	if err == nil {
		t.Fatal("want problems")
	}
	for _, want := range []string{"ANXIN_ENV", "DATABASE_URL", "ANXIN_LOG_LEVEL", "ANXIN_NATS_PORT=4222", "ANXIN_DATA_DIR", "ANXIN_NATS_REPLICAS", "ANXIN_GATEWAY_ADDR", "ANXIN_ENROLLMENT_URL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("problems %q do not name %s", err, want)
		}
	}
	prod := app.Config{Env: "production", DatabaseURL: "postgres://h/db?sslmode=disable", LogLevel: "info", NATSPort: 14222, DataDir: ".data", Replicas: 1, OutboxRetention: time.Hour,
		Addrs: app.Addrs{Gateway: ":8080", Enrollment: ":1", Injury: ":2", Grants: ":3", Leave: ":4", Notify: ":5"},
		URLs:  app.URLs{Enrollment: "http://x", Injury: "http://x", Grants: "http://x", Leave: "http://x", Notify: "http://x"}}
	if err := prod.Validate(); err == nil || !strings.Contains(err.Error(), "TLS") {
		t.Fatalf("production without TLS = %v", err)
	}
}

func TestMessagesAreComplete(t *testing.T) {
	t.Parallel()
	if err := i18n.Validate(); err != nil {
		t.Fatal(err)
	}
}

// A gateway reaches several replicas of a service: ANXIN_<SERVICE>_URL
// lists them, comma-separated, and each must be an http(s) URL.
func TestConfigAcceptsSeveralReplicaURLs(t *testing.T) {
	t.Parallel()
	c := app.Config{Env: "development", DatabaseURL: "postgres://h/db", LogLevel: "info", NATSPort: 14222, DataDir: ".data", Replicas: 3, OutboxRetention: time.Hour,
		Addrs: app.Addrs{Gateway: ":8080", Enrollment: ":1", Injury: ":2", Grants: ":3", Leave: ":4", Notify: ":5"},
		URLs: app.URLs{Enrollment: "http://a:1,http://b:1", Injury: "http://a:2, http://b:2", Grants: "http://a:3",
			Leave: "http://a:4,ftp://b:4", Notify: "http://a:5"}}
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), `ANXIN_LEAVE_URL="ftp://b:4"`) {
		t.Fatalf("err = %v, want the bad replica URL of leave named", err)
	}
	if strings.Contains(err.Error(), "ENROLLMENT") || strings.Contains(err.Error(), "INJURY") {
		t.Fatalf("valid replica lists refused: %v", err)
	}
}
