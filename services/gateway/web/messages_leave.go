package web

import "github.com/anxin-welfare/anxin/pkg/i18n"

// The texts of the leave pages: the one way a balance is shown (officer,
// unit head, approver), the approval queue's steps, the unused-leave
// compensation page with its wage import, the provisional calendar and
// the health-check slots.
func init() {
	i18n.Register(map[string]i18n.Text{
		"gateway.role.medical_caseworker": {ZH: "医务经办人", EN: "Medical caseworker"},

		"web.leave.entitled":       {ZH: "本年应休", EN: "Entitled this year"},
		"web.leave.available":      {ZH: "可用", EN: "Available"},
		"web.leave.pending_incl":   {ZH: "%d 天（含本申请 %d 天）", EN: "%d days (this request's %d included)"},
		"web.leave.after_approval": {ZH: "批准后：已休 %d 天，可用仍为 %d 天（本申请的天数已在审批中占用）。", EN: "Once approved: %d days taken, still %d days available (this request's days are already held)."},
		"web.leave.over_balance":   {ZH: "可用天数不足：批准将被拒绝，除非先调整余额。", EN: "Not enough days available: approving will be refused unless the balance is adjusted first."},
		"web.approvals.elsewhere":  {ZH: "另有 %d 项申请在其他审批环节（不需要您处理）。", EN: "%d more requests are at another approval step (nothing for you to do)."},
		"web.approvals.no_steps":   {ZH: "此申请当前无需您处理。", EN: "Nothing for you to do on this request now."},

		"web.compensation.missing_count": {ZH: "%d 人有未休天数但缺少工资数据，暂无法计算报酬", EN: "%d people have unused days but no wage data, so their compensation cannot be computed"},
		"web.compensation.missing_hint":  {ZH: "下载待填名单，在表格中填写工资后导入；导入前会先检查每一行。", EN: "Download the list to fill in, enter the wages in the spreadsheet and import it; every row is checked before anything is saved."},
		"web.compensation.pages":         {ZH: "分页", EN: "Pages"},
		"web.compensation.line_count":    {ZH: "共 %d 人", EN: "%d people in all"},
		"web.compensation.first_page":    {ZH: "第一页", EN: "First page"},
		"web.compensation.next_page":     {ZH: "下一页", EN: "Next page"},
		"web.pay.enter_one":              {ZH: "逐个录入一人的工资", EN: "Enter one person's wage"},
		"web.pay.correct_for":            {ZH: "更正 %s 的工资", EN: "Correct %s's wage"},
		"web.pay.member":                 {ZH: "人员", EN: "Person"},
		"web.pay.choose":                 {ZH: "请选择", EN: "Choose"},
		"web.pay.choose_member":          {ZH: "请选择人员", EN: "Choose the person"},

		"web.care.slot_place":   {ZH: "地点：%s", EN: "Place: %s"},
		"web.care.slot_notes":   {ZH: "准备事项：%s", EN: "How to prepare: %s"},
		"web.hcwork.place":      {ZH: "地点", EN: "Place"},
		"web.hcwork.place_hint": {ZH: "医院、楼层、科室，干警预约时可见。", EN: "Hospital, floor, department; officers see it when booking."},
		"web.hcwork.notes":      {ZH: "准备事项", EN: "How to prepare"},
		"web.hcwork.notes_hint": {ZH: "如需空腹、携带身份证或既往报告，干警预约时可见。", EN: "Fasting, identity card, earlier reports; officers see it when booking."},

		"web.wages.title":            {ZH: "导入工资数据", EN: "Import wage data"},
		"web.wages.lead":             {ZH: "%d 年度未休年休假报酬的工资基数：公务员填全年工资收入，辅警填月平均工资。", EN: "Wage basis of the unused-leave compensation for %d: the annual pay for civil servants, the average monthly wage for auxiliary police."},
		"web.wages.back":             {ZH: "返回未休假报酬", EN: "Back to the compensation report"},
		"web.wages.import":           {ZH: "导入工资数据", EN: "Import wage data"},
		"web.wages.template":         {ZH: "下载待填名单（CSV）", EN: "Download the list to fill in (CSV)"},
		"web.wages.upload":           {ZH: "上传工资表", EN: "Upload the wage file"},
		"web.wages.hint":             {ZH: "第一行为表头，须有“人员编号”列和“全年工资收入（元）”或“月平均工资（元）”列；“姓名”列如填写会与人员核对；其他列不读取。金额以元为单位，最多两位小数。", EN: "The first row is the header: it needs 人员编号 / member_id and 全年工资收入（元） / annual_pay or 月平均工资（元） / monthly_wage; a 姓名 / name column is checked against the person; other columns are not read. Amounts are yuan with at most two decimals."},
		"web.wages.file":             {ZH: "工资表文件", EN: "Wage file"},
		"web.wages.file_hint":        {ZH: "CSV（UTF-8 或 Excel 默认的 GB18030 编码）或 XLSX。先检查，不会保存。", EN: "CSV (UTF-8, or GB18030 as Excel saves it) or XLSX. It is checked first; nothing is saved yet."},
		"web.wages.check":            {ZH: "检查文件", EN: "Check the file"},
		"web.wages.choose_file":      {ZH: "请选择要导入的文件", EN: "Choose the file to import"},
		"web.wages.too_large":        {ZH: "文件超过 %d MB", EN: "The file is larger than %d MB"},
		"web.wages.format":           {ZH: "只能导入 .csv 或 .xlsx 文件", EN: "Only .csv or .xlsx files can be imported"},
		"web.wages.rejected":         {ZH: "文件未能导入", EN: "The file could not be imported"},
		"web.wages.preview":          {ZH: "检查结果：%s", EN: "Check of %s"},
		"web.wages.summary":          {ZH: "可新增 %d 人，更新 %d 人，%d 人与已有数据相同。", EN: "%d to add, %d to update, %d already the same."},
		"web.wages.fix_first":        {ZH: "有 %d 处问题。请在文件中改正后重新检查；有问题的文件不会导入任何数据。", EN: "%d problems. Fix them in the file and check it again; a file with problems imports nothing."},
		"web.wages.line":             {ZH: "行号", EN: "Row"},
		"web.wages.column":           {ZH: "列", EN: "Column"},
		"web.wages.problem":          {ZH: "问题", EN: "Problem"},
		"web.wages.action":           {ZH: "处理", EN: "Action"},
		"web.wages.action.create":    {ZH: "新增", EN: "Add"},
		"web.wages.action.update":    {ZH: "更新", EN: "Update"},
		"web.wages.action.unchanged": {ZH: "不变", EN: "Unchanged"},
		"web.wages.rows":             {ZH: "查看 %d 行明细", EN: "Show the %d rows"},
		"web.wages.confirm":          {ZH: "确认导入 %d 行", EN: "Import the %d rows"},
		"web.wages.imported_notice":  {ZH: "工资数据已导入：新增 %d 人，更新 %d 人，%d 人不变。", EN: "Wage data imported: %d added, %d updated, %d unchanged."},
		"web.wages.col.member_id":    {ZH: "人员编号", EN: "member_id"},
		"web.wages.col.name":         {ZH: "姓名", EN: "name"},
		"web.wages.col.unit":         {ZH: "单位", EN: "unit"},
		"web.wages.col.category":     {ZH: "人员类别", EN: "category"},
		"web.wages.col.annual_pay":   {ZH: "全年工资收入（元）", EN: "annual_pay"},
		"web.wages.col.monthly_wage": {ZH: "月平均工资（元）", EN: "monthly_wage"},
	})
}
