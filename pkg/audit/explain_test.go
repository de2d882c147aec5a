package audit_test

import (
	"testing"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
)

// TestListUsesIndexes guards the audit list's pages against plans whose
// cost grows with the trail: 200,000 rows (a planner fixture, not a valid
// hash chain), analysed, then the pages the audit screens ask for.
func TestListUsesIndexes(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	if _, err := db.Exec(`INSERT INTO audit_log (at, actor, action, object_type, object_id, prev_hash, hash)
		SELECT now() - make_interval(secs => 200000 - i), 'user-' || (i % 500), 'case.' || (i % 20),
			'case', 'case-' || (i / 4), sha256(int8send(i - 1)), sha256(int8send(i))
		FROM generate_series(1, 200000) i;
		ANALYZE audit_log`); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		f    audit.Filter
	}{
		{name: "first page", f: audit.Filter{}},
		{name: "page after a cursor", f: audit.Filter{AfterSeq: 150000}},
		{name: "one object's history", f: audit.Filter{ObjectType: "case", ObjectID: "case-1234"}},
		{name: "one actor's trail", f: audit.Filter{Actor: "user-17", AfterSeq: 1000}},
	} {
		query, args := audit.ListSQL(tt.f)
		pgtest.AssertIndexed(t, db, "audit list, "+tt.name, query, args...)
	}
}
