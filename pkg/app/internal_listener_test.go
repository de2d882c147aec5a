package app_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/anxin-welfare/anxin/pkg/app"
)

// freeAddr is a loopback address nothing listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

// TestServeInternal: the process's metrics are on ANXIN_METRICS_ADDR, pprof
// on ANXIN_DEBUG_ADDR, each only there.
func TestServeInternal(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector())
	metrics, debug := freeAddr(t), freeAddr(t)
	d := &app.Deps{Config: app.Config{MetricsAddr: metrics, DebugAddr: debug}, Registry: reg,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.ServeInternal(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	get := func(url string) (int, string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			resp, err := http.Get(url) //nolint:noctx // a test against a loopback listener
			if err != nil {
				if time.Now().After(deadline) {
					t.Fatal(err)
				}
				time.Sleep(20 * time.Millisecond) // the listener is starting
				continue
			}
			b, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			return resp.StatusCode, string(b)
		}
	}
	if code, body := get("http://" + metrics + "/metrics"); code != 200 || !strings.Contains(body, "go_goroutines") {
		t.Fatalf("metrics listener /metrics = %d", code)
	}
	if code, _ := get("http://" + metrics + "/debug/pprof/"); code != 404 {
		t.Fatalf("metrics listener /debug/pprof/ = %d, want 404", code)
	}
	if code, _ := get("http://" + debug + "/debug/pprof/cmdline"); code != 200 {
		t.Fatalf("debug listener /debug/pprof/cmdline = %d", code)
	}
	if code, _ := get("http://" + debug + "/metrics"); code != 404 {
		t.Fatalf("debug listener /metrics = %d, want 404", code)
	}
}
