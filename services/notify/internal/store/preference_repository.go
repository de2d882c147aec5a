package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
)

type prefRow struct {
	Email      string          `db:"email"`
	Mobile     string          `db:"mobile"`
	Channels   json.RawMessage `db:"channels"`
	QuietStart sql.NullInt32   `db:"quiet_start"`
	QuietEnd   sql.NullInt32   `db:"quiet_end"`
	Version    int64           `db:"version"`
}

func (r prefRow) domain() (domain.Preferences, error) {
	p := domain.Preferences{Email: r.Email, Mobile: r.Mobile, Version: r.Version}
	if err := json.Unmarshal(r.Channels, &p.Channels); err != nil {
		return p, fmt.Errorf("preferences channels: %w", err)
	}
	if r.QuietStart.Valid && r.QuietEnd.Valid {
		p.Quiet = &domain.QuietHours{Start: int(r.QuietStart.Int32), End: int(r.QuietEnd.Int32)}
	}
	return p, nil
}

// Preferences returns a person's preferences, or the defaults (version 0)
// when they never set any.
func (s *Store) Preferences(ctx context.Context, userID string) (domain.Preferences, error) {
	return preferences(ctx, s.db, userID)
}

func preferences(ctx context.Context, q sqlx.QueryerContext, userID string) (domain.Preferences, error) {
	var r prefRow
	err := sqlx.GetContext(ctx, q, &r, `SELECT email, mobile, channels, quiet_start, quiet_end, version
		FROM preferences WHERE user_id = $1`, userID)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Preferences{}, nil
	}
	if err != nil {
		return domain.Preferences{}, fmt.Errorf("preferences of %s: %w", userID, err)
	}
	return r.domain()
}

// SavePreferences stores p for userID if its stored version is still
// expect (0: never saved), and returns the new version.
func (s *Store) SavePreferences(ctx context.Context, userID string, expect int64, p domain.Preferences) (int64, error) {
	channels, err := json.Marshal(p.Channels)
	if err != nil {
		return 0, err
	}
	if p.Channels == nil {
		channels = []byte("{}")
	}
	var qs, qe sql.NullInt32
	if p.Quiet != nil {
		qs = sql.NullInt32{Int32: int32(p.Quiet.Start), Valid: true} //nolint:gosec // validated 0..1439
		qe = sql.NullInt32{Int32: int32(p.Quiet.End), Valid: true}   //nolint:gosec // validated 0..1439
	}
	var version int64
	err = pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		now := s.clk.Now()
		var q string
		if expect == 0 {
			q = `INSERT INTO preferences (user_id, email, mobile, channels, quiet_start, quiet_end, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id) DO NOTHING RETURNING version`
		} else {
			q = `UPDATE preferences SET email = $2, mobile = $3, channels = $4, quiet_start = $5, quiet_end = $6,
				updated_at = $7, version = version + 1 WHERE user_id = $1 AND version = $8 RETURNING version`
		}
		args := []any{userID, p.Email, p.Mobile, channels, qs, qe, now}
		if expect != 0 {
			args = append(args, expect)
		}
		err := tx.GetContext(ctx, &version, q, args...)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrVersion
		}
		return err
	})
	return version, err
}
