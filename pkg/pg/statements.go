package pg

import (
	"context"
	"database/sql"
	"errors"
	"sync"

	"github.com/jmoiron/sqlx"
)

// DefaultMaxStatements is how many distinct statements a Statements cache
// prepares when NewStatements is given no limit.
const DefaultMaxStatements = 128

// Statements prepares a pool's hot statements once and runs them prepared
// inside transactions, by their text.
//
// lib/pq runs a statement with parameters in two round trips, Parse and
// Describe, then Bind and Execute, and PostgreSQL parses and plans it each
// time. A prepared statement runs in one round trip on a plan kept by the
// backend. database/sql keeps a prepared statement per connection and
// prepares it on a transaction's connection the first time it runs there.
//
// A statement seen for the first time runs unprepared while it is prepared
// in the background: preparing needs a connection of the pool, and one
// taken from inside a transaction could wait forever for a pool that
// transactions like it have exhausted. At most max distinct texts are
// prepared (texts built with a varying number of rows are distinct); the
// others always run unprepared. Statements without arguments always run as
// simple queries, already one round trip.
type Statements struct {
	db  *sqlx.DB
	max int

	mu      sync.Mutex
	stmts   map[string]*sqlx.Stmt // nil value: being prepared, or failed
	closed  bool
	pending sync.WaitGroup
}

// NewStatements returns a cache over db of at most max statements
// (DefaultMaxStatements when max <= 0). Close it before db.
func NewStatements(db *sqlx.DB, max int) *Statements {
	if max <= 0 {
		max = DefaultMaxStatements
	}
	return &Statements{db: db, max: max, stmts: map[string]*sqlx.Stmt{}}
}

// Tx returns tx as a sqlx.ExtContext whose statements run prepared once
// the cache has them. Use it for the statements of a hot path; tx itself
// stays usable beside it.
func (s *Statements) Tx(tx *sqlx.Tx) sqlx.ExtContext {
	return &preparedTx{Tx: tx, cache: s}
}

// DB returns the pool as a sqlx.QueryerContext whose statements run
// prepared once the cache has them, outside any transaction.
func (s *Statements) DB() sqlx.QueryerContext {
	return &preparedDB{DB: s.db, cache: s}
}

// Close closes every prepared statement, after waiting for those being
// prepared; later statements run unprepared.
func (s *Statements) Close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.pending.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for q, st := range s.stmts {
		if st != nil {
			errs = append(errs, st.Close())
		}
		delete(s.stmts, q)
	}
	return errors.Join(errs...)
}

// Len is how many statements are prepared.
func (s *Statements) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, st := range s.stmts {
		if st != nil {
			n++
		}
	}
	return n
}

// lookup returns the prepared statement for query, or nil after starting
// to prepare it when there is room.
func (s *Statements) lookup(query string) *sqlx.Stmt {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.stmts[query]; ok || s.closed || len(s.stmts) >= s.max {
		return st
	}
	s.stmts[query] = nil
	s.pending.Add(1)
	go func() {
		defer s.pending.Done()
		// A failure (a statement PostgreSQL cannot prepare on its own,
		// which the unprepared run reports to its caller) leaves the entry
		// nil: the statement keeps running unprepared.
		st, err := s.db.PreparexContext(context.Background(), query)
		if err != nil {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.closed {
			_ = st.Close() //nolint:sqlclosecheck // closed as it is made: the cache closed meanwhile
			return
		}
		s.stmts[query] = st
	}()
	return nil
}

// preparedTx runs a transaction's statements through the cache.
type preparedTx struct {
	*sqlx.Tx
	cache *Statements
}

// stmt is the transaction's handle on query's prepared statement, or nil.
func (p *preparedTx) stmt(ctx context.Context, query string, args []any) *sqlx.Stmt {
	if len(args) == 0 {
		return nil
	}
	st := p.cache.lookup(query)
	if st == nil {
		return nil
	}
	return p.StmtxContext(ctx, st)
}

func (p *preparedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := p.stmt(ctx, query, args); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return p.Tx.ExecContext(ctx, query, args...)
}

func (p *preparedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.stmt(ctx, query, args); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.Tx.QueryContext(ctx, query, args...)
}

func (p *preparedTx) QueryxContext(ctx context.Context, query string, args ...any) (*sqlx.Rows, error) {
	if st := p.stmt(ctx, query, args); st != nil { //nolint:sqlclosecheck // a transaction's statement closes with the transaction
		return st.QueryxContext(ctx, args...)
	}
	return p.Tx.QueryxContext(ctx, query, args...)
}

func (p *preparedTx) QueryRowxContext(ctx context.Context, query string, args ...any) *sqlx.Row {
	if st := p.stmt(ctx, query, args); st != nil { //nolint:sqlclosecheck // a transaction's statement closes with the transaction
		return st.QueryRowxContext(ctx, args...)
	}
	return p.Tx.QueryRowxContext(ctx, query, args...)
}

// preparedDB runs a pool's queries through the cache.
type preparedDB struct {
	*sqlx.DB
	cache *Statements
}

func (p *preparedDB) stmt(query string, args []any) *sqlx.Stmt {
	if len(args) == 0 {
		return nil
	}
	return p.cache.lookup(query)
}

func (p *preparedDB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.stmt(query, args); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.DB.QueryContext(ctx, query, args...)
}

func (p *preparedDB) QueryxContext(ctx context.Context, query string, args ...any) (*sqlx.Rows, error) {
	if st := p.stmt(query, args); st != nil { //nolint:sqlclosecheck // the cache's own statement, closed by Close
		return st.QueryxContext(ctx, args...)
	}
	return p.DB.QueryxContext(ctx, query, args...)
}

func (p *preparedDB) QueryRowxContext(ctx context.Context, query string, args ...any) *sqlx.Row {
	if st := p.stmt(query, args); st != nil { //nolint:sqlclosecheck // the cache's own statement, closed by Close
		return st.QueryRowxContext(ctx, args...)
	}
	return p.DB.QueryRowxContext(ctx, query, args...)
}
