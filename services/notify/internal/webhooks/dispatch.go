package webhooks

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
	"github.com/anxin-welfare/anxin/services/notify/internal/store"
)

// Dispatcher sends the due webhook deliveries: Workers calls at a time,
// each worker claiming one delivery at a time, within each subscription's
// budget of calls per minute. A receiver that hangs until the timeout
// holds one worker, not the others' subscriptions.
type Dispatcher struct {
	Store  *store.Webhooks
	Sender *Sender
	// PerMinute caps each subscription's calls per minute.
	PerMinute int
	// Workers is how many calls run at once. Default 4.
	Workers int
	Clock   clock.Clock
	Log     *slog.Logger
	// Batch is how many calls one round makes at most. Default 50.
	Batch int
}

// Run dispatches until ctx ends: Workers loops, each making what calls
// are due every interval, so a worker held by a hanging receiver leaves
// the others going; the first also settles lapsed leases (once a round is
// enough, and its longest hold, the call's timeout, is within the lease).
func (d *Dispatcher) Run(interval time.Duration) func(context.Context) error {
	return func(ctx context.Context) error {
		var wg sync.WaitGroup
		for i := range d.workers() {
			wg.Go(func() {
				t := time.NewTicker(interval)
				defer t.Stop()
				for {
					if err := d.round(ctx, d.batch(), i == 0); err != nil && ctx.Err() == nil {
						d.Log.Warn("notify webhooks", "err", err)
					}
					select {
					case <-ctx.Done():
						return
					case <-t.C:
					}
				}
			})
		}
		wg.Wait()
		return nil
	}
}

func (d *Dispatcher) workers() int {
	if d.Workers <= 0 {
		return 4
	}
	return d.Workers
}

func (d *Dispatcher) batch() int {
	if d.Batch <= 0 {
		return 50
	}
	return d.Batch
}

// round settles lapsed leases when lapse says so, and makes up to n due
// calls.
func (d *Dispatcher) round(ctx context.Context, n int, lapse bool) error {
	if lapse {
		if _, err := d.Store.Lapse(ctx, d.Clock.Now()); err != nil {
			return err
		}
	}
	_, err := d.drain(ctx, n)
	return err
}

// Once settles lapsed leases, then makes the due calls, up to Batch,
// Workers at a time, and returns how many calls it made once all are
// done (tests call it to see what a round does).
func (d *Dispatcher) Once(ctx context.Context) (int, error) {
	if _, err := d.Store.Lapse(ctx, d.Clock.Now()); err != nil {
		return 0, err
	}
	workers := d.workers()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		calls int
		first error
	)
	for range workers {
		wg.Go(func() {
			n, err := d.drain(ctx, (d.batch()+workers-1)/workers)
			mu.Lock()
			defer mu.Unlock()
			calls += n
			if first == nil {
				first = err
			}
		})
	}
	wg.Wait()
	return calls, first
}

// drain makes up to n calls, one claimed delivery at a time, and stops
// when nothing is due within budget.
func (d *Dispatcher) drain(ctx context.Context, n int) (int, error) {
	limit := d.PerMinute
	if limit <= 0 {
		limit = 60
	}
	calls := 0
	for range n {
		c, ok, err := d.Store.Claim(ctx, d.Clock.Now(), limit)
		if err != nil || !ok {
			return calls, err
		}
		calls++
		res := d.Sender.Send(ctx, c)
		if ctx.Err() != nil {
			// Stopping: the delivery stays "sending" until its lease
			// lapses and then goes out again with the same id, exactly
			// as after a crash.
			return calls, ctx.Err()
		}
		at := d.Clock.Now()
		// Receivers deduplicate on the delivery id: an idempotent channel,
		// so a call in doubt is made again.
		out := domain.After(res.Failure(), c.Attempts, true, at)
		if err := d.Store.Record(ctx, c, out, res, at); err != nil {
			return calls, err
		}
		if !res.Delivered() {
			d.Log.Warn("webhook delivery failed", "delivery", c.ID, "subscription", c.SubscriptionID, "status", res.Status,
				"state", out.State, "err", res.Err)
		}
	}
	return calls, nil
}
