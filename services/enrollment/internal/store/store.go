// Package store keeps the enrollment service's state in its PostgreSQL
// schema: units, members (identity numbers sealed, with a blind index),
// member versions, plans, enrollments and their dated events. Every command
// runs in one transaction that also writes the audit row and the outbox
// events, so a change, its audit trail and its events commit together.
package store

import (
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/sealed"
)

// Store is the enrollment service's repository.
type Store struct {
	db     *sqlx.DB
	sealer *sealed.Sealer
	clock  clock.Clock

	prepMu   sync.Mutex
	coverage *sqlx.Stmt // prepared on first use
}

// Close releases the statements the store prepared on the pool.
func (s *Store) Close() error {
	s.prepMu.Lock()
	defer s.prepMu.Unlock()
	if s.coverage == nil {
		return nil
	}
	err := s.coverage.Close()
	s.coverage = nil
	return err
}

// New returns a store over db (whose search_path is the service schema).
func New(db *sqlx.DB, sealer *sealed.Sealer, clk clock.Clock) *Store {
	return &Store{db: db, sealer: sealer, clock: clk}
}

// DB exposes the handle for readiness checks and the outbox relay.
func (s *Store) DB() *sqlx.DB { return s.db }

// Meta says who makes a change, for version history and the audit trail.
type Meta struct {
	Actor     string
	RequestID string
}

// Scope limits what a caller may read: everything, the members of some
// units (and the units below them), or one member (an officer's own
// record).
type Scope struct {
	All      bool
	Units    []string
	MemberID string
}

// newID returns a UUIDv7: time-ordered ids keep the primary-key indexes
// compact under bulk imports.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// now is the transaction time, truncated to PostgreSQL's microseconds so
// what was written compares equal to what is read back.
func (s *Store) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }
