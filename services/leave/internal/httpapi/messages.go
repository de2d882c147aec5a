package httpapi

import "github.com/anxin-welfare/anxin/pkg/i18n"

// The leave service's message catalogue: problem titles ("problem."+code of
// each domain rule), its own field messages, and the explanation lines of
// entitlements, compensation and recuperation priority. Date arguments
// arrive formatted as YYYY-MM-DD (see localArgs).
func init() {
	i18n.Register(map[string]i18n.Text{
		// Annual leave rules.
		"problem.leave.calendar_missing":     {ZH: "%d 年的工作日历尚未维护，暂不能计算工作日；请联系系统管理员录入该年度的工作日历", EN: "The work calendar for %d has not been set up yet, so working days cannot be counted; ask the system administrator to enter it"},
		"problem.leave.date_out_of_year":     {ZH: "日期不在 %d 年内", EN: "The date is not in %d"},
		"problem.leave.request_spans_years":  {ZH: "休假不能跨年度，请按年度分别申请", EN: "Leave cannot span two years; request each year separately"},
		"problem.leave.no_working_days":      {ZH: "所选日期内没有工作日，无需申请年休假", EN: "The chosen dates contain no working day"},
		"problem.leave.balance_exceeded":     {ZH: "年休假余额不足：需要 %d 天，可用 %d 天", EN: "Not enough annual leave: %d days needed, %d available"},
		"problem.leave.overlap":              {ZH: "与已有的休假申请（%s 至 %s）时间重叠", EN: "Overlaps an existing leave request (%s to %s)"},
		"problem.leave.overlap_injury_leave": {ZH: "与停工留薪期（%s 至 %s）时间重叠", EN: "Overlaps paid injury leave (%s to %s)"},
		"problem.leave.invalid_transition":   {ZH: "该申请当前的状态不允许此操作", EN: "The request's current state does not allow this"},
		"problem.leave.self_approval":        {ZH: "不能审批本人的申请", EN: "You cannot decide on your own request"},
		"problem.leave.same_approver":        {ZH: "第二级审批须由另一位审批人进行", EN: "The second approval must be given by another approver"},
		"problem.leave.already_started":      {ZH: "休假已于 %s 开始，不能撤销", EN: "The leave started on %s and can no longer be cancelled"},
		"problem.leave.member_inactive":      {ZH: "该人员在所选期间不在职", EN: "The member is not employed for the whole period"},
		"problem.leave.carry_over_exceeded":  {ZH: "结转 %d 天超过可结转的 %d 天", EN: "Carrying %d days exceeds the %d days that may be carried"},
		"problem.leave.carry_over_twice":     {ZH: "该年度已记录结转决定", EN: "A carry-over decision is already recorded for this year"},
		"problem.leave.rollover_year":        {ZH: "%d 年已完成年终结转", EN: "Year %d has already been closed"},
		"problem.leave.pay_missing":          {ZH: "尚未录入 %s 在 %d 年的工资基数", EN: "No pay basis recorded for %s in %d"},

		// Recuperation rules.
		"problem.leave.recuperation.session_full":          {ZH: "该期疗养名额已满", EN: "This recuperation session is full"},
		"problem.leave.recuperation.session_closed":        {ZH: "该期疗养已于 %s 开始，不能再预约或取消", EN: "The session started on %s; it can no longer be booked or cancelled"},
		"problem.leave.recuperation.quota_exhausted":       {ZH: "本单位本年度疗养名额已用完", EN: "The unit's recuperation quota for the year is used up"},
		"problem.leave.recuperation.already_booked":        {ZH: "已预约该期疗养", EN: "Already booked for this session"},
		"problem.leave.recuperation.invalid_transition":    {ZH: "该预约当前的状态不允许此操作", EN: "The booking's current state does not allow this"},
		"problem.leave.recuperation.capacity_below_booked": {ZH: "名额不能少于已确认的 %d 人", EN: "Capacity cannot be below the %d places already confirmed"},

		// Health-check rules.
		"problem.leave.healthcheck.slot_full":          {ZH: "该时段已约满", EN: "This slot is full"},
		"problem.leave.healthcheck.round_closed":       {ZH: "本轮体检的预约已于 %s 截止", EN: "Booking for this round of health checks closed on %s"},
		"problem.leave.healthcheck.slot_too_late":      {ZH: "该时段在 %s，须至少提前一天预约；请选择以后日期的时段", EN: "This slot is on %s: slots are booked by the day before; choose a later one"},
		"problem.leave.healthcheck.cancel_too_late":    {ZH: "体检在 %s，当天及之后不能在线取消；不能到场请联系经办人", EN: "The check is on %s: it can no longer be cancelled online on or after that day; tell your caseworker if you cannot come"},
		"problem.leave.healthcheck.already_booked":     {ZH: "本轮体检已预约或已完成", EN: "Already booked or done in this round"},
		"problem.leave.healthcheck.invalid_transition": {ZH: "该体检预约当前的状态不允许此操作", EN: "The booking's current state does not allow this"},
		"problem.leave.healthcheck.not_yet_held":       {ZH: "体检尚未进行", EN: "The check has not taken place yet"},
		"problem.leave.healthcheck.wrong_unit":         {ZH: "只能预约本单位的体检", EN: "Only your own unit's round can be booked"},

		// Field messages.
		"leave.field.date_order":                     {ZH: "不能早于开始日期", EN: "must not be before the start date"},
		"leave.field.not_weekend":                    {ZH: "%s 不是周末，不需要调休上班", EN: "%s is not a weekend day"},
		"leave.field.off_and_work":                   {ZH: "%s 不能既是休息日又是调休上班日", EN: "%s cannot be both a day off and a working day"},
		"leave.field.out_of_year":                    {ZH: "%s 不在 %d 年内", EN: "%s is not in %d"},
		"leave.field.wrong_sign":                     {ZH: "天数的正负与类型不符", EN: "has the wrong sign for this kind of entry"},
		"leave.field.injury_too_long":                {ZH: "停工留薪期不能超过 %d 个月（最晚至 %s）", EN: "paid injury leave cannot exceed %d months (last day %s)"},
		"leave.healthcheck.field.slot_outside_round": {ZH: "应在本轮体检期间（%s 至 %s）内", EN: "must be within the round (%s to %s)"},

		// Entitlement explanations.
		"leave.explain.service_years":        {ZH: "截至 %[2]s，累计工作已满 %[1]d 年", EN: "On %[2]s: %[1]d full years of service"},
		"leave.explain.band":                 {ZH: "累计工作满 %d 年，年休假 %d 天", EN: "%d years of service: %d days a year"},
		"leave.explain.band_change":          {ZH: "自 %s 起进入新档，全年 %d 天", EN: "From %s the new band applies: %d days"},
		"leave.explain.not_employed":         {ZH: "%d 年内不在职", EN: "Not employed in %d"},
		"leave.explain.under_one_year":       {ZH: "截至 %s 累计工作不满 1 年，不享受年休假", EN: "Less than one year of service by %s: no annual leave"},
		"leave.explain.pro_rated":            {ZH: "按 %s 至 %s 在职 %d 天 ÷ %d 折算为 %d 天（不足 1 天的部分不计）", EN: "Pro-rated for %s to %s: %d days ÷ %d gives %d days (fractions dropped)"},
		"leave.explain.personal_leave_limit": {ZH: "请事假 %d 天，达到 %d 天，当年不享受年休假", EN: "%d days of personal leave reach the %d-day limit: no leave this year"},
		"leave.explain.sick_leave_limit":     {ZH: "请病假 %d 天，达到 %d 天，当年不享受年休假", EN: "%d days of sick leave reach the %d-day limit: no leave this year"},
		"leave.explain.previous_year_limit":  {ZH: "%d 年已休年休假后又达到不享受条件，本年度不享受年休假", EN: "The limit was reached in %d after leave was taken: no leave this year"},
		"leave.explain.total":                {ZH: "合计 %d 天", EN: "Total %d days"},

		// Compensation explanations.
		"leave.explain.daily_wage_civil": {ZH: "日工资 = 全年工资收入 %s 元 ÷ 261", EN: "Daily wage = annual pay ¥%s ÷ 261"},
		"leave.explain.daily_wage_aux":   {ZH: "日工资 = 月平均工资 %s 元 ÷ 21.75", EN: "Daily wage = average monthly wage ¥%s ÷ 21.75"},
		"leave.explain.unused_days":      {ZH: "应休未休 %d 天", EN: "%d days due and not taken"},
		"leave.explain.waived":           {ZH: "本人书面提出不休年休假，只享受正常工资收入", EN: "The member chose in writing not to take the leave: normal pay only"},
		"leave.explain.extra_200":        {ZH: "另行支付 200%%：%s 元", EN: "Extra 200%% payable: ¥%s"},

		// Reasons the system writes on ledger entries.
		"leave.reason.member_changed": {ZH: "人员信息变更，重新核定年休假", EN: "Entitlement recomputed after a change of the member's record"},
		"leave.reason.absences":       {ZH: "按事假、病假情况重新核定年休假", EN: "Entitlement recomputed for personal and sick leave"},
		"leave.reason.cancelled":      {ZH: "休假申请已撤销，退回天数", EN: "Days returned: the request was cancelled"},
		"leave.reason.injury_leave":   {ZH: "停工留薪期内不占用年休假，退回天数", EN: "Days returned: paid injury leave does not use annual leave"},
		"leave.reason.injury_leave_shortened": {ZH: "停工留薪期缩短，这些天实为年休假，收回此前退回的天数",
			EN: "Days taken back: paid injury leave was shortened, so these days were annual leave after all"},
		"leave.reason.injury_leave_shortened_negative": {ZH: "停工留薪期缩短，收回此前退回的天数；这些天数已被使用，余额为负，请单位核实处理",
			EN: "Days taken back: paid injury leave was shortened; the days returned had been used since, so the balance is negative and the unit must settle it"},
		"leave.reason.entitlement_below_approved": {ZH: "年度结转核定的年休假少于此前按预计天数批准的休假，余额为负，请单位核实处理",
			EN: "The entitlement booked at year end is lower than the leave approved against the projected entitlement, so the balance is negative and the unit must settle it"},
		"leave.reason.injury_leave_closed_year": {ZH: "停工留薪期覆盖已结转年度的年休假，退回天数记入本年度",
			EN: "Days returned for paid injury leave in a closed leave year, booked in this year"},
		"leave.reason.injury_leave_shortened_closed_year": {ZH: "停工留薪期缩短，已结转年度此前退回的天数实为年休假，在本年度收回",
			EN: "Days taken back in this year: paid injury leave was shortened and days returned in a closed leave year were annual leave after all"},
		"leave.reason.injury_leave_shortened_closed_year_negative": {ZH: "停工留薪期缩短，已结转年度此前退回的天数在本年度收回；余额为负，请单位核实处理",
			EN: "Days taken back in this year for a closed leave year: paid injury leave was shortened; the balance is negative and the unit must settle it"},

		// Compensation export headings.
		"leave.export.member":      {ZH: "人员编号", EN: "Member"},
		"leave.export.member_name": {ZH: "姓名", EN: "Name"},
		"leave.export.unit":        {ZH: "单位", EN: "Unit"},
		"leave.export.category":    {ZH: "人员类别", EN: "Category"},
		"leave.export.unused_days": {ZH: "应休未休天数", EN: "Unused days"},
		"leave.export.waived":      {ZH: "本人书面放弃", EN: "Waived in writing"},
		"leave.export.daily_wage":  {ZH: "日工资（元）", EN: "Daily wage (yuan)"},
		"leave.export.normal":      {ZH: "已含正常工资（元）", EN: "Normal pay included (yuan)"},
		"leave.export.extra":       {ZH: "应另行支付（元）", EN: "Extra payable (yuan)"},
		"leave.export.total":       {ZH: "合计 300%%（元）", EN: "Total 300%% (yuan)"},
		"leave.export.totals":      {ZH: "合计", EN: "Totals"},
		"leave.export.yes":         {ZH: "是", EN: "Yes"},
		"leave.export.no":          {ZH: "否", EN: "No"},

		// Recuperation priority explanations.
		"leave.recuperation.priority.martyr_family":   {ZH: "烈士家属 +%d", EN: "Martyr family +%d"},
		"leave.recuperation.priority.injured_on_duty": {ZH: "因公负伤 +%d", EN: "Injured on duty +%d"},
		"leave.recuperation.priority.frontline":       {ZH: "一线干警 +%d", EN: "Frontline officer +%d"},
		"leave.recuperation.priority.long_service":    {ZH: "工作满 %d 年 +%d", EN: "%d years of service +%d"},
		"leave.recuperation.priority.standard":        {ZH: "无优先条件", EN: "No priority"},
	})
}
