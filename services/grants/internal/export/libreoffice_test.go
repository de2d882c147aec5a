package export_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/services/grants/internal/export"
)

// ledgerXLSX writes the test rows as an XLSX workbook.
func ledgerXLSX(t *testing.T) []byte {
	t.Helper()
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
	return buf.Bytes()
}

// TestXLSXDeclaresNoFalseRangeAndColumnsInOrder reads the sheet's XML:
// no <dimension> claiming the used range is A1, and the column widths in
// column order, each column its own width.
func TestXLSXDeclaresNoFalseRangeAndColumnsInOrder(t *testing.T) {
	t.Parallel()
	data := ledgerXLSX(t)
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var sheet []byte
	for _, f := range z.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			sheet, _ = io.ReadAll(r)
			_ = r.Close()
		}
	}
	var ws struct {
		Dimension *struct {
			Ref string `xml:"ref,attr"`
		} `xml:"dimension"`
		Cols []struct {
			Min   int     `xml:"min,attr"`
			Max   int     `xml:"max,attr"`
			Width float64 `xml:"width,attr"`
		} `xml:"cols>col"`
	}
	if err := xml.Unmarshal(sheet, &ws); err != nil {
		t.Fatalf("sheet1.xml: %v", err)
	}
	if ws.Dimension != nil && ws.Dimension.Ref != "A1:K4" {
		t.Errorf("the sheet declares its range as %q, want A1:K4 or none", ws.Dimension.Ref)
	}
	want := []float64{16, 11, 36, 9, 24, 15, 15, 24, 16, 10, 20}
	if len(ws.Cols) != len(want) {
		t.Fatalf("%d <col> elements, want %d", len(ws.Cols), len(want))
	}
	for i, c := range ws.Cols {
		if c.Min != i+1 || c.Max != i+1 || c.Width != want[i] {
			t.Errorf("<col> %d is min=%d max=%d width=%v, want column %d width %v", i, c.Min, c.Max, c.Width, i+1, want[i])
		}
	}
}

// TestXLSXOpensInLibreOffice converts the workbook to CSV with Debian's
// LibreOffice, headless, as finance's spreadsheet would open it, and
// checks every cell that comes out: headings, texts (formula-like ones
// neutralised), amounts as numbers, the payee's name in full, the totals.
func TestXLSXOpensInLibreOffice(t *testing.T) {
	t.Parallel()
	bin, err := exec.LookPath("libreoffice")
	if err != nil {
		t.Fatalf("LibreOffice is needed (Debian package libreoffice-calc-nogui; scripts/test.sh installs it): %v", err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "分类账_2026-01-01_2026-06-30.xlsx")
	if err := os.WriteFile(in, ledgerXLSX(t), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// its own profile, so parallel runs do not share LibreOffice's lock;
	// filter options 44,34,76: comma, double quote, UTF-8
	cmd := exec.CommandContext(ctx, bin, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless",
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir, in)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("libreoffice --convert-to csv: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(strings.TrimSuffix(in, ".xlsx") + ".csv")
	if err != nil {
		t.Fatalf("LibreOffice wrote no CSV: %v", err)
	}
	got, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatalf("the converted CSV: %v\n%s", err, raw)
	}
	want := [][]string{
		headings[:],
		{"记-2026-000001", "2026-03-01", "'=HYPERLINK(\"http://x\",\"点击\")", "5001", "业务活动费用", "1,234.56", "", "特困, 帮扶", "GA-2026-000001", "张三", "'@李四"},
		{"记-2026-000001", "2026-03-01", "发放 \"一次性\" 资助", "2307", "其他应付款", "", "1,234.56", "'+特困", "GA-2026-000001", "'-张三", ""},
		{"合计", "", "", "", "", "1,234.56", "1,234.56", "", "", "", ""},
	}
	if len(got) != len(want) {
		t.Fatalf("LibreOffice read %d rows, want %d:\n%s", len(got), len(want), raw)
	}
	for i := range want {
		if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d in LibreOffice:\n got %q\nwant %q", i+1, got[i], want[i])
		}
	}
}
