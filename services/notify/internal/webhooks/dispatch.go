package webhooks

import (
	"context"
	"log/slog"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
	"github.com/anxin-welfare/anxin/services/notify/internal/store"
)

// Dispatcher sends the due webhook deliveries, one claimed call at a
// time, within each subscription's budget of calls per minute.
type Dispatcher struct {
	Store  *store.Webhooks
	Sender *Sender
	// PerMinute caps each subscription's calls per minute.
	PerMinute int
	Clock     clock.Clock
	Log       *slog.Logger
	// Batch is how many calls one round makes at most. Default 50.
	Batch int
}

// Run dispatches every interval until ctx ends.
func (d *Dispatcher) Run(interval time.Duration) func(context.Context) error {
	return func(ctx context.Context) error {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			if _, err := d.Once(ctx); err != nil && ctx.Err() == nil {
				d.Log.Warn("notify webhooks", "err", err)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
			}
		}
	}
}

// Once settles lapsed leases, then makes the due calls, up to Batch; it
// returns how many calls it made.
func (d *Dispatcher) Once(ctx context.Context) (int, error) {
	if _, err := d.Store.Lapse(ctx, d.Clock.Now()); err != nil {
		return 0, err
	}
	batch := d.Batch
	if batch <= 0 {
		batch = 50
	}
	limit := d.PerMinute
	if limit <= 0 {
		limit = 60
	}
	calls := 0
	for range batch {
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
		out := domain.WebhookAfter(res.Delivered(), c.Attempts, at)
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
