package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
)

// Notification is one entry of a person's inbox.
type Notification struct {
	ID        uuid.UUID       `db:"id"`
	Kind      domain.Kind     `db:"kind"`
	Critical  bool            `db:"critical"`
	RawArgs   json.RawMessage `db:"args"`
	Link      string          `db:"link"`
	CreatedAt time.Time       `db:"created_at"`
	ReadAt    *time.Time      `db:"read_at"`
}

// Args are the notice's text arguments.
func (n Notification) Args() []string {
	var a []string
	_ = json.Unmarshal(n.RawArgs, &a) // written by us as a JSON array of strings
	return a
}

// Inbox pages a person's notifications, newest first; unreadOnly keeps
// those not yet read.
func (s *Store) Inbox(ctx context.Context, userID string, unreadOnly bool, r page.Request) ([]Notification, string, error) {
	var (
		at time.Time
		id uuid.UUID
	)
	after, err := r.Decode(&at, &id)
	if err != nil {
		return nil, "", err
	}
	var rows []Notification
	err = s.db.SelectContext(ctx, &rows, `SELECT id, kind, critical, args, link, created_at, read_at
		FROM notifications
		WHERE user_id = $1 AND (NOT $2 OR read_at IS NULL) AND (NOT $3 OR (created_at, id) < ($4, $5))
		ORDER BY created_at DESC, id DESC LIMIT $6`, userID, unreadOnly, after, at, id, r.Fetch())
	if err != nil {
		return nil, "", fmt.Errorf("inbox of %s: %w", userID, err)
	}
	rows, next := page.Trim(r, rows, func(n Notification) string { return page.Cursor(n.CreatedAt, n.ID) })
	return rows, next, nil
}

// Unread counts a person's unread notifications (an index-only count on
// notifications_unread).
func (s *Store) Unread(ctx context.Context, userID string) (int, error) {
	var n int
	err := s.db.GetContext(ctx, &n, `SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL`, userID)
	return n, err
}

// MarkRead marks one of a person's notifications read; reading it again
// changes nothing. Another person's notification is ErrNotFound.
func (s *Store) MarkRead(ctx context.Context, userID string, id uuid.UUID) error {
	var got uuid.UUID
	err := s.db.GetContext(ctx, &got, `UPDATE notifications SET read_at = coalesce(read_at, $3)
		WHERE id = $1 AND user_id = $2 RETURNING id`, id, userID, s.clk.Now())
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// MarkAllRead marks every unread notification of a person read and says
// how many there were.
func (s *Store) MarkAllRead(ctx context.Context, userID string) (int64, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL`,
		userID, s.clk.Now())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
