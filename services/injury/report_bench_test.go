package injury

import (
	"context"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/config"
	"github.com/anxin-welfare/anxin/pkg/report/reporttest"
)

// BenchmarkReportRoute is the injury part of the work overview at
// province scale: GET /reports/overview over read models of 300 units × 24
// months (the scale test's fill), as the committee and as a unit head.
// docs/PERFORMANCE.md records its numbers.
func BenchmarkReportRoute(b *testing.B) {
	env := apptest.New(b)
	var cfg Config
	if err := config.LoadFrom(&cfg, func(string) (string, bool) { return "", false }); err != nil {
		b.Fatal(err)
	}
	cfg.HTTPAddr = "127.0.0.1:0"
	svc, err := New(context.Background(), env.Deps, cfg)
	if err != nil {
		b.Fatal(err)
	}
	apptest.Run(b, svc.Run)
	reporttest.Fill(b, env, "injury", `
		INSERT INTO report_cases_month (unit_id, month, severity, opened)
		SELECT u, ($2::date + make_interval(months => m))::date, sv, 1 + (m % 3)
		FROM unnest($1::text[]) u, generate_series(0, $3::integer - 1) m, unnest(ARRAY['critical', 'serious', 'minor']) sv`, `
		INSERT INTO report_durations_month (unit_id, month, ack_seconds, handoff_seconds, determination_days)
		SELECT u, ($2::date + make_interval(months => m))::date, ARRAY[600, 1800, 3600, 7200, 900], ARRAY[3600, 7200, 10800, 14400, 5400], ARRAY[20, 35, 50, 61]
		FROM unnest($1::text[]) u, generate_series(0, $3::integer - 1) m`, `
		INSERT INTO report_sla_month (unit_id, month, kind, met, breached)
		SELECT u, ($2::date + make_interval(months => m))::date, k, 9, 1
		FROM unnest($1::text[]) u, generate_series(0, $3::integer - 1) m, unnest(ARRAY['acknowledgement', 'handoff', 'unit_filing', 'decision']) k`, `
		INSERT INTO report_escalations_month (unit_id, month, level, escalations)
		SELECT u, ($2::date + make_interval(months => m))::date, l, 1
		FROM unnest($1::text[]) u, generate_series(0, $3::integer - 1) m, unnest(ARRAY['unit_head', 'committee']) l`, `
		INSERT INTO report_open_stage (unit_id, state, cases)
		SELECT u, st, 2 FROM unnest($1::text[]) u, unnest(ARRAY['triage', 'treatment', 'determination_filing']) st`,
		`ANALYZE report_cases_month`, `ANALYZE report_durations_month`, `ANALYZE report_sla_month`, `ANALYZE report_escalations_month`, `ANALYZE report_open_stage`)
	reporttest.BenchmarkRoute(b, env, svc.Handler(), "injury")
}
