package web

import "github.com/anxin-welfare/anxin/pkg/i18n"

// Texts of the audit trail page: sessions, object types, filters.
func init() {
	i18n.Register(map[string]i18n.Text{
		"web.audit.lead":         {ZH: "谁在何时做了什么。可按用户名或姓名、操作名称、对象（用户名、案件号、申请编号）筛选。", EN: "Who did what, and when. Filter by username or name, by the action's name, by the object (a username, case or application number)."},
		"web.audit.action_hint":  {ZH: "操作名称，如“登录”“登录失败”", EN: "The action's name, e.g. “Signed in”, “Sign-in failed”"},
		"web.audit.object_hint":  {ZH: "用户名、案件号（如 GC-2026-000001）、申请编号或对象编号", EN: "A username, a case or application number (e.g. GC-2026-000001) or the object's id"},
		"web.audit.newest_first": {ZH: "最新的记录在前。", EN: "Newest entries first."},
		"web.audit.time":         {ZH: "时间", EN: "When"},
		"web.audit.older":        {ZH: "更早的记录", EN: "Older entries"},
		"web.audit.anonymous":    {ZH: "未知用户", EN: "Unknown user"},
		"web.audit.session":      {ZH: "用户名 %s，来自 %s", EN: "Username %s, from %s"},

		"web.audit.outcome.invalid_credentials": {ZH: "用户名或密码错误", EN: "Wrong username or password"},
		"web.audit.outcome.throttled":           {ZH: "失败次数过多，已暂停登录", EN: "Too many failures; sign-in paused"},
		"web.audit.outcome.incomplete":          {ZH: "用户名或密码未填", EN: "Username or password missing"},

		"web.audit.act.session.sign_in":        {ZH: "登录", EN: "Signed in"},
		"web.audit.act.session.sign_in_failed": {ZH: "登录失败", EN: "Sign-in failed"},
		"web.audit.act.session.sign_out":       {ZH: "退出登录", EN: "Signed out"},

		"web.audit.type.user":          {ZH: "用户", EN: "User"},
		"web.audit.type.case":          {ZH: "案件", EN: "Case"},
		"web.audit.type.application":   {ZH: "资助申请", EN: "Application"},
		"web.audit.type.member":        {ZH: "人员", EN: "Member"},
		"web.audit.type.unit":          {ZH: "单位", EN: "Unit"},
		"web.audit.type.plan":          {ZH: "保障计划", EN: "Plan"},
		"web.audit.type.enrollment":    {ZH: "参保", EN: "Enrolment"},
		"web.audit.type.document":      {ZH: "材料", EN: "Document"},
		"web.audit.type.parameter":     {ZH: "参数", EN: "Parameter"},
		"web.audit.type.roster_import": {ZH: "花名册导入", EN: "Roster import"},
	})
}
