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
func ContextLogHandler(h slog.Handler) slog.Handler { return contextHandler{h} }

type contextHandler struct{ slog.Handler }

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := reqctx.RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	if id := reqctx.TraceID(ctx); id != "" {
		r.AddAttrs(slog.String("trace_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h contextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return contextHandler{h.Handler.WithAttrs(attrs)}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name)}
}
