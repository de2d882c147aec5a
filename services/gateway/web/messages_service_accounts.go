package web

import "github.com/anxin-welfare/anxin/pkg/i18n"

// Texts of the service accounts page (machine clients of the API).
func init() {
	i18n.Register(map[string]i18n.Text{
		"web.audit.act.service_account.create":     {ZH: "新建服务账号", EN: "Service account created"},
		"web.audit.act.service_account.revoke":     {ZH: "吊销服务账号", EN: "Service account revoked"},
		"web.audit.act.api_token.use":              {ZH: "API 令牌调用", EN: "API token used"},
		"web.audit.act.api_token.refused":          {ZH: "API 令牌被拒绝", EN: "API token refused"},
		"web.audit.type.service_account":           {ZH: "服务账号", EN: "Service account"},
		"web.throttles.api_tokens":                 {ZH: "无效的 API 令牌（服务账号）", EN: "Invalid API tokens (service accounts)"},
		"web.nav.service_accounts":                 {ZH: "服务账号", EN: "Service accounts"},
		"web.service_accounts.title":               {ZH: "服务账号（系统对接）", EN: "Service accounts (system access)"},
		"web.service_accounts.lead":                {ZH: "其他系统（如县人社局花名册、财务系统）用 API 令牌调用本系统接口。令牌只在创建时显示一次，系统只保存其摘要；每次写操作和每分钟至少一次读操作记入审计。", EN: "Other systems (the county HR roster, the finance system) call this system's API with an API token. The token is shown once, at creation; only its digest is kept. Every change and at least one read a minute are audited."},
		"web.service_accounts.name":                {ZH: "名称", EN: "Name"},
		"web.service_accounts.name_hint":           {ZH: "写明对接的系统和用途，例如“县人社局花名册推送”。", EN: "Say which system and what for, e.g. \"County HR roster push\"."},
		"web.service_accounts.token":               {ZH: "令牌", EN: "Token"},
		"web.service_accounts.scope":               {ZH: "角色和单位", EN: "Roles and units"},
		"web.service_accounts.status":              {ZH: "状态", EN: "Status"},
		"web.service_accounts.expires":             {ZH: "有效期至", EN: "Valid until"},
		"web.service_accounts.created":             {ZH: "创建人", EN: "Created by"},
		"web.service_accounts.last_used":           {ZH: "最近使用", EN: "Last used"},
		"web.service_accounts.never_used":          {ZH: "从未使用", EN: "Never used"},
		"web.service_accounts.active":              {ZH: "有效", EN: "Active"},
		"web.service_accounts.is_revoked":          {ZH: "已吊销", EN: "Revoked"},
		"web.service_accounts.revoked_by":          {ZH: "%s 于 %s 吊销", EN: "by %s on %s"},
		"web.service_accounts.expired":             {ZH: "已过期", EN: "Expired"},
		"web.service_accounts.none":                {ZH: "还没有服务账号。", EN: "No service accounts yet."},
		"web.service_accounts.new":                 {ZH: "新建服务账号", EN: "New service account"},
		"web.service_accounts.roles_hint":          {ZH: "只能选择适合系统的角色：经办人员（如导入花名册，须指定单位）、财务（如读取账簿）、审计。", EN: "Only roles fit for a system: caseworker (e.g. roster import, needs units), finance (e.g. reading the ledger), auditor."},
		"web.service_accounts.units_hint":          {ZH: "经办人员角色必选；令牌只能处理所选单位的数据。", EN: "Required for the caseworker role; the token works on the chosen units only."},
		"web.service_accounts.expires_at":          {ZH: "有效期至（含当天）", EN: "Valid until (inclusive)"},
		"web.service_accounts.expires_hint":        {ZH: "最长一年，到期前请新建账号并吊销旧的。", EN: "At most a year; before it ends, create a new account and revoke the old one."},
		"web.service_accounts.create":              {ZH: "创建并生成令牌", EN: "Create and issue token"},
		"web.service_accounts.created_flash":       {ZH: "已创建服务账号“%s”。", EN: "Service account \"%s\" created."},
		"web.service_accounts.token_title":         {ZH: "“%s”的令牌", EN: "The token of \"%s\""},
		"web.service_accounts.token_once":          {ZH: "请立即复制并妥善交给对接系统的管理员。离开本页后无法再次查看；遗失只能吊销后重建。", EN: "Copy it now and hand it to the other system's administrator safely. It cannot be shown again after you leave this page; if it is lost, revoke the account and create a new one."},
		"web.service_accounts.token_use":           {ZH: "对接系统在每个请求的请求头中发送：", EN: "The other system sends it in a header of every request:"},
		"web.service_accounts.revoke":              {ZH: "吊销", EN: "Revoke"},
		"web.service_accounts.revoked":             {ZH: "已吊销，该令牌从下一个请求起失效。", EN: "Revoked: the token is refused from the next request on."},
		"web.service_accounts.confirm_revoke":      {ZH: "吊销服务账号“%s”（%s…）？", EN: "Revoke the service account \"%s\" (%s…)?"},
		"web.service_accounts.confirm_revoke_hint": {ZH: "吊销后不能恢复，对接系统需要新的令牌。", EN: "This cannot be undone; the other system will need a new token."},
	})
}
