package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// A member's injury leave and a unit's balances page by key like the care
// lists (carestore, with the health-check compliance): each reads its
// members after the cursor's, on an index in that order, and computes only
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
