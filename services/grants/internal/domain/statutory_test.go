package domain_test

import (
	"errors"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// rates holds the reference national income figures (reference.json) and a
// regional wage of ¥8,500.00 from 2025-01-01.
func rates() domain.RateBook {
	ni := map[int]int64{2019: 42359, 2020: 43834, 2021: 47412, 2022: 49283, 2023: 51821, 2024: 54188}
	var rs []domain.Rate
	for y, v := range ni {
		rs = append(rs, domain.Rate{Kind: domain.RateNationalIncome, ValidFrom: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), Amount: money.Yuan(v)})
	}
	rs = append(rs,
		domain.Rate{Kind: domain.RateRegionalMonthlyWage, ValidFrom: day("2024-01-01"), Amount: 777778},
		domain.Rate{Kind: domain.RateRegionalMonthlyWage, ValidFrom: day("2025-01-01"), Amount: money.Yuan(8500)},
	)
	return domain.NewRateBook(rs)
}

func TestCalculate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		calc      domain.Calculator
		in        domain.CalcInput
		want      money.Fen
		wantItems []money.Fen
		wantErr   error
		wantField string
	}{
		{
			name: "police line of duty, highest honour only (provincial 30%)",
			calc: domain.CalcPoliceLumpSum,
			in:   domain.CalcInput{EventDate: day("2025-06-01"), Cause: domain.CauseLineOfDuty, MonthlyWage: money.Yuan(8000), Honours: []domain.Honour{domain.HonourMeritThird, domain.HonourProvincialTitle, domain.HonourMeritFirst}},
			// 20 × 54,188 = 1,083,760; 40 × 8,000 = 320,000; 30% of 1,403,760 = 421,128
			wantItems: []money.Fen{108376000, 32000000, 42112800},
			want:      182488800,
		},
		{
			name:      "police martyr, national title 35%",
			calc:      domain.CalcPoliceLumpSum,
			in:        domain.CalcInput{EventDate: day("2024-12-31"), Cause: domain.CauseMartyr, MonthlyWage: 1234567, Honours: []domain.Honour{domain.HonourNationalTitle}},
			wantItems: []money.Fen{103642000, 49382680, 53558638},
			want:      206583318,
		},
		{
			name:      "police illness: 2 × + 40 months, no honour uplift",
			calc:      domain.CalcPoliceLumpSum,
			in:        domain.CalcInput{EventDate: day("2025-06-01"), Cause: domain.CauseIllness, MonthlyWage: money.Yuan(8000), Honours: []domain.Honour{domain.HonourNationalTitle}},
			wantItems: []money.Fen{10837600, 32000000},
			want:      42837600,
		},
		{
			name:      "martyr grant 30 × previous year's income",
			calc:      domain.CalcMartyrGrant,
			in:        domain.CalcInput{EventDate: day("2025-03-01")},
			wantItems: []money.Fen{162564000},
			want:      162564000,
		},
		{
			name:      "work-injury death: funeral 6 × regional wage + subsidy 20 ×",
			calc:      domain.CalcWorkInjuryDeath,
			in:        domain.CalcInput{EventDate: day("2025-03-01")},
			wantItems: []money.Fen{5100000, 108376000},
			want:      113476000,
		},
		{
			name:      "auxiliary police martyr: death subsidy + 40 months",
			calc:      domain.CalcAuxiliaryPoliceMartyr,
			in:        domain.CalcInput{EventDate: day("2025-03-01"), MonthlyWage: money.Yuan(4500)},
			wantItems: []money.Fen{108376000, 18000000},
			want:      126376000,
		},
		{
			name:      "disability grade 1, own wage inside the band",
			calc:      domain.CalcDisabilityLumpSum,
			in:        domain.CalcInput{EventDate: day("2025-05-01"), Grade: 1, MonthlyWage: money.Yuan(10000)},
			wantItems: []money.Fen{27000000},
			want:      27000000,
		},
		{
			name: "disability grade 5, own wage raised to 60% floor, rounded to the fen",
			calc: domain.CalcDisabilityLumpSum,
			// 60% of 7,777.78 = 4,666.668 → 4,666.67; × 18
			in:        domain.CalcInput{EventDate: day("2024-05-01"), Grade: 5, MonthlyWage: money.Yuan(3000)},
			wantItems: []money.Fen{8400006},
			want:      8400006,
		},
		{
			name:      "disability grade 8, own wage cut to 300% ceiling",
			calc:      domain.CalcDisabilityLumpSum,
			in:        domain.CalcInput{EventDate: day("2025-05-01"), Grade: 8, MonthlyWage: money.Yuan(30000)},
			wantItems: []money.Fen{28050000},
			want:      28050000,
		},
		{
			name:      "grade 10 is 7 months",
			calc:      domain.CalcDisabilityLumpSum,
			in:        domain.CalcInput{EventDate: day("2025-05-01"), Grade: 10, MonthlyWage: money.Yuan(6000)},
			wantItems: []money.Fen{4200000},
			want:      4200000,
		},
		{
			name:    "national income of the previous year missing",
			calc:    domain.CalcMartyrGrant,
			in:      domain.CalcInput{EventDate: day("2019-05-01")},
			wantErr: domain.ErrRateMissing,
		},
		{
			name:    "regional wage not yet in force",
			calc:    domain.CalcWorkInjuryDeath,
			in:      domain.CalcInput{EventDate: day("2023-05-01")},
			wantErr: domain.ErrRateMissing,
		},
		{name: "grade out of range", calc: domain.CalcDisabilityLumpSum, in: domain.CalcInput{EventDate: day("2025-05-01"), Grade: 11, MonthlyWage: 1}, wantErr: domain.ErrInvalid, wantField: "grade"},
		{name: "wage required", calc: domain.CalcPoliceLumpSum, in: domain.CalcInput{EventDate: day("2025-05-01"), Cause: domain.CauseMartyr}, wantErr: domain.ErrInvalid, wantField: "monthly_wage"},
		{name: "unknown honour", calc: domain.CalcPoliceLumpSum, in: domain.CalcInput{EventDate: day("2025-05-01"), Cause: domain.CauseMartyr, MonthlyWage: 1, Honours: []domain.Honour{"gold_star"}}, wantErr: domain.ErrInvalid, wantField: "honours"},
		{name: "unknown calculator", calc: "pension", in: domain.CalcInput{EventDate: day("2025-05-01")}, wantErr: domain.ErrInvalid, wantField: "calculator"},
		{name: "event date required", calc: domain.CalcMartyrGrant, wantErr: domain.ErrInvalid, wantField: "event_date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := domain.Calculate(tt.calc, tt.in, rates())
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if tt.wantField != "" {
					var ve *fielderr.Invalid
					if !errors.As(err, &ve) || ve.Problems[0].Field != tt.wantField {
						t.Fatalf("err = %v, want field %s", err, tt.wantField)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b.Total != tt.want {
				t.Errorf("total = %d, want %d", b.Total, tt.want)
			}
			if len(b.Items) != len(tt.wantItems) {
				t.Fatalf("items = %+v, want amounts %v", b.Items, tt.wantItems)
			}
			var sum money.Fen
			for i, it := range b.Items {
				if it.Amount != tt.wantItems[i] {
					t.Errorf("item %d (%s) = %d, want %d", i, it.Code, it.Amount, tt.wantItems[i])
				}
				if it.Citation == "" || it.Code == "" || it.Basis == "" {
					t.Errorf("item %d is not explained: %+v", i, it)
				}
				sum += it.Amount
			}
			if sum != b.Total {
				t.Errorf("items sum to %d, total %d", sum, b.Total)
			}
		})
	}
}

func TestHighestHonour(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []domain.Honour
		want domain.Honour
		ok   bool
	}{
		{"none", nil, "", false},
		{"single", []domain.Honour{domain.HonourMeritSecond}, domain.HonourMeritSecond, true},
		{"highest wins whatever the order", []domain.Honour{domain.HonourMeritThird, domain.HonourNationalTitle, domain.HonourMeritFirst}, domain.HonourNationalTitle, true},
		{"unknown ignored", []domain.Honour{"x", domain.HonourMeritThird}, domain.HonourMeritThird, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := domain.HighestHonour(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("HighestHonour = %q,%v want %q,%v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
