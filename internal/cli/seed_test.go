package cli

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/bus/bustest"
	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
)

// seedEnv is a fresh database, its own NATS and every service on a free
// loopback port, as `make run` would have them.
func seedEnv(t *testing.T) (map[string]string, string) {
	t.Helper()
	dbURL := pgtest.NewDatabase(t)
	nats := bustest.Start(t)
	env := map[string]string{"DATABASE_URL": dbURL, "NATS_URL": nats.URL()}
	for _, name := range ServiceNames {
		addr := "127.0.0.1:" + strconv.Itoa(freePort(t))
		up := strings.ToUpper(name)
		env["ANXIN_"+up+"_ADDR"] = addr
		if name != "gateway" {
			env["ANXIN_"+up+"_URL"] = "http://" + addr
		}
	}
	return env, dbURL
}

// counts is how many rows the seed left in tables of every service.
func counts(t *testing.T, dbURL string) map[string]int {
	t.Helper()
	db, err := pg.Open(context.Background(), pg.Config{URL: dbURL, Schema: "public", MaxOpenConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]int{}
	for _, table := range []string{"enrollment.units", "enrollment.members", "enrollment.dependants", "enrollment.plans", "enrollment.enrollments",
		"injury.cases", "grants.funds", "grants.programs", "grants.applications", "grants.notices", "leave.leave_requests", "leave.health_check_bookings",
		"leave.recuperation_bookings", "leave.member_pay", "gateway.users", "injury.parameters"} {
		var n int
		if err := db.GetContext(context.Background(), &n, "SELECT count(*) FROM "+table); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

func TestSeedDemo(t *testing.T) {
	env, dbURL := seedEnv(t)
	code, out := run(t, env, "seed", "demo")
	if code != ExitOK {
		t.Fatalf("seed demo: exit %d\n%s", code, out)
	}
	t.Log(out)
	for _, user := range []string{"officer", "family", "caseworker", "unithead", "approver1", "approver2", "finance", "auditor", "admin", "doctor"} {
		if !strings.Contains(out, "\n  "+user+" ") {
			t.Errorf("no login for %s in the output", user)
		}
	}
	for _, role := range []string{"officer", "family", "caseworker", "unit_head", "approver", "finance", "auditor", "admin", "medical_caseworker"} {
		if !strings.Contains(out, " "+role+" ") {
			t.Errorf("no login with role %s in the output", role)
		}
	}
	if !strings.Contains(out, "http://") {
		t.Errorf("no URL in the output")
	}
	first := counts(t, dbURL)
	want := map[string]int{"enrollment.units": 8, "enrollment.members": 200, "enrollment.plans": 3, "injury.cases": 6,
		"grants.funds": 1, "grants.programs": 4, "grants.applications": 7, "grants.notices": 1, "leave.leave_requests": 5,
		"leave.health_check_bookings": 9, "leave.recuperation_bookings": 4, "gateway.users": 10,
		"injury.parameters": 8} // 6 years of national income, the regional average and the minimum wage
	for table, n := range want {
		if first[table] != n {
			t.Errorf("%s has %d rows, want %d", table, first[table], n)
		}
	}
	// finance has a grant to pay; the family user has an application of
	// their own, for a dependant of the officer
	db, err := pg.Open(context.Background(), pg.Config{URL: dbURL, Schema: "public", MaxOpenConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{
		`SELECT count(*) FROM grants.applications WHERE state = 'approved'`: 1,
		`SELECT count(*) FROM grants.applications a JOIN gateway.users u ON u.id::text = a.applicant_user_id
			WHERE u.username = 'family' AND a.member_id = u.member_id AND a.dependant_id <> '' AND a.state = 'submitted'`: 1,
	} {
		var n int
		if err := db.GetContext(context.Background(), &n, q); err != nil || n != want {
			t.Errorf("%s = %d (%v), want %d", q, n, err, want)
		}
	}
	_ = db.Close()
	if first["leave.member_pay"] < 5 {
		t.Errorf("leave.member_pay has %d rows: the compensation report would have no figures", first["leave.member_pay"])
	}
	if first["enrollment.enrollments"] < 200 || first["enrollment.dependants"] == 0 {
		t.Errorf("enrollments %d, dependants %d", first["enrollment.enrollments"], first["enrollment.dependants"])
	}

	code, again := run(t, env, "seed", "demo")
	if code != ExitOK {
		t.Fatalf("second seed demo: exit %d\n%s", code, again)
	}
	if !strings.Contains(again, "demo data already present") {
		t.Errorf("the second run does not say the data is there:\n%s", again)
	}
	if strings.Contains(again, "PASSWORD") || strings.Contains(again, "caseworker") {
		t.Errorf("the second run shows logins:\n%s", again)
	}
	if second := counts(t, dbURL); len(second) != len(first) {
		t.Fatalf("counts %v, then %v", first, second)
	} else {
		for table, n := range first {
			if second[table] != n {
				t.Errorf("the second run changed %s: %d rows, then %d", table, n, second[table])
			}
		}
	}
}

// The demo people: 200 members in the roster's categories, every identity
// number valid and distinct, the demo officer and family member first.
func TestDemoPeople(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	people := demoPeople(today)
	if len(people) != 200 {
		t.Fatalf("%d members, want 200", len(people))
	}
	if people[0].Name != "张建国" || people[1].Name != "王强" || people[1].dependants[0].Name != "李娜" {
		t.Errorf("the first members are %s and %s", people[0].Name, people[1].Name)
	}
	seen := map[string]bool{}
	check := func(who string, n string) {
		if err := idcard.Validate(n); err != nil {
			t.Errorf("%s: identity number invalid: %v", who, err)
		}
		if seen[n] {
			t.Errorf("%s: identity number used twice", who)
		}
		seen[n] = true
	}
	deps := 0
	for i, m := range people {
		check(m.Name, idNumber(m.Birth, 2*i, m.Male))
		if m.Hire.After(today) || m.Hire.Before(m.Birth.AddDate(18, 0, 0)) {
			t.Errorf("%s: hired %s, born %s", m.Name, date(m.Hire), date(m.Birth))
		}
		for _, d := range m.dependants {
			check(m.Name+"'s "+d.Relation, idNumber(d.Birth, 400+2*deps, d.Male))
			deps++
		}
	}
	if deps == 0 || 400+2*deps >= 1000 {
		t.Errorf("%d dependants", deps)
	}
}

func TestSeedDemoRefusedInProduction(t *testing.T) {
	code, out := run(t, map[string]string{"ANXIN_ENV": "production", "DATABASE_URL": "postgres://u@127.0.0.1:1/db?sslmode=require"}, "seed", "demo")
	if code != ExitUsage || !strings.Contains(out, "production") {
		t.Fatalf("seed demo in production: exit %d\n%s", code, out)
	}
}

func TestSeedDemoTakesNoArguments(t *testing.T) {
	code, out := run(t, nil, "seed", "demo", "county")
	if code != ExitUsage || !strings.Contains(out, "county") {
		t.Fatalf("seed demo county: exit %d\n%s", code, out)
	}
}

func TestGatewayURL(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]string{":8080": "http://localhost:8080/", "0.0.0.0:80": "http://localhost:80/", "10.0.0.5:8443": "http://10.0.0.5:8443/"} {
		if got := gatewayURL(addr); got != want {
			t.Errorf("gatewayURL(%q) = %q, want %q", addr, got, want)
		}
	}
}
