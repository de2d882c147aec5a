package web

import "github.com/anxin-welfare/anxin/pkg/i18n"

// Texts of the officer's home page (/my) beyond its parts' own.
func init() {
	i18n.Register(map[string]i18n.Text{
		"web.my.see_all": {ZH: "查看全部", EN: "See all"},
	})
}
