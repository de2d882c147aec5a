package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/report"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

// ReportSQL reads every section of the grants overview in one statement:
// one round trip and one snapshot (a statement sees one), so the sections
// agree without a transaction around them. It reads the read models of
// migration 00080 and the funds and programmes rows only. Each row is one
// figure of one section (the report* constants) in a shape every section
// fits, NULL where a section has no such key (a NULL costs the driver no
// allocation, an empty string one per column and row: 3,900 rows × 11
// columns made the route slower than five queries). Exported for the
// EXPLAIN guard.
//
// $1, $2: first and last month; $3: units (NULL: every unit); $4: today in
// Shanghai; $5: a report of every unit (the fund and the programmes are
// county-wide, so only such a report has them); $6, $7: first and last
// fiscal year.
//
// Grants paid by month and by unit are two grouping sets of one scan; the
// applications waiting are summed per unit and step once, each age a
// FILTER of that sum, rather than grouped by an age label computed per
// row (docs/PERFORMANCE.md).
//
// The rows come sorted by section, then by their keys in byte order: the
// first branch's COLLATE "C" is the whole union's, so the sort compares
// bytes instead of calling the database's collation for every pair
// (which cost more than the scans at province scale).
const ReportSQL = `SELECT 1 AS section, p.fiscal_year AS year, to_char(p.month, 'YYYY-MM') COLLATE "C" AS month,
			NULL::text COLLATE "C" AS unit_id, NULL::text COLLATE "C" AS k, NULL::text COLLATE "C" AS k2, NULL::text[] AS program,
			p.appropriation AS a, p.committed AS b, p.disbursed AS c FROM (
			SELECT f.fiscal_year, r.month, f.appropriation,
				(sum(r.committed) OVER w)::bigint AS committed, (sum(r.disbursed) OVER w)::bigint AS disbursed
			FROM report_fund_month r JOIN funds f ON f.id = r.fund_id
			WHERE $5::boolean
			WINDOW w AS (PARTITION BY r.fund_id ORDER BY r.month)) p
		WHERE p.month BETWEEN $1::date AND $2::date
	UNION ALL
		SELECT 2, f.fiscal_year, NULL, NULL, p.code, NULL, ARRAY[p.id::text, p.name_zh, p.name_en], p.allocation, p.committed, p.disbursed
		FROM programs p JOIN funds f ON f.id = p.fund_id
		WHERE $5::boolean AND f.fiscal_year BETWEEN $6 AND $7
	UNION ALL
		SELECT 3 + grouping(month), 0, to_char(month, 'YYYY-MM'), unit_id, NULL, NULL, NULL, sum(payments), sum(amount)::bigint, 0
		FROM report_disbursements_month
		WHERE month BETWEEN $1::date AND $2::date AND ($3::text[] IS NULL OR unit_id = ANY($3)) AND payments > 0
		GROUP BY GROUPING SETS ((month), (unit_id))
	UNION ALL
		SELECT 5, 0, NULL, w.unit_id, w.state, b.age, NULL, b.applications, 0, 0 FROM (
			SELECT unit_id, state,
				sum(applications) FILTER (WHERE since >= $4::date - 7) AS d7,
				sum(applications) FILTER (WHERE since < $4::date - 7 AND since >= $4::date - 30) AS d30,
				sum(applications) FILTER (WHERE since < $4::date - 30 AND since >= $4::date - 90) AS d90,
				sum(applications) FILTER (WHERE since < $4::date - 90) AS older
			FROM report_waiting
			WHERE applications > 0 AND state IN ('submitted', 'reviewed', 'approved') AND ($3::text[] IS NULL OR unit_id = ANY($3))
			GROUP BY unit_id, state) w,
		LATERAL (VALUES ('0-7', w.d7), ('8-30', w.d30), ('31-90', w.d90), ('91+', w.older)) AS b(age, applications)
		WHERE b.applications IS NOT NULL
	ORDER BY section, year, month, unit_id, k, k2`

// The sections of ReportSQL's rows.
const (
	reportFund = 1 + iota
	reportPrograms
	reportDisbursements
	reportDisbursementsByUnit
	reportWaiting
)

// Report reads the grants figures of the work overview for f on now with
// ReportSQL. The fund and the programmes are county-wide, so they are in a
// report of every unit only.
func (s *Store) Report(ctx context.Context, f report.Filter, now time.Time) (domain.Report, error) {
	r := domain.Report{FundPosition: []domain.FundMonth{}, Programs: []domain.ProgramUse{},
		Disbursements: []domain.DisbursementMonth{}, DisbursementsByUnit: []domain.DisbursementMonth{}, Waiting: []domain.WaitingCount{}}
	today := now.In(clock.Shanghai).Format(time.DateOnly)
	var (
		section, year      int
		month, unit, k, k2 sql.NullString
		program            pq.StringArray // id, name_zh, name_en
		a, b, c            int64
	)
	err := report.ReadSections(ctx, s.DB, ReportSQL, []any{f.FromDate(), f.ToDate(), f.UnitsArg(), today, f.All, f.From.Year(), f.To.Year()},
		[]any{&section, &year, &month, &unit, &k, &k2, &program, &a, &b, &c}, func() error {
			switch section {
			case reportFund:
				r.FundPosition = append(r.FundPosition, domain.FundMonth{FiscalYear: year, Month: month.String, Appropriation: a, Committed: b, Disbursed: c})
			case reportPrograms:
				if len(program) != 3 {
					return fmt.Errorf("programme %s: %d names", k.String, len(program))
				}
				r.Programs = append(r.Programs, domain.ProgramUse{FiscalYear: year, ProgramID: program[0], Code: k.String, NameZH: program[1], NameEN: program[2],
					Allocation: a, Committed: b, Disbursed: c})
			case reportDisbursements:
				r.Disbursements = append(r.Disbursements, domain.DisbursementMonth{Month: month.String, Payments: int(a), Amount: b})
			case reportDisbursementsByUnit:
				r.DisbursementsByUnit = append(r.DisbursementsByUnit, domain.DisbursementMonth{UnitID: unit.String, Payments: int(a), Amount: b})
			case reportWaiting:
				r.Waiting = append(r.Waiting, domain.WaitingCount{UnitID: unit.String, State: k.String, Age: k2.String, Applications: int(a)})
			default:
				return fmt.Errorf("unknown section %d", section)
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
