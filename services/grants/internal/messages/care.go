package messages

import "github.com/anxin-welfare/anxin/pkg/i18n"

// The family-care messages: kinds, occasions, states, school stages,
// export headings, field and problem texts.
func init() {
	i18n.Register(map[string]i18n.Text{
		"problem.grants.care.application_linked": {ZH: "该诉求已转为资助申请（%s），不能重复转办", EN: "This matter already led to an application (%s)"},
		"problem.grants.care.not_schooling":      {ZH: "只有就学类诉求可以转为子女教育资助申请", EN: "Only a schooling matter can become a children's-education application"},
		"problem.grants.care_exists":             {ZH: "该干警已有同类关爱档案", EN: "This member already has a care record of this kind"},

		"grants.field.phone":            {ZH: "请填写有效的联系电话", EN: "Enter a valid phone number"},
		"grants.field.future_date":      {ZH: "日期不能晚于今天", EN: "The date cannot be after today"},
		"grants.field.before_care":      {ZH: "日期不能早于 %s", EN: "The date cannot be before %s"},
		"grants.field.past_date":        {ZH: "期限不能早于今天", EN: "The deadline cannot be before today"},
		"grants.field.unknown_member":   {ZH: "本单位没有该干警的登记信息", EN: "No member of your units has this id"},
		"grants.field.no_occasion_date": {ZH: "该节点在走访日期附近没有日期（请管理员维护节日日期）", EN: "This occasion has no date near the visit (an admin must enter the festival dates)"},
		"grants.field.festival_date":    {ZH: "日期与该年的节日不符", EN: "Not a plausible date of this festival in that year"},
		"grants.relation.self":          {ZH: "本人", EN: "self"},

		"grants.care.kind.martyr":           {ZH: "烈士家属", EN: "Martyr's family"},
		"grants.care.kind.line_of_duty":     {ZH: "因公牺牲干警家属", EN: "Family of an officer who died on duty"},
		"grants.care.kind.disabled_on_duty": {ZH: "因公致残干警", EN: "Officer disabled on duty"},
		"grants.care.kind.hardship":         {ZH: "困难家庭", EN: "Hardship family"},
		"grants.care.liaison.leader":        {ZH: "单位领导", EN: "Unit leader"},
		"grants.care.liaison.caseworker":    {ZH: "经办人", EN: "Caseworker"},

		"grants.care.occasion.spring_festival": {ZH: "春节走访", EN: "Spring Festival visit"},
		"grants.care.occasion.qingming":        {ZH: "清明走访", EN: "Qingming visit"},
		"grants.care.occasion.anniversary":     {ZH: "牺牲纪念日走访", EN: "Anniversary visit"},
		"grants.care.occasion.other":           {ZH: "其他走访", EN: "Other visit"},

		"grants.care.visit_status.upcoming": {ZH: "未到期", EN: "Upcoming"},
		"grants.care.visit_status.due":      {ZH: "待走访", EN: "Due"},
		"grants.care.visit_status.overdue":  {ZH: "已逾期", EN: "Overdue"},
		"grants.care.visit_status.on_time":  {ZH: "按时完成", EN: "Done on time"},
		"grants.care.visit_status.late":     {ZH: "逾期完成", EN: "Done late"},

		"grants.care.stage.primary":       {ZH: "小学入学", EN: "Primary school entry"},
		"grants.care.stage.junior_middle": {ZH: "初中入学", EN: "Junior middle school entry"},
		"grants.care.stage.senior_middle": {ZH: "高中入学", EN: "Senior middle school entry"},
		"grants.care.stage.university":    {ZH: "大学入学", EN: "University entry"},

		"grants.care.matter.schooling":  {ZH: "就学", EN: "Schooling"},
		"grants.care.matter.employment": {ZH: "就业", EN: "Employment"},
		"grants.care.matter.medical":    {ZH: "就医", EN: "Medical"},
		"grants.care.matter.housing":    {ZH: "住房", EN: "Housing"},
		"grants.care.matter.legal":      {ZH: "法律援助", EN: "Legal help"},
		"grants.care.matter.other":      {ZH: "其他", EN: "Other"},
		"grants.care.topic.enrolment":   {ZH: "入学", EN: "Enrolment"},
		"grants.care.topic.transfer":    {ZH: "转学", EN: "Transfer"},
		"grants.care.topic.tuition":     {ZH: "学费", EN: "Tuition"},
		"grants.care.topic.exam_bonus":  {ZH: "考试加分", EN: "Examination bonus"},
		"grants.care.topic.placement":   {ZH: "就业安置", EN: "Job placement"},
		"grants.care.topic.training":    {ZH: "职业培训", EN: "Training"},

		"grants.care.matter_state.open":        {ZH: "待办理", EN: "Open"},
		"grants.care.matter_state.in_progress": {ZH: "办理中", EN: "In progress"},
		"grants.care.matter_state.resolved":    {ZH: "已办结", EN: "Resolved"},

		"grants.care.export.unit":           {ZH: "单位", EN: "Unit"},
		"grants.care.export.kind":           {ZH: "类别", EN: "Kind"},
		"grants.care.export.family":         {ZH: "干警", EN: "Officer"},
		"grants.care.export.persons":        {ZH: "家庭成员", EN: "Family"},
		"grants.care.export.leader":         {ZH: "联系领导", EN: "Liaison (leader)"},
		"grants.care.export.caseworker":     {ZH: "联系经办人", EN: "Liaison (caseworker)"},
		"grants.care.export.next_visit":     {ZH: "下次走访", EN: "Next visit"},
		"grants.care.export.next_due":       {ZH: "走访期限", EN: "Due by"},
		"grants.care.export.overdue_visits": {ZH: "逾期走访数", EN: "Overdue visits"},
	})
}
