package store_test

import (
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/store"
)

// realisticRegistry fills a fresh schema with a registry of province size
// for the planner (300 units, 50,000 members, 2 years of enrollments:
// 100,000 rows; the exclusion constraint's gist index makes more slow here) with generate_series, through every
// constraint, and analyses it.
func realisticRegistry(t *testing.T) *pgtest.Schema {
	t.Helper()
	sch := pgtest.NewSchema(t, store.Migrations())
	_, err := sch.DB.Exec(`
INSERT INTO units (id, code, parent_id, path, name, kind)
	VALUES ('00000000-0000-0000-0000-000000000001', 'root', NULL, ARRAY['00000000-0000-0000-0000-000000000001'::uuid], '政法委', 'committee');
INSERT INTO units (id, code, parent_id, path, name, kind)
	SELECT u, 'u' || i, '00000000-0000-0000-0000-000000000001', ARRAY['00000000-0000-0000-0000-000000000001'::uuid, u], '派出所' || i, 'police_station'
	FROM generate_series(2, 300) i, LATERAL (SELECT ('00000000-0000-0000-0001-' || lpad(to_hex(i), 12, '0'))::uuid AS u) x;
INSERT INTO members (id, unit_id, name, category, id_number_sealed, id_number_index, id_number_masked, birth_date, sex, hire_date, service_start)
	SELECT ('00000000-0000-0000-0002-' || lpad(to_hex(i), 12, '0'))::uuid,
		('00000000-0000-0000-0001-' || lpad(to_hex(2 + i % 299), 12, '0'))::uuid,
		(ARRAY['王','李','张','刘','陈','杨','赵','黄','周','吴'])[1 + i % 10] || (ARRAY['伟','芳','娜','敏','静','强','磊','军','洋','勇'])[1 + (i / 10) % 10] || i,
		'police', '\x00', md5(i::text), '110105********' || lpad((i % 10000)::text, 4, '0'),
		date '1970-01-01' + (i % 9000), CASE WHEN i % 2 = 0 THEN 'M' ELSE 'F' END,
		date '1995-01-01' + (i % 9000), date '1995-01-01' + (i % 9000)
	FROM generate_series(1, 50000) i;
INSERT INTO plans (id, scheme, plan_year, name, coverage, eligible_categories, premium_fen, payer, sum_disability_fen)
	SELECT ('00000000-0000-0000-0003-' || lpad(to_hex(y * 10 + s), 12, '0'))::uuid,
		(ARRAY['work_injury','personal_accident'])[s], y, 'plan ' || y || s,
		daterange(make_date(y, 1, 1), make_date(y + 1, 1, 1)), ARRAY['police'], 10000, 'unit', array_fill(0::bigint, ARRAY[10])
	FROM generate_series(2023, 2026) y, generate_series(1, 2) s;
INSERT INTO enrollments (id, member_id, plan_id, scheme, plan_year, period, covered_from)
	SELECT gen_random_uuid(), ('00000000-0000-0000-0002-' || lpad(to_hex(i), 12, '0'))::uuid,
		('00000000-0000-0000-0003-' || lpad(to_hex(y * 10 + s), 12, '0'))::uuid,
		(ARRAY['work_injury','personal_accident'])[s], y,
		daterange(make_date(y, 1, 1), make_date(y + 1, 1, 1)), make_date(y, 1, 1)
	FROM generate_series(1, 50000) i, generate_series(2025, 2026) y, generate_series(1, 1) s;
ANALYZE units; ANALYZE members; ANALYZE plans; ANALYZE enrollments;`)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// TestHotQueriesUseIndexes guards the registry's hot queries against plans
// whose cost grows with the registry: the coverage lookup on every case
// opened, and the member searches caseworkers run by name and by identity
// number (blind index) in the member list.
func TestHotQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("fills 150,000 rows")
	}
	sch := realisticRegistry(t)
	member := "00000000-0000-0000-0002-000000001234"
	on := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	pgtest.AssertIndexed(t, sch.DB, "coverage lookup", store.CoverageSQL, member, on)
	// The member list's searches, as ListMembers builds them for a
	// caseworker who sees every unit.
	pgtest.AssertIndexed(t, sch.DB, "member search by name",
		`SELECT m.id FROM members m WHERE TRUE AND m.name LIKE $1 ORDER BY m.id LIMIT 100`, "王伟1234%")
	pgtest.AssertIndexed(t, sch.DB, "member search by identity number",
		`SELECT m.id FROM members m WHERE TRUE AND m.id_number_index = $1 ORDER BY m.id LIMIT 100`, "d41d8cd98f00b204e9800998ecf8427e")
	pgtest.AssertIndexed(t, sch.DB, "member page after a cursor",
		`SELECT m.id FROM members m WHERE TRUE AND m.id > $1 ORDER BY m.id LIMIT 100`, member)

	// A member's own lists, a later page: enrollments (100,000 rows) and
	// versions (four per member, 200,000 rows).
	if _, err := sch.DB.Exec(`INSERT INTO member_versions (member_id, version, recorded_at, actor, change, snapshot)
	SELECT m.id, v, timestamptz '2020-01-01' + v * interval '1 day', 'seed', 'updated', '\x00'
	FROM members m, generate_series(1, 4) v;
ANALYZE member_versions;`); err != nil {
		t.Fatal(err)
	}
	q, args := store.MemberEnrollmentsQuery(51, member, on, "00000000-0000-0000-0000-000000000000")
	pgtest.AssertIndexed(t, sch.DB, "a member's enrollments, a later page", q, args...)
	q, args = store.HistoryQuery(51, member, 2)
	pgtest.AssertIndexed(t, sch.DB, "a member's versions, a later page", q, args...)
	pgtest.AssertIndexed(t, sch.DB, "a member's version at an instant", store.KnownAtQuery, member, on)
}
