package app

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"
)

// GaugeInterval is how often a service reads its gauges from its
// database: a few cheap indexed queries on a timer, never per request or
// per scrape.
const GaugeInterval = 15 * time.Second

// gauge is one polled gauge of a service.
type gauge struct {
	g    prometheus.Gauge
	read func(ctx context.Context, db *sqlx.DB) (float64, error)
}

// PollGauge registers a gauge labelled with the service's name whose value
// read takes from the database every GaugeInterval (read must be cheap: an
// indexed count, a LIMIT 1). Several services of one process register the
// same name, each with its own label.
func (b *Base) PollGauge(name, help string, read func(ctx context.Context, db *sqlx.DB) (float64, error)) {
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help, ConstLabels: prometheus.Labels{"service": b.Name}})
	if err := b.Registry.Register(g); err != nil {
		b.Log.Warn("gauge not registered", "gauge", name, "err", err)
		return
	}
	b.gauges = append(b.gauges, gauge{g: g, read: read})
}

// registerPlatformGauges adds the gauges every service has: its outbox's
// backlog and the age of its oldest unsent event, and its dead letters
// waiting for an admin.
func (b *Base) registerPlatformGauges() {
	b.PollGauge("anxin_outbox_backlog", "Events written to the service's outbox and not yet published to NATS.",
		func(ctx context.Context, db *sqlx.DB) (float64, error) {
			return count(ctx, db, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`)
		})
	b.PollGauge("anxin_outbox_oldest_unsent_age_seconds", "Age of the oldest event in the service's outbox not yet published (0 when none).",
		func(ctx context.Context, db *sqlx.DB) (float64, error) {
			var age float64
			err := db.GetContext(ctx, &age, `SELECT COALESCE((SELECT EXTRACT(EPOCH FROM now() - created_at)::float8
				FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT 1), 0)`)
			return max(age, 0), err
		})
	b.PollGauge("anxin_dead_letters_pending", "Events the service's consumers gave up on that no admin has replayed yet.",
		func(ctx context.Context, db *sqlx.DB) (float64, error) {
			return count(ctx, db, `SELECT count(*) FROM dead_letters WHERE replayed_at IS NULL`)
		})
}

func count(ctx context.Context, db *sqlx.DB, q string) (float64, error) {
	var n int64
	if err := db.GetContext(ctx, &n, q); err != nil {
		return 0, err
	}
	return float64(n), nil
}

// pollGauges reads every gauge now and then every GaugeInterval until ctx
// ends.
func (b *Base) pollGauges(ctx context.Context) error {
	t := time.NewTicker(GaugeInterval)
	defer t.Stop()
	for {
		b.ReadGauges(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// ReadGauges reads every gauge of the service once, now; Run does it every
// GaugeInterval. A failed read keeps the last value and is logged at
// debug level: an outage already shows on /readyz.
func (b *Base) ReadGauges(ctx context.Context) {
	for _, g := range b.gauges {
		qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		v, err := g.read(qctx, b.DB)
		cancel()
		if err != nil {
			if ctx.Err() == nil {
				b.Log.Debug("gauge read failed", "err", err)
			}
			continue
		}
		g.g.Set(v)
	}
}
