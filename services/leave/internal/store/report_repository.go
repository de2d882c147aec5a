package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/report"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// ReportSQL reads every section of the leave and care overview in one
// statement: one round trip and one snapshot (a statement sees one), so
// the sections agree without a transaction around them. It reads the read
// models of migration 00080 and the quota and round rows (one per unit and
// year) only. Each row is one figure of one section (the report*
// constants) in a shape every section fits. $1, $2 are the first and last
// year, $3 the units (NULL: every unit), $4 today in Shanghai: a unit's
// members are counted as they are now. Exported for the EXPLAIN guard.
//
// The rows come sorted by section, then by their keys in byte order: the
// first branch's COLLATE "C" is the whole union's, so the sort compares
// bytes instead of calling the database's collation for every pair
// (which cost more than the scans at province scale).
const ReportSQL = `WITH y AS (SELECT generate_series($1::integer, $2::integer) AS year),
		hy AS (SELECT * FROM report_health_year WHERE year BETWEEN $1 AND $2 AND ($3::text[] IS NULL OR unit_id = ANY($3))),
		u AS (SELECT unit_id FROM report_unit_members WHERE active > 0 AND ($3::text[] IS NULL OR unit_id = ANY($3))
			UNION SELECT unit_id FROM hy)
		SELECT 1 AS section, year, unit_id COLLATE "C" AS unit_id, '' AS set_by, members::bigint AS a, entitled::bigint AS b, taken::bigint AS c,
			unused::bigint AS d, extra_fen::bigint AS e, missing_pay::bigint AS f
		FROM report_leave_year
		WHERE year BETWEEN $1 AND $2 AND ($3::text[] IS NULL OR unit_id = ANY($3)) AND members > 0
	UNION ALL
		SELECT 2, year, '', set_by, basis_points, version, 0, 0, 0, 0 FROM leave_uptake_targets
		WHERE year BETWEEN $1 AND $2
	UNION ALL
		SELECT 3, year, unit_id, '', places, used, 0, 0, 0, 0 FROM recuperation_quotas
		WHERE year BETWEEN $1 AND $2 AND ($3::text[] IS NULL OR unit_id = ANY($3))
	UNION ALL
		SELECT 4, y.year, u.unit_id, '', coalesce(m.active, 0), coalesce(h.booked, 0), coalesce(h.completed, 0),
			CASE WHEN $4::date > coalesce(r.closes, make_date(y.year, 12, 31))
				THEN greatest(coalesce(m.active, 0) - coalesce(h.booked, 0) - coalesce(h.completed, 0), 0) ELSE 0 END, 0, 0
		FROM u CROSS JOIN y
		LEFT JOIN report_unit_members m ON m.unit_id = u.unit_id
		LEFT JOIN hy h ON h.unit_id = u.unit_id AND h.year = y.year
		LEFT JOIN health_check_rounds r ON r.unit_id = u.unit_id AND r.year = y.year
		WHERE y.year <= extract(year FROM $4::date)
	ORDER BY section, year, unit_id`

// The sections of ReportSQL's rows.
const (
	reportUptake = 1 + iota
	reportTargets
	reportRecuperation
	reportHealth
)

// Report reads the leave and care figures of the work overview for the
// years f's months touch, with ReportSQL.
func (s *Store) Report(ctx context.Context, f report.Filter) (domain.Report, error) {
	r := domain.Report{Uptake: []domain.UnitUptake{}, Targets: []domain.UptakeTarget{},
		Recuperation: []domain.RecuperationUse{}, HealthChecks: []domain.HealthCheckFigures{}}
	var (
		section, year    int
		unit, setBy      string
		a, b, c, d, e, g int64
	)
	err := report.ReadSections(ctx, s.db, ReportSQL, []any{f.From.Year(), f.To.Year(), f.UnitsArg(), dateArg(s.today())},
		[]any{&section, &year, &unit, &setBy, &a, &b, &c, &d, &e, &g}, func() error {
			switch section {
			case reportUptake:
				r.Uptake = append(r.Uptake, domain.UnitUptake{UnitID: unit, Year: year, Members: int(a), Entitled: int(b), Taken: int(c),
					Unused: int(d), ExtraFen: e, MissingPay: int(g), BasisPoints: domain.BasisPoints(int(c), int(b))})
			case reportTargets:
				r.Targets = append(r.Targets, domain.UptakeTarget{Year: year, BasisPoints: int(a), Version: b, SetBy: setBy})
			case reportRecuperation:
				r.Recuperation = append(r.Recuperation, domain.RecuperationUse{UnitID: unit, Year: year, Places: int(a), Used: int(b)})
			case reportHealth:
				r.HealthChecks = append(r.HealthChecks, domain.HealthCheckFigures{UnitID: unit, Year: year, Active: int(a), Booked: int(b),
					Completed: int(c), Overdue: int(d)})
			default:
				return fmt.Errorf("unknown section %d", section)
			}
			return nil
		})
	return r, err
}

// SetUptakeTarget records the committee's uptake target for year, in basis
// points, with an audit row. version is the If-Match of a change (0: none
// sent, last writer wins); a stale one is ErrVersionMismatch.
func (s *Store) SetUptakeTarget(ctx context.Context, year, basisPoints int, version int64, actor string) (domain.UptakeTarget, error) {
	var out domain.UptakeTarget
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var before *domain.UptakeTarget
		var cur domain.UptakeTarget
		err := sqlx.GetContext(ctx, tx, &cur, `SELECT year, basis_points, version, set_by FROM leave_uptake_targets WHERE year = $1 FOR UPDATE`, year)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("read uptake target: %w", err)
		default:
			before = &cur
		}
		if version > 0 && (before == nil || before.Version != version) {
			return ErrVersionMismatch
		}
		if err := sqlx.GetContext(ctx, tx, &out, `INSERT INTO leave_uptake_targets (year, basis_points, set_by, set_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (year) DO UPDATE SET basis_points = EXCLUDED.basis_points, set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at,
				version = leave_uptake_targets.version + 1
			RETURNING year, basis_points, version, set_by`, year, basisPoints, actor, s.clk.Now()); err != nil {
			return fmt.Errorf("set uptake target: %w", err)
		}
		return s.audit(ctx, tx, actor, "leave.uptake_target.set", "leave_uptake_target", fmt.Sprint(year), before, out)
	})
	return out, err
}

// RebuildReports recomputes the reporting tables from the facts.
func (s *Store) RebuildReports(ctx context.Context) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT leave_reports_rebuild()`); err != nil {
			return fmt.Errorf("rebuild reports: %w", err)
		}
		return nil
	})
}
