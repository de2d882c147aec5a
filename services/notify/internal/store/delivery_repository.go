package store

import (
	"context"
	"database/sql"
	"encoding/json"
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

// Delivery is one (event, person, channel) with the notice it carries.
type Delivery struct {
	ID        uuid.UUID      `db:"id"`
	EventID   uuid.UUID      `db:"event_id"`
	UserID    string         `db:"user_id"`
	Channel   domain.Channel `db:"channel"`
	Address   string         `db:"address"`
	Lang      string         `db:"lang"`
	State     domain.State   `db:"state"`
	Attempts  int            `db:"attempts"`
	NextAt    time.Time      `db:"next_at"`
	LastError string         `db:"last_error"`
	CreatedAt time.Time      `db:"created_at"`
	SentAt    *time.Time     `db:"sent_at"`
	Version   int64          `db:"version"`

	Kind     domain.Kind     `db:"kind"`
	Critical bool            `db:"critical"`
	RawArgs  json.RawMessage `db:"args"`
	Link     string          `db:"link"`

	// AttemptID is the attempts row of the call a claim is for.
	AttemptID int64 `db:"-"`
}

// Args are the notice's text arguments.
func (d Delivery) Args() []string {
	var a []string
	_ = json.Unmarshal(d.RawArgs, &a) // written by us as a JSON array of strings
	return a
}

const deliveryColumns = `d.id, d.event_id, d.user_id, d.channel, d.address, d.lang, d.state, d.attempts, d.next_at,
	d.last_error, d.created_at, d.sent_at, d.version, n.kind, n.critical, n.args, n.link`

// Lapse settles the deliveries whose lease ran out by now: their process
// died between claiming and recording a call. A channel whose receiver
// honours the delivery key goes back to pending (dead if that was its last
// attempt); any other becomes unknown, for an admin to check and replay,
// never resent blindly.
func (s *Store) Lapse(ctx context.Context, now time.Time, idempotent func(domain.Channel) bool) (int, error) {
	return noticeQueue.lapse(ctx, s.db, now, idempotent)
}

// Claim takes the next due delivery of channel ch for sending, if the
// channel's budget of perMinute calls in the last minute (counted from the
// attempts, under a per-channel lock so replicas share it) allows, and
// records an open attempt. The claim commits before the call, and only one
// delivery is claimed per call, so a process that dies leaves at most the
// delivery it was calling in doubt. ok is false when nothing is due or the
// budget is spent.
func (s *Store) Claim(ctx context.Context, now time.Time, ch domain.Channel, perMinute int) (d Delivery, ok bool, err error) {
	err = pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		ok = false
		if within, err := noticeQueue.withinBudget(ctx, tx, ch, now, perMinute); err != nil || !within {
			return err
		}
		err := tx.GetContext(ctx, &d, `UPDATE deliveries d SET state = 'sending', lease_until = $3,
				attempts = d.attempts + 1, version = d.version + 1
			FROM notifications n
			WHERE n.id = d.notification_id AND d.id = (
				SELECT id FROM deliveries WHERE state = 'pending' AND channel = $1 AND next_at <= $2
				ORDER BY next_at LIMIT 1 FOR UPDATE SKIP LOCKED)
			RETURNING `+deliveryColumns, ch, now, now.Add(domain.Lease))
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("claim %s: %w", ch, err)
		}
		ok = true
		return tx.GetContext(ctx, &d.AttemptID, `INSERT INTO delivery_attempts (delivery_id, channel, started_at)
			VALUES ($1, $2, $3) RETURNING id`, d.ID, ch, now)
	})
	return d, ok, err
}

// Record writes the end of a claimed call: the delivery's next state and
// its attempt's outcome. A delivery no longer "sending" with this attempt
// (its lease lapsed meanwhile) is left as it is.
func (s *Store) Record(ctx context.Context, d Delivery, o domain.Outcome, callErr error, now time.Time) error {
	outcome, errText := attemptEnd(callErr)
	next, sentAt := settled(d.NextAt, o, now)
	return pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = $3, next_at = $4, lease_until = NULL, sent_at = $5,
			last_error = $6, version = version + 1 WHERE id = $1 AND state = 'sending' AND attempts = $2`,
			d.ID, d.Attempts, o.State, next, sentAt, errText); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE delivery_attempts SET finished_at = $2, outcome = $3, error = $4
			WHERE id = $1 AND finished_at IS NULL`, d.AttemptID, now, outcome, errText)
		return err
	})
}

// Failed pages the deliveries that need an admin: dead, or of unknown
// outcome. Newest first.
func (s *Store) Failed(ctx context.Context, r page.Request) ([]Delivery, string, error) {
	var (
		at time.Time
		id uuid.UUID
	)
	after, err := r.Decode(&at, &id)
	if err != nil {
		return nil, "", err
	}
	var rows []Delivery
	err = s.db.SelectContext(ctx, &rows, `SELECT `+deliveryColumns+` FROM deliveries d
		JOIN notifications n ON n.id = d.notification_id
		WHERE d.state IN ('dead', 'unknown') AND (NOT $1 OR (d.created_at, d.id) < ($2, $3))
		ORDER BY d.created_at DESC, d.id DESC LIMIT $4`, after, at, id, r.Fetch())
	if err != nil {
		return nil, "", fmt.Errorf("failed deliveries: %w", err)
	}
	rows, next := page.Trim(r, rows, func(d Delivery) string { return page.Cursor(d.CreatedAt, d.ID) })
	return rows, next, nil
}

// Delivery returns one delivery.
func (s *Store) Delivery(ctx context.Context, id uuid.UUID) (Delivery, error) {
	var d Delivery
	err := s.db.GetContext(ctx, &d, `SELECT `+deliveryColumns+` FROM deliveries d
		JOIN notifications n ON n.id = d.notification_id WHERE d.id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNotFound
	}
	return d, err
}

// Attempts lists a delivery's calls, oldest first.
func (s *Store) Attempts(ctx context.Context, id uuid.UUID) ([]Attempt, error) {
	var out []Attempt
	err := s.db.SelectContext(ctx, &out, `SELECT started_at, finished_at, coalesce(outcome, '') AS outcome, error
		FROM delivery_attempts WHERE delivery_id = $1 ORDER BY id`, id)
	return out, err
}

// Attempt is one call of a delivery.
type Attempt struct {
	StartedAt  time.Time  `db:"started_at" json:"started_at"`
	FinishedAt *time.Time `db:"finished_at" json:"finished_at,omitempty"`
	Outcome    string     `db:"outcome" json:"outcome"`
	Error      string     `db:"error" json:"error,omitempty"`
}

// Replay sends a dead or unknown delivery again, now, as actor decided
// (audited): its attempts start over.
func (s *Store) Replay(ctx context.Context, id uuid.UUID, actor, requestID string) (Delivery, error) {
	var d Delivery
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		now := s.clk.Now()
		var before struct {
			State    domain.State   `db:"state"`
			Attempts int            `db:"attempts"`
			Channel  domain.Channel `db:"channel"`
		}
		err := tx.GetContext(ctx, &before, `SELECT state, attempts, channel FROM deliveries WHERE id = $1 FOR UPDATE`, id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if before.State != domain.StateDead && before.State != domain.StateUnknown {
			return ErrNotReplayable
		}
		if err := noticeQueue.requeue(ctx, tx, id, before.Channel, now, actor); err != nil {
			return err
		}
		if err := tx.GetContext(ctx, &d, `SELECT `+deliveryColumns+` FROM deliveries d
			JOIN notifications n ON n.id = d.notification_id WHERE d.id = $1`, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, s.clk, audit.Entry{Actor: actor, Action: "notify.delivery.replay",
			ObjectType: "delivery", ObjectID: id.String(),
			Before: map[string]any{"state": before.State, "attempts": before.Attempts},
			After:  map[string]any{"state": domain.StatePending}, RequestID: requestID})
	})
	return d, err
}

// CountFailed counts the deliveries waiting for an admin (a gauge; the
// partial index deliveries_failed answers it).
func CountFailed(ctx context.Context, db *sqlx.DB) (float64, error) {
	var n float64
	err := db.GetContext(ctx, &n, `SELECT count(*) FROM deliveries WHERE state IN ('dead', 'unknown')`)
	return n, err
}
