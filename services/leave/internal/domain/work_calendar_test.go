package domain_test

import (
	"errors"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// d parses a test date.
func d(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func dates(ss ...string) []time.Time {
	out := make([]time.Time, len(ss))
	for i, s := range ss {
		out[i] = d(s)
	}
	return out
}

// calendar2026 is the State Council's 2026 arrangement, as in
// /work/shared/data/reference.json.
func calendar2026(tb testing.TB) *domain.WorkCalendar {
	tb.Helper()
	c, err := domain.NewWorkCalendar(2026,
		dates("2026-01-01", "2026-01-02", "2026-01-03",
			"2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
			"2026-04-04", "2026-04-05", "2026-04-06",
			"2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05",
			"2026-06-19", "2026-06-20", "2026-06-21",
			"2026-09-25", "2026-09-26", "2026-09-27",
			"2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"),
		dates("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"))
	if err != nil {
		tb.Fatalf("2026 calendar: %v", err)
	}
	return c
}

func cals(tb testing.TB) domain.Calendars {
	return domain.Calendars{2026: calendar2026(tb)}
}

func TestCountWorkingDays(t *testing.T) {
	t.Parallel()
	c := calendar2026(t)
	if got := c.WorkingDaysInYear(); got != 248 {
		t.Fatalf("WorkingDaysInYear = %d, want 248", got)
	}
	tests := []struct {
		name     string
		from, to string
		want     int
	}{
		{"January with New Year and a 调休 Sunday", "2026-01-01", "2026-01-31", 21},
		{"across Spring Festival", "2026-02-09", "2026-03-06", 16},
		{"across National Day with 10 October worked", "2026-09-28", "2026-10-16", 11},
		{"one working day", "2026-12-31", "2026-12-31", 1},
		{"a Sunday made a working day", "2026-01-04", "2026-01-04", 1},
		{"Labour Day week with 9 May worked", "2026-05-01", "2026-05-10", 4},
		{"a plain week", "2026-03-02", "2026-03-06", 5},
		{"a plain weekend", "2026-03-07", "2026-03-08", 0},
		{"the whole year", "2026-01-01", "2026-12-31", 248},
		{"across a word boundary", "2026-03-01", "2026-03-10", 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := c.CountWorkingDays(d(tt.from), d(tt.to))
			if err != nil {
				t.Fatalf("CountWorkingDays: %v", err)
			}
			if got != tt.want {
				t.Fatalf("CountWorkingDays(%s, %s) = %d, want %d", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestCountWorkingDaysMatchesDayByDay(t *testing.T) {
	t.Parallel()
	c := calendar2026(t)
	start := d("2026-01-01")
	for i := 0; i < 365; i += 7 {
		for j := i; j < 365; j += 13 {
			want := 0
			for k := i; k <= j; k++ {
				if c.IsWorkingDay(start.AddDate(0, 0, k)) {
					want++
				}
			}
			got, err := c.CountWorkingDays(start.AddDate(0, 0, i), start.AddDate(0, 0, j))
			if err != nil || got != want {
				t.Fatalf("days %d..%d: got %d, %v; want %d", i, j, got, err, want)
			}
		}
	}
}

func TestCountWorkingDaysErrors(t *testing.T) {
	t.Parallel()
	cs := cals(t)
	tests := []struct {
		name     string
		from, to string
		want     error
	}{
		{"to before from", "2026-03-10", "2026-03-01", domain.ErrValidation},
		{"year without calendar", "2026-12-28", "2027-01-05", domain.ErrCalendarMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := cs.CountWorkingDays(d(tt.from), d(tt.to))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestNewWorkCalendarValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		year       int
		off, work  []time.Time
		wantFields []string
	}{
		{"valid", 2026, dates("2026-01-01"), dates("2026-01-04"), nil},
		{"off day in another year", 2026, dates("2025-12-31"), nil, []string{"off[0]"}},
		{"work day on a weekday", 2026, nil, dates("2026-01-05"), []string{"work[0]"}},
		{"same day off and work", 2026, dates("2026-01-04"), dates("2026-01-04"), []string{"work[0]"}},
		{"duplicate off day", 2026, dates("2026-01-01", "2026-01-01"), nil, []string{"off[1]"}},
		{"time of day", 2026, []time.Time{time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)}, nil, []string{"off[0]"}},
		{"all problems at once", 2026, dates("2027-01-01"), dates("2026-01-05"), []string{"off[0]", "work[0]"}},
		{"absurd year", 12, nil, nil, []string{"year"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := domain.NewWorkCalendar(tt.year, tt.off, tt.work)
			assertFields(t, err, tt.wantFields)
		})
	}
}

// assertFields checks that err is a validation error on exactly fields.
func assertFields(t *testing.T, err error, fields []string) {
	t.Helper()
	if len(fields) == 0 {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	var v *fielderr.Invalid
	if !errors.As(err, &v) {
		t.Fatalf("err = %v, want a validation error on %v", err, fields)
	}
	if len(v.Problems) != len(fields) {
		t.Fatalf("problems = %v, want fields %v", v.Problems, fields)
	}
	for i, p := range v.Problems {
		if p.Field != fields[i] {
			t.Fatalf("problem %d on %q, want %q (%v)", i, p.Field, fields[i], v.Problems)
		}
		if p.Code == "" {
			t.Fatalf("problem %d has no code", i)
		}
	}
}

var sink int

// BenchmarkCountWorkingDays measures counting any range within a year: two
// popcounts over the precomputed bitmap.
func BenchmarkCountWorkingDays(b *testing.B) {
	c := calendar2026(b)
	days := make([]time.Time, 365)
	for i := range days {
		days[i] = d("2026-01-01").AddDate(0, 0, i)
	}
	for i := 0; b.Loop(); i++ {
		from := i % 180
		n, err := c.CountWorkingDays(days[from], days[from+i%185])
		if err != nil {
			b.Fatal(err)
		}
		sink += n
	}
}
