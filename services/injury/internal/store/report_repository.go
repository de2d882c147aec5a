package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/report"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

// The reporting queries read the read models of migration 00080 only. $1
// and $2 are the first and last month, $3 the units (NULL: every unit).
// Exported for the EXPLAIN guard.
const (
	ReportOpenedByMonthSQL = `SELECT to_char(month, 'YYYY-MM') AS month, severity, sum(opened)::integer AS cases
		FROM report_cases_month
		WHERE month BETWEEN $1::date AND $2::date AND ($3::text[] IS NULL OR unit_id = ANY($3)) AND opened > 0
		GROUP BY report_cases_month.month, severity ORDER BY report_cases_month.month, severity`
	ReportOpenedByUnitSQL = `SELECT unit_id, severity, sum(opened)::integer AS cases
		FROM report_cases_month
		WHERE month BETWEEN $1::date AND $2::date AND ($3::text[] IS NULL OR unit_id = ANY($3)) AND opened > 0
		GROUP BY unit_id, severity ORDER BY unit_id, severity`
	// Each metric's percentiles sort that metric's integers alone: sorting
	// (metric, value) pairs for one grouped aggregate spilt to disk
	// (external merge) at province scale, 300 units × 12 months.
	ReportDurationsSQL = `WITH d AS MATERIALIZED (
			SELECT ack_seconds, handoff_seconds, determination_days FROM report_durations_month
			WHERE month BETWEEN $1::date AND $2::date AND ($3::text[] IS NULL OR unit_id = ANY($3)))
		SELECT metric, cases, median, p90 FROM (
			SELECT 'acknowledgement' AS metric, count(*) AS cases,
				percentile_disc(0.5) WITHIN GROUP (ORDER BY x) AS median, percentile_disc(0.9) WITHIN GROUP (ORDER BY x) AS p90
			FROM d, unnest(d.ack_seconds) x HAVING count(*) > 0
			UNION ALL SELECT 'determination', count(*), percentile_disc(0.5) WITHIN GROUP (ORDER BY x), percentile_disc(0.9) WITHIN GROUP (ORDER BY x)
			FROM d, unnest(d.determination_days) x HAVING count(*) > 0
			UNION ALL SELECT 'handoff', count(*), percentile_disc(0.5) WITHIN GROUP (ORDER BY x), percentile_disc(0.9) WITHIN GROUP (ORDER BY x)
			FROM d, unnest(d.handoff_seconds) x HAVING count(*) > 0) m
		ORDER BY metric`
	ReportSLASQL = `SELECT kind, sum(met)::integer AS met, sum(breached)::integer AS breached
		FROM report_sla_month
		WHERE month BETWEEN $1::date AND $2::date AND ($3::text[] IS NULL OR unit_id = ANY($3))
		GROUP BY kind ORDER BY kind`
	ReportEscalationsSQL = `SELECT to_char(month, 'YYYY-MM') AS month, level, sum(escalations)::integer AS escalations
		FROM report_escalations_month
		WHERE month BETWEEN $1::date AND $2::date AND ($3::text[] IS NULL OR unit_id = ANY($3))
		GROUP BY report_escalations_month.month, level ORDER BY report_escalations_month.month, level`
	ReportOpenStageSQL = `SELECT unit_id, state, cases FROM report_open_stage
		WHERE ($1::text[] IS NULL OR unit_id = ANY($1)) AND cases > 0
		ORDER BY unit_id, state`
)

// Report reads the injury figures of the work overview for f, in one
// read-only snapshot so that the sections agree with each other.
func (s *Store) Report(ctx context.Context, f report.Filter) (domain.Report, error) {
	r := domain.Report{OpenedByMonth: []domain.OpenedCount{}, OpenedByUnit: []domain.OpenedCount{}, Durations: []domain.DurationStat{}, SLA: []domain.SLACount{},
		Escalations: []domain.EscalationCount{}, OpenByStage: []domain.StageCount{}}
	units := unitsArg(f)
	err := report.InSnapshot(ctx, s.db, func(tx *sqlx.Tx) error {
		for _, q := range []struct {
			what string
			dst  any
			sql  string
			args []any
		}{
			{"opened by month", &r.OpenedByMonth, ReportOpenedByMonthSQL, []any{f.FromDate(), f.ToDate(), units}},
			{"opened by unit", &r.OpenedByUnit, ReportOpenedByUnitSQL, []any{f.FromDate(), f.ToDate(), units}},
			{"durations", &r.Durations, ReportDurationsSQL, []any{f.FromDate(), f.ToDate(), units}},
			{"sla", &r.SLA, ReportSLASQL, []any{f.FromDate(), f.ToDate(), units}},
			{"escalations", &r.Escalations, ReportEscalationsSQL, []any{f.FromDate(), f.ToDate(), units}},
			{"open by stage", &r.OpenByStage, ReportOpenStageSQL, []any{units}},
		} {
			if err := sqlx.SelectContext(ctx, tx, q.dst, q.sql, q.args...); err != nil {
				return fmt.Errorf("report %s: %w", q.what, err)
			}
		}
		return nil
	})
	return r, err
}

// RebuildReports recomputes the reporting tables from the cases, clocks
// and timeline (after a bulk load that bypassed the triggers, or to repair).
func (s *Store) RebuildReports(ctx context.Context) error {
	return pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT injury_reports_rebuild()`); err != nil {
			return fmt.Errorf("rebuild reports: %w", err)
		}
		return nil
	})
}

// unitsArg is the filter's units as a text[] argument, NULL for every unit.
func unitsArg(f report.Filter) any {
	if l := f.UnitList(); l != nil {
		return pq.Array(l)
	}
	return nil
}
