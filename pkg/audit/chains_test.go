package audit_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
)

// holdChains opens n transactions that each write an audit row and stay
// open, so each holds its chain. A Write that would wait fails the test
// after a minute instead of hanging it.
func holdChains(t *testing.T, db *sqlx.DB, clk clock.Clock, n int) []*sqlx.Tx {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var txs []*sqlx.Tx
	for i := range n {
		tx, err := db.BeginTxx(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		txs = append(txs, tx)
		if err := audit.Write(ctx, tx, clk, audit.Entry{Actor: "holder", Action: fmt.Sprint("holds.", i)}); err != nil {
			for _, tx := range txs {
				_ = tx.Rollback()
			}
			t.Fatalf("writer %d of %d open transactions waited or failed: %v", i+1, n, err)
		}
	}
	return txs
}

// heldChain is the chain tx's Writes append to.
func heldChain(t *testing.T, tx *sqlx.Tx) string {
	t.Helper()
	var c string
	if err := tx.Get(&c, `SELECT current_setting('anxin.audit_chain')`); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestWritersOfOneSchemaTakeChainsSideBySide is why there are chains: with
// one chain, a second writer of a schema waited for the first one's commit,
// so a schema's audited changes committed one at a time. Now Chains open
// transactions each hold a chain of their own without waiting; one more
// waits (on the advisory lock, seen in pg_stat_activity) until one of them
// ends, and then every row is on an intact chain.
func TestWritersOfOneSchemaTakeChainsSideBySide(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	clk := clock.NewFake(start)
	ctx := context.Background()

	holders := holdChains(t, db, clk, audit.Chains)
	defer func() {
		for _, h := range holders {
			_ = h.Rollback()
		}
	}()
	seen := map[string]bool{}
	for _, h := range holders {
		seen[heldChain(t, h)] = true
	}
	if len(seen) != audit.Chains {
		t.Fatalf("%d open writers hold %d distinct chains, want %d", audit.Chains, len(seen), audit.Chains)
	}

	// One more writer: every chain is taken, so it waits.
	last, err := db.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = last.Rollback() }()
	var pid int
	if err := last.Get(&pid, `SELECT pg_backend_pid()`); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		done <- audit.Write(ctx, last, clk, audit.Entry{Actor: "late", Action: "waits"})
	}()
	waiting := func() bool {
		var n int
		err := db.Get(&n, `SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock' AND wait_event = 'advisory'`, pid)
		return err == nil && n == 1
	}
	for deadline := time.Now().Add(30 * time.Second); !waiting(); {
		select {
		case err := <-done:
			t.Fatalf("a writer found a free chain while all %d were held (err %v)", audit.Chains, err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the extra writer never waited on a chain lock")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Every holder commits; the waiting writer gets its chain as the one it
	// waits for ends.
	for _, h := range holders {
		if err := h.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		t.Fatalf("the waiting writer: %v", err)
	}
	if err := last.Commit(); err != nil {
		t.Fatal(err)
	}
	rep := verify(t, db)
	if !rep.Intact() || rep.Rows != audit.Chains+1 || len(rep.Chains) != audit.Chains {
		t.Fatalf("Verify = %+v, want %d intact rows on %d chains", rep, audit.Chains+1, audit.Chains)
	}
	var twice int
	for _, c := range rep.Chains {
		if c.Rows == 2 {
			twice++
		}
	}
	if twice != 1 {
		t.Fatalf("chains with two rows: %d, want the waiter's alone: %+v", twice, rep.Chains)
	}
}

// TestATransactionWritesOnOneChain: a transaction's Writes and WriteAlls
// extend one chain, in order, under one lock, so a transaction can never
// hold two chains (and so never deadlock on them).
func TestATransactionWritesOnOneChain(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	clk := clock.NewFake(start)
	ctx := context.Background()
	// Another writer holds a chain meanwhile, so the scan for a free chain
	// has something to skip.
	other := holdChains(t, db, clk, 1)
	defer func() { _ = other[0].Rollback() }()

	err := pg.InTx(ctx, db, func(tx *sqlx.Tx) error {
		if err := audit.Write(ctx, tx, clk, audit.Entry{Actor: "u-1", Action: "a"}); err != nil {
			return err
		}
		clk.Advance(time.Second)
		if err := audit.WriteAll(ctx, tx, clk, audit.Entry{Actor: "u-1", Action: "b", After: map[string]int{"n": 1}},
			audit.Entry{Actor: "u-1", Action: "c", Before: map[string]int{"n": 1}}, audit.Entry{Actor: "u-1", Action: "d"}); err != nil {
			return err
		}
		if err := audit.WriteAll(ctx, tx, clk); err != nil {
			return err
		}
		var locks int
		if err := tx.Get(&locks, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`); err != nil {
			return err
		}
		if locks != 1 {
			return fmt.Errorf("the transaction holds %d advisory locks, want 1", locks)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Chain  int    `db:"chain"`
		Action string `db:"action"`
	}
	if err := db.Select(&rows, `SELECT chain, action FROM audit_log WHERE actor = 'u-1' ORDER BY seq`); err != nil {
		t.Fatal(err)
	}
	var got string
	for _, r := range rows {
		got += r.Action
		if r.Chain != rows[0].Chain {
			t.Fatalf("rows on chains %+v, want one", rows)
		}
	}
	if got != "abcd" {
		t.Fatalf("rows in seq order: %q, want abcd", got)
	}
	if err := other[0].Commit(); err != nil {
		t.Fatal(err)
	}
	if rep := verify(t, db); !rep.Intact() || rep.Rows != 5 || len(rep.Chains) != 2 {
		t.Fatalf("Verify = %+v, want 5 intact rows on 2 chains", rep)
	}
}

// TestConcurrentWritersKeepEveryChainIntact: many writers of one schema at
// once, some rolling back after their Write, more of them than chains. No
// row is lost or forked, and the writers did spread over chains.
func TestConcurrentWritersKeepEveryChainIntact(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	const writers, rows = 24, 20
	errRollback := errors.New("roll back")
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		committed int64
	)
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			for i := range rows {
				err := pg.InTx(ctx, db, func(tx *sqlx.Tx) error {
					if err := audit.Write(ctx, tx, clock.System{}, audit.Entry{Actor: fmt.Sprint("w", w), Action: fmt.Sprint("r", i),
						After: map[string]int{"w": w, "i": i}}); err != nil {
						return err
					}
					if i%5 == 4 {
						return errRollback
					}
					return nil
				})
				switch {
				case errors.Is(err, errRollback):
				case err != nil:
					errs <- err
					return
				default:
					mu.Lock()
					committed++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	rep := verify(t, db)
	if !rep.Intact() || rep.Rows != committed || committed != writers*rows*4/5 {
		t.Fatalf("Verify = %+v, want %d intact rows", rep, committed)
	}
	if len(rep.Chains) < 2 {
		t.Fatalf("%d concurrent writers used %d chain(s)", writers, len(rep.Chains))
	}
	var sum int64
	for _, c := range rep.Chains {
		sum += c.Rows
	}
	if sum != rep.Rows {
		t.Fatalf("chains hold %d rows, the trail %d", sum, rep.Rows)
	}
}
