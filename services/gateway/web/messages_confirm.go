package web

import "github.com/anxin-welfare/anxin/pkg/i18n"

// The confirmation step of the actions that cannot be taken back with one
// click (disabling a user, closing a leave year, replaying a dead letter,
// withdrawing a grant application, reversing a ledger entry, running the
// recurring grant payments): what will happen, in words, before it does.
func init() {
	i18n.Register(map[string]i18n.Text{
		"web.confirm.title": {ZH: "请确认", EN: "Please confirm"},
		"web.confirm.keep":  {ZH: "不，返回", EN: "No, go back"},

		"web.confirm.disable_user":        {ZH: "将停用账户 %s（%s）：此人不能再登录，其所有登录会话立即结束。", EN: "The account %s (%s) will be disabled: they can no longer sign in and all their sessions end now."},
		"web.confirm.disable_user_button": {ZH: "确认停用", EN: "Disable the account"},

		"web.confirm.rollover":        {ZH: "将结转 %d 年度：为尚未结转的 %d 名人员结清年休假（结转、作废并生成下一年度额度）；已结转 %d 名。", EN: "Year %d will be closed: %d members not yet closed get their carry-over, expiry and next year's entitlement; %d are already closed."},
		"web.confirm.rollover_button": {ZH: "确认结转", EN: "Close the year"},

		"web.confirm.replay":        {ZH: "将把 %s 服务的死信 #%d（%s，%s）重新投递给其消费者。", EN: "Dead letter #%[2]d of the %[1]s service (%[3]s, %[4]s) will be delivered to its consumer again."},
		"web.confirm.replay_button": {ZH: "确认重新投递", EN: "Replay"},

		"web.confirm.withdraw":        {ZH: "将撤回申请 %s：申请就此终止，不能再提交。", EN: "Application %s will be withdrawn: it ends and cannot be submitted again."},
		"web.confirm.withdraw_button": {ZH: "确认撤回", EN: "Withdraw the application"},

		"web.confirm.reverse":          {ZH: "将冲销凭证 %s（%s，%s）：以今天的日期记一张借贷方向相反的冲销凭证，原凭证不变。每张凭证只能冲销一次。", EN: "Entry %s (%s, %s) will be reversed: a reversing entry with debits and credits swapped is booked today; the entry itself stays as it is. An entry can be reversed once only."},
		"web.confirm.reverse_unlisted": {ZH: "将冲销所选凭证：以今天的日期记一张借贷方向相反的冲销凭证，原凭证不变。每张凭证只能冲销一次。", EN: "The chosen entry will be reversed: a reversing entry with debits and credits swapped is booked today; the entry itself stays as it is. An entry can be reversed once only."},
		"web.confirm.reverse_button":   {ZH: "确认冲销", EN: "Reverse the entry"},
		"web.confirm.reverse_reason":   {ZH: "冲销原因", EN: "Reason for the reversal"},
		"web.confirm.reverse_hint":     {ZH: "200 字以内，例如“金额录错，重新入账”。", EN: "Up to 200 characters, e.g. “wrong amount, booked again”."},
		"web.confirm.reverse_start":    {ZH: "冲销…", EN: "Reverse…"},
		"web.confirm.reversed":         {ZH: "已冲销，冲销凭证 %s。", EN: "Reversed by entry %s."},
		"web.confirm.reason_long":      {ZH: "原因不能超过 200 字", EN: "The reason must be at most 200 characters"},

		"web.confirm.recurring":        {ZH: "将立即支付所有在册定期补助的到期月份，并记入账簿。已支付的月份不会重复支付。", EN: "The due months of every active recurring grant will be paid now and booked to the ledger. Months already paid are not paid again."},
		"web.confirm.recurring_button": {ZH: "确认支付", EN: "Pay the due months"},
		"web.confirm.recurring_title":  {ZH: "定期补助按月支付", EN: "Monthly recurring grant payments"},
		"web.confirm.recurring_hint":   {ZH: "系统每小时自动执行一次；此处可立即执行。", EN: "This runs every hour by itself; here it can be run at once."},
		"web.confirm.recurring_start":  {ZH: "立即支付到期月份…", EN: "Pay the due months now…"},
		"web.confirm.recurring_done":   {ZH: "定期补助已运行：%d 项支付了到期月份或已终止。", EN: "Recurring grants run: %d paid their due months or ended."},
	})
}
