package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

// Payment is one line of a disbursement list for the bank: a grant paid
// from a fund on a day, with its payee.
type Payment struct {
	ApplicationNo string
	Payee         string
	Program       string
	Period        time.Time
	Amount        money.Fen
	// Voucher is the payment entry's voucher number (记-2026-000042).
	Voucher     string
	DisbursedAt time.Time
}

type paymentRow struct {
	Number      string    `db:"number"`
	Payee       string    `db:"payee"`
	Program     string    `db:"program"`
	Period      time.Time `db:"period"`
	Amount      int64     `db:"amount"`
	FiscalYear  int       `db:"fiscal_year"`
	VoucherNo   int64     `db:"voucher_no"`
	DisbursedAt time.Time `db:"disbursed_at"`
}

// PaymentsOn lists the disbursements of fund booked on day (Asia/Shanghai),
// in the order they were booked, with the payees' names in full: the bank
// pays by name. en chooses the programmes' English names.
func (s *Store) PaymentsOn(ctx context.Context, fundID string, from, to time.Time, en bool) ([]Payment, error) {
	if !ValidID(fundID) {
		return nil, ErrNotFound
	}
	var rs []paymentRow
	err := s.DB.SelectContext(ctx, &rs, `SELECT a.number, a.applicant_name AS payee,
		CASE WHEN $4 AND p.name_en <> '' THEN p.name_en ELSE p.name_zh END AS program,
		d.period, d.amount, e.fiscal_year, e.voucher_no, d.disbursed_at
		FROM disbursements d
		JOIN applications a ON a.id = d.application_id
		JOIN programs p ON p.id = d.program_id
		JOIN journal_entries e ON e.id = d.payment_entry_id
		WHERE d.fund_id = $1 AND d.disbursed_at >= $2 AND d.disbursed_at < $3
		ORDER BY d.disbursed_at, a.number`, fundID, from, to, en)
	if err != nil {
		return nil, fmt.Errorf("payments: %w", err)
	}
	out := make([]Payment, len(rs))
	for i, r := range rs {
		out[i] = Payment{ApplicationNo: r.Number, Payee: r.Payee, Program: r.Program, Period: r.Period, Amount: money.Fen(r.Amount),
			Voucher: domain.Voucher(r.FiscalYear, r.VoucherNo), DisbursedAt: r.DisbursedAt}
	}
	return out, nil
}

// AuditPrint records that m's actor printed a document (kind) of an
// object, with what it showed in full (the payees' names of a disbursement
// list, an applicant's name on an approval sheet), before it is sent:
// no audit, no paper.
func (s *Store) AuditPrint(ctx context.Context, m Meta, kind, objType, objID string, shown map[string]any) error {
	return pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		after := map[string]any{"document": kind}
		for k, v := range shown {
			after[k] = v
		}
		return s.audit(ctx, tx, m, "grants.print."+kind, objType, objID, nil, after)
	})
}
