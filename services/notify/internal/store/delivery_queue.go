package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
)

// queue is one table of leased deliveries and the table of their attempts.
// The notices' and the webhooks' share one mechanism over their own
// tables: the rate budget of a claim, the end of an attempt, the lapse of
// a lease and an admin's replay.
type queue struct {
	deliveries, attempts string
	// channel is the SQL of a delivery's channel.
	channel string
	// budgetBy is the attempts' column a rate limit counts by, and lock
	// the prefix of the advisory lock each of its values is counted under.
	budgetBy, lock string
}

var (
	noticeQueue = queue{deliveries: "deliveries", attempts: "delivery_attempts", channel: "channel",
		budgetBy: "channel", lock: "notify.rate."}
	// Webhooks are one channel, whose receivers honour the delivery id,
	// each subscription with its own budget.
	webhookQueue = queue{deliveries: "webhook_deliveries", attempts: "webhook_attempts", channel: "''",
		budgetBy: "subscription_id", lock: "notify.webhook.rate."}
)

// withinBudget reports whether key (a channel, a subscription) has made
// fewer than perMinute calls in the minute before now, counted from the
// attempts (a replay is no call) under key's advisory lock, which tx holds
// to its end so that replicas share the budget.
func (q queue) withinBudget(ctx context.Context, tx *sqlx.Tx, key any, now time.Time, perMinute int) (bool, error) {
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext($1 || $2::text))`, q.lock, key); err != nil {
		return false, err
	}
	var used int
	// The names are q's constants, never input.
	if err := tx.GetContext(ctx, &used, `SELECT count(*) FROM `+q.attempts+` WHERE `+q.budgetBy+` = $1
		AND started_at > $2 AND outcome IS DISTINCT FROM 'replayed'`, key, now.Add(-time.Minute)); err != nil {
		return false, err
	}
	return used < perMinute, nil
}

// requeue moves delivery id (locked by the caller) back to pending, due
// at now, its attempts starting over, and records actor's replay among its
// attempts as one of key's (the rate budget passes over it).
func (q queue) requeue(ctx context.Context, tx *sqlx.Tx, id uuid.UUID, key any, now time.Time, actor string) error {
	// The names are q's constants, never input.
	if _, err := tx.ExecContext(ctx, `UPDATE `+q.deliveries+` SET state = 'pending', attempts = 0, next_at = $2,
		last_error = '', version = version + 1 WHERE id = $1`, id, now); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO `+q.attempts+` (delivery_id, `+q.budgetBy+`, started_at, finished_at, outcome, error)
		VALUES ($1, $2, $3, $3, 'replayed', $4)`, id, key, now, "replayed by "+actor)
	return err
}

// lapse settles up to 100 of q's deliveries whose lease ran out by now,
// each as domain.AfterLapse decides for its channel and attempts, and
// closes the open attempt of each as unknown.
func (q queue) lapse(ctx context.Context, db *sqlx.DB, now time.Time, idempotent func(domain.Channel) bool) (int, error) {
	n := 0
	err := pg.InTx(ctx, db, func(tx *sqlx.Tx) error {
		n = 0
		var rows []struct {
			ID       uuid.UUID      `db:"id"`
			Channel  domain.Channel `db:"channel"`
			Attempts int            `db:"attempts"`
		}
		// The names are q's constants, never input.
		if err := tx.SelectContext(ctx, &rows, `SELECT id, `+q.channel+` AS channel, attempts FROM `+q.deliveries+`
			WHERE state = 'sending' AND lease_until < $1 ORDER BY lease_until LIMIT 100 FOR UPDATE SKIP LOCKED`, now); err != nil {
			return err
		}
		for _, r := range rows {
			st := domain.AfterLapse(idempotent(r.Channel), r.Attempts)
			if _, err := tx.ExecContext(ctx, `UPDATE `+q.deliveries+` SET state = $2, lease_until = NULL, next_at = $3,
				last_error = 'the process stopped during the call', version = version + 1 WHERE id = $1`, r.ID, st, now); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE `+q.attempts+` SET finished_at = $2, outcome = 'unknown',
				error = 'lease lapsed' WHERE delivery_id = $1 AND finished_at IS NULL`, r.ID, now); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// attemptEnd is how an attempt that ended with callErr is recorded, for
// notices and webhooks alike: its outcome ("sent", "failed", or "unknown"
// when the message may have arrived) and the error's text, capped.
func attemptEnd(callErr error) (outcome, errText string) {
	switch {
	case callErr == nil:
		return "sent", ""
	case errors.Is(callErr, domain.ErrUnknownOutcome):
		return "unknown", capText(callErr.Error(), 500)
	}
	return "failed", capText(callErr.Error(), 500)
}

// settled is a delivery's next_at and sent_at after an attempt decided o
// at now: due again at o's time when pending, stamped sent when sent.
func settled(nextAt time.Time, o domain.Outcome, now time.Time) (time.Time, *time.Time) {
	switch o.State {
	case domain.StatePending:
		return o.NextAt, nil
	case domain.StateSent:
		return nextAt, &now
	}
	return nextAt, nil
}

// capText cuts s to at most n bytes of valid UTF-8 that PostgreSQL's text
// takes: no character split (an error or answer cut at a byte limit may
// end inside one), no invalid byte and no NUL (a receiver may answer
// anything).
func capText(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, ""), "\x00", "")
}
