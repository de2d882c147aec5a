package pg_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
)

// woken reports whether wake holds a wake-up, taking it. Commit fires the
// watchers before it returns, so no wait is needed: a wake-up is there at
// once or never.
func woken(wake <-chan struct{}) bool {
	select {
	case <-wake:
		return true
	default:
		return false
	}
}

// A signal raised in a transaction wakes the watchers of that signal on the
// transaction's pool when it commits, once however often it was raised, and
// nobody when it rolls back, on another pool or of another signal.
func TestCommitSignalWakesThePoolsWatchersAtCommitOnly(t *testing.T) {
	t.Parallel()
	db, other := pgtest.New(t), pgtest.New(t)
	ctx := context.Background()
	wake, stop := pg.Watch(db, "outbox")
	defer stop()
	wakeOther, stopOther := pg.Watch(other, "outbox")
	defer stopOther()
	wakeElse, stopElse := pg.Watch(db, "something-else")
	defer stopElse()

	raised := false
	err := pg.InTx(ctx, db, func(tx *sqlx.Tx) error {
		// raised twice in one transaction: still one wake-up at its commit
		first := pg.Signal(tx, "outbox")
		raised = first && pg.Signal(tx, "outbox")
		if woken(wake) {
			t.Error("woken before the commit")
		}
		return nil
	})
	if err != nil || !raised {
		t.Fatalf("InTx = %v, signal raised = %v", err, raised)
	}
	if !woken(wake) {
		t.Fatal("the watcher was not woken by the commit")
	}
	if woken(wake) {
		t.Fatal("two wake-ups for one commit")
	}
	if woken(wakeOther) || woken(wakeElse) {
		t.Fatal("a watcher of another pool or another signal was woken")
	}

	rolledBack := errors.New("rolled back")
	err = pg.InTx(ctx, db, func(tx *sqlx.Tx) error {
		pg.Signal(tx, "outbox")
		return rolledBack
	})
	if !errors.Is(err, rolledBack) {
		t.Fatalf("InTx = %v", err)
	}
	if woken(wake) {
		t.Fatal("a rolled-back transaction woke the watcher")
	}

	// A transaction begun outside pg carries no signal, and says so.
	tx, err := db.Beginx()
	if err != nil {
		t.Fatal(err)
	}
	if pg.Signal(tx, "outbox") {
		t.Fatal("Signal accepted a transaction pg does not commit")
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if woken(wake) {
		t.Fatal("woken by a transaction that raised nothing")
	}

	// Begin and Commit of this package, as the consumers use them.
	tx, err = pg.Begin(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	pg.Signal(tx, "outbox")
	if err := pg.Commit(tx); err != nil {
		t.Fatal(err)
	}
	if !woken(wake) {
		t.Fatal("pg.Commit did not wake the watcher")
	}
	if err := pg.Rollback(tx); !errors.Is(err, sql.ErrTxDone) {
		t.Fatalf("Rollback after Commit = %v, want sql.ErrTxDone", err)
	}

	stop()
	err = pg.InTx(ctx, db, func(tx *sqlx.Tx) error {
		pg.Signal(tx, "outbox")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if woken(wake) {
		t.Fatal("woken after stop")
	}
}
