package sheet_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/anxin-welfare/anxin/pkg/sheet"
)

func TestReadCSVKeepsLinesAndTrims(t *testing.T) {
	t.Parallel()
	// A BOM, a blank line before the header, a quoted cell spanning two
	// lines, padded cells and a blank line between rows.
	data := "\xEF\xBB\xBF\n 姓名 , 编号 \n\"张\n三\",1\n\n李四 , 2 \n"
	s, err := sheet.ReadCSV(strings.NewReader(data), sheet.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Header, []string{"姓名", "编号"}) {
		t.Fatalf("header %q", s.Header)
	}
	want := []sheet.Row{{Line: 3, Cells: []string{"张\n三", "1"}}, {Line: 6, Cells: []string{"李四", "2"}}}
	if len(s.Rows) != len(want) {
		t.Fatalf("rows %+v", s.Rows)
	}
	for i, r := range s.Rows {
		if r.Line != want[i].Line || !slices.Equal(r.Cells, want[i].Cells) {
			t.Errorf("row %d = %+v, want %+v", i, r, want[i])
		}
	}
}

func TestReadCSVReadsGB18030AndTabs(t *testing.T) {
	t.Parallel()
	gbk, err := simplifiedchinese.GB18030.NewEncoder().String("姓名\t编号\n张三\t1\n")
	if err != nil {
		t.Fatal(err)
	}
	s, err := sheet.ReadCSV(strings.NewReader(gbk), sheet.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Header, []string{"姓名", "编号"}) || len(s.Rows) != 1 || !slices.Equal(s.Rows[0].Cells, []string{"张三", "1"}) {
		t.Fatalf("sheet %+v", s)
	}
}

func TestReadCSVWithoutRowsIsNotAnError(t *testing.T) {
	t.Parallel()
	for _, data := range []string{"", "\n\n", "a,b\n"} {
		s, err := sheet.ReadCSV(strings.NewReader(data), sheet.Limits{})
		if err != nil || len(s.Rows) != 0 {
			t.Errorf("%q: %+v, %v", data, s, err)
		}
	}
}

func TestReadCSVRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
		lim  sheet.Limits
		want sheet.Error
	}{
		{name: "too large", data: "a\n" + strings.Repeat("b", 2000), lim: sheet.Limits{MaxBytes: 1000}, want: sheet.Error{Kind: sheet.TooLarge, Limit: 1000}},
		{name: "too many rows", data: "h\n1\n2\n3\n", lim: sheet.Limits{MaxRows: 2}, want: sheet.Error{Kind: sheet.TooManyRows, Limit: 2}},
		{name: "cell too long", data: "h,h\n1," + strings.Repeat("长", 11) + "\n", lim: sheet.Limits{MaxCellRunes: 10}, want: sheet.Error{Kind: sheet.CellTooLong, Line: 2, Column: 2, Limit: 10}},
		{name: "unbalanced quote", data: "h\n1\n\"2\n", want: sheet.Error{Kind: sheet.MalformedCSV, Line: 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := sheet.ReadCSV(strings.NewReader(tc.data), tc.lim)
			var se *sheet.Error
			if !errors.As(err, &se) || *se != tc.want {
				t.Errorf("err = %#v, want %#v", err, tc.want)
			}
		})
	}
}

func TestReadXLSX(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	for cell, v := range map[string]any{
		"A1": "姓名", "B1": "身份证号", "C1": "入职日期",
		"A3": " 张三 ", "B3": 110105199005041234, "C3": 45000,
		"A4": "李四", "B4": "11010519900504123X",
	} {
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	s, err := sheet.ReadXLSX(bytes.NewReader(buf.Bytes()), sheet.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Header, []string{"姓名", "身份证号", "入职日期"}) || len(s.Rows) != 2 {
		t.Fatalf("sheet %+v", s)
	}
	if r := s.Rows[0]; r.Line != 3 || r.Cells[0] != "张三" || r.Cells[2] != "45000" || !slices.Equal(r.Numeric, []int{1}) {
		t.Errorf("row 3 = %+v", r)
	}
	if r := s.Rows[1]; r.Line != 4 || len(r.Numeric) != 0 {
		t.Errorf("row 4 = %+v", r)
	}
	_, err = sheet.ReadXLSX(strings.NewReader("姓名,编号\n"), sheet.Limits{})
	var se *sheet.Error
	if !errors.As(err, &se) || se.Kind != sheet.NotXLSX {
		t.Errorf("CSV read as XLSX: %v", err)
	}
}

// FuzzReadCSV feeds arbitrary bytes to the CSV reader: it must never
// panic, must keep the limits, and must hand back only valid UTF-8 without
// a BOM, with line numbers that rise.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("单位编码,姓名,身份证号\nGAJ,张伟,11010519491231002X\n"))
	f.Add([]byte("\xEF\xBB\xBF姓名,身份证号\n\"a\"\"b\",1\n"))
	f.Add([]byte("\xd0\xd5\xc3\xfb,id\n\xd5\xc5,2\n")) // GBK
	f.Add([]byte("a\tb\n1\t2\n"))
	f.Add([]byte("\"unterminated\n"))
	f.Add([]byte("h\n\"x\ny\"\n\n2\n"))
	lim := sheet.Limits{MaxBytes: 1 << 16, MaxRows: 50, MaxCellRunes: 40}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := sheet.ReadCSV(bytes.NewReader(data), lim)
		if err != nil {
			var se *sheet.Error
			if !errors.As(err, &se) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if len(s.Rows) > lim.MaxRows || (len(s.Rows) > 0 && s.Header == nil) {
			t.Fatalf("%d rows, header %q", len(s.Rows), s.Header)
		}
		for _, h := range s.Header {
			if !utf8.ValidString(h) || strings.HasPrefix(h, "\uFEFF") || utf8.RuneCountInString(h) > lim.MaxCellRunes {
				t.Fatalf("bad header %q", h)
			}
		}
		last := 0
		for _, r := range s.Rows {
			if r.Line <= last {
				t.Fatalf("line %d after %d", r.Line, last)
			}
			last = r.Line
			for _, c := range r.Cells {
				if !utf8.ValidString(c) || utf8.RuneCountInString(c) > lim.MaxCellRunes || c != strings.TrimSpace(c) {
					t.Fatalf("bad cell %q", c)
				}
			}
		}
	})
}

func TestFormatOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, contentType string
		want              sheet.Format
		err               error
	}{
		{"csv", sheet.MediaXLSX, sheet.CSV, nil},
		{"xlsx", "", sheet.XLSX, nil},
		{"", "text/csv; charset=gb18030", sheet.CSV, nil},
		{"", sheet.MediaXLSX, sheet.XLSX, nil},
		{"xls", sheet.MediaCSV, "", sheet.ErrFormatName},
		{"", "application/pdf", "", sheet.ErrMediaType},
		{"", "", "", sheet.ErrMediaType},
	}
	for _, tc := range tests {
		if got, err := sheet.FormatOf(tc.name, tc.contentType); got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("FormatOf(%q, %q) = %q, %v; want %q, %v", tc.name, tc.contentType, got, err, tc.want, tc.err)
		}
	}
}
