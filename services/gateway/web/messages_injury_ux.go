package web

import "github.com/anxin-welfare/anxin/pkg/i18n"

// The texts of the caseworker's queue, the benefit 测算 page, closing a
// case and the officer's attention panel on /my.
func init() {
	i18n.Register(map[string]i18n.Text{
		// Closing a case: the confirmation card, one text per reason.
		"web.injury.close_confirm.completed": {ZH: "确认将案件 %s 以“办结”结案？", EN: "Close case %s as completed?"},
		"web.injury.close_confirm.rejected":  {ZH: "确认将案件 %s 以“不予认定后结案”结案？", EN: "Close case %s after the rejection?"},
		"web.injury.close_confirm.withdrawn": {ZH: "确认将案件 %s 以“撤回”结案？", EN: "Close case %s as withdrawn?"},
		"web.injury.close_confirm.duplicate": {ZH: "确认将案件 %s 以“重复报告”结案？", EN: "Close case %s as a duplicate?"},
		"web.injury.close_confirm_hint":      {ZH: "结案后案件的各项时限随之取消（停工留薪期照常计算），且不能重新打开。", EN: "Closing cancels the case's deadlines (injury leave runs on) and cannot be undone."},
		"web.injury.close_confirm_button":    {ZH: "确认结案", EN: "Yes, close the case"},

		// The caseworker's queue.
		"web.queue.which":          {ZH: "案件范围", EN: "Which cases"},
		"web.queue.open":           {ZH: "待办（未结案）", EN: "Open work"},
		"web.queue.closed":         {ZH: "已结案", EN: "Closed"},
		"web.queue.search":         {ZH: "查找案件", EN: "Find a case"},
		"web.queue.search_hint":    {ZH: "输入案件编号或受伤人员姓名（或其中一部分）。", EN: "Type a case number or the injured person's name (or part of it)."},
		"web.queue.sort":           {ZH: "排序", EN: "Order"},
		"web.queue.sort.due":       {ZH: "期限最近的在前", EN: "Nearest deadline first"},
		"web.queue.sort.severity":  {ZH: "伤情最重的在前", EN: "Most severe first"},
		"web.queue.sort.opened":    {ZH: "最新报告的在前", EN: "Newest first"},
		"web.queue.severity":       {ZH: "伤情", EN: "Severity"},
		"web.queue.closed_at":      {ZH: "结案时间", EN: "Closed"},
		"web.queue.clock_hint":     {ZH: "“时限”和“期限”说的是同一项：案件正在计时的各项时限中最先到期的一项（名称写在日期下）。危重案件到期前 1 小时、较重案件到期前 30 分钟即显示“临近期限”。", EN: "Deadline status and due date describe one clock: the case's running deadline that comes first (named under the date). A critical case shows “Due soon” an hour before it, a serious one 30 minutes before."},
		"web.queue.no_clock":       {ZH: "无计时中的时限", EN: "No deadline running"},
		"web.queue.closed_empty":   {ZH: "没有符合条件的已结案案件。", EN: "No closed case matches."},
		"web.queue.next_page":      {ZH: "下一页", EN: "Next page"},
		"web.queue.first_page":     {ZH: "回到第一页", EN: "First page"},
		"web.queue.left_minutes":   {ZH: "还剩 %d 分钟", EN: "%d min left"},
		"web.queue.left_hours":     {ZH: "还剩 %d 小时", EN: "%d h left"},
		"web.queue.left_days":      {ZH: "还剩 %d 天", EN: "%d days left"},
		"web.queue.over_minutes":   {ZH: "已超期 %d 分钟", EN: "%d min overdue"},
		"web.queue.over_hours":     {ZH: "已超期 %d 小时", EN: "%d h overdue"},
		"web.queue.over_days":      {ZH: "已超期 %d 天", EN: "%d days overdue"},
	})
}
