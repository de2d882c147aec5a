package bus

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/pg"
)

// DeadLetter is an event a consumer gave up on.
type DeadLetter struct {
	ID         int64      `db:"id" json:"id"`
	Consumer   string     `db:"consumer" json:"consumer"`
	EventID    string     `db:"event_id" json:"event_id"`
	Subject    string     `db:"subject" json:"subject"`
	Envelope   []byte     `db:"envelope" json:"-"`
	Error      string     `db:"error" json:"error"`
	Deliveries int        `db:"deliveries" json:"deliveries"`
	FailedAt   time.Time  `db:"failed_at" json:"failed_at"`
	ReplayedAt *time.Time `db:"replayed_at" json:"replayed_at,omitempty"`
	ReplayedBy *string    `db:"replayed_by" json:"replayed_by,omitempty"`
}

// DeadLettersQuery lists the dead letters of a schema newest first (by id),
// those before id beforeID when it is set (> 0), limit of them; with
// pendingOnly, only those not yet replayed. The pending list reads
// dead_letters_pending (a partial index holding only them), the whole list
// the primary key: either costs the page, not the table.
func DeadLettersQuery(pendingOnly bool, beforeID int64, limit int) (string, []any) {
	q := `SELECT id, consumer, event_id::text AS event_id, subject, envelope, error, deliveries,
		failed_at, replayed_at, replayed_by FROM dead_letters WHERE id < $1`
	if pendingOnly {
		q += ` AND replayed_at IS NULL`
	}
	if beforeID <= 0 {
		beforeID = math.MaxInt64
	}
	return q + ` ORDER BY id DESC LIMIT $2`, []any{beforeID, limit}
}

// ListDeadLetters returns a page of the dead letters of a schema, newest
// first, those before id beforeID when it is set (> 0); with pendingOnly,
// only those not yet replayed. A limit outside 1..1000 reads 100.
func ListDeadLetters(ctx context.Context, db sqlx.QueryerContext, pendingOnly bool, beforeID int64, limit int) ([]DeadLetter, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	var out []DeadLetter
	q, args := DeadLettersQuery(pendingOnly, beforeID, limit)
	if err := sqlx.SelectContext(ctx, db, &out, q, args...); err != nil {
		return nil, fmt.Errorf("bus: list dead letters: %w", err)
	}
	return out, nil
}

// Replay applies dead letter id with this consumer's handler again, in one
// transaction with the inbox row and the dead letter's replayed mark. An
// event that was applied meanwhile is only marked. The handler's error is
// returned and recorded on the dead letter.
func (c *Consumer) Replay(ctx context.Context, id int64, by string) error {
	var herr error
	err := pg.InTx(ctx, c.db, func(tx *sqlx.Tx) error {
		herr = nil // the closure may run again after a serialization failure
		var dl DeadLetter
		err := tx.GetContext(ctx, &dl, `SELECT id, consumer, event_id::text AS event_id, subject, envelope, error, deliveries,
			failed_at, replayed_at, replayed_by FROM dead_letters WHERE id = $1 AND consumer = $2 FOR UPDATE`, id, c.cfg.Name)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if dl.ReplayedAt != nil {
			return nil
		}
		ev, err := ParseEnvelope(dl.Envelope)
		if err != nil {
			herr = err
			return nil
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, c.cfg.Name, ev.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			if _, err := tx.ExecContext(ctx, `SAVEPOINT replay`); err != nil {
				return err
			}
			if herr = c.handler(ctx, tx, ev); herr != nil {
				_, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT replay`)
				if err != nil {
					return err
				}
				_, err = tx.ExecContext(ctx, `DELETE FROM inbox WHERE consumer = $1 AND event_id = $2`, c.cfg.Name, ev.ID)
				if err != nil {
					return err
				}
				_, err = tx.ExecContext(ctx, `UPDATE dead_letters SET error = $2, failed_at = now() WHERE id = $1`, id, herr.Error())
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE dead_letters SET replayed_at = now(), replayed_by = $2 WHERE id = $1`, id, by)
		return err
	})
	if err != nil {
		return fmt.Errorf("bus: replay dead letter %d: %w", id, err)
	}
	if herr != nil {
		return fmt.Errorf("bus: replay dead letter %d: %w", id, herr)
	}
	return nil
}
