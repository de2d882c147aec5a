package pg_test

import (
	"context"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
)

// preparedHere counts the backend's prepared statements with query's text.
func preparedHere(t *testing.T, tx *sqlx.Tx, query string) int {
	t.Helper()
	var n int
	if err := tx.Get(&n, `SELECT count(*) FROM pg_prepared_statements WHERE statement = $1`, query); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitPrepared waits until the cache holds n statements.
func waitPrepared(t *testing.T, s *pg.Statements, n int) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); s.Len() != n; {
		if time.Now().After(deadline) {
			t.Fatalf("cache holds %d prepared statements, want %d", s.Len(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestStatementsRunPreparedOnceKnown(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	db.SetMaxOpenConns(1) // one backend, so pg_prepared_statements is the transactions' own
	ctx := context.Background()
	if _, err := db.Exec(`CREATE TABLE kv (k int PRIMARY KEY, v text NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	const insert, read = `INSERT INTO kv (k, v) VALUES ($1, $2)`, `SELECT v FROM kv WHERE k = $1`
	s := pg.NewStatements(db, 1)

	// First sight: runs unprepared, the cache prepares it meanwhile (once
	// the transaction gives the only connection back).
	if err := pg.InTx(ctx, db, func(tx *sqlx.Tx) error {
		_, err := s.Tx(tx).ExecContext(ctx, insert, 1, "one")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	waitPrepared(t, s, 1)

	if err := pg.InTx(ctx, db, func(tx *sqlx.Tx) error {
		p := s.Tx(tx)
		if _, err := p.ExecContext(ctx, insert, 2, "two"); err != nil {
			return err
		}
		if n := preparedHere(t, tx, insert); n != 1 {
			t.Errorf("the insert is prepared %d times on the backend, want 1", n)
		}
		// The cache is full: another statement runs, unprepared, and
		// correctly.
		var v string
		if err := sqlx.GetContext(ctx, p, &v, read, 2); err != nil || v != "two" {
			t.Errorf("read = %q, %v", v, err)
		}
		if n := preparedHere(t, tx, read); n != 0 {
			t.Errorf("a statement past the cache's limit is prepared %d times", n)
		}
		// No arguments: a simple query, never prepared.
		if _, err := p.ExecContext(ctx, `SELECT 1`); err != nil {
			return err
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if s.Len() != 1 {
		t.Fatalf("cache holds %d statements, want 1", s.Len())
	}

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := pg.InTx(ctx, db, func(tx *sqlx.Tx) error {
		_, err := s.Tx(tx).ExecContext(ctx, insert, 3, "three")
		return err
	}); err != nil {
		t.Fatalf("after Close: %v", err)
	}
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM kv`); err != nil || n != 3 {
		t.Fatalf("rows = %d, %v; want 3", n, err)
	}
	if s.Len() != 0 {
		t.Fatalf("a closed cache holds %d statements", s.Len())
	}
}

// An error of a statement run through the cache is the statement's own,
// prepared or not, and a statement PostgreSQL refuses is never cached.
func TestStatementsReportErrors(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	if _, err := db.Exec(`CREATE TABLE kv (k int PRIMARY KEY, v text NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	s := pg.NewStatements(db, 0)
	defer func() { _ = s.Close() }()
	const insert = `INSERT INTO kv (k, v) VALUES ($1, $2)`
	for i := range 2 {
		err := pg.InTx(ctx, db, func(tx *sqlx.Tx) error {
			_, err := s.Tx(tx).ExecContext(ctx, insert, 1, nil)
			return err
		})
		if err == nil {
			t.Fatalf("run %d: a NULL for a NOT NULL column was accepted", i)
		}
		waitPrepared(t, s, 1)
	}
	err := pg.InTx(ctx, db, func(tx *sqlx.Tx) error {
		_, err := s.Tx(tx).ExecContext(ctx, `INSERT INTO nowhere VALUES ($1)`, 1)
		return err
	})
	if err == nil {
		t.Fatal("an insert into a missing table succeeded")
	}
	if s.Len() != 1 {
		t.Fatalf("cache holds %d statements, want the insert alone", s.Len())
	}
}

// Outside a transaction too: the pool's queries run prepared once known.
func TestStatementsDBRunsPrepared(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	if _, err := db.Exec(`CREATE TABLE kv (k int PRIMARY KEY, v text NOT NULL); INSERT INTO kv VALUES (1, 'one')`); err != nil {
		t.Fatal(err)
	}
	const read = `SELECT v FROM kv WHERE k = $1`
	s := pg.NewStatements(db, 0)
	defer func() { _ = s.Close() }()
	for i := range 2 {
		var v string
		if err := sqlx.GetContext(ctx, s.DB(), &v, read, 1); err != nil || v != "one" {
			t.Fatalf("read %d = %q, %v", i, v, err)
		}
		waitPrepared(t, s, 1)
	}
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM pg_prepared_statements WHERE statement = $1`, read); err != nil || n != 1 {
		t.Fatalf("prepared on the backend %d times, %v; want 1", n, err)
	}
}
