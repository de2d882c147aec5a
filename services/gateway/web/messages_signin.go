package web

import "github.com/anxin-welfare/anxin/pkg/i18n"

// Texts of sign-in protection: the notice of failed attempts a person gets
// at their next sign-in and on their account page, and the administrators'
// page of sign-in throttles.
func init() {
	i18n.Register(map[string]i18n.Text{
		"web.account.failed_signins": {
			ZH: "自您上次登录以来，您的账号有 %d 次登录失败，最近一次来自 %s，时间 %s。如果不是您本人，请修改密码并告知系统管理员。",
			EN: "%d failed sign-in attempts since your last sign-in, last from %s at %s. If this was not you, change your password and tell an administrator.",
		},
		"web.account.continue": {ZH: "继续", EN: "Continue"},

		"web.nav.throttles":          {ZH: "登录限制", EN: "Sign-in throttles"},
		"web.throttles.title":        {ZH: "登录限制", EN: "Sign-in throttles"},
		"web.throttles.lead":         {ZH: "以下账号与地址的组合在最近一小时内登录失败。失败次数多的组合须等待一段时间才能再试（不会锁定账号）；从其他地址登录不受影响。确认是本人后可立即解除。", EN: "These pairs of account and address have failed to sign in within the last hour. A pair with many failures must wait before trying again (accounts are never locked); sign-ins from other addresses are not affected. Lift a wait once you know it is the person themselves."},
		"web.throttles.account":      {ZH: "账号", EN: "Account"},
		"web.throttles.address":      {ZH: "地址", EN: "Address"},
		"web.throttles.failures":     {ZH: "次数", EN: "Failures"},
		"web.throttles.last":         {ZH: "最近失败", EN: "Last failure"},
		"web.throttles.retry_at":     {ZH: "须等待至", EN: "Waits until"},
		"web.throttles.not_waiting":  {ZH: "无须等待", EN: "Not waiting"},
		"web.throttles.no_such_user": {ZH: "（无此账号）", EN: "(no such account)"},
		"web.throttles.lift":         {ZH: "解除", EN: "Lift"},
		"web.throttles.lifted":       {ZH: "已解除该登录限制，并已记入审计日志。", EN: "The throttle is lifted and the lift is in the audit trail."},
		"web.throttles.none":         {ZH: "最近一小时没有登录失败。", EN: "No failed sign-ins in the last hour."},
		"web.throttles.missing":      {ZH: "未指明要解除的账号和地址。", EN: "No account and address given to lift."},
	})
}

// Texts of forms sent twice (the gateway's one-time submission tokens).
func init() {
	i18n.Register(map[string]i18n.Text{
		"web.submission.title":        {ZH: "表单已提交", EN: "Form already sent"},
		"web.submission.already_done": {ZH: "这份表单已经提交过，没有再次办理。请返回查看第一次提交的结果。", EN: "This form was already sent and has not been carried out again. Go back to see what the first submission did."},
		"web.submission.running":      {ZH: "这份表单的第一次提交仍在办理中，请稍候刷新，不要重复提交。", EN: "The first submission of this form is still being carried out. Wait a moment and refresh; do not send it again."},
	})
}
