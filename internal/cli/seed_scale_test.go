package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/bus/bustest"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
)

// TestSeedScaleCommand runs `anxin seed scale` at a small size against a
// fresh database: the schema is migrated, the rows are there, the result
// passes the registry's own checks, and a second run is refused without
// touching what the first wrote.
func TestSeedScaleCommand(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	env := map[string]string{"DATABASE_URL": dbURL, "NATS_URL": bustest.Start(t).URL()}
	args := []string{"seed", "scale", "--units", "6", "--members", "300", "--years", "2", "--seed", "7"}
	code, out := run(t, env, args...)
	if code != ExitOK {
		t.Fatalf("seed scale: exit %d\n%s", code, out)
	}
	if !strings.Contains(out, "enrollment: 7 units, 300 members (300 versions), 4 plans") {
		t.Errorf("output does not say what was written:\n%s", out)
	}
	db, err := pg.Open(context.Background(), pg.Config{URL: dbURL, Schema: "enrollment", MaxOpenConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	check := func() (members, enrollments, orphans, missing int) {
		t.Helper()
		for q, dst := range map[string]*int{
			`SELECT count(*) FROM members`:     &members,
			`SELECT count(*) FROM enrollments`: &enrollments,
			// Every enrollment has its activation fact, and only one.
			`SELECT count(*) FROM enrollments e WHERE (SELECT count(*) FROM enrollment_events v
				WHERE v.enrollment_id = e.id AND v.kind = 'activated') <> 1`: &orphans,
			// Every member has the version the service would have written.
			`SELECT count(*) FROM members m WHERE NOT EXISTS (SELECT 1 FROM member_versions v
				WHERE v.member_id = m.id AND v.version = m.version)`: &missing,
		} {
			if err := db.Get(dst, q); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	members, enrollments, orphans, missing := check()
	if members != 300 || enrollments == 0 || orphans != 0 || missing != 0 {
		t.Fatalf("after the seed: %d members, %d enrollments, %d without one activation, %d without their version",
			members, enrollments, orphans, missing)
	}
	var migrated bool
	if err := db.Get(&migrated, `SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = 'enrollment' AND indexname = 'enrollments_member')`); err != nil || !migrated {
		t.Errorf("the schema was not migrated to the latest version (enrollments_member missing, err %v)", err)
	}

	code, out = run(t, env, args...)
	if code == ExitOK || !strings.Contains(out, "already has members") {
		t.Errorf("a second seed: exit %d\n%s", code, out)
	}
	if m2, e2, _, _ := check(); m2 != members || e2 != enrollments {
		t.Errorf("the refused second seed changed the rows: %d members, %d enrollments", m2, e2)
	}

	if code, out := run(t, env, "seed", "scale", "--members", "0"); code != ExitUsage {
		t.Errorf("--members 0: exit %d, want %d\n%s", code, ExitUsage, out)
	}
}
