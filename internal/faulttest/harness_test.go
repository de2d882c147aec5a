// Package faulttest is the process-level fault suite: it builds the anxin
// binary, runs `anxin serve all` as a child process against the test
// PostgreSQL and an in-process nats-server, and while clients write through
// the HTTP APIs with Idempotency-Keys it kills the process with SIGKILL,
// restarts NATS, and terminates PostgreSQL backends. Afterwards every
// acknowledged write must be there exactly once, with exactly one
// downstream effect: outboxes drained, each event once in the stream, each
// consumer's inbox holding each event once, no dead letters.
package faulttest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/anxin-welfare/anxin/internal/freeport"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/bus/bustest"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/pkg/idem"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds anxin once for the package's tests.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "anxin-faulttest-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "anxin")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/anxin-welfare/anxin").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// services are the HTTP services of serve all, in the order their ports
// are handed out.
var services = []string{"gateway", "enrollment", "injury", "grants", "leave", "notify"}

// harness is one anxin process (restartable), its database and NATS.
type harness struct {
	t   *testing.T
	bin string
	env []string
	// addrEnv and urls are the services' addresses of the current start
	// (under mu: a restart may move them while clients are sending).
	addrEnv []string
	urls    map[string]string
	db      *sqlx.DB
	nats    *bustest.Server
	tokens  *auth.Tokens
	client  *http.Client

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
	logs *bytes.Buffer
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	bin := binary(t)
	dbURL := pgtest.NewDatabase(t)
	ns := bustest.Start(t)
	dir := t.TempDir()
	keys, _, err := auth.LoadOrCreateKeys(filepath.Join(dir, "keys.json"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlx.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	h := &harness{t: t, bin: bin, db: db, nats: ns, tokens: auth.NewTokens(keys, clock.System{}),
		urls: map[string]string{}, client: &http.Client{Timeout: 10 * time.Second}}
	h.env = append(os.Environ(),
		"ANXIN_ENV=test", "DATABASE_URL="+dbURL, "NATS_URL="+ns.URL(), "ANXIN_DATA_DIR="+dir,
		"ANXIN_KEYS_FILE="+filepath.Join(dir, "keys.json"), "ANXIN_LOG_LEVEL=warn",
		// No metrics listener: its default port may be taken on this machine.
		"ANXIN_METRICS_ADDR=off",
		// A retry after a crash may take over a reservation whose effect
		// never committed once this lease has passed.
		"ANXIN_IDEMPOTENCY_LEASE=2s")
	h.assignAddrs()
	t.Cleanup(func() {
		h.stop()
		if t.Failed() && h.logs != nil {
			t.Logf("anxin's log:\n%s", lastLines(h.logs.String(), 60))
		}
	})
	return h
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// assignAddrs gives each service of the next start a loopback address
// nothing listens on now, and points the others at it.
func (h *harness) assignAddrs() {
	h.t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	h.addrEnv = h.addrEnv[:0]
	for _, s := range services {
		addr := fmt.Sprintf("127.0.0.1:%d", freeport.Loopback(h.t))
		up := strings.ToUpper(s)
		h.addrEnv = append(h.addrEnv, "ANXIN_"+up+"_ADDR="+addr)
		if s != "gateway" {
			h.addrEnv = append(h.addrEnv, "ANXIN_"+up+"_URL=http://"+addr)
		}
		h.urls[s] = "http://" + addr
	}
}

// url is where service svc listens in the current start.
func (h *harness) url(svc string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.urls[svc]
}

// start runs `anxin serve all` and waits until every service is ready. A
// port taken since it was picked (by another test run on the machine, or
// by anything while the process was down) makes anxin exit at once
// naming it: start then tries again on new addresses, a few times.
func (h *harness) start() {
	h.t.Helper()
	for attempt := 1; ; attempt++ {
		logs, ok := h.startOnce()
		if ok {
			return
		}
		if attempt == 5 || !strings.Contains(logs, "address already in use") {
			h.t.Fatalf("anxin exited during start:\n%s", logs)
		}
		for _, line := range strings.Split(logs, "\n") {
			if strings.Contains(line, "address already in use") {
				h.t.Logf("a port was taken before anxin bound it; starting again on new ones: %s", line)
				break
			}
		}
		h.assignAddrs()
	}
}

// startOnce starts the process and waits for every service to be ready;
// false (with the process's output) when it exited first.
func (h *harness) startOnce() (string, bool) {
	h.t.Helper()
	h.mu.Lock()
	cmd := exec.Command(h.bin, "serve", "all")
	cmd.Env = append(slices.Clone(h.env), h.addrEnv...)
	logs := &bytes.Buffer{}
	h.logs = logs
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		h.mu.Unlock()
		h.t.Fatal(err)
	}
	h.cmd, h.done = cmd, make(chan struct{})
	done := h.done
	h.mu.Unlock()
	go func() { _ = cmd.Wait(); close(done) }()
	exited := false
	h.eventually(60*time.Second, "every service ready", func() bool {
		select {
		case <-done:
			exited = true
			return true
		default:
		}
		for _, s := range services {
			resp, err := h.client.Get(h.url(s) + "/readyz")
			if err != nil {
				return false
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return false
			}
		}
		return true
	})
	if !exited {
		return "", true
	}
	h.mu.Lock()
	h.cmd = nil
	h.mu.Unlock()
	return logs.String(), false // the output is complete: Wait has returned
}

// kill sends SIGKILL: no shutdown, no flush, as a power cut or the OOM
// killer would.
func (h *harness) kill() {
	h.t.Helper()
	h.mu.Lock()
	cmd, done := h.cmd, h.done
	h.cmd = nil
	h.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-done
}

// stop ends the process gracefully (SIGTERM), killing it after 30s.
func (h *harness) stop() {
	h.mu.Lock()
	cmd, done := h.cmd, h.done
	h.cmd = nil
	h.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-done
	}
}

func (h *harness) eventually(within time.Duration, what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			h.t.Fatalf("not within %v: %s", within, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (h *harness) token(id auth.Identity) string {
	h.t.Helper()
	tok, err := h.tokens.Issue(id, time.Hour)
	if err != nil {
		h.t.Fatal(err)
	}
	return tok
}

// outcome is what a keyed POST finally got.
type outcome struct {
	status int
	body   map[string]any
	code   string
}

// post sends one POST with an Idempotency-Key; err is a transport failure
// (the process is down or died mid-request).
func (h *harness) post(svc, path string, id auth.Identity, key string, body any) (outcome, error) {
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, h.url(svc)+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	id.Audience = svc // each service takes only tokens minted for it
	req.Header.Set("Authorization", "Bearer "+h.token(id))
	if key != "" {
		req.Header.Set(idem.Header, key)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return outcome{}, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	o := outcome{status: resp.StatusCode}
	_ = json.Unmarshal(b, &o.body)
	if c, ok := o.body["code"].(string); ok {
		o.code = c
	}
	return o, nil
}

// settle retries a keyed POST until it has a final answer: created (or its
// replay), or "carried out, answer lost" (idempotency.outcome_unrecorded).
// It retries transport failures, 5xx and 409 in-flight, as a client should.
func (h *harness) settle(svc, path string, id auth.Identity, key string, body any, within time.Duration) outcome {
	h.t.Helper()
	deadline := time.Now().Add(within)
	for {
		o, err := h.post(svc, path, id, key, body)
		switch {
		case err != nil, o.status >= 500, o.status == http.StatusConflict && o.code == idem.CodeInFlight:
		case o.status == http.StatusCreated || o.status == http.StatusOK,
			o.status == http.StatusConflict && o.code == idem.CodeOutcomeUnrecorded:
			return o
		default:
			h.t.Fatalf("POST %s with key %s = %d %v", path, key, o.status, o.body)
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("POST %s with key %s: no final answer within %v (last %d %v, %v)", path, key, within, o.status, o.body, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (h *harness) count(query string, args ...any) int {
	h.t.Helper()
	var n int
	if err := h.db.Get(&n, query, args...); err != nil {
		h.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// streamCount is how many messages the WELFARE stream holds on subject.
func (h *harness) streamCount(subject string) int {
	h.t.Helper()
	nc, err := nats.Connect(h.nats.URL())
	if err != nil {
		return -1
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return -1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := js.Stream(ctx, bus.StreamName)
	if err != nil {
		return -1
	}
	info, err := s.Info(ctx, jetstream.WithSubjectFilter(subject))
	if err != nil {
		return -1
	}
	return int(info.State.Subjects[subject])
}

// world is what the workloads write into: a unit, and a caseworker of it.
type world struct {
	admin, caseworker auth.Identity
	unit              string
}

func (h *harness) setUp() world {
	h.t.Helper()
	admin := auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
	o := h.settle("enrollment", "/api/v1/enrollment/units", admin, "unit-root", map[string]any{"code": "ZFW", "name": "县委政法委", "kind": "committee"}, 30*time.Second)
	root, _ := o.body["id"].(string)
	admin.Units = []string{root}
	o = h.settle("enrollment", "/api/v1/enrollment/units", admin, "unit-gaj", map[string]any{"code": "GAJ", "name": "县公安局", "kind": "police_bureau", "parent_id": root}, 30*time.Second)
	unit, _ := o.body["id"].(string)
	if unit == "" {
		h.t.Fatalf("no unit id in %v", o.body)
	}
	return world{admin: admin, unit: unit,
		caseworker: auth.Identity{UserID: "u-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{unit}}}
}

// caseBody is the case opening sent with key i.
func (w world) caseBody(i int) map[string]any {
	return map[string]any{"unknown_name": fmt.Sprintf("伤员%03d", i), "unit_id": w.unit, "injured_at": "2026-11-27T09:00",
		"place": "城关派出所门前", "description": fmt.Sprintf("故障测试 %d", i), "severity": "minor"}
}

// memberBody is the member registration sent with key i.
func (w world) memberBody(i int) map[string]any {
	birth := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i*37)
	return map[string]any{"unit_id": w.unit, "name": fmt.Sprintf("干警%03d", i), "category": "police",
		"id_number": idcard.Generate("110105", birth, 10+i%80, i%2 == 0), "hire_date": "2008-07-01"}
}

// burst sends keys 0..n-1 through workers concurrently, each once, and
// calls after(acked) after each acknowledgement; transport failures (the
// process was killed) are left for the clients' retries.
func burst(n, workers int, send func(i int) bool, after func(acked int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	acked := 0
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if send(i) {
					mu.Lock()
					acked++
					a := acked
					mu.Unlock()
					after(a)
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// checkOnce asserts the invariants after a fault: every key settled to one
// object, the outboxes drained, each event once in the stream, each
// member.registered once in each member consumer's inbox, no dead letters.
func (h *harness) checkOnce(w world, cases, members int) {
	h.t.Helper()
	if n := h.count(`SELECT count(*) FROM injury.cases`); n != cases {
		h.t.Errorf("%d injury cases, want exactly %d (one per key)", n, cases)
	}
	if n := h.count(`SELECT count(*) FROM enrollment.members`); n != members {
		h.t.Errorf("%d members, want exactly %d (one per key)", n, members)
	}
	h.eventually(60*time.Second, "every outbox drained", func() bool {
		return h.count(`SELECT (SELECT count(*) FROM injury.outbox WHERE sent_at IS NULL) + (SELECT count(*) FROM enrollment.outbox WHERE sent_at IS NULL)`) == 0
	})
	opened := bus.Subject("injury", "case.opened", 1)
	registered := bus.Subject("enrollment", "member.registered", 1)
	h.eventually(30*time.Second, "each case.opened and member.registered once in the stream", func() bool {
		return h.streamCount(opened) == cases && h.streamCount(registered) == members
	})
	for _, c := range []struct{ schema, consumer string }{
		{"injury", "injury-members"}, {"leave", "leave-members"}, {"grants", "grants-members"},
	} {
		q := fmt.Sprintf(`SELECT count(*) FROM %s.inbox i JOIN enrollment.outbox o ON o.id = i.event_id
			WHERE i.consumer = $1 AND o.type = 'member.registered'`, c.schema)
		h.eventually(60*time.Second, c.consumer+" consumed each member.registered once", func() bool {
			return h.count(q, c.consumer) == members
		})
	}
	for _, s := range []string{"enrollment", "injury", "grants", "leave", "gateway"} {
		if n := h.count(fmt.Sprintf(`SELECT count(*) FROM %s.dead_letters`, s)); n != 0 {
			h.t.Errorf("%d dead letters in %s", n, s)
		}
	}
}
