package domain_test

import (
	"slices"
	"testing"

	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

func civil(start string) domain.Member {
	return domain.Member{ID: "m1", UnitID: "u1", Category: domain.CategoryPolice, Status: domain.MemberActive, WorkStart: d(start), JoinedOn: d(start)}
}

func aux(start, joined, left string) domain.Member {
	m := domain.Member{ID: "m2", UnitID: "u1", Category: domain.CategoryAuxiliary, Status: domain.MemberActive, WorkStart: d(start), JoinedOn: d(joined)}
	if left != "" {
		m.LeftOn = d(left)
	}
	return m
}

func TestComputeEntitlement(t *testing.T) {
	t.Parallel()
	p := domain.DefaultPolicy()
	tests := []struct {
		name      string
		member    domain.Member
		abs, prev domain.Absences
		want      int
		accruals  []domain.Accrual
		step      string // a step the explanation must contain
	}{
		{name: "civil servant, 5 years", member: civil("2021-01-01"), want: 5,
			accruals: []domain.Accrual{{On: d("2026-01-01"), Days: 5}}, step: domain.StepBand},
		{name: "civil servant reaches 10 years in March: +5 from 1 April", member: civil("2016-03-15"), want: 10,
			accruals: []domain.Accrual{{On: d("2026-01-01"), Days: 5}, {On: d("2026-04-01"), Days: 5}}, step: domain.StepBandChange},
		{name: "civil servant reaches 20 years in December: new band next January", member: civil("2006-12-10"), want: 10,
			accruals: []domain.Accrual{{On: d("2026-01-01"), Days: 10}}},
		{name: "civil servant completes the first year in August", member: civil("2025-08-20"), want: 5,
			accruals: []domain.Accrual{{On: d("2026-09-01"), Days: 5}}, step: domain.StepBandChange},
		{name: "civil servant hired this year", member: civil("2026-02-01"), want: 0, step: domain.StepUnderOneYear},
		{name: "civil servant, 25 years", member: civil("2000-06-30"), want: 15},
		{name: "auxiliary police, full year", member: aux("2023-01-01", "2023-01-01", ""), want: 5,
			accruals: []domain.Accrual{{On: d("2026-01-01"), Days: 5}}},
		{name: "auxiliary new hire in July: 184/365 × 5 = 2.52, fraction dropped", member: aux("2021-01-01", "2026-07-01", ""), want: 2,
			accruals: []domain.Accrual{{On: d("2026-07-01"), Days: 2}}, step: domain.StepProRated},
		{name: "auxiliary leaver end of April: 120/365 × 10 = 3.28", member: aux("2010-01-01", "2010-01-01", "2026-04-30"), want: 3, step: domain.StepProRated},
		{name: "auxiliary reaches 10 years on 1 July: (181×5 + 184×10)/365 = 7.52", member: aux("2016-07-01", "2016-07-01", ""), want: 7},
		{name: "auxiliary completes 12 months on 1 October: 92/365 × 5 = 1.26", member: aux("2025-10-01", "2025-10-01", ""), want: 1},
		{name: "auxiliary, under a year all year", member: aux("2026-03-01", "2026-03-01", ""), want: 0, step: domain.StepUnderOneYear},
		{name: "20 days of personal leave cancel the year", member: civil("2015-01-01"), abs: domain.Absences{PersonalDays: 20}, want: 0, step: domain.StepPersonalLimit},
		{name: "19 days of personal leave do not", member: civil("2015-01-01"), abs: domain.Absences{PersonalDays: 19}, want: 10},
		{name: "2 months sick under 10 years cancel the year", member: civil("2020-01-01"), abs: domain.Absences{SickDays: 60}, want: 0, step: domain.StepSickLimit},
		{name: "2 months sick with 12 years do not", member: civil("2014-01-01"), abs: domain.Absences{SickDays: 65}, want: 10},
		{name: "4 months sick with 25 years cancel the year", member: civil("2000-01-01"), abs: domain.Absences{SickDays: 120}, want: 0, step: domain.StepSickLimit},
		{name: "leave taken before the threshold keeps this year", member: civil("2020-01-01"), abs: domain.Absences{SickDays: 70, LeaveTakenFirst: true}, want: 5},
		{name: "...and cancels the next", member: civil("2020-01-01"), prev: domain.Absences{SickDays: 70, LeaveTakenFirst: true}, want: 0, step: domain.StepPreviousYearLimit},
		{name: "left before the year", member: aux("2010-01-01", "2010-01-01", "2025-12-31"), want: 0, step: domain.StepNotEmployed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := domain.ComputeEntitlement(p, tt.member, 2026, tt.abs, tt.prev)
			if e.Days != tt.want {
				t.Fatalf("Days = %d, want %d (steps %v)", e.Days, tt.want, e.Steps)
			}
			if tt.accruals != nil && !slices.EqualFunc(e.Accruals, tt.accruals, func(a, b domain.Accrual) bool { return a.On.Equal(b.On) && a.Days == b.Days }) {
				t.Fatalf("Accruals = %v, want %v", e.Accruals, tt.accruals)
			}
			sum := 0
			for _, a := range e.Accruals {
				sum += a.Days
			}
			if sum != e.Days {
				t.Fatalf("accruals sum to %d, Days %d", sum, e.Days)
			}
			last := e.Steps[len(e.Steps)-1]
			if last.Code != domain.StepTotal || last.Args[0] != e.Days {
				t.Fatalf("last step = %v, want the total", last)
			}
			if tt.step != "" && !slices.ContainsFunc(e.Steps, func(s domain.Step) bool { return s.Code == tt.step }) {
				t.Fatalf("steps %v lack %s", e.Steps, tt.step)
			}
		})
	}
}

func TestServiceYears(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		start string
		on    string
		want  int
	}{
		{"day before the anniversary", "2016-03-15", "2026-03-14", 9},
		{"on the anniversary", "2016-03-15", "2026-03-15", 10},
		{"29 February start completes on 1 March", "2016-02-29", "2017-02-28", 0},
		{"29 February start, 1 March", "2016-02-29", "2017-03-01", 1},
		{"before starting", "2026-05-01", "2026-04-01", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := domain.Member{WorkStart: d(tt.start)}
			if got := m.ServiceYears(d(tt.on)); got != tt.want {
				t.Fatalf("ServiceYears = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestPolicyValidate(t *testing.T) {
	t.Parallel()
	bad := domain.DefaultPolicy()
	bad.Bands = []domain.Band{{MinYears: 10, Days: 10}, {MinYears: 1, Days: 5}}
	bad.SickDaysPerMonth = 0
	tests := []struct {
		name string
		p    domain.Policy
		ok   bool
	}{
		{"default", domain.DefaultPolicy(), true},
		{"descending bands and no month length", bad, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := tt.p.Validate(); (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok %v", err, tt.ok)
			}
		})
	}
}
