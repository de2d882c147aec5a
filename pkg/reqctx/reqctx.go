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
