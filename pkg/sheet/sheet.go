// Package sheet reads the tabular files people upload (CSV as Excel or WPS
// saves it, and XLSX) into rows of trimmed cells, each with the line the
// user sees in their editor. It knows no columns and no messages: a service
// maps the header to its own columns and turns an *Error into its own
// catalogue code, so what the user reads stays the service's.
package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Limits bound what a file may hold, so a hostile or mistaken upload
// cannot exhaust memory. Zero fields take DefaultLimits.
type Limits struct {
	// MaxBytes is the largest file accepted.
	MaxBytes int64
	// MaxRows is the most data rows (header excluded) accepted.
	MaxRows int
	// MaxCellRunes is the longest cell accepted, after trimming.
	MaxCellRunes int
}

// DefaultLimits fit a county's whole roster or payroll with room to spare.
var DefaultLimits = Limits{MaxBytes: 16 << 20, MaxRows: 20000, MaxCellRunes: 200}

// WithDefaults fills the zero (or negative) fields from DefaultLimits.
func (l Limits) WithDefaults() Limits {
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

// Sheet is a read file: the first non-empty line as the header and the
// non-empty lines after it. A file without them (empty, or a header only)
// reads without error; whether that is acceptable is the caller's call.
type Sheet struct {
	Header []string
	Rows   []Row
}

// Row is one data row with its line (CSV) or row number (XLSX) as the user
// sees it in their editor, 1-based, header included.
type Row struct {
	Line  int
	Cells []string
	// Numeric lists the columns (0-based) of an XLSX row holding a number
	// longer than a spreadsheet can keep exactly (more than 15 significant
	// digits): an identity number typed into a number cell has lost its
	// last digits. Always empty for CSV.
	Numeric []int
}

// Kind says what is wrong with a file.
type Kind int

// Kinds of unreadable file.
const (
	// TooLarge: more than Limits.MaxBytes; Error.Limit holds it.
	TooLarge Kind = iota + 1
	// MalformedCSV: not CSV (an unbalanced quote, or neither UTF-8 nor
	// GB18030); Error.Line holds the line where reading failed.
	MalformedCSV
	// NotXLSX: not an XLSX workbook, or one that cannot be read.
	NotXLSX
	// TooManyRows: more than Limits.MaxRows data rows; Error.Limit holds it.
	TooManyRows
	// CellTooLong: a cell longer than Limits.MaxCellRunes; Error.Line and
	// Error.Column (1-based) locate it, Error.Limit holds the limit.
	CellTooLong
)

// Error is a file that cannot be read at all.
type Error struct {
	Kind   Kind
	Line   int
	Column int
	Limit  int64
}

func (e *Error) Error() string {
	switch e.Kind {
	case TooLarge:
		return fmt.Sprintf("sheet: file larger than %d bytes", e.Limit)
	case MalformedCSV:
		return fmt.Sprintf("sheet: malformed CSV at line %d", e.Line)
	case NotXLSX:
		return "sheet: not an XLSX workbook"
	case TooManyRows:
		return fmt.Sprintf("sheet: more than %d rows", e.Limit)
	case CellTooLong:
		return fmt.Sprintf("sheet: cell at line %d column %d longer than %d characters", e.Line, e.Column, e.Limit)
	}
	return "sheet: unreadable file"
}

// readAll reads at most lim.MaxBytes and refuses anything larger.
func readAll(r io.Reader, lim Limits) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, &Error{Kind: TooLarge, Limit: lim.MaxBytes}
	}
	return data, nil
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// ReadCSV reads a CSV file. Excel on a Chinese Windows saves CSV in GB18030
// (GBK) without a BOM, so bytes that are not valid UTF-8 are read as
// GB18030; a UTF-8 BOM is dropped. A first line with tabs and no commas is
// read as tab-separated (Excel's "text" export).
func ReadCSV(r io.Reader, lim Limits) (*Sheet, error) {
	lim = lim.WithDefaults()
	data, err := readAll(r, lim)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if !utf8.Valid(data) {
		decoded, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(decoded) {
			return nil, &Error{Kind: MalformedCSV, Line: 1}
		}
		data = decoded
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	firstLine, _, _ := bytes.Cut(data, []byte("\n"))
	if !bytes.ContainsRune(firstLine, ',') && bytes.ContainsRune(firstLine, '\t') {
		cr.Comma = '\t'
	}
	s := &Sheet{}
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
			return nil, &Error{Kind: MalformedCSV, Line: line}
		}
		line, _ := cr.FieldPos(0)
		if _, err := s.add(line, rec, lim); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// ReadXLSX reads the first worksheet of an XLSX workbook. Cells are read
// raw (unformatted) so dates arrive as Excel serial numbers, whatever the
// cell's display format, and a long number shows as typed (see
// Row.Numeric). A workbook without worksheets reads as an empty Sheet.
func ReadXLSX(r io.Reader, lim Limits) (*Sheet, error) {
	lim = lim.WithDefaults()
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
		return nil, &Error{Kind: NotXLSX}
	}
	defer func() { _ = f.Close() }()
	names := f.GetSheetList()
	if len(names) == 0 {
		return &Sheet{}, nil
	}
	rows, err := f.Rows(names[0])
	if err != nil {
		return nil, &Error{Kind: NotXLSX}
	}
	defer func() { _ = rows.Close() }()
	s := &Sheet{}
	for n := 1; rows.Next(); n++ {
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, &Error{Kind: NotXLSX}
		}
		added, err := s.add(n, cols, lim)
		if err != nil {
			return nil, err
		}
		if added {
			markLongNumbers(f, names[0], &s.Rows[len(s.Rows)-1])
		}
	}
	if rows.Error() != nil {
		return nil, &Error{Kind: NotXLSX}
	}
	return s, nil
}

// markLongNumbers records the number cells too long for a double. Only
// long digit strings are looked up, so a 10,000-row file costs a handful
// of lookups. A number cell has no type attribute or t="n"; text has t="s",
// "str" or "inlineStr".
func markLongNumbers(f *excelize.File, sheet string, row *Row) {
	for i, c := range row.Cells {
		if len(c) < 16 || strings.IndexFunc(c, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
			continue
		}
		name, err := excelize.CoordinatesToCellName(i+1, row.Line)
		if err != nil {
			continue
		}
		if typ, err := f.GetCellType(sheet, name); err == nil && (typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset) {
			row.Numeric = append(row.Numeric, i)
		}
	}
}

// add takes one line: the first non-empty one is the header; empty lines
// are skipped (spreadsheets leave them at the end). It reports whether the
// line became a data row.
func (s *Sheet) add(line int, cells []string, lim Limits) (bool, error) {
	empty := true
	for i, c := range cells {
		c = strings.TrimSpace(strings.ToValidUTF8(c, "\uFFFD"))
		if utf8.RuneCountInString(c) > lim.MaxCellRunes {
			return false, &Error{Kind: CellTooLong, Line: line, Column: i + 1, Limit: int64(lim.MaxCellRunes)}
		}
		cells[i] = c
		if c != "" {
			empty = false
		}
	}
	if empty {
		return false, nil
	}
	if s.Header == nil {
		if len(cells) > 0 {
			cells[0] = strings.TrimPrefix(cells[0], "\uFEFF")
		}
		s.Header = cells
		return false, nil
	}
	if len(s.Rows) >= lim.MaxRows {
		return false, &Error{Kind: TooManyRows, Limit: int64(lim.MaxRows)}
	}
	s.Rows = append(s.Rows, Row{Line: line, Cells: cells})
	return true, nil
}
