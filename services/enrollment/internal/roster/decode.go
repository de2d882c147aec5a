// Package roster reads member rosters from CSV and XLSX files and turns
// them into validated member inputs with per-row, per-field problems. It
// knows nothing of HTTP or storage: the service decodes, validates and plans
// here, shows the plan as a dry run, and commits it in one transaction.
package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Format is a roster file format.
type Format string

// Formats.
const (
	FormatCSV  Format = "csv"
	FormatXLSX Format = "xlsx"
)

// Limits bound what a roster file may hold, so a hostile or mistaken upload
// cannot exhaust memory.
type Limits struct {
	// MaxBytes is the largest file accepted. Default 16 MiB.
	MaxBytes int64
	// MaxRows is the most data rows accepted. Default 20000.
	MaxRows int
	// MaxCellRunes is the longest cell accepted. Default 200.
	MaxCellRunes int
}

// DefaultLimits fit a county's whole roster with room to spare.
var DefaultLimits = Limits{MaxBytes: 16 << 20, MaxRows: 20000, MaxCellRunes: 200}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultLimits.MaxBytes
	}
	if l.MaxRows <= 0 {
		l.MaxRows = DefaultLimits.MaxRows
	}
	if l.MaxCellRunes <= 0 {
		l.MaxCellRunes = DefaultLimits.MaxCellRunes
	}
	return l
}

// Sheet is a decoded file: the header and the data rows, cells trimmed.
type Sheet struct {
	Format Format
	Header []string
	Rows   []Record
}

// Record is one data row with its line (CSV) or row number (XLSX) as the
// user sees it in their editor, header included.
type Record struct {
	Line  int
	Cells []string
	// Numeric lists the columns (0-based) holding a number longer than a
	// spreadsheet can keep exactly (more than 15 significant digits): an
	// identity number typed into a number cell has lost its last digits.
	Numeric []int
}

// Decode reads a file of the given format.
func Decode(r io.Reader, f Format, lim Limits) (*Sheet, error) {
	switch f {
	case FormatCSV:
		return DecodeCSV(r, lim)
	case FormatXLSX:
		return DecodeXLSX(r, lim)
	}
	return nil, fileErr(CodeUnknownFormat, string(f))
}

// readAll reads at most lim.MaxBytes and refuses anything larger.
func readAll(r io.Reader, lim Limits) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, fileErr(CodeTooLarge, lim.MaxBytes>>20)
	}
	return data, nil
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// DecodeCSV reads a CSV roster. Excel on a Chinese Windows saves CSV in
// GB18030 (GBK) without a BOM, so bytes that are not valid UTF-8 are read as
// GB18030; a UTF-8 BOM is dropped. A header with tabs and no commas is read
// as tab-separated (Excel's "text" export).
func DecodeCSV(r io.Reader, lim Limits) (*Sheet, error) {
	lim = lim.withDefaults()
	data, err := readAll(r, lim)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if !utf8.Valid(data) {
		decoded, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(decoded) {
			return nil, fileErr(CodeMalformedCSV, 1)
		}
		data = decoded
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	firstLine, _, _ := bytes.Cut(data, []byte("\n"))
	if !bytes.ContainsRune(firstLine, ',') && bytes.ContainsRune(firstLine, '\t') {
		cr.Comma = '\t'
	}
	sheet := &Sheet{Format: FormatCSV}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 1
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			return nil, fileErr(CodeMalformedCSV, line)
		}
		line, _ := cr.FieldPos(0)
		if err := sheet.add(line, rec, lim); err != nil {
			return nil, err
		}
	}
	return sheet.finish()
}

// DecodeXLSX reads the first worksheet of an XLSX roster. Cells are read
// raw (unformatted) so dates arrive as Excel serial numbers, whatever the
// cell's display format, and an identity number typed as a number shows as
// one (and is refused: Excel keeps only 15 significant digits).
func DecodeXLSX(r io.Reader, lim Limits) (*Sheet, error) {
	lim = lim.withDefaults()
	data, err := readAll(r, lim)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    lim.MaxBytes * 8,
		UnzipXMLSizeLimit: lim.MaxBytes * 8,
	})
	if err != nil {
		return nil, fileErr(CodeNotXLSX)
	}
	defer func() { _ = f.Close() }()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fileErr(CodeEmpty)
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, fileErr(CodeNotXLSX)
	}
	defer func() { _ = rows.Close() }()
	sheet := &Sheet{Format: FormatXLSX}
	for n := 1; rows.Next(); n++ {
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fileErr(CodeNotXLSX)
		}
		if err := sheet.add(n, cols, lim); err != nil {
			return nil, err
		}
		if len(sheet.Rows) > 0 && sheet.Rows[len(sheet.Rows)-1].Line == n {
			markLongNumbers(f, sheets[0], &sheet.Rows[len(sheet.Rows)-1])
		}
	}
	if rows.Error() != nil {
		return nil, fileErr(CodeNotXLSX)
	}
	return sheet.finish()
}

// markLongNumbers records the number cells too long for a double. Only
// long digit strings are looked up, so a 10,000-row roster costs a handful
// of lookups. A number cell has no type attribute or t="n"; text has t="s",
// "str" or "inlineStr".
func markLongNumbers(f *excelize.File, sheet string, rec *Record) {
	for i, c := range rec.Cells {
		if len(c) < 16 || strings.IndexFunc(c, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
			continue
		}
		name, err := excelize.CoordinatesToCellName(i+1, rec.Line)
		if err != nil {
			continue
		}
		if typ, err := f.GetCellType(sheet, name); err == nil && (typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset) {
			rec.Numeric = append(rec.Numeric, i)
		}
	}
}

// add appends one line: the first non-empty one is the header; empty lines
// are skipped (spreadsheets leave them at the end).
func (s *Sheet) add(line int, cells []string, lim Limits) error {
	empty := true
	for i, c := range cells {
		c = strings.TrimSpace(strings.ToValidUTF8(c, "\uFFFD"))
		if utf8.RuneCountInString(c) > lim.MaxCellRunes {
			return fileErr(CodeCellTooLong, line, i+1, lim.MaxCellRunes)
		}
		cells[i] = c
		if c != "" {
			empty = false
		}
	}
	if empty {
		return nil
	}
	if s.Header == nil {
		if len(cells) > 0 {
			cells[0] = strings.TrimPrefix(cells[0], "\uFEFF")
		}
		s.Header = cells
		return nil
	}
	if len(s.Rows) >= lim.MaxRows {
		return fileErr(CodeTooManyRows, lim.MaxRows)
	}
	s.Rows = append(s.Rows, Record{Line: line, Cells: cells})
	return nil
}

func (s *Sheet) finish() (*Sheet, error) {
	if s.Header == nil || len(s.Rows) == 0 {
		return nil, fileErr(CodeEmpty)
	}
	return s, nil
}
