package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// replicaServer is one replica that counts what reached it.
type replicaServer struct {
	srv  *httptest.Server
	hits atomic.Int64
	mu   sync.Mutex
	seen []string // method path body
}

func newReplica(t *testing.T, name string, h func(w http.ResponseWriter, r *http.Request)) *replicaServer {
	t.Helper()
	rs := &replicaServer{}
	rs.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rs.hits.Add(1)
		b, _ := io.ReadAll(r.Body)
		rs.mu.Lock()
		rs.seen = append(rs.seen, r.Method+" "+r.URL.Path+" "+string(b))
		rs.mu.Unlock()
		if h != nil {
			h(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"replica":"`+name+`"}`)
	}))
	t.Cleanup(rs.srv.Close)
	return rs
}

// refusedURL is a loopback address nothing listens on.
func refusedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return "http://" + addr
}

// fakeNow is a clock the test moves by hand.
type fakeNow struct {
	mu sync.Mutex
	t  time.Time
}

func (f *fakeNow) now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.t }
func (f *fakeNow) add(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
}

// dialCounter counts connection attempts per host through a real transport.
type dialCounter struct {
	rt    http.RoundTripper
	mu    sync.Mutex
	tries map[string]int
}

func (d *dialCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	d.mu.Lock()
	d.tries[r.URL.Host]++
	d.mu.Unlock()
	return d.rt.RoundTrip(r)
}

func (d *dialCounter) count(host string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.tries[host]
}

func testUpstreams(t *testing.T, urls string) (*Upstreams, *fakeNow, *dialCounter) {
	t.Helper()
	clk := &fakeNow{t: time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)}
	dc := &dialCounter{rt: upstreamTransport(), tries: map[string]int{}}
	tok := func(*domain.User, i18n.Lang, string) (string, error) { return "tok", nil }
	u, err := newUpstreams(map[string]string{"leave": urls}, tok, 5*time.Second, dc, clk.now)
	if err != nil {
		t.Fatal(err)
	}
	return u, clk, dc
}

func host(raw string) string { return strings.TrimPrefix(raw, "http://") }

func TestUpstreamsParseSeveralReplicas(t *testing.T) {
	t.Parallel()
	tok := func(*domain.User, i18n.Lang, string) (string, error) { return "", nil }
	for _, tc := range []struct {
		name, raw string
		replicas  int
		wantErr   bool
	}{
		{name: "one", raw: "http://127.0.0.1:8084", replicas: 1},
		{name: "two with spaces", raw: "http://127.0.0.1:8084, http://127.0.0.1:9084/", replicas: 2},
		{name: "trailing comma", raw: "http://a:1,", replicas: 1},
		{name: "one bad", raw: "http://a:1,ftp://b:2", wantErr: true},
		{name: "empty list", raw: " , ", wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u, err := NewUpstreams(map[string]string{"leave": tc.raw}, tok, time.Second)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if !tc.wantErr && len(u.sets["leave"].replicas) != tc.replicas {
				t.Fatalf("%d replicas, want %d", len(u.sets["leave"].replicas), tc.replicas)
			}
		})
	}
}

func TestUpstreamsSpreadCallsOverHealthyReplicas(t *testing.T) {
	t.Parallel()
	a, b := newReplica(t, "a", nil), newReplica(t, "b", nil)
	u, _, _ := testUpstreams(t, a.srv.URL+","+b.srv.URL)
	for range 10 {
		if _, err := testCall(u, &domain.User{}, i18n.ZH, http.MethodGet, "leave", "/api/v1/leave/requests", 0, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	if a.hits.Load() != 5 || b.hits.Load() != 5 {
		t.Fatalf("hits a=%d b=%d, want 5 and 5", a.hits.Load(), b.hits.Load())
	}
}

// A write whose connection was refused never reached the replica: it goes
// to the next one, exactly once, and the refusing replica is skipped until
// its back-off ends.
func TestUpstreamsWriteFailsOverWhenRefused(t *testing.T) {
	t.Parallel()
	dead := refusedURL(t)
	live := newReplica(t, "live", nil)
	u, clk, dc := testUpstreams(t, dead+","+live.srv.URL)
	for i := range 4 {
		var out map[string]string
		if _, err := testCall(u, &domain.User{}, i18n.ZH, http.MethodPost, "leave", "/api/v1/leave/requests", 0,
			map[string]int{"n": i}, &out); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		if out["replica"] != "live" {
			t.Fatalf("answered by %v", out)
		}
	}
	if got := live.hits.Load(); got != 4 {
		t.Fatalf("live replica saw %d writes, want 4 (each once)", got)
	}
	if !strings.HasSuffix(live.seen[0], `{"n":0}`) {
		t.Fatalf("the body did not survive the failover: %q", live.seen[0])
	}
	if got := dc.count(host(dead)); got != 1 {
		t.Fatalf("dead replica dialled %d times, want 1: in back-off it is skipped", got)
	}
	clk.add(maxReplicaBackoff)
	if _, err := testCall(u, &domain.User{}, i18n.ZH, http.MethodGet, "leave", "/x", 0, nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := testCall(u, &domain.User{}, i18n.ZH, http.MethodGet, "leave", "/x", 0, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got := dc.count(host(dead)); got != 2 {
		t.Fatalf("dead replica dialled %d times after its back-off, want 2: it is retried later", got)
	}
}

// brokenReplica reads the request and drops the connection without an
// answer: the write may or may not have happened.
func brokenReplica(t *testing.T) *replicaServer {
	return newReplica(t, "broken", func(w http.ResponseWriter, _ *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	})
}

func TestUpstreamsWriteNotReplayedAfterItWasSent(t *testing.T) {
	t.Parallel()
	broken, live := brokenReplica(t), newReplica(t, "live", nil)
	u, _, _ := testUpstreams(t, broken.srv.URL+","+live.srv.URL)
	_, err := testCall(u, &domain.User{}, i18n.ZH, http.MethodPost, "leave", "/api/v1/leave/requests", 0, map[string]int{"n": 1}, nil)
	if err == nil {
		t.Fatal("a write whose connection broke after sending was reported as done")
	}
	if broken.hits.Load() != 1 || live.hits.Load() != 0 {
		t.Fatalf("hits broken=%d live=%d: a sent write must not go to a second replica", broken.hits.Load(), live.hits.Load())
	}
}

func TestUpstreamsReadRetriedOnAnotherReplica(t *testing.T) {
	t.Parallel()
	broken, live := brokenReplica(t), newReplica(t, "live", nil)
	u, _, _ := testUpstreams(t, broken.srv.URL+","+live.srv.URL)
	var out map[string]string
	if _, err := testCall(u, &domain.User{}, i18n.ZH, http.MethodGet, "leave", "/api/v1/leave/requests", 0, nil, &out); err != nil {
		t.Fatal(err)
	}
	if out["replica"] != "live" || broken.hits.Load() != 1 {
		t.Fatalf("answered by %v after broken saw %d", out, broken.hits.Load())
	}
}

// The API proxy streams the browser's body: a refused connection still
// moves it to the next replica intact, a broken one answers 502 once.
func TestProxyTransportFailsOverWithTheBrowsersBody(t *testing.T) {
	t.Parallel()
	live := newReplica(t, "live", nil)
	u, _, _ := testUpstreams(t, refusedURL(t)+","+live.srv.URL)
	req := httptest.NewRequest(http.MethodPost, u.bases["leave"].String()+"/api/v1/leave/requests", io.NopCloser(strings.NewReader(`{"days":3}`)))
	req.GetBody = nil
	resp, err := u.transport("leave").RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if live.hits.Load() != 1 || !strings.HasSuffix(live.seen[0], `{"days":3}`) {
		t.Fatalf("live saw %v", live.seen)
	}
}

func TestUpstreamsAllReplicasDownStillTried(t *testing.T) {
	t.Parallel()
	u, _, dc := testUpstreams(t, refusedURL(t)+","+refusedURL(t))
	for range 2 {
		_, err := testCall(u, &domain.User{}, i18n.ZH, http.MethodGet, "leave", "/x", 0, nil, nil)
		if !refused(err) {
			t.Fatalf("err = %v, want connection refused", err)
		}
	}
	total := 0
	for _, r := range u.sets["leave"].replicas {
		total += dc.count(r.base.Host)
	}
	if total != 4 {
		t.Fatalf("%d dials, want 4: with every replica in back-off each is still tried", total)
	}
}

func TestUpstreamsReadyWhenOneReplicaIs(t *testing.T) {
	t.Parallel()
	ready := newReplica(t, "ready", nil)
	notReady := newReplica(t, "not-ready", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
	u, _, _ := testUpstreams(t, notReady.srv.URL+","+ready.srv.URL)
	if err := u.Checks()["service:leave"](context.Background()); err != nil {
		t.Fatalf("one ready replica: %v", err)
	}
	if u.sets["leave"].replicas[0].up(u.sets["leave"].now()) {
		t.Fatal("the replica that is not ready is still used")
	}
	u2, _, _ := testUpstreams(t, notReady.srv.URL+","+refusedURL(t))
	err := u2.Checks()["service:leave"](context.Background())
	if err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("no ready replica: err = %v, want one naming each", err)
	}
}

// testCall makes one JSON call to service through u as the pages' clients
// do (the replica set within the call timeout, signed for user): body
// encoded when not nil, a 2xx answer decoded into out when not nil, any
// other answer an error.
func testCall(u *Upstreams, user *domain.User, lang i18n.Lang, method, service, path string, _ int64, body, out any) (string, error) {
	base, doer, ok := u.Route(service, false)
	if !ok {
		return "", fmt.Errorf("%s not routed", service)
	}
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return "", err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, base+path, rd)
	if err != nil {
		return "", err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if err := u.Sign(req, user, lang); err != nil {
		return "", err
	}
	resp, err := doer.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return "", fmt.Errorf("%s %s: answered %d", method, path, resp.StatusCode)
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			return "", err
		}
	}
	return resp.Header.Get("ETag"), nil
}
