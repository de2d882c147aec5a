package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
)

func newStore(t *testing.T) (*store.Store, domain.Fund) {
	t.Helper()
	db := pgtest.New(t, store.Migrations())
	st := store.New(db, clock.NewFake(time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)))
	f, err := st.CreateFund(context.Background(), store.Meta{Actor: "u-admin"}, domain.Fund{FiscalYear: 2026, Name: "f", Appropriation: money.Yuan(1000)})
	if err != nil {
		t.Fatal(err)
	}
	return st, f
}

func count(t *testing.T, st *store.Store, q string) int {
	t.Helper()
	var n int
	if err := st.DB.Get(&n, q); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDatabaseRefusesUnbalancedEntries: even SQL that bypasses the Go
// validation cannot commit an unbalanced entry or one without lines.
func TestDatabaseRefusesUnbalancedEntries(t *testing.T) {
	t.Parallel()
	st, f := newStore(t)
	ctx := context.Background()
	tests := []struct {
		name  string
		lines []string
	}{
		{"unbalanced", []string{`(currval('journal_entries_id_seq'), 1, '1011', 100, 0)`, `(currval('journal_entries_id_seq'), 2, '4001', 0, 99)`}},
		{"one line", []string{`(currval('journal_entries_id_seq'), 1, '1011', 100, 0)`}},
		{"no lines", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := pg.InTx(ctx, st.DB, func(tx *sqlx.Tx) error {
				if _, err := tx.Exec(`INSERT INTO journal_entries (fiscal_year, voucher_no, entry_date, kind, summary, fund_id, created_by)
					VALUES (2026, 1, '2026-03-02', 'appropriation', 'x', $1, 'u')`, f.ID); err != nil {
					return err
				}
				for _, l := range tt.lines {
					if _, err := tx.Exec(`INSERT INTO journal_lines (entry_id, line_no, account_code, debit, credit) VALUES ` + l); err != nil {
						return err
					}
				}
				return nil
			})
			if !pg.IsCheckViolation(err) || pg.Constraint(err) != "journal_entry_balanced" {
				t.Fatalf("commit err = %v, want the journal_entry_balanced violation", err)
			}
		})
	}
	if n := count(t, st, `SELECT count(*) FROM journal_entries`); n != 1 {
		t.Fatalf("entries = %d, want only the appropriation", n)
	}
}

// TestVoucherNumbersAreGapFree: a rolled-back entry gives its number back.
func TestVoucherNumbersAreGapFree(t *testing.T) {
	t.Parallel()
	st, f := newStore(t)
	ctx := context.Background()
	post := func(fail bool) error {
		return pg.InTx(ctx, st.DB, func(tx *sqlx.Tx) error {
			e := domain.CommitmentEntry(2026, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), 100, "", "", "承诺")
			e.CreatedBy = "u"
			if _, err := st.PostEntry(ctx, tx, f.ID, e); err != nil {
				return err
			}
			if fail {
				return errors.New("roll back")
			}
			return nil
		})
	}
	for _, fail := range []bool{false, true, true, false, false} {
		_ = post(fail)
	}
	var nos []int64
	if err := st.DB.Select(&nos, `SELECT voucher_no FROM journal_entries WHERE fiscal_year = 2026 ORDER BY voucher_no`); err != nil {
		t.Fatal(err)
	}
	for i, n := range nos {
		if n != int64(i+1) {
			t.Fatalf("voucher numbers %v have a gap", nos)
		}
	}
	if len(nos) != 4 {
		t.Fatalf("entries %v, want appropriation + 3", nos)
	}
}

func TestLedgerIsImmutable(t *testing.T) {
	t.Parallel()
	st, _ := newStore(t)
	for _, q := range []string{
		`UPDATE journal_entries SET summary = 'changed'`,
		`DELETE FROM journal_lines`,
		`TRUNCATE journal_entries CASCADE`,
		`UPDATE journal_lines SET debit = debit + 1`,
	} {
		if _, err := st.DB.Exec(q); err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
	if n := count(t, st, `SELECT count(*) FROM journal_lines`); n != 4 {
		t.Fatalf("lines = %d", n)
	}
}

func TestProgramAllocationsFitTheFund(t *testing.T) {
	t.Parallel()
	st, f := newStore(t)
	ctx := context.Background()
	p := domain.Program{FundID: f.ID, Code: "a", NameZH: "甲", Kind: domain.KindHardship, Allocation: money.Yuan(800),
		Amount: domain.AmountRule{Kind: domain.AmountFixed, Fixed: 1}, Active: true}
	if _, err := st.CreateProgram(ctx, store.Meta{Actor: "u"}, p); err != nil {
		t.Fatal(err)
	}
	p.Code, p.Allocation = "b", money.Yuan(201)
	_, err := st.CreateProgram(ctx, store.Meta{Actor: "u"}, p)
	var ve *fielderr.Invalid
	if !errors.As(err, &ve) || ve.Problems[0].Field != "allocation" {
		t.Fatalf("over-allocation: %v", err)
	}
	p.Code = "a"
	p.Allocation = 1
	if _, err := st.CreateProgram(ctx, store.Meta{Actor: "u"}, p); !errors.Is(err, store.ErrProgramExists) {
		t.Fatalf("duplicate code: %v", err)
	}
}
