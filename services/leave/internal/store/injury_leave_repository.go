package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
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

// RecordInjuryLeave applies a case's paid injury leave (from a
// case.leave_changed event) in the consumer's transaction, then brings the
// annual leave given back for injury leave in line with the member's
// periods as they now stand (reconcileInjuryLeave): days a longer period
// covers are given back, days a shorter one no longer covers are taken back.
// Receiving the same period again changes nothing. The caller applies a
// case's events in version order (bus.Advance), so an older period never
// overwrites a newer one.
func (s *Store) RecordInjuryLeave(ctx context.Context, tx *sqlx.Tx, l domain.InjuryLeave) error {
	if err := l.Validate(); err != nil {
		return err
	}
	// A case whose member was corrected moves its leave to the new member:
	// both are reconciled, their rows locked in id order (no deadlock with
	// another case of the same two members).
	var prev string
	err := sqlx.GetContext(ctx, tx, &prev, `SELECT member_id FROM injury_leaves WHERE case_id = $1`, l.CaseID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("injury leave %s: %w", l.CaseID, err)
	}
	members := []string{l.MemberID}
	if prev != "" && prev != l.MemberID {
		members = append(members, prev)
		slices.Sort(members)
	}
	for _, id := range members {
		if _, err := s.member(ctx, tx, id, true); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO injury_leaves (case_id, member_id, from_date, to_date, extension_months, updated_at)
VALUES ($1, $2, $3::date, $4::date, $5, $6)
ON CONFLICT (case_id) DO UPDATE SET member_id = EXCLUDED.member_id, from_date = EXCLUDED.from_date, to_date = EXCLUDED.to_date,
	extension_months = EXCLUDED.extension_months, updated_at = EXCLUDED.updated_at, version = injury_leaves.version + 1`,
		l.CaseID, l.MemberID, dateArg(l.From), dateArg(l.To), l.ExtensionMonths, s.clk.Now()); err != nil {
		return fmt.Errorf("record injury leave %s: %w", l.CaseID, err)
	}
	var changes []injuryChange
	for _, id := range members {
		cs, err := s.reconcileInjuryLeave(ctx, tx, id)
		if err != nil {
			return err
		}
		changes = append(changes, cs...)
	}
	return s.audit(ctx, tx, "system:leave", "leave.injury_leave.record", "injury_leave", l.CaseID, nil,
		map[string]any{"member_id": l.MemberID, "from": dateArg(l.From), "to": dateArg(l.To), "give_backs": changes})
}

// injuryChange is one booked give-back change, as the audit trail records it.
type injuryChange struct {
	RequestID string   `json:"request_id"`
	Year      int      `json:"year"`
	Before    int      `json:"before"`
	After     int      `json:"after"`
	Covered   []string `json:"covered"`
	// BookedIn is the leave year the entry went to: Year, or the first open
	// year after it when Year is closed.
	BookedIn int `json:"booked_in"`
	// Negative is set when the entry took the balance of BookedIn below zero.
	Negative bool `json:"negative"`
}

// reconcileInjuryLeave books, for each approved request of memberID (whose
// row the caller holds locked), the change that makes its given-back days
// equal the working days the member's injury leave covers now, and records
// the new count on the request (restored_days, the state that makes a
// second run book nothing). Every change is a new ledger entry
// (domain.InjuryGiveBack.Entry says which): in the request's year while it
// is open, else in the first open year after it. Days taken back are booked
// even when the balance has been used meanwhile; the entry's reason then
// says the balance is negative. Days given back are booked before days taken
// back, so a period that only moved does not show a negative balance on the way.
func (s *Store) reconcileInjuryLeave(ctx context.Context, tx *sqlx.Tx, memberID string) ([]injuryChange, error) {
	injuries, err := s.injuryLeaves(ctx, tx, memberID)
	if err != nil {
		return nil, err
	}
	var rows []requestRow
	if err := sqlx.SelectContext(ctx, tx, &rows, `SELECT `+requestColumns+` FROM `+requestFrom+`
WHERE r.member_id = $1 AND r.status = 'approved' AND (r.restored_days > 0 OR EXISTS (
	SELECT 1 FROM injury_leaves i WHERE i.member_id = r.member_id
	AND daterange(i.from_date, i.to_date, '[]') && daterange(r.from_date, r.to_date, '[]')))
ORDER BY r.from_date FOR UPDATE OF r`, memberID); err != nil {
		return nil, fmt.Errorf("requests under injury leave: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	reqs := make([]domain.LeaveRequest, len(rows))
	years := map[int]bool{}
	for i, r := range rows {
		reqs[i] = r.domain()
		years[reqs[i].From.Year()] = true
	}
	cals, _, err := s.Calendars(ctx, tx, slices.Sorted(maps.Keys(years))...)
	if err != nil {
		return nil, err
	}
	gbs, err := domain.ReconcileInjuryLeave(cals, injuries, reqs)
	if err != nil || len(gbs) == 0 {
		return nil, err
	}
	var closed []int
	if err := sqlx.SelectContext(ctx, tx, &closed, `SELECT year FROM year_closings WHERE member_id = $1`, memberID); err != nil {
		return nil, fmt.Errorf("closed years of %s: %w", memberID, err)
	}
	slices.SortStableFunc(gbs, func(a, b domain.InjuryGiveBack) int { return b.Change() - a.Change() })
	now, today := s.clk.Now(), s.today()
	days := map[int]int{} // balance of each year booked in, as entries are added
	out := make([]injuryChange, 0, len(gbs))
	for _, g := range gbs {
		year := g.Year
		for slices.Contains(closed, year) {
			year++
		}
		if _, ok := days[year]; !ok {
			b, _, err := s.balance(ctx, tx, memberID, year)
			if err != nil {
				return nil, err
			}
			days[year] = b.Days
		}
		days[year] += g.Change()
		negative := g.Change() < 0 && days[year] < 0
		if err := s.appendEntries(ctx, tx, g.Entry(year, negative, "system:leave", today, now)); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE leave_requests SET restored_days = $2, version = version + 1, updated_at = $3 WHERE id = $1`,
			g.RequestID, g.After, now); err != nil {
			return nil, fmt.Errorf("restore request %s: %w", g.RequestID, err)
		}
		c := injuryChange{RequestID: g.RequestID, Year: g.Year, Before: g.Before, After: g.After, BookedIn: year, Negative: negative, Covered: []string{}}
		for _, d := range g.Covered {
			c.Covered = append(c.Covered, dateArg(d))
		}
		out = append(out, c)
	}
	return out, nil
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
