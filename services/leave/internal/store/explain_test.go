package store_test

import (
	"testing"

	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/leave/internal/store"
)

// TestRequestListUsesIndexes guards the leave request list against a sort
// of every request in view: 5,000 members with 20 requests each (100,000),
// analysed, then the list as Requests builds it (newest first, a page): all
// of it, the pending ones, one member's.
func TestRequestListUsesIndexes(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t, store.Migrations())
	if _, err := db.Exec(`
INSERT INTO members (member_id, unit_id, category, status, updated_at)
	SELECT 'm-' || i, 'u-' || (i % 300), 'police', 'active', now() FROM generate_series(0, 4999) i;
INSERT INTO leave_requests (id, member_id, unit_id, from_date, to_date, days, status, second_level, created_at, updated_at)
	SELECT gen_random_uuid(), 'm-' || (i % 5000), 'u-' || ((i % 5000) % 300), date '2026-01-05' + (i / 5000) * 7,
		date '2026-01-05' + (i / 5000) * 7, 1, (ARRAY['pending','approved','rejected','cancelled'])[1 + i % 4], false,
		now() - make_interval(secs => 100000 - i), now()
	FROM generate_series(0, 99999) i;
ANALYZE members; ANALYZE leave_requests;`); err != nil {
		t.Fatal(err)
	}
	// Mirrors Requests (services/leave/internal/store/request_repository.go).
	const list = `SELECT r.id FROM leave_requests r LEFT JOIN members m ON m.member_id = r.member_id WHERE true`
	pgtest.AssertIndexed(t, db, "leave requests, every unit", list+` ORDER BY r.created_at DESC, r.id LIMIT $1`, 100)
	pgtest.AssertIndexed(t, db, "leave requests, pending of every unit",
		list+` AND r.status = $1 ORDER BY r.created_at DESC, r.id LIMIT $2`, "pending", 100)
	pgtest.AssertIndexed(t, db, "leave requests, one member",
		list+` AND r.member_id = $1 ORDER BY r.created_at DESC, r.id LIMIT $2`, "m-17", 100)
}
