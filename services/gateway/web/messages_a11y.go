package web

import "github.com/anxin-welfare/anxin/pkg/i18n"

// Texts that only assistive technology reads: names of columns whose
// cells are buttons, and words for signs such as ✓.
func init() {
	i18n.Register(map[string]i18n.Text{
		"web.a11y.actions":  {ZH: "操作", EN: "Actions"},
		"web.a11y.balanced": {ZH: "借贷平衡", EN: "Debits equal credits"},
	})
}
