package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/lib/pq"
)

// TestReportRefreshLocksABoundedSet: the reporting refresh takes turns per
// member and year on advisory locks held to the end of the transaction. The
// year-end rollover refreshes every member at once, so the locks must come
// from a bounded set: one per member and year ran PostgreSQL's lock table
// out of shared memory at province size (about 100,000 of them).
func TestReportRefreshLocksABoundedSet(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	const n = 20000
	ms, ys := make([]string, n), make([]int64, n)
	for i := range n {
		ms[i], ys[i] = fmt.Sprintf("m-%05d", i), 2026
	}
	tx, err := f.db.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, `SELECT report_leave_refresh($1::text[], $2::integer[])`, pq.Array(ms), pq.Array(ys)); err != nil {
		t.Fatal(err)
	}
	var held int
	if err := tx.GetContext(ctx, &held, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`); err != nil {
		t.Fatal(err)
	}
	if held == 0 || held > 1024 {
		t.Fatalf("a refresh of %d members' years holds %d advisory locks, want between 1 and 1024", n, held)
	}
}
