package web

import "github.com/anxin-welfare/anxin/pkg/i18n"

// The print buttons: each opens the PDF the owning service prints.
func init() {
	i18n.Register(map[string]i18n.Text{
		"web.print.case_summary":        {ZH: "打印案件摘要", EN: "Print the case summary"},
		"web.print.determination_cover": {ZH: "打印工伤认定申请封面", EN: "Print the determination cover sheet"},
		"web.print.approval_sheet":      {ZH: "打印审批表", EN: "Print the approval sheet"},
		"web.print.voucher":             {ZH: "打印凭证", EN: "Print voucher"},
		"web.print.disbursements_title": {ZH: "银行代发清单", EN: "Disbursement list for the bank"},
		"web.print.disbursements_date":  {ZH: "发放日期", EN: "Day paid"},
		"web.print.disbursements":       {ZH: "打印发放清单", EN: "Print the disbursement list"},
		"web.print.leave_slip":          {ZH: "打印审批单", EN: "Print the approval slip"},
	})
}
