// Package servicestest starts the four services for the tests of what
// stands in front of them (the gateway's pages, its session layer): each
// built with New on its own schema of one fresh database, with its relay,
// consumers and workers running and its HTTP API on a loopback server, as
// `anxin serve` runs them. It lives outside services/ because it imports
// every service; only tests import it.
package servicestest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/config"
	"github.com/anxin-welfare/anxin/services/enrollment"
	"github.com/anxin-welfare/anxin/services/grants"
	"github.com/anxin-welfare/anxin/services/injury"
	"github.com/anxin-welfare/anxin/services/leave"
)

// System is the four running services of one test.
type System struct {
	// Env is the platform they share; its Deps.Config.URLs name each
	// service's server, so a gateway built on it routes to them.
	Env *apptest.Env
	// H is each service's handler by name ("leave"), for calls that skip
	// the network.
	H map[string]http.Handler
	// URL is each service's server by name.
	URL map[string]string
	// Server is each service's server by name: a test closes one to see
	// the service gone.
	Server map[string]*httptest.Server

	// db is the database the services share, for reading their state.
	db *sqlx.DB

	mu       sync.Mutex
	watchers []func(service string, r *http.Request)
}

// Watch calls f with every request a service's server gets from now on
// (not the calls made with H), before the service answers it: what a test
// reads to see which calls a page made.
func (s *System) Watch(f func(service string, r *http.Request)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.watchers = append(s.watchers, f)
}

// watched is h, telling the watchers of each request first.
func (s *System) watched(name string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		ws := slices.Clone(s.watchers)
		s.mu.Unlock()
		for _, f := range ws {
			f(name, r)
		}
		h.ServeHTTP(w, r)
	})
}

// Start runs enrollment, injury, grants and leave until the test ends, on
// a fake clock set to at before any of them is built.
func Start(t testing.TB, at time.Time) *System {
	t.Helper()
	env := apptest.New(t)
	env.Clock.Set(at)
	ctx := context.Background()
	s := &System{Env: env, H: map[string]http.Handler{}, URL: map[string]string{}, Server: map[string]*httptest.Server{}}
	serve := func(name string, svc interface {
		Handler() http.Handler
		Run(context.Context) error
	}, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		apptest.Run(t, svc.Run)
		s.H[name] = svc.Handler()
		srv := httptest.NewServer(s.watched(name, svc.Handler()))
		t.Cleanup(srv.Close)
		s.URL[name], s.Server[name] = srv.URL, srv
		return srv.URL
	}
	ec, ic := defaults[enrollment.Config](t), defaults[injury.Config](t)
	gc, lc := defaults[grants.Config](t), defaults[leave.Config](t)
	ec.HTTPAddr, ic.HTTPAddr, gc.HTTPAddr, lc.HTTPAddr = "127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0"
	en, err := enrollment.New(ctx, env.Deps, ec)
	env.Deps.Config.URLs.Enrollment = serve("enrollment", en, err)
	is, err := injury.New(ctx, env.Deps, ic)
	env.Deps.Config.URLs.Injury = serve("injury", is, err)
	gs, err := grants.New(ctx, env.Deps, gc)
	env.Deps.Config.URLs.Grants = serve("grants", gs, err)
	ls, err := leave.New(ctx, env.Deps, lc)
	env.Deps.Config.URLs.Leave = serve("leave", ls, err)
	s.db, err = sqlx.Open("postgres", env.Deps.Config.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.db.Close() })
	return s
}

// Knows reports whether injury, grants and leave have each learnt of
// member from enrollment's events: their projections of the members, in
// their default schemas, hold it.
func (s *System) Knows(t testing.TB, member string) bool {
	t.Helper()
	var n int
	if err := s.db.Get(&n, `SELECT (SELECT count(*) FROM injury.members WHERE member_id = $1)
		+ (SELECT count(*) FROM grants.members WHERE member_id = $1) + (SELECT count(*) FROM leave.members WHERE member_id = $1)`, member); err != nil {
		t.Fatal(err)
	}
	return n == 3
}

// Call is a service API call as id, straight to the service's handler,
// for what an administrator or another service sets up and for reading a
// service's state back; it fails the test unless the answer is want.
func (s *System) Call(t testing.TB, id auth.Identity, method, path string, body any, want int, headers ...string) map[string]any {
	t.Helper()
	w := s.Env.Do(t, s.H[apptest.AudienceOf(path)], &id, method, path, body, headers...)
	if w.Code != want {
		t.Fatalf("%s %s = %d, want %d: %s", method, path, w.Code, want, w.Body)
	}
	var out map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &out)
	return out
}

// Items is the items of a list call as id.
func (s *System) Items(t testing.TB, id auth.Identity, path string) []map[string]any {
	t.Helper()
	return s.List(t, id, path, "items")
}

// List is the list under key of a list call as id ("cases" for injury's).
func (s *System) List(t testing.TB, id auth.Identity, path, key string) []map[string]any {
	t.Helper()
	w := s.Env.Do(t, s.H[apptest.AudienceOf(path)], &id, http.MethodGet, path, nil)
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s = %d: %s", path, w.Code, w.Body)
	}
	var out map[string]json.RawMessage
	var items []map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	if err := json.Unmarshal(out[key], &items); err != nil {
		t.Fatalf("GET %s: %s: %v", path, key, err)
	}
	return items
}

// Keys are the Idempotency-Keys the service of schema (its default schema,
// "leave") has spent, as its callers sent them, oldest first: what a
// test reads to see which key a creating call reached the service with.
func (s *System) Keys(t testing.TB, schema string) []string {
	t.Helper()
	var keys []string
	if err := s.db.Select(&keys, `SELECT key FROM `+pq.QuoteIdentifier(schema)+`.idempotency_keys ORDER BY created_at, key`); err != nil {
		t.Fatal(err)
	}
	return keys
}

// defaults is a service's configuration with every documented default, as
// `anxin serve` loads it from an empty environment.
func defaults[C any](t testing.TB) C {
	t.Helper()
	var c C
	if err := config.LoadFrom(&c, func(string) (string, bool) { return "", false }); err != nil {
		t.Fatal(err)
	}
	return c
}
