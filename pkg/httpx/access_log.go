package httpx

import (
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/reqctx"
)

// accessLog writes one JSON line per request and records its metrics. It
// logs the route pattern, not the path or query, which may carry personal
// data. Probe and scrape requests log at debug level so they do not drown
// the real traffic.
func accessLog(service string, logger *slog.Logger, m *metrics) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Set(ginLoggerKey, logger)
		c.Next()

		elapsed := time.Since(start)
		status := c.Writer.Status()
		r := route(c)
		m.observe(service, r, c.Request.Method, status, elapsed)

		level := slog.LevelInfo
		switch {
		case status >= 500:
			level = slog.LevelError
		case r == pathHealthz || r == pathReadyz || r == pathMetrics:
			level = slog.LevelDebug
		}
		ctx := c.Request.Context()
		if !logger.Enabled(ctx, level) {
			return
		}
		logger.LogAttrs(ctx, level, "http request",
			slog.String("service", service),
			slog.String("method", c.Request.Method),
			slog.String("route", r),
			slog.Int("status", status),
			slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
			slog.Int("bytes", max(c.Writer.Size(), 0)),
			slog.String("request_id", reqctx.RequestID(ctx)),
			slog.String("trace_id", reqctx.TraceID(ctx)),
		)
	}
}
