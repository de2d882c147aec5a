package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/report"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

// ReportSQL reads every section of the injury overview from the read
// models of migration 00080 in one statement: one round trip and one
// snapshot (a statement sees one), so the sections agree with each other
// without a transaction around them. $1 and $2 are the first and last
// month, $3 the units (NULL: every unit). Each row is one figure of one
// section (the report* constants), in a shape every section fits: month,
// unit, a key (severity, metric, kind, level or state) and up to three
// numbers; NULL where a section has no month or unit (a NULL costs the
// driver no allocation, an empty string one). Exported for the EXPLAIN guard.
//
// At province scale (300 units × 12 months) the cost is the rows the
// sections read, so each reads them once: cases opened by month and by
// unit are two grouping sets of one scan, and the three duration metrics
// are unnested together from one scan, each metric's median and p90 one
// sort of that metric's integers (percentile_disc of an array of
// fractions). docs/PERFORMANCE.md has the plans and the numbers.
//
// The rows come sorted by section, then by their keys in byte order: the
// first branch's COLLATE "C" is the whole union's, so the sort compares
// bytes instead of calling the database's collation for every pair
// (which cost more than the scans at province scale).
const ReportSQL = `SELECT 1 + grouping(month) AS section, to_char(month, 'YYYY-MM') COLLATE "C" AS month,
			unit_id COLLATE "C" AS unit_id, severity COLLATE "C" AS k, sum(opened) AS a, 0::bigint AS b, 0::bigint AS c
		FROM report_cases_month
		WHERE month BETWEEN $1::date AND $2::date AND ($3::text[] IS NULL OR unit_id = ANY($3)) AND opened > 0
		GROUP BY GROUPING SETS ((month, severity), (unit_id, severity))
	UNION ALL
		SELECT 3, NULL, NULL, m.metric, m.cases, m.p[1], m.p[2] FROM (
			SELECT count(ack) AS ack_n, percentile_disc(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ack) AS ack_p,
				count(handoff) AS handoff_n, percentile_disc(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY handoff) AS handoff_p,
				count(det) AS det_n, percentile_disc(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY det) AS det_p
			FROM report_durations_month r, unnest(r.ack_seconds, r.handoff_seconds, r.determination_days) AS x(ack, handoff, det)
			WHERE r.month BETWEEN $1::date AND $2::date AND ($3::text[] IS NULL OR r.unit_id = ANY($3))) d,
		LATERAL (VALUES ('acknowledgement', d.ack_n, d.ack_p), ('determination', d.det_n, d.det_p), ('handoff', d.handoff_n, d.handoff_p)) AS m(metric, cases, p)
		WHERE m.cases > 0
	UNION ALL
		SELECT 4, NULL, NULL, kind, sum(met), sum(breached), 0
		FROM report_sla_month
		WHERE month BETWEEN $1::date AND $2::date AND ($3::text[] IS NULL OR unit_id = ANY($3))
		GROUP BY kind
	UNION ALL
		SELECT 5, to_char(month, 'YYYY-MM'), NULL, level, sum(escalations), 0, 0
		FROM report_escalations_month
		WHERE month BETWEEN $1::date AND $2::date AND ($3::text[] IS NULL OR unit_id = ANY($3))
		GROUP BY month, level
	UNION ALL
		SELECT 6, NULL, unit_id, state, cases, 0, 0 FROM report_open_stage
		WHERE ($3::text[] IS NULL OR unit_id = ANY($3)) AND cases > 0
	ORDER BY section, month, unit_id, k`

// The sections of ReportSQL's rows.
const (
	reportOpenedByMonth = 1 + iota
	reportOpenedByUnit
	reportDurations
	reportSLA
	reportEscalations
	reportOpenStage
)

// Report reads the injury figures of the work overview for f with
// ReportSQL.
func (s *Store) Report(ctx context.Context, f report.Filter) (domain.Report, error) {
	r := domain.Report{OpenedByMonth: []domain.OpenedCount{}, OpenedByUnit: []domain.OpenedCount{}, Durations: []domain.DurationStat{}, SLA: []domain.SLACount{},
		Escalations: []domain.EscalationCount{}, OpenByStage: []domain.StageCount{}}
	var (
		section     int
		month, unit sql.NullString
		k           string
		a, b, c     int64
	)
	err := report.ReadSections(ctx, s.db, ReportSQL, []any{f.FromDate(), f.ToDate(), f.UnitsArg()},
		[]any{&section, &month, &unit, &k, &a, &b, &c}, func() error {
			switch section {
			case reportOpenedByMonth:
				r.OpenedByMonth = append(r.OpenedByMonth, domain.OpenedCount{Month: month.String, Severity: k, Cases: int(a)})
			case reportOpenedByUnit:
				r.OpenedByUnit = append(r.OpenedByUnit, domain.OpenedCount{UnitID: unit.String, Severity: k, Cases: int(a)})
			case reportDurations:
				r.Durations = append(r.Durations, domain.DurationStat{Metric: k, Cases: int(a), Median: b, P90: c})
			case reportSLA:
				r.SLA = append(r.SLA, domain.SLACount{Kind: k, Met: int(a), Breached: int(b)})
			case reportEscalations:
				r.Escalations = append(r.Escalations, domain.EscalationCount{Month: month.String, Level: k, Escalations: int(a)})
			case reportOpenStage:
				r.OpenByStage = append(r.OpenByStage, domain.StageCount{UnitID: unit.String, State: k, Cases: int(a)})
			default:
				return fmt.Errorf("unknown section %d", section)
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
