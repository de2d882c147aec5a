package pg_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
)

// TestInTxRerunsABrokenConnection: a backend terminated in the middle of a
// transaction (a failover, an admin, an OOM kill) loses nothing that was
// committed; the transaction never committed, so InTx runs it again on a
// new connection and it commits once.
func TestInTxRerunsABrokenConnection(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	db.MustExec(`CREATE TABLE writes (n int PRIMARY KEY)`)
	ctx := context.Background()
	attempts := 0
	err := pg.InTx(ctx, db, func(tx *sqlx.Tx) error {
		attempts++
		if _, err := tx.ExecContext(ctx, `INSERT INTO writes VALUES (1)`); err != nil {
			return err
		}
		if attempts == 1 {
			// The server ends this very connection, as pg_terminate_backend
			// from another session or a restart would.
			_, err := tx.ExecContext(ctx, `SELECT pg_terminate_backend(pg_backend_pid())`)
			if err == nil {
				t.Fatal("the terminated backend answered")
			}
			if !pg.IsTransient(err) {
				t.Fatalf("a terminated backend is not transient: %v", err)
			}
			return err
		}
		return nil
	})
	if err != nil || attempts != 2 {
		t.Fatalf("InTx = %v after %d attempts, want success after 2", err, attempts)
	}
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM writes`); err != nil || n != 1 {
		t.Fatalf("rows = %d (%v), want 1", n, err)
	}
}

// TestInTxDoesNotRerunAStatementError: a constraint violation is the
// transaction's own fault; running it again would fail the same way.
func TestInTxDoesNotRerunAStatementError(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	db.MustExec(`CREATE TABLE writes (n int PRIMARY KEY CHECK (n > 0))`)
	attempts := 0
	err := pg.InTx(context.Background(), db, func(tx *sqlx.Tx) error {
		attempts++
		_, err := tx.Exec(`INSERT INTO writes VALUES (-1)`)
		return err
	})
	if !pg.IsCheckViolation(err) || attempts != 1 || errors.Is(err, pg.ErrCommitUnknown) {
		t.Fatalf("InTx = %v after %d attempts", err, attempts)
	}
}
