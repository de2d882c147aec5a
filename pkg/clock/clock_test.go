package clock_test

import (
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
)

func TestToday(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		now  time.Time
		want string
	}{
		{"morning in Shanghai is still yesterday in UTC", time.Date(2026, 11, 26, 17, 30, 0, 0, time.UTC), "2026-11-27"},
		{"afternoon", time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC), "2026-11-27"},
		{"just before midnight in Shanghai", time.Date(2026, 12, 31, 15, 59, 59, 0, time.UTC), "2026-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := clock.Today(clock.NewFake(tt.now))
			if got.Format(time.DateOnly) != tt.want || got.Location() != time.UTC {
				t.Fatalf("Today = %v, want %s UTC", got, tt.want)
			}
		})
	}
}

func TestFakeMovesOnlyWhenTold(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f := clock.NewFake(start)
	if !f.Now().Equal(start) {
		t.Fatal("fake clock moved by itself")
	}
	f.Advance(15 * time.Minute)
	if got := f.Now().Sub(start); got != 15*time.Minute {
		t.Fatalf("advanced %v", got)
	}
	if clock.Local(start).Hour() != 8 {
		t.Fatal("Shanghai is UTC+8")
	}
}
