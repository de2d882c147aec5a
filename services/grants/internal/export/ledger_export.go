// Package export writes the fund ledger as CSV (UTF-8 with a byte-order
// mark, so Excel reads Chinese correctly) and XLSX (excelize's
// StreamWriter). Both write row by row: memory stays flat whatever the
// number of lines. Text cells are neutralised against formula injection;
// amounts are written as numbers.
package export

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

// Row is one ledger line as exported.
type Row struct {
	Voucher     string
	Date        time.Time // a date, midnight UTC
	Summary     string
	AccountCode string
	AccountName string
	Debit       money.Fen
	Credit      money.Fen
	Program     string
	Application string
	Applicant   string // the payee, in full (the export is finance's, and audited)
	Approvers   string
}

// Columns is the number of columns of the export.
const Columns = 11

// Writer receives the heading, the rows and the totals, in that order.
type Writer interface {
	Header(headings [Columns]string) error
	Row(r Row) error
	// Totals writes the control totals row; label names it.
	Totals(label string, debit, credit money.Fen) error
	// Close flushes everything to the underlying io.Writer.
	Close() error
}

// ErrClosed: a write after Close.
var ErrClosed = errors.New("export: writer closed")

// Format is an export file format.
type Format string

// The formats finance can download.
const (
	FormatCSV  Format = "csv"
	FormatXLSX Format = "xlsx"
)

// Valid reports whether f is a known format.
func (f Format) Valid() bool { return f == FormatCSV || f == FormatXLSX }

// ContentType is the MIME type of the format.
func (f Format) ContentType() string {
	if f == FormatXLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// New returns a writer of format f on w; sheet names the XLSX worksheet.
func New(f Format, w io.Writer, sheet string) (Writer, error) {
	switch f {
	case FormatCSV:
		return NewCSV(w), nil
	case FormatXLSX:
		return NewXLSX(w, sheet)
	}
	return nil, fmt.Errorf("export: unknown format %q", f)
}

// CSV writes RFC 4180 CSV with a UTF-8 BOM and CRLF line ends. It formats
// by appending bytes to one reused buffer, which keeps a million lines fast.
type CSV struct {
	w      *bufio.Writer
	buf    []byte
	closed bool
	err    error
}

// NewCSV writes the byte-order mark and returns the writer.
func NewCSV(w io.Writer) *CSV {
	c := &CSV{w: bufio.NewWriterSize(w, 256<<10), buf: make([]byte, 0, 1024)}
	_, c.err = c.w.WriteString("\uFEFF")
	return c
}

// Header writes the heading line.
func (c *CSV) Header(h [Columns]string) error {
	b := c.buf[:0]
	for i, s := range h {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCSVField(b, s)
	}
	return c.line(b)
}

// Row writes one ledger line.
func (c *CSV) Row(r Row) error {
	b := c.buf[:0]
	b = appendCSVField(b, domain.NeutralizeCell(r.Voucher))
	b = append(b, ',')
	b = r.Date.AppendFormat(b, time.DateOnly)
	b = append(b, ',')
	b = appendCSVField(b, domain.NeutralizeCell(r.Summary))
	b = append(b, ',')
	b = appendCSVField(b, domain.NeutralizeCell(r.AccountCode))
	b = append(b, ',')
	b = appendCSVField(b, domain.NeutralizeCell(r.AccountName))
	b = append(b, ',')
	b = appendAmount(b, r.Debit)
	b = append(b, ',')
	b = appendAmount(b, r.Credit)
	for _, s := range [...]string{r.Program, r.Application, r.Applicant, r.Approvers} {
		b = append(b, ',')
		b = appendCSVField(b, domain.NeutralizeCell(s))
	}
	return c.line(b)
}

// Totals writes the control totals line.
func (c *CSV) Totals(label string, debit, credit money.Fen) error {
	b := appendCSVField(c.buf[:0], domain.NeutralizeCell(label))
	b = append(b, ",,,,,"...)
	b = appendAmount(b, debit)
	b = append(b, ',')
	b = appendAmount(b, credit)
	b = append(b, ",,,,"...)
	return c.line(b)
}

func (c *CSV) line(b []byte) error {
	if c.closed {
		return ErrClosed
	}
	if c.err != nil {
		return c.err
	}
	b = append(b, '\r', '\n')
	c.buf = b[:0]
	_, c.err = c.w.Write(b)
	return c.err
}

// Close flushes the buffer.
func (c *CSV) Close() error {
	if c.closed {
		return nil
	}
	c.closed = true
	if c.err != nil {
		return c.err
	}
	return c.w.Flush()
}

// appendCSVField quotes s when it holds a comma, quote or line break.
func appendCSVField(b []byte, s string) []byte {
	quote := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\n', '\r':
			quote = true
		}
	}
	if !quote {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

// appendAmount writes fen as yuan with two decimals ("1234.56"), with no
// grouping so spreadsheets read a number; zero is left empty, as ledgers
// print an unused side.
func appendAmount(b []byte, f money.Fen) []byte {
	if f == 0 {
		return b
	}
	u := uint64(f)
	if f < 0 {
		b = append(b, '-')
		u = uint64(-(f + 1)) + 1
	}
	b = strconv.AppendUint(b, u/100, 10)
	frac := u % 100
	return append(b, '.', byte('0'+frac/10), byte('0'+frac%10))
}

// XLSX writes one worksheet through excelize's StreamWriter, which keeps
// rows in a temporary file rather than in memory.
type XLSX struct {
	out    io.Writer
	f      *excelize.File
	sw     *excelize.StreamWriter
	row    int
	money  int // style id of amount cells
	bold   int
	closed bool
	cells  []any
}

// columnWidths are the widths of the columns, in characters, in order.
var columnWidths = [Columns]float64{16, 11, 36, 9, 24, 15, 15, 24, 16, 10, 20}

// NewXLSX prepares a workbook with one sheet named sheet.
func NewXLSX(w io.Writer, sheet string) (*XLSX, error) {
	f := excelize.NewFile()
	// excelize's WriteTo assembles the whole zip in a bytes.Buffer before
	// copying it out (tens of MB for a large ledger). Its zip-writer hook
	// lets the archive go straight to w instead, so memory stays flat; the
	// buffer it passes stays empty. (excelize patches local headers in that
	// buffer only for parts over 4 GiB, far beyond any ledger here.)
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	if sheet == "" || utf8.RuneCountInString(sheet) > 31 {
		sheet = "Ledger"
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("export: sheet name: %w", err)
	}
	// The stream writer writes the sheet's <dimension> before its rows,
	// when the last row is not known yet: the template's "A1" would
	// declare the used range as one cell. A sheet without one is valid
	// (the element is optional) and readers take the range from the rows.
	if err := f.SetSheetDimension(sheet, ""); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("export: sheet dimension: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("export: stream writer: %w", err)
	}
	numFmt := "#,##0.00"
	moneyStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &numFmt})
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("export: style: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("export: style: %w", err)
	}
	// excelize puts each width set before the ones already set, so they
	// are set last column first to come out in column order (readers that
	// expect <col> elements sorted, as the schema's examples are, then
	// read every width).
	for i := len(columnWidths) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, columnWidths[i]); err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("export: column width: %w", err)
		}
	}
	return &XLSX{out: w, f: f, sw: sw, money: moneyStyle, bold: bold, cells: make([]any, Columns)}, nil
}

func (x *XLSX) set(cells []any, opts ...excelize.RowOpts) error {
	if x.closed {
		return ErrClosed
	}
	x.row++
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, cells, opts...)
}

// Header writes the bold heading row.
func (x *XLSX) Header(h [Columns]string) error {
	cells := make([]any, Columns)
	for i, s := range h {
		cells[i] = s
	}
	return x.set(cells, excelize.RowOpts{StyleID: x.bold})
}

// amountCell is an amount as a numeric cell in yuan. The float is made from
// the exact integer of fen only here, at the edge, and its shortest decimal
// form is exact to the fen for any amount below 2^53 fen.
func (x *XLSX) amountCell(f money.Fen) any {
	if f == 0 {
		return nil
	}
	return excelize.Cell{StyleID: x.money, Value: float64(f) / 100}
}

// Row writes one ledger line.
func (x *XLSX) Row(r Row) error {
	c := x.cells
	c[0] = domain.NeutralizeCell(r.Voucher)
	c[1] = r.Date.Format(time.DateOnly)
	c[2] = domain.NeutralizeCell(r.Summary)
	c[3] = domain.NeutralizeCell(r.AccountCode)
	c[4] = domain.NeutralizeCell(r.AccountName)
	c[5] = x.amountCell(r.Debit)
	c[6] = x.amountCell(r.Credit)
	c[7] = domain.NeutralizeCell(r.Program)
	c[8] = domain.NeutralizeCell(r.Application)
	c[9] = domain.NeutralizeCell(r.Applicant)
	c[10] = domain.NeutralizeCell(r.Approvers)
	return x.set(c)
}

// Totals writes the bold control totals row.
func (x *XLSX) Totals(label string, debit, credit money.Fen) error {
	cells := make([]any, Columns)
	cells[0] = domain.NeutralizeCell(label)
	cells[5] = excelize.Cell{StyleID: x.money, Value: float64(debit) / 100}
	cells[6] = excelize.Cell{StyleID: x.money, Value: float64(credit) / 100}
	return x.set(cells, excelize.RowOpts{StyleID: x.bold})
}

// Close finishes the sheet and writes the workbook to the output.
func (x *XLSX) Close() error {
	if x.closed {
		return nil
	}
	x.closed = true
	defer func() { _ = x.f.Close() }()
	if err := x.sw.Flush(); err != nil {
		return fmt.Errorf("export: flush sheet: %w", err)
	}
	if _, err := x.f.WriteTo(x.out); err != nil {
		return fmt.Errorf("export: write workbook: %w", err)
	}
	return nil
}
