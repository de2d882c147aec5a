package grants_test

import (
	"context"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/config"
	"github.com/anxin-welfare/anxin/pkg/report/reporttest"
	"github.com/anxin-welfare/anxin/services/grants"
)

// BenchmarkReportRoute is the grants part of the work overview at
// province scale: GET /reports/overview over read models of 300 units × 24
// months and a waiting queue of every unit (the scale test's fill), as the
// committee and as a unit head. docs/PERFORMANCE.md records its numbers.
func BenchmarkReportRoute(b *testing.B) {
	env := apptest.New(b)
	var cfg grants.Config
	if err := config.LoadFrom(&cfg, func(string) (string, bool) { return "", false }); err != nil {
		b.Fatal(err)
	}
	cfg.HTTPAddr = "127.0.0.1:0"
	svc, err := grants.New(context.Background(), env.Deps, cfg)
	if err != nil {
		b.Fatal(err)
	}
	apptest.Run(b, svc.Run)
	reporttest.Fill(b, env, "grants", `
		INSERT INTO report_disbursements_month (unit_id, month, payments, amount)
		SELECT u, ($2::date + make_interval(months => m))::date, 3, 1500000
		FROM unnest($1::text[]) u, generate_series(0, $3::integer - 1) m`, `
		INSERT INTO report_waiting (unit_id, state, since, applications)
		SELECT u, st, '2026-11-27'::date - d, 1
		FROM unnest($1::text[]) u, unnest(ARRAY['submitted', 'reviewed', 'approved']) st, generate_series(0, 120, 6) d`,
		`ANALYZE report_disbursements_month`, `ANALYZE report_waiting`)
	reporttest.BenchmarkRoute(b, env, svc.Handler(), "grants")
}
