package templates

import "github.com/anxin-welfare/anxin/pkg/i18n"

// The texts of the webhook subscriptions' problems.
func init() {
	i18n.Register(map[string]i18n.Text{
		"notify.webhook.name_too_long": {ZH: "名称不能超过 100 个字", EN: "must be at most 100 characters"},
		"notify.webhook.bad_url":       {ZH: "请填写完整的网址，例如 https://hooks.example.com/anxin", EN: "must be a full address, e.g. https://hooks.example.com/anxin"},
		"notify.webhook.url_too_long":  {ZH: "网址不能超过 2048 个字符", EN: "must be at most 2048 characters"},
		"notify.webhook.url_credentials": {ZH: "网址中不能包含用户名或密码，请用签名密钥验证来源",
			EN: "must not contain a user name or password; receivers verify the signature instead"},
		"notify.webhook.https_required": {ZH: "必须使用 https 网址", EN: "must be an https address"},
		"notify.webhook.private_address": {ZH: "该网址指向内网、本机或链路本地地址，不能用于推送",
			EN: "points to a private, loopback or link-local address, which webhooks may not call"},
		"notify.webhook.unresolvable":           {ZH: "无法解析该网址的主机名", EN: "its host name does not resolve"},
		"notify.webhook.no_kinds":               {ZH: "请至少选择一种事件", EN: "choose at least one event type"},
		"notify.webhook.unknown_kind":           {ZH: "不是可订阅的事件类型", EN: "is not an event type one can subscribe to"},
		"notify.webhook.duplicate_kind":         {ZH: "事件类型重复", EN: "is listed twice"},
		"problem.notify_webhook_not_replayable": {ZH: "只有已送达或已放弃的推送可以重发", EN: "Only a delivered or dead webhook delivery can be replayed"},
	})
}
