package roster

import (
	"slices"
	"strings"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

// Row is one valid roster line as a member input.
type Row struct {
	Line  int
	Input domain.MemberInput
	// Identity is the validated identity number (normalised), the key the
	// import is idempotent on.
	Identity domain.Identity
}

// Problem is one thing wrong with one cell of one line: the field problem
// (its Field is the column key, see Column; "" for the whole line) and the
// line it is on.
type Problem struct {
	Line int
	fielderr.Problem
}

// UnitLookup finds a unit id by its roster code.
type UnitLookup func(code string) (id string, ok bool)

// domainFields maps the domain's field names to roster columns.
var domainFields = map[string]Column{
	"unit_id":        ColUnitCode,
	"post.aux_duty":  ColAuxDuty,
	"post.high_risk": ColHighRisk,
}

// Validate checks every row and returns the valid ones and every problem
// of the others. A file with any problem must not be imported at all; the
// dry run shows the problems, the real run refuses.
func Validate(s *Sheet, units UnitLookup, today time.Time) ([]Row, []Problem, error) {
	idx, err := columnIndex(s.Header)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]Row, 0, len(s.Rows))
	var problems []Problem
	firstLine := make(map[string]int, len(s.Rows))
	for _, rec := range s.Rows {
		row, ps := validateRecord(rec, idx, len(s.Header), units, s.Format == FormatXLSX, today)
		if len(ps) == 0 {
			if first, dup := firstLine[row.Identity.Number]; dup {
				ps = append(ps, Problem{Line: rec.Line, Problem: fielderr.New(string(ColIDNumber), CodeDuplicateID, first)})
			} else {
				firstLine[row.Identity.Number] = rec.Line
			}
		}
		if len(ps) > 0 {
			problems = append(problems, ps...)
			continue
		}
		rows = append(rows, row)
	}
	return rows, problems, nil
}

func validateRecord(rec Record, idx map[Column]int, width int, units UnitLookup, xlsx bool, today time.Time) (Row, []Problem) {
	var ps []Problem
	add := func(c Column, code string, args ...any) {
		ps = append(ps, Problem{Line: rec.Line, Problem: fielderr.New(string(c), code, args...)})
	}
	cell := func(c Column) string {
		i, ok := idx[c]
		if !ok || i >= len(rec.Cells) {
			return ""
		}
		return rec.Cells[i]
	}
	// Cells past the header are a shifted row, not a comment: the values
	// under each header would be wrong.
	for i := width; i < len(rec.Cells); i++ {
		if rec.Cells[i] != "" {
			ps = append(ps, Problem{Line: rec.Line, Problem: fielderr.New("", CodeExtraCells, i+1)})
			return Row{}, ps
		}
	}
	in := domain.MemberInput{
		Name:     cell(ColName),
		Category: parseCategory(cell(ColCategory)),
		Phone:    cell(ColPhone),
		Post:     domain.Post{AuxDuty: parseAuxDuty(cell(ColAuxDuty))},
	}
	unitCode := cell(ColUnitCode)
	if unitCode == "" {
		add(ColUnitCode, "enrollment.required")
	} else if id, ok := units(unitCode); ok {
		in.UnitID = id
	} else {
		add(ColUnitCode, CodeUnknownUnit, unitCode)
	}
	var ok bool
	if in.Post.Frontline, ok = parseBool(cell(ColFrontline)); !ok {
		add(ColFrontline, CodeBadBool)
	}
	if in.Post.HighRisk, ok = parseBool(cell(ColHighRisk)); !ok {
		add(ColHighRisk, CodeBadBool)
	}
	id := strings.ToUpper(strings.ReplaceAll(cell(ColIDNumber), " ", ""))
	if looksNumeric(id) || slices.Contains(rec.Numeric, idx[ColIDNumber]) {
		add(ColIDNumber, CodeIDNumberAsNumber)
		id = "numeric" // let the domain skip it quietly below
	}
	in.IDNumber = id
	for _, dc := range []struct {
		col Column
		dst *time.Time
	}{{ColHireDate, &in.HireDate}, {ColServiceStart, &in.ServiceStart}} {
		v := cell(dc.col)
		if v == "" {
			continue
		}
		if *dc.dst, ok = parseDate(v, xlsx); !ok {
			add(dc.col, CodeBadDate, v)
		}
	}
	m, err := domain.NewMember("", in, today)
	for _, p := range fielderr.Of(err) {
		col := Column(p.Field)
		if mapped, ok := domainFields[p.Field]; ok {
			col = mapped
		}
		if col == ColUnitCode || (col == ColIDNumber && id == "numeric") || alreadyReported(ps, col) {
			continue
		}
		add(col, p.Code, p.Args...)
	}
	if err != nil && len(ps) == 0 {
		add("", "enrollment.roster.row_invalid")
	}
	if len(ps) > 0 {
		return Row{}, ps
	}
	return Row{Line: rec.Line, Input: m.Input(), Identity: m.Identity}, nil
}

// alreadyReported avoids a second message for a cell whose text could not
// even be read (a bad date is not also "required").
func alreadyReported(ps []Problem, c Column) bool {
	for _, p := range ps {
		if p.Field == string(c) {
			return true
		}
	}
	return false
}
