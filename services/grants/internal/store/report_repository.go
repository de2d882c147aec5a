package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/report"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

// The reporting queries read the read models of migration 00080 and the
// funds and programmes rows only. Exported for the EXPLAIN guard.
const (
	// $1, $2: first and last month.
	ReportFundSQL = `SELECT fiscal_year, to_char(month, 'YYYY-MM') AS month, appropriation, committed, disbursed FROM (
			SELECT f.fiscal_year, r.month, f.appropriation,
				sum(r.committed) OVER w AS committed, sum(r.disbursed) OVER w AS disbursed
			FROM report_fund_month r JOIN funds f ON f.id = r.fund_id
			WINDOW w AS (PARTITION BY r.fund_id ORDER BY r.month)) p
		WHERE month BETWEEN $1::date AND $2::date ORDER BY fiscal_year, p.month`
	// $1, $2: first and last fiscal year.
	ReportProgramsSQL = `SELECT f.fiscal_year, p.id AS program_id, p.code, p.name_zh, p.name_en, p.allocation, p.committed, p.disbursed
		FROM programs p JOIN funds f ON f.id = p.fund_id
		WHERE f.fiscal_year BETWEEN $1 AND $2 ORDER BY f.fiscal_year, p.code`
	// $1, $2: first and last month; $3: units (NULL: every unit).
	ReportDisbursementsSQL = `SELECT to_char(month, 'YYYY-MM') AS month, sum(payments)::integer AS payments, sum(amount)::bigint AS amount
		FROM report_disbursements_month
		WHERE month BETWEEN $1::date AND $2::date AND ($3::text[] IS NULL OR unit_id = ANY($3)) AND payments > 0
		GROUP BY report_disbursements_month.month ORDER BY report_disbursements_month.month`
	ReportDisbursementsByUnitSQL = `SELECT unit_id, sum(payments)::integer AS payments, sum(amount)::bigint AS amount
		FROM report_disbursements_month
		WHERE month BETWEEN $1::date AND $2::date AND ($3::text[] IS NULL OR unit_id = ANY($3)) AND payments > 0
		GROUP BY unit_id ORDER BY unit_id`
	// $1: units (NULL: every unit); $2: today in Shanghai.
	ReportWaitingSQL = `SELECT unit_id, state, CASE
				WHEN $2::date - since <= 7 THEN '0-7' WHEN $2::date - since <= 30 THEN '8-30'
				WHEN $2::date - since <= 90 THEN '31-90' ELSE '91+' END AS age,
			sum(applications)::integer AS applications
		FROM report_waiting
		WHERE applications > 0 AND state IN ('submitted', 'reviewed', 'approved') AND ($1::text[] IS NULL OR unit_id = ANY($1))
		GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`
)

// Report reads the grants figures of the work overview for f on now, in
// one read-only snapshot. The fund and the programmes are county-wide, so
// they are in a report of every unit only.
func (s *Store) Report(ctx context.Context, f report.Filter, now time.Time) (domain.Report, error) {
	r := domain.Report{FundPosition: []domain.FundMonth{}, Programs: []domain.ProgramUse{},
		Disbursements: []domain.DisbursementMonth{}, DisbursementsByUnit: []domain.DisbursementMonth{}, Waiting: []domain.WaitingCount{}}
	var units any
	if l := f.UnitList(); l != nil {
		units = pq.Array(l)
	}
	today := now.In(clock.Shanghai).Format(time.DateOnly)
	err := report.InSnapshot(ctx, s.DB, func(tx *sqlx.Tx) error {
		type query struct {
			what string
			dst  any
			sql  string
			args []any
		}
		qs := []query{
			{"disbursements", &r.Disbursements, ReportDisbursementsSQL, []any{f.FromDate(), f.ToDate(), units}},
			{"disbursements by unit", &r.DisbursementsByUnit, ReportDisbursementsByUnitSQL, []any{f.FromDate(), f.ToDate(), units}},
			{"waiting", &r.Waiting, ReportWaitingSQL, []any{units, today}},
		}
		if f.All {
			qs = append(qs, query{"fund", &r.FundPosition, ReportFundSQL, []any{f.FromDate(), f.ToDate()}},
				query{"programs", &r.Programs, ReportProgramsSQL, []any{f.From.Year(), f.To.Year()}})
		}
		for _, q := range qs {
			if err := sqlx.SelectContext(ctx, tx, q.dst, q.sql, q.args...); err != nil {
				return fmt.Errorf("report %s: %w", q.what, err)
			}
		}
		return nil
	})
	return r, err
}

// RebuildReports recomputes the reporting tables from the facts.
func (s *Store) RebuildReports(ctx context.Context) error {
	return pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT grants_reports_rebuild()`); err != nil {
			return fmt.Errorf("rebuild reports: %w", err)
		}
		return nil
	})
}
