// Package reqctx carries a request's id and trace id through a
// context.Context, so that log lines and the events a request causes can be
// tied back to it without the packages knowing about HTTP.
package reqctx

import "context"

type key int

const (
	requestIDKey key = iota
	traceIDKey
)

// WithRequestID returns ctx carrying the request id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestID returns the request id in ctx, or "".
func RequestID(ctx context.Context) string {
	s, _ := ctx.Value(requestIDKey).(string)
	return s
}

// WithTraceID returns ctx carrying the trace id.
func WithTraceID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, traceIDKey, id)
}

// TraceID returns the trace id in ctx, or "".
func TraceID(ctx context.Context) string {
	s, _ := ctx.Value(traceIDKey).(string)
	return s
}

type idempotencyKey struct{}

// WithIdempotencyKey returns ctx carrying the Idempotency-Key an outgoing
// call made with it must send (the gateway derives one per call from a
// form's one-time submission token; httpx.Propagate sets the header).
func WithIdempotencyKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, idempotencyKey{}, key)
}

// IdempotencyKey returns the key in ctx, or "".
func IdempotencyKey(ctx context.Context) string {
	s, _ := ctx.Value(idempotencyKey{}).(string)
	return s
}
