package web

import "github.com/anxin-welfare/anxin/pkg/i18n"

// The texts of the injury pages that name people and units: the reporter's
// own unit, the search for an injured member by name, and the names in the
// case page and the work queue.
func init() {
	i18n.Register(map[string]i18n.Text{
		"web.injurypeople.injured":             {ZH: "受伤人员", EN: "Injured"},
		"web.injurypeople.unit":                {ZH: "所在单位", EN: "Unit"},
		"web.injurypeople.unit_from_record":    {ZH: "根据人员档案确定，无需选择。", EN: "From the member record; nothing to choose."},
		"web.injurypeople.unit_unknown":        {ZH: "未能从人员档案确定所在单位，请选择或填写。", EN: "Your unit could not be read from the member record: choose or enter it."},
		"web.injurypeople.find":                {ZH: "按姓名查找受伤人员", EN: "Find the injured member by name"},
		"web.injurypeople.find_hint":           {ZH: "输入姓名或姓名的开头；只列出您负责单位的人员。", EN: "Type the name or its beginning; only members of your units are listed."},
		"web.injurypeople.find_submit":         {ZH: "查找", EN: "Search"},
		"web.injurypeople.find_required":       {ZH: "请输入要查找的姓名", EN: "Type a name to search for"},
		"web.injurypeople.find_too_long":       {ZH: "姓名最多 %d 个字", EN: "A name has at most %d characters"},
		"web.injurypeople.find_none":           {ZH: "没有姓名以“%s”开头的人员。", EN: "No member's name starts with “%s”."},
		"web.injurypeople.find_unavailable":    {ZH: "暂时无法查找人员；可以直接填写受伤人员姓名。", EN: "Members cannot be searched now; type the injured person's name instead."},
		"web.injurypeople.find_first":          {ZH: "请先按姓名查找，再选择人员。", EN: "Search by name first, then choose the member."},
		"web.injurypeople.found":               {ZH: "选择受伤人员", EN: "Choose the injured member"},
		"web.injurypeople.found_more":          {ZH: "只列出前 %d 位，请输入更完整的姓名。", EN: "Only the first %d are listed: type more of the name."},
		"web.injurypeople.not_listed":          {ZH: "不在列表中（填写下面的姓名）", EN: "Not in the list (type the name below)"},
		"web.injurypeople.unknown_hint":        {ZH: "查不到或不知道身份时填写姓名，经办人员稍后确认身份。", EN: "If the member cannot be found, type the name; a caseworker identifies them later."},
		"web.injurypeople.choose_member":       {ZH: "请从查找结果中选择人员", EN: "Choose a member from the search results"},
		"web.injurypeople.grant_number":        {ZH: "申请编号", EN: "Application"},
		"web.injurypeople.grant_applicant":     {ZH: "申请人", EN: "Applicant"},
		"web.injurypeople.grant_amount":        {ZH: "申请金额", EN: "Amount requested"},
		"web.injurypeople.grant_submitted":     {ZH: "提交时间", EN: "Submitted"},
		"web.injurypeople.grant_waiting":       {ZH: "已等待（天）", EN: "Days waiting"},
		"web.injurypeople.grants_empty":        {ZH: "没有待审核的资助申请。", EN: "No grant applications to review."},
		"web.injurypeople.grants_state_hidden": {ZH: "资助申请没有案件状态；选择“全部状态”即可看到。", EN: "Grant applications have no case state: choose “Any state” to see them."},
	})
}
