package domain_test

import (
	"testing"

	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// TestProjectedAccruals: next year's balance before the rollover includes
// exactly what the rollover will book for the same facts, and nothing once
// it has booked.
func TestProjectedAccruals(t *testing.T) {
	t.Parallel()
	p := domain.DefaultPolicy()
	today := d("2026-11-10")
	cancelled := domain.Absences{PersonalDays: 25, LeaveTakenFirst: true}
	tests := []struct {
		name      string
		m         domain.Member
		year      int
		closed    bool
		entries   []domain.LedgerEntry
		prev      domain.Absences
		ok        bool
		available int // 2027 balance on 1 January 2027
	}{
		{name: "next year, not rolled over", m: civil("2016-03-15"), year: 2027, ok: true, available: 10},
		{name: "band change in the year counts from its month", m: civil("2017-06-10"), year: 2027, ok: true, available: 5},
		{name: "this year is never projected", m: civil("2016-03-15"), year: 2026},
		{name: "closed by the rollover", m: civil("2016-03-15"), year: 2027, closed: true},
		{name: "accrual booked already", m: civil("2016-03-15"), year: 2027, entries: []domain.LedgerEntry{entry(7, domain.KindAccrual, 10, "2027-01-01")}, available: 10},
		{name: "this year's absences cancel next year's leave", m: civil("2016-03-15"), year: 2027, prev: cancelled, ok: true},
		{name: "under one year of service", m: civil("2026-09-01"), year: 2027, ok: true},
		{name: "approved takings count against it", m: civil("2016-03-15"), year: 2027, ok: true, available: 6,
			entries: []domain.LedgerEntry{entry(8, domain.KindTaking, -4, "2027-01-01")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for i := range tt.entries {
				tt.entries[i].Year = tt.entries[i].EffectiveOn.Year()
				tt.entries[i].MemberID = tt.m.ID
			}
			proj, ok := domain.ProjectedAccruals(p, tt.m, tt.year, today, tt.closed, tt.entries, tt.prev)
			if ok != tt.ok {
				t.Fatalf("projected = %v, want %v", ok, tt.ok)
			}
			if !ok {
				if len(proj) != 0 {
					t.Fatalf("entries without a projection: %+v", proj)
				}
				return
			}
			// The same facts through the rollover of 2026 book the same days.
			res, err := domain.Rollover(p, domain.RolloverInput{Member: tt.m, Year: 2026, Absences: tt.prev}, "system", now)
			if err != nil {
				t.Fatal(err)
			}
			booked := res.Entitlement.LedgerEntries("system", now)
			if len(booked) != len(proj) {
				t.Fatalf("projected %+v, rollover books %+v", proj, booked)
			}
			for i := range proj {
				if !proj[i].Projected || proj[i].Days != booked[i].Days || !proj[i].EffectiveOn.Equal(booked[i].EffectiveOn) || proj[i].Kind != domain.KindAccrual {
					t.Fatalf("projected %+v, rollover books %+v", proj[i], booked[i])
				}
				if err := proj[i].Validate(); err != nil {
					t.Fatalf("projected entry invalid: %v", err)
				}
			}
			b := domain.ComputeBalance(tt.m.ID, tt.year, domain.BalanceDate(tt.year, today), append(tt.entries, proj...), 0)
			if b.Available != tt.available {
				t.Fatalf("available = %d, want %d", b.Available, tt.available)
			}
			if b.Projected != (len(proj) > 0) || b.ProjectedDays > res.Entitlement.Days {
				t.Fatalf("balance %+v: projected flag or days wrong", b)
			}
			booked = append(append([]domain.LedgerEntry{}, tt.entries...), booked...)
			if real := domain.ComputeBalance(tt.m.ID, tt.year, domain.BalanceDate(tt.year, today), booked, 0); real.Days != b.Days || real.Projected {
				t.Fatalf("after the rollover %+v, projected %+v", real, b)
			}
		})
	}
}

// TestRolloverBelowApproved: leave approved against the projection stands
// when the rollover books less; the accrual records why the balance is
// negative, and says nothing when it is not.
func TestRolloverBelowApproved(t *testing.T) {
	t.Parallel()
	p := domain.DefaultPolicy()
	taking := func(days int) []domain.LedgerEntry {
		e := entry(9, domain.KindTaking, -days, "2027-01-01")
		e.MemberID, e.Year = "m2", 2027
		return []domain.LedgerEntry{e}
	}
	// Projected in November as a full year (10 days); the member leaves on
	// 31 March 2027, recorded before the rollover: 90/365 of 10 = 2 days.
	leaver := aux("2015-01-01", "2015-01-01", "2027-03-31")
	tests := []struct {
		name   string
		taken  int
		reason string
		days   int
	}{
		{name: "approved more than booked", taken: 5, reason: domain.ReasonEntitlementBelowApproved, days: -3},
		{name: "approved within what is booked", taken: 2, days: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := taking(tt.taken)
			res, err := domain.Rollover(p, domain.RolloverInput{Member: leaver, Year: 2026, Entries: in}, "system", now)
			if err != nil {
				t.Fatal(err)
			}
			var accruals []domain.LedgerEntry
			for _, e := range res.Entries {
				if e.Year == 2027 && e.Kind == domain.KindAccrual {
					accruals = append(accruals, e)
				}
				if err := e.Validate(); err != nil {
					t.Fatalf("entry %+v invalid: %v", e, err)
				}
			}
			if len(accruals) != 1 || accruals[0].Days != 2 || accruals[0].Reason != tt.reason {
				t.Fatalf("accruals %+v, want 2 days with reason %q", accruals, tt.reason)
			}
			if b := domain.ComputeBalance("m2", 2027, d("2027-12-31"), append(in, res.Entries...), 0); b.Days != tt.days || b.Taken != tt.taken {
				t.Fatalf("2027 balance %+v, want %d days with %d taken", b, tt.days, tt.taken)
			}
		})
	}
}
