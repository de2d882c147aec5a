// Package dispatch sends the pending deliveries: it claims them (a
// committed "sending" with a lease), calls each channel's adapter, and
// records the outcome, with backoff, dead letters and a per-channel rate
// limit. A process that dies between the call and the record leaves the
// delivery "sending"; when its lease lapses it goes back to pending only
// for a channel whose receiver honours the delivery's key, and otherwise
// to "unknown" for an admin to check: never a blind second message.
package dispatch

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/notify/internal/channels"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
	"github.com/anxin-welfare/anxin/services/notify/internal/store"
	"github.com/anxin-welfare/anxin/services/notify/internal/templates"
)

// Dispatcher sends deliveries through Senders.
type Dispatcher struct {
	Store   *store.Store
	Senders map[domain.Channel]channels.Sender
	// PerMinute caps each channel's calls per minute.
	PerMinute map[domain.Channel]int
	// PublicURL is the site's address, for links ("https://anxin.example").
	PublicURL string
	Clock     clock.Clock
	Log       *slog.Logger
	// Batch is how many deliveries per channel one round claims.
	Batch int
}

// Available reports whether the deployment has an adapter for c.
func (d *Dispatcher) Available(c domain.Channel) bool {
	_, ok := d.Senders[c]
	return ok
}

func (d *Dispatcher) idempotent(c domain.Channel) bool {
	s, ok := d.Senders[c]
	return ok && s.Idempotent()
}

// Run dispatches every interval until ctx ends.
func (d *Dispatcher) Run(interval time.Duration) func(context.Context) error {
	return func(ctx context.Context) error {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			if _, err := d.Once(ctx); err != nil && ctx.Err() == nil {
				d.Log.Warn("notify dispatch", "err", err)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
			}
		}
	}
}

// Once settles lapsed leases, then sends what is due on each channel, up
// to Batch per channel, one claimed delivery at a time; it returns how
// many calls it made.
func (d *Dispatcher) Once(ctx context.Context) (int, error) {
	if _, err := d.Store.Lapse(ctx, d.Clock.Now(), d.idempotent); err != nil {
		return 0, err
	}
	batch := d.Batch
	if batch <= 0 {
		batch = 20
	}
	calls := 0
	for _, ch := range domain.DeliveryChannels() {
		sender, ok := d.Senders[ch]
		if !ok {
			continue
		}
		limit := d.PerMinute[ch]
		if limit <= 0 {
			limit = 60
		}
		for range batch {
			dl, ok, err := d.Store.Claim(ctx, d.Clock.Now(), ch, limit)
			if err != nil || !ok {
				if err != nil {
					return calls, err
				}
				break
			}
			calls++
			callErr := sender.Send(ctx, d.message(dl))
			if ctx.Err() != nil {
				// Stopping: whatever the call did stays "sending" until
				// its lease lapses, exactly as after a crash.
				return calls, ctx.Err()
			}
			at := d.Clock.Now()
			out := domain.After(callErr, dl.Attempts, sender.Idempotent(), at)
			if err := d.Store.Record(ctx, dl, out, callErr, at); err != nil {
				return calls, err
			}
			if callErr != nil {
				d.Log.Warn("notify delivery failed", "delivery", dl.ID, "channel", ch, "state", out.State, "err", callErr)
			}
		}
	}
	return calls, nil
}

func (d *Dispatcher) message(dl store.Delivery) channels.Message {
	lang := templates.Lang(dl.Lang)
	link := strings.TrimRight(d.PublicURL, "/") + dl.Link
	t := templates.Render(lang, dl.Kind, dl.Critical, dl.Args(), link)
	return channels.Message{
		Key: dl.ID.String(), To: dl.Address, Subject: t.Title,
		Body:  t.Body + "\r\n\r\n" + i18n.T(lang, "notify.email.footer", link),
		Short: t.Short,
	}
}
