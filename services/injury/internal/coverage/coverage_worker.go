// Package coverage asks enrollment which insurance schemes covered a member
// on the injury date, for every case whose check is pending, and retries
// with back-off while enrollment cannot answer. A case never waits for it:
// it opens with coverage "pending".
package coverage

import (
	"context"
	"errors"
	"log/slog"
	"sync"
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
	// Concurrency is how many checks of a round are asked of enrollment
	// and recorded at once. Default 8: one at a time, a round of 50 waited
	// on 50 round trips and 50 commits in a row, about 10 checks a second.
	Concurrency int

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
	if w.Concurrency <= 0 {
		w.Concurrency = 8
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
		claimed, _, err := w.round(ctx)
		if err != nil && ctx.Err() == nil {
			w.Log.Warn("coverage checks failed; will retry", "err", err)
		}
		if err == nil && claimed == w.Batch && ctx.Err() == nil {
			// A full round: more are probably due. Go on now instead of
			// leaving a burst of cases waiting a tick per batch.
			continue
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
	_, answered, err := w.round(ctx)
	return answered, err
}

// round is RunOnce that also says how many checks it claimed. The checks
// are asked and recorded Concurrency at a time; each is recorded in its own
// transaction, so one failure does not undo the others.
func (w *Worker) round(ctx context.Context) (claimed, answered int, err error) {
	w.Init()
	checks, err := w.Store.ClaimCoverageChecks(ctx, w.Batch)
	if err != nil {
		return 0, 0, err
	}
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
	)
	sem := make(chan struct{}, w.Concurrency)
	for _, c := range checks {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			rctx, cancel := context.WithTimeout(ctx, w.Timeout)
			schemes, askErr := w.Client.CoveredOn(rctx, c.MemberID, c.InjuryDate)
			cancel()
			if askErr != nil {
				w.Log.Info("coverage check failed", "case_id", c.CaseID, "attempt", c.Attempts+1, "err", askErr)
			}
			recErr := w.Store.RecordCoverage(ctx, c.CaseID, schemes, askErr)
			mu.Lock()
			defer mu.Unlock()
			if askErr == nil {
				answered++
			}
			if recErr != nil {
				errs = append(errs, recErr)
			}
		}()
	}
	wg.Wait()
	return len(checks), answered, errors.Join(errs...)
}
