package events

import (
	"context"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/services/notify/internal/store"
)

// WithWebhooks runs next (the notices) and then, in the same consumer
// transaction, queues one delivery of the event's public JSON per live
// webhook subscription of its kind. The bus inbox makes a redelivery
// harmless; the unique (event, subscription) key makes a replayed dead
// letter harmless too.
func WithWebhooks(next bus.Handler, now func() time.Time) bus.Handler {
	kinds := WebhookKinds()
	return func(ctx context.Context, tx *sqlx.Tx, ev bus.Event) error {
		if err := next(ctx, tx, ev); err != nil {
			return err
		}
		if ev.Version != Version || !slices.Contains(kinds, ev.Source+"."+ev.Type) {
			return nil
		}
		kind, body, err := WebhookBody(ev)
		if err != nil {
			return err
		}
		return store.QueueWebhooks(ctx, tx, ev.ID, kind, body, now())
	}
}
