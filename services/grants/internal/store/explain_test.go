package store_test

import (
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
)

// TestNoticeListUsesIndexes guards the caseworker's notice list against a
// scan or sort of every notice: 100,000 notices over 300 units and ten
// years, most of them converted or dismissed, analysed; then the list as
// Notices builds it (NoticesQuery), first and later pages, of each state,
// for a caseworker of three units.
func TestNoticeListUsesIndexes(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t, store.Migrations())
	if _, err := db.Exec(`
INSERT INTO funds (id, fiscal_year, name, appropriation) VALUES ('00000000-0000-0000-0000-0000000000f1', 2026, 'f', 0);
INSERT INTO programs (id, fund_id, code, name_zh, kind, allocation, amount_rule, dual_above)
	VALUES ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000f1', 'p', 'p', 'other', 0, '{}', 0);
INSERT INTO notices (program_id, member_id, unit_id, event_ref, state, created_at)
	SELECT '00000000-0000-0000-0000-0000000000a1', 'm-' || i, 'u-' || (i % 300), 'e-' || i,
		(ARRAY['converted','dismissed','converted','dismissed','converted','dismissed','converted','dismissed','converted','open'])[1 + i % 10],
		now() - make_interval(mins => 100000 - i) * 50
	FROM generate_series(0, 99999) i;
ANALYZE notices;`); err != nil {
		t.Fatal(err)
	}
	units := []string{"u-1", "u-2", "u-3"}
	at := time.Now().Add(-24 * 365 * time.Hour)
	id := "00000000-0000-0000-0000-000000000000"
	for _, st := range []domain.NoticeState{"open", "converted", "dismissed"} {
		q, args := store.NoticesQuery(units, false, st, nil, nil, 51)
		pgtest.AssertIndexed(t, db, "notices, "+string(st), q, args...)
		q, args = store.NoticesQuery(units, false, st, &at, &id, 51)
		pgtest.AssertIndexed(t, db, "notices, "+string(st)+", a later page", q, args...)
	}
}
