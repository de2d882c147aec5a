package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
	"github.com/anxin-welfare/anxin/services/leave/internal/wages"
)

// ErrPayImportRejected is returned by a real pay import whose file has a
// problem anywhere: nothing was recorded.
var ErrPayImportRejected = errors.New("pay import rejected")

// Pay import row actions.
const (
	PayCreated   = "create"
	PayUpdated   = "update"
	PayUnchanged = "unchanged"
)

// PayImportRow is what the import does with one row.
type PayImportRow struct {
	Line       int
	MemberID   string
	MemberName string
	UnitID     string
	Action     string
	Pay        domain.Pay
}

// PayImportResult is the outcome of a pay import, or its preview.
type PayImportResult struct {
	Created, Updated, Unchanged int
	Rows                        []PayImportRow
	Problems                    []wages.Problem
}

// ImportPay records the pay basis of year for every row of a wage file,
// all or nothing: a dry run checks and previews, changing nothing; a real
// run with any problem records nothing and returns ErrPayImportRejected
// with the problems. Rows equal to what is on file change nothing, so the
// same file imported twice is a no-op the second time.
func (s *Store) ImportPay(ctx context.Context, year int, rows []wages.Row, dryRun bool, actor string) (PayImportResult, error) {
	var res PayImportResult
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		ids := make([]string, 0, len(rows))
		for _, r := range rows {
			if r.MemberID != "" {
				ids = append(ids, r.MemberID)
			}
		}
		var mrows []memberRow
		if err := sqlx.SelectContext(ctx, tx, &mrows, `SELECT `+memberColumns+` FROM members WHERE member_id = ANY($1)`, pq.Array(ids)); err != nil {
			return fmt.Errorf("import pay members: %w", err)
		}
		members := make(map[string]domain.Member, len(mrows))
		for _, r := range mrows {
			members[r.MemberID] = r.domain()
		}
		entries, problems := wages.Check(rows, members)
		res.Problems = problems
		var current []struct {
			MemberID string `db:"member_id"`
			Annual   int64  `db:"annual_pay"`
			Monthly  int64  `db:"monthly_wage"`
			Version  int64  `db:"version"`
		}
		if err := sqlx.SelectContext(ctx, tx, &current, `SELECT member_id, annual_pay, monthly_wage, version FROM member_pay
WHERE year = $1 AND member_id = ANY($2) ORDER BY member_id FOR UPDATE`, year, pq.Array(ids)); err != nil {
			return fmt.Errorf("import pay current: %w", err)
		}
		type onFile struct {
			pay     domain.Pay
			version int64
		}
		have := make(map[string]onFile, len(current))
		for _, c := range current {
			have[c.MemberID] = onFile{domain.Pay{AnnualPay: money.Fen(c.Annual), MonthlyWage: money.Fen(c.Monthly)}, c.Version}
		}
		for _, e := range entries {
			row := PayImportRow{Line: e.Line, MemberID: e.Member.ID, MemberName: e.Member.Name, UnitID: e.Member.UnitID, Pay: e.Pay}
			switch old, ok := have[e.Member.ID]; {
			case !ok:
				row.Action = PayCreated
				res.Created++
			case old.pay == e.Pay:
				row.Action = PayUnchanged
				res.Unchanged++
			default:
				row.Action = PayUpdated
				res.Updated++
			}
			res.Rows = append(res.Rows, row)
		}
		if dryRun {
			return nil
		}
		if len(problems) > 0 {
			return ErrPayImportRejected
		}
		now := s.clk.Now()
		for _, r := range res.Rows {
			if r.Action == PayUnchanged {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO member_pay (member_id, year, annual_pay, monthly_wage, version, updated_by, updated_at)
VALUES ($1, $2, $3, $4, 1, $5, $6)
ON CONFLICT (member_id, year) DO UPDATE SET annual_pay = EXCLUDED.annual_pay, monthly_wage = EXCLUDED.monthly_wage,
	version = member_pay.version + 1, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
				r.MemberID, year, int64(r.Pay.AnnualPay), int64(r.Pay.MonthlyWage), actor, now); err != nil {
				return fmt.Errorf("import pay %s: %w", r.MemberID, err)
			}
		}
		if res.Created+res.Updated == 0 {
			return nil
		}
		// Pay is financial personal data: the audit row records who
		// imported how many, not the amounts.
		return s.audit(ctx, tx, actor, "leave.pay.import", "pay_year", fmt.Sprint(year), nil,
			map[string]any{"year": year, "created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged})
	})
	if errors.Is(err, ErrPayImportRejected) {
		return res, err
	}
	if err != nil {
		return PayImportResult{}, err
	}
	return res, nil
}
