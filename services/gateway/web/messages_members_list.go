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

		"web.members.beneficiaries_edit":     {ZH: "修改指定受益人", EN: "Change the named beneficiaries"},
		"web.members.beneficiaries_rules":    {ZH: "各受益人的份额合计须恰好为百分之百。全部清空即不指定受益人（由法定继承人受益）。", EN: "The shares must total exactly one hundred per cent. Clear every line to name nobody (the legal heirs benefit)."},
		"web.members.beneficiary_n":          {ZH: "受益人 %d", EN: "Beneficiary %d"},
		"web.members.beneficiary_name":       {ZH: "受益人姓名", EN: "Beneficiary's name"},
		"web.members.beneficiary_id_number":  {ZH: "受益人身份证号码", EN: "Beneficiary's identity number"},
		"web.members.beneficiary_id_keep":    {ZH: "留空则保留已登记的号码（姓名和关系不变时）。", EN: "Leave empty to keep the number on record (while the name and relation stay)."},
		"web.members.beneficiary_on_record":  {ZH: "已登记号码：%s", EN: "Number on record: %s"},
		"web.members.beneficiary_share":      {ZH: "受益份额（百分比）", EN: "Share (per cent)"},
		"web.members.beneficiary_share_hint": {ZH: "百分数，最多两位小数，如 50 或 33.33", EN: "A percentage with at most two decimals, e.g. 50 or 33.33"},
		"web.members.beneficiaries_save":     {ZH: "保存受益人", EN: "Save the beneficiaries"},
		"web.members.beneficiaries_saved":    {ZH: "受益人已保存。", EN: "Beneficiaries saved."},
		"web.members.beneficiaries_change":   {ZH: "修改%s受益人", EN: "Change the %s beneficiaries"},
		"web.members.records":                {ZH: "相关记录", EN: "Records"},
		"web.members.records.cases":          {ZH: "工伤案件", EN: "Injury cases"},
		"web.members.records.grants":         {ZH: "资助申请", EN: "Grant applications"},
		"web.members.records.leave":          {ZH: "休假申请", EN: "Leave requests"},
		"web.members.records.stays":          {ZH: "疗休养", EN: "Recuperation stays"},
		"web.members.records_none":           {ZH: "没有您可查看的记录。", EN: "None you may see."},
		"web.members.records_unavailable":    {ZH: "暂时无法读取，请稍后刷新。", EN: "Cannot be read just now; reload later."},
		"web.members.beneficiaries_none":     {ZH: "未指定（由法定继承人受益）", EN: "None named (the legal heirs benefit)"},
	})
}
