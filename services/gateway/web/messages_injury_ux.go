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
	})
}
