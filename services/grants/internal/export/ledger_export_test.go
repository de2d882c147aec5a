package export_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/anxin-welfare/anxin/services/grants/internal/export"
)

var headings = [export.Columns]string{"凭证号", "日期", "摘要", "科目代码", "科目名称", "借方金额", "贷方金额", "项目", "申请编号", "申请人", "审批人"}

func rows() []export.Row {
	d := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	return []export.Row{
		{Voucher: "记-2026-000001", Date: d, Summary: "=HYPERLINK(\"http://x\",\"点击\")", AccountCode: "5001", AccountName: "业务活动费用", Debit: 123456, Program: "特困, 帮扶", Application: "GA-2026-000001", Applicant: "张三", Approvers: "@李四"},
		{Voucher: "记-2026-000001", Date: d, Summary: "发放 \"一次性\" 资助", AccountCode: "2307", AccountName: "其他应付款", Credit: 123456, Program: "+特困", Application: "GA-2026-000001", Applicant: "-张三"},
	}
}

func TestCSV(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	w := export.NewCSV(&buf)
	if err := w.Header(headings); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows() {
		if err := w.Row(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Totals("合计", 123456, 123456); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Row(export.Row{}); err == nil {
		t.Fatal("write after close succeeded")
	}
	out := buf.Bytes()
	if !bytes.HasPrefix(out, []byte("\xEF\xBB\xBF")) {
		t.Fatal("no UTF-8 byte-order mark")
	}
	recs, err := csv.NewReader(bytes.NewReader(out[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		row, col int
		want     string
	}{
		{"heading", 0, 2, "摘要"},
		{"formula neutralised", 1, 2, "'=HYPERLINK(\"http://x\",\"点击\")"},
		{"debit in yuan", 1, 5, "1234.56"},
		{"empty credit", 1, 6, ""},
		{"comma kept in quotes", 1, 7, "特困, 帮扶"},
		{"at neutralised", 1, 10, "'@李四"},
		{"quotes kept", 2, 2, "发放 \"一次性\" 资助"},
		{"plus neutralised", 2, 7, "'+特困"},
		{"minus neutralised", 2, 9, "'-张三"},
		{"totals label", 3, 0, "合计"},
		{"totals debit", 3, 5, "1234.56"},
		{"totals credit", 3, 6, "1234.56"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := recs[tt.row][tt.col]; got != tt.want {
				t.Fatalf("cell %d,%d = %q, want %q", tt.row, tt.col, got, tt.want)
			}
		})
	}
	if !strings.Contains(string(out), "\r\n") {
		t.Fatal("lines do not end in CRLF")
	}
}

func TestXLSX(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	w, err := export.NewXLSX(&buf, "资金明细账")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Header(headings); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows() {
		if err := w.Row(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Totals("合计", 123456, 123456); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tests := []struct {
		name, cell, want string
	}{
		{"heading", "C1", "摘要"},
		{"formula neutralised", "C2", "'=HYPERLINK(\"http://x\",\"点击\")"},
		{"debit formatted", "F2", "1,234.56"},
		{"credit formatted", "G3", "1,234.56"},
		{"plus neutralised", "H3", "'+特困"},
		{"totals", "A4", "合计"},
		{"totals debit", "F4", "1,234.56"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := f.GetCellValue("资金明细账", tt.cell)
			if err != nil || got != tt.want {
				t.Fatalf("%s = %q, %v; want %q", tt.cell, got, err, tt.want)
			}
		})
	}
	raw, err := f.GetCellValue("资金明细账", "F2", excelize.Options{RawCellValue: true})
	if err != nil || raw != "1234.56" {
		t.Fatalf("raw F2 = %q, %v", raw, err)
	}
	formula, _ := f.GetCellFormula("资金明细账", "C2")
	if formula != "" {
		t.Fatalf("C2 has a formula %q", formula)
	}
}

// BenchmarkCSVWriter measures the formatting cost alone, without the database.
func BenchmarkCSVWriter(b *testing.B) {
	r := rows()[0]
	r.Summary = "发放一次性资助"
	w := export.NewCSV(discard{})
	b.ReportAllocs()
	for b.Loop() {
		if err := w.Row(r); err != nil {
			b.Fatal(err)
		}
	}
	_ = w.Close()
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
