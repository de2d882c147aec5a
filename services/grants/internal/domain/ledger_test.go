package domain_test

import (
	"errors"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

func TestEntryValidate(t *testing.T) {
	t.Parallel()
	chart := domain.DefaultChart()
	d := day("2026-03-01")
	tests := []struct {
		name    string
		e       domain.Entry
		wantErr error
	}{
		{name: "appropriation", e: domain.AppropriationEntry(2026, d, money.Yuan(1000000), "", "年度拨款")},
		{name: "commitment", e: domain.CommitmentEntry(2026, d, 100, "p", "a", "承诺")},
		{name: "disbursement", e: domain.DisbursementEntry(2026, d, 100, "p", "a", "发放")},
		{name: "payment", e: domain.PaymentEntry(2026, d, 100, "p", "a", "支付")},
		{name: "unbalanced", e: domain.Entry{FiscalYear: 2026, Date: d, Summary: "x", Lines: []domain.Line{{AccountCode: "1011", Debit: 100}, {AccountCode: "4001", Credit: 99}}}, wantErr: domain.ErrUnbalanced},
		{name: "unknown account", e: domain.Entry{FiscalYear: 2026, Date: d, Summary: "x", Lines: []domain.Line{{AccountCode: "1999", Debit: 1}, {AccountCode: "4001", Credit: 1}}}, wantErr: domain.ErrInvalid},
		{name: "two-sided line", e: domain.Entry{FiscalYear: 2026, Date: d, Summary: "x", Lines: []domain.Line{{AccountCode: "1011", Debit: 1, Credit: 1}, {AccountCode: "4001", Credit: 0}}}, wantErr: domain.ErrInvalid},
		{name: "negative line", e: domain.Entry{FiscalYear: 2026, Date: d, Summary: "x", Lines: []domain.Line{{AccountCode: "1011", Debit: -1}, {AccountCode: "4001", Credit: -1}}}, wantErr: domain.ErrInvalid},
		{name: "one line", e: domain.Entry{FiscalYear: 2026, Date: d, Summary: "x", Lines: []domain.Line{{AccountCode: "1011", Debit: 1}}}, wantErr: domain.ErrInvalid},
		{name: "no summary", e: domain.Entry{FiscalYear: 2026, Date: d, Lines: []domain.Line{{AccountCode: "1011", Debit: 1}, {AccountCode: "4001", Credit: 1}}}, wantErr: domain.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.e.Validate(chart)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestReverseAndPosition(t *testing.T) {
	t.Parallel()
	d := day("2026-03-01")
	entries := []domain.Entry{
		domain.AppropriationEntry(2026, d, 10000, "p", "拨款"),
		domain.CommitmentEntry(2026, d, 3000, "p", "a1", "承诺"),
		domain.CommitmentEntry(2026, d, 2000, "p", "a2", "承诺"),
		domain.DisbursementEntry(2026, d, 3000, "p", "a1", "发放"),
		domain.PaymentEntry(2026, d, 3000, "p", "a1", "支付"),
	}
	wrong := domain.CommitmentEntry(2026, d, 500, "p", "a3", "错误承诺")
	wrong.ID, wrong.VoucherNo = "e-6", 6
	rev := wrong.Reverse(day("2026-03-02"), "u-f")
	if rev.ReversalOf != "e-6" || rev.Kind != domain.EntryReversal || rev.Lines[0].Credit != 500 || rev.Lines[1].Debit != 500 {
		t.Fatalf("reversal = %+v", rev)
	}
	if err := rev.Validate(domain.DefaultChart()); err != nil {
		t.Fatal(err)
	}
	entries = append(entries, wrong, rev)
	sums := map[string]*domain.AccountSum{}
	for _, e := range entries {
		for _, l := range e.Lines {
			s := sums[l.AccountCode]
			if s == nil {
				s = &domain.AccountSum{Code: l.AccountCode}
				sums[l.AccountCode] = s
			}
			s.Debit += l.Debit
			s.Credit += l.Credit
		}
	}
	var list []domain.AccountSum
	for _, s := range sums {
		list = append(list, *s)
	}
	tb, err := domain.BuildTrialBalance(domain.DefaultChart(), list)
	if err != nil || !tb.Balanced() {
		t.Fatalf("trial balance %+v, %v", tb, err)
	}
	pos := domain.PositionFromSums("p", list)
	want := domain.FundPosition{ProgramID: "p", Appropriated: 10000, Committed: 5000, Disbursed: 3000, Remaining: 5000}
	if pos != want {
		t.Fatalf("position = %+v, want %+v", pos, want)
	}
	for _, r := range tb.Rows {
		if r.Account.Code == domain.Acct1011 && r.Balance != 7000 {
			t.Errorf("1011 balance = %d, want 7000", r.Balance)
		}
		if r.Account.Code == domain.Acct4001 && r.Balance != 10000 {
			t.Errorf("4001 balance = %d, want 10000 (credit-normal)", r.Balance)
		}
	}
	if got := domain.Voucher(2026, 42); got != "记-2026-000042" {
		t.Fatalf("voucher = %q", got)
	}
}
