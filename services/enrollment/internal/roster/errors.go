package roster

import (
	"errors"
	"fmt"
)

// ErrFile is wrapped by every *FileError.
var ErrFile = errors.New("roster: unreadable file")

// FileError says why a whole file was refused before any row was looked
// at: too large, not a CSV or XLSX, a header without the required columns.
// Code is a message-catalogue key; Args fill its template.
type FileError struct {
	Code string
	Args []any
}

// Error describes the refusal for logs.
func (e *FileError) Error() string {
	if len(e.Args) == 0 {
		return "roster: " + e.Code
	}
	return fmt.Sprintf("roster: %s %v", e.Code, e.Args)
}

// Unwrap makes errors.Is(err, ErrFile) true.
func (e *FileError) Unwrap() error { return ErrFile }

func fileErr(code string, args ...any) error { return &FileError{Code: code, Args: args} }

// File-level codes.
const (
	CodeEmpty          = "enrollment.roster.empty"
	CodeTooLarge       = "enrollment.roster.too_large"
	CodeTooManyRows    = "enrollment.roster.too_many_rows"
	CodeMalformedCSV   = "enrollment.roster.malformed_csv"
	CodeNotXLSX        = "enrollment.roster.not_xlsx"
	CodeMissingColumns = "enrollment.roster.missing_columns"
	CodeDuplicateCol   = "enrollment.roster.duplicate_column"
	CodeUnknownFormat  = "enrollment.roster.unknown_format"
	CodeCellTooLong    = "enrollment.roster.cell_too_long"
)

// Row-level codes (the member fields keep the domain's codes).
const (
	CodeBadDate          = "enrollment.roster.bad_date"
	CodeBadBool          = "enrollment.roster.bad_bool"
	CodeUnknownUnit      = "enrollment.roster.unknown_unit"
	CodeDuplicateID      = "enrollment.roster.duplicate_id_number"
	CodeIDNumberAsNumber = "enrollment.roster.id_number_as_number"
	CodeExtraCells       = "enrollment.roster.extra_cells"
)
