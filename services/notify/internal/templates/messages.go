package templates

import "github.com/anxin-welfare/anxin/pkg/i18n"

func init() {
	i18n.Register(map[string]i18n.Text{
		"notify.critical": {ZH: "【紧急】%s", EN: "[Urgent] %s"},
		"notify.short":    {ZH: "【安心】%s 详情请登录查看：%s", EN: "[Anxin] %s Sign in for details: %s"},
		"notify.email.footer": {ZH: "此邮件由安心系统自动发送，请勿回复。查看详情：%s",
			EN: "Sent by Anxin; please do not reply. Details: %s"},

		"notify.kind.case_opened.title": {ZH: "新工伤案件 %[1]s", EN: "New injury case %[1]s"},
		"notify.kind.case_opened.body":  {ZH: "本单位新受理工伤案件 %s，请及时跟进。", EN: "Injury case %s was opened in your unit; please follow it up."},
		"notify.kind.case_opened.short": {ZH: "本单位有新的工伤案件。", EN: "A new injury case was opened in your unit."},

		"notify.kind.case_sla_amber.title": {ZH: "案件 %[1]s 时限将至", EN: "Case %[1]s: deadline approaching"},
		"notify.kind.case_sla_amber.body": {ZH: "案件 %s 的%s时限将于 %s 到期，请尽快办理。",
			EN: "Case %s: the deadline for %s falls due on %s; please act on it soon."},
		"notify.kind.case_sla_amber.short": {ZH: "一件工伤案件的处理时限即将到期。", EN: "An injury case's deadline is approaching."},
		"notify.clock.acknowledgement":     {ZH: "接案确认", EN: "acknowledging the case"},
		"notify.clock.handoff":             {ZH: "医院交接", EN: "the hospital hand-off"},
		"notify.clock.unit_filing":         {ZH: "单位申请工伤认定", EN: "the unit's work-injury filing"},
		"notify.clock.member_filing":       {ZH: "本人申请工伤认定", EN: "the officer's own work-injury filing"},
		"notify.clock.acceptance":          {ZH: "认定受理", EN: "accepting the filing"},
		"notify.clock.decision":            {ZH: "工伤认定决定", EN: "the work-injury decision"},
		"notify.clock.grading":             {ZH: "劳动能力鉴定", EN: "the disability grading"},
		"notify.clock.police_grading":      {ZH: "人民警察伤残评定", EN: "the police disability grading"},
		"notify.clock.injury_leave":        {ZH: "停工留薪期", EN: "the end of paid injury leave"},

		"notify.kind.case_escalated.title": {ZH: "案件 %[1]s 时限升级", EN: "Case %[1]s escalated"},
		"notify.kind.case_escalated.body": {ZH: "案件 %s 的处理时限（%s 到期）已升级至%s。",
			EN: "Case %s: its deadline (due %s) was escalated to %s."},
		"notify.kind.case_escalated.short": {ZH: "一件工伤案件的处理时限已升级。", EN: "An injury case's deadline was escalated."},

		"notify.kind.case_determined.title": {ZH: "工伤认定结果：%[1]s", EN: "Work-injury decision: %[1]s"},
		"notify.kind.case_determined.body":  {ZH: "您的案件 %[2]s 已作出认定：%[1]s。", EN: "A decision was made on your case %[2]s: %[1]s."},
		"notify.kind.case_determined.short": {ZH: "您的工伤认定已有结果。", EN: "There is a decision on your work-injury case."},

		"notify.kind.case_graded.title": {ZH: "案件 %[1]s 伤残等级鉴定已有结论", EN: "Case %[1]s: the disability grading has concluded"},
		"notify.kind.case_graded.body":  {ZH: "您的案件 %s 的劳动能力鉴定已有结论，详情请在案件中查看。", EN: "The work-capacity assessment of your case %s has concluded; see the case for the details."},
		"notify.kind.case_graded.short": {ZH: "您的工伤案件进入新阶段。", EN: "Your work-injury case has moved on."},

		"notify.kind.case_closed.title": {ZH: "案件 %[1]s 已结案", EN: "Case %[1]s closed"},
		"notify.kind.case_closed.body":  {ZH: "您的案件 %s 已结案（%s）。", EN: "Your case %s was closed (%s)."},
		"notify.kind.case_closed.short": {ZH: "您的工伤案件已结案。", EN: "Your work-injury case was closed."},
		"notify.closed.completed":       {ZH: "办结", EN: "completed"},
		"notify.closed.rejected":        {ZH: "不予认定", EN: "not recognised"},
		"notify.closed.withdrawn":       {ZH: "撤回", EN: "withdrawn"},
		"notify.closed.duplicate":       {ZH: "重复报案", EN: "a duplicate report"},

		"notify.kind.case_stage_changed.title": {ZH: "案件 %[1]s 进入新阶段：%[2]s", EN: "Case %[1]s moved on: %[2]s"},
		"notify.kind.case_stage_changed.body":  {ZH: "您的案件 %s 已进入“%s”阶段，详情请在案件中查看。", EN: "Your case %s is now at the stage: %s. See the case for the details."},
		"notify.kind.case_stage_changed.short": {ZH: "您的工伤案件进入新阶段。", EN: "Your work-injury case has moved on."},
		"notify.stage.triage":                  {ZH: "受理登记", EN: "registration"},
		"notify.stage.treatment":               {ZH: "救治", EN: "treatment"},
		"notify.stage.determination_filing":    {ZH: "工伤认定申请", EN: "work-injury determination filed"},
		"notify.stage.determination_decided":   {ZH: "工伤认定已作出", EN: "work-injury decision made"},
		"notify.stage.disability_grading":      {ZH: "劳动能力鉴定", EN: "disability grading"},
		"notify.stage.closed":                  {ZH: "结案", EN: "closed"},

		"notify.kind.documents_requested.title": {ZH: "案件 %[1]s 需补正材料", EN: "Case %[1]s: more documents needed"},
		"notify.kind.documents_requested.body": {ZH: "您的案件 %s 的工伤认定申请于 %s 被要求补正材料，请在案件中查看需补充的材料并尽快提交。",
			EN: "On %[2]s more documents were asked for on the work-injury filing of your case %[1]s; see the case for what is needed and hand it in soon."},
		"notify.kind.documents_requested.short": {ZH: "您的工伤案件需要补充材料。", EN: "Your work-injury case needs more documents."},

		"notify.kind.calculation_ready.title": {ZH: "案件 %[1]s 待遇测算已完成", EN: "Case %[1]s: benefit calculation ready"},
		"notify.kind.calculation_ready.body":  {ZH: "您的案件 %s 的工伤待遇测算已完成，金额明细请在案件中查看。", EN: "The benefit calculation of your case %s is ready; see the case for the amounts."},
		"notify.kind.calculation_ready.short": {ZH: "您的工伤待遇测算已完成。", EN: "Your work-injury benefit calculation is ready."},

		"notify.kind.grant_submitted.title": {ZH: "救助申请 %[1]s 已提交", EN: "Grant application %[1]s submitted"},
		"notify.kind.grant_submitted.body":  {ZH: "您的救助申请 %s（申请金额 %s）已提交，等待审核。", EN: "Your grant application %s (%s) was submitted and awaits review."},
		"notify.kind.grant_submitted.short": {ZH: "您的救助申请已提交。", EN: "Your grant application was submitted."},

		"notify.kind.grant_approved.title": {ZH: "救助申请 %[1]s 已批准", EN: "Grant application %[1]s approved"},
		"notify.kind.grant_approved.body":  {ZH: "您的救助申请 %s 已批准，金额 %s。", EN: "Your grant application %s was approved: %s."},
		"notify.kind.grant_approved.short": {ZH: "您的救助申请已批准。", EN: "Your grant application was approved."},

		"notify.kind.grant_rejected.title": {ZH: "救助申请 %[1]s 未获批准", EN: "Grant application %[1]s rejected"},
		"notify.kind.grant_rejected.body":  {ZH: "您的救助申请 %s 未获批准，原因见申请详情。", EN: "Your grant application %s was rejected; the reason is on the application."},
		"notify.kind.grant_rejected.short": {ZH: "您的救助申请有了审批结果。", EN: "There is a decision on your grant application."},

		"notify.kind.grant_returned.title": {ZH: "救助申请 %[1]s 需补充材料", EN: "Grant application %[1]s returned to you"},
		"notify.kind.grant_returned.body":  {ZH: "您的救助申请 %s 已退回，请按申请详情中的说明补充后重新提交。", EN: "Your grant application %s was returned; see the application for what to add, then submit it again."},
		"notify.kind.grant_returned.short": {ZH: "您的救助申请需补充材料。", EN: "Your grant application needs more from you."},

		"notify.kind.grant_disbursed.title": {ZH: "救助金已发放：%[1]s", EN: "Grant paid: %[1]s"},
		"notify.kind.grant_disbursed.body":  {ZH: "救助申请 %[2]s 的 %[3]s 款项 %[1]s 已发放。", EN: "%[1]s was paid for %[3]s on grant application %[2]s."},
		"notify.kind.grant_disbursed.short": {ZH: "一笔救助金已发放。", EN: "A grant payment was made."},

		"notify.kind.leave_approved.title": {ZH: "休假已批准：%[1]s 至 %[2]s", EN: "Leave approved: %[1]s to %[2]s"},
		"notify.kind.leave_approved.body":  {ZH: "您 %s 至 %s 共 %s 天的休假申请已批准。", EN: "Your leave from %s to %s (%s days) was approved."},
		"notify.kind.leave_approved.short": {ZH: "您的休假申请已批准。", EN: "Your leave request was approved."},

		"notify.kind.leave_rejected.title": {ZH: "休假未获批准：%[1]s 至 %[2]s", EN: "Leave not approved: %[1]s to %[2]s"},
		"notify.kind.leave_rejected.body":  {ZH: "您 %s 至 %s 的休假申请未获批准，审批意见见申请详情。", EN: "Your leave from %s to %s was not approved; the reason is on the request."},
		"notify.kind.leave_rejected.short": {ZH: "您的休假申请有了审批结果。", EN: "There is a decision on your leave request."},

		"notify.kind.recuperation_booked.title": {ZH: "疗休养名额：%[1]s", EN: "Recuperation place: %[1]s"},
		"notify.kind.recuperation_booked.body":  {ZH: "%s：%s 至 %s。", EN: "%s: %s to %s."},
		"notify.kind.recuperation_booked.short": {ZH: "您的疗休养名额有更新。", EN: "There is news about your recuperation place."},
		"notify.recuperation.confirmed":         {ZH: "名额已确认", EN: "confirmed"},
		"notify.recuperation.from_waitlist":     {ZH: "已从候补转为正式名额", EN: "moved up from the waiting list"},

		"notify.kind.healthcheck_reminder.title": {ZH: "请于 %[2]s 前完成 %[1]s 年度体检", EN: "Please have your %[1]s health check by %[2]s"},
		"notify.kind.healthcheck_reminder.body":  {ZH: "您 %s 年度的健康体检尚未完成，也未预约；本单位体检截止日为 %s，请尽快在“疗养体检”页预约。", EN: "Your %s health check is neither done nor booked, and your unit's round closes on %s; please book a slot under Recuperation and checks soon."},
		"notify.kind.healthcheck_reminder.short": {ZH: "请按时完成年度体检。", EN: "Please have your yearly health check in time."},

		"notify.kind.healthcheck_overdue.title": {ZH: "%[1]s 年度体检已逾期", EN: "Health check for %[1]s overdue"},
		"notify.kind.healthcheck_overdue.body":  {ZH: "您 %s 年度的健康体检截止日为 %s，至今尚未完成，请尽快预约。", EN: "Your %s health check was due by %s and is not done yet; please book it soon."},
		"notify.kind.healthcheck_overdue.short": {ZH: "您有一项体检提醒。", EN: "You have a health-check reminder."},

		"notify.kind.sign_in_failures.title": {ZH: "您的账号有 %[1]s 次登录失败", EN: "%[1]s failed sign-ins to your account"},
		"notify.kind.sign_in_failures.body":  {ZH: "近一小时内有人以您的账号登录失败 %s 次。如不是您本人，请立即修改密码并告知管理员；详情见“我的账号”。", EN: "Someone failed to sign in to your account %s times within the hour. If it was not you, change your password now and tell an administrator; the details are on your account page."},
		"notify.kind.sign_in_failures.short": {ZH: "您的账号有多次登录失败，请核实。", EN: "There were repeated failed sign-ins to your account; please check."},

		"notify.outcome.recognised": {ZH: "认定为工伤", EN: "recognised as a work injury"},
		"notify.outcome.deemed":     {ZH: "视同工伤", EN: "deemed a work injury"},
		"notify.outcome.rejected":   {ZH: "不予认定", EN: "not recognised"},
		"notify.level.unit_head":    {ZH: "单位负责人", EN: "the unit head"},
		"notify.level.committee":    {ZH: "政法委", EN: "the committee"},

		"notify.invalid_email":          {ZH: "请填写有效的电子邮件地址", EN: "Enter a valid e-mail address"},
		"notify.invalid_mobile":         {ZH: "请填写 11 位手机号码", EN: "Enter an 11-digit mobile number"},
		"notify.unknown_kind":           {ZH: "没有这种通知", EN: "No such kind of notice"},
		"notify.unknown_channel":        {ZH: "没有这种通知渠道", EN: "No such channel"},
		"notify.invalid_time":           {ZH: "请填写 00:00 至 23:59 之间的时间", EN: "Enter a time between 00:00 and 23:59"},
		"problem.notify_not_replayable": {ZH: "只有失败或结果不明的发送可以重发", EN: "Only a failed delivery or one with an unknown outcome can be replayed"},
	})
}
