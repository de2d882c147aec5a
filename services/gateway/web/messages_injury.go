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
		"web.injurypeople.grants_state_hidden": {ZH: "待审核的资助申请列在待办的第一页，不随案件状态、搜索或已结案筛选；清除筛选即可看到。", EN: "Grant applications to review are listed on the first page of open work, without a case state, search or the closed filter: clear them to see them."},
	})
	// The outcome of a case on its page (determination, grading rounds,
	// injury leave, coverage, closing), the fields of the appeal and
	// re-grading steps, and the timeline's lapsed windows.
	i18n.Register(map[string]i18n.Text{
		"web.injury.field.note":             {ZH: "说明", EN: "Note"},
		"web.injury.field.received_on":      {ZH: "结论送达日期（不填则为鉴定日期）", EN: "Received on (empty: the grading date)"},
		"web.injury.timeline_kind.lapse":    {ZH: "期限届满", EN: "window passed"},
		"web.injurycase.determination":      {ZH: "工伤认定", EN: "Determination"},
		"web.injurycase.clause":             {ZH: "第 %d 条第 %d 项", EN: "art. %d, clause %d"},
		"web.injurycase.decided_on":         {ZH: "%s 作出", EN: "decided on %s"},
		"web.injurycase.filed_on":           {ZH: "%s 申请，尚未作出结论", EN: "Filed on %s, not decided yet"},
		"web.injurycase.accepted_on":        {ZH: "%s 受理", EN: "accepted on %s"},
		"web.injurycase.paused":             {ZH: "认定时限中止", EN: "decision clock paused"},
		"web.injurycase.grading":            {ZH: "劳动能力鉴定", EN: "Disability grading"},
		"web.injurycase.grade":              {ZH: "伤残 %d 级", EN: "Grade %d"},
		"web.injurycase.no_grade":           {ZH: "未达伤残等级", EN: "No disability grade"},
		"web.injurycase.graded_on":          {ZH: "%s 鉴定", EN: "graded on %s"},
		"web.injurycase.received_on":        {ZH: "%s 送达", EN: "received on %s"},
		"web.injurycase.final":              {ZH: "最终结论", EN: "Final"},
		"web.injurycase.previous_grade":     {ZH: "原为伤残 %d 级", EN: "was grade %d"},
		"web.injurycase.previous_none":      {ZH: "原为未达伤残等级", EN: "was no grade"},
		"web.injurycase.pending":            {ZH: "%s 申请，等待结论", EN: "applied on %s, awaiting the conclusion"},
		"web.injurycase.extended":           {ZH: "期限已延长", EN: "deadline extended"},
		"web.injurycase.appealed_on":        {ZH: "%s 申请再次鉴定", EN: "Re-assessment asked for on %s"},
		"web.injurycase.regrading_from":     {ZH: "可于 %s 起申请复查鉴定", EN: "A re-grading may be asked for from %s"},
		"web.injurycase.leave":              {ZH: "停工留薪期", EN: "Injury leave"},
		"web.injurycase.leave_period":       {ZH: "%s 至 %s", EN: "%s to %s"},
		"web.injurycase.leave_extended":     {ZH: "已延长 %d 个月", EN: "extended by %d months"},
		"web.injurycase.leave_ended":        {ZH: "%s 提前结束", EN: "ended early on %s"},
		"web.injurycase.coverage":           {ZH: "参保情况", EN: "Insurance cover"},
		"web.injurycase.coverage_since":     {ZH: "%s 起", EN: "from %s"},
		"web.injurycase.coverage_period":    {ZH: "%s 至 %s", EN: "%s to %s"},
		"web.injurycase.coverage.pending":   {ZH: "正在核对", EN: "Being checked"},
		"web.injurycase.coverage.checked":   {ZH: "受伤当日未查到有效参保", EN: "No cover found on the injury date"},
		"web.injurycase.coverage.no_member": {ZH: "人员登记中没有此人，无法核对", EN: "Not in the member register: cannot be checked"},
		"web.injurycase.coverage.abandoned": {ZH: "多次核对未成功，已停止核对", EN: "Could not be checked; checking stopped"},
		"web.injurycase.closed":             {ZH: "结案", EN: "Closed"},
	})
}
