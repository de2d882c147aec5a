package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// sessionRow is a sessions row.
type sessionRow struct {
	IDHash     []byte    `db:"id_hash"`
	UserID     string    `db:"user_id"`
	CreatedAt  time.Time `db:"created_at"`
	LastSeenAt time.Time `db:"last_seen_at"`
	ExpiresAt  time.Time `db:"expires_at"`
	CSRFToken  string    `db:"csrf_token"`
	Address    string    `db:"address"`
	UserAgent  string    `db:"user_agent"`
}

func (r sessionRow) domain() domain.Session {
	return domain.Session{
		IDHash: r.IDHash, UserID: r.UserID, CreatedAt: r.CreatedAt.UTC(), LastSeenAt: r.LastSeenAt.UTC(),
		ExpiresAt: r.ExpiresAt.UTC(), CSRFToken: r.CSRFToken, Address: r.Address, UserAgent: r.UserAgent,
	}
}

// CreateSession stores a new session. ErrUserDisabled when the user is
// disabled (or was, by a disabling that committed while this ran).
func (s *Store) CreateSession(ctx context.Context, sess domain.Session) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO sessions
		(id_hash, user_id, created_at, last_seen_at, expires_at, csrf_token, address, user_agent)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		sess.IDHash, sess.UserID, sess.CreatedAt, sess.LastSeenAt, sess.ExpiresAt, sess.CSRFToken, sess.Address, sess.UserAgent)
	switch {
	case pg.IsCheckViolation(err) || pg.IsForeignKeyViolation(err):
		return ErrUserDisabled
	case err != nil:
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionByToken returns the session whose cookie value is token, with its
// user, or ErrNotFound. It does not judge expiry: that is the domain's
// SessionPolicy.Check, with the injected clock.
func (s *Store) SessionByToken(ctx context.Context, token string) (domain.Session, *domain.User, error) {
	var row struct {
		userRow
		IDHash     []byte    `db:"s_id_hash"`
		CreatedAt  time.Time `db:"s_created_at"`
		LastSeenAt time.Time `db:"s_last_seen_at"`
		ExpiresAt  time.Time `db:"s_expires_at"`
		CSRFToken  string    `db:"s_csrf_token"`
		Address    string    `db:"s_address"`
		UserAgent  string    `db:"s_user_agent"`
	}
	err := sqlx.GetContext(ctx, s.db, &row, `SELECT s.id_hash AS s_id_hash, s.created_at AS s_created_at,
			s.last_seen_at AS s_last_seen_at, s.expires_at AS s_expires_at, s.csrf_token AS s_csrf_token,
			s.address AS s_address, s.user_agent AS s_user_agent,
			u.id, u.username, u.display_name, u.member_id, u.roles, u.units, u.password_hash,
			u.oidc_issuer, u.oidc_subject, u.lang, u.disabled_at, u.version, u.created_at, u.updated_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.id_hash = $1 AND u.disabled_at IS NULL`, domain.HashSessionToken(token))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return domain.Session{}, nil, ErrNotFound
	case err != nil:
		return domain.Session{}, nil, fmt.Errorf("read session: %w", err)
	}
	sess := sessionRow{
		IDHash: row.IDHash, UserID: row.ID, CreatedAt: row.CreatedAt, LastSeenAt: row.LastSeenAt,
		ExpiresAt: row.ExpiresAt, CSRFToken: row.CSRFToken, Address: row.Address, UserAgent: row.UserAgent,
	}
	return sess.domain(), row.domain(), nil
}

// TouchSession records a use of the session at now.
func (s *Store) TouchSession(ctx context.Context, idHash []byte, now time.Time) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1 AND last_seen_at < $2`, idHash, now); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteSession ends one session (sign-out, or found expired).
func (s *Store) DeleteSession(ctx context.Context, idHash []byte) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, idHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of a user (password changed by an
// administrator, roles taken away).
func (s *Store) DeleteUserSessions(ctx context.Context, userID string) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
	if err != nil {
		return 0, fmt.Errorf("delete sessions of %s: %w", userID, err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// DeleteOtherSessions ends every session of a user except keep (the
// session that changed the password; nil to end them all).
func (s *Store) DeleteOtherSessions(ctx context.Context, userID string, keep []byte) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND ($2::bytea IS NULL OR id_hash <> $2)`, userID, keep)
	if err != nil {
		return 0, fmt.Errorf("delete sessions of %s: %w", userID, err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// PruneSessions deletes sessions past their absolute end or idle since
// before idleBefore, and returns how many.
func (s *Store) PruneSessions(ctx context.Context, now, idleBefore time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2`, now, idleBefore)
	if err != nil {
		return 0, fmt.Errorf("prune sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
