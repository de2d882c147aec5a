package domain_test

import (
	"errors"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

func TestRollover(t *testing.T) {
	t.Parallel()
	p := domain.DefaultPolicy()
	m := civil("2016-03-15") // 10 days in 2026 and 2027
	base := []domain.LedgerEntry{
		entry(1, domain.KindAccrual, 5, "2026-01-01"),
		entry(2, domain.KindAccrual, 5, "2026-04-01"),
		entry(3, domain.KindTaking, -4, "2026-06-01"),
	}
	tests := []struct {
		name             string
		entries          []domain.LedgerEntry
		carry            *domain.CarryOverDecision
		want             error
		carried, expired int
		next             int // 2027 balance on 1 January 2027
	}{
		{name: "no carry-over: all six days expire", entries: base, expired: 6, next: 10},
		{name: "two days carried with a reason", entries: base, carry: &domain.CarryOverDecision{MemberID: "m1", Year: 2026, Days: 2, Reason: "专项任务"}, carried: 2, expired: 4, next: 12},
		{name: "more than the balance", entries: base, carry: &domain.CarryOverDecision{MemberID: "m1", Year: 2026, Days: 7, Reason: "专项任务"}, want: domain.ErrCarryOverExceeded},
		{name: "no reason", entries: base, carry: &domain.CarryOverDecision{MemberID: "m1", Year: 2026, Days: 2}, want: domain.ErrValidation},
		{name: "twice", entries: append(append([]domain.LedgerEntry{}, base...), entry(4, domain.KindExpiry, -6, "2026-12-31")), want: domain.ErrRolloverYear},
		{name: "overdrawn expires nothing", entries: []domain.LedgerEntry{entry(1, domain.KindAccrual, 5, "2026-01-01"), entry(2, domain.KindTaking, -6, "2026-02-01")}, next: 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := domain.Rollover(p, domain.RolloverInput{Member: m, Year: 2026, Entries: tt.entries, CarryOver: tt.carry}, "system", now)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if err != nil {
				return
			}
			if res.Carried != tt.carried || res.Expired != tt.expired {
				t.Fatalf("carried %d expired %d, want %d %d", res.Carried, res.Expired, tt.carried, tt.expired)
			}
			all := append(append([]domain.LedgerEntry{}, tt.entries...), res.Entries...)
			for _, e := range res.Entries {
				if err := e.Validate(); err != nil {
					t.Fatalf("entry %+v invalid: %v", e, err)
				}
			}
			closed := domain.ComputeBalance("m1", 2026, d("2026-12-31"), all, 0)
			if closed.Days > 0 {
				t.Fatalf("2026 still has %d days after the rollover", closed.Days)
			}
			if got := domain.ComputeBalance("m1", 2027, d("2027-01-01"), all, 0).Days; got != tt.next {
				t.Fatalf("2027 opening balance = %d, want %d", got, tt.next)
			}
		})
	}
}

func TestEntitlementCorrection(t *testing.T) {
	t.Parallel()
	p := domain.DefaultPolicy()
	entries := []domain.LedgerEntry{{MemberID: "m2", Year: 2026, Kind: domain.KindAccrual, Days: 10, EffectiveOn: d("2026-01-01")}}
	tests := []struct {
		name   string
		member domain.Member
		want   int
		ok     bool
	}{
		{"leaver at the end of April loses 7", aux("2010-01-01", "2010-01-01", "2026-04-30"), -7, true},
		{"nothing changed", aux("2010-01-01", "2010-01-01", ""), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := domain.ComputeEntitlement(p, tt.member, 2026, domain.Absences{}, domain.Absences{})
			c, ok := e.Correction(entries, "left", "system", d("2026-05-02"), now)
			if ok != tt.ok || c.Days != tt.want {
				t.Fatalf("correction = %+v %v, want %d %v", c, ok, tt.want, tt.ok)
			}
			if ok {
				if err := c.Validate(); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestCompensate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                        string
		member                      domain.Member
		days                        int
		pay                         domain.Pay
		waived                      bool
		daily, normal, extra, total money.Fen
		want                        error
	}{
		{name: "civil servant: 120,000 ÷ 261 × 3 days", member: civil("2015-01-01"), days: 3, pay: domain.Pay{AnnualPay: money.Yuan(120000)},
			daily: 45977, normal: 137931, extra: 275862, total: 413793},
		{name: "auxiliary police: 5,000 ÷ 21.75 × 2 days", member: aux("2015-01-01", "2015-01-01", ""), days: 2, pay: domain.Pay{MonthlyWage: money.Yuan(5000)},
			daily: 22989, normal: 45977, extra: 91954, total: 137931},
		{name: "auxiliary police: rounding up at the fen", member: aux("2015-01-01", "2015-01-01", ""), days: 1, pay: domain.Pay{MonthlyWage: 400001},
			daily: 18391, normal: 18391, extra: 36782, total: 55173},
		{name: "chose not to take: nothing extra", member: civil("2015-01-01"), days: 3, pay: domain.Pay{AnnualPay: money.Yuan(120000)}, waived: true,
			daily: 45977, normal: 137931, extra: 0, total: 137931},
		{name: "no unused days", member: civil("2015-01-01"), days: 0, pay: domain.Pay{AnnualPay: money.Yuan(120000)}, daily: 45977},
		{name: "no pay recorded", member: civil("2015-01-01"), days: 3, want: domain.ErrPayMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, err := domain.Compensate(tt.member, 2026, tt.days, tt.pay, tt.waived)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if err != nil {
				return
			}
			if l.DailyWage != tt.daily || l.Normal != tt.normal || l.Extra != tt.extra || l.Total != tt.total {
				t.Fatalf("line = daily %d normal %d extra %d total %d; want %d %d %d %d",
					l.DailyWage, l.Normal, l.Extra, l.Total, tt.daily, tt.normal, tt.extra, tt.total)
			}
		})
	}
}
