package httpx

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// The probe paths every service answers, and the scrape path of the
// internal listener (MetricsHandler).
const (
	pathHealthz = "/healthz"
	pathReadyz  = "/readyz"
	pathMetrics = "/metrics"
)

// CheckTimeout bounds each readiness check, so one hung dependency makes
// /readyz answer "not ready" quickly instead of timing out the probe.
const CheckTimeout = 2 * time.Second

// Check tells whether one dependency (PostgreSQL, NATS, another service) is
// usable. It must honour ctx's deadline.
type Check func(ctx context.Context) error

// healthz answers that the process is alive; it checks nothing, so a
// dependency outage does not make an orchestrator restart healthy processes.
func healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz runs every check at once and answers 200 when all pass, else a
// 503 problem listing the names that failed; the errors go to the log.
func readyz(checks map[string]Check) gin.HandlerFunc {
	return func(c *gin.Context) {
		var (
			mu     sync.Mutex
			failed []string
			wg     sync.WaitGroup
		)
		for name, check := range checks {
			wg.Go(func() {
				ctx, cancel := context.WithTimeout(c.Request.Context(), CheckTimeout)
				defer cancel()
				if err := runCheck(ctx, check); err != nil {
					Logger(c).WarnContext(c.Request.Context(), "readiness check failed", "check", name, "error", err)
					mu.Lock()
					failed = append(failed, name)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(failed) > 0 {
			slices.Sort(failed)
			Respond(c, NewError(http.StatusServiceUnavailable, CodeUnavailable).
				WithDetail("detail.checks_failed", strings.Join(failed, ", ")).
				WithExtra("failed", failed))
			return
		}
		c.JSON(http.StatusOK, gin.H{"status": "ok"})
	}
}

// runCheck returns when the check does or its deadline passes, whichever
// comes first, so a check that ignores ctx cannot hang the probe.
func runCheck(ctx context.Context, check Check) error {
	done := make(chan error, 1)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				done <- fmt.Errorf("check panicked: %v", v)
			}
		}()
		done <- check(ctx)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
