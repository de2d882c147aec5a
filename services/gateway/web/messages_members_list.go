package web

import "github.com/anxin-welfare/anxin/pkg/i18n"

// Texts of the member list (search, totals, pages) and of a member's links
// to their cases, grants, leave and stays and beneficiary editing.
func init() {
	i18n.Register(map[string]i18n.Text{
		"web.members.search_id_hint": {ZH: "完整的 18 位身份证号码，可含空格。", EN: "The full 18-character identity number; spaces are fine."},
		"web.members.search":         {ZH: "查找", EN: "Search"},
		"web.members.total":          {ZH: "共 %d 人", EN: "%d members"},
		"web.members.showing":        {ZH: "当前显示第 %d–%d 人", EN: "showing %d–%d"},
		"web.members.none_with_id":   {ZH: "您可查看的人员中没有此身份证号码。", EN: "No member you may see has this identity number."},
		"web.members.next_page":      {ZH: "下一页", EN: "Next page"},
	})
}
