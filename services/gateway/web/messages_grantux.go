package web

import "github.com/anxin-welfare/anxin/pkg/i18n"

// Texts of issue 11's grants and finance pages: the amount asked for
// until it is granted, the programme's own questions, what a reviewer
// judges, the approver's comment, who filed an application, and the
// ledger's sides and the fund chart's amounts.
func init() {
	i18n.Register(map[string]i18n.Text{
		"web.grantux.requested":        {ZH: "申请金额", EN: "Amount requested"},
		"web.grantux.proposed":         {ZH: "拟资助金额（待审批）", EN: "Proposed amount (awaiting approval)"},
		"web.grantux.income_hint":      {ZH: "家庭月收入总额除以家庭人口数，单位元。", EN: "The household's monthly income divided by the number of people in it, in yuan."},
		"web.grantux.questions_follow": {ZH: "选择资助项目后，这里会列出该项目需要填写的情况。", EN: "Once you choose a programme, the questions it asks appear here."},
		"web.grantux.filed_by":         {ZH: "代为提交", EN: "Filed by"},
		"web.grantux.filed_by_inline":  {ZH: "（由%s代为提交）", EN: "(filed by %s)"},
		"web.grantux.comment":          {ZH: "审批意见", EN: "Comment"},
		"web.grantux.comment_hint":     {ZH: "与本次审批一并记录，显示在办理记录中。", EN: "Recorded with this approval and shown in the history."},
		"web.grantux.income":           {ZH: "申报家庭人均月收入", EN: "Declared monthly income per person"},
		"web.grantux.income_missing":   {ZH: "未申报", EN: "Not declared"},
		"web.grantux.income_line":      {ZH: "（困难线 %s）", EN: "(hardship line %s)"},
		"web.grantux.over_line":        {ZH: "高于困难线", EN: "Above the line"},
		"web.grantux.chart_amounts":    {ZH: "已支付 %s · 已承诺未付 %s · 余额 %s", EN: "Paid %s · committed, unpaid %s · left %s"},
		"web.grantux.chart_table":      {ZH: "各项目资金情况（金额）", EN: "Each programme's money"},
		"web.grantux.allocated":        {ZH: "分配额度", EN: "Allocated"},
		"web.grantux.side":             {ZH: "借/贷", EN: "Dr/Cr"},
		"web.grantux.side.debit":       {ZH: "借", EN: "Dr"},
		"web.grantux.side.credit":      {ZH: "贷", EN: "Cr"},
		"web.grantux.side.even":        {ZH: "平", EN: "Even"},
	})
}
