package roster

import (
	"strings"
	"unicode"
)

// Column is a roster column the importer understands. Its string is the
// field name problems are reported under.
type Column string

// Columns.
const (
	ColUnitCode     Column = "unit_code"
	ColName         Column = "name"
	ColCategory     Column = "category"
	ColFrontline    Column = "frontline"
	ColAuxDuty      Column = "aux_duty"
	ColHighRisk     Column = "high_risk"
	ColIDNumber     Column = "id_number"
	ColPhone        Column = "phone"
	ColHireDate     Column = "hire_date"
	ColServiceStart Column = "service_start"
)

// requiredColumns must be in every header.
var requiredColumns = []Column{ColUnitCode, ColName, ColCategory, ColIDNumber, ColHireDate}

// aliases maps normalised header texts to columns. Units name their
// columns differently; these are the ones seen in county rosters, plus the
// column keys themselves.
var aliases = map[string]Column{
	"unit_code": ColUnitCode, "unit": ColUnitCode, "单位编码": ColUnitCode, "单位代码": ColUnitCode,
	"name": ColName, "姓名": ColName,
	"category": ColCategory, "人员类别": ColCategory, "类别": ColCategory, "人员类型": ColCategory,
	"frontline": ColFrontline, "一线岗位": ColFrontline, "是否一线": ColFrontline, "是否一线岗位": ColFrontline,
	"aux_duty": ColAuxDuty, "辅警岗位类型": ColAuxDuty, "辅警岗位": ColAuxDuty, "岗位类型": ColAuxDuty,
	"high_risk": ColHighRisk, "高风险岗位": ColHighRisk, "是否高风险岗位": ColHighRisk, "是否高风险": ColHighRisk,
	"id_number": ColIDNumber, "身份证号": ColIDNumber, "身份证号码": ColIDNumber, "公民身份号码": ColIDNumber,
	"phone": ColPhone, "手机号": ColPhone, "手机号码": ColPhone, "联系电话": ColPhone, "电话": ColPhone,
	"hire_date": ColHireDate, "入职日期": ColHireDate, "录用日期": ColHireDate, "入警日期": ColHireDate,
	"service_start": ColServiceStart, "工龄起算日期": ColServiceStart, "参加工作时间": ColServiceStart, "参加工作日期": ColServiceStart,
}

// normaliseHeader drops what people add around a header text: a "*" for
// required, a parenthesised hint such as "（18位）", spaces, case.
func normaliseHeader(h string) string {
	h = strings.TrimSpace(h)
	for _, open := range []string{"(", "（"} {
		if i := strings.Index(h, open); i > 0 {
			h = h[:i]
		}
	}
	h = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '*' || r == '＊' {
			return -1
		}
		return unicode.ToLower(r)
	}, h)
	return h
}

// columnIndex maps each known column to its position in the header.
// Unknown headers are ignored (rosters carry other columns such as 备注).
func columnIndex(header []string) (map[Column]int, error) {
	idx := make(map[Column]int, len(aliases))
	for i, h := range header {
		c, ok := aliases[normaliseHeader(h)]
		if !ok {
			continue
		}
		if _, dup := idx[c]; dup {
			return nil, fileErr(CodeDuplicateCol, h)
		}
		idx[c] = i
	}
	var missing []string
	for _, c := range requiredColumns {
		if _, ok := idx[c]; !ok {
			missing = append(missing, string(c))
		}
	}
	if len(missing) > 0 {
		return nil, fileErr(CodeMissingColumns, strings.Join(missing, ", "))
	}
	return idx, nil
}
