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
// fresh database: every part's schema is migrated and filled, the registry
// passes its own checks, and a second run (whole or one part) is refused
// without touching what the first wrote.
func TestSeedScaleCommand(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	env := map[string]string{"DATABASE_URL": dbURL, "NATS_URL": bustest.Start(t).URL()}
	args := []string{"seed", "scale", "--units", "6", "--members", "300", "--years", "2", "--seed", "7",
		"--cases", "400", "--case-years", "2", "--applications", "300", "--ledger-lines", "4000", "--grant-years", "2", "--leave-years", "2"}
	code, out := run(t, env, args...)
	if code != ExitOK {
		t.Fatalf("seed scale: exit %d\n%s", code, out)
	}
	for _, want := range []string{"enrollment: 7 units, 300 members (300 versions), 4 plans", "injury: 300 members projected, 400 cases",
		"grants: 300 members projected, 2 funds, 10 programmes, 300 applications", "leave: 300 members projected", "seeded in"} {
		if !strings.Contains(out, want) {
			t.Errorf("output does not say %q:\n%s", want, out)
		}
	}
	// Each part is in its own schema, as the service reads it.
	for schema, q := range map[string]string{
		"injury": `SELECT count(*) FROM cases`, "grants": `SELECT count(*) FROM applications`, "leave": `SELECT count(*) FROM members`,
	} {
		sdb, err := pg.Open(context.Background(), pg.Config{URL: dbURL, Schema: schema, MaxOpenConns: 1})
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := sdb.Get(&n, q); err != nil || n == 0 {
			t.Errorf("%s: %s = %d, err %v", schema, q, n, err)
		}
		sdb.Close()
	}
	// The committee's overview reads the reporting tables: after the seed
	// they add up to the seeded facts.
	for _, c := range []struct{ schema, report, facts string }{
		{"injury", `SELECT coalesce(sum(opened), 0) FROM report_cases_month`, `SELECT count(*) FROM cases`},
		{"grants", `SELECT coalesce(sum(payments), 0) FROM report_disbursements_month`, `SELECT count(*) FROM disbursements`},
		{"grants", `SELECT coalesce(sum(amount), 0) FROM report_disbursements_month`, `SELECT coalesce(sum(amount), 0) FROM disbursements`},
		{"grants", `SELECT coalesce(sum(disbursed), 0) FROM report_fund_month`, `SELECT coalesce(sum(disbursed), 0) FROM funds`},
		{"grants", `SELECT coalesce(sum(committed), 0) FROM report_fund_month`, `SELECT coalesce(sum(committed), 0) FROM funds`},
		{"leave", `SELECT coalesce(sum(active), 0) FROM report_unit_members`, `SELECT count(*) FROM members WHERE status = 'active'`},
		{"leave", `SELECT coalesce(sum(booked + completed), 0) FROM report_health_year`,
			`SELECT count(*) FROM health_check_bookings WHERE status IN ('booked', 'completed')`},
		{"leave", `SELECT count(DISTINCT year) FROM report_leave_year`, `SELECT count(DISTINCT year) FROM ledger_entries`},
	} {
		sdb, err := pg.Open(context.Background(), pg.Config{URL: dbURL, Schema: c.schema, MaxOpenConns: 1})
		if err != nil {
			t.Fatal(err)
		}
		var report, facts int64
		if err := sdb.Get(&report, c.report); err != nil {
			t.Errorf("%s: %s: %v", c.schema, c.report, err)
		} else if err := sdb.Get(&facts, c.facts); err != nil {
			t.Errorf("%s: %s: %v", c.schema, c.facts, err)
		} else if report != facts || facts == 0 {
			t.Errorf("%s: the overview's %s = %d, the facts' %s = %d", c.schema, c.report, report, c.facts, facts)
		}
		sdb.Close()
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
	// A part seeded already is refused on its own too.
	code, out = run(t, env, append(args, "--services", "grants")...)
	if code == ExitOK || !strings.Contains(out, "grants already has") {
		t.Errorf("a second grants seed: exit %d\n%s", code, out)
	}
	if m2, e2, _, _ := check(); m2 != members || e2 != enrollments {
		t.Errorf("the refused second seed changed the rows: %d members, %d enrollments", m2, e2)
	}

	for _, bad := range [][]string{{"--members", "0"}, {"--cases", "-1"}, {"--services", "payroll"}, {"--leave-years", "0"}} {
		if code, out := run(t, env, append([]string{"seed", "scale"}, bad...)...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d\n%s", bad, code, ExitUsage, out)
		}
	}
}
