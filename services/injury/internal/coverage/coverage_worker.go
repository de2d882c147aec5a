// Package coverage asks enrollment which insurance schemes covered a member
// on the injury date, for every case whose check is pending, and retries
// with back-off while enrollment cannot answer. A case never waits for it:
// it opens with coverage "pending".
package coverage

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

// Client asks enrollment for a member's coverage on a day. Implementations
// return an error when enrollment cannot answer (timeout, no responders);
// a member covered by nothing is an empty list, not an error.
type Client interface {
	CoveredOn(ctx context.Context, memberID string, on time.Time) ([]domain.SchemeCoverage, error)
}

// Worker drains the pending checks.
type Worker struct {
	Store  *store.Store
	Client Client
	Log    *slog.Logger
	// Interval is how often due checks are looked for. Default 5s.
	Interval time.Duration
	// Timeout bounds one request to enrollment. Default 3s.
	Timeout time.Duration
	// Batch is how many checks one round claims. Default 50.
	Batch int

	wake chan struct{}
}

// Poke makes the worker look for checks now (after a case opened), instead
// of at its next tick. It never blocks.
func (w *Worker) Poke() {
	if w.wake == nil {
		return
	}
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Init prepares the worker; call it before Poke is used concurrently.
func (w *Worker) Init() {
	if w.wake == nil {
		w.wake = make(chan struct{}, 1)
	}
	if w.Interval <= 0 {
		w.Interval = 5 * time.Second
	}
	if w.Timeout <= 0 {
		w.Timeout = 3 * time.Second
	}
	if w.Batch <= 0 {
		w.Batch = 50
	}
	if w.Log == nil {
		w.Log = slog.Default()
	}
}

// Run checks until ctx ends.
func (w *Worker) Run(ctx context.Context) error {
	w.Init()
	t := time.NewTicker(w.Interval)
	defer t.Stop()
	for {
		if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.Log.Warn("coverage checks failed; will retry", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-w.wake:
		}
	}
}

// RunOnce claims the due checks, asks enrollment for each and records the
// answers. It returns how many were answered.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	w.Init()
	checks, err := w.Store.ClaimCoverageChecks(ctx, w.Batch)
	if err != nil {
		return 0, err
	}
	answered := 0
	var errs []error
	for _, c := range checks {
		rctx, cancel := context.WithTimeout(ctx, w.Timeout)
		schemes, askErr := w.Client.CoveredOn(rctx, c.MemberID, c.InjuryDate)
		cancel()
		if askErr == nil {
			answered++
		} else {
			w.Log.Info("coverage check failed", "case_id", c.CaseID, "attempt", c.Attempts+1, "err", askErr)
		}
		if err := w.Store.RecordCoverage(ctx, c.CaseID, schemes, askErr); err != nil {
			errs = append(errs, err)
		}
	}
	return answered, errors.Join(errs...)
}
