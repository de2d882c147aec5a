package store

import (
	"errors"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/clock"
)

// ErrNotFound means no such row for this person.
var ErrNotFound = errors.New("notify: not found")

// ErrVersion means the row changed since the caller read it (If-Match).
var ErrVersion = errors.New("notify: version mismatch")

// ErrNotReplayable means a delivery is neither dead nor of unknown outcome.
var ErrNotReplayable = errors.New("notify: delivery not replayable")

// Store is the notify schema.
type Store struct {
	db  *sqlx.DB
	clk clock.Clock
}

// New returns a store over db.
func New(db *sqlx.DB, clk clock.Clock) *Store { return &Store{db: db, clk: clk} }
