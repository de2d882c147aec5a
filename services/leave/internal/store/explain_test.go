package store_test

import (
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
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
	// The real query, as Requests builds it: first pages and a later page
	// (the keyset condition), with and without filters.
	at := time.Now().Add(-50000 * time.Second)
	after := "00000000-0000-0000-0000-000000000000"
	for _, c := range []struct {
		name string
		f    store.RequestFilter
	}{
		{"every unit", store.RequestFilter{}},
		{"pending of every unit", store.RequestFilter{Statuses: []domain.RequestStatus{domain.StatusPending}}},
		{"waiting (two states) of 20 units", store.RequestFilter{
			Statuses: []domain.RequestStatus{domain.StatusPending, domain.StatusPendingSecond},
			Units:    []string{"u-1", "u-2", "u-3", "u-4", "u-5", "u-6", "u-7", "u-8", "u-9", "u-10", "u-11", "u-12", "u-13", "u-14", "u-15", "u-16", "u-17", "u-18", "u-19", "u-20"}}},
		{"one member", store.RequestFilter{MemberID: "m-17"}},
	} {
		c.f.Page = page.Request{Limit: 100}
		q, args := store.RequestsQuery(c.f, nil, "")
		pgtest.AssertIndexed(t, db, "leave requests, "+c.name, q, args...)
		q, args = store.RequestsQuery(c.f, &at, after)
		pgtest.AssertIndexed(t, db, "leave requests, "+c.name+", a later page", q, args...)
	}
}
