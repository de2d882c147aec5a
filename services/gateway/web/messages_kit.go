package web

import "github.com/anxin-welfare/anxin/pkg/i18n"

// Texts of the shared form kit: the error summary's sentences and the
// labels of the browser's own date and file controls.
func init() {
	i18n.Register(map[string]i18n.Text{
		"web.form.required":         {ZH: "此项必填", EN: "This field is required"},
		"web.form.summary_enter":    {ZH: "请填写%s", EN: "Enter %s"},
		"web.form.summary_choose":   {ZH: "请选择%s", EN: "Choose %s"},
		"web.form.summary_field":    {ZH: "%s：%s", EN: "%s: %s"},
		"web.form.date_hint":        {ZH: "日期格式：年-月-日，例如 2026-12-06", EN: "Date as year-month-day, e.g. 2026-12-06"},
		"web.form.datetime_hint":    {ZH: "日期和时间（北京时间）：年-月-日 时:分，例如 2026-12-06 14:30", EN: "Date and time (Beijing time) as year-month-day hour:minute, e.g. 2026-12-06 14:30"},
		"web.form.file_hint":        {ZH: "选择文件（PDF/JPG/PNG，不超过 10 MB）", EN: "Choose a file (PDF, JPG or PNG, 10 MB at most)"},
		"web.form.file_choose_hint": {ZH: "点击下方按钮从本机选择文件（按钮可能显示为英文 Choose File）", EN: "Use the button below to choose a file from this device"},
		"web.form.roster_file_hint": {ZH: "选择文件（CSV 或 XLSX，不超过 5 MB）", EN: "Choose a file (CSV or XLSX, 5 MB at most)"},
		"web.signin.failed":         {ZH: "登录未成功", EN: "Sign-in failed"},
	})
}
