// Package roster reads member rosters from CSV and XLSX files and turns
// them into validated member inputs with per-row, per-field problems. It
// knows nothing of HTTP or storage: the service decodes, validates and plans
// here, shows the plan as a dry run, and commits it in one transaction.
package roster

import (
	"errors"
	"io"

	"github.com/anxin-welfare/anxin/pkg/sheet"
)

// Format is a roster file format.
type Format = sheet.Format

// Formats.
const (
	FormatCSV  = sheet.CSV
	FormatXLSX = sheet.XLSX
)

// Limits bound what a roster file may hold, so a hostile or mistaken upload
// cannot exhaust memory: MaxBytes (default 16 MiB), MaxRows (default
// 20000), MaxCellRunes (default 200).
type Limits = sheet.Limits

// DefaultLimits fit a county's whole roster with room to spare.
var DefaultLimits = sheet.DefaultLimits

// Sheet is a decoded file: the header and the data rows, cells trimmed.
type Sheet struct {
	Format Format
	Header []string
	Rows   []Record
}

// Record is one data row with its line (CSV) or row number (XLSX) as the
// user sees it in their editor, header included, and the number cells too
// long for a spreadsheet to keep exactly (Numeric).
type Record = sheet.Row

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

// DecodeCSV reads a CSV roster: UTF-8 (a BOM is dropped) or GB18030 as
// Excel on a Chinese Windows saves it, comma- or tab-separated (see
// sheet.ReadCSV).
func DecodeCSV(r io.Reader, lim Limits) (*Sheet, error) {
	s, err := sheet.ReadCSV(r, lim)
	return finish(FormatCSV, s, err)
}

// DecodeXLSX reads the first worksheet of an XLSX roster. Cells are read
// raw, so dates arrive as Excel serial numbers and an identity number typed
// as a number shows as one (and is refused: Excel keeps only 15
// significant digits).
func DecodeXLSX(r io.Reader, lim Limits) (*Sheet, error) {
	s, err := sheet.ReadXLSX(r, lim)
	return finish(FormatXLSX, s, err)
}

// finish turns the reader's errors into the roster's codes and refuses a
// file without a header and at least one row.
func finish(f Format, s *sheet.Sheet, err error) (*Sheet, error) {
	var se *sheet.Error
	if errors.As(err, &se) {
		switch se.Kind {
		case sheet.TooLarge:
			return nil, fileErr(CodeTooLarge, se.Limit>>20)
		case sheet.MalformedCSV:
			return nil, fileErr(CodeMalformedCSV, se.Line)
		case sheet.NotXLSX:
			return nil, fileErr(CodeNotXLSX)
		case sheet.TooManyRows:
			return nil, fileErr(CodeTooManyRows, int(se.Limit))
		case sheet.CellTooLong:
			return nil, fileErr(CodeCellTooLong, se.Line, se.Column, int(se.Limit))
		}
	}
	if err != nil {
		return nil, err
	}
	if s.Header == nil || len(s.Rows) == 0 {
		return nil, fileErr(CodeEmpty)
	}
	return &Sheet{Format: f, Header: s.Header, Rows: s.Rows}, nil
}
