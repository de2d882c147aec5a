package web

import "github.com/anxin-welfare/anxin/pkg/i18n"

// Refusals of a form the gateway cannot take as it came: too large for its
// cap, or holding characters no text may hold.
func init() {
	i18n.Register(map[string]i18n.Text{
		"web.error.title.413": {ZH: "提交的内容过大", EN: "Too large"},
		"web.error.title.422": {ZH: "提交的内容有误", EN: "Invalid input"},
		"web.error.too_large": {ZH: "提交的内容超过了 %s 的上限，请缩小文件或减少内容后重新提交。",
			EN: "What you submitted is over the limit of %s; make the file smaller or send less, then try again."},
		"web.error.control_char": {ZH: "“%s”一栏含有不可见的控制字符（如 NUL），请删除后重新提交。",
			EN: "The field “%s” holds an invisible control character (such as NUL); remove it and submit again."},
	})
}
