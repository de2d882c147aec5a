// Package wages reads finance's wage file for the unused-leave
// compensation: one row per member with the year's pay basis, from CSV
// (UTF-8, or GB18030 as Excel on a Chinese Windows saves it) or XLSX. It
// checks every row against the members the service knows and reports each
// problem by row and column, so a dry run can show them all at once. It
// knows nothing of HTTP or storage.
package wages

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// Format is a wage file's format.
type Format string

// Formats.
const (
	FormatCSV  Format = "csv"
	FormatXLSX Format = "xlsx"
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
	if len(data) > MaxBytes {
		return nil, fileErr(CodeTooLarge, MaxBytes>>20)
	}
	var (
		lines [][]string
		nums  []int
		err   error
	)
	switch f {
	case FormatXLSX:
		lines, nums, err = readXLSX(data)
	default:
		lines, nums, err = readCSV(data)
	}
	if err != nil {
		return nil, err
	}
	var cols map[int]string
	var rows []Row
	for i, cells := range lines {
		if cols == nil {
			cols = map[int]string{}
			for j, h := range cells {
				if c, ok := headers[normalizeHeader(h)]; ok {
					cols[j] = c
				}
			}
			for _, need := range []string{ColMemberID} {
				if !hasColumn(cols, need) {
					return nil, fileErr(CodeMissingColumn, "人员编号 / member_id")
				}
			}
			if !hasColumn(cols, ColAnnualPay) && !hasColumn(cols, ColMonthlyWage) {
				return nil, fileErr(CodeMissingColumn, "全年工资收入 / annual_pay, 月平均工资 / monthly_wage")
			}
			continue
		}
		if len(rows) >= MaxRows {
			return nil, fileErr(CodeTooManyRows, MaxRows)
		}
		r := Row{Line: nums[i]}
		for j, c := range cells {
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
	if len(rows) == 0 {
		return nil, fileErr(CodeEmpty)
	}
	return rows, nil
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

// readCSV reads UTF-8 (a BOM is dropped) or, when the bytes are not UTF-8,
// GB18030. It returns the non-empty lines, cells trimmed, with their line
// numbers.
func readCSV(data []byte) ([][]string, []int, error) {
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if !utf8.Valid(data) {
		decoded, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(decoded) {
			return nil, nil, fileErr(CodeMalformedCSV, 1)
		}
		data = decoded
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if !bytes.ContainsRune(first, ',') && bytes.ContainsRune(first, '\t') {
		cr.Comma = '\t'
	}
	var lines [][]string
	var nums []int
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
			return nil, nil, fileErr(CodeMalformedCSV, line)
		}
		n, _ := cr.FieldPos(0)
		if cells, ok, err := clean(rec, n); err != nil {
			return nil, nil, err
		} else if ok {
			lines, nums = append(lines, cells), append(nums, n)
		}
	}
	return lines, nums, nil
}

func readXLSX(data []byte) ([][]string, []int, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true,
		UnzipSizeLimit: MaxBytes * 8, UnzipXMLSizeLimit: MaxBytes * 8})
	if err != nil {
		return nil, nil, fileErr(CodeNotXLSX)
	}
	defer func() { _ = f.Close() }()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, fileErr(CodeEmpty)
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, nil, fileErr(CodeNotXLSX)
	}
	defer func() { _ = rows.Close() }()
	var lines [][]string
	var nums []int
	for n := 1; rows.Next(); n++ {
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, nil, fileErr(CodeNotXLSX)
		}
		if cells, ok, err := clean(cols, n); err != nil {
			return nil, nil, err
		} else if ok {
			lines, nums = append(lines, cells), append(nums, n)
		}
		if len(lines) > MaxRows+1 {
			return nil, nil, fileErr(CodeTooManyRows, MaxRows)
		}
	}
	if rows.Error() != nil {
		return nil, nil, fileErr(CodeNotXLSX)
	}
	return lines, nums, nil
}

// clean trims the cells of one line and reports whether any is non-empty.
func clean(cells []string, line int) ([]string, bool, error) {
	any := false
	for i, c := range cells {
		c = strings.TrimSpace(strings.ToValidUTF8(c, "\uFFFD"))
		if utf8.RuneCountInString(c) > MaxCellRunes {
			return nil, false, fileErr(CodeCellTooLong, line, i+1, MaxCellRunes)
		}
		cells[i] = c
		any = any || c != ""
	}
	return cells, any, nil
}

// Problem is one cell (or row, Field empty) that cannot be imported.
type Problem struct {
	Line  int
	Field string
	Code  string
	Args  []any
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
			ps = append(ps, Problem{Line: r.Line, Field: field, Code: code, Args: args})
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
