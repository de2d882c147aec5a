// Package store keeps the leave service's state in PostgreSQL: raw SQL with
// $n placeholders over sqlx, private row structs mapped to domain types. Every
// change runs in one transaction that also writes its audit row (pkg/audit)
// and its events (pkg/bus outbox; a command's are written by
// internal/commands in the store's transaction), so state, audit trail and
// events never disagree. It owns the schema (Migrations) and the member
// projection; the recuperation stays and health checks are in the
// sub-package carestore, over the same schema.
package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/reqctx"
	"github.com/anxin-welfare/anxin/pkg/sealed"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the leave schema as a pg.MigrationSet named "leave".
func Migrations() pg.MigrationSet {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return pg.MigrationSet{Name: "leave", FS: sub}
}

// Store is the leave service's persistence. It is safe for concurrent use.
type Store struct {
	db       *sqlx.DB
	clk      clock.Clock
	policy   domain.Policy
	priority domain.PriorityPolicy
	sealer   *sealed.Sealer
}

// New returns a Store over db (whose search_path is the leave schema).
// sealer encrypts health-check results.
func New(db *sqlx.DB, clk clock.Clock, policy domain.Policy, priority domain.PriorityPolicy, sealer *sealed.Sealer) *Store {
	return &Store{db: db, clk: clk, policy: policy, priority: priority, sealer: sealer}
}

// DB returns the handle, for the event consumers and readiness checks.
func (s *Store) DB() *sqlx.DB { return s.db }

// Policy returns the leave rules the store applies.
func (s *Store) Policy() domain.Policy { return s.policy }

// Priority returns the weights of recuperation places.
func (s *Store) Priority() domain.PriorityPolicy { return s.priority }

// today is the Shanghai calendar date now, as midnight UTC.
func (s *Store) today() time.Time { return clock.Today(s.clk) }

// dateArg passes a date to PostgreSQL as text, so no session time zone can
// move it to another day.
func dateArg(t time.Time) string { return t.Format(time.DateOnly) }

// nullDateArg is dateArg with the zero time as NULL.
func nullDateArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return dateArg(t)
}

// fromNullDate reads a nullable date column (NULL is the zero time).
func fromNullDate(n sql.NullTime) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return asDate(n.Time)
}

// asDate normalizes a scanned date to midnight UTC (lib/pq may attach a
// fixed zero-offset zone).
func asDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return domain.Date(y, m, d)
}

func (s *Store) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	return pg.InTx(ctx, s.db, fn)
}

// audit appends the audit row of a change in its transaction.
func (s *Store) audit(ctx context.Context, tx *sqlx.Tx, actor, action, objType, objID string, before, after any) error {
	if err := audit.Write(ctx, tx, s.clk, audit.Entry{
		Actor: actor, Action: action, ObjectType: objType, ObjectID: objID,
		Before: before, After: after, RequestID: reqctx.RequestID(ctx),
	}); err != nil {
		return fmt.Errorf("audit %s %s: %w", action, objID, err)
	}
	return nil
}
