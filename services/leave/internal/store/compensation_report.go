package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// CompensationReport is finance's year-end list of unused-days
// compensation (Regulation art. 5), one line per member with unused days.
type CompensationReport struct {
	Year  int
	Lines []domain.CompensationLine
	// MissingPay lists members with unused days but no pay basis recorded:
	// finance must record it before paying.
	MissingPay []string
	// MissingPayMembers are the same members in the same order, with names.
	MissingPayMembers []domain.MemberRef
	// MissingPayUnits and MissingPayCategories are the same members' units
	// and categories, in the same order.
	MissingPayUnits      []string
	MissingPayCategories []domain.Category
	// PayVersions are the versions of the pay records on file, by member,
	// for a correction sent with If-Match (a member missing pay may have a
	// record of the wrong kind).
	PayVersions map[string]int64
	Normal      money.Fen
	Extra       money.Fen
	Total       money.Fen
}

// Compensation builds the report for year over units (all when nil). Unused
// days are read from the same balances every other report uses: the days
// expired at the rollover, or, before it, the balance less the recorded
// carry-over.
func (s *Store) Compensation(ctx context.Context, year int, units []string) (CompensationReport, error) {
	rep := CompensationReport{Year: year}
	members, err := s.membersOf(ctx, s.db, units)
	if err != nil {
		return rep, err
	}
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = m.ID
	}
	bs, _, err := s.balances(ctx, s.db, ids, year)
	if err != nil {
		return rep, err
	}
	closed, err := s.closings(ctx, s.db, ids, year)
	if err != nil {
		return rep, err
	}
	carry, err := s.carryOverDecisions(ctx, s.db, ids, year)
	if err != nil {
		return rep, err
	}
	pay, versions, err := s.pays(ctx, s.db, ids, year)
	if err != nil {
		return rep, err
	}
	rep.PayVersions = versions
	waived, err := s.waivers(ctx, s.db, ids, year)
	if err != nil {
		return rep, err
	}
	for _, m := range members {
		unused := UnusedDays(bs[m.ID], closed[m.ID], carry[m.ID].Days)
		if unused <= 0 {
			continue
		}
		p, ok := pay[m.ID]
		if !ok {
			rep.missingPay(m)
			continue
		}
		line, err := domain.Compensate(m, year, unused, p, waived[m.ID])
		if err != nil {
			rep.missingPay(m)
			continue
		}
		rep.Lines = append(rep.Lines, line)
		rep.Normal += line.Normal
		rep.Extra += line.Extra
		rep.Total += line.Total
	}
	return rep, nil
}

func (r *CompensationReport) missingPay(m domain.Member) {
	r.MissingPay = append(r.MissingPay, m.ID)
	r.MissingPayMembers = append(r.MissingPayMembers, m.Ref())
	r.MissingPayUnits = append(r.MissingPayUnits, m.UnitID)
	r.MissingPayCategories = append(r.MissingPayCategories, m.Category)
}

// UnusedDays is the days due and not taken in a year: what expired at the
// rollover, or before it the balance less the recorded carry-over.
func UnusedDays(b domain.Balance, closed bool, carry int) int {
	if closed {
		return b.Expired
	}
	return max(0, b.Days-b.Pending-carry)
}

func (s *Store) closings(ctx context.Context, q sqlx.QueryerContext, ids []string, year int) (map[string]bool, error) {
	var rows []string
	if err := sqlx.SelectContext(ctx, q, &rows, `SELECT member_id FROM year_closings WHERE year = $1 AND member_id = ANY($2)`, year, pq.Array(ids)); err != nil {
		return nil, fmt.Errorf("closings: %w", err)
	}
	out := make(map[string]bool, len(rows))
	for _, id := range rows {
		out[id] = true
	}
	return out, nil
}

func (s *Store) pays(ctx context.Context, q sqlx.QueryerContext, ids []string, year int) (map[string]domain.Pay, map[string]int64, error) {
	var rows []struct {
		MemberID string `db:"member_id"`
		Annual   int64  `db:"annual_pay"`
		Monthly  int64  `db:"monthly_wage"`
		Version  int64  `db:"version"`
	}
	if err := sqlx.SelectContext(ctx, q, &rows, `SELECT member_id, annual_pay, monthly_wage, version FROM member_pay WHERE year = $1 AND member_id = ANY($2)`, year, pq.Array(ids)); err != nil {
		return nil, nil, fmt.Errorf("pay: %w", err)
	}
	out, versions := make(map[string]domain.Pay, len(rows)), make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.MemberID] = domain.Pay{AnnualPay: money.Fen(r.Annual), MonthlyWage: money.Fen(r.Monthly)}
		versions[r.MemberID] = r.Version
	}
	return out, versions, nil
}

func (s *Store) waivers(ctx context.Context, q sqlx.QueryerContext, ids []string, year int) (map[string]bool, error) {
	var rows []string
	if err := sqlx.SelectContext(ctx, q, &rows, `SELECT member_id FROM compensation_waivers WHERE year = $1 AND member_id = ANY($2)`, year, pq.Array(ids)); err != nil {
		return nil, fmt.Errorf("waivers: %w", err)
	}
	out := make(map[string]bool, len(rows))
	for _, id := range rows {
		out[id] = true
	}
	return out, nil
}

// SetPay records a member's pay basis for year (a dated parameter finance
// maintains); version 0 creates it.
func (s *Store) SetPay(ctx context.Context, memberID string, year int, p domain.Pay, version int64, actor string) (int64, error) {
	var ps fielderr.List
	if p.AnnualPay < 0 {
		ps.Add("annual_pay", domain.CodeOutOfRange, 0, "∞")
	}
	if p.MonthlyWage < 0 {
		ps.Add("monthly_wage", domain.CodeOutOfRange, 0, "∞")
	}
	if err := ps.Err(); err != nil {
		return 0, err
	}
	var out int64
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := s.member(ctx, tx, memberID, true); err != nil {
			return err
		}
		var current int64
		err := sqlx.GetContext(ctx, tx, &current, `SELECT version FROM member_pay WHERE member_id = $1 AND year = $2 FOR UPDATE`, memberID, year)
		switch {
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("lock pay: %w", err)
		case err == nil && current != version, err != nil && version != 0:
			return ErrVersionMismatch
		}
		out = version + 1
		if _, err := tx.ExecContext(ctx, `INSERT INTO member_pay (member_id, year, annual_pay, monthly_wage, version, updated_by, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (member_id, year) DO UPDATE SET annual_pay = EXCLUDED.annual_pay, monthly_wage = EXCLUDED.monthly_wage,
	version = EXCLUDED.version, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
			memberID, year, int64(p.AnnualPay), int64(p.MonthlyWage), out, actor, s.clk.Now()); err != nil {
			return fmt.Errorf("record pay: %w", err)
		}
		// Pay is financial personal data: the audit row records that it
		// changed, not the amounts.
		return s.audit(ctx, tx, actor, "leave.pay.set", "member", memberID, nil, map[string]any{"year": year, "version": out})
	})
	return out, err
}

// RecordWaiver records that the member chose in writing not to take the
// year's leave (no extra compensation). Recording it twice is a no-op.
func (s *Store) RecordWaiver(ctx context.Context, memberID string, year int, signedOn time.Time, note, actor string) error {
	var ps fielderr.List
	if signedOn.IsZero() || !domain.IsDate(signedOn) {
		ps.Add("signed_on", domain.CodeNotDate)
	}
	if len([]rune(note)) > domain.MaxReasonLen {
		ps.Add("note", domain.CodeTooLong, domain.MaxReasonLen)
	}
	if err := ps.Err(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := s.member(ctx, tx, memberID, true); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO compensation_waivers (member_id, year, signed_on, note, recorded_by, recorded_at)
VALUES ($1, $2, $3::date, $4, $5, $6) ON CONFLICT DO NOTHING`, memberID, year, dateArg(signedOn), note, actor, s.clk.Now())
		if err != nil {
			return fmt.Errorf("record waiver: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return s.audit(ctx, tx, actor, "leave.waiver.record", "member", memberID, nil, map[string]any{"year": year, "signed_on": dateArg(signedOn)})
	})
}
