package httpapi

import "github.com/anxin-welfare/anxin/pkg/i18n"

// The messages of the file imports: finance's wage file (package wages)
// and the administrator's holiday notice; the file's
// problems as problem titles, each cell's problems as field messages.
func init() {
	i18n.Register(map[string]i18n.Text{
		"problem.leave.wages.empty":          {ZH: "文件中没有数据行（第一行应为表头）", EN: "The file has no data rows (the first row is the header)"},
		"problem.leave.wages.malformed_csv":  {ZH: "CSV 文件第 %d 行格式有误", EN: "The CSV file is malformed at line %d"},
		"problem.leave.wages.not_xlsx":       {ZH: "文件不是有效的 XLSX 表格", EN: "The file is not a valid XLSX workbook"},
		"problem.leave.wages.too_large":      {ZH: "文件超过 %d MB", EN: "The file is larger than %d MB"},
		"problem.leave.wages.too_many_rows":  {ZH: "文件超过 %d 行", EN: "The file has more than %d rows"},
		"problem.leave.wages.cell_too_long":  {ZH: "第 %d 行第 %d 列超过 %d 个字", EN: "Row %d, column %d is longer than %d characters"},
		"problem.leave.wages.missing_column": {ZH: "表头缺少列：%s", EN: "The header lacks the column: %s"},
		"problem.leave.wages.unknown_format": {ZH: "不支持的文件类型 %q，请上传 CSV 或 XLSX", EN: "Unsupported file type %q: upload CSV or XLSX"},
		"problem.leave.wages.rejected":       {ZH: "文件有 %d 处问题，未导入任何数据", EN: "The file has %d problems; nothing was imported"},
		"problem.leave.notice.too_large":     {ZH: "文件超过 %d KB", EN: "The file is larger than %d KB"},
		"leave.notice.bad_date":              {ZH: "日期应为 YYYY-MM-DD，或 YYYY-MM-DD~YYYY-MM-DD 的连续日期", EN: "The date must be YYYY-MM-DD, or a range YYYY-MM-DD~YYYY-MM-DD"},
		"leave.notice.bad_kind":              {ZH: "类型“%s”无法识别，应为 holiday（放假）或 workday（调休上班）", EN: "The kind “%s” is not known: use holiday or workday"},
		"leave.notice.bad_range":             {ZH: "日期范围应由早到晚，且不超过 31 天", EN: "A range must run forward and cover at most 31 days"},
		"leave.notice.empty":                 {ZH: "文件中没有日期", EN: "The file lists no dates"},
		"leave.wages.unknown_member":         {ZH: "没有编号为 %s 的人员", EN: "No member has the id %s"},
		"leave.wages.name_mismatch":          {ZH: "姓名与该编号的人员（%s）不符", EN: "The name does not match the member with this id (%s)"},
		"leave.wages.duplicate":              {ZH: "该人员已在第 %d 行出现", EN: "This member already appears on row %d"},
		"leave.wages.needs_annual":           {ZH: "公务员须填写全年工资收入", EN: "Civil servants need the annual pay"},
		"leave.wages.needs_monthly":          {ZH: "辅警须填写月平均工资", EN: "Auxiliary police need the monthly wage"},
	})
}
