package domain_test

import (
	"testing"

	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

// FuzzParsePercent checks that any accepted share is in range and reads
// back the same from its String form, so a share never drifts through a
// form round trip.
func FuzzParsePercent(f *testing.F) {
	for _, s := range []string{"100", "33.33", "0.5", "50%", "", "1e2", "-1", "１００", "33.333", "999.99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := domain.ParsePercent(s)
		if err != nil {
			return
		}
		if p < 0 || p > 99999 {
			t.Fatalf("ParsePercent(%q) = %d out of range", s, p)
		}
		back, err := domain.ParsePercent(p.String())
		if err != nil || back != p {
			t.Fatalf("round trip of %q: %d -> %q -> %d, %v", s, p, p.String(), back, err)
		}
	})
}
