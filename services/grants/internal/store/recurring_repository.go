package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

// CreateRecurring starts the schedule of a recurring grant in tx.
func (s *Store) CreateRecurring(ctx context.Context, tx *sqlx.Tx, r domain.Recurring) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO recurring_grants (application_id, monthly_amount, start_month, checked_on, updated_at)
		VALUES ($1, $2, $3, $4, $5)`, r.ApplicationID, int64(r.MonthlyAmount), r.StartMonth, r.CheckedOn, s.Clock.Now())
	if err != nil {
		return fmt.Errorf("create recurring grant: %w", err)
	}
	return nil
}

// recurringRow is a schedule as recurring_grants stores it.
type recurringRow struct {
	ApplicationID string     `db:"application_id"`
	Monthly       int64      `db:"monthly_amount"`
	Start         time.Time  `db:"start_month"`
	LastPaid      *time.Time `db:"last_paid_month"`
	CheckedOn     time.Time  `db:"checked_on"`
	Death         *time.Time `db:"recipient_death"`
}

// recurringCols reads a recurringRow from recurring_grants r.
const recurringCols = `r.application_id::text AS application_id, r.monthly_amount, r.start_month, r.last_paid_month, r.checked_on, r.recipient_death`

func (r recurringRow) domain() domain.Recurring {
	out := domain.Recurring{ApplicationID: r.ApplicationID, MonthlyAmount: money.Fen(r.Monthly), StartMonth: r.Start.UTC(), CheckedOn: r.CheckedOn.UTC()}
	if r.LastPaid != nil {
		out.LastPaidMonth = r.LastPaid.UTC()
	}
	if r.Death != nil {
		out.RecipientDeath = r.Death.UTC()
	}
	return out
}

// Recurring reads a schedule in tx (the application row is already locked).
func (s *Store) Recurring(ctx context.Context, tx *sqlx.Tx, applicationID string) (domain.Recurring, error) {
	var r recurringRow
	err := tx.GetContext(ctx, &r, `SELECT `+recurringCols+` FROM recurring_grants r WHERE r.application_id = $1`, applicationID)
	if isNoRows(err) {
		return domain.Recurring{}, ErrNotFound
	}
	if err != nil {
		return domain.Recurring{}, fmt.Errorf("recurring grant %s: %w", applicationID, err)
	}
	return r.domain(), nil
}

// SaveRecurring writes the schedule's progress in tx.
func (s *Store) SaveRecurring(ctx context.Context, tx *sqlx.Tx, r domain.Recurring) error {
	var last *time.Time
	if !r.LastPaidMonth.IsZero() {
		last = &r.LastPaidMonth
	}
	_, err := tx.ExecContext(ctx, `UPDATE recurring_grants SET last_paid_month = $2, checked_on = $3, version = version + 1, updated_at = $4
		WHERE application_id = $1`, r.ApplicationID, last, r.CheckedOn, s.Clock.Now())
	if err != nil {
		return fmt.Errorf("save recurring grant: %w", err)
	}
	return nil
}

// ActiveRecurring lists the schedules of the active recurring grants, as
// they stand now (read without a lock: a run pays each under its own).
func (s *Store) ActiveRecurring(ctx context.Context) ([]domain.Recurring, error) {
	var rs []recurringRow
	err := s.DB.SelectContext(ctx, &rs, `SELECT `+recurringCols+`
		FROM applications a JOIN recurring_grants r ON r.application_id = a.id
		WHERE a.state = 'active' ORDER BY a.id`)
	if err != nil {
		return nil, fmt.Errorf("active recurring grants: %w", err)
	}
	out := make([]domain.Recurring, len(rs))
	for i, r := range rs {
		out[i] = r.domain()
	}
	return out, nil
}

// FundByYear returns the fund of a fiscal year, read in q.
func (s *Store) FundByYear(ctx context.Context, q sqlx.QueryerContext, year int) (domain.Fund, error) {
	var r fundRow
	err := sqlx.GetContext(ctx, q, &r, `SELECT `+fundCols+` FROM funds WHERE fiscal_year = $1`, year)
	if isNoRows(err) {
		return domain.Fund{}, domain.ErrBudgetExhausted.With(money.Fen(0).String(), fmt.Sprint(year))
	}
	if err != nil {
		return domain.Fund{}, fmt.Errorf("fund of %d: %w", year, err)
	}
	return r.domain(), nil
}

// ProgramInFund finds the program with code in another fund (a recurring
// grant continues under the same program code in later years).
func (s *Store) ProgramInFund(ctx context.Context, q sqlx.QueryerContext, fundID, code string) (string, error) {
	var id string
	err := sqlx.GetContext(ctx, q, &id, `SELECT id::text FROM programs WHERE fund_id = $1 AND code = $2`, fundID, code)
	if isNoRows(err) {
		return "", domain.ErrBudgetExhausted.With(money.Fen(0).String(), code)
	}
	if err != nil {
		return "", fmt.Errorf("program %s in fund %s: %w", code, fundID, err)
	}
	return id, nil
}
