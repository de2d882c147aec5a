package web

import "github.com/anxin-welfare/anxin/pkg/i18n"

// The texts of the caseworker's queue, the benefit 测算 page, closing a
// case and the officer's attention panel on /my.
func init() {
	i18n.Register(map[string]i18n.Text{
		// Closing a case: the confirmation card, one text per reason.
		"web.injury.close_confirm.completed":  {ZH: "确认将案件 %s 以“办结”结案？", EN: "Close case %s as completed?"},
		"web.injury.close_confirm.rejected":   {ZH: "确认将案件 %s 以“不予认定后结案”结案？", EN: "Close case %s after the rejection?"},
		"web.injury.close_confirm.withdrawn":  {ZH: "确认将案件 %s 以“撤回”结案？", EN: "Close case %s as withdrawn?"},
		"web.injury.close_confirm.duplicate":  {ZH: "确认将案件 %s 以“重复报告”结案？", EN: "Close case %s as a duplicate?"},
		"web.injury.close_confirm_hint":       {ZH: "结案后案件的各项时限随之取消（停工留薪期照常计算），且不能重新打开。", EN: "Closing cancels the case's deadlines (injury leave runs on) and cannot be undone."},
		"web.injury.close_reason_not_offered": {ZH: "此阶段不能以这个原因结案，请从列出的原因中选择", EN: "The case cannot close for this reason at its stage: choose one of those listed"},
		"web.injury.close_confirm_button":     {ZH: "确认结案", EN: "Yes, close the case"},

		// The caseworker's queue.
		"web.queue.which":         {ZH: "案件范围", EN: "Which cases"},
		"web.queue.open":          {ZH: "待办（未结案）", EN: "Open work"},
		"web.queue.closed":        {ZH: "已结案", EN: "Closed"},
		"web.queue.search":        {ZH: "查找案件", EN: "Find a case"},
		"web.queue.search_hint":   {ZH: "输入案件编号或受伤人员姓名（或其中一部分）。", EN: "Type a case number or the injured person's name (or part of it)."},
		"web.queue.sort":          {ZH: "排序", EN: "Order"},
		"web.queue.sort.due":      {ZH: "期限最近的在前", EN: "Nearest deadline first"},
		"web.queue.sort.severity": {ZH: "伤情最重的在前", EN: "Most severe first"},
		"web.queue.sort.opened":   {ZH: "最新报告的在前", EN: "Newest first"},
		"web.queue.severity":      {ZH: "伤情", EN: "Severity"},
		"web.queue.closed_at":     {ZH: "结案时间", EN: "Closed"},
		"web.queue.clock_hint":    {ZH: "“时限”和“截止”说的是同一项：案件正在计时的各项时限中最先到期的一项（名称写在日期后）。危重、较重案件比轻微案件更早显示“临近期限”。", EN: "Deadline status and due date describe one clock: the case's running deadline that comes first (named after the date). Critical and serious cases show “Due soon” earlier than minor ones."},
		"web.queue.no_clock":      {ZH: "无计时中的时限", EN: "No deadline running"},
		"web.queue.closed_empty":  {ZH: "没有符合条件的已结案案件。", EN: "No closed case matches."},
		"web.queue.next_page":     {ZH: "下一页", EN: "Next page"},
		"web.queue.first_page":    {ZH: "回到第一页", EN: "First page"},
		"web.queue.left_minutes":  {ZH: "还剩 %d 分钟", EN: "%d min left"},
		"web.queue.left_hours":    {ZH: "还剩 %d 小时", EN: "%d h left"},
		"web.queue.left_days":     {ZH: "还剩 %d 天", EN: "%d days left"},
		"web.queue.over_minutes":  {ZH: "已超期 %d 分钟", EN: "%d min overdue"},
		"web.queue.over_hours":    {ZH: "已超期 %d 小时", EN: "%d h overdue"},
		"web.queue.over_days":     {ZH: "已超期 %d 天", EN: "%d days overdue"},

		// The officer's home: what needs them now.
		"web.my.attention.title":               {ZH: "需要您留意的事", EN: "Needs your attention now"},
		"web.my.attention.nothing":             {ZH: "目前没有需要您处理或留意的事项。其他事项在下面，点开即可查看。", EN: "Nothing needs you right now. Everything else is below: open a part to see it."},
		"web.my.attention.some_deadline":       {ZH: "办理时限", EN: "a deadline"},
		"web.my.attention.breached":            {ZH: "您的工伤案件 %s 的“%s”已经超期。这不影响您依法享有的工伤待遇，但办理慢了：经办人须尽快办理，超期会自动上报领导督办。您不需要做什么；想了解进度可以联系经办人。", EN: "Your injury case %s is past its deadline (%s). Your benefits do not suffer from it, but it is late: the caseworker must act now, and lateness is reported to their superiors automatically. You need not do anything; ask the caseworker if you want to know more."},
		"web.my.attention.yours.member_filing": {ZH: "工伤案件 %s：单位未在期限内申请工伤认定，您本人或近亲属可以自己申请，期限至 %s。请尽快联系经办人准备材料，逾期将不能申请。", EN: "Case %s: the unit did not file for the determination in time; you or your family may file yourselves until %s. Contact the caseworker soon: after that it can no longer be filed."},
		"web.my.attention.yours.appeal":        {ZH: "工伤案件 %s：如对伤残等级鉴定结论有异议，可以申请再次鉴定，期限至 %s。没有异议则不需要做什么。", EN: "Case %s: if you disagree with the disability grading, you may ask for a re-assessment until %s. If you agree, there is nothing to do."},
		"web.my.attention.grant_returned":      {ZH: "资助申请 %s 被退回，需要您补充或修改后重新提交。打开申请可以看到退回原因。", EN: "Application %s was sent back for more information: open it to see why, then submit it again."},
		"web.my.attention.unit_head":           {ZH: "您的工伤案件 %s 的“%s”超期未办，已上报单位负责人督办。这不影响您的待遇；单位负责人会催促经办人尽快办理。您不需要做什么；有疑问可以联系经办人或单位负责人。", EN: "Your injury case %s passed its deadline (%s) and was reported to your unit head, who will press the caseworker. Your benefits do not suffer. You need not do anything; ask the caseworker or your unit head if in doubt."},
		"web.my.attention.committee":           {ZH: "您的工伤案件 %s 的“%s”严重超期，已上报县委政法委督办。这不影响您的待遇；政法委会督促尽快办结。您不需要做什么；有疑问可以联系经办人。", EN: "Your injury case %s is well past its deadline (%s) and was reported to the county committee, which will see it through. Your benefits do not suffer. You need not do anything; ask the caseworker if in doubt."},
		"web.my.attention.in_charge":           {ZH: "经办人：%s", EN: "Caseworker: %s"},
		"web.my.attention.no_one_yet":          {ZH: "尚无经办人受理；案件已在单位经办人的待办队列中。", EN: "No caseworker has taken it yet; it is in your unit caseworkers' queue."},

		"web.injury.in_charge":   {ZH: "经办人", EN: "Caseworker in charge"},
		"web.injury.field.phone": {ZH: "您的联系电话（显示给受伤民警，选填）", EN: "Your phone, shown to the injured officer (optional)"},

		// The 测算 page.
		"web.calc.title":                             {ZH: "待遇测算", EN: "Benefit estimates"},
		"web.calc.nothing_saved":                     {ZH: "测算不保存任何内容：不建立案件或申请，不占用编号，也不留记录。", EN: "Nothing is saved: no case or application is created, no number is used and nothing is recorded."},
		"web.calc.injury":                            {ZH: "工伤待遇（一次性伤残补助金、伤残津贴、生活护理费）", EN: "Work-injury benefits (one-time subsidy, monthly allowance, nursing fee)"},
		"web.calc.injury_hint":                       {ZH: "按《工伤保险条例》逐项计算，使用所选日期生效的统筹地区职工月平均工资和最低工资标准。", EN: "Computed item by item under the Regulation, with the regional average and minimum wages in force on the chosen day."},
		"web.calc.on":                                {ZH: "参数日期（受伤日期）", EN: "Parameters of (injury date)"},
		"web.calc.on_hint":                           {ZH: "用这一天生效的工资参数；一般填受伤日期。", EN: "The wage parameters in force on this day apply; usually the injury date."},
		"web.calc.grade":                             {ZH: "伤残等级（一级至十级，填数字）", EN: "Disability grade (1 to 10)"},
		"web.calc.compute":                           {ZH: "测算", EN: "Estimate"},
		"web.calc.parameters_used":                   {ZH: "使用 %s 生效的统筹地区职工月平均工资 %s。", EN: "Regional average monthly wage in force on %s: %s."},
		"web.calc.minimum_used":                      {ZH: "最低工资标准 %s。", EN: "Minimum wage: %s."},
		"web.calc.statutory":                         {ZH: "法定抚恤、补助金额", EN: "Statutory grants"},
		"web.calc.statutory_hint":                    {ZH: "先选择计算项目，再填写它需要的情况。", EN: "Choose what to compute first, then enter the facts it needs."},
		"web.calc.calculator":                        {ZH: "计算项目", EN: "What to compute"},
		"web.calc.choose":                            {ZH: "选择", EN: "Choose"},
		"web.calc.event_date":                        {ZH: "牺牲、死亡或伤残鉴定日期", EN: "Date of death or of the grading"},
		"web.calc.event_date_hint":                   {ZH: "决定使用哪一年的全国城镇居民人均可支配收入等参数。", EN: "It chooses the year of the national income and other parameters."},
		"web.calc.cause":                             {ZH: "死亡性质", EN: "Cause of death"},
		"web.calc.monthly_wage":                      {ZH: "本人月工资（元）", EN: "Own monthly wage (yuan)"},
		"web.calc.monthly_wage_hint.police_lump_sum": {ZH: "基本工资加警衔津贴（《人民警察抚恤优待办法》第十四条）。", EN: "Basic pay plus rank allowance (police rules art. 14)."},
		"web.calc.monthly_wage_hint.auxiliary_police_martyr": {ZH: "本人基本工资。", EN: "The basic wage."},
		"web.calc.monthly_wage_hint.disability_lump_sum":     {ZH: "受伤前 12 个月平均月工资（《工伤保险条例》第六十四条）。", EN: "The average of the 12 months before the injury (art. 64)."},
		"web.calc.honours":                 {ZH: "荣誉称号或立功（只计最高一项）", EN: "Titles or merits (only the highest counts)"},
		"web.calc.honour.national_title":   {ZH: "全国性荣誉称号（增发百分之三十五）", EN: "National title (+35 per cent)"},
		"web.calc.honour.provincial_title": {ZH: "省级荣誉称号（增发百分之三十）", EN: "Provincial title (+30 per cent)"},
		"web.calc.honour.merit_first":      {ZH: "一等功（增发百分之二十五）", EN: "First-class merit (+25 per cent)"},
		"web.calc.honour.merit_second":     {ZH: "二等功（增发百分之十五）", EN: "Second-class merit (+15 per cent)"},
		"web.calc.honour.merit_third":      {ZH: "三等功（增发百分之五）", EN: "Third-class merit (+5 per cent)"},
		"web.nav.calculators":              {ZH: "待遇测算", EN: "Estimates"},
		"web.calc.link":                    {ZH: "待遇测算（不保存）", EN: "Estimate benefits (nothing saved)"},
	})
}
