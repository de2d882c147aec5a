package store

import (
	"testing"

	"github.com/jmoiron/sqlx"
)

// ExplainList is the JSON plan of a list's query with sorting disabled: a
// plan that still sorts has no index giving its order.
func ExplainList(t testing.TB, db *sqlx.DB, f ListFilter) string {
	t.Helper()
	q, args, err := listQuery(f)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.Beginx()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.Exec(`SET LOCAL enable_sort = off`); err != nil {
		t.Fatal(err)
	}
	var plan string
	if err := tx.Get(&plan, `EXPLAIN (FORMAT JSON) `+q, args...); err != nil {
		t.Fatal(err)
	}
	return plan
}

// SweepClaimSQL is the sweeper's claim of due clocks ($1 now, $2 the batch).
const SweepClaimSQL = sweepClaimSQL
