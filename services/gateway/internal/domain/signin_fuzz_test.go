package domain_test

import (
	"testing"
	"unicode/utf8"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// FuzzThrottleKey: any typed name gives a bounded, valid key, the same for
// names that differ only in case or surrounding space.
func FuzzThrottleKey(f *testing.F) {
	for _, s := range []string{"ZhangSan", " a ", "\xff\xfe", "张三", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := domain.ThrottleKey(s)
		if !utf8.ValidString(k) || utf8.RuneCountInString(k) > domain.UsernameMaxLen {
			t.Errorf("ThrottleKey(%q) = %q", s, k)
		}
		if domain.ThrottleKey(" "+s+" ") != domain.ThrottleKey(s) && utf8.RuneCountInString(k) < domain.UsernameMaxLen {
			t.Errorf("surrounding space changes the key of %q", s)
		}
	})
}
