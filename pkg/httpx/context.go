package httpx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/reqctx"
)

// Header names the platform reads and writes.
const (
	HeaderRequestID   = "X-Request-ID"
	HeaderTraceParent = "traceparent"
	// HeaderLang carries the signed-in user's language setting; the gateway
	// sets it and it wins over Accept-Language.
	HeaderLang = "X-Anxin-Lang"
)

// gin context keys.
const (
	ginLoggerKey = "httpx.logger"
	ginBodyKey   = "httpx.body"
)

// NewTraceID returns a fresh random W3C trace id (32 lower-case hex digits).
func NewTraceID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}

// Propagate sets the request id and a W3C traceparent from ctx on an
// outgoing request's headers, so a call from one service to another stays
// in the same trace and its log lines can be joined; and the
// Idempotency-Key the caller put in ctx (reqctx.WithIdempotencyKey).
func Propagate(ctx context.Context, h http.Header) {
	if id := reqctx.RequestID(ctx); id != "" {
		h.Set(HeaderRequestID, id)
	}
	if trace := reqctx.TraceID(ctx); trace != "" {
		var span [8]byte
		_, _ = rand.Read(span[:])
		h.Set(HeaderTraceParent, "00-"+trace+"-"+hex.EncodeToString(span[:])+"-01")
	}
	if key := reqctx.IdempotencyKey(ctx); key != "" {
		h.Set("Idempotency-Key", key)
	}
}

// Logger returns the engine's logger with the request's request_id and
// trace_id attached, for handlers and middleware that log about a request.
// Outside an httpx engine it returns slog.Default() with the ids.
func Logger(c *gin.Context) *slog.Logger {
	l := slog.Default()
	if v, ok := c.Get(ginLoggerKey); ok {
		l = v.(*slog.Logger)
	}
	if c.Request == nil {
		return l
	}
	ctx := c.Request.Context()
	return l.With("request_id", reqctx.RequestID(ctx), "trace_id", reqctx.TraceID(ctx))
}

// ContextLogHandler wraps h so every record logged with a context (the
// *Context methods of slog.Logger) carries that context's request_id and
// trace_id. Services build their logger with it so lines written deep in a
// store or a consumer can be joined to the request that caused them.
//
// A line carries each top-level key once: a logger made With("service",
// …) that an engine tags with the service again, and a request logger
// With the ids that logs with the request's context, would otherwise write
// "service", "request_id" and "trace_id" twice, which JSON readers take
// as they like. The first value given wins (the logger's own, then the
// record's, then the context's).
func ContextLogHandler(h slog.Handler) slog.Handler { return &contextHandler{inner: h} }

// contextHandler keeps the top-level attributes of With to itself until a
// record is handled, so it can drop repeats; once a group is opened they
// go to the inner handler as they come.
type contextHandler struct {
	inner   slog.Handler
	attrs   []slog.Attr     // top-level attributes not yet passed to inner
	flushed map[string]bool // top-level keys already passed to inner
	grouped bool
}

func (h *contextHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.inner.Enabled(ctx, l)
}

func (h *contextHandler) has(key string) bool {
	if h.flushed[key] {
		return true
	}
	for _, a := range h.attrs {
		if a.Key == key {
			return true
		}
	}
	return false
}

func (h *contextHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	seen := make(map[string]bool, len(h.attrs)+r.NumAttrs()+2)
	add := func(a slog.Attr) {
		if a.Key != "" && (seen[a.Key] || (!h.grouped && h.flushed[a.Key])) {
			return
		}
		seen[a.Key] = true
		out.AddAttrs(a)
	}
	for _, a := range h.attrs {
		add(a)
	}
	r.Attrs(func(a slog.Attr) bool {
		add(a)
		return true
	})
	if !h.grouped {
		if id := reqctx.RequestID(ctx); id != "" {
			add(slog.String("request_id", id))
		}
		if id := reqctx.TraceID(ctx); id != "" {
			add(slog.String("trace_id", id))
		}
	} else {
		// Inside a group the ids land in it, unless the logger already
		// carries them at the top level.
		if id := reqctx.RequestID(ctx); id != "" && !h.flushed["request_id"] {
			add(slog.String("request_id", id))
		}
		if id := reqctx.TraceID(ctx); id != "" && !h.flushed["trace_id"] {
			add(slog.String("trace_id", id))
		}
	}
	return h.inner.Handle(ctx, out)
}

func (h *contextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	n := *h
	if h.grouped {
		n.inner = h.inner.WithAttrs(attrs)
		return &n
	}
	n.attrs = append([]slog.Attr(nil), h.attrs...)
	for _, a := range attrs {
		if !n.has(a.Key) {
			n.attrs = append(n.attrs, a)
		}
	}
	return &n
}

func (h *contextHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	n := *h
	if len(h.attrs) > 0 {
		n.flushed = make(map[string]bool, len(h.flushed)+len(h.attrs))
		for k := range h.flushed {
			n.flushed[k] = true
		}
		for _, a := range h.attrs {
			n.flushed[a.Key] = true
		}
		n.inner = h.inner.WithAttrs(h.attrs)
		n.attrs = nil
	}
	n.inner = n.inner.WithGroup(name)
	n.grouped = true
	return &n
}
