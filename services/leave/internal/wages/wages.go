// Package wages reads finance's wage file for the unused-leave
// compensation: one row per member with the year's pay basis, from CSV
// (UTF-8, or GB18030 as Excel on a Chinese Windows saves it) or XLSX. It
// checks every row against the members the service knows and reports each
// problem by row and column, so a dry run can show them all at once. It
// knows nothing of HTTP or storage.
package wages

import (
	"bytes"
	"errors"
	"strings"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/sheet"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// Format is a wage file's format.
type Format = sheet.Format

// Formats.
const (
	FormatCSV  = sheet.CSV
	FormatXLSX = sheet.XLSX
)

// Limits of a wage file: a county's whole payroll fits many times over.
const (
	MaxBytes     = 4 << 20
	MaxRows      = 20000
	MaxCellRunes = 200
)

// Problem codes (catalogue keys of the leave service).
const (
	CodeEmpty         = "leave.wages.empty"
	CodeMalformedCSV  = "leave.wages.malformed_csv"
	CodeNotXLSX       = "leave.wages.not_xlsx"
	CodeTooLarge      = "leave.wages.too_large"
	CodeTooManyRows   = "leave.wages.too_many_rows"
	CodeCellTooLong   = "leave.wages.cell_too_long"
	CodeMissingColumn = "leave.wages.missing_column"
	CodeUnknownMember = "leave.wages.unknown_member"
	CodeNameMismatch  = "leave.wages.name_mismatch"
	CodeDuplicate     = "leave.wages.duplicate"
	CodeNeedsAnnual   = "leave.wages.needs_annual"
	CodeNeedsMonthly  = "leave.wages.needs_monthly"
	CodeMoney         = "field.money"
	CodeRequired      = "field.required"
)

// Columns of the file, by the names a row's problems use.
const (
	ColMemberID    = "member_id"
	ColName        = "name"
	ColAnnualPay   = "annual_pay"
	ColMonthlyWage = "monthly_wage"
)

// headers maps the header texts finance uses (the template's Chinese,
// English, or the API's names) to columns. 单位 / unit is read by people,
// not by the import, and other columns are ignored.
var headers = map[string]string{
	"人员编号": ColMemberID, "编号": ColMemberID, "member_id": ColMemberID, "member id": ColMemberID,
	"姓名": ColName, "name": ColName,
	"全年工资收入": ColAnnualPay, "全年工资": ColAnnualPay, "annual_pay": ColAnnualPay, "annual pay": ColAnnualPay,
	"月平均工资": ColMonthlyWage, "月工资": ColMonthlyWage, "monthly_wage": ColMonthlyWage, "monthly wage": ColMonthlyWage,
}

// FileError is a problem with the whole file (format, size, header): no
// row can be read.
type FileError struct {
	Code string
	Args []any
}

func (e *FileError) Error() string { return e.Code }

func fileErr(code string, args ...any) error { return &FileError{Code: code, Args: args} }

// Row is one data row as read: its line as the user's editor shows it,
// header included, and its cells by column.
type Row struct {
	Line                                   int
	MemberID, Name, AnnualPay, MonthlyWage string
}

// Decode reads a wage file.
func Decode(data []byte, f Format) ([]Row, error) {
	lim := sheet.Limits{MaxBytes: MaxBytes, MaxRows: MaxRows, MaxCellRunes: MaxCellRunes}
	var (
		s   *sheet.Sheet
		err error
	)
	switch f {
	case FormatXLSX:
		s, err = sheet.ReadXLSX(bytes.NewReader(data), lim)
	default:
		s, err = sheet.ReadCSV(bytes.NewReader(data), lim)
	}
	if err != nil {
		return nil, readErr(err)
	}
	if s.Header == nil {
		return nil, fileErr(CodeEmpty)
	}
	cols := map[int]string{}
	for j, h := range s.Header {
		if c, ok := headers[normalizeHeader(h)]; ok {
			cols[j] = c
		}
	}
	if !hasColumn(cols, ColMemberID) {
		return nil, fileErr(CodeMissingColumn, "人员编号 / member_id")
	}
	if !hasColumn(cols, ColAnnualPay) && !hasColumn(cols, ColMonthlyWage) {
		return nil, fileErr(CodeMissingColumn, "全年工资收入 / annual_pay, 月平均工资 / monthly_wage")
	}
	if len(s.Rows) == 0 {
		return nil, fileErr(CodeEmpty)
	}
	rows := make([]Row, 0, len(s.Rows))
	for _, line := range s.Rows {
		r := Row{Line: line.Line}
		for j, c := range line.Cells {
			switch cols[j] {
			case ColMemberID:
				r.MemberID = c
			case ColName:
				r.Name = c
			case ColAnnualPay:
				r.AnnualPay = c
			case ColMonthlyWage:
				r.MonthlyWage = c
			}
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// readErr turns the reader's errors into the wage file's codes.
func readErr(err error) error {
	var se *sheet.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Kind {
	case sheet.TooLarge:
		return fileErr(CodeTooLarge, int(se.Limit>>20))
	case sheet.MalformedCSV:
		return fileErr(CodeMalformedCSV, se.Line)
	case sheet.NotXLSX:
		return fileErr(CodeNotXLSX)
	case sheet.TooManyRows:
		return fileErr(CodeTooManyRows, int(se.Limit))
	case sheet.CellTooLong:
		return fileErr(CodeCellTooLong, se.Line, se.Column, int(se.Limit))
	}
	return err
}

func hasColumn(cols map[int]string, c string) bool {
	for _, v := range cols {
		if v == c {
			return true
		}
	}
	return false
}

// normalizeHeader drops the unit note ("（元）", "(yuan)"), spaces and case.
func normalizeHeader(h string) string {
	h = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
	for _, unit := range []string{"（元）", "(元)", "(yuan)", "（yuan）"} {
		h = strings.TrimSuffix(h, unit)
	}
	return strings.ToLower(strings.TrimSpace(h))
}

// Problem is one cell (or row, Field empty) that cannot be imported: the
// field problem and the line it is on.
type Problem struct {
	Line int
	fielderr.Problem
}

// Entry is a row that can be imported: the member and their pay basis.
type Entry struct {
	Line   int
	Member domain.Member
	Pay    domain.Pay
}

// Check validates every row against the members the service knows (by
// id): the member exists, the name (when given) is theirs, the id appears
// once, the amounts are yuan with at most two decimals, and the member's
// category has the basis it needs (civil servants the annual pay,
// auxiliary police the monthly wage). All problems are reported.
func Check(rows []Row, members map[string]domain.Member) ([]Entry, []Problem) {
	var out []Entry
	var ps []Problem
	seen := map[string]int{}
	for _, r := range rows {
		bad := false
		add := func(field, code string, args ...any) {
			ps = append(ps, Problem{Line: r.Line, Problem: fielderr.New(field, code, args...)})
			bad = true
		}
		m, known := members[r.MemberID]
		switch {
		case r.MemberID == "":
			add(ColMemberID, CodeRequired)
		case !known:
			add(ColMemberID, CodeUnknownMember, r.MemberID)
		case seen[r.MemberID] != 0:
			add(ColMemberID, CodeDuplicate, seen[r.MemberID])
		}
		if r.MemberID != "" && seen[r.MemberID] == 0 {
			seen[r.MemberID] = r.Line
		}
		if known && r.Name != "" && m.Name != "" && r.Name != m.Name {
			add(ColName, CodeNameMismatch, m.Name)
		}
		amount := func(field, s string) money.Fen {
			if s == "" {
				return 0
			}
			f, err := money.Parse(s)
			if err != nil || f < 0 {
				add(field, CodeMoney)
				return 0
			}
			return f
		}
		p := domain.Pay{AnnualPay: amount(ColAnnualPay, r.AnnualPay), MonthlyWage: amount(ColMonthlyWage, r.MonthlyWage)}
		if known && !bad {
			if m.Category.CivilService() && p.AnnualPay <= 0 {
				add(ColAnnualPay, CodeNeedsAnnual)
			} else if !m.Category.CivilService() && p.MonthlyWage <= 0 {
				add(ColMonthlyWage, CodeNeedsMonthly)
			}
		}
		if !bad {
			out = append(out, Entry{Line: r.Line, Member: m, Pay: p})
		}
	}
	return out, ps
}
