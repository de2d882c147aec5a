package web

import "github.com/anxin-welfare/anxin/pkg/i18n"

// Texts of paged lists (the "pager" template).
func init() {
	i18n.Register(map[string]i18n.Text{
		"web.lists.next_page":      {ZH: "下一页", EN: "Next page"},
		"web.lists.first_page":     {ZH: "回到第一页", EN: "Back to the first page"},
		"web.lists.elsewhere_more": {ZH: "另有超过 %d 项申请在其他审批环节（不需要您处理）。", EN: "More than %d requests are at another approval step (nothing for you to do)."},
		"web.lists.stale_cursor":   {ZH: "该页链接已失效，现显示第一页。", EN: "That page's link is no longer valid; this is the first page."},
	})
}
