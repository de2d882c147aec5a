// Package apptest gives a service's integration tests what `anxin serve`
// gives the service: a fresh database, an in-process nats-server, keys, a
// fake clock, and helpers to call the HTTP API as a given identity.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/bus/bustest"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/pkg/sealed"
)

// Start is where the fake clock of every Env begins: 10:00 in Shanghai on
// 2026-11-27.
var Start = time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)

// Env is a test's own platform.
type Env struct {
	Deps  *app.Deps
	NATS  *bustest.Server
	Clock *clock.Fake
	// Contract, when set, checks every response Do records against the
	// service's published API (internal/specs): a status or a body the
	// document does not describe fails the test.
	Contract ResponseValidator
}

// ResponseValidator judges one recorded exchange against an API document;
// internal/specs.Spec is one.
type ResponseValidator interface {
	ValidateResponse(req *http.Request, status int, header http.Header, body []byte) error
}

// New builds an Env with a fresh database (so several services' schemas
// can live side by side), a fresh nats-server, new keys and a fake clock.
func New(t testing.TB) *Env {
	t.Helper()
	dbURL := pgtest.NewDatabase(t)
	ns := bustest.Start(t)
	conn := ns.Connect(t)
	dir := t.TempDir()
	keys, _, err := auth.LoadOrCreateKeys(filepath.Join(dir, "keys.json"))
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := sealed.New(keys.FieldKey, keys.IndexKey)
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(Start)
	cfg := app.Config{Env: app.EnvTest, DatabaseURL: dbURL, NATSURL: ns.URL(), DataDir: dir, KeysFile: filepath.Join(dir, "keys.json"), LogLevel: "warn", OutboxRetention: 24 * time.Hour}
	deps := &app.Deps{
		Config: cfg,
		Log:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		Clock:  clk,
		Bus:    conn,
		Keys:   keys,
		Tokens: auth.NewTokens(keys, clk),
		Sealer: sealer,
	}
	return &Env{Deps: deps, NATS: ns, Clock: clk}
}

// Token issues an identity token for id, valid for an hour of the fake
// clock.
func (e *Env) Token(t testing.TB, id auth.Identity) string {
	t.Helper()
	tok, err := e.Deps.Tokens.Issue(id, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Do sends a request to h as id (nil: anonymous). body may be nil, a
// []byte, or a value encoded as JSON. Headers are pairs: "If-Match", `"3"`.
func (e *Env) Do(t testing.TB, h http.Handler, id *auth.Identity, method, path string, body any, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(raw)
	}
	req := httptest.NewRequestWithContext(context.Background(), method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if id != nil {
		// As the gateway does: a token for the service the path is of
		// (/api/v1/<service>/…), unless the test chose an audience.
		who := *id
		if who.Audience == "" {
			who.Audience = AudienceOf(path)
		}
		req.Header.Set("Authorization", "Bearer "+e.Token(t, who))
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	// Only the API is in the documents; /healthz, /readyz and /metrics
	// belong to the platform.
	if e.Contract != nil && strings.HasPrefix(path, "/api/") {
		if err := e.Contract.ValidateResponse(req, w.Code, w.Result().Header, w.Body.Bytes()); err != nil {
			t.Errorf("the response breaks the API document: %v\nbody: %.600s", err, w.Body.String())
		}
	}
	return w
}

// AudienceOf is the service an API path is of: "grants" for
// /api/v1/grants/funds, "" for a path outside /api/v1/.
func AudienceOf(path string) string {
	rest, ok := strings.CutPrefix(path, "/api/v1/")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, "/")
	name, _, _ = strings.Cut(name, "?")
	return name
}

// Run runs a service (its relay, consumers, tasks, and HTTP on a free
// loopback port) until the test ends.
func Run(t testing.TB, run func(context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("service stopped with %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("service did not stop within 30s")
		}
	})
}

// Eventually polls cond every 20 ms until it holds or within passes.
func Eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
