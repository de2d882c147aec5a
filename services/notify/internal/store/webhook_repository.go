package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/sealed"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
)

// Webhooks keeps the webhook subscriptions, their deliveries and attempts.
// Signing secrets are sealed at rest with Sealer and opened only to sign.
type Webhooks struct {
	db     *sqlx.DB
	clk    clock.Clock
	sealer *sealed.Sealer
}

// NewWebhooks returns the webhook store over db.
func NewWebhooks(db *sqlx.DB, clk clock.Clock, s *sealed.Sealer) *Webhooks {
	return &Webhooks{db: db, clk: clk, sealer: s}
}

type subscriptionRow struct {
	ID            uuid.UUID      `db:"id"`
	Name          string         `db:"name"`
	URL           string         `db:"url"`
	Kinds         pq.StringArray `db:"kinds"`
	Active        bool           `db:"active"`
	CreatedBy     string         `db:"created_by"`
	CreatedAt     time.Time      `db:"created_at"`
	UpdatedAt     time.Time      `db:"updated_at"`
	PreviousUntil *time.Time     `db:"previous_until"`
	Version       int64          `db:"version"`
}

const subscriptionColumns = `id, name, url, kinds, active, created_by, created_at, updated_at, previous_until, version`

func (r subscriptionRow) domain() domain.WebhookSubscription {
	return domain.WebhookSubscription{ID: r.ID.String(), Name: r.Name, URL: r.URL, Kinds: []string(r.Kinds),
		Active: r.Active, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		PreviousUntil: r.PreviousUntil, Version: r.Version}
}

// view is what the audit trail keeps of a subscription: never a secret.
func view(s domain.WebhookSubscription) map[string]any {
	return map[string]any{"name": s.Name, "url": s.URL, "kinds": s.Kinds, "active": s.Active}
}

// CreateSubscription stores a subscription with a fresh signing secret,
// audited as actor's, and returns it with the secret: the only time it is
// ever shown.
func (w *Webhooks) CreateSubscription(ctx context.Context, in domain.WebhookInput, actor, requestID string) (domain.WebhookSubscription, string, error) {
	secret, err := domain.NewWebhookSecret()
	if err != nil {
		return domain.WebhookSubscription{}, "", err
	}
	sealedSecret, err := w.sealer.Seal(secret)
	if err != nil {
		return domain.WebhookSubscription{}, "", err
	}
	var r subscriptionRow
	err = pg.InTx(ctx, w.db, func(tx *sqlx.Tx) error {
		now := w.clk.Now()
		if err := tx.GetContext(ctx, &r, `INSERT INTO webhook_subscriptions
			(id, name, url, kinds, active, secret, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING `+subscriptionColumns,
			uuid.New(), in.Name, in.URL, pq.StringArray(in.Kinds), in.Active, sealedSecret, actor, now); err != nil {
			return fmt.Errorf("create webhook: %w", err)
		}
		return audit.Write(ctx, tx, w.clk, audit.Entry{Actor: actor, Action: "notify.webhook.create",
			ObjectType: "webhook_subscription", ObjectID: r.ID.String(), After: view(r.domain()), RequestID: requestID})
	})
	return r.domain(), secret, err
}

// Subscriptions pages the live subscriptions, newest first.
func (w *Webhooks) Subscriptions(ctx context.Context, r page.Request) ([]domain.WebhookSubscription, string, error) {
	var (
		at time.Time
		id uuid.UUID
	)
	after, err := r.Decode(&at, &id)
	if err != nil {
		return nil, "", err
	}
	var rows []subscriptionRow
	err = w.db.SelectContext(ctx, &rows, `SELECT `+subscriptionColumns+` FROM webhook_subscriptions
		WHERE deleted_at IS NULL AND (NOT $1 OR (created_at, id) < ($2, $3))
		ORDER BY created_at DESC, id DESC LIMIT $4`, after, at, id, r.Fetch())
	if err != nil {
		return nil, "", fmt.Errorf("webhook subscriptions: %w", err)
	}
	rows, next := page.Trim(r, rows, func(s subscriptionRow) string { return page.Cursor(s.CreatedAt, s.ID) })
	out := make([]domain.WebhookSubscription, 0, len(rows))
	for _, s := range rows {
		out = append(out, s.domain())
	}
	return out, next, nil
}

// Subscription returns one live subscription, or ErrNotFound.
func (w *Webhooks) Subscription(ctx context.Context, id uuid.UUID) (domain.WebhookSubscription, error) {
	var r subscriptionRow
	err := w.db.GetContext(ctx, &r, `SELECT `+subscriptionColumns+` FROM webhook_subscriptions
		WHERE id = $1 AND deleted_at IS NULL`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.WebhookSubscription{}, ErrNotFound
	}
	return r.domain(), err
}

// change runs fn on the live subscription id locked FOR UPDATE, if its
// version is still expect (0: any), then also, and writes its audit row;
// fn returns the statement and arguments of the change, whose RETURNING is
// the row after it.
func (w *Webhooks) change(ctx context.Context, id uuid.UUID, expect int64, action, actor, requestID string,
	fn func(now time.Time) (string, []any, error), also ...func(tx *sqlx.Tx, now time.Time) error) (domain.WebhookSubscription, error) {
	var after subscriptionRow
	err := pg.InTx(ctx, w.db, func(tx *sqlx.Tx) error {
		var before subscriptionRow
		err := tx.GetContext(ctx, &before, `SELECT `+subscriptionColumns+` FROM webhook_subscriptions
			WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`, id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if expect != 0 && before.Version != expect {
			return ErrVersion
		}
		now := w.clk.Now()
		q, args, err := fn(now)
		if err != nil {
			return err
		}
		if err := tx.GetContext(ctx, &after, q+` RETURNING `+subscriptionColumns, args...); err != nil {
			return fmt.Errorf("%s %s: %w", action, id, err)
		}
		for _, f := range also {
			if err := f(tx, now); err != nil {
				return fmt.Errorf("%s %s: %w", action, id, err)
			}
		}
		return audit.Write(ctx, tx, w.clk, audit.Entry{Actor: actor, Action: action, ObjectType: "webhook_subscription",
			ObjectID: id.String(), Before: view(before.domain()), After: view(after.domain()), RequestID: requestID})
	})
	return after.domain(), err
}

// UpdateSubscription replaces a subscription's name, URL, kinds and active
// flag if its version is still expect. Deliveries already queued keep
// their body and go to the new URL.
func (w *Webhooks) UpdateSubscription(ctx context.Context, id uuid.UUID, expect int64, in domain.WebhookInput, actor, requestID string) (domain.WebhookSubscription, error) {
	return w.change(ctx, id, expect, "notify.webhook.update", actor, requestID, func(now time.Time) (string, []any, error) {
		return `UPDATE webhook_subscriptions SET name = $2, url = $3, kinds = $4, active = $5, updated_at = $6,
			version = version + 1 WHERE id = $1`, []any{id, in.Name, in.URL, pq.StringArray(in.Kinds), in.Active, now}, nil
	})
}

// RotateSecret gives a subscription a fresh secret and returns it (shown
// this once); the one it replaces keeps signing beside it for
// domain.WebhookSecretGrace. A rotation within the grace drops the oldest.
func (w *Webhooks) RotateSecret(ctx context.Context, id uuid.UUID, expect int64, actor, requestID string) (domain.WebhookSubscription, string, error) {
	secret, err := domain.NewWebhookSecret()
	if err != nil {
		return domain.WebhookSubscription{}, "", err
	}
	sealedSecret, err := w.sealer.Seal(secret)
	if err != nil {
		return domain.WebhookSubscription{}, "", err
	}
	s, err := w.change(ctx, id, expect, "notify.webhook.rotate_secret", actor, requestID, func(now time.Time) (string, []any, error) {
		return `UPDATE webhook_subscriptions SET previous_secret = secret, previous_until = $3, secret = $2,
			updated_at = $4, version = version + 1 WHERE id = $1`, []any{id, sealedSecret, now.Add(domain.WebhookSecretGrace), now}, nil
	})
	return s, secret, err
}

// DeleteSubscription ends a subscription if its version is still expect:
// nothing more is queued or sent for it (what was queued is given up, so
// it leaves the dispatcher's queue), its secrets are wiped, and its
// deliveries stay as history.
func (w *Webhooks) DeleteSubscription(ctx context.Context, id uuid.UUID, expect int64, actor, requestID string) error {
	_, err := w.change(ctx, id, expect, "notify.webhook.delete", actor, requestID, func(now time.Time) (string, []any, error) {
		return `UPDATE webhook_subscriptions SET deleted_at = $2, active = false, secret = NULL, previous_secret = NULL,
			previous_until = NULL, updated_at = $2, version = version + 1 WHERE id = $1`, []any{id, now}, nil
	}, func(tx *sqlx.Tx, _ time.Time) error {
		// A call under way still records its attempt; its delivery stays dead.
		_, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET state = 'dead', lease_until = NULL,
			last_error = 'the subscription was deleted', version = version + 1
			WHERE subscription_id = $1 AND state IN ('pending', 'sending')`, id)
		return err
	})
	return err
}

// secrets opens the secrets a call is signed with: the current one, and
// the previous one while its grace lasts.
func (w *Webhooks) secrets(current, previous []byte, until *time.Time, now time.Time) ([]string, error) {
	s, err := w.sealer.Open(current)
	if err != nil {
		return nil, err
	}
	out := []string{s}
	if previous != nil && until != nil && now.Before(*until) {
		p, err := w.sealer.Open(previous)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}
