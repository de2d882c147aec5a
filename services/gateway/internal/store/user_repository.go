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
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// Store is the gateway's repository over its schema.
type Store struct {
	db  *sqlx.DB
	clk clock.Clock
}

// New returns a Store over db (whose search_path is the gateway schema).
func New(db *sqlx.DB, clk clock.Clock) *Store { return &Store{db: db, clk: clk} }

// DB returns the connection pool, for readiness checks.
func (s *Store) DB() *sqlx.DB { return s.db }

// Actor is who makes a change, for the audit row.
type Actor struct {
	UserID    string
	RequestID string
}

// userRow is a users row.
type userRow struct {
	ID           string         `db:"id"`
	Username     string         `db:"username"`
	DisplayName  string         `db:"display_name"`
	MemberID     sql.NullString `db:"member_id"`
	Roles        pq.StringArray `db:"roles"`
	Units        pq.StringArray `db:"units"`
	PasswordHash sql.NullString `db:"password_hash"`
	OIDCIssuer   sql.NullString `db:"oidc_issuer"`
	OIDCSubject  sql.NullString `db:"oidc_subject"`
	Lang         string         `db:"lang"`
	DisabledAt   sql.NullTime   `db:"disabled_at"`
	Version      int64          `db:"version"`
	CreatedAt    time.Time      `db:"created_at"`
	UpdatedAt    time.Time      `db:"updated_at"`
}

const userColumns = `id, username, display_name, member_id, roles, units, password_hash,
	oidc_issuer, oidc_subject, lang, disabled_at, version, created_at, updated_at`

func (r userRow) domain() *domain.User {
	u := &domain.User{
		ID: r.ID, Username: r.Username, DisplayName: r.DisplayName, MemberID: r.MemberID.String,
		Units: []string(r.Units), PasswordHash: r.PasswordHash.String,
		OIDCIssuer: r.OIDCIssuer.String, OIDCSubject: r.OIDCSubject.String, Lang: r.Lang,
		Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
	if r.DisabledAt.Valid {
		u.DisabledAt = r.DisabledAt.Time.UTC()
	}
	for _, role := range r.Roles {
		u.Roles = append(u.Roles, domain.Role(role))
	}
	if u.Units == nil {
		u.Units = []string{}
	}
	return u
}

func toRow(u *domain.User) userRow {
	roles := make(pq.StringArray, 0, len(u.Roles))
	for _, r := range u.Roles {
		roles = append(roles, string(r))
	}
	units := pq.StringArray(u.Units)
	if units == nil {
		units = pq.StringArray{}
	}
	return userRow{
		ID: u.ID, Username: u.Username, DisplayName: u.DisplayName,
		MemberID: nullable(u.MemberID), Roles: roles, Units: units,
		PasswordHash: nullable(u.PasswordHash), OIDCIssuer: nullable(u.OIDCIssuer), OIDCSubject: nullable(u.OIDCSubject),
		Lang: u.Lang, DisabledAt: sql.NullTime{Time: u.DisabledAt, Valid: !u.DisabledAt.IsZero()},
		Version: u.Version, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt,
	}
}

func nullable(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// auditView is what audit rows record of a user: never the password hash.
type auditView struct {
	Username    string        `json:"username"`
	DisplayName string        `json:"display_name"`
	MemberID    string        `json:"member_id,omitempty"`
	Roles       []domain.Role `json:"roles"`
	Units       []string      `json:"units"`
	Lang        string        `json:"lang"`
	Disabled    bool          `json:"disabled"`
	HasPassword bool          `json:"has_password"`
	OIDC        bool          `json:"oidc"`
	Version     int64         `json:"version"`
}

func viewOf(u *domain.User) *auditView {
	if u == nil {
		return nil
	}
	return &auditView{
		Username: u.Username, DisplayName: u.DisplayName, MemberID: u.MemberID, Roles: u.Roles,
		Units: u.Units, Lang: u.Lang, Disabled: !u.Active(), HasPassword: u.PasswordHash != "",
		OIDC: u.OIDCSubject != "", Version: u.Version,
	}
}

// CreateUser inserts u and its audit row. ErrUsernameTaken or ErrOIDCTaken
// when the name or OIDC subject is in use.
func (s *Store) CreateUser(ctx context.Context, u *domain.User, by Actor) error {
	return pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := insertUser(ctx, tx, u); err != nil {
			return err
		}
		return audit.Write(ctx, tx, s.clk, audit.Entry{
			Actor: actorID(by), Action: "user.create", ObjectType: "user", ObjectID: u.ID,
			After: viewOf(u), RequestID: by.RequestID,
		})
	})
}

func insertUser(ctx context.Context, tx *sqlx.Tx, u *domain.User) error {
	_, err := tx.NamedExecContext(ctx, `INSERT INTO users (`+userColumns+`) VALUES (
		:id, :username, :display_name, :member_id, :roles, :units, :password_hash,
		:oidc_issuer, :oidc_subject, :lang, :disabled_at, :version, :created_at, :updated_at)`, toRow(u))
	switch {
	case pg.IsUniqueViolation(err) && pg.Constraint(err) == "users_username_key":
		return ErrUsernameTaken
	case pg.IsUniqueViolation(err) && pg.Constraint(err) == "users_oidc_issuer_oidc_subject_key":
		return ErrOIDCTaken
	case err != nil:
		return fmt.Errorf("insert user %s: %w", u.Username, err)
	}
	return nil
}

func actorID(a Actor) string {
	if a.UserID == "" {
		return "system:gateway"
	}
	return a.UserID
}

// UserByID returns the user with id, or ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id string) (*domain.User, error) {
	if uuid.Validate(id) != nil {
		return nil, ErrNotFound // not an id of ours; the database would call it a syntax error
	}
	return s.oneUser(ctx, s.db, `SELECT `+userColumns+` FROM users WHERE id = $1`, id)
}

// UserByUsername returns the user with the (normalized) username, or
// ErrNotFound.
func (s *Store) UserByUsername(ctx context.Context, username string) (*domain.User, error) {
	return s.oneUser(ctx, s.db, `SELECT `+userColumns+` FROM users WHERE username = $1`, domain.NormalizeUsername(username))
}

// UserByOIDC returns the user linked to an OIDC issuer and subject, or
// ErrNotFound.
func (s *Store) UserByOIDC(ctx context.Context, issuer, subject string) (*domain.User, error) {
	return s.oneUser(ctx, s.db, `SELECT `+userColumns+` FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2`, issuer, subject)
}

func (s *Store) oneUser(ctx context.Context, q sqlx.QueryerContext, query string, args ...any) (*domain.User, error) {
	var r userRow
	err := sqlx.GetContext(ctx, q, &r, query, args...)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, ErrNotFound
	case err != nil:
		return nil, fmt.Errorf("read user: %w", err)
	}
	return r.domain(), nil
}

// UserFilter narrows ListUsers; zero fields match everything.
type UserFilter struct {
	Role     domain.Role
	Unit     string
	Query    string // part of the username or display name
	MemberID string // exactly this linked member (an officer's own, a family's officer)
	Disabled *bool
	Limit    int // default 100, at most 501 (a page of 500 and one to know there is more)
	// After is the username the page starts after (keyset, pkg/page): ""
	// for the first page.
	After string
}

// ListUsers returns users matching f, by username.
func (s *Store) ListUsers(ctx context.Context, f UserFilter) ([]*domain.User, error) {
	if f.Limit <= 0 || f.Limit > 501 {
		f.Limit = 100
	}
	var disabled sql.NullBool
	if f.Disabled != nil {
		disabled = sql.NullBool{Bool: *f.Disabled, Valid: true}
	}
	var rows []userRow
	err := sqlx.SelectContext(ctx, s.db, &rows, `SELECT `+userColumns+` FROM users
		WHERE ($1 = '' OR $1 = ANY (roles))
		  AND ($2 = '' OR $2 = ANY (units))
		  AND ($3 = '' OR username ILIKE '%' || $3 || '%' OR display_name ILIKE '%' || $3 || '%')
		  AND ($4::boolean IS NULL OR (disabled_at IS NOT NULL) = $4)
		  AND ($7 = '' OR member_id = $7)
		  AND ($6 = '' OR username > $6)
		ORDER BY username LIMIT $5`,
		string(f.Role), f.Unit, escapeLike(f.Query), disabled, f.Limit, f.After, f.MemberID)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	out := make([]*domain.User, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.domain())
	}
	return out, nil
}

func escapeLike(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r == '%' || r == '_' || r == '\\' {
			out = append(out, '\\')
		}
		out = append(out, r)
	}
	return string(out)
}

// UpdateUser loads user id under a row lock, lets fn change it, and saves
// it with its audit row (action, e.g. "user.disable") in one transaction.
// expectVersion > 0 makes the update conditional (If-Match): a different
// stored version answers ErrVersionMismatch before fn runs. When the user
// ends up disabled, their sessions are deleted in the same transaction.
// Errors from fn are returned as they are and nothing is written.
func (s *Store) UpdateUser(ctx context.Context, id string, expectVersion int64, action string, by Actor, fn func(*domain.User) error) (*domain.User, error) {
	if uuid.Validate(id) != nil {
		return nil, ErrNotFound
	}
	var out *domain.User
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		u, err := s.oneUser(ctx, tx, `SELECT `+userColumns+` FROM users WHERE id = $1 FOR UPDATE`, id)
		if err != nil {
			return err
		}
		if expectVersion > 0 && u.Version != expectVersion {
			return ErrVersionMismatch
		}
		before := viewOf(u)
		oldVersion := u.Version
		if err := fn(u); err != nil {
			return err
		}
		if u.Version == oldVersion {
			u.Version++ // every saved change is a new version, even one fn did not count
		}
		r := toRow(u)
		res, err := tx.ExecContext(ctx, `UPDATE users SET display_name = $2, member_id = $3, roles = $4, units = $5,
			password_hash = $6, oidc_issuer = $7, oidc_subject = $8, lang = $9, disabled_at = $10,
			version = $11, updated_at = $12 WHERE id = $1 AND version = $13`,
			r.ID, r.DisplayName, r.MemberID, r.Roles, r.Units, r.PasswordHash, r.OIDCIssuer, r.OIDCSubject,
			r.Lang, r.DisabledAt, r.Version, r.UpdatedAt, oldVersion)
		switch {
		case pg.IsUniqueViolation(err):
			return ErrOIDCTaken
		case err != nil:
			return fmt.Errorf("update user %s: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrVersionMismatch
		}
		if !u.Active() {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
				return fmt.Errorf("end sessions of %s: %w", id, err)
			}
		}
		out = u
		return audit.Write(ctx, tx, s.clk, audit.Entry{
			Actor: actorID(by), Action: action, ObjectType: "user", ObjectID: id,
			Before: before, After: viewOf(u), RequestID: by.RequestID,
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SetPasswordHash replaces a user's password hash without an audit row or
// a new version: used when sign-in re-hashes a password at a higher cost,
// which changes nothing the user or an auditor would see.
func (s *Store) SetPasswordHash(ctx context.Context, id, oldHash, newHash string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2`, id, oldHash, newHash)
	if err != nil {
		return fmt.Errorf("rehash password of %s: %w", id, err)
	}
	return nil
}

// CountUsers returns how many users exist, so a first start knows whether
// to seed.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.db.GetContext(ctx, &n, `SELECT count(*) FROM users`); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}
