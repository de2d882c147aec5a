package pdfdoc

import "github.com/anxin-welfare/anxin/pkg/i18n"

func init() {
	i18n.Register(map[string]i18n.Text{
		"pdf.number":     {ZH: "编号：%s", EN: "No. %s"},
		"pdf.printed_at": {ZH: "打印时间：%s（北京时间）", EN: "Printed %s (Beijing time)"},
		"pdf.page":       {ZH: "第 %d 页 / 共 %s 页", EN: "Page %d of %s"},
		"pdf.recorded":   {ZH: "系统记录：%s %s", EN: "Recorded: %s %s"},
		"pdf.sign_here":  {ZH: "签字：", EN: "Signature:"},
		"pdf.date_here":  {ZH: "日期：", EN: "Date:"},
		"pdf.seal":       {ZH: "（盖章）", EN: "(seal)"},
	})
}
