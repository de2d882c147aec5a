package webkit

import (
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/web"
)

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

func TestFormYuan(t *testing.T) {
	form := web.NewForm()
	for k, v := range map[string]string{"a": "1,234.56", "b": "-1", "c": "12元", "d": ""} {
		form.Set(k, v)
	}
	if got := FormYuan(form, "a", true); got != 123456 {
		t.Errorf("1,234.56 yuan = %d fen", got)
	}
	if FormYuan(form, "b", false) != 0 || FormYuan(form, "c", false) != 0 || FormYuan(form, "d", false) != 0 {
		t.Error("a refused or empty amount is not zero")
	}
	if FormYuan(form, "d", true); !form.HasErrors() {
		t.Fatal("no errors")
	}
	for _, name := range []string{"b", "c", "d"} {
		if len(form.Errors(name)) == 0 {
			t.Errorf("no error on %s", name)
		}
	}
	if len(form.Errors("a")) != 0 {
		t.Errorf("an error on a good amount: %v", form.Errors("a"))
	}
}
