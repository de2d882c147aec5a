package gateway_test

import (
	"context"
	"net/http"
	"testing"
)

// TestPublicListenerServesNoProfilerOrMetrics: pprof and /metrics belong to
// the process's internal listeners (ANXIN_DEBUG_ADDR, ANXIN_METRICS_ADDR);
// the gateway, the one listener the public reaches, answers 404 for them,
// whatever the method, and does not send an anonymous caller to sign in.
func TestPublicListenerServesNoProfilerOrMetrics(t *testing.T) {
	t.Parallel()
	_, srv := newGateway(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, path := range []string{"/debug/pprof/", "/debug/pprof/heap", "/debug/pprof/profile?seconds=1", "/debug/pprof/goroutine?debug=2",
		"/debug/pprof/cmdline", "/debug/pprof/trace", "/metrics"} {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			req, err := http.NewRequestWithContext(context.Background(), method, srv.URL+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s %s on the gateway = %d, want 404", method, path, resp.StatusCode)
			}
		}
	}
}
