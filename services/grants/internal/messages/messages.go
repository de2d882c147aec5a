// Package messages holds the grants service's texts in Chinese and English
// (problem titles, field messages, eligibility criteria, breakdown items,
// export headings, the printed documents' labels and family care's), and
// registers them with pkg/i18n when it is linked: the API imports it.
package messages

import "github.com/anxin-welfare/anxin/pkg/i18n"

// The grants service's messages: problem titles ("problem."+code), field
// messages, eligibility criteria, breakdown items and export headings.
func init() {
	i18n.Register(map[string]i18n.Text{
		// Problem titles.
		"problem.grants.budget_exhausted":          {ZH: "预算不足：剩余 %s，本次需要 %s", EN: "Budget exhausted: %s left, %s needed"},
		"problem.grants.appropriation_short":       {ZH: "冲减后拨款将少于各项目分配额合计，请先调减项目分配", EN: "The appropriation would fall below the programs' allocations; reduce them first"},
		"problem.grants.transition_not_allowed":    {ZH: "申请当前状态为“%s”，不能执行此操作", EN: "The application is %s; this action is not allowed now"},
		"problem.grants.self_approval":             {ZH: "不能审批本人的申请或本人经办的申请", EN: "You cannot approve your own application or one you prepared"},
		"problem.grants.same_approver":             {ZH: "同一人不能在同一申请中承担两个审批环节，须由另一人办理", EN: "One person cannot take two approval steps on one application; another person must act"},
		"problem.grants.role_required":             {ZH: "此环节需要“%s”角色", EN: "This step needs the %s role"},
		"problem.grants.duplicate_unacknowledged":  {ZH: "该事项已有其他资助申请，请核实并填写说明后再审批", EN: "The same event already has another grant; check it and add a note before approving"},
		"problem.grants.not_eligible":              {ZH: "申请不符合该项目的资助条件", EN: "The application does not meet the program's rules"},
		"problem.grants.ledger.unbalanced":         {ZH: "凭证借贷不平衡：借方 %s，贷方 %s", EN: "The entry does not balance: debits %s, credits %s"},
		"problem.grants.ledger.already_reversed":   {ZH: "该凭证已冲销，不能重复冲销", EN: "This entry has already been reversed"},
		"problem.grants.rate_missing":              {ZH: "缺少计算参数“%s”（%s），请先由管理员录入", EN: "The parameter %s for %s is missing; an admin must enter it first"},
		"problem.grants.fund_exists":               {ZH: "该年度的资金已存在", EN: "A fund for this fiscal year already exists"},
		"problem.grants.program_exists":            {ZH: "该资金下已有相同代码的项目", EN: "A program with this code already exists in the fund"},
		"problem.grants.export_not_ready":          {ZH: "导出尚未完成", EN: "The export is not finished yet"},
		"problem.grants.document_too_large":        {ZH: "文件过大，单个文件不能超过 %d MB", EN: "The file is too large; at most %d MB each"},
		"problem.grants.document_type_unsupported": {ZH: "只接受 PDF、JPEG 或 PNG 文件", EN: "Only PDF, JPEG or PNG files are accepted"},
		"problem.grants.upload_not_allowed":        {ZH: "只有申请人或本单位经办人可以上传材料", EN: "Only the applicant or a caseworker of the unit can upload documents"},

		// Field messages.
		"grants.field.required":           {ZH: "此项必填", EN: "This field is required"},
		"grants.field.negative":           {ZH: "金额不能为负数", EN: "The amount cannot be negative"},
		"grants.field.not_positive":       {ZH: "金额必须大于零", EN: "The amount must be greater than zero"},
		"grants.field.over_cap":           {ZH: "超过项目上限 %s", EN: "Over the program's cap of %s"},
		"grants.field.out_of_range":       {ZH: "应在 %d 到 %d 之间", EN: "Must be between %d and %d"},
		"grants.field.unknown_value":      {ZH: "无法识别的取值“%s”", EN: "Unknown value \"%s\""},
		"grants.field.too_long":           {ZH: "不能超过 %d 个字符", EN: "At most %d characters"},
		"grants.field.missing_documents":  {ZH: "缺少必需材料：%s", EN: "Required documents missing: %s"},
		"grants.field.not_allowed":        {ZH: "此项在当前设置下不允许", EN: "Not allowed with these settings"},
		"grants.field.not_asked":          {ZH: "本项目不需要填写此项", EN: "This programme does not ask for this"},
		"grants.field.invalid_id":         {ZH: "编号格式不正确", EN: "Not a valid id"},
		"grants.field.unknown_account":    {ZH: "会计科目 %s 不存在", EN: "Account %s does not exist"},
		"grants.field.fraction_fen":       {ZH: "金额最多保留两位小数（到分）", EN: "Amounts have at most two decimals (fen)"},
		"grants.field.invalid_date":       {ZH: "请按“年-月-日”填写日期，例如 2026-12-06", EN: "Write the date as year-month-day, e.g. 2026-12-06"},
		"grants.field.before_from":        {ZH: "结束日期不能早于开始日期", EN: "The end date is before the start date"},
		"grants.field.first_of_year":      {ZH: "年度数据的生效日期应为当年1月1日", EN: "A yearly figure takes effect on 1 January"},
		"grants.field.duplicate":          {ZH: "该值已存在", EN: "This value already exists"},
		"grants.field.below_committed":    {ZH: "不得低于已承诺的金额 %s", EN: "Cannot be less than the %s already committed"},
		"grants.field.fixed_once_applied": {ZH: "项目已有申请，此项不能再更改", EN: "Cannot change once the program has applications"},
		"grants.field.program_inactive":   {ZH: "该项目已停用，不再受理新申请", EN: "This program is inactive and takes no new applications"},
		"grants.field.document_empty":     {ZH: "请选择要上传的文件（不能为空文件）", EN: "Choose a file to upload (not an empty one)"},
		"grants.field.not_a_dependant":    {ZH: "不是该干警登记的亲属", EN: "Not a registered dependant of the member"},
		"grants.relation.spouse":          {ZH: "配偶", EN: "spouse"},
		"grants.relation.child":           {ZH: "子女", EN: "child"},
		"grants.relation.parent":          {ZH: "父母", EN: "parent"},
		"grants.relation.sibling":         {ZH: "兄弟姐妹", EN: "sibling"},
		"grants.export_failed":            {ZH: "导出失败，请重试", EN: "The export failed; please try again"},
		"grants.stop.recipient_deceased":  {ZH: "领取人去世满六个月，按规定停发", EN: "Stopped six months after the recipient's death, as the rules require"},
		"grants.ledger.one_sided":         {ZH: "每一行只能填借方或贷方之一，且金额大于零", EN: "Each line has either a debit or a credit, greater than zero"},
		"grants.ledger.too_few_lines":     {ZH: "凭证至少需要两行", EN: "An entry needs at least two lines"},

		// Application states, shown in lists and in the transition problem.
		"grants.state.draft":     {ZH: "草稿", EN: "draft"},
		"grants.state.submitted": {ZH: "已提交", EN: "submitted"},
		"grants.state.reviewed":  {ZH: "待委员会审批", EN: "awaiting committee approval"},
		"grants.state.approved":  {ZH: "已批准待发放", EN: "approved, awaiting payment"},
		"grants.state.disbursed": {ZH: "已发放", EN: "paid"},
		"grants.state.active":    {ZH: "定期发放中", EN: "paid monthly"},
		"grants.state.stopped":   {ZH: "已停发", EN: "stopped"},
		"grants.state.rejected":  {ZH: "未通过", EN: "rejected"},
		"grants.state.returned":  {ZH: "退回补充材料", EN: "returned for documents"},
		"grants.state.withdrawn": {ZH: "已撤回", EN: "withdrawn"},

		// Roles named in problems.
		"grants.role.caseworker": {ZH: "经办人", EN: "caseworker"},
		"grants.role.approver":   {ZH: "审批人", EN: "approver"},
		"grants.role.finance":    {ZH: "财务", EN: "finance"},

		// Eligibility criteria, each shown as met or not.
		"grants.criterion.category":          {ZH: "人员类别符合（%s）", EN: "Workforce category admitted (%s)"},
		"grants.criterion.disability_graded": {ZH: "已认定工伤并评定伤残等级", EN: "Work injury determined and disability graded"},
		"grants.criterion.grade_admitted":    {ZH: "伤残等级 %d 级在资助范围内", EN: "Disability grade %d is covered"},
		"grants.criterion.death_on_duty":     {ZH: "因公牺牲或被评定为烈士", EN: "Died on duty or recognised as a martyr"},
		"grants.criterion.martyr":            {ZH: "被评定为烈士", EN: "Recognised as a martyr"},
		"grants.criterion.dependant":         {ZH: "申请人为登记的家属", EN: "The applicant is a registered dependant"},
		"grants.criterion.income_below_line": {ZH: "家庭人均月收入不高于 %s", EN: "Household monthly income per person at most %s"},

		// Breakdown items and their bases.
		"grants.item.national_income_multiple":       {ZH: "上一年度全国城镇居民人均可支配收入倍数", EN: "Multiple of last year's national urban disposable income"},
		"grants.item.wage_months":                    {ZH: "本人月工资的月数", EN: "Months of the member's own wage"},
		"grants.item.honour_uplift.national_title":   {ZH: "全国性荣誉称号增发百分之三十五", EN: "National title uplift 35 percent"},
		"grants.item.honour_uplift.provincial_title": {ZH: "省级荣誉称号增发百分之三十", EN: "Provincial title uplift 30 percent"},
		"grants.item.honour_uplift.merit_first":      {ZH: "一等功增发百分之二十五", EN: "First-class merit uplift 25 percent"},
		"grants.item.honour_uplift.merit_second":     {ZH: "二等功增发百分之十五", EN: "Second-class merit uplift 15 percent"},
		"grants.item.honour_uplift.merit_third":      {ZH: "三等功增发百分之五", EN: "Third-class merit uplift 5 percent"},
		"grants.item.martyr_grant":                   {ZH: "烈士褒扬金", EN: "Martyr grant"},
		"grants.item.funeral_grant":                  {ZH: "丧葬补助金", EN: "Funeral grant"},
		"grants.item.death_subsidy":                  {ZH: "一次性工亡补助金", EN: "One-time death subsidy"},
		"grants.item.disability_months":              {ZH: "一次性伤残补助金", EN: "One-time disability subsidy"},
		"grants.basis.national_income":               {ZH: "上一年度全国城镇居民人均可支配收入", EN: "Last year's national urban disposable income per capita"},
		"grants.basis.monthly_wage":                  {ZH: "本人月工资", EN: "Member's monthly wage"},
		"grants.basis.lump_sum":                      {ZH: "一次性抚恤金", EN: "One-time compensation"},
		"grants.basis.own_wage":                      {ZH: "本人工资", EN: "Own wage"},
		"grants.basis.own_wage_floor":                {ZH: "本人工资（低于统筹地区平均工资百分之六十的，按百分之六十计）", EN: "Own wage (raised to sixty percent of the regional average)"},
		"grants.basis.own_wage_ceiling":              {ZH: "本人工资（高于统筹地区平均工资百分之三百的，按百分之三百计）", EN: "Own wage (capped at three hundred percent of the regional average)"},
		"grants.basis.regional_monthly_wage":         {ZH: "统筹地区上年度职工月平均工资", EN: "Regional average monthly wage"},

		// Ledger export headings and rows.
		"grants.export.voucher":      {ZH: "凭证号", EN: "Voucher"},
		"grants.export.date":         {ZH: "日期", EN: "Date"},
		"grants.export.summary":      {ZH: "摘要", EN: "Summary"},
		"grants.export.account":      {ZH: "科目代码", EN: "Account"},
		"grants.export.account_name": {ZH: "科目名称", EN: "Account name"},
		"grants.export.debit":        {ZH: "借方金额", EN: "Debit"},
		"grants.export.credit":       {ZH: "贷方金额", EN: "Credit"},
		"grants.export.program":      {ZH: "项目", EN: "Program"},
		"grants.export.application":  {ZH: "申请编号", EN: "Application"},
		"grants.export.applicant":    {ZH: "收款人", EN: "Payee"},
		"grants.export.approvers":    {ZH: "审批人", EN: "Approvers"},
		"grants.export.totals":       {ZH: "合计", EN: "Totals"},
		"grants.export.sheet":        {ZH: "资金明细账", EN: "Ledger"},
		"grants.export.file":         {ZH: "分类账", EN: "ledger"},
	})
}
