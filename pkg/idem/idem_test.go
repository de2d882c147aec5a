package idem_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/app"
	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/idem"
	"github.com/anxin-welfare/anxin/pkg/pg"
)

// fixture is a service whose POST /things creates a row in one
// transaction, as every creating handler does.
type fixture struct {
	env  *apptest.Env
	base *app.Base
	// gate, when set for a name, is waited on once by the handler before
	// its transaction; entered is closed when the handler waits.
	mu      sync.Mutex
	gate    map[string]chan struct{}
	entered map[string]chan struct{}
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	env := apptest.New(t)
	b, err := app.NewBase(context.Background(), env.Deps, app.BaseConfig{Name: "demo", HTTPAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.DB.Exec(`CREATE TABLE things (id bigserial PRIMARY KEY, name text NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	f := &fixture{env: env, base: b, gate: map[string]chan struct{}{}, entered: map[string]chan struct{}{}}
	b.API.POST("/things", func(c *gin.Context) {
		var req struct {
			Name string `json:"name"`
		}
		if err := httpx.BindJSON(c, &req); err != nil {
			httpx.Respond(c, err)
			return
		}
		if req.Name == "" {
			httpx.Respond(c, httpx.Invalid(fielderr.Problem{Field: "name", Code: "field.required"}))
			return
		}
		f.mu.Lock()
		g, entered := f.gate[req.Name], f.entered[req.Name]
		delete(f.gate, req.Name)
		f.mu.Unlock()
		if g != nil {
			close(entered)
			<-g
		}
		var id int64
		err := pg.InTx(c.Request.Context(), b.DB, func(tx *sqlx.Tx) error {
			return tx.GetContext(c.Request.Context(), &id, `INSERT INTO things (name) VALUES ($1) RETURNING id`, req.Name)
		})
		if err != nil {
			httpx.Respond(c, err)
			return
		}
		if req.Name == "fail-after-commit" {
			httpx.Respond(c, errors.New("the read after the commit failed"))
			return
		}
		c.Header("Location", fmt.Sprintf("/api/v1/demo/things/%d", id))
		httpx.SetETag(c, 1)
		c.JSON(http.StatusCreated, gin.H{"id": id, "name": req.Name})
	})
	return f
}

// hold makes the next request named name wait in its handler until the
// returned channel is closed.
func (f *fixture) hold(name string) chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gate[name] = make(chan struct{})
	f.entered[name] = make(chan struct{})
	return f.gate[name]
}

var alice = auth.Identity{UserID: "u-alice", Roles: []auth.Role{auth.RoleOfficer}}
var bob = auth.Identity{UserID: "u-bob", Roles: []auth.Role{auth.RoleOfficer}}

func (f *fixture) post(t *testing.T, id auth.Identity, key string, body any) *http.Response {
	t.Helper()
	w := f.env.Do(t, f.base.Engine, &id, "POST", "/api/v1/demo/things", body, idem.Header, key)
	return w.Result()
}

func (f *fixture) count(t *testing.T, name string) int {
	t.Helper()
	var n int
	if err := f.base.DB.Get(&n, `SELECT count(*) FROM things WHERE name = $1`, name); err != nil {
		t.Fatal(err)
	}
	return n
}

func code(t *testing.T, r *http.Response) string {
	t.Helper()
	var p httpx.Problem
	_ = json.NewDecoder(r.Body).Decode(&p)
	return p.Code
}

func TestSameKeySameRequestReplaysTheFirstResponse(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	first := f.post(t, alice, "k-1", map[string]string{"name": "a"})
	if first.StatusCode != http.StatusCreated {
		t.Fatalf("first = %d", first.StatusCode)
	}
	var firstBody map[string]any
	_ = json.NewDecoder(first.Body).Decode(&firstBody)
	for i := 0; i < 3; i++ {
		again := f.post(t, alice, "k-1", map[string]string{"name": "a"})
		var body map[string]any
		_ = json.NewDecoder(again.Body).Decode(&body)
		if again.StatusCode != http.StatusCreated || again.Header.Get("Location") != first.Header.Get("Location") ||
			again.Header.Get("ETag") != first.Header.Get("ETag") || body["id"] != firstBody["id"] ||
			again.Header.Get(idem.ReplayedHeader) != "true" {
			t.Fatalf("retry %d = %d %v %v, want the first response %v %v", i, again.StatusCode, again.Header, body, first.Header, firstBody)
		}
	}
	if n := f.count(t, "a"); n != 1 {
		t.Fatalf("%d things, want 1", n)
	}
	// Another caller's key of the same name is another request.
	if r := f.post(t, bob, "k-1", map[string]string{"name": "a"}); r.StatusCode != http.StatusCreated || r.Header.Get(idem.ReplayedHeader) != "" {
		t.Fatalf("bob = %d %v", r.StatusCode, r.Header)
	}
	// Without a key nothing changes: each request runs.
	w := f.env.Do(t, f.base.Engine, &alice, "POST", "/api/v1/demo/things", map[string]string{"name": "a"})
	if w.Code != http.StatusCreated || f.count(t, "a") != 3 {
		t.Fatalf("keyless = %d, %d things", w.Code, f.count(t, "a"))
	}
}

func TestSameKeyDifferentRequestIsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if r := f.post(t, alice, "k-2", map[string]string{"name": "b"}); r.StatusCode != http.StatusCreated {
		t.Fatalf("first = %d", r.StatusCode)
	}
	r := f.post(t, alice, "k-2", map[string]string{"name": "c"})
	if r.StatusCode != http.StatusUnprocessableEntity || code(t, r) != idem.CodeKeyReused {
		t.Fatalf("reuse = %d, want 422 %s", r.StatusCode, idem.CodeKeyReused)
	}
	if f.count(t, "c") != 0 {
		t.Fatal("a refused request created a thing")
	}
	for _, bad := range []string{"has space", string(make([]byte, idem.MaxKeyLength+1))} {
		if r := f.post(t, alice, bad, map[string]string{"name": "d"}); r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("key %q = %d, want 422", bad, r.StatusCode)
		}
	}
	if f.count(t, "d") != 0 {
		t.Fatal("a bad key created a thing")
	}
}

func TestARequestThatChangedNothingReleasesItsKey(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if r := f.post(t, alice, "k-3", map[string]string{"name": ""}); r.StatusCode != http.StatusUnprocessableEntity || code(t, r) != httpx.CodeValidationFailed {
		t.Fatalf("invalid = %d", r.StatusCode)
	}
	// The same (still invalid) request runs again rather than replaying.
	if r := f.post(t, alice, "k-3", map[string]string{"name": ""}); r.StatusCode != http.StatusUnprocessableEntity || r.Header.Get(idem.ReplayedHeader) != "" {
		t.Fatalf("retry = %d %v", r.StatusCode, r.Header)
	}
}

func TestARetryWhileTheFirstRunsGets409(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	gate := f.hold("slow")
	done := make(chan *http.Response)
	go func() { done <- f.post(t, alice, "k-4", map[string]string{"name": "slow"}) }()
	<-f.entered["slow"]
	r := f.post(t, alice, "k-4", map[string]string{"name": "slow"})
	if r.StatusCode != http.StatusConflict || r.Header.Get("Retry-After") == "" || code(t, r) != idem.CodeInFlight {
		t.Fatalf("concurrent retry = %d %v", r.StatusCode, r.Header)
	}
	close(gate)
	if first := <-done; first.StatusCode != http.StatusCreated {
		t.Fatalf("first = %d", first.StatusCode)
	}
	if r := f.post(t, alice, "k-4", map[string]string{"name": "slow"}); r.StatusCode != http.StatusCreated || r.Header.Get(idem.ReplayedHeader) != "true" {
		t.Fatalf("later retry = %d", r.StatusCode)
	}
	if f.count(t, "slow") != 1 {
		t.Fatalf("%d things, want 1", f.count(t, "slow"))
	}
}

// A request stalled past its lease is taken over by a retry; when the
// stalled one finally reaches COMMIT its guarded update finds another owner
// and its effect rolls back: one thing, whatever the timing.
func TestAStalledOwnerCannotDoubleTheEffectOfATakeover(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	gate := f.hold("stall")
	done := make(chan *http.Response)
	go func() { done <- f.post(t, alice, "k-5", map[string]string{"name": "stall"}) }()
	<-f.entered["stall"]
	f.env.Clock.Advance(idem.DefaultLease + time.Second)
	if r := f.post(t, alice, "k-5", map[string]string{"name": "stall"}); r.StatusCode != http.StatusCreated {
		t.Fatalf("takeover = %d", r.StatusCode)
	}
	close(gate)
	if first := <-done; first.StatusCode != http.StatusConflict {
		t.Fatalf("stalled owner = %d, want 409", first.StatusCode)
	}
	if f.count(t, "stall") != 1 {
		t.Fatalf("%d things, want 1", f.count(t, "stall"))
	}
	if r := f.post(t, alice, "k-5", map[string]string{"name": "stall"}); r.StatusCode != http.StatusCreated || r.Header.Get(idem.ReplayedHeader) != "true" {
		t.Fatalf("replay after takeover = %d", r.StatusCode)
	}
}

// What a crash leaves behind, and what a retry then gets.
func TestRetriesAfterACrash(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	now := f.env.Clock.Now()
	hash := func(name string) []byte {
		body, _ := json.Marshal(map[string]string{"name": name})
		return idem.Hash("POST", "/api/v1/demo/things", alice.UserID, body)
	}
	ins := func(key, state, name string) {
		t.Helper()
		if _, err := f.base.DB.Exec(`INSERT INTO idempotency_keys (caller, key, request_hash, method, path, state, owner, lease_until, created_at, expires_at)
			VALUES ($1, $2, $3, 'POST', '/api/v1/demo/things', $4, gen_random_uuid(), $5, $6, $7)`,
			alice.UserID, key, hash(name), state, now.Add(time.Second), now, now.Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	// Killed before its effect committed: the lease runs out, the retry runs.
	ins("before-commit", "in_flight", "x")
	// Killed between COMMIT and storing the response: never run again.
	ins("after-commit", "committed", "y")
	if r := f.post(t, alice, "before-commit", map[string]string{"name": "x"}); r.StatusCode != http.StatusConflict {
		t.Fatalf("within the lease = %d, want 409", r.StatusCode)
	}
	f.env.Clock.Advance(2 * time.Second)
	if r := f.post(t, alice, "before-commit", map[string]string{"name": "x"}); r.StatusCode != http.StatusCreated {
		t.Fatalf("after the lease = %d, want 201", r.StatusCode)
	}
	r := f.post(t, alice, "after-commit", map[string]string{"name": "y"})
	if r.StatusCode != http.StatusConflict || code(t, r) != idem.CodeOutcomeUnrecorded {
		t.Fatalf("committed without response = %d", r.StatusCode)
	}
	if f.count(t, "x") != 1 || f.count(t, "y") != 0 {
		t.Fatalf("x=%d y=%d, want 1 and 0", f.count(t, "x"), f.count(t, "y"))
	}
}

func TestKeysExpireAndAreSwept(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if r := f.post(t, alice, "k-6", map[string]string{"name": "e"}); r.StatusCode != http.StatusCreated {
		t.Fatal(r.StatusCode)
	}
	f.env.Clock.Advance(idem.DefaultTTL + time.Minute)
	n, err := f.base.Idem.Sweep(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("sweep = %d, %v; want 1", n, err)
	}
	if r := f.post(t, alice, "k-6", map[string]string{"name": "e"}); r.StatusCode != http.StatusCreated || r.Header.Get(idem.ReplayedHeader) != "" {
		t.Fatalf("after expiry = %d %v, want a new request", r.StatusCode, r.Header)
	}
	if f.count(t, "e") != 2 {
		t.Fatalf("%d things, want 2", f.count(t, "e"))
	}
}

// A handler whose effect committed and which then failed must not have its
// 500 replayed (it would deny the work was done): retries hear that the
// request was carried out and its answer lost, and nothing is done twice.
func TestAFailureAfterTheCommitIsNotReplayed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if r := f.post(t, alice, "k-7", map[string]string{"name": "fail-after-commit"}); r.StatusCode != http.StatusInternalServerError {
		t.Fatalf("first = %d", r.StatusCode)
	}
	r := f.post(t, alice, "k-7", map[string]string{"name": "fail-after-commit"})
	if r.StatusCode != http.StatusConflict || code(t, r) != idem.CodeOutcomeUnrecorded {
		t.Fatalf("retry = %d, want 409 %s", r.StatusCode, idem.CodeOutcomeUnrecorded)
	}
	if f.count(t, "fail-after-commit") != 1 {
		t.Fatalf("%d things, want 1", f.count(t, "fail-after-commit"))
	}
}
