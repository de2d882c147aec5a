package store_test

import (
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
)

// explainFund is the fund (…f1) and programme (…a1) the tables of a plan
// guard refer to.
const explainFund = `
INSERT INTO funds (id, fiscal_year, name, appropriation) VALUES ('00000000-0000-0000-0000-0000000000f1', 2026, 'f', 0);
INSERT INTO programs (id, fund_id, code, name_zh, kind, allocation, amount_rule, dual_above)
	VALUES ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000f1', 'p', 'p', 'other', 0, '{}', 0);
`

// TestNoticeListUsesIndexes guards the caseworker's notice list against a
// scan or sort of every notice: 100,000 notices over 300 units and ten
// years, most of them converted or dismissed, analysed; then the list as
// Notices builds it (NoticesQuery), first and later pages, of each state,
// for a caseworker of three units.
func TestNoticeListUsesIndexes(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t, store.Migrations())
	if _, err := db.Exec(explainFund + `
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

// TestApplicationListsUseIndexes guards the application lists against
// reading every application: 100,000 over 300 units, a few hundred of them
// waiting at a step (as on the scale seed), then a person's own
// list (/my: filed by the user, or for the member, or by the applicant
// member), a caseworker's units and finance's approved ones, first and
// later pages: planned on indexes, and a person's list reads their rows.
func TestApplicationListsUseIndexes(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t, store.Migrations())
	if _, err := db.Exec(explainFund + `
ALTER TABLE applications DISABLE TRIGGER USER;
INSERT INTO applications (number, fund_id, program_id, member_id, applicant_user_id, applicant_member_id, prepared_by, unit_id, state,
		committed_amount, created_at, updated_at, state_since)
	SELECT 'GA-' || i, '00000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-0000000000a1', 'm-' || (i % 40000),
		'u-' || (i % 40000), CASE WHEN i % 3 = 0 THEN 'm-' || ((i + 7) % 40000) ELSE '' END, 'u-' || (i % 40000), 'unit-' || (i % 300),
		CASE i % 500 WHEN 0 THEN 'approved' WHEN 1 THEN 'submitted' WHEN 2 THEN 'reviewed'
			ELSE (ARRAY['disbursed','rejected','disbursed','disbursed','withdrawn','disbursed','active','disbursed'])[1 + i % 8] END,
		100, now() - make_interval(mins => i), now(), now()
	FROM generate_series(1, 100000) i;
ALTER TABLE applications ENABLE TRIGGER USER;
ANALYZE applications;`); err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-30 * 24 * time.Hour)
	id := "00000000-0000-0000-0000-000000000000"
	lists := map[string]store.ListFilter{
		"mine":            {ApplicantUserID: "u-17", MemberID: "m-17", AnyUnit: true, Page: page.Request{Limit: 10}},
		"a unit's":        {Units: []string{"unit-1", "unit-2", "unit-3"}, Page: page.Request{Limit: 50}},
		"finance's":       {AnyUnit: true, States: []domain.State{"approved"}, Page: page.Request{Limit: 50}},
		"unit, submitted": {Units: []string{"unit-1", "unit-2", "unit-3"}, States: []domain.State{"submitted"}, Page: page.Request{Limit: 50}},
	}
	for name, f := range lists {
		q, args := store.ApplicationsQuery(f, nil, nil)
		pgtest.AssertIndexed(t, db, "applications, "+name, q, args...)
		q, args = store.ApplicationsQuery(f, &at, &id)
		pgtest.AssertIndexed(t, db, "applications, "+name+", a later page", q, args...)
	}
	q, args := store.ApplicationsQuery(lists["mine"], nil, nil)
	pgtest.AssertReadsAtMost(t, db, "applications, mine", 100, q, args...)
}
