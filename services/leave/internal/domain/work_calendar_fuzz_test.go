package domain_test

import "testing"

// FuzzCountWorkingDays checks the bitmap count against counting day by day
// for any range of the 2026 calendar.
func FuzzCountWorkingDays(f *testing.F) {
	for _, seed := range [][2]uint16{{0, 0}, {0, 364}, {44, 54}, {63, 64}, {270, 290}, {364, 364}} {
		f.Add(seed[0], seed[1])
	}
	c := calendar2026(f)
	start := d("2026-01-01")
	f.Fuzz(func(t *testing.T, a, b uint16) {
		i, j := int(a%365), int(b%365)
		if i > j {
			i, j = j, i
		}
		want := 0
		for k := i; k <= j; k++ {
			if c.IsWorkingDay(start.AddDate(0, 0, k)) {
				want++
			}
		}
		got, err := c.CountWorkingDays(start.AddDate(0, 0, i), start.AddDate(0, 0, j))
		if err != nil || got != want {
			t.Fatalf("days %d..%d: %d, %v; want %d", i, j, got, err, want)
		}
	})
}
