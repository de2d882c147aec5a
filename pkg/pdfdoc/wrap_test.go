package pdfdoc

import (
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/i18n"
)

// TestWrapKeepsEveryCharacter: lines fit their width, together they hold
// the text exactly (less the spaces a break eats), Latin words and figures
// are not cut, and no line starts with closing punctuation.
func TestWrapKeepsEveryCharacter(t *testing.T) {
	t.Parallel()
	d, err := New(nil, Meta{Title: "wrap", PrintedAt: time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC), Lang: i18n.ZH})
	if err != nil {
		t.Fatalf("the default font must be installed (scripts/test.sh does): %v", err)
	}
	for _, tc := range []struct {
		name  string
		text  string
		width float64
	}{
		{"ideographs", strings.Repeat("人民警察抚恤优待办法第十四条。", 6), 40},
		{"mixed", "上一年度全国城镇居民人均可支配收入 ¥54,188.00 × 20 = ¥1,083,760.00，按《人民警察抚恤优待办法》第十四条计算", 35},
		{"latin", "Multiple of last year's national urban disposable income, per the regulations", 30},
		{"punctuation at a break", "一二三四五六七八九十一二三四五六七八九十，。、", 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lines := d.wrap(tc.text, tc.width)
			if got, want := strings.ReplaceAll(strings.Join(lines, ""), " ", ""), strings.ReplaceAll(tc.text, " ", ""); got != want {
				t.Fatalf("lines %q lose or add characters:\n got %q\nwant %q", lines, got, want)
			}
			for i, l := range lines {
				// only a line without a place to break (one long word) may overflow
				breakable := strings.Contains(l, " ") || strings.IndexFunc(l, wide) >= 0
				if w := d.pdf.GetStringWidth(l); w > tc.width-2*cellMargin+0.01 && breakable {
					t.Errorf("line %d %q is %.1f mm wide, over %.1f", i, l, w, tc.width-2*cellMargin)
				}
				if i > 0 && l != "" && closing([]rune(l)[0]) {
					t.Errorf("line %d %q starts with closing punctuation", i, l)
				}
			}
			for _, word := range []string{"¥1,083,760.00", "¥54,188.00", "national", "disposable"} {
				if strings.Contains(tc.text, word) && !strings.Contains(strings.Join(lines, "\n"), word) {
					t.Errorf("%q was cut across lines: %q", word, lines)
				}
			}
		})
	}
}
