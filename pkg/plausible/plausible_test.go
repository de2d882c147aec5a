package plausible_test

import (
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/plausible"
)

func TestRanges(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	d := func(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name string
		r    plausible.Range
		at   time.Time
		want bool
	}{
		{name: "birth in year 0006", r: plausible.Birth(today), at: d(6, 5, 1), want: false},
		{name: "birth on 1900-01-01", r: plausible.Birth(today), at: d(1900, 1, 1), want: true},
		{name: "birth tomorrow", r: plausible.Birth(today), at: d(2026, 12, 7), want: false},
		{name: "hire in 1949", r: plausible.Past(today), at: d(1949, 12, 31), want: false},
		{name: "hire today", r: plausible.Past(today), at: today, want: true},
		{name: "injury before birth", r: plausible.Injury(today, d(1990, 3, 1)), at: d(1990, 2, 28), want: false},
		{name: "injury on the birthday", r: plausible.Injury(today, d(1990, 3, 1)), at: d(1990, 3, 1), want: true},
		{name: "injury, birth unknown, 1949", r: plausible.Injury(today, time.Time{}), at: d(1949, 1, 1), want: false},
		{name: "injury tomorrow", r: plausible.Injury(today, time.Time{}), at: d(2026, 12, 7), want: false},
		{name: "injury after midnight in Shanghai", r: plausible.Injury(today, time.Time{}), at: time.Date(2026, 12, 6, 17, 0, 0, 0, time.UTC), want: false},
		{name: "injury this morning in Shanghai", r: plausible.Injury(today, time.Time{}), at: time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC), want: true},
		{name: "leave in 1999", r: plausible.Leave(today), at: d(1999, 12, 31), want: false},
		{name: "leave in two years", r: plausible.Leave(today), at: d(2028, 12, 6), want: true},
		{name: "leave in two years and a day", r: plausible.Leave(today), at: d(2028, 12, 7), want: false},
		{name: "ledger in 1999", r: plausible.Ledger(today), at: d(1999, 12, 31), want: false},
		{name: "ledger on 2000-01-01", r: plausible.Ledger(today), at: d(2000, 1, 1), want: true},
		{name: "ledger in a year", r: plausible.Ledger(today), at: d(2027, 12, 6), want: true},
		{name: "ledger in a year and a day", r: plausible.Ledger(today), at: d(2027, 12, 7), want: false},
		{name: "plan in 2206", r: plausible.Plan(today), at: d(2206, 1, 1), want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.r.Contains(tt.at); got != tt.want {
				t.Errorf("%v.Contains(%v) = %v, want %v", tt.r, tt.at, got, tt.want)
			}
		})
	}
}

func TestMessageNamesTheRange(t *testing.T) {
	t.Parallel()
	r := plausible.Leave(time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC))
	if got, want := i18n.T(i18n.ZH, plausible.Code, r.Args()...), "应在 2000-01-01 至 2028-12-06 之间"; got != want {
		t.Errorf("zh: %q, want %q", got, want)
	}
	if got, want := i18n.T(i18n.EN, plausible.Code, r.Args()...), "must be between 2000-01-01 and 2028-12-06"; got != want {
		t.Errorf("en: %q, want %q", got, want)
	}
}
