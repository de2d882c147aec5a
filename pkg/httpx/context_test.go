package httpx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

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
