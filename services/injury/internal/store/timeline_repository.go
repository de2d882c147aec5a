package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

// TimelineItem is one entry of a case's timeline as read back.
type TimelineItem struct {
	ID        int64           `db:"id" json:"id"`
	At        time.Time       `db:"at" json:"at"`
	ActorID   string          `db:"actor_id" json:"actor_id"`
	ActorName string          `db:"actor_name" json:"actor_name"`
	Kind      string          `db:"kind" json:"kind"`
	Action    string          `db:"action" json:"action,omitempty"`
	FromState string          `db:"from_state" json:"from_state,omitempty"`
	ToState   string          `db:"to_state" json:"to_state,omitempty"`
	Body      string          `db:"body" json:"body,omitempty"`
	Data      json.RawMessage `db:"data" json:"data"`
}

// Timeline returns every entry of a case, oldest first.
func (s *Store) Timeline(ctx context.Context, caseID string) ([]TimelineItem, error) {
	var out []TimelineItem
	if err := s.db.SelectContext(ctx, &out, `SELECT id, at, actor_id, actor_name, kind, action, from_state, to_state, body, data
		FROM timeline WHERE case_id = $1 ORDER BY id`, caseID); err != nil {
		return nil, fmt.Errorf("timeline: %w", err)
	}
	return out, nil
}

// AddComment appends a comment to the timeline. check runs on the locked
// case first (access, closed cases), so a refused comment writes nothing.
func (s *Store) AddComment(ctx context.Context, m Meta, caseID, body string, check func(*domain.Case) error) (TimelineItem, error) {
	var item TimelineItem
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		c, err := s.lockCase(ctx, tx, caseID)
		if err != nil {
			return err
		}
		if err := check(c); err != nil {
			return err
		}
		now := s.clk.Now().UTC()
		if err := tx.GetContext(ctx, &item, `INSERT INTO timeline (case_id, at, actor_id, actor_name, kind, body)
			VALUES ($1, $2, $3, $4, 'comment', $5)
			RETURNING id, at, actor_id, actor_name, kind, action, from_state, to_state, body, data`,
			caseID, now, m.actorID(), m.Actor.Name, body); err != nil {
			return fmt.Errorf("insert comment: %w", err)
		}
		return audit.Write(ctx, tx, s.clk, audit.Entry{Actor: m.actorID(), Action: "injury.case.comment",
			ObjectType: "case", ObjectID: caseID, After: map[string]any{"timeline_id": item.ID}, RequestID: m.RequestID})
	})
	return item, err
}

// lockCase loads the case row (without clocks) under a share lock, so it
// cannot change while something is attached to it.
func (s *Store) lockCase(ctx context.Context, tx *sqlx.Tx, id string) (*domain.Case, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, ErrNotFound
	}
	var row caseRow
	err := tx.GetContext(ctx, &row, "SELECT "+caseSelectList+" FROM cases WHERE id = $1 FOR SHARE", id)
	if err != nil {
		return nil, notFound(err, "lock case")
	}
	return row.toDomain()
}

// AuditRead records that the caller read sensitive personal data of a case
// (health details, wages): every such read leaves an audit row.
func (s *Store) AuditRead(ctx context.Context, m Meta, what, caseID string) error {
	return pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		return audit.Write(ctx, tx, s.clk, audit.Entry{Actor: m.actorID(), Action: "injury." + what + ".read",
			ObjectType: "case", ObjectID: caseID, RequestID: m.RequestID})
	})
}
