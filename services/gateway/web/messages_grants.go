package web

import "github.com/anxin-welfare/anxin/pkg/i18n"

// Texts of the grant application's apply and edit forms, its documents,
// the steps' notes and the notices' applicant choice.
func init() {
	i18n.Register(map[string]i18n.Text{
		"web.grantapp.apply_lead":                   {ZH: "先选择资助项目，页面会列出该项目所需的材料；填写情况、上传材料后提交。", EN: "Choose the programme first: its required documents are then listed. Fill in what applies, upload the documents and submit."},
		"web.grantapp.choose":                       {ZH: "选择", EN: "Choose"},
		"web.grantapp.choose_prompt":                {ZH: "（请选择资助项目）", EN: "(choose a programme)"},
		"web.grantapp.choose_first":                 {ZH: "选择资助项目后，这里会列出该项目所需的材料。", EN: "Once you choose a programme, its required documents are listed here."},
		"web.grantapp.program_required":             {ZH: "请选择资助项目", EN: "Choose a programme"},
		"web.grantapp.program_unknown":              {ZH: "该资助项目不存在或已停用，请重新选择", EN: "This programme does not exist or is closed; choose another"},
		"web.grantapp.required_docs":                {ZH: "所需材料", EN: "Required documents"},
		"web.grantapp.required_docs_hint":           {ZH: "请逐项上传文件（PDF、JPG 或 PNG，每个不超过 %d MB）；已通过其他方式提交的（如纸质材料交经办人员），勾选“已另行提交”。", EN: "Upload a file for each (PDF, JPG or PNG, up to %d MB each); for one handed in another way (on paper to a caseworker), tick “Handed in otherwise”."},
		"web.grantapp.no_required_docs":             {ZH: "该项目没有必需的材料。", EN: "This programme requires no documents."},
		"web.grantapp.upload":                       {ZH: "上传文件", EN: "Upload a file"},
		"web.grantapp.uploaded":                     {ZH: "已上传：", EN: "Uploaded:"},
		"web.grantapp.handed_in":                    {ZH: "已另行提交", EN: "Handed in otherwise"},
		"web.grantapp.other_uploads":                {ZH: "其他已上传材料：", EN: "Other uploaded documents:"},
		"web.grantapp.other_documents":              {ZH: "其他材料", EN: "Other documents"},
		"web.grantapp.other_documents_hint":         {ZH: "所需材料以外另行提交的，每行一项。", EN: "Anything else handed in, one per line."},
		"web.grantapp.file_too_large":               {ZH: "文件不能超过 %d MB", EN: "The file must be at most %d MB"},
		"web.grantapp.file_unreadable":              {ZH: "未能读取该文件，请重新选择", EN: "The file could not be read; choose it again"},
		"web.grantapp.draft_kept":                   {ZH: "申请已保存为草稿 %s，已上传的材料也已保存；改正后再次提交即可，不会另生成申请。", EN: "Your application is kept as draft %s with the documents uploaded so far; correct it and submit again — no second application is made."},
		"web.grantapp.edit":                         {ZH: "修改申请", EN: "Edit the application"},
		"web.grantapp.edit_lead":                    {ZH: "修改金额、情况和材料后保存；确认无误后提交。", EN: "Change the amount, your answers and documents, save, and submit when ready."},
		"web.grantapp.not_editable":                 {ZH: "只有申请人可以修改草稿或退回补正的申请。", EN: "Only the applicant can change a draft or an application returned for changes."},
		"web.grantapp.save":                         {ZH: "保存", EN: "Save"},
		"web.grantapp.save_submit":                  {ZH: "保存并提交", EN: "Save and submit"},
		"web.grantapp.saved":                        {ZH: "已保存，确认无误后请提交。", EN: "Saved; submit it when ready."},
		"web.grantapp.files":                        {ZH: "已上传的材料", EN: "Uploaded documents"},
		"web.grantapp.size_kb":                      {ZH: "%d KB", EN: "%d KB"},
		"web.grantapp.duplicate_note":               {ZH: "重复资助核实说明", EN: "Note on the other grants for the same event"},
		"web.grantapp.duplicate_note_hint":          {ZH: "同一事件另有资助申请：%s。请核实后说明为何仍予批准。", EN: "The same event has other applications: %s. Check them and say why you approve anyway."},
		"web.grantapp.duplicate_note_hint_unlisted": {ZH: "同一事件另有资助申请。请核实后说明为何仍予批准。", EN: "The same event has other applications. Check them and say why you approve anyway."},
		"web.grantapp.dependant":                    {ZH: "申请的亲属", EN: "Dependant applying"},
		"web.grantapp.dependant_hint":               {ZH: "选择以哪一位亲属的名义申请（以干警在系统中登记的亲属为准）。", EN: "Choose which of the officer's registered dependants applies."},
		"web.grantapp.dependant_required":           {ZH: "请选择申请的亲属", EN: "Choose the dependant who applies"},
		"web.grantapp.no_dependants":                {ZH: "系统中尚未登记该干警的亲属，请联系本单位经办人员。", EN: "No dependants of the officer are registered yet; contact a caseworker of the unit."},
		"web.grantapp.awaiting_second":              {ZH: "您已审批同意，等待另一位审批人审批。", EN: "You approved; waiting for a second approver."},
		"web.grantnotice.applicant":                 {ZH: "申请人", EN: "Applicant"},
		"web.grantnotice.applicant_hint":            {ZH: "选择与该干警或亲属关联的账号；对方没有账号的，由您代为办理。", EN: "Choose an account linked to the member or dependant; if they have none, prepare it on their behalf."},
		"web.grantnotice.applicant_required":        {ZH: "请选择申请人", EN: "Choose the applicant"},
		"web.grantnotice.no_accounts":               {ZH: "该干警及亲属尚无关联账号。", EN: "No account is linked to the member or dependant."},
		"web.grantnotice.self":                      {ZH: "无账号：由经办人员代为办理", EN: "No account: I prepare it on their behalf"},
	})
}
