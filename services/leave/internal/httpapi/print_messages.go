package httpapi

import "github.com/anxin-welfare/anxin/pkg/i18n"

// The labels of the printed approval slip (print_documents.go).
func init() {
	i18n.Register(map[string]i18n.Text{
		"leave.pdf.issuer":                {ZH: "中共县委政法委员会 干警休假管理", EN: "County Political-Legal Committee: officers' leave"},
		"leave.pdf.title":                 {ZH: "年休假审批单", EN: "Annual leave approval slip"},
		"leave.pdf.file":                  {ZH: "年休假审批单_%s.pdf", EN: "leave-slip_%s.pdf"},
		"leave.pdf.member":                {ZH: "申请人", EN: "Officer"},
		"leave.pdf.kind":                  {ZH: "假期类别", EN: "Kind"},
		"leave.pdf.kind_annual":           {ZH: "年休假（《职工带薪年休假条例》）", EN: "Annual leave (Regulations on Paid Annual Leave)"},
		"leave.pdf.status":                {ZH: "审批状态", EN: "Status"},
		"leave.pdf.status.pending":        {ZH: "待审批", EN: "Pending"},
		"leave.pdf.status.pending_second": {ZH: "待二级审批", EN: "Pending second approval"},
		"leave.pdf.status.approved":       {ZH: "已批准", EN: "Approved"},
		"leave.pdf.status.rejected":       {ZH: "未批准", EN: "Rejected"},
		"leave.pdf.status.cancelled":      {ZH: "已撤销", EN: "Cancelled"},
		"leave.pdf.from":                  {ZH: "起始日期", EN: "From"},
		"leave.pdf.to":                    {ZH: "结束日期", EN: "To"},
		"leave.pdf.days":                  {ZH: "占用工作日", EN: "Working days"},
		"leave.pdf.restored":              {ZH: "（其中 %d 天因停工留薪期退回）", EN: " (%d given back for injury leave)"},
		"leave.pdf.applied_at":            {ZH: "申请时间", EN: "Applied at"},
		"leave.pdf.reason":                {ZH: "事由", EN: "Reason"},
		"leave.pdf.provisional":           {ZH: "天数按暂定工作日历计算：该年度的法定节假日安排公布前，以暂定日历为准。", EN: "The days were counted with the provisional work calendar: the year's official holiday schedule was not yet published."},
		"leave.pdf.decisions":             {ZH: "审批意见", EN: "Decisions"},
		"leave.pdf.level_title":           {ZH: "环节", EN: "Step"},
		"leave.pdf.level":                 {ZH: "第%d级审批", EN: "Level %d"},
		"leave.pdf.level_member":          {ZH: "申请人撤销", EN: "Cancelled by the officer"},
		"leave.pdf.by":                    {ZH: "审批人", EN: "By"},
		"leave.pdf.outcome":               {ZH: "结论", EN: "Outcome"},
		"leave.pdf.outcome.approved":      {ZH: "同意", EN: "Approved"},
		"leave.pdf.outcome.rejected":      {ZH: "不同意", EN: "Rejected"},
		"leave.pdf.outcome.cancelled":     {ZH: "撤销", EN: "Cancelled"},
		"leave.pdf.comment":               {ZH: "意见", EN: "Comment"},
		"leave.pdf.at":                    {ZH: "时间（北京时间）", EN: "When (Beijing time)"},
		"leave.pdf.sign.member":           {ZH: "申请人", EN: "Officer"},
		"leave.pdf.sign.unit_head":        {ZH: "单位负责人意见", EN: "Unit head"},
		"leave.pdf.sign.approver":         {ZH: "二级审批意见", EN: "Second approver"},
		"leave.pdf.seal":                  {ZH: "单位（盖章）", EN: "Unit seal"},
	})
}
