package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/anxin-welfare/anxin/api/client"
	"github.com/anxin-welfare/anxin/internal/freeport"
	openapi "github.com/anxin-welfare/anxin/internal/specs"
	"github.com/anxin-welfare/anxin/pkg/bus/bustest"
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
		addr := "127.0.0.1:" + strconv.Itoa(freeport.Loopback(t))
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

// contract checks every answer a service gives the seed against that
// service's OpenAPI document, and counts the operations it saw.
type contract struct {
	t     *testing.T
	specs map[string]*openapi.Spec
	mu    sync.Mutex
	seen  map[string]int // "service METHOD /path" → answers
	bad   []string
}

func newContract(t *testing.T) *contract {
	c := &contract{t: t, specs: map[string]*openapi.Spec{}, seen: map[string]int{}}
	for _, name := range []string{"enrollment", "injury", "grants", "leave"} {
		c.specs[name] = openapi.MustLoad(t, name)
	}
	return c
}

func (c *contract) wrap(service string, next client.Doer) client.Doer {
	return doerFunc(func(req *http.Request) (*http.Response, error) {
		resp, err := next.Do(req)
		if err != nil {
			return resp, err
		}
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			return nil, err
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		verr := c.specs[service].ValidateResponse(req, resp.StatusCode, resp.Header, body)
		c.mu.Lock()
		defer c.mu.Unlock()
		c.seen[fmt.Sprintf("%s %s %d", service, req.Method, resp.StatusCode)+" "+route(req.URL.Path)]++
		if verr != nil {
			c.bad = append(c.bad, fmt.Sprintf("%v\n  body: %.400s", verr, body))
		}
		return resp, nil
	})
}

// route is a path with its ids replaced, so that the operations seen can be
// listed once each.
func route(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if len(p) == 36 && strings.Count(p, "-") == 4 {
			parts[i] = "{id}"
		} else if _, err := strconv.Atoi(p); err == nil && i > 3 {
			parts[i] = "{n}"
		}
	}
	return strings.Join(parts, "/")
}

type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(req *http.Request) (*http.Response, error) { return f(req) }

// The demo seed, run the way `make run` runs it, leaves the county the
// summary describes; every answer the services give it matches their
// documents; a second run (the command line's) changes nothing.
func TestSeedDemo(t *testing.T) {
	env, dbURL := seedEnv(t)
	setEnv(t, env)
	check := newContract(t)
	var outb, errb bytes.Buffer
	if err := seedDemo(t.Context(), &outb, &errb, seedOptions{doer: check.wrap}); err != nil {
		t.Fatalf("seed demo: %v\n%s%s", err, outb.String(), errb.String())
	}
	out := outb.String()
	if len(check.bad) > 0 {
		t.Errorf("%d answers do not match their service's document:\n%s", len(check.bad), strings.Join(check.bad, "\n"))
	}
	ops := make([]string, 0, len(check.seen))
	for op, n := range check.seen {
		ops = append(ops, fmt.Sprintf("%s (%d)", op, n))
	}
	slices.Sort(ops)
	t.Logf("%d operations checked against the documents:\n%s", len(ops), strings.Join(ops, "\n"))
	// The checker stood between the seed and every service: the 200
	// registrations passed through it, and each service answered.
	if n := check.seen["enrollment POST 201 /api/v1/enrollment/members"]; n != 200 {
		t.Errorf("%d member registrations checked against enrollment.yaml, want 200", n)
	}
	for _, svc := range []string{"enrollment", "injury", "grants", "leave"} {
		if !slices.ContainsFunc(ops, func(op string) bool { return strings.HasPrefix(op, svc+" ") }) {
			t.Errorf("no answer of %s was checked against its document", svc)
		}
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
		"leave.health_check_bookings": 9, "leave.recuperation_bookings": 4, "gateway.users": 11,
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

// The demo county seeded on top of a province (`make bench-api` runs `anxin
// seed scale`, then `anxin seed demo`): the scale seed has written this
// year's fund already, so the demo's programmes go into it, within its
// unallocated room, and no second fund of the year is attempted.
func TestSeedDemoOnAScaleSeed(t *testing.T) {
	env, dbURL := seedEnv(t)
	code, out := run(t, env, "seed", "scale", "--units", "6", "--members", "300", "--years", "1", "--seed", "3",
		"--cases", "100", "--case-years", "1", "--applications", "100", "--ledger-lines", "1000", "--grant-years", "2", "--leave-years", "1")
	if code != ExitOK {
		t.Fatalf("seed scale: exit %d\n%s", code, out)
	}
	setEnv(t, env)
	var outb, errb bytes.Buffer
	if err := seedDemo(t.Context(), &outb, &errb, seedOptions{}); err != nil {
		t.Fatalf("seed demo after seed scale: %v\n%s%s", err, outb.String(), errb.String())
	}
	if !strings.Contains(outb.String()+errb.String(), "in the existing fund") {
		t.Errorf("the seed does not say it used the year's fund:\n%s%s", outb.String(), errb.String())
	}
	db, err := pg.Open(context.Background(), pg.Config{URL: dbURL, Schema: "grants", MaxOpenConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var funds, demo, over int
	for q, dst := range map[string]*int{
		`SELECT count(*) FROM funds`: &funds,
		`SELECT count(*) FROM programs p JOIN funds f ON f.id = p.fund_id
			WHERE p.code LIKE 'demo-%' AND f.fiscal_year = extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')`: &demo,
		`SELECT count(*) FROM funds f WHERE (SELECT sum(allocation) FROM programs p WHERE p.fund_id = f.id) > f.appropriation`: &over,
	} {
		if err := db.GetContext(context.Background(), dst, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if funds != 2 || demo != 4 || over != 0 {
		t.Errorf("%d funds (want the scale seed's 2), %d demo programmes in this year's (want 4), %d funds allocated beyond their appropriation",
			funds, demo, over)
	}
}
