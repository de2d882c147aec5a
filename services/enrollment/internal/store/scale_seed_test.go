package store_test

import (
	"context"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/store"
)

// TestSeedScaleSmall runs the scale seed at a small size and checks what
// it promises: the counts, a province that depends only on the seed, rows
// the service reads as its own (coverage, the member list), and
// constraints still enforced on the seeded tables.
func TestSeedScaleSmall(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	size := store.ScaleSize{Units: 12, Members: 400, Years: 2}
	seedOne := func() (*sqlx.DB, *store.Store, store.ScaleCounts) {
		db := pgtest.New(t, store.Migrations())
		st := store.New(db, newSealer(t), clock.NewFake(now))
		n, err := st.SeedScale(ctx, size, 42, now)
		if err != nil {
			t.Fatal(err)
		}
		return db, st, n
	}
	db, st, n := seedOne()
	var active int
	if err := db.Get(&active, `SELECT count(*) FROM members WHERE status = 'active'`); err != nil {
		t.Fatal(err)
	}
	want := store.ScaleCounts{Units: 13, Members: 400, MemberVersions: 400, Plans: 4, Enrollments: active * 4, EnrollmentEvents: active * 4}
	if n != want {
		t.Fatalf("counts = %+v, want %+v", n, want)
	}
	for table, rows := range map[string]int{"units": 13, "members": 400, "member_versions": 400, "plans": 4, "enrollments": active * 4, "enrollment_events": active * 4} {
		var got int
		if err := db.Get(&got, `SELECT count(*) FROM `+table); err != nil {
			t.Fatal(err)
		}
		if got != rows {
			t.Errorf("%s has %d rows, want %d", table, got, rows)
		}
	}
	var units int
	if err := db.Get(&units, `SELECT count(DISTINCT unit_id) FROM members`); err != nil || units < 10 {
		t.Errorf("members spread over %d units (err %v), want most of 12", units, err)
	}

	// The same seed writes the same province.
	db2, _, _ := seedOne()
	var ids1, ids2 []string
	if err := db.Select(&ids1, `SELECT id::text FROM members ORDER BY id LIMIT 50`); err != nil {
		t.Fatal(err)
	}
	if err := db2.Select(&ids2, `SELECT id::text FROM members ORDER BY id LIMIT 50`); err != nil {
		t.Fatal(err)
	}
	if len(ids1) != 50 || len(ids2) != 50 || ids1[0] != ids2[0] || ids1[49] != ids2[49] {
		t.Errorf("two runs with seed 42 differ: %v… vs %v…", ids1[:1], ids2[:1])
	}

	// The service reads the rows as its own: an active member is covered
	// today in both schemes, and listed.
	var member string
	if err := db.Get(&member, `SELECT id::text FROM members WHERE status = 'active' ORDER BY id LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	cov, err := st.Coverage(ctx, member, "", now, store.Scope{All: true})
	if err != nil {
		t.Fatal(err)
	}
	covered := 0
	for _, c := range cov {
		if c.Covered {
			covered++
		}
	}
	if covered != 2 {
		t.Errorf("coverage of a seeded member = %+v, want 2 schemes covered", cov)
	}
	list, err := st.ListMembers(ctx, store.Scope{All: true}, store.MemberFilter{}, store.MemberPage{Limit: 500})
	if err != nil || len(list) != 400 {
		t.Errorf("member list: %d members, err %v; want 400", len(list), err)
	}

	// Constraints are still enforced: an overlapping enrollment is refused.
	err = pg.InTx(ctx, db, func(tx *sqlx.Tx) error {
		_, err := tx.Exec(`INSERT INTO enrollments (id, member_id, plan_id, scheme, plan_year, period, covered_from)
			SELECT gen_random_uuid(), member_id, plan_id, scheme, plan_year, period, covered_from FROM enrollments LIMIT 1`)
		return err
	})
	if err == nil {
		t.Error("an overlapping enrollment was accepted on the seeded table")
	}
	// And a second seed into a filled registry is refused.
	if _, err := st.SeedScale(ctx, size, 42, now); err == nil {
		t.Error("seeding a filled registry was accepted")
	}
}
