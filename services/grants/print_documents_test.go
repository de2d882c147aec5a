package grants_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/internal/specs"
	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/pdfdoc"
	"github.com/anxin-welfare/anxin/pkg/pdfdoc/pdftest"
	"github.com/anxin-welfare/anxin/services/grants"
)

// paidStatutoryGrant takes a police lump sum (因公牺牲, ¥8,000 a month,
// first-class merit) through the whole chain, two approvers and finance,
// and returns the paid application and its fund.
func paidStatutoryGrant(t *testing.T, h *harness) (app appJSON, fundID string) {
	t.Helper()
	w := h.do(&admin, "POST", "/funds", map[string]any{"fiscal_year": 2026, "name": "2026年度干警关爱资金", "appropriation": 500000000}, 0)
	want(t, w, 201, "")
	fundID = decode[map[string]any](t, w)["id"].(string)
	w = h.do(&admin, "POST", "/programs", map[string]any{"fund_id": fundID, "code": "fallen", "name_zh": "因公牺牲干警一次性抚恤", "name_en": "Fallen officers' lump sum",
		"kind": "martyr_family", "allocation": 400000000, "amount_rule": map[string]any{"kind": "statutory", "calculator": "police_lump_sum"},
		"dual_approval_above": 100000}, 0)
	want(t, w, 201, "")
	progID := decode[map[string]any](t, w)["id"].(string)
	w = h.do(&officer, "POST", "/applications", map[string]any{"program_id": progID, "event_ref": "death:m-1",
		"form": map[string]any{"cause": "line_of_duty", "monthly_wage": 800000, "honours": []string{"merit_first"}, "event_date": "2025-05-01"}}, 0)
	want(t, w, 201, "")
	app = decode[appJSON](t, w)
	id := "/applications/" + app.ID
	for _, step := range []struct {
		who  *auth.Identity
		path string
	}{{&officer, "/submit"}, {&caseworker, "/review"}, {&approverA, "/approve"}, {&approverB, "/approve"}, {&finance, "/disburse"}} {
		w = h.do(step.who, "POST", id+step.path, nil, app.Version)
		want(t, w, 200, "")
		app = decode[appJSON](t, w)
	}
	if app.State != "disbursed" || app.Breakdown == nil || len(app.Breakdown.Items) < 2 {
		t.Fatalf("the grant is %s with breakdown %+v", app.State, app.Breakdown)
	}
	return app, fundID
}

func wantPDF(t *testing.T, w *httptest.ResponseRecorder) []byte {
	t.Helper()
	if w.Code != 200 || w.Header().Get("Content-Type") != pdfdoc.ContentType {
		t.Fatalf("print: %d %s: %.300s", w.Code, w.Header().Get("Content-Type"), w.Body.String())
	}
	if cd := w.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "inline;") || w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("print headers: disposition %q, cache %q", cd, w.Header().Get("Cache-Control"))
	}
	return w.Body.Bytes()
}

// TestTheApprovalSheetPrintsTheCalculationAndTheApprovers: the sheet of a
// paid statutory grant names the applicant, the programme, every item of
// the calculation with its amount and the total in figures and capitals,
// the caseworker and both approvers with their dates, and leaves room for
// signatures and the seal. Whoever may see the application may print it
// (the auditor with the name masked, as on screen); nobody else: 404.
func TestTheApprovalSheetPrintsTheCalculationAndTheApprovers(t *testing.T) {
	h := start(t)
	h.env.Contract = specs.MustLoad(t, "grants")
	app, _ := paidStatutoryGrant(t, h)
	path := "/applications/" + app.ID + "/approval-sheet.pdf"

	doc := wantPDF(t, h.do(&officer, "GET", path, nil, 0))
	wants := []string{"帮扶资金审批表", "编号：" + app.Number, "申请编号", app.Number, "张三丰", "因公牺牲干警一次性抚恤", "已发放",
		"法定标准计算明细", pdfdoc.Yuan(app.Amount), pdfdoc.Capital(app.Amount), "人民警察抚恤优待办法",
		"王经办", "审批甲", "审批乙", "赵财务", "经办人初审意见", "审批人意见（1）", "审批人意见（2）", "签字：", "县委政法委（盖章）",
		"打印时间：2026-11-27 10:00（北京时间）", "第 1 页", "所涉事项", "成员身故"}
	for _, it := range app.Breakdown.Items {
		wants = append(wants, it.Text, pdfdoc.Yuan(it.Amount))
	}
	pdftest.Contains(t, doc, wants...)
	pdftest.Render(t, doc, "approval-sheet")
	pdftest.Lacks(t, doc, "unit-1") // units are known by id only: no id on paper

	// the auditor sees it with the name masked, as the JSON shows it
	masked := wantPDF(t, h.do(&auditor, "GET", path, nil, 0))
	pdftest.Contains(t, masked, app.Number, "审批甲")
	pdftest.Lacks(t, masked, "张三丰")

	// in English for an English reader
	en := officer
	en.Lang = i18n.EN
	pdftest.Contains(t, wantPDF(t, h.do(&en, "GET", path, nil, 0)), "Grant approval sheet", "Statutory calculation", "Approver (2)")

	for _, who := range []auth.Identity{stranger, otherCW} {
		want(t, h.do(&who, "GET", path, nil, 0), 404, "not_found")
	}
	want(t, h.do(&officer, "GET", "/applications/00000000-0000-0000-0000-000000000000/approval-sheet.pdf", nil, 0), 404, "not_found")
	if n := h.count(`SELECT count(*) FROM audit_log WHERE action = 'grants.print.approval_sheet'`); n != 3 {
		t.Errorf("%d prints audited, want 3", n)
	}
}

// TestTheVoucherAndTheDisbursementListPrintForFinance: the payment's
// voucher has its number, accounts, debit and credit and the total in
// capitals; the day's disbursement list for the bank names the payee in
// full with the amount and the voucher, and its print is audited. Both
// follow the ledger's rule: finance, auditors and admins; others 404.
func TestTheVoucherAndTheDisbursementListPrintForFinance(t *testing.T) {
	h := start(t)
	h.env.Contract = specs.MustLoad(t, "grants")
	app, fundID := paidStatutoryGrant(t, h)

	entries := items[struct {
		ID      string `json:"id"`
		Voucher string `json:"voucher"`
		Kind    string `json:"kind"`
		Summary string `json:"summary"`
	}](t, h.do(&finance, "GET", "/funds/"+fundID+"/entries", nil, 0))
	var entryID, voucher, summary string
	for _, e := range entries {
		if e.Kind == "disbursement" {
			entryID, voucher, summary = e.ID, e.Voucher, e.Summary
		}
	}
	if entryID == "" {
		t.Fatalf("no disbursement entry among %+v", entries)
	}
	vpath := "/entries/" + entryID + "/voucher.pdf"
	doc := wantPDF(t, h.do(&finance, "GET", vpath, nil, 0))
	// a disbursement moves the amount in the financial accounts and, in
	// parallel, out of the commitment memo accounts: the voucher totals
	// twice the amount on each side
	pdftest.Contains(t, doc, "记账凭证", voucher, summary, "5001 业务活动费用", "2307 其他应付款", "借方金额", "贷方金额", pdfdoc.Yuan(app.Amount),
		pdfdoc.Yuan(2*app.Amount), "人民币（大写）"+pdfdoc.Capital(2*app.Amount), "会计主管", "制单")
	pdftest.Render(t, doc, "voucher")
	en := auditor
	en.Lang = i18n.EN
	pdftest.Contains(t, wantPDF(t, h.do(&en, "GET", vpath, nil, 0)), "Ledger voucher", "Operating expenses")

	dpath := "/funds/" + fundID + "/disbursements.pdf?date=2026-11-27"
	list := wantPDF(t, h.do(&finance, "GET", dpath, nil, 0))
	pdftest.Contains(t, list, "帮扶资金发放清单（银行代发）", "2026年度干警关爱资金", "2026-11-27", app.Number, "张三丰", "因公牺牲干警一次性抚恤",
		"2026-11", pdfdoc.Yuan(app.Amount), pdfdoc.Capital(app.Amount), "财务专用章")
	pdftest.Render(t, list, "disbursement-list")
	// another day lists nothing, and says so
	pdftest.Contains(t, wantPDF(t, h.do(&finance, "GET", "/funds/"+fundID+"/disbursements.pdf?date=2026-11-26", nil, 0)), "2026-11-26 没有发放记录")
	want(t, h.do(&finance, "GET", "/funds/"+fundID+"/disbursements.pdf?date=2026-13-01", nil, 0), 422, "validation_failed")
	want(t, h.do(&finance, "GET", "/funds/"+fundID+"/disbursements.pdf?date=2026-11-28", nil, 0), 422, "validation_failed")
	if n := h.count(`SELECT count(*) FROM audit_log WHERE action = 'grants.print.disbursement_list' AND after->>'names' = 'full'`); n != 2 {
		t.Errorf("%d disbursement list prints audited, want 2", n)
	}

	for _, who := range []auth.Identity{officer, caseworker, approverA} {
		want(t, h.do(&who, "GET", vpath, nil, 0), 404, "not_found")
		want(t, h.do(&who, "GET", dpath, nil, 0), 404, "not_found")
	}
	want(t, h.do(&finance, "GET", "/entries/999999/voucher.pdf", nil, 0), 404, "not_found")
	want(t, h.do(&finance, "GET", "/funds/00000000-0000-0000-0000-000000000000/disbursements.pdf", nil, 0), 404, "not_found")
}

// TestPrintsWithoutTheFontAnswer503NamingIt: a service whose font is not
// installed still serves everything else; a print answers 503 with a
// problem naming the missing file, never a 500.
func TestPrintsWithoutTheFontAnswer503NamingIt(t *testing.T) {
	env := apptest.New(t)
	env.Contract = specs.MustLoad(t, "grants")
	missing := t.TempDir() + "/no-such-font.ttc"
	svc, err := grants.New(context.Background(), env.Deps, grants.Config{Schema: "grants", HTTPAddr: "127.0.0.1:0", PDFFont: missing, ExportPoll: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	apptest.Run(t, svc.Run)
	h := &harness{t: t, env: env, h: svc.Handler(), svc: svc}
	fundID, _ := h.setupFund(50000000)
	w := h.do(&finance, "GET", "/funds/"+fundID+"/disbursements.pdf", nil, 0)
	want(t, w, 503, pdfdoc.CodeFontMissing)
	if p := decode[map[string]any](t, w); p["font"] != missing || !strings.Contains(p["title"].(string), missing) {
		t.Errorf("the problem does not name the font: %v", p)
	}
	want(t, h.do(&finance, "GET", "/funds/"+fundID, nil, 0), 200, "")
}
