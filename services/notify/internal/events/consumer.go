package events

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
	"github.com/anxin-welfare/anxin/services/notify/internal/store"
)

// Resolver names the people of audiences (the gateway, over NATS).
type Resolver interface {
	Resolve(ctx context.Context, audiences []domain.Audience) ([]domain.Recipient, error)
}

// OnEvent turns an event into inbox entries and pending deliveries, in the
// consumer's transaction (so the bus inbox makes a redelivery harmless; the
// unique keys make even a replayed dead letter harmless).
func OnEvent(resolve Resolver, available func(domain.Channel) bool, now func() time.Time) bus.Handler {
	return func(ctx context.Context, tx *sqlx.Tx, ev bus.Event) error {
		n, err := NoticeOf(ev)
		if err != nil {
			return err
		}
		to, err := resolve.Resolve(ctx, n.Audiences)
		if err != nil {
			return err
		}
		return store.FanOut(ctx, tx, ev.ID, n, dedupe(to), available, now())
	}
}

func dedupe(rs []domain.Recipient) []domain.Recipient {
	seen := map[string]bool{}
	out := rs[:0:0]
	for _, r := range rs {
		if r.UserID == "" || seen[r.UserID] {
			continue
		}
		seen[r.UserID] = true
		out = append(out, r)
	}
	return out
}
