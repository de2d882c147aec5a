package webkit

import "testing"

func TestFileNameHelpers(t *testing.T) {
	for in, want := range map[string]string{
		"GC-2026-000123": "GC-2026-000123",
		"a\r\nb\"; x=1":  "abx1",
		"分类账":            "export",
		"":               "export",
		"../../etc":      "etc",
	} {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := QuoteFileName("a\"b\\c\x00d\x7f家.pdf"); got != "a_b_c_d_家.pdf" {
		t.Errorf("QuoteFileName = %q", got)
	}
	var none *int
	if Deref(none) != 0 || Deref(new(7)) != 7 {
		t.Error("Deref")
	}
}
