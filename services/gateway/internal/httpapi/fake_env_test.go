package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/internal/httpapi"
)

// fakes are the hand-written fake services the tests not yet moved to
// the real services still run against (issue 15: they go).
type fakes struct {
	mu         sync.Mutex
	received   []*http.Request
	ready      bool
	injury     *fakeInjury
	leave      *fakeLeave
	enrollment *fakeEnrollment
	grants     *fakeGrants
}

// newFakeEnv is the gateway in front of the fakes.
func newFakeEnv(t *testing.T, opts ...func(*httpapi.Deps)) *env {
	t.Helper()
	e := &env{t: t, clk: clock.NewFake(t0), unit: "unit-1"}
	e.ready = true
	e.leave = &fakeLeave{echo: e.fakeService}
	upstream := httptest.NewServer(specChecked(t, "leave", e.leave))
	t.Cleanup(upstream.Close)
	e.injury = newFakeInjury()
	injury := httptest.NewServer(specChecked(t, "injury", e.injury))
	t.Cleanup(injury.Close)
	e.enrollment = &fakeEnrollment{}
	enrollment := httptest.NewServer(specChecked(t, "enrollment", e.enrollment))
	t.Cleanup(enrollment.Close)
	e.grants = newFakeGrants()
	grants := httptest.NewServer(specChecked(t, "grants", e.grants))
	t.Cleanup(grants.Close)
	ups, err := httpapi.NewUpstreams(map[string]string{
		"leave": upstream.URL, "injury": injury.URL, "enrollment": enrollment.URL, "grants": grants.URL,
	}, tokenForTest, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	e.start(ups, opts)
	return e
}

func (e *env) fakeService(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/readyz" {
		e.mu.Lock()
		ready := e.ready
		e.mu.Unlock()
		if !ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		return
	}
	e.mu.Lock()
	e.received = append(e.received, r.Clone(context.Background()))
	e.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: "evil", Value: "1"})
	w.Header().Set(echoHeader, "1")
	// As a real service does (pkg/httpx): its request id, which the
	// gateway already sent, and nothing said about caching.
	w.Header().Set("X-Request-ID", r.Header.Get("X-Request-ID"))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"path": r.URL.RequestURI()})
}

func (e *env) lastReceived() *http.Request {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.received) == 0 {
		return nil
	}
	return e.received[len(e.received)-1]
}
