package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// A member's injury leave, a unit's balances and the units' health-check
// compliance page by key like the care lists: each reads its members or
// units after the cursor's, on an index in that order, and computes only
// the page.

// InjuryLeavesQuery lists a member's injury leave periods by first day, then
// case, after (from, case) when afterCase is set;
// injury_leaves_member_keyset serves it.
func InjuryLeavesQuery(limit int, memberID string, afterFrom time.Time, afterCase string) (string, []any) {
	q := `SELECT case_id, member_id, from_date, to_date, extension_months FROM injury_leaves WHERE member_id = $1`
	args := []any{memberID}
	if afterCase != "" {
		q += ` AND (from_date, case_id) > ($2::date, $3)`
		args = append(args, dateArg(afterFrom), afterCase)
	}
	args = append(args, limit)
	return q + fmt.Sprintf(` ORDER BY from_date, case_id LIMIT $%d`, len(args)), args
}

// InjuryLeaves lists a page of a member's paid injury leave periods, the
// earliest first.
func (s *Store) InjuryLeaves(ctx context.Context, memberID string, p page.Request) ([]domain.InjuryLeave, string, error) {
	p = pageOf(p)
	var from, caseID string
	ok, err := p.Decode(&from, &caseID)
	if err != nil {
		return nil, "", err
	}
	var after time.Time
	if ok {
		if after, err = time.Parse(time.DateOnly, from); err != nil || caseID == "" {
			return nil, "", badCursor()
		}
	}
	if _, err := s.member(ctx, s.db, memberID, false); err != nil {
		return nil, "", err
	}
	q, args := InjuryLeavesQuery(p.Fetch(), memberID, after, caseID)
	var rows []injuryRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, q, args...); err != nil {
		return nil, "", fmt.Errorf("injury leaves of %s: %w", memberID, err)
	}
	rows, next := page.Trim(p, rows, func(r injuryRow) string { return page.Cursor(r.FromDate.Format(time.DateOnly), r.CaseID) })
	out := make([]domain.InjuryLeave, len(rows))
	for i, r := range rows {
		out[i] = domain.InjuryLeave{CaseID: r.CaseID, MemberID: r.MemberID, From: asDate(r.FromDate), To: asDate(r.ToDate), ExtensionMonths: r.ExtensionMonths}
	}
	return out, next, nil
}

// UnitMembersQuery lists a unit's members by id, after afterMember when it
// is set; members_unit_keyset serves it.
func UnitMembersQuery(limit int, unit, afterMember string) (string, []any) {
	q := `SELECT ` + memberColumns + ` FROM members WHERE unit_id = $1`
	args := []any{unit}
	if afterMember != "" {
		q += ` AND member_id > $2`
		args = append(args, afterMember)
	}
	args = append(args, limit)
	return q + fmt.Sprintf(` ORDER BY member_id LIMIT $%d`, len(args)), args
}

// UnitBalances lists a page of the year's balances of a unit's members, by
// member id.
func (s *Store) UnitBalances(ctx context.Context, unit string, year int, p page.Request) ([]domain.Balance, string, error) {
	p = pageOf(p)
	var after string
	if _, err := p.Decode(&after); err != nil {
		return nil, "", err
	}
	q, args := UnitMembersQuery(p.Fetch(), unit, after)
	var rows []memberRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, q, args...); err != nil {
		return nil, "", fmt.Errorf("members of unit %s: %w", unit, err)
	}
	rows, next := page.Trim(p, rows, func(r memberRow) string { return page.Cursor(r.MemberID) })
	if len(rows) == 0 {
		return nil, "", nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.MemberID
	}
	bs, _, err := s.balances(ctx, s.db, ids, year)
	if err != nil {
		return nil, "", err
	}
	out := make([]domain.Balance, len(ids))
	for i, id := range ids {
		out[i] = bs[id]
	}
	return out, next, nil
}

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
