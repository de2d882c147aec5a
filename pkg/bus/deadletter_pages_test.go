package bus_test

import (
	"context"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
)

// TestDeadLettersPageByKey walks 50,000 dead letters (one in ten still
// pending), analysed as they stand: every pending letter comes once, newest
// first, across pages of 500, and letters failing during the walk (newer
// than the cursor) do not push older ones onto a second page. The first
// and a later page of either list read an index, never the table.
func TestDeadLettersPageByKey(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("fills 50,000 rows")
	}
	ctx := context.Background()
	db := pgtest.New(t)
	if _, err := db.Exec(`INSERT INTO dead_letters (consumer, event_id, subject, envelope, error, deliveries, failed_at, replayed_at, replayed_by)
		SELECT 'c' || (i % 7), gen_random_uuid(), 'welfare.x.y.z.v1', '\x00', 'boom', 5, now() - make_interval(secs => 50000 - i),
			CASE WHEN i % 10 = 0 THEN NULL ELSE now() END, CASE WHEN i % 10 = 0 THEN NULL ELSE 'admin' END
		FROM generate_series(1, 50000) i;
		ANALYZE dead_letters`); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		pending bool
		before  int64
	}{
		{"pending, first page", true, 0},
		{"pending, a later page", true, 25000},
		{"all, first page", false, 0},
		{"all, a later page", false, 25000},
	} {
		q, args := bus.DeadLettersQuery(tc.pending, tc.before, 51)
		pgtest.AssertIndexed(t, db, "dead letters, "+tc.name, q, args...)
	}

	var (
		seen   = map[int64]bool{}
		before int64
		last   int64
		pages  int
	)
	for ; ; pages++ {
		dls, err := bus.ListDeadLetters(ctx, db, true, before, 500)
		if err != nil {
			t.Fatal(err)
		}
		if len(dls) == 0 {
			break
		}
		for _, d := range dls {
			if seen[d.ID] || d.ReplayedAt != nil || (last != 0 && d.ID >= last) {
				t.Fatalf("page %d: letter %d out of order, seen twice or replayed", pages, d.ID)
			}
			seen[d.ID], last = true, d.ID
		}
		before = dls[len(dls)-1].ID
		if pages == 0 {
			if _, err := db.Exec(`INSERT INTO dead_letters (consumer, event_id, subject, envelope, error, deliveries)
				SELECT 'late', gen_random_uuid(), 'welfare.x.y.z.v1', '\x00', 'boom', 5 FROM generate_series(1, 30)`); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(seen) != 5000 || pages != 10 {
		t.Errorf("%d pending letters over %d pages, want 5,000 over 10", len(seen), pages)
	}
}
