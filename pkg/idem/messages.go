package idem

import "github.com/anxin-welfare/anxin/pkg/i18n"

func init() {
	i18n.Register(map[string]i18n.Text{
		"problem." + CodeKeyReused: {
			ZH: "该幂等键已用于另一请求：同一个键只能重发完全相同的请求，新请求请换一个新键",
			EN: "This Idempotency-Key was used for a different request: resend the same request with it, or use a new key for a new one",
		},
		"problem." + CodeInFlight: {
			ZH: "同一请求仍在处理中，请稍后重试",
			EN: "The same request is still being processed; retry shortly",
		},
		"problem." + CodeOutcomeUnrecorded: {
			ZH: "该请求已经执行，但结果因服务重启未能保存；请查询结果，不要重复提交",
			EN: "This request was carried out, but its response was lost in a restart; look the result up instead of sending it again",
		},
		"field.idempotency_key": {
			ZH: "须为 1 至 %d 个可见 ASCII 字符",
			EN: "must be 1 to %d visible ASCII characters",
		},
	})
}
