package httpx

import (
	"context"
	"errors"
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

// Explain marks err as safe to show on /readyz: a reason Anxin wrote for
// an operator ("nats: server 2.9.10 is older than 2.10.0 which the
// consumers need"), not a dependency's raw error, which may name internal
// hosts and stays in the log. Nil stays nil.
func Explain(err error) error {
	if err == nil {
		return nil
	}
	return explained{err}
}

type explained struct{ error }

func (e explained) Unwrap() error { return e.error }

// reason is what /readyz says of a failed check.
func reason(err error) string {
	var ex explained
	if errors.As(err, &ex) {
		return ex.Error()
	}
	return "unavailable (the reason is in the log)"
}

// readyz runs every check at once and answers 200 when all pass, else a
// 503 problem naming the checks that failed and saying why where a check
// explained itself (Explain): "checks" maps each to "ok" or its reason, so
// an operator reading the probe learns what to fix. report adds what the
// service knows of itself (its consumers' health) under its own keys.
func readyz(checks map[string]Check, report func() map[string]any) gin.HandlerFunc {
	return func(c *gin.Context) {
		var (
			mu      sync.Mutex
			failed  []string
			results = make(map[string]string, len(checks))
			wg      sync.WaitGroup
		)
		for name, check := range checks {
			wg.Go(func() {
				ctx, cancel := context.WithTimeout(c.Request.Context(), CheckTimeout)
				defer cancel()
				err := runCheck(ctx, check)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					Logger(c).WarnContext(c.Request.Context(), "readiness check failed", "check", name, "error", err)
					failed = append(failed, name)
					results[name] = reason(err)
					return
				}
				results[name] = "ok"
			})
		}
		wg.Wait()
		var extra map[string]any
		if report != nil {
			extra = report()
		}
		if len(failed) > 0 {
			slices.Sort(failed)
			reasons := make([]string, 0, len(failed))
			for _, name := range failed {
				reasons = append(reasons, name+": "+results[name])
			}
			e := NewError(http.StatusServiceUnavailable, CodeUnavailable).
				WithDetail("detail.checks_failed", strings.Join(reasons, "; ")).
				WithExtra("failed", failed).WithExtra("checks", results)
			for k, v := range extra {
				e = e.WithExtra(k, v)
			}
			Respond(c, e)
			return
		}
		body := gin.H{"status": "ok", "checks": results}
		for k, v := range extra {
			body[k] = v
		}
		c.JSON(http.StatusOK, body)
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
