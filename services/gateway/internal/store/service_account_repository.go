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
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// serviceAccountRow is a service_accounts row with its administrators'
// usernames.
type serviceAccountRow struct {
	ID              string         `db:"id"`
	Name            string         `db:"name"`
	TokenPrefix     string         `db:"token_prefix"`
	SecretHash      []byte         `db:"secret_hash"`
	Roles           pq.StringArray `db:"roles"`
	Units           pq.StringArray `db:"units"`
	ExpiresAt       time.Time      `db:"expires_at"`
	CreatedAt       time.Time      `db:"created_at"`
	CreatedBy       string         `db:"created_by"`
	CreatedByName   string         `db:"created_by_name"`
	RevokedAt       sql.NullTime   `db:"revoked_at"`
	RevokedBy       sql.NullString `db:"revoked_by"`
	RevokedByName   sql.NullString `db:"revoked_by_name"`
	LastUsedAt      sql.NullTime   `db:"last_used_at"`
	LastUsedAddress string         `db:"last_used_address"`
	Version         int64          `db:"version"`
}

const serviceAccountSelect = `SELECT a.id, a.name, a.token_prefix, a.secret_hash, a.roles, a.units, a.expires_at,
	a.created_at, a.created_by, c.username AS created_by_name, a.revoked_at, a.revoked_by, r.username AS revoked_by_name,
	a.last_used_at, a.last_used_address, a.version
	FROM service_accounts a JOIN users c ON c.id = a.created_by LEFT JOIN users r ON r.id = a.revoked_by`

func (r serviceAccountRow) domain() *domain.ServiceAccount {
	a := &domain.ServiceAccount{
		ID: r.ID, Name: r.Name, TokenPrefix: r.TokenPrefix, SecretHash: r.SecretHash,
		Units: []string(r.Units), ExpiresAt: r.ExpiresAt.UTC(), CreatedAt: r.CreatedAt.UTC(),
		CreatedBy: r.CreatedBy, CreatedByName: r.CreatedByName, RevokedBy: r.RevokedBy.String, RevokedByName: r.RevokedByName.String,
		LastUsedAddress: r.LastUsedAddress, Version: r.Version,
	}
	for _, role := range r.Roles {
		a.Roles = append(a.Roles, domain.Role(role))
	}
	if a.Units == nil {
		a.Units = []string{}
	}
	if r.RevokedAt.Valid {
		a.RevokedAt = r.RevokedAt.Time.UTC()
	}
	if r.LastUsedAt.Valid {
		a.LastUsedAt = r.LastUsedAt.Time.UTC()
	}
	return a
}

// serviceAccountView is what audit rows record of a service account: never
// the secret's hash, only the token's public prefix.
type serviceAccountView struct {
	Name      string        `json:"name"`
	Token     string        `json:"token_prefix"`
	Roles     []domain.Role `json:"roles"`
	Units     []string      `json:"units"`
	ExpiresAt time.Time     `json:"expires_at"`
	Revoked   bool          `json:"revoked"`
	Version   int64         `json:"version"`
}

func accountView(a *domain.ServiceAccount) *serviceAccountView {
	return &serviceAccountView{Name: a.Name, Token: a.DisplayPrefix(), Roles: a.Roles, Units: a.Units,
		ExpiresAt: a.ExpiresAt, Revoked: a.Revoked(), Version: a.Version}
}

// CreateServiceAccount inserts a and its audit row.
func (s *Store) CreateServiceAccount(ctx context.Context, a *domain.ServiceAccount, by Actor) error {
	roles := make(pq.StringArray, 0, len(a.Roles))
	for _, r := range a.Roles {
		roles = append(roles, string(r))
	}
	return pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO service_accounts
			(id, name, token_prefix, secret_hash, roles, units, expires_at, created_at, created_by, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			a.ID, a.Name, a.TokenPrefix, a.SecretHash, roles, pq.StringArray(a.Units), a.ExpiresAt, a.CreatedAt, a.CreatedBy, a.Version); err != nil {
			return fmt.Errorf("insert service account %s: %w", a.Name, err)
		}
		return audit.Write(ctx, tx, s.clk, audit.Entry{
			Actor: actorID(by), Action: "service_account.create", ObjectType: "service_account", ObjectID: a.ID,
			After: accountView(a), RequestID: by.RequestID,
		})
	})
}

// ServiceAccountByPrefix returns the account whose token has prefix, or
// ErrNotFound.
func (s *Store) ServiceAccountByPrefix(ctx context.Context, prefix string) (*domain.ServiceAccount, error) {
	return oneServiceAccount(ctx, s.db, serviceAccountSelect+` WHERE a.token_prefix = $1`, prefix)
}

// ServiceAccountByID returns the account with id, or ErrNotFound.
func (s *Store) ServiceAccountByID(ctx context.Context, id string) (*domain.ServiceAccount, error) {
	if uuid.Validate(id) != nil {
		return nil, ErrNotFound
	}
	return oneServiceAccount(ctx, s.db, serviceAccountSelect+` WHERE a.id = $1`, id)
}

func oneServiceAccount(ctx context.Context, q sqlx.QueryerContext, query string, args ...any) (*domain.ServiceAccount, error) {
	var r serviceAccountRow
	err := sqlx.GetContext(ctx, q, &r, query, args...)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, ErrNotFound
	case err != nil:
		return nil, fmt.Errorf("read service account: %w", err)
	}
	return r.domain(), nil
}

// AccountPage asks for a page of service accounts, newest first: limit
// rows after the account created at AfterAt with id AfterID (zero for the
// first page).
type AccountPage struct {
	AfterAt time.Time
	AfterID string
	Limit   int
}

// ServiceAccounts lists accounts newest first by keyset.
func (s *Store) ServiceAccounts(ctx context.Context, p AccountPage) ([]*domain.ServiceAccount, error) {
	if p.Limit <= 0 || p.Limit > 501 {
		p.Limit = 100
	}
	var rows []serviceAccountRow
	var err error
	if p.AfterID == "" {
		err = sqlx.SelectContext(ctx, s.db, &rows, serviceAccountSelect+` ORDER BY a.created_at DESC, a.id DESC LIMIT $1`, p.Limit)
	} else {
		err = sqlx.SelectContext(ctx, s.db, &rows, serviceAccountSelect+` WHERE (a.created_at, a.id) < ($1, $2)
			ORDER BY a.created_at DESC, a.id DESC LIMIT $3`, p.AfterAt, p.AfterID, p.Limit)
	}
	if err != nil {
		return nil, fmt.Errorf("list service accounts: %w", err)
	}
	out := make([]*domain.ServiceAccount, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.domain())
	}
	return out, nil
}

// UpdateServiceAccount loads account id under a row lock, lets fn change
// it, and saves its revocation with the audit row (action) in one
// transaction. expectVersion > 0 makes it conditional (If-Match). Errors
// from fn come back as they are and nothing is written.
func (s *Store) UpdateServiceAccount(ctx context.Context, id string, expectVersion int64, action string, by Actor,
	fn func(*domain.ServiceAccount) error) (*domain.ServiceAccount, error) {
	if uuid.Validate(id) != nil {
		return nil, ErrNotFound
	}
	var out *domain.ServiceAccount
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		a, err := oneServiceAccount(ctx, tx, serviceAccountSelect+` WHERE a.id = $1 FOR UPDATE OF a`, id)
		if err != nil {
			return err
		}
		if expectVersion > 0 && a.Version != expectVersion {
			return ErrVersionMismatch
		}
		before, old := accountView(a), a.Version
		if err := fn(a); err != nil {
			return err
		}
		var revokedBy any
		if a.RevokedBy != "" {
			revokedBy = a.RevokedBy
		}
		if _, err := tx.ExecContext(ctx, `UPDATE service_accounts SET revoked_at = $2, revoked_by = $3, version = $4
			WHERE id = $1 AND version = $5`,
			id, sql.NullTime{Time: a.RevokedAt, Valid: !a.RevokedAt.IsZero()}, revokedBy, a.Version, old); err != nil {
			return fmt.Errorf("update service account %s: %w", id, err)
		}
		out = a
		return audit.Write(ctx, tx, s.clk, audit.Entry{
			Actor: actorID(by), Action: action, ObjectType: "service_account", ObjectID: id,
			Before: before, After: accountView(a), RequestID: by.RequestID,
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// TokenUse is one request made with an API token, as the audit trail keeps
// it: never the token, only its public prefix.
type TokenUse struct {
	Token   string `json:"token_prefix"`
	Method  string `json:"method"`
	Path    string `json:"path"`
	Status  int    `json:"status"`
	Address string `json:"address"`
}

// RecordTokenUse writes account id's last use (at, from address) when the
// stored one is domain.TouchEvery old or more, and audits use as
// "api_token.use" when always is true or the last use was written: every
// mutating request, and a read at most once a minute per account. It
// reports whether the last use was written. Replicas racing on one account
// write it once: the UPDATE's condition decides.
func (s *Store) RecordTokenUse(ctx context.Context, id string, at time.Time, use TokenUse, always bool, requestID string) (bool, error) {
	var touched bool
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE service_accounts SET last_used_at = $2, last_used_address = $3
			WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $4)`, id, at, use.Address, at.Add(-domain.TouchEvery))
		if err != nil {
			return fmt.Errorf("record use of service account %s: %w", id, err)
		}
		n, _ := res.RowsAffected()
		touched = n == 1
		if !always && !touched {
			return nil
		}
		return audit.Write(ctx, tx, s.clk, audit.Entry{
			Actor: id, Action: "api_token.use", ObjectType: "service_account", ObjectID: id,
			After: use, RequestID: requestID,
		})
	})
	return touched, err
}

// TokenRefusal is a request refused for its API token, as the audit trail
// keeps it.
type TokenRefusal struct {
	// Token is the public prefix of a well-formed token ("" for anything
	// else): never the secret.
	Token   string `json:"token_prefix,omitempty"`
	Method  string `json:"method"`
	Path    string `json:"path"`
	Address string `json:"address"`
	// Outcome is invalid, revoked, expired or throttled.
	Outcome string `json:"outcome"`
}

// RecordTokenRefusal appends the refused attempt to the sign-in attempts
// (which throttle bad tokens per address, under domain.TokenThrottleKey)
// and to the audit trail as "api_token.refused", in one transaction.
// accountID is the account the token named when it was revoked or expired.
func (s *Store) RecordTokenRefusal(ctx context.Context, a Attempt, r TokenRefusal, accountID, requestID string) error {
	return pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO login_attempts (account_key, address, success, reason, at)
			VALUES ($1, $2, false, $3, $4)`, a.AccountKey, a.Address, a.Reason, a.At); err != nil {
			return fmt.Errorf("record refused API token: %w", err)
		}
		e := audit.Entry{Actor: "anonymous", Action: "api_token.refused", After: r, RequestID: requestID}
		if accountID != "" {
			e.Actor, e.ObjectType, e.ObjectID = accountID, "service_account", accountID
		}
		return audit.Write(ctx, tx, s.clk, e)
	})
}
