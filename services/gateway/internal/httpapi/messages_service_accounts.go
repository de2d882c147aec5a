package httpapi

import "github.com/anxin-welfare/anxin/pkg/i18n"

// Problem codes of service accounts and their API tokens.
func init() {
	i18n.Register(map[string]i18n.Text{
		"gateway.service_account.name_required":         {ZH: "请输入名称，例如对接的系统", EN: "Enter a name, such as the system it is for"},
		"gateway.service_account.name_length":           {ZH: "名称不能超过 %d 个字", EN: "The name must be at most %d characters long"},
		"gateway.service_account.role_not_for_machines": {ZH: "服务账号不能拥有该角色：%s（只能是经办人员、财务或审计）", EN: "A service account cannot hold this role: %s (only caseworker, finance or auditor)"},
		"gateway.service_account.expiry_required":       {ZH: "请填写有效期", EN: "Enter the expiry date"},
		"gateway.service_account.expiry_past":           {ZH: "有效期必须晚于现在", EN: "The expiry must be in the future"},
		"gateway.service_account.expiry_too_far":        {ZH: "有效期不能超过 %d 天，请到期前重新签发", EN: "The expiry may be at most %d days ahead; issue a new token before it ends"},
		"gateway.service_account.expiry_invalid":        {ZH: "有效期应为日期（如 2027-06-30）", EN: "The expiry must be a date such as 2027-06-30"},
		"gateway.service_account.already_revoked":       {ZH: "该服务账号已被吊销", EN: "This service account is already revoked"},

		"problem.gateway.service_account.already_revoked": {ZH: "该服务账号已被吊销", EN: "This service account is already revoked"},
		"problem.gateway.api_token.invalid":               {ZH: "API 令牌无效", EN: "The API token is not valid"},
		"problem.gateway.api_token.revoked":               {ZH: "API 令牌已被吊销", EN: "The API token has been revoked"},
		"problem.gateway.api_token.expired":               {ZH: "API 令牌已过期", EN: "The API token has expired"},
		"problem.gateway.api_token.throttled":             {ZH: "来自该地址的无效令牌过多，请 %d 分钟后再试", EN: "Too many invalid tokens from this address; try again in %d minutes"},
		"problem.gateway.api_token.people_only":           {ZH: "网关自身的接口只供登录的人员使用，服务账号不可调用", EN: "The gateway's own API is for people who sign in, not for service accounts"},
	})
}
