package web

import "github.com/anxin-welfare/anxin/pkg/i18n"

// The texts the officer's pages (/leave, /my, /care) and the unit head's
// leave queue (/approvals) add: the steps of a request with who decided
// and why, where and when a stay or a health check is, the confirmation
// before a cancel, and a member's balance before and after approving.
func init() {
	i18n.Register(map[string]i18n.Text{
		"web.officer.history":            {ZH: "办理经过", EN: "History"},
		"web.officer.step.requested":     {ZH: "提交申请", EN: "Requested"},
		"web.officer.step.other":         {ZH: "办理", EN: "Handled"},
		"web.officer.decision.approved":  {ZH: "批准", EN: "Approved"},
		"web.officer.decision.rejected":  {ZH: "未批准", EN: "Rejected"},
		"web.officer.decision.cancelled": {ZH: "撤销", EN: "Cancelled"},
		"web.officer.decision.other":     {ZH: "已处理", EN: "Decided"},
		"web.officer.by.applicant":       {ZH: "申请人本人", EN: "The applicant"},
		"web.officer.by.unit_head":       {ZH: "单位负责人", EN: "Unit head"},
		"web.officer.by.approver":        {ZH: "审批领导", EN: "Approver"},

		"web.officer.confirm.leave_title":             {ZH: "确认撤销这条休假申请？", EN: "Cancel this leave request?"},
		"web.officer.confirm.leave_hint":              {ZH: "撤销后不能恢复；已批准的天数退回余额。", EN: "This cannot be undone; approved days go back to your balance."},
		"web.officer.confirm.cancel_leave":            {ZH: "确认撤销", EN: "Yes, cancel the request"},
		"web.officer.cancel_comment":                  {ZH: "撤销原因", EN: "Why you cancel"},
		"web.officer.confirm.stay_title":              {ZH: "确认取消这次疗养预约？", EN: "Cancel this recuperation booking?"},
		"web.officer.confirm.stay_hint":               {ZH: "取消后名额让给候补人员，不能恢复。", EN: "Your place goes to the waitlist; this cannot be undone."},
		"web.officer.confirm.check_title":             {ZH: "确认取消这次体检预约？", EN: "Cancel this health-check booking?"},
		"web.officer.confirm.check_hint":              {ZH: "取消后可在本批次另选时间预约。", EN: "You can then book another time in the same round."},
		"web.officer.confirm.cancel_booking":          {ZH: "确认取消预约", EN: "Yes, cancel the booking"},
		"web.officer.confirm.booking_not_cancellable": {ZH: "这项预约已不能取消（已取消或已到日期）。", EN: "This booking can no longer be cancelled (cancelled already or due)."},
		"web.officer.confirm.keep":                    {ZH: "不取消，返回", EN: "No, go back"},
		"web.officer.confirm.not_cancellable":         {ZH: "这条申请已不能撤销（已处理或已开始休假）。", EN: "This request can no longer be cancelled (decided or already started)."},

		"web.officer.care.round":                {ZH: "%d 年度体检（%s 至 %s）", EN: "Health checks %d (%s to %s)"},
		"web.officer.care.round_booked":         {ZH: "您已在本批次预约；如需改期，请先取消原预约。", EN: "You have a booking in this round; to change it, cancel it first."},
		"web.officer.care.no_slots":             {ZH: "本批次暂无可预约时间。", EN: "No times to book in this round yet."},
		"web.officer.care.deadline":             {ZH: "本年度体检截止 %s", EN: "This year's checks close on %s"},
		"web.officer.care.completed_on":         {ZH: "完成于 %s", EN: "Done on %s"},
		"web.officer.care.requested_at":         {ZH: "申请于 %s", EN: "Requested %s"},
		"web.officer.care.session_requested":    {ZH: "已申请", EN: "Requested"},
		"web.officer.care.wait.session_full":    {ZH: "候补原因：该期名额已满。有人取消时，按优先顺序和申请先后递补。", EN: "Waiting because this stay is full. Freed places go by priority, then by request time."},
		"web.officer.care.wait.quota_exhausted": {ZH: "候补原因：本单位本年度疗养名额已用完。名额增加或有人取消时，按优先顺序和申请先后递补。", EN: "Waiting because your unit's places for the year are used up. Freed or added places go by priority, then by request time."},
		"web.officer.care.wait.other":           {ZH: "候补中：有名额时按优先顺序和申请先后递补。", EN: "Waiting: freed places go by priority, then by request time."},

		"web.officer.my.check_time":     {ZH: "体检时间", EN: "Check time"},
		"web.officer.my.stay_requested": {ZH: "提交疗养申请", EN: "Stay requested"},

		"web.officer.approvals.days_counted":        {ZH: "计入工作日", EN: "Working days counted"},
		"web.officer.approvals.balance":             {ZH: "%d 年度余额", EN: "Balance for %d"},
		"web.officer.approvals.balance_label":       {ZH: "年度余额", EN: "Balance"},
		"web.officer.approvals.balance_value":       {ZH: "%d 天（其中 %d 天为审批中占用）", EN: "%d days (%d held by pending requests)"},
		"web.officer.approvals.after":               {ZH: "批准后余额", EN: "Balance after approving"},
		"web.officer.approvals.balance_unavailable": {ZH: "暂时无法读取", EN: "Cannot be read right now"},
		"web.officer.approvals.reject_reason":       {ZH: "不批准的理由（必填）", EN: "Reason for rejecting (required)"},
	})
}
