package domain_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

func months(n int, w money.Fen) []money.Fen {
	out := make([]money.Fen, n)
	for i := range out {
		out[i] = w
	}
	return out
}

func TestOwnWage(t *testing.T) {
	t.Parallel()
	avg := money.Yuan(7000) // floor ¥4,200, ceiling ¥21,000
	tests := []struct {
		name     string
		wages    []money.Fen
		want     money.Fen
		lastCode string
	}{
		{name: "within bounds", wages: months(12, money.Yuan(8000)), want: money.Yuan(8000), lastCode: "injury.calc.wage_within_bounds"},
		{name: "raised to 60%", wages: months(12, money.Yuan(3000)), want: money.Yuan(4200), lastCode: "injury.calc.wage_raised_to_floor"},
		{name: "capped at 300%", wages: months(12, money.Yuan(25000)), want: money.Yuan(21000), lastCode: "injury.calc.wage_capped_at_ceiling"},
		{name: "exactly the floor", wages: months(12, money.Yuan(4200)), want: money.Yuan(4200), lastCode: "injury.calc.wage_within_bounds"},
		{name: "fewer months worked", wages: months(5, money.Yuan(9000)), want: money.Yuan(9000), lastCode: "injury.calc.wage_within_bounds"},
		// 12 × 833,333 + 5 = 10,000,001 fen / 12 = 833,333.42 → 833,333
		{name: "rounds down below half", wages: append(months(11, 833333), 833338), want: 833333, lastCode: "injury.calc.wage_within_bounds"},
		// 12 × 833,333 + 6 = … / 12 = 833,333.5 → 833,334 (half away from zero)
		{name: "rounds half up", wages: append(months(11, 833333), 833339), want: 833334, lastCode: "injury.calc.wage_within_bounds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, err := domain.OwnWage(tt.wages, avg)
			if err != nil {
				t.Fatal(err)
			}
			if e.Total != tt.want {
				t.Errorf("total = %d, want %d", e.Total, tt.want)
			}
			if len(e.Lines) != 3 || e.Lines[2].Code != tt.lastCode || e.Lines[2].Amount != e.Total {
				t.Errorf("lines = %+v", e.Lines)
			}
		})
	}
}

func TestBenefits(t *testing.T) {
	t.Parallel()
	wage := money.Yuan(8000)
	tests := []struct {
		name       string
		grade      int
		job        bool
		minimum    money.Fen
		subsidy    money.Fen
		allowance  money.Fen
		allowCodes []string
	}{
		{name: "grade 1", grade: 1, subsidy: money.Yuan(8000 * 27), allowance: money.Yuan(7200), allowCodes: []string{"injury.calc.allowance_percent"}},
		{name: "grade 4", grade: 4, subsidy: money.Yuan(8000 * 21), allowance: money.Yuan(6000), allowCodes: []string{"injury.calc.allowance_percent"}},
		{name: "grade 5 without a job", grade: 5, subsidy: money.Yuan(8000 * 18), allowance: money.Yuan(5600), allowCodes: []string{"injury.calc.allowance_percent"}},
		{name: "grade 5 with a job", grade: 5, job: true, subsidy: money.Yuan(8000 * 18), allowCodes: []string{"injury.calc.allowance_none_job"}},
		{name: "grade 6 without a job", grade: 6, subsidy: money.Yuan(8000 * 16), allowance: money.Yuan(4800), allowCodes: []string{"injury.calc.allowance_percent"}},
		{name: "grade 6 topped up to minimum wage", grade: 6, minimum: money.Yuan(5000), subsidy: money.Yuan(8000 * 16), allowance: money.Yuan(5000),
			allowCodes: []string{"injury.calc.allowance_percent", "injury.calc.allowance_minimum_topup"}},
		{name: "grade 7 no allowance", grade: 7, subsidy: money.Yuan(8000 * 13), allowCodes: []string{"injury.calc.allowance_none_grade"}},
		{name: "grade 8", grade: 8, subsidy: money.Yuan(8000 * 11), allowCodes: []string{"injury.calc.allowance_none_grade"}},
		{name: "grade 9", grade: 9, subsidy: money.Yuan(8000 * 9), allowCodes: []string{"injury.calc.allowance_none_grade"}},
		{name: "grade 10", grade: 10, subsidy: money.Yuan(8000 * 7), allowCodes: []string{"injury.calc.allowance_none_grade"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := domain.OneTimeSubsidy(tt.grade, wage)
			if err != nil || s.Total != tt.subsidy {
				t.Errorf("subsidy = %d, %v; want %d", s.Total, err, tt.subsidy)
			}
			a, err := domain.MonthlyAllowance(tt.grade, wage, tt.job, tt.minimum)
			if err != nil || a.Total != tt.allowance {
				t.Errorf("allowance = %d, %v; want %d", a.Total, err, tt.allowance)
			}
			var codes []string
			for _, l := range a.Lines {
				codes = append(codes, l.Code)
			}
			if !slices.Equal(codes, tt.allowCodes) {
				t.Errorf("allowance lines = %v, want %v", codes, tt.allowCodes)
			}
		})
	}
}

func TestAllowanceRounding(t *testing.T) {
	t.Parallel()
	// 90% of 333 fen is 299.7 fen: rounded to 300.
	a, err := domain.MonthlyAllowance(1, 333, false, 0)
	if err != nil || a.Total != 300 {
		t.Fatalf("allowance = %d, %v; want 300", a.Total, err)
	}
}

func TestNursingFee(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		level domain.NursingLevel
		want  money.Fen
	}{
		{name: "total", level: domain.NursingTotal, want: money.Yuan(3500)},
		{name: "most", level: domain.NursingMost, want: money.Yuan(2800)},
		{name: "partial", level: domain.NursingPartial, want: money.Yuan(2100)},
		{name: "none", level: domain.NursingNone, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, err := domain.NursingFee(tt.level, money.Yuan(7000))
			if err != nil || e.Total != tt.want || len(e.Lines) != 1 {
				t.Errorf("nursing = %+v, %v; want %d", e, err, tt.want)
			}
		})
	}
}

func TestAssess(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      domain.AssessInput
		fields  []string
		subsidy money.Fen
	}{
		{name: "grade 3 with clamp", in: domain.AssessInput{Grade: 3, Wages: months(12, money.Yuan(2000)), RegionalAverage: money.Yuan(7000), Nursing: domain.NursingPartial},
			subsidy: money.Yuan(4200 * 23)},
		{name: "everything wrong", in: domain.AssessInput{Grade: 0, Wages: nil, RegionalAverage: 0, MinimumWage: -1, Nursing: "some"},
			fields: []string{"grade", "wages", "regional_average", "minimum_wage", "nursing"}},
		{name: "negative wage", in: domain.AssessInput{Grade: 3, Wages: []money.Fen{100, -1}, RegionalAverage: 1},
			fields: []string{"wages[1]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := domain.Assess(tt.in)
			if tt.fields == nil {
				if err != nil || a.Subsidy.Total != tt.subsidy {
					t.Fatalf("subsidy = %d, %v; want %d", a.Subsidy.Total, err, tt.subsidy)
				}
				return
			}
			var ve *fielderr.Invalid
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v", err)
			}
			var got []string
			for _, p := range ve.Problems {
				got = append(got, p.Field)
			}
			if !slices.Equal(got, tt.fields) {
				t.Errorf("fields = %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestParametersAt(t *testing.T) {
	t.Parallel()
	ps := domain.Parameters{
		{Kind: domain.ParamRegionalAverageWage, EffectiveFrom: day(2025, 7, 1), Value: money.Yuan(6800)},
		{Kind: domain.ParamRegionalAverageWage, EffectiveFrom: day(2026, 7, 1), Value: money.Yuan(7100)},
		{Kind: domain.ParamMinimumWage, EffectiveFrom: day(2026, 1, 1), Value: money.Yuan(2000)},
	}
	tests := []struct {
		name    string
		kind    domain.ParamKind
		on      time.Time
		want    money.Fen
		missing bool
	}{
		{name: "before the change", kind: domain.ParamRegionalAverageWage, on: day(2026, 6, 30), want: money.Yuan(6800)},
		{name: "on the change", kind: domain.ParamRegionalAverageWage, on: day(2026, 7, 1), want: money.Yuan(7100)},
		{name: "before any", kind: domain.ParamRegionalAverageWage, on: day(2025, 1, 1), missing: true},
		{name: "other kind", kind: domain.ParamNationalIncome, on: day(2026, 1, 1), missing: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := ps.At(tt.kind, tt.on)
			if tt.missing {
				if !errors.Is(err, domain.ErrParameterMissing) {
					t.Fatalf("err = %v, want missing", err)
				}
				return
			}
			if err != nil || p.Value != tt.want {
				t.Errorf("At = %d, %v; want %d", p.Value, err, tt.want)
			}
		})
	}
}
