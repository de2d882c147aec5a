package domain_test

import (
	"testing"

	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

func entry(id int64, kind domain.EntryKind, days int, on string) domain.LedgerEntry {
	return domain.LedgerEntry{ID: id, MemberID: "m1", Year: 2026, Kind: kind, Days: days, EffectiveOn: d(on), Reason: "r"}
}

func TestComputeBalance(t *testing.T) {
	t.Parallel()
	entries := []domain.LedgerEntry{
		entry(1, domain.KindAccrual, 5, "2026-01-01"),
		entry(2, domain.KindCarryOverIn, 2, "2026-01-01"),
		entry(3, domain.KindTaking, -3, "2026-03-01"),
		entry(4, domain.KindAccrual, 5, "2026-04-01"),
		entry(5, domain.KindAdjustment, -1, "2026-05-01"),
		entry(6, domain.KindTakingReversal, 1, "2026-06-01"),
		{ID: 7, MemberID: "other", Year: 2026, Kind: domain.KindAccrual, Days: 15, EffectiveOn: d("2026-01-01")},
		{ID: 8, MemberID: "m1", Year: 2025, Kind: domain.KindAccrual, Days: 15, EffectiveOn: d("2025-01-01")},
	}
	tests := []struct {
		name      string
		asOf      string
		pending   int
		want      domain.Balance
		carryable int
	}{
		{"before the band increase", "2026-03-31", 0,
			domain.Balance{Accrued: 5, Taken: 3, CarriedIn: 2, Days: 4, Available: 4, Entitled: 7}, 4},
		{"year end with a pending request", "2026-12-31", 2,
			domain.Balance{Accrued: 10, Taken: 2, Adjusted: -1, CarriedIn: 2, Days: 9, Pending: 2, Available: 7, Entitled: 11}, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := domain.ComputeBalance("m1", 2026, d(tt.asOf), entries, tt.pending)
			tt.want.MemberID, tt.want.Year, tt.want.AsOf = "m1", 2026, d(tt.asOf)
			if got != tt.want {
				t.Fatalf("balance = %+v\nwant %+v", got, tt.want)
			}
			if c := got.Carryable(domain.DefaultPolicy()); c != tt.carryable {
				t.Fatalf("Carryable = %d, want %d", c, tt.carryable)
			}
			lines := domain.Statement("m1", 2026, d(tt.asOf), entries)
			if n := len(lines); n == 0 || lines[n-1].Running != got.Days {
				t.Fatalf("statement ends at %v, balance %d", lines, got.Days)
			}
		})
	}
}

func TestCarryableKeepsCarriedInDaysFromTravelling(t *testing.T) {
	t.Parallel()
	entries := []domain.LedgerEntry{
		entry(1, domain.KindCarryOverIn, 3, "2026-01-01"),
		entry(2, domain.KindAccrual, 5, "2026-01-01"),
		entry(3, domain.KindTaking, -1, "2026-02-01"),
	}
	b := domain.ComputeBalance("m1", 2026, d("2026-12-31"), entries, 0)
	capped := domain.DefaultPolicy()
	capped.MaxCarryOverDays = 3
	tests := []struct {
		name string
		p    domain.Policy
		want int
	}{
		{"two carried-in days remain and cannot go on", domain.DefaultPolicy(), 5},
		{"local cap", capped, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := b.Carryable(tt.p); got != tt.want {
				t.Fatalf("Carryable = %d, want %d (balance %+v)", got, tt.want, b)
			}
		})
	}
}

func TestLedgerEntryValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		e      domain.LedgerEntry
		fields []string
	}{
		{"valid accrual", entry(0, domain.KindAccrual, 5, "2026-01-01"), nil},
		{"negative accrual", entry(0, domain.KindAccrual, -5, "2026-01-01"), []string{"days"}},
		{"positive taking", entry(0, domain.KindTaking, 2, "2026-01-01"), []string{"days"}},
		{"zero days", entry(0, domain.KindAdjustment, 0, "2026-01-01"), []string{"days"}},
		{"adjustment without reason", domain.LedgerEntry{MemberID: "m1", Year: 2026, Kind: domain.KindAdjustment, Days: 1, EffectiveOn: d("2026-01-01")}, []string{"reason"}},
		{"date in another year", entry(0, domain.KindExpiry, -1, "2027-01-01"), []string{"effective_on"}},
		{"unknown kind", entry(0, "gift", 1, "2026-01-01"), []string{"kind"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertFields(t, tt.e.Validate(), tt.fields)
		})
	}
}
