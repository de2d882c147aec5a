package web

import "github.com/anxin-welfare/anxin/pkg/i18n"

// The texts of the leave pages: the one way a balance is shown (officer,
// unit head, approver), the approval queue's steps, the unused-leave
// compensation page with its wage import, the provisional calendar and
// the health-check slots.
func init() {
	i18n.Register(map[string]i18n.Text{
		"web.leave.entitled":        {ZH: "本年应休", EN: "Entitled this year"},
		"web.leave.available":       {ZH: "可用", EN: "Available"},
		"web.leave.pending_incl":    {ZH: "%d 天（含本申请 %d 天）", EN: "%d days (this request's %d included)"},
		"web.leave.after_approval":  {ZH: "批准后：已休 %d 天，可用仍为 %d 天（本申请的天数已在审批中占用）。", EN: "Once approved: %d days taken, still %d days available (this request's days are already held)."},
		"web.leave.over_balance":    {ZH: "可用天数不足：批准将被拒绝，除非先调整余额。", EN: "Not enough days available: approving will be refused unless the balance is adjusted first."},
		"web.approvals.elsewhere":   {ZH: "另有 %d 项申请在其他审批环节（不需要您处理）。", EN: "%d more requests are at another approval step (nothing for you to do)."},
		"web.approvals.no_steps":    {ZH: "此申请当前无需您处理。", EN: "Nothing for you to do on this request now."},
	})
}
