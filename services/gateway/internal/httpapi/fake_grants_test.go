package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/xuri/excelize/v2"
)

// fakeGrants stands in for the assistance fund's endpoints the pages use
// (api/openapi/grants.yaml): two programmes (the second requires two documents),
// drafts that are edited and take uploads, the approval chain with two
// approvers, reasons and the duplicate note, the fund position, trial
// balance, ledger and exports.
type fakeGrants struct {
	mu   sync.Mutex
	apps map[string]*fakeApp
	// gets are the paths of the GETs served, for the tests that count a
	// page's calls.
	gets   []string
	paid   int64
	format string // of the last export asked for
	rates  []map[string]any
	// withdrawn counts drafts withdrawn (a draft per attempt would show here
	// or in apps)
	withdrawn int
}

type fakeApp struct {
	ID              string           `json:"id"`
	Number          string           `json:"number"`
	ProgramID       string           `json:"program_id"`
	MemberID        string           `json:"member_id"`
	ApplicantUserID string           `json:"applicant_user_id"`
	ApplicantName   string           `json:"applicant_name,omitempty"`
	FiledByName     string           `json:"filed_by_name,omitempty"`
	PreparedBy      string           `json:"prepared_by"`
	State           string           `json:"state"`
	StateText       string           `json:"state_text"`
	RequestedAmount int64            `json:"requested_amount"`
	Amount          int64            `json:"amount"`
	Documents       []string         `json:"documents"`
	Files           []fakeFile       `json:"files"`
	Form            map[string]any   `json:"form"`
	Reason          string           `json:"reason,omitempty"`
	DuplicateFlags  []map[string]any `json:"duplicate_flags"`
	DuplicateNote   string           `json:"duplicate_note,omitempty"`
	History         []map[string]any `json:"history"`
	Version         int64            `json:"version"`
	CreatedAt       time.Time        `json:"created_at"`
	approvers       []string
	content         map[string][]byte
}

type fakeFile struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	SizeBytes   int       `json:"size_bytes"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

var stateText = map[string]string{"draft": "草稿", "submitted": "待审核", "reviewed": "待审批", "approved": "已批准", "disbursed": "已支付",
	"rejected": "不予资助", "returned": "退回补充材料", "withdrawn": "已撤回"}

// fakePrograms: the first (…0001, disability) asks for nothing; the
// second (…0002, hardship) requires two documents and a household income of
// at most 2,500 yuan per person.
var fakePrograms = map[string]map[string]any{
	"00000000-0000-7000-b000-000000000001": {"id": "00000000-0000-7000-b000-000000000001", "code": "DIS", "name_zh": "因公伤残干警资助", "name_en": "Officers disabled on duty", "active": true, "required_documents": []string{},
		"kind": "disabled_on_duty", "form_fields": []string{"requested_amount", "grade", "cause", "event_date"},
		"fund_id": fakeFundID, "allocation": 60_000_000, "committed": 20_000_000, "disbursed": 10_000_000, "remaining": 40_000_000,
		"amount_rule": map[string]any{"kind": "assessed"}, "dual_approval_above": 1_000_000, "recurring": false, "version": 1},
	"00000000-0000-7000-b000-000000000002": {"id": "00000000-0000-7000-b000-000000000002", "code": "HARD", "name_zh": "困难干警帮扶", "name_en": "Officers in hardship", "active": true, "kind": "hardship",
		"required_documents": []string{"家庭收入证明", "困难情况说明"}, "remaining": 40_000_000, "dual_approval_above": 1_000_000,
		"form_fields": []string{"requested_amount", "income_per_capita"}, "eligibility": map[string]any{"max_income_per_capita": 250_000},
		"fund_id": fakeFundID, "allocation": 60_000_000, "committed": 20_000_000, "disbursed": 0,
		"amount_rule": map[string]any{"kind": "assessed"}, "recurring": false, "version": 1},
}

// fakeFundID is the year's fund the programmes belong to.
const fakeFundID = "00000000-0000-7000-b000-0000000000f1"

func newFakeGrants() *fakeGrants { return &fakeGrants{apps: map[string]*fakeApp{}} }

// view is the application as the API shows it: documents are the named
// ones and the uploaded kinds.
func (a *fakeApp) view() fakeApp {
	v := *a
	v.Documents = append([]string{}, a.Documents...)
	for _, f := range a.Files {
		if !slices.Contains(v.Documents, f.Kind) {
			v.Documents = append(v.Documents, f.Kind)
		}
	}
	if v.Files == nil {
		v.Files = []fakeFile{}
	}
	if v.DuplicateFlags == nil {
		v.DuplicateFlags = []map[string]any{}
	}
	if v.Form == nil {
		v.Form = map[string]any{}
	}
	if v.History == nil {
		v.History = []map[string]any{}
	}
	return v
}

func (f *fakeGrants) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/readyz" {
		return
	}
	user, roles := caller(r)
	if user == "" {
		problem(w, http.StatusUnauthorized, "unauthenticated")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	path := strings.TrimPrefix(r.URL.Path, "/api/v1/grants")
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if r.Method == http.MethodGet {
		f.gets = append(f.gets, path)
	}
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	switch {
	case path == "/programs":
		_ = enc.Encode(map[string]any{"items": []any{fakePrograms["00000000-0000-7000-b000-000000000001"], fakePrograms["00000000-0000-7000-b000-000000000002"]}})
	case len(parts) == 2 && parts[0] == "programs":
		prog, ok := fakePrograms[parts[1]]
		if !ok {
			problem(w, http.StatusNotFound, "not_found")
			return
		}
		_ = enc.Encode(prog)
	case f.grantsExtra(w, r, path, roles): // dependants, notices, a family's dependant_id (end of file)
	case path == "/applications" && r.Method == http.MethodPost:
		var body struct {
			ProgramID       string         `json:"program_id"`
			MemberID        string         `json:"member_id"`
			RequestedAmount int64          `json:"requested_amount"`
			Documents       []string       `json:"documents"`
			Form            map[string]any `json:"form"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		if body.RequestedAmount > 5_000_000 {
			problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"requested_amount", "超过项目上限"})
			return
		}
		if _, ok := fakePrograms[body.ProgramID]; !ok {
			problem(w, http.StatusNotFound, "not_found")
			return
		}
		a := &fakeApp{ID: fmt.Sprintf("00000000-0000-7000-a000-%012d", len(f.apps)+1), Number: fmt.Sprintf("GA-2026-%06d", len(f.apps)+1),
			ProgramID: body.ProgramID, MemberID: body.MemberID, ApplicantUserID: user, PreparedBy: user, State: "draft",
			RequestedAmount: body.RequestedAmount, Amount: body.RequestedAmount, Documents: body.Documents, Form: body.Form, Version: 1, CreatedAt: t0}
		a.StateText = stateText[a.State]
		f.apps[a.ID] = a
		w.WriteHeader(http.StatusCreated)
		_ = enc.Encode(a.view())
	case path == "/applications" && r.Method == http.MethodGet:
		q := r.URL.Query()
		out := []fakeApp{}
		for _, a := range f.apps {
			mine := a.ApplicantUserID == user
			if (q.Get("scope") == "mine" && mine) || (q.Get("scope") != "mine" && q.Get("state") == a.State) {
				out = append(out, a.view())
			}
		}
		// apps is a map: pages need a stable order, as the service's
		// (newest first) is.
		slices.SortFunc(out, func(a, b fakeApp) int { return strings.Compare(b.ID, a.ID) })
		out, next, ok := fakePage(w, r, out)
		if !ok {
			return
		}
		_ = enc.Encode(map[string]any{"items": out, "next": next})
	case len(parts) >= 2 && parts[0] == "applications":
		a, ok := f.apps[parts[1]]
		if !ok || (a.ApplicantUserID != user && roles == "officer") || (a.ApplicantUserID != user && roles == "family") {
			problem(w, http.StatusNotFound, "not_found")
			return
		}
		f.application(w, r, a, user, roles, parts[2:])
	case path == "/rates" && r.Method == http.MethodGet:
		_ = enc.Encode(map[string]any{"items": f.rates})
	case path == "/rates" && r.Method == http.MethodPut:
		if !strings.Contains(roles, "admin") {
			problem(w, http.StatusForbidden, "forbidden")
			return
		}
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		f.rates = append(f.rates, body)
		_ = enc.Encode(body)
	case f.createFund(w, r, path, roles): // POST /funds for the funds page (end of file)
	case f.ledgerActions(w, r, path, roles): // reversal and the recurring run (ledger-actions block, end of file)
	case path == "/funds":
		_ = enc.Encode(map[string]any{"items": []any{map[string]any{"id": "f-1", "fiscal_year": 2026, "name": "2026 年资助资金",
			"appropriation": 100_000_000, "committed": f.paid, "disbursed": f.paid, "remaining": 100_000_000 - f.paid}}})
	case path == "/funds/f-1/position":
		_ = enc.Encode(map[string]any{"as_of": "2026-03-02", "programs": []any{
			map[string]any{"program_id": "00000000-0000-7000-b000-000000000001", "appropriated": 60_000_000, "committed": 20_000_000, "disbursed": 10_000_000, "remaining": 40_000_000}}})
	case path == "/funds/f-1/trial-balance":
		_ = enc.Encode(map[string]any{"as_of": "2026-03-02", "rows": []any{
			map[string]any{"code": "1011", "name": "零余额账户用款额度", "normal_side": "debit", "debit": 100_000_000, "credit": f.paid, "balance": 100_000_000 - f.paid},
			map[string]any{"code": "4001", "name": "财政拨款收入", "normal_side": "credit", "debit": 0, "credit": 100_000_000, "balance": 100_000_000},
			map[string]any{"code": "5001", "name": "业务活动费用", "normal_side": "debit", "debit": f.paid, "credit": 0, "balance": f.paid},
			map[string]any{"code": "9101", "name": "已承诺资助（备查）", "normal_side": "debit", "debit": 1_100_000, "credit": 0, "balance": 1_100_000},
			map[string]any{"code": "9102", "name": "资助承诺对冲（备查）", "normal_side": "credit", "debit": 0, "credit": 1_100_000, "balance": 1_100_000},
		}, "total_debit": 101_100_000 + f.paid, "total_credit": 101_100_000 + f.paid, "balanced": true})
	case path == "/funds/f-1/entries":
		_ = enc.Encode(map[string]any{"items": []any{map[string]any{"id": "1", "voucher": "记-2026-000001", "date": "2026-01-05", "kind": "appropriation",
			"summary": "年度拨款", "lines": []any{map[string]any{"account_code": "1011", "debit": 100_000_000}, map[string]any{"account_code": "4001", "credit": 100_000_000}}}}})
	case path == "/exports" && r.Method == http.MethodPost:
		if !strings.Contains(roles, "finance") {
			problem(w, http.StatusForbidden, "forbidden")
			return
		}
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		f.format = body["format"]
		w.WriteHeader(http.StatusAccepted)
		_ = enc.Encode(map[string]any{"id": "e-1", "format": f.format, "state": "running", "rows_done": 1, "rows_total": 2})
	// ---- admin block: a failed export, its reason as the service says it
	// (admin_pages_test.go).
	case path == "/exports/e-2":
		_ = enc.Encode(map[string]any{"id": "e-2", "format": "csv", "state": "failed", "rows_done": 0, "rows_total": 0, "error": "导出失败，请重试"})
	// ---- end of admin block
	case path == "/exports/e-1":
		_ = enc.Encode(map[string]any{"id": "e-1", "format": f.format, "state": "done", "rows_done": 2, "rows_total": 2,
			"file_name": "分类账_2026-01-01_2026-12-31." + f.format})
	case path == "/exports/e-1/download":
		w.Header().Set("Content-Disposition", `attachment; filename="../../etc/passwd"`)
		if f.format != "xlsx" {
			w.Header().Set("Content-Type", "text/csv")
			_, _ = w.Write([]byte("\ufeff凭证号,摘要\n记-2026-000001,年度拨款\n"))
			return
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		_ = ledgerXLSX(w, 100_000_000+f.paid)
	default:
		problem(w, http.StatusNotFound, "not_found")
	}
}

// application answers /applications/{id}/… for one visible application.
func (f *fakeGrants) application(w http.ResponseWriter, r *http.Request, a *fakeApp, user, roles string, rest []string) {
	enc := json.NewEncoder(w)
	switch {
	case len(rest) == 0 && r.Method == http.MethodGet:
		_ = enc.Encode(a.view())
		return
	case len(rest) == 1 && rest[0] == "assessment":
		income, _ := a.Form["income_per_capita"].(float64)
		met := a.ProgramID != "00000000-0000-7000-b000-000000000002" || income <= 250_000
		_ = enc.Encode(map[string]any{"eligible": met, "criteria": []any{
			map[string]any{"code": "grants.criterion.income_below_line", "text": "家庭人均月收入不高于 ¥2,500.00", "met": met}}})
		return
	case len(rest) == 1 && rest[0] == "documents" && r.Method == http.MethodPost:
		f.upload(w, r, a, user, roles)
		return
	case len(rest) == 2 && rest[0] == "documents" && r.Method == http.MethodGet:
		data, ok := a.content[rest[1]]
		if !ok {
			problem(w, http.StatusNotFound, "not_found")
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="../../etc/passwd"`)
		_, _ = w.Write(data)
		return
	}
	if r.Header.Get("If-Match") != fmt.Sprintf(`"%d"`, a.Version) {
		problem(w, http.StatusConflict, "version_mismatch")
		return
	}
	var body struct {
		RequestedAmount int64          `json:"requested_amount"`
		Documents       []string       `json:"documents"`
		Form            map[string]any `json:"form"`
		Reason          string         `json:"reason"`
		DuplicateNote   string         `json:"duplicate_note"`
		Comment         string         `json:"comment"`
	}
	_ = json.NewDecoder(r.Body).Decode(&body)
	if len(rest) == 0 && r.Method == http.MethodPut {
		if (a.State != "draft" && a.State != "returned") || (a.ApplicantUserID != user && a.PreparedBy != user) {
			problem(w, http.StatusConflict, "grants.transition_not_allowed")
			return
		}
		if body.RequestedAmount > 5_000_000 {
			problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"requested_amount", "超过项目上限"})
			return
		}
		a.RequestedAmount, a.Amount, a.Documents, a.Form = body.RequestedAmount, body.RequestedAmount, body.Documents, body.Form
		a.Version++
		_ = enc.Encode(a.view())
		return
	}
	step := rest[0]
	next := map[string][2]string{
		"submit": {"draft", "submitted"}, "review": {"submitted", "reviewed"}, "approve": {"reviewed", "approved"}, "disburse": {"approved", "disbursed"},
	}[step]
	need := map[string]string{"review": "caseworker", "approve": "approver", "disburse": "finance"}[step]
	switch {
	case step == "submit" && a.State == "returned":
		next = [2]string{"returned", "submitted"}
	case step == "withdraw" && a.State != "approved" && a.State != "disbursed":
		next = [2]string{a.State, "withdrawn"}
	case (step == "reject" || step == "return") && (a.State == "submitted" || a.State == "reviewed"):
		next = [2]string{a.State, map[string]string{"reject": "rejected", "return": "returned"}[step]}
		need = map[string]string{"submitted": "caseworker", "reviewed": "approver"}[a.State]
	}
	switch {
	case next[0] != a.State:
		problem(w, http.StatusConflict, "grants.transition_not_allowed")
		return
	case need != "" && !strings.Contains(roles, need):
		problem(w, http.StatusForbidden, "grants.role_required")
		return
	case (step == "reject" || step == "return") && strings.TrimSpace(body.Reason) == "":
		problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"reason", "请填写理由"})
		return
	case (step == "reject" || step == "return") && len([]rune(body.Reason)) > 200:
		problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"reason", "不能超过 200 个字符"})
		return
	case step == "submit":
		if missing := a.missing(); missing != "" {
			problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"documents", "缺少必需材料：" + missing})
			return
		}
		if income, _ := a.Form["income_per_capita"].(float64); a.ProgramID == "00000000-0000-7000-b000-000000000002" && income > 250_000 {
			problem(w, http.StatusUnprocessableEntity, "grants.not_eligible")
			return
		}
	case step == "approve":
		if len(a.DuplicateFlags) > 0 && body.DuplicateNote == "" && a.DuplicateNote == "" {
			problem(w, http.StatusConflict, "grants.duplicate_unacknowledged")
			return
		}
		for _, ap := range a.approvers {
			if ap == user {
				problem(w, http.StatusForbidden, "grants.same_approver")
				return
			}
		}
		a.approvers = append(a.approvers, user)
		if body.DuplicateNote != "" {
			a.DuplicateNote = body.DuplicateNote
		}
		if len(a.approvers) < 2 { // above the threshold: two different approvers
			a.Version++
			a.History = append(a.History, map[string]any{"step": "approve", "actor_name": user, "at": t0, "reason": body.Comment})
			_ = enc.Encode(a.view())
			return
		}
	case step == "disburse":
		f.paid += a.Amount
	}
	if step == "withdraw" {
		f.withdrawn++
	}
	if body.Reason != "" {
		a.Reason = body.Reason
	}
	a.State, a.StateText, a.Version = next[1], stateText[next[1]], a.Version+1
	a.History = append(a.History, map[string]any{"step": step, "actor_name": user, "at": t0, "reason": body.Reason + body.Comment})
	_ = enc.Encode(a.view())
}

// missing names the required documents the application has neither named
// nor uploaded.
func (a *fakeApp) missing() string {
	req, _ := fakePrograms[a.ProgramID]["required_documents"].([]string)
	have := a.view().Documents
	var out []string
	for _, d := range req {
		if !slices.Contains(have, d) {
			out = append(out, d)
		}
	}
	return strings.Join(out, "、")
}

// upload stores a multipart file (kind, file) the way the service does:
// only a PDF by its content, by the applicant while the application is a
// draft or returned, or by a caseworker.
func (f *fakeGrants) upload(w http.ResponseWriter, r *http.Request, a *fakeApp, user, roles string) {
	own := a.ApplicantUserID == user || a.PreparedBy == user
	switch {
	case !own && !strings.Contains(roles, "caseworker"):
		problem(w, http.StatusForbidden, "grants.upload_not_allowed")
		return
	case own && a.State != "draft" && a.State != "returned":
		problem(w, http.StatusConflict, "grants.transition_not_allowed")
		return
	}
	kind := r.FormValue("kind")
	file, fh, err := r.FormFile("file")
	if err != nil || kind == "" {
		problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"file", "请选择要上传的文件"})
		return
	}
	defer file.Close()
	data, _ := io.ReadAll(file)
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		problem(w, http.StatusUnsupportedMediaType, "grants.document_type_unsupported")
		return
	}
	doc := fakeFile{ID: fmt.Sprintf("0190b3c4-0000-7000-8000-%012d", len(a.Files)+1), Kind: kind, FileName: fh.Filename,
		ContentType: "application/pdf", SizeBytes: len(data), UploadedAt: t0}
	if a.content == nil {
		a.content = map[string][]byte{}
	}
	a.content[doc.ID] = data
	a.Files = append(a.Files, doc)
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(doc)
}

// ledgerXLSX writes a small ledger workbook whose control-totals row holds
// total in yuan in the debit and credit columns, as the grants export does.
func ledgerXLSX(w io.Writer, total int64) error {
	x := excelize.NewFile()
	defer x.Close()
	sheet := x.GetSheetName(0)
	rows := [][]any{
		{"凭证号", "日期", "摘要", "科目", "借方", "贷方"},
		{"记-2026-000001", "2026-01-05", "年度拨款", "1011", 1_000_000.00, nil},
		{"记-2026-000001", "2026-01-05", "年度拨款", "4001", nil, 1_000_000.00},
		{"合计", nil, nil, nil, float64(total) / 100, float64(total) / 100},
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
	}
	return x.Write(w)
}

// ---- POST /funds for care_admin_pages_test.go ---------------------------
// createFund answers an administrator's POST /funds and keeps the bodies
// sent (fundsCreated): 2026 has its fund already (409 grants.fund_exists),
// an empty name is a field problem. It reports whether it answered; f.mu
// is held.
func (f *fakeGrants) createFund(w http.ResponseWriter, r *http.Request, path, roles string) bool {
	if path != "/funds" || r.Method != http.MethodPost {
		return false
	}
	if !strings.Contains(roles, "admin") {
		problem(w, http.StatusForbidden, "forbidden")
		return true
	}
	var body struct {
		FiscalYear    int    `json:"fiscal_year"`
		Name          string `json:"name"`
		Appropriation int64  `json:"appropriation"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"appropriation", "类型不正确"})
		return true
	}
	switch {
	case body.Name == "":
		problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"name", "必填"})
	case body.FiscalYear == 2026:
		problem(w, http.StatusConflict, "grants.fund_exists")
	default:
		fundsCreatedMu.Lock()
		fundsCreated[f] = append(fundsCreated[f], fmt.Sprintf("%d|%s|%d", body.FiscalYear, body.Name, body.Appropriation))
		fundsCreatedMu.Unlock()
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(map[string]any{"id": "f-new", "fiscal_year": body.FiscalYear, "name": body.Name,
			"appropriation": body.Appropriation, "remaining": body.Appropriation, "version": 1})
	}
	return true
}

var (
	fundsCreatedMu sync.Mutex
	// fundsCreated are the funds each fake was asked to create, as
	// "year|name|fen".
	fundsCreated = map[*fakeGrants][]string{}
)

// ---- dependants and notices for grants_pages_test.go ---------------------
// grantsExtra answers what the family's choice of dependant and the notices
// page need, as the grants service does: GET /members/{id}/dependants
// (m-family1 has 李娜 and 王小明, d-1 and d-2), the caseworker's GET
// /notices (those a test added with addNotice), and POST /applications
// with notice_id (a draft for the notice's member and dependant). Every
// POST /applications body is kept (applicationBodies); a family's without
// one of the dependants is refused on dependant_id, else the case above
// makes the draft. It reports whether it answered; f.mu is held.
func (f *fakeGrants) grantsExtra(w http.ResponseWriter, r *http.Request, path, roles string) bool {
	x := f.extra()
	switch {
	case strings.HasPrefix(path, "/members/") && strings.HasSuffix(path, "/dependants") && r.Method == http.MethodGet:
		items := []map[string]string{}
		if path == "/members/m-family1/dependants" {
			items = []map[string]string{{"dependant_id": "d-1", "relation": "spouse", "relation_text": "配偶", "name": "李娜"},
				{"dependant_id": "d-2", "relation": "child", "relation_text": "子女", "name": "王小明"}}
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"items": items})
		return true
	case path == "/notices" && r.Method == http.MethodGet:
		if !strings.Contains(roles, "caseworker") {
			problem(w, http.StatusForbidden, "forbidden")
			return true
		}
		open := []map[string]any{}
		for _, n := range x.notices {
			if n["state"] == r.URL.Query().Get("state") {
				open = append(open, n)
			}
		}
		open, next, ok := fakePage(w, r, open)
		if !ok {
			return true
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"items": open, "next": next})
		return true
	case strings.HasPrefix(path, "/notices/") && strings.HasSuffix(path, "/dismiss") && r.Method == http.MethodPost:
		id := strings.TrimSuffix(strings.TrimPrefix(path, "/notices/"), "/dismiss")
		for _, n := range x.notices {
			if n["id"] == id && n["state"] == "open" {
				n["state"] = "dismissed"
				_ = json.NewEncoder(w).Encode(n)
				return true
			}
		}
		problem(w, http.StatusNotFound, "not_found")
		return true
	case path != "/applications" || r.Method != http.MethodPost:
		return false
	}
	raw, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(raw))
	var body map[string]any
	_ = json.Unmarshal(raw, &body)
	x.bodies = append(x.bodies, body)
	dep, _ := body["dependant_id"].(string)
	switch notice, _ := body["notice_id"].(string); {
	case notice != "":
		for _, n := range x.notices {
			if n["id"] == notice && n["state"] == "open" {
				n["state"] = "converted"
				user, _ := body["applicant_user_id"].(string)
				a := &fakeApp{ID: fmt.Sprintf("00000000-0000-7000-a000-%012d", len(f.apps)+1), Number: fmt.Sprintf("GA-2026-%06d", len(f.apps)+1),
					ProgramID: n["program_id"].(string), MemberID: n["member_id"].(string), ApplicantUserID: user, PreparedBy: user,
					State: "draft", StateText: stateText["draft"], Version: 1, CreatedAt: t0}
				f.apps[a.ID] = a
				w.WriteHeader(http.StatusCreated)
				_ = json.NewEncoder(w).Encode(a.view())
				return true
			}
		}
		problem(w, http.StatusNotFound, "not_found")
		return true
	case strings.Contains(roles, "family") && !strings.Contains(roles, "officer") && dep == "":
		problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"dependant_id", "此项必填"})
		return true
	case strings.Contains(roles, "family") && !strings.Contains(roles, "officer") && dep != "d-1" && dep != "d-2":
		problem(w, http.StatusUnprocessableEntity, "validation_failed", [2]string{"dependant_id", "不是该干警登记的亲属"})
		return true
	}
	return false
}

type fakeGrantsExtra struct {
	notices []map[string]any
	bodies  []map[string]any
}

var (
	fakeExtraMu sync.Mutex
	fakeExtras  = map[*fakeGrants]*fakeGrantsExtra{}
)

func (f *fakeGrants) extra() *fakeGrantsExtra {
	fakeExtraMu.Lock()
	defer fakeExtraMu.Unlock()
	if fakeExtras[f] == nil {
		fakeExtras[f] = &fakeGrantsExtra{}
	}
	return fakeExtras[f]
}

// ---- ledger-actions block: reversing an entry, running recurring grants --
// ledgerActions answers POST /entries/{id}/reverse (finance only, as the
// service: anyone else sees no entry; entry "1" only, once, then 409
// grants.ledger.already_reversed), POST /recurring/run (finance, admin;
// 3 grants processed) and, once entry 1 is reversed, the ledger with the
// reversal. The state lives beside the fake, keyed by it, so the fake's
// struct is unchanged.

type fakeLedgerActions struct {
	reversals     int
	reason        string // the last reversal's body reason
	recurringRuns int
}

var fakeLedgerActionStates sync.Map // *fakeGrants → *fakeLedgerActions

// ledgerActionState is f's state, made on first use; f.mu is held.
func (f *fakeGrants) ledgerActionState() *fakeLedgerActions {
	st, _ := fakeLedgerActionStates.LoadOrStore(f, &fakeLedgerActions{})
	return st.(*fakeLedgerActions)
}

func (f *fakeGrants) ledgerActions(w http.ResponseWriter, r *http.Request, path, roles string) bool {
	st := f.ledgerActionState()
	enc := json.NewEncoder(w)
	reversal := map[string]any{"id": "2", "voucher": "记-2026-000002", "date": "2026-03-02", "kind": "reversal", "reversal_of": "1",
		"summary": "冲销 记-2026-000001 年度拨款", "lines": []any{map[string]any{"account_code": "1011", "credit": 100_000_000}, map[string]any{"account_code": "4001", "debit": 100_000_000}}}
	switch {
	case strings.HasPrefix(path, "/entries/") && strings.HasSuffix(path, "/reverse") && r.Method == http.MethodPost:
		if !strings.Contains(roles, "finance") || path != "/entries/1/reverse" {
			problem(w, http.StatusNotFound, "not_found")
			return true
		}
		if st.reversals > 0 {
			problem(w, http.StatusConflict, "grants.ledger.already_reversed")
			return true
		}
		var body struct {
			Reason string `json:"reason"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		st.reversals++
		st.reason = body.Reason
		w.WriteHeader(http.StatusCreated)
		_ = enc.Encode(reversal)
	case path == "/recurring/run" && r.Method == http.MethodPost:
		if !strings.Contains(roles, "finance") && !strings.Contains(roles, "admin") {
			problem(w, http.StatusForbidden, "forbidden")
			return true
		}
		st.recurringRuns++
		_ = enc.Encode(map[string]any{"grants": 3})
	case path == "/funds/f-1/entries" && st.reversals > 0:
		_ = enc.Encode(map[string]any{"items": []any{map[string]any{"id": "1", "voucher": "记-2026-000001", "date": "2026-01-05", "kind": "appropriation",
			"summary": "年度拨款", "lines": []any{map[string]any{"account_code": "1011", "debit": 100_000_000}, map[string]any{"account_code": "4001", "credit": 100_000_000}}}, reversal}})
	default:
		return false
	}
	return true
}
