package httpx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/reqctx"
)

func TestPropagate(t *testing.T) {
	t.Parallel()
	trace := httpx.NewTraceID()
	tests := []struct {
		name       string
		ctx        context.Context
		wantID     string
		wantParent bool
	}{
		{name: "bare context", ctx: context.Background()},
		{name: "ids", ctx: reqctx.WithTraceID(reqctx.WithRequestID(context.Background(), "r-1"), trace), wantID: "r-1", wantParent: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{}
			httpx.Propagate(tt.ctx, h)
			if got := h.Get(httpx.HeaderRequestID); got != tt.wantID {
				t.Errorf("request id = %q, want %q", got, tt.wantID)
			}
			tp := h.Get(httpx.HeaderTraceParent)
			if !tt.wantParent {
				if tp != "" {
					t.Errorf("traceparent = %q, want none", tp)
				}
				return
			}
			// The receiving engine must read back the same trace id.
			e, _ := testEngine(t, httpx.Options{})
			r := do(t, e, http.MethodGet, "/ids", nil, map[string]string{httpx.HeaderTraceParent: tp})
			if !strings.Contains(r.Body, trace) {
				t.Errorf("traceparent %q not honoured: %s", tp, r.Body)
			}
		})
	}
}

func TestContextLogHandler(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(httpx.ContextLogHandler(slog.NewJSONHandler(&buf, nil))).With("service", "grants")
	ctx := reqctx.WithTraceID(reqctx.WithRequestID(context.Background(), "r-9"), "t-9")
	logger.InfoContext(ctx, "approved")
	logger.Info("no context ids")

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("lines = %q", lines)
	}
	var first, second map[string]any
	_ = json.Unmarshal([]byte(lines[0]), &first)
	_ = json.Unmarshal([]byte(lines[1]), &second)
	if first["request_id"] != "r-9" || first["trace_id"] != "t-9" || first["service"] != "grants" {
		t.Errorf("first line = %v", first)
	}
	if _, ok := second["request_id"]; ok {
		t.Errorf("second line = %v, want no request_id", second)
	}
}

// TestLogLinesSayEachKeyOnce: an access line and a handler's line, written
// through a service's logger (tagged with its service, as app.Base does)
// by an engine that tags them again and with the request's ids, carry
// service, request_id and trace_id once each.
func TestLogLinesSayEachKeyOnce(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	logger := slog.New(httpx.ContextLogHandler(slog.NewJSONHandler(&buf, nil))).With("service", "grants")
	e := httpx.New(httpx.Options{Service: "grants", Logger: logger})
	e.GET("/work", func(c *gin.Context) {
		httpx.Logger(c).InfoContext(c, "working", "service", "again")
		httpx.Logger(c).WithGroup("detail").InfoContext(c, "grouped", "n", 1)
		c.Status(http.StatusNoContent)
	})
	do(t, e, http.MethodGet, "/work", nil, map[string]string{httpx.HeaderRequestID: "r-1"})
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("lines = %q", lines)
	}
	for _, line := range lines {
		for _, key := range []string{`"service":`, `"request_id":`, `"trace_id":`} {
			if n := strings.Count(line, key); n != 1 {
				t.Errorf("%s %d times in %s", key, n, line)
			}
		}
		if !strings.Contains(line, `"service":"grants"`) || !strings.Contains(line, `"request_id":"r-1"`) {
			t.Errorf("line lacks the service's or the request's id: %s", line)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the handler and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
