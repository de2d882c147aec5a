package store_test

import (
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
)

// TestCareListsUseIndexes guards the family lists (the liaison's list and
// queue, the summary's and the export's pages) against a scan or sort of
// every record: 60,000 records over 300 units, a liaison paired with some,
// analysed; then CareRecordsQuery, first and later pages, for the
// committee, a caseworker of three units, a liaison and a family.
func TestCareListsUseIndexes(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t, store.Migrations())
	if _, err := db.Exec(`
INSERT INTO care_records (id, member_id, unit_id, kind, subject_name, opened_by, created_at, updated_at)
	SELECT ('00000000-0000-0000-0000-' || lpad(to_hex(i), 12, '0'))::uuid, 'm-' || i, 'u-' || (i % 300), 'hardship', 'x', 'seed',
		now() - make_interval(mins => 60000 - i), now()
	FROM generate_series(1, 60000) i;
INSERT INTO care_liaisons (record_id, role, user_id, name, phone, assigned_by, assigned_at)
	SELECT id, 'leader', 'u-head-' || (substr(unit_id, 3)::int % 50), 'n', '1', 'seed', now() FROM care_records;
ANALYZE care_records;
ANALYZE care_liaisons;`); err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-24 * time.Hour)
	id := "00000000-0000-0000-0000-000000000000"
	for _, tc := range []struct {
		name string
		sc   store.CareScope
	}{
		{name: "committee", sc: store.CareScope{All: true, UserID: "u-ap"}},
		{name: "caseworker of three units", sc: store.CareScope{Units: []string{"u-1", "u-2", "u-3"}, UserID: "u-cw"}},
		{name: "liaison", sc: store.CareScope{UserID: "u-head-7"}},
		{name: "family", sc: store.CareScope{MemberID: "m-77", UserID: "u-fam"}},
	} {
		q, args := store.CareRecordsQuery(tc.sc, nil, nil, 51)
		pgtest.AssertIndexed(t, db, "care records, "+tc.name, q, args...)
		q, args = store.CareRecordsQuery(tc.sc, &at, &id, 501)
		pgtest.AssertIndexed(t, db, "care records, "+tc.name+", a later page", q, args...)
	}
}
