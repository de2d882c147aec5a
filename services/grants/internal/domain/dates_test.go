package domain_test

import (
	"errors"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/plausible"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

func fieldsOf(err error) map[string]string {
	out := map[string]string{}
	var ve *fielderr.Invalid
	if errors.As(err, &ve) {
		for _, f := range ve.Problems {
			out[f.Field] = f.Code
		}
	}
	return out
}

func TestRateValidate(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	d := func(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name string
		r    domain.Rate
		want map[string]string
	}{
		{name: "valid", r: domain.Rate{Kind: domain.RateNationalIncome, ValidFrom: d(2026, 1, 1), Amount: 1}, want: map[string]string{}},
		{name: "1949", r: domain.Rate{Kind: domain.RateNationalIncome, ValidFrom: d(1949, 12, 31), Amount: 1}, want: map[string]string{"valid_from": plausible.Code}},
		{name: "1950", r: domain.Rate{Kind: domain.RateNationalIncome, ValidFrom: d(1950, 1, 1), Amount: 1}, want: map[string]string{}},
		{name: "two years ahead", r: domain.Rate{Kind: domain.RateRegionalMonthlyWage, ValidFrom: d(2028, 12, 6), Amount: 1}, want: map[string]string{}},
		{name: "two years and a day", r: domain.Rate{Kind: domain.RateRegionalMonthlyWage, ValidFrom: d(2028, 12, 7), Amount: 1}, want: map[string]string{"valid_from": plausible.Code}},
		{name: "kind and amount", r: domain.Rate{Kind: "bonus", ValidFrom: d(2026, 1, 1)}, want: map[string]string{"kind": domain.CodeUnknownValue, "amount": domain.CodeNotPositive}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := fieldsOf(tt.r.Validate(today)); !equal(got, tt.want) {
				t.Errorf("Validate = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestValidatePeriod(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	d := func(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name     string
		from, to time.Time
		want     map[string]string
	}{
		{name: "this year", from: d(2026, 1, 1), to: d(2026, 12, 31), want: map[string]string{}},
		{name: "from 1999", from: d(1999, 12, 31), to: d(2026, 12, 31), want: map[string]string{"from": plausible.Code}},
		{name: "to in 2206", from: d(2026, 1, 1), to: d(2206, 1, 1), want: map[string]string{"to": plausible.Code}},
		{name: "a year ahead", from: d(2000, 1, 1), to: d(2027, 12, 6), want: map[string]string{}},
		{name: "a year and a day ahead", from: d(2027, 12, 7), to: d(2027, 12, 7), want: map[string]string{"from": plausible.Code, "to": plausible.Code}},
		{name: "to before from", from: d(2026, 2, 1), to: d(2026, 1, 1), want: map[string]string{"to": domain.CodeBeforeFrom}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := fieldsOf(domain.ValidatePeriod(tt.from, tt.to, today)); !equal(got, tt.want) {
				t.Errorf("ValidatePeriod = %v, want %v", got, tt.want)
			}
		})
	}
}

func equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
