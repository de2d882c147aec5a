// Package carestore keeps the leave service's care in PostgreSQL: the
// recuperation catalogue (facilities, stays, unit quotas) and bookings,
// and the yearly health checks (rounds, slots, bookings with their sealed
// results, compliance, reminders). It shares the leave schema and the
// member projection with package store, whose ReadMember and ReadMembers
// it reads members with, and its errors (store.ErrNotFound,
// store.ErrVersionMismatch). Like store it only loads, locks and saves:
// internal/commands lets the domain decide inside its transactions, and
// each change writes its audit row (pkg/audit) and its events (pkg/bus
// outbox, written by the command) in the same transaction.
package carestore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/reqctx"
	"github.com/anxin-welfare/anxin/pkg/sealed"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
	"github.com/anxin-welfare/anxin/services/leave/internal/store"
)

// Errors the care store returns besides the domain's rule violations: the
// leave store's, which the HTTP layer maps.
var (
	// ErrNotFound is store.ErrNotFound (404).
	ErrNotFound = store.ErrNotFound
	// ErrVersionMismatch is store.ErrVersionMismatch (409).
	ErrVersionMismatch = store.ErrVersionMismatch
)

// Store is the care persistence of the leave service. It is safe for
// concurrent use.
type Store struct {
	db     *sqlx.DB
	clk    clock.Clock
	sealer *sealed.Sealer
}

// New returns a Store over db (whose search_path is the leave schema,
// migrated by store.Migrations). sealer encrypts health-check results.
func New(db *sqlx.DB, clk clock.Clock, sealer *sealed.Sealer) *Store {
	return &Store{db: db, clk: clk, sealer: sealer}
}

// today is the Shanghai calendar date now, as midnight UTC.
func (s *Store) today() time.Time { return clock.Today(s.clk) }

func (s *Store) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	return pg.InTx(ctx, s.db, fn)
}

// member reads the projected member id in q (store.ReadMember).
func (s *Store) member(ctx context.Context, q sqlx.QueryerContext, id string) (store.MemberRecord, error) {
	return store.ReadMember(ctx, q, id, false)
}

// membersOf lists the members of units, every unit when nil
// (store.ReadMembers).
func (s *Store) membersOf(ctx context.Context, q sqlx.QueryerContext, units []string) ([]domain.Member, error) {
	return store.ReadMembers(ctx, q, units)
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

func badCursor() error {
	return httpx.Invalid(fielderr.Problem{Field: "after", Code: "field.invalid"}).WithCause(page.ErrBadCursor)
}

// pageOf fills in the default size of a page request built in code.
func pageOf(p page.Request) page.Request {
	if p.Limit <= 0 || p.Limit > page.MaxLimit {
		p.Limit = page.DefaultLimit
	}
	return p
}

// decodeID reads a cursor whose last key is a row's uuid.
func decodeID(p page.Request, keys ...any) (bool, error) {
	ok, err := p.Decode(keys...)
	if err != nil || !ok {
		return ok, err
	}
	if id, isStr := keys[len(keys)-1].(*string); isStr {
		if _, err := uuid.Parse(*id); err != nil {
			return false, badCursor()
		}
	}
	return true, nil
}
