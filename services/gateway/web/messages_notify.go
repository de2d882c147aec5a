package web

import "github.com/anxin-welfare/anxin/pkg/i18n"

// Texts of the notification pages: the header's inbox link, the inbox, the
// notification preferences and the admins' failed deliveries.
func init() {
	i18n.Register(map[string]i18n.Text{
		"web.inbox.header":        {ZH: "通知", EN: "Notifications"},
		"web.inbox.unread_suffix": {ZH: " 条未读", EN: " unread"},
		"web.inbox.title":         {ZH: "我的通知", EN: "My notifications"},
		"web.inbox.show_unread":   {ZH: "只看未读", EN: "Unread only"},
		"web.inbox.show_all":      {ZH: "查看全部", EN: "Show all"},
		"web.inbox.preferences":   {ZH: "通知设置", EN: "Notification settings"},
		"web.inbox.mark_all":      {ZH: "全部标为已读", EN: "Mark all as read"},
		"web.inbox.all_read":      {ZH: "所有通知已标为已读。", EN: "All notifications are marked as read."},
		"web.inbox.new":           {ZH: "未读", EN: "New"},
		"web.inbox.open":          {ZH: "查看详情", EN: "Open"},
		"web.inbox.mark_read":     {ZH: "标为已读", EN: "Mark as read"},
		"web.inbox.empty":         {ZH: "暂无通知。", EN: "No notifications."},

		"web.notify_prefs.title":         {ZH: "通知设置", EN: "Notification settings"},
		"web.notify_prefs.lead":          {ZH: "每条通知都会出现在“我的通知”中。您还可以选择通过哪些渠道接收各类通知。短信和群机器人只说明发生了什么并附链接，不含姓名、金额或病情。", EN: "Every notification appears under My notifications. You can also choose the channels each kind reaches you on. Text messages and group robots say only what happened, with a link: no names, amounts or medical details."},
		"web.notify_prefs.contact":       {ZH: "联系方式", EN: "Contact details"},
		"web.notify_prefs.email":         {ZH: "电子邮箱", EN: "E-mail"},
		"web.notify_prefs.email_hint":    {ZH: "例如 zhangsan@example.cn", EN: "For example zhangsan@example.cn"},
		"web.notify_prefs.mobile":        {ZH: "手机号码", EN: "Mobile number"},
		"web.notify_prefs.mobile_hint":   {ZH: "11 位手机号码，用于短信及群机器人提醒", EN: "11 digits, for text messages and group-robot mentions"},
		"web.notify_prefs.quiet":         {ZH: "免打扰时段", EN: "Quiet hours"},
		"web.notify_prefs.quiet_hint":    {ZH: "北京时间。此时段内的通知会在时段结束后发出，不会丢失；紧急通知（危重案件、时限升级）不受限制。两项都留空表示不设免打扰。", EN: "Beijing time. Notifications in this window go out when it ends, never lost; urgent ones (critical cases, escalations) go at once. Leave both empty for none."},
		"web.notify_prefs.quiet_start":   {ZH: "开始", EN: "From"},
		"web.notify_prefs.quiet_end":     {ZH: "结束", EN: "Until"},
		"web.notify_prefs.channels":      {ZH: "接收渠道", EN: "Channels"},
		"web.notify_prefs.channels_hint": {ZH: "未勾选任何渠道的通知仍会出现在“我的通知”中。危重案件另会发送短信（如已填写手机号码）。", EN: "A kind with no channel ticked still appears under My notifications. A critical case is also sent by text message when you gave a mobile number."},
		"web.notify_prefs.kind":          {ZH: "通知类别", EN: "Kind"},
		"web.notify_prefs.inbox_only":    {ZH: "本系统目前只提供站内通知。", EN: "This site currently notifies in the site only."},
		"web.notify_prefs.save":          {ZH: "保存设置", EN: "Save settings"},
		"web.notify_prefs.saved":         {ZH: "通知设置已保存。", EN: "Notification settings saved."},

		"web.nav.deliveries":           {ZH: "通知发送失败", EN: "Failed notifications"},
		"web.deliveries.title":         {ZH: "通知发送失败", EN: "Failed notifications"},
		"web.deliveries.lead":          {ZH: "这里列出最终发送失败的通知，以及因进程中断而无法确定是否已送达的通知（电子邮件和群机器人不会自动重发，以免重复）。请核实后决定是否重发。", EN: "Notifications that failed for good, and those whose outcome is unknown because the process stopped mid-call (e-mail and group robots are not resent automatically, to avoid a second message). Check, then decide whether to send again."},
		"web.deliveries.when":          {ZH: "产生时间", EN: "Created"},
		"web.deliveries.what":          {ZH: "通知", EN: "Notification"},
		"web.deliveries.channel":       {ZH: "渠道", EN: "Channel"},
		"web.deliveries.state":         {ZH: "状态", EN: "State"},
		"web.deliveries.attempts":      {ZH: "尝试次数", EN: "Attempts"},
		"web.deliveries.error":         {ZH: "最后错误", EN: "Last error"},
		"web.deliveries.replay":        {ZH: "重新发送", EN: "Send again"},
		"web.deliveries.replayed":      {ZH: "已重新排队发送。", EN: "Queued to be sent again."},
		"web.deliveries.none":          {ZH: "没有发送失败的通知。", EN: "No failed notifications."},
		"web.deliveries.state.dead":    {ZH: "发送失败", EN: "Failed"},
		"web.deliveries.state.unknown": {ZH: "结果不明", EN: "Outcome unknown"},
		"web.deliveries.state.pending": {ZH: "待发送", EN: "Pending"},
		"web.deliveries.state.sending": {ZH: "发送中", EN: "Sending"},
		"web.deliveries.state.sent":    {ZH: "已发送", EN: "Sent"},

		"web.notify.channel.email":    {ZH: "电子邮件", EN: "E-mail"},
		"web.notify.channel.sms":      {ZH: "短信", EN: "Text message"},
		"web.notify.channel.dingtalk": {ZH: "钉钉群", EN: "DingTalk group"},
		"web.notify.channel.wecom":    {ZH: "企业微信群", EN: "WeCom group"},

		"web.notify.kind.case_opened":         {ZH: "新工伤案件", EN: "New injury case"},
		"web.notify.kind.case_escalated":      {ZH: "案件时限升级", EN: "Case escalated"},
		"web.notify.kind.case_determined":     {ZH: "工伤认定结果", EN: "Work-injury decision"},
		"web.notify.kind.grant_submitted":     {ZH: "救助申请已提交", EN: "Grant submitted"},
		"web.notify.kind.grant_approved":      {ZH: "救助申请已批准", EN: "Grant approved"},
		"web.notify.kind.grant_rejected":      {ZH: "救助申请未获批准", EN: "Grant rejected"},
		"web.notify.kind.grant_disbursed":     {ZH: "救助金发放", EN: "Grant paid"},
		"web.notify.kind.leave_approved":      {ZH: "休假批准", EN: "Leave approved"},
		"web.notify.kind.recuperation_booked": {ZH: "疗休养名额", EN: "Recuperation place"},
		"web.notify.kind.healthcheck_overdue": {ZH: "体检提醒", EN: "Health-check reminder"},
	})
}
