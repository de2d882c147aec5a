package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

type injuryRow struct {
	CaseID          string    `db:"case_id"`
	MemberID        string    `db:"member_id"`
	FromDate        time.Time `db:"from_date"`
	ToDate          time.Time `db:"to_date"`
	ExtensionMonths int       `db:"extension_months"`
}

func (s *Store) injuryLeaves(ctx context.Context, q sqlx.QueryerContext, memberID string) ([]domain.InjuryLeave, error) {
	var rows []injuryRow
	if err := sqlx.SelectContext(ctx, q, &rows, `SELECT case_id, member_id, from_date, to_date, extension_months FROM injury_leaves WHERE member_id = $1 ORDER BY from_date`, memberID); err != nil {
		return nil, fmt.Errorf("injury leaves of %s: %w", memberID, err)
	}
	out := make([]domain.InjuryLeave, len(rows))
	for i, r := range rows {
		out[i] = domain.InjuryLeave{CaseID: r.CaseID, MemberID: r.MemberID, From: asDate(r.FromDate), To: asDate(r.ToDate), ExtensionMonths: r.ExtensionMonths}
	}
	return out, nil
}

// InjuryLeaves lists a member's paid injury leave periods.
func (s *Store) InjuryLeaves(ctx context.Context, memberID string) ([]domain.InjuryLeave, error) {
	if _, err := s.member(ctx, s.db, memberID, false); err != nil {
		return nil, err
	}
	return s.injuryLeaves(ctx, s.db, memberID)
}

// RecordInjuryLeave applies a case's paid injury leave (from a case.* event)
// in the consumer's transaction. Annual leave already approved inside the
// period is given back (停工留薪期 consumes no annual leave, 工伤保险条例
// art. 33); receiving the same period again changes nothing.
func (s *Store) RecordInjuryLeave(ctx context.Context, tx *sqlx.Tx, l domain.InjuryLeave) error {
	if err := l.Validate(); err != nil {
		return err
	}
	if _, err := s.member(ctx, tx, l.MemberID, true); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO injury_leaves (case_id, member_id, from_date, to_date, extension_months, updated_at)
VALUES ($1, $2, $3::date, $4::date, $5, $6)
ON CONFLICT (case_id) DO UPDATE SET from_date = EXCLUDED.from_date, to_date = EXCLUDED.to_date, extension_months = EXCLUDED.extension_months,
	updated_at = EXCLUDED.updated_at, version = injury_leaves.version + 1`,
		l.CaseID, l.MemberID, dateArg(l.From), dateArg(l.To), l.ExtensionMonths, s.clk.Now()); err != nil {
		return fmt.Errorf("record injury leave %s: %w", l.CaseID, err)
	}
	var rows []requestRow
	if err := sqlx.SelectContext(ctx, tx, &rows, `SELECT `+requestColumns+` FROM `+requestFrom+`
WHERE r.member_id = $1 AND r.status = 'approved' AND daterange(r.from_date, r.to_date, '[]') && daterange($2::date, $3::date, '[]') FOR UPDATE OF r`,
		l.MemberID, dateArg(l.From), dateArg(l.To)); err != nil {
		return fmt.Errorf("requests under injury leave: %w", err)
	}
	if len(rows) == 0 {
		return nil
	}
	reqs := make([]domain.LeaveRequest, len(rows))
	years := map[int]bool{}
	for i, r := range rows {
		reqs[i] = r.domain()
		years[reqs[i].From.Year()] = true
	}
	var ys []int
	for y := range years {
		ys = append(ys, y)
	}
	cals, _, err := s.Calendars(ctx, tx, ys...)
	if err != nil {
		return err
	}
	restorations, err := domain.RestoreForInjury(cals, l, reqs)
	if err != nil {
		return err
	}
	now, today := s.clk.Now(), s.today()
	for _, rs := range restorations {
		for _, r := range reqs {
			if r.ID != rs.RequestID {
				continue
			}
			if err := s.appendEntries(ctx, tx, r.ReversalEntry(rs.Days, "leave.reason.injury_leave", "system:leave", today, now)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE leave_requests SET restored_days = restored_days + $2, version = version + 1, updated_at = $3 WHERE id = $1`,
				r.ID, rs.Days, now); err != nil {
				return fmt.Errorf("restore request %s: %w", r.ID, err)
			}
		}
	}
	return s.audit(ctx, tx, "system:leave", "leave.injury_leave.record", "injury_leave", l.CaseID, nil,
		map[string]any{"member_id": l.MemberID, "from": dateArg(l.From), "to": dateArg(l.To), "restorations": restorations})
}

// RememberCase records which member a case concerns.
func (s *Store) RememberCase(ctx context.Context, tx *sqlx.Tx, caseID, memberID string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO injury_cases (case_id, member_id, updated_at) VALUES ($1, $2, $3)
ON CONFLICT (case_id) DO UPDATE SET member_id = EXCLUDED.member_id, updated_at = EXCLUDED.updated_at`, caseID, memberID, s.clk.Now()); err != nil {
		return fmt.Errorf("remember case %s: %w", caseID, err)
	}
	return nil
}

// CaseMember returns the member a case concerns, or ErrNotFound.
func (s *Store) CaseMember(ctx context.Context, tx *sqlx.Tx, caseID string) (string, error) {
	var id string
	err := sqlx.GetContext(ctx, tx, &id, `SELECT member_id FROM injury_cases WHERE case_id = $1`, caseID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("case %s: %w", caseID, err)
	}
	return id, nil
}
