package gateway_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/pg"
)

// TestOverviewLatencyAtProvinceScale measures the work overview's page,
// through the gateway and the three services' reporting routes, with read
// models of a province: 300 units over 24 months (the scale seed's units;
// the read models are filled to that size directly, since the raw facts
// they summarise do not change what the page reads). It asks the page
// 200 times as the committee (every unit, a year) and as a unit head, and
// fails when the p99 is 200 ms or more. It runs only with
// ANXIN_OVERVIEW_SCALE=1: it takes a minute, and its numbers are the
// machine's (docs/PERFORMANCE.md records them).
func TestOverviewLatencyAtProvinceScale(t *testing.T) {
	if os.Getenv("ANXIN_OVERVIEW_SCALE") != "1" {
		t.Skip("set ANXIN_OVERVIEW_SCALE=1 to measure the overview at province scale")
	}
	const units, months, rounds = 300, 24, 100
	s := startRealSystem(t)
	admin := auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
	var root string
	for _, u := range s.call(t, admin, "GET", "/api/v1/enrollment/units", nil, 200)["units"].([]any) {
		if m := u.(map[string]any); m["code"] == "ZFW" {
			root = m["id"].(string)
		}
	}
	admin.Units = []string{root}
	ids := []string{s.unit}
	for i := range units - 1 {
		ids = append(ids, s.call(t, admin, "POST", "/api/v1/enrollment/units", map[string]any{
			"code": fmt.Sprintf("PS%03d", i), "name": fmt.Sprintf("第%03d派出所", i), "kind": "police_station", "parent_id": root}, 201)["id"].(string))
	}
	ctx := context.Background()
	// The statements run as one simple query (several statements, no
	// parameters): $1 the units, $2 the first month, $3 the months.
	exec := func(schema, sql string, args ...any) {
		t.Helper()
		for i, a := range args {
			sql = strings.ReplaceAll(sql, fmt.Sprintf("$%d", i+1), fmt.Sprintf("'%v'", a))
		}
		db, err := pg.Open(ctx, pg.Config{URL: s.env.Deps.Config.DatabaseURL, Schema: schema, MaxOpenConns: 1})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.ExecContext(ctx, sql); err != nil {
			t.Fatalf("%s: %v", schema, err)
		}
	}
	unitsArg := "{" + joinQuoted(ids) + "}"
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	exec("injury", `
		INSERT INTO report_cases_month (unit_id, month, severity, opened)
		SELECT u, ($2::date + make_interval(months => m))::date, sv, 1 + (m % 3)
		FROM unnest($1::text[]) u, generate_series(0, $3::integer - 1) m, unnest(ARRAY['critical', 'serious', 'minor']) sv;
		INSERT INTO report_durations_month (unit_id, month, ack_seconds, handoff_seconds, determination_days)
		SELECT u, ($2::date + make_interval(months => m))::date, ARRAY[600, 1800, 3600, 7200, 900], ARRAY[3600, 7200, 10800, 14400, 5400], ARRAY[20, 35, 50, 61]
		FROM unnest($1::text[]) u, generate_series(0, $3::integer - 1) m;
		INSERT INTO report_sla_month (unit_id, month, kind, met, breached)
		SELECT u, ($2::date + make_interval(months => m))::date, k, 9, 1
		FROM unnest($1::text[]) u, generate_series(0, $3::integer - 1) m, unnest(ARRAY['acknowledgement', 'handoff', 'unit_filing', 'decision']) k;
		INSERT INTO report_escalations_month (unit_id, month, level, escalations)
		SELECT u, ($2::date + make_interval(months => m))::date, l, 1
		FROM unnest($1::text[]) u, generate_series(0, $3::integer - 1) m, unnest(ARRAY['unit_head', 'committee']) l;
		INSERT INTO report_open_stage (unit_id, state, cases)
		SELECT u, st, 2 FROM unnest($1::text[]) u, unnest(ARRAY['triage', 'treatment', 'determination_filing']) st;
		ANALYZE`, unitsArg, from.Format(time.DateOnly), months)
	exec("grants", `
		INSERT INTO report_disbursements_month (unit_id, month, payments, amount)
		SELECT u, ($2::date + make_interval(months => m))::date, 3, 1500000
		FROM unnest($1::text[]) u, generate_series(0, $3::integer - 1) m;
		INSERT INTO report_waiting (unit_id, state, since, applications)
		SELECT u, st, '2026-11-27'::date - d, 1
		FROM unnest($1::text[]) u, unnest(ARRAY['submitted', 'reviewed', 'approved']) st, generate_series(0, 120, 6) d;
		ANALYZE`, unitsArg, from.Format(time.DateOnly), months)
	exec("leave", `
		INSERT INTO report_leave_year (unit_id, year, members, entitled, taken, unused, extra_fen, missing_pay)
		SELECT u, y, 300, 3000, 2100, 900, 82758600, 3 FROM unnest($1::text[]) u, generate_series(2025, 2026) y
		ON CONFLICT (unit_id, year) DO UPDATE SET members = EXCLUDED.members, entitled = EXCLUDED.entitled, taken = EXCLUDED.taken;
		INSERT INTO report_health_year (unit_id, year, booked, completed)
		SELECT u, y, 20, 250 FROM unnest($1::text[]) u, generate_series(2025, 2026) y
		ON CONFLICT (unit_id, year) DO UPDATE SET completed = EXCLUDED.completed;
		INSERT INTO report_unit_members (unit_id, active) SELECT u, 300 FROM unnest($1::text[]) u
		ON CONFLICT (unit_id) DO UPDATE SET active = EXCLUDED.active;
		INSERT INTO recuperation_quotas (year, unit_id, places, used, updated_by, updated_at)
		SELECT y, u, 10, 6, 'seed', now() FROM unnest($1::text[]) u, generate_series(2025, 2026) y ON CONFLICT DO NOTHING;
		INSERT INTO leave_uptake_targets (year, basis_points, set_by, set_at) VALUES (2026, 7500, 'seed', now()) ON CONFLICT DO NOTHING;
		ANALYZE`, unitsArg)

	leaderID := auth.Identity{UserID: "u-lead", Name: "郑书记", Roles: []auth.Role{auth.RoleLeader}}
	for _, svc := range []string{"injury", "grants", "leave"} {
		var d []time.Duration
		for range 20 {
			start := time.Now()
			w := s.env.Do(t, s.h[svc], &leaderID, "GET", "/api/v1/"+svc+"/reports/overview?from=2026-01&to=2026-12", nil)
			if w.Code != http.StatusOK {
				t.Fatalf("%s report = %d %s", svc, w.Code, w.Body)
			}
			d = append(d, time.Since(start))
		}
		slices.Sort(d)
		t.Logf("%s report alone: p50 %v max %v", svc, d[len(d)/2].Round(100*time.Microsecond), d[len(d)-1].Round(100*time.Microsecond))
	}
	measure := func(who, path string) []time.Duration {
		cl := journeySignIn(t, s.gateway, who)
		if st, page := cl.get(path); st != http.StatusOK {
			t.Fatalf("%s %s = %d %s", who, path, st, snippet(page))
		}
		var d []time.Duration
		for range rounds {
			start := time.Now()
			if st, _ := cl.get(path); st != http.StatusOK {
				t.Fatalf("%s %s = %d", who, path, st)
			}
			d = append(d, time.Since(start))
		}
		slices.Sort(d)
		return d
	}
	for _, c := range []struct{ who, path string }{
		{"leader", "/overview?from=2026-01&to=2026-12"},
		{"leader", "/overview?from=2025-01&to=2026-12"},
		{"unithead", "/overview?from=2026-01&to=2026-12"},
		{"leader", "/overview/export?from=2026-01&to=2026-12"},
	} {
		d := measure(c.who, c.path)
		p := func(q float64) time.Duration { return d[int(q*float64(len(d)-1))].Round(100 * time.Microsecond) }
		t.Logf("%-9s %-42s p50 %v  p90 %v  p99 %v  max %v", c.who, c.path, p(0.5), p(0.9), p(0.99), d[len(d)-1].Round(100*time.Microsecond))
		if p(0.99) >= 200*time.Millisecond {
			t.Errorf("%s %s: p99 %v, over 200 ms", c.who, c.path, p(0.99))
		}
	}
}

func joinQuoted(ids []string) string {
	out := ""
	for i, id := range ids {
		if i > 0 {
			out += ","
		}
		out += `"` + id + `"`
	}
	return out
}
