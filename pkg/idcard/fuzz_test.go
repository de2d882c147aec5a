package idcard_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/idcard"
)

// FuzzParse checks that ParseAt never panics, that every rejection is a
// coded *Error, and that everything accepted is canonical, carries a valid
// check character and round-trips through ParseAt, Generate and Mask. The
// seed corpus is in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"11010519491231002X", "11010519491231002x", "110101199003074477",
		"110105491231002", "", " ", "11010519491331002X", "１１０１０５１９４９１２３１００２ｘ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := idcard.ParseAt(s, today)
		if err != nil {
			var e *idcard.Error
			if !errors.As(err, &e) || !errors.Is(err, idcard.ErrInvalid) {
				t.Fatalf("ParseAt(%q) error %v is not an *idcard.Error", s, err)
			}
			if !strings.HasPrefix(e.Code, "idcard.") {
				t.Fatalf("ParseAt(%q) code %q", s, e.Code)
			}
			_ = idcard.Mask(s) // must not panic on anything either
			return
		}
		n := id.Number
		if len(n) != 18 || strings.ToUpper(n) != n {
			t.Fatalf("ParseAt(%q).Number = %q, not canonical", s, n)
		}
		if idcard.Checksum(n[:17]) != n[17] || isoCheck(n[:17]) != n[17] {
			t.Fatalf("accepted %q with a wrong check character", n)
		}
		again, err := idcard.ParseAt(n, today)
		if err != nil || again != id {
			t.Fatalf("ParseAt(%q) = %#v, %v; first parse gave %#v", n, again, err, id)
		}
		if id.Birth.After(today) || id.Birth.Year() < 1900 {
			t.Fatalf("accepted birth date %s", id.Birth)
		}
		seq, err := strconv.Atoi(n[14:17])
		if err != nil {
			t.Fatalf("sequence of %q: %v", n, err)
		}
		if g := idcard.Generate(id.Area, id.Birth, seq, id.Sex == idcard.Male); g != n {
			t.Fatalf("Generate from %#v = %q, want %q", id, g, n)
		}
		if m := idcard.Mask(s); m != idcard.Mask(n) || m != n[:6]+"********"+n[14:] {
			t.Fatalf("Mask(%q) = %q, Mask(%q) = %q", s, m, n, idcard.Mask(n))
		}
	})
}
