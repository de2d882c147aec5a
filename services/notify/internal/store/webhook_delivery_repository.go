package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
)

// ResponseSnippetMax caps what an attempt keeps of the receiver's answer.
const ResponseSnippetMax = 1024

// replayBatch is how many dead deliveries one replay-all moves at most;
// the answer says when there are more.
const replayBatch = 500

// WebhookDelivery is one (event, subscription) with the exact body every
// attempt sends.
type WebhookDelivery struct {
	ID             uuid.UUID    `db:"id"`
	SubscriptionID uuid.UUID    `db:"subscription_id"`
	EventID        uuid.UUID    `db:"event_id"`
	EventType      string       `db:"event_type"`
	Body           string       `db:"body"`
	State          domain.State `db:"state"`
	Attempts       int          `db:"attempts"`
	NextAt         time.Time    `db:"next_at"`
	LastError      string       `db:"last_error"`
	CreatedAt      time.Time    `db:"created_at"`
	SentAt         *time.Time   `db:"sent_at"`
	Version        int64        `db:"version"`
}

const webhookDeliveryColumns = `id, subscription_id, event_id, event_type, body, state, attempts, next_at, last_error,
	created_at, sent_at, version`

// WebhookCall is a claimed delivery with what its call needs: where to,
// the secrets to sign with (the current one first), and its attempt.
type WebhookCall struct {
	WebhookDelivery
	URL       string
	Secrets   []string
	AttemptID int64
}

// WebhookResult is how a call ended: the answer's status (0 without one),
// how long it took, the first bytes of the answer, and the transport's
// error, if any.
type WebhookResult struct {
	Status   int
	Latency  time.Duration
	Response string
	Err      error
}

// Delivered reports whether the receiver took the delivery: a 2xx.
func (r WebhookResult) Delivered() bool { return r.Err == nil && r.Status >= 200 && r.Status < 300 }

// Failure is the call's error as domain.After and the attempt record take
// it: nil when delivered, the transport's error, or else the status that
// was not a 2xx (retried like ErrNotSent).
func (r WebhookResult) Failure() error {
	switch {
	case r.Delivered():
		return nil
	case r.Err != nil:
		return r.Err
	}
	return fmt.Errorf("HTTP %d", r.Status)
}

// WebhookAttempt is one call of a webhook delivery.
type WebhookAttempt struct {
	StartedAt  time.Time  `db:"started_at" json:"started_at"`
	FinishedAt *time.Time `db:"finished_at" json:"finished_at"`
	Outcome    string     `db:"outcome" json:"outcome"`
	StatusCode *int       `db:"status_code" json:"status_code"`
	LatencyMS  *int       `db:"latency_ms" json:"latency_ms"`
	Response   string     `db:"response" json:"response"`
	Error      string     `db:"error" json:"error"`
}

// QueueWebhooks records, inside the consumer's transaction tx, one pending
// delivery of body per live, active subscription of kind. The unique key
// (event, subscription) makes a second run a no-op.
func QueueWebhooks(ctx context.Context, tx *sqlx.Tx, eventID uuid.UUID, kind string, body []byte, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO webhook_deliveries
		(id, subscription_id, event_id, event_type, body, state, next_at, created_at)
		SELECT gen_random_uuid(), s.id, $1, $2, $3, 'pending', $4, $4 FROM webhook_subscriptions s
		WHERE s.deleted_at IS NULL AND s.active AND s.kinds @> ARRAY[$2::text]
		ON CONFLICT (event_id, subscription_id) DO NOTHING`, eventID, kind, string(body), now)
	if err != nil {
		return fmt.Errorf("queue webhooks of %s: %w", eventID, err)
	}
	return nil
}

// Lapse settles the webhook deliveries whose lease ran out by now: their
// process died during the call. Receivers deduplicate on the delivery id
// (domain.AfterLapse of an idempotent channel), so each goes back to
// pending, to be sent again with the same id (or dead, if that was its
// last attempt).
func (w *Webhooks) Lapse(ctx context.Context, now time.Time) (int, error) {
	return webhookQueue.lapse(ctx, w.db, now, func(domain.Channel) bool { return true })
}

// afterClaimCandidates, when set (by a test only), runs in Claim between
// reading the due candidates and locking one: where another worker's whole
// claim, call and failure can fall.
var afterClaimCandidates func()

// Claim takes the next due delivery of a live, active subscription that
// has made fewer than perMinute calls in the last minute (counted from the
// attempts, under a per-subscription lock so replicas share the budget),
// commits it as "sending" with a lease and an open attempt, and returns it
// with its URL and secrets. ok is false when nothing is due within budget.
//
// The search goes subscription by subscription (the oldest due delivery
// of each, through webhook_deliveries_due), so its cost follows the number
// of subscriptions, not the backlog of one that is over its budget or
// paused; and it passes over a subscription with a call under way, so a
// receiver gets one call at a time and one that hangs holds one worker.
func (w *Webhooks) Claim(ctx context.Context, now time.Time, perMinute int) (c WebhookCall, ok bool, err error) {
	err = pg.InTx(ctx, w.db, func(tx *sqlx.Tx) error {
		ok = false
		var cands []struct {
			ID             uuid.UUID `db:"id"`
			SubscriptionID uuid.UUID `db:"subscription_id"`
		}
		err := tx.SelectContext(ctx, &cands, `SELECT d.id, d.subscription_id FROM webhook_subscriptions s
			JOIN LATERAL (SELECT id, subscription_id, next_at FROM webhook_deliveries
				WHERE subscription_id = s.id AND state = 'pending' AND next_at <= $1 ORDER BY next_at LIMIT 1) d ON true
			WHERE s.active AND s.deleted_at IS NULL
			  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries x WHERE x.subscription_id = s.id AND x.state = 'sending')
			  AND (SELECT count(*) FROM webhook_attempts a WHERE a.subscription_id = s.id AND a.started_at > $2
			       AND a.outcome IS DISTINCT FROM 'replayed') < $3
			ORDER BY d.next_at LIMIT 8`, now, now.Add(-time.Minute), perMinute)
		if err != nil {
			return fmt.Errorf("claim webhook: %w", err)
		}
		if afterClaimCandidates != nil {
			afterClaimCandidates()
		}
		// Another replica may be claiming the same: take the first one
		// nobody holds.
		var cand struct {
			ID             uuid.UUID
			SubscriptionID uuid.UUID
		}
		for _, x := range cands {
			var got uuid.UUID
			// Due is asked again under the lock: the candidates were read
			// before it, and another worker may have made this call and
			// recorded its failure since, moving next_at hours ahead.
			err := tx.GetContext(ctx, &got, `SELECT id FROM webhook_deliveries WHERE id = $1 AND state = 'pending'
				AND next_at <= $2 FOR UPDATE SKIP LOCKED`, x.ID, now)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			cand.ID, cand.SubscriptionID = x.ID, x.SubscriptionID
			break
		}
		if cand.ID == uuid.Nil {
			return nil
		}
		// The count above may race another replica's claim: count again
		// under the subscription's lock.
		if within, err := webhookQueue.withinBudget(ctx, tx, cand.SubscriptionID, now, perMinute); err != nil || !within {
			return err
		}
		if err := tx.GetContext(ctx, &c.WebhookDelivery, `UPDATE webhook_deliveries SET state = 'sending', lease_until = $2,
			attempts = attempts + 1, version = version + 1 WHERE id = $1 RETURNING `+webhookDeliveryColumns,
			cand.ID, now.Add(domain.Lease)); err != nil {
			return err
		}
		var s struct {
			URL      string     `db:"url"`
			Secret   []byte     `db:"secret"`
			Previous []byte     `db:"previous_secret"`
			Until    *time.Time `db:"previous_until"`
		}
		if err := tx.GetContext(ctx, &s, `SELECT url, secret, previous_secret, previous_until FROM webhook_subscriptions
			WHERE id = $1`, cand.SubscriptionID); err != nil {
			return err
		}
		c.URL = s.URL
		if c.Secrets, err = w.secrets(s.Secret, s.Previous, s.Until, now); err != nil {
			return fmt.Errorf("webhook %s secret: %w", cand.SubscriptionID, err)
		}
		ok = true
		return tx.GetContext(ctx, &c.AttemptID, `INSERT INTO webhook_attempts (delivery_id, subscription_id, started_at)
			VALUES ($1, $2, $3) RETURNING id`, c.ID, c.SubscriptionID, now)
	})
	return c, ok, err
}

// Record writes the end of a claimed call: the delivery's next state and
// the attempt's status, latency and answer. A delivery no longer "sending"
// with this attempt (its lease lapsed meanwhile) is left as it is.
func (w *Webhooks) Record(ctx context.Context, c WebhookCall, o domain.Outcome, r WebhookResult, now time.Time) error {
	outcome, errText := attemptEnd(r.Failure())
	next, sentAt := settled(c.NextAt, o, now)
	var status *int
	if r.Status != 0 {
		status = &r.Status
	}
	latency := r.Latency.Milliseconds()
	return pg.InTx(ctx, w.db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET state = $3, next_at = $4, lease_until = NULL,
			sent_at = coalesce($5, sent_at), last_error = $6, version = version + 1
			WHERE id = $1 AND state = 'sending' AND attempts = $2`, c.ID, c.Attempts, o.State, next, sentAt, errText); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE webhook_attempts SET finished_at = $2, outcome = $3, status_code = $4,
			latency_ms = $5, response = $6, error = $7 WHERE id = $1 AND finished_at IS NULL`,
			c.AttemptID, now, outcome, status, latency, capText(r.Response, ResponseSnippetMax), errText)
		return err
	})
}

// Deliveries pages a subscription's deliveries, newest first; state, when
// set, keeps those in it.
func (w *Webhooks) Deliveries(ctx context.Context, subscriptionID uuid.UUID, state domain.State, r page.Request) ([]WebhookDelivery, string, error) {
	var (
		at time.Time
		id uuid.UUID
	)
	after, err := r.Decode(&at, &id)
	if err != nil {
		return nil, "", err
	}
	var rows []WebhookDelivery
	err = w.db.SelectContext(ctx, &rows, `SELECT `+webhookDeliveryColumns+` FROM webhook_deliveries
		WHERE subscription_id = $1 AND ($2 = '' OR state = $2) AND (NOT $3 OR (created_at, id) < ($4, $5))
		ORDER BY created_at DESC, id DESC LIMIT $6`, subscriptionID, string(state), after, at, id, r.Fetch())
	if err != nil {
		return nil, "", fmt.Errorf("webhook deliveries of %s: %w", subscriptionID, err)
	}
	rows, next := page.Trim(r, rows, func(d WebhookDelivery) string { return page.Cursor(d.CreatedAt, d.ID) })
	return rows, next, nil
}

// WebhookDeliveryOf returns one delivery of a live subscription with its
// attempts, oldest first, or ErrNotFound.
func (w *Webhooks) WebhookDeliveryOf(ctx context.Context, id uuid.UUID) (WebhookDelivery, []WebhookAttempt, error) {
	var d WebhookDelivery
	err := w.db.GetContext(ctx, &d, `SELECT `+webhookDeliveryColumns+` FROM webhook_deliveries d
		WHERE id = $1 AND EXISTS (SELECT 1 FROM webhook_subscriptions s WHERE s.id = d.subscription_id AND s.deleted_at IS NULL)`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return d, nil, ErrNotFound
	}
	if err != nil {
		return d, nil, err
	}
	var attempts []WebhookAttempt
	err = w.db.SelectContext(ctx, &attempts, `SELECT started_at, finished_at, coalesce(outcome, '') AS outcome, status_code,
		latency_ms, response, error FROM webhook_attempts WHERE delivery_id = $1 ORDER BY id`, id)
	return d, attempts, err
}

// ReplayDelivery sends a dead or delivered webhook delivery again, now,
// with the same id and body, as actor decided (audited): its attempts
// start over. A pending or sending one is ErrNotReplayable.
func (w *Webhooks) ReplayDelivery(ctx context.Context, id uuid.UUID, actor, requestID string) (WebhookDelivery, error) {
	var d WebhookDelivery
	err := pg.InTx(ctx, w.db, func(tx *sqlx.Tx) error {
		var before WebhookDelivery
		err := tx.GetContext(ctx, &before, `SELECT `+webhookDeliveryColumns+` FROM webhook_deliveries d
			WHERE id = $1 AND EXISTS (SELECT 1 FROM webhook_subscriptions s WHERE s.id = d.subscription_id AND s.deleted_at IS NULL)
			FOR UPDATE`, id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if before.State != domain.StateDead && before.State != domain.StateSent {
			return ErrNotReplayable
		}
		if err := w.replay(ctx, tx, []WebhookDelivery{before}, actor, requestID); err != nil {
			return err
		}
		return tx.GetContext(ctx, &d, `SELECT `+webhookDeliveryColumns+` FROM webhook_deliveries WHERE id = $1`, id)
	})
	return d, err
}

// ReplayDead sends every dead delivery of a live subscription again (up to
// 500 a call; more says whether some are left), each audited.
func (w *Webhooks) ReplayDead(ctx context.Context, subscriptionID uuid.UUID, actor, requestID string) (n int, more bool, err error) {
	err = pg.InTx(ctx, w.db, func(tx *sqlx.Tx) error {
		var live bool
		if err := tx.GetContext(ctx, &live, `SELECT EXISTS (SELECT 1 FROM webhook_subscriptions WHERE id = $1 AND deleted_at IS NULL)`,
			subscriptionID); err != nil {
			return err
		}
		if !live {
			return ErrNotFound
		}
		var dead []WebhookDelivery
		if err := tx.SelectContext(ctx, &dead, `SELECT `+webhookDeliveryColumns+` FROM webhook_deliveries
			WHERE subscription_id = $1 AND state = 'dead' ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
			subscriptionID, replayBatch+1); err != nil {
			return err
		}
		if more = len(dead) > replayBatch; more {
			dead = dead[:replayBatch]
		}
		n = len(dead)
		return w.replay(ctx, tx, dead, actor, requestID)
	})
	return n, more, err
}

// replay moves rows (locked by the caller) back to pending, due now, with
// an attempt row saying who replayed them and one audit row each.
func (w *Webhooks) replay(ctx context.Context, tx *sqlx.Tx, rows []WebhookDelivery, actor, requestID string) error {
	now := w.clk.Now()
	entries := make([]audit.Entry, 0, len(rows))
	for _, before := range rows {
		if err := webhookQueue.requeue(ctx, tx, before.ID, before.SubscriptionID, now, actor); err != nil {
			return err
		}
		entries = append(entries, audit.Entry{Actor: actor, Action: "notify.webhook.delivery.replay",
			ObjectType: "webhook_delivery", ObjectID: before.ID.String(),
			Before: map[string]any{"state": before.State, "attempts": before.Attempts, "subscription_id": before.SubscriptionID},
			After:  map[string]any{"state": domain.StatePending}, RequestID: requestID})
	}
	return audit.WriteAll(ctx, tx, w.clk, entries...)
}

// CountDeadWebhooks counts the webhook deliveries that gave up and wait
// for an admin (a gauge): those of live subscriptions.
func CountDeadWebhooks(ctx context.Context, db *sqlx.DB) (float64, error) {
	var n float64
	err := db.GetContext(ctx, &n, `SELECT count(*) FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
		WHERE d.state = 'dead' AND s.deleted_at IS NULL`)
	return n, err
}
