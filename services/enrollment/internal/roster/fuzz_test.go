package roster_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/anxin-welfare/anxin/services/enrollment/internal/roster"
)

// FuzzDecodeCSV feeds arbitrary bytes to the CSV decoder and the validator:
// they must never panic, must keep the limits, and must hand back only
// valid UTF-8 without a BOM. The seed corpus is in testdata/fuzz.
func FuzzDecodeCSV(f *testing.F) {
	f.Add([]byte(header + "GAJ,张伟,民警,是,,,11010519491231002X,13800138000,2008-07-01,,\n"))
	f.Add([]byte("\xEF\xBB\xBF姓名,身份证号\n\"a\"\"b\",1\n"))
	f.Add([]byte("\xd0\xd5\xc3\xfb,id\n\xd5\xc5,2\n")) // GBK
	f.Add([]byte("a\tb\n1\t2\n"))
	f.Add([]byte("\"unterminated\n"))
	lim := roster.Limits{MaxBytes: 1 << 16, MaxRows: 50, MaxCellRunes: 40}
	f.Fuzz(func(t *testing.T, data []byte) {
		sheet, err := roster.DecodeCSV(strings.NewReader(string(data)), lim)
		if err != nil {
			return
		}
		if len(sheet.Rows) == 0 || len(sheet.Rows) > lim.MaxRows {
			t.Fatalf("%d rows", len(sheet.Rows))
		}
		for _, h := range sheet.Header {
			if !utf8.ValidString(h) || strings.HasPrefix(h, "\uFEFF") {
				t.Fatalf("bad header %q", h)
			}
		}
		for _, r := range sheet.Rows {
			for _, c := range r.Cells {
				if !utf8.ValidString(c) || utf8.RuneCountInString(c) > lim.MaxCellRunes {
					t.Fatalf("bad cell %q", c)
				}
			}
		}
		_, _, _ = roster.Validate(sheet, units, today)
	})
}
