package carestore

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// The units' health-check compliance pages by key like the other lists:
// it reads the units with members after the cursor's, on an index in that
// order, and computes only the page.

// ComplianceUnitsQuery lists the units that have members, by id, of units
// (every unit when nil), after afterUnit when it is set; members_unit_keyset
// serves it.
func ComplianceUnitsQuery(limit int, units []string, afterUnit string) (string, []any) {
	q := `SELECT DISTINCT unit_id FROM members WHERE unit_id > $1`
	args := []any{afterUnit}
	if units != nil {
		args = append(args, pq.Array(units))
		q += fmt.Sprintf(` AND unit_id = ANY($%d)`, len(args))
	}
	args = append(args, limit)
	return q + fmt.Sprintf(` ORDER BY unit_id LIMIT $%d`, len(args)), args
}

// Compliance reports, for year, a page of the units (of units; every unit
// when nil) by unit id: how many active members did their health check,
// booked it, are still due or overdue. The page is a page of units with
// members; a unit none of whose members is active that year has no row, so
// a page may hold fewer rows than its limit and still have a next.
func (s *Store) Compliance(ctx context.Context, year int, units []string, p page.Request) ([]domain.Compliance, string, error) {
	p = pageOf(p)
	var after string
	if _, err := p.Decode(&after); err != nil {
		return nil, "", err
	}
	q, args := ComplianceUnitsQuery(p.Fetch(), units, after)
	var ids []string
	if err := sqlx.SelectContext(ctx, s.db, &ids, q, args...); err != nil {
		return nil, "", fmt.Errorf("units of the compliance report: %w", err)
	}
	ids, next := page.Trim(p, ids, func(u string) string { return page.Cursor(u) })
	if len(ids) == 0 {
		return nil, "", nil
	}
	out, err := s.compliance(ctx, s.db, year, ids)
	return out, next, err
}

func (s *Store) compliance(ctx context.Context, q sqlx.QueryerContext, year int, units []string) ([]domain.Compliance, error) {
	members, err := s.membersOf(ctx, q, units)
	if err != nil {
		return nil, err
	}
	checks, err := s.checks(ctx, q, CheckFilter{Units: units, Year: year})
	if err != nil {
		return nil, err
	}
	rounds, err := s.rounds(ctx, q, year, units)
	if err != nil {
		return nil, err
	}
	return domain.UnitCompliance(members, checks, year, domain.RoundDeadlines(rounds), s.today()), nil
}
