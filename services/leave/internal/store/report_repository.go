package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/report"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// The reporting queries read the read models of migration 00080 and the
// quota and round rows (one per unit and year) only. $1, $2 are the first
// and last year, $3 the units (NULL: every unit). Exported for the EXPLAIN
// guard.
const (
	ReportUptakeSQL = `SELECT unit_id, year, members, entitled, taken, unused, extra_fen, missing_pay
		FROM report_leave_year
		WHERE year BETWEEN $1 AND $2 AND ($3::text[] IS NULL OR unit_id = ANY($3)) AND members > 0
		ORDER BY year, unit_id`
	ReportTargetsSQL = `SELECT year, basis_points, version, set_by FROM leave_uptake_targets
		WHERE year BETWEEN $1 AND $2 ORDER BY year`
	ReportRecuperationSQL = `SELECT unit_id, year, places, used FROM recuperation_quotas
		WHERE year BETWEEN $1 AND $2 AND ($3::text[] IS NULL OR unit_id = ANY($3))
		ORDER BY year, unit_id`
	// $4: today in Shanghai. A unit's members are counted as they are now.
	ReportHealthSQL = `WITH y AS (SELECT generate_series($1::integer, $2::integer) AS year),
		hy AS (SELECT * FROM report_health_year WHERE year BETWEEN $1 AND $2 AND ($3::text[] IS NULL OR unit_id = ANY($3))),
		u AS (SELECT unit_id FROM report_unit_members WHERE active > 0 AND ($3::text[] IS NULL OR unit_id = ANY($3))
			UNION SELECT unit_id FROM hy)
		SELECT u.unit_id, y.year, coalesce(m.active, 0) AS active, coalesce(h.booked, 0) AS booked, coalesce(h.completed, 0) AS completed,
			CASE WHEN $4::date > coalesce(r.closes, make_date(y.year, 12, 31))
				THEN greatest(coalesce(m.active, 0) - coalesce(h.booked, 0) - coalesce(h.completed, 0), 0) ELSE 0 END AS overdue
		FROM u CROSS JOIN y
		LEFT JOIN report_unit_members m ON m.unit_id = u.unit_id
		LEFT JOIN hy h ON h.unit_id = u.unit_id AND h.year = y.year
		LEFT JOIN health_check_rounds r ON r.unit_id = u.unit_id AND r.year = y.year
		WHERE y.year <= extract(year FROM $4::date)
		ORDER BY y.year, u.unit_id`
)

// Report reads the leave and care figures of the work overview for the
// years f's months touch, in one read-only snapshot.
func (s *Store) Report(ctx context.Context, f report.Filter) (domain.Report, error) {
	r := domain.Report{Uptake: []domain.UnitUptake{}, Targets: []domain.UptakeTarget{},
		Recuperation: []domain.RecuperationUse{}, HealthChecks: []domain.HealthCheckFigures{}}
	var units any
	if l := f.UnitList(); l != nil {
		units = pq.Array(l)
	}
	from, to := f.From.Year(), f.To.Year()
	err := report.InSnapshot(ctx, s.db, func(tx *sqlx.Tx) error {
		for _, q := range []struct {
			what string
			dst  any
			sql  string
			args []any
		}{
			{"uptake", &r.Uptake, ReportUptakeSQL, []any{from, to, units}},
			{"targets", &r.Targets, ReportTargetsSQL, []any{from, to}},
			{"recuperation", &r.Recuperation, ReportRecuperationSQL, []any{from, to, units}},
			{"health checks", &r.HealthChecks, ReportHealthSQL, []any{from, to, units, dateArg(s.today())}},
		} {
			if err := sqlx.SelectContext(ctx, tx, q.dst, q.sql, q.args...); err != nil {
				return fmt.Errorf("report %s: %w", q.what, err)
			}
		}
		return nil
	})
	for i := range r.Uptake {
		r.Uptake[i].BasisPoints = domain.BasisPoints(r.Uptake[i].Taken, r.Uptake[i].Entitled)
	}
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
