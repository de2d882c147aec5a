package leave_test

import (
	"context"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/config"
	"github.com/anxin-welfare/anxin/pkg/report/reporttest"
	"github.com/anxin-welfare/anxin/services/leave"
)

// BenchmarkReportRoute is the leave and care part of the work overview at
// province scale: GET /reports/overview over the read models of 300 units
// for two years (the scale test's fill), as the committee and as a unit
// head. docs/PERFORMANCE.md records its numbers.
func BenchmarkReportRoute(b *testing.B) {
	env := apptest.New(b)
	var cfg leave.Config
	if err := config.LoadFrom(&cfg, func(string) (string, bool) { return "", false }); err != nil {
		b.Fatal(err)
	}
	cfg.HTTPAddr = "127.0.0.1:0"
	svc, err := leave.New(context.Background(), env.Deps, cfg)
	if err != nil {
		b.Fatal(err)
	}
	apptest.Run(b, svc.Run)
	reporttest.Fill(b, env, "leave", `
		INSERT INTO report_leave_year (unit_id, year, members, entitled, taken, unused, extra_fen, missing_pay)
		SELECT u, y, 300, 3000, 2100, 900, 82758600, 3 FROM unnest($1::text[]) u, generate_series(2025, 2026) y`, `
		INSERT INTO report_health_year (unit_id, year, booked, completed)
		SELECT u, y, 20, 250 FROM unnest($1::text[]) u, generate_series(2025, 2026) y`, `
		INSERT INTO report_unit_members (unit_id, active) SELECT u, 300 FROM unnest($1::text[]) u`, `
		INSERT INTO recuperation_quotas (year, unit_id, places, used, updated_by, updated_at)
		SELECT y, u, 10, 6, 'seed', now() FROM unnest($1::text[]) u, generate_series(2025, 2026) y`, `
		INSERT INTO leave_uptake_targets (year, basis_points, set_by, set_at) VALUES (2026, 7500, 'seed', now())`,
		`ANALYZE report_leave_year`, `ANALYZE report_health_year`, `ANALYZE report_unit_members`, `ANALYZE recuperation_quotas`)
	reporttest.BenchmarkRoute(b, env, svc.Handler(), "leave")
}
