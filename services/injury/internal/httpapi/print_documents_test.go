package httpapi_test

import (
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/pdfdoc"
	"github.com/anxin-welfare/anxin/pkg/pdfdoc/pdftest"
)

// printableCase is the standard case taken to a filed determination, with
// the member known to the projection and a medical record uploaded.
func printableCase(t *testing.T, e *env) string {
	t.Helper()
	if _, err := e.db.Exec(`INSERT INTO members (member_id, name, unit_id, category, updated_at) VALUES ('m-1', '李建国', 'unit-1', 'police', now())`); err != nil {
		t.Fatal(err)
	}
	id := e.openCase()
	for _, s := range []struct {
		action string
		body   any
	}{
		{"acknowledge", nil},
		{"confirm_handoff", map[string]any{"hospital": "县人民医院", "guarantee_fen": 3000000}},
		{"file_determination", map[string]any{"filed_on": "2026-03-10"}},
	} {
		if r := e.act(caseworker, id, s.action, s.body); r.Code != 200 {
			t.Fatalf("%s = %d %s", s.action, r.Code, r.Body)
		}
	}
	if r := e.do(member, "POST", "/cases/"+id+"/documents?kind=medical_record&file_name=诊断.pdf", pdf); r.Code != 201 {
		t.Fatalf("upload = %d %s", r.Code, r.Body)
	}
	return id
}

func wantPDF(t *testing.T, r resp) []byte {
	t.Helper()
	if r.Code != 200 || r.Header.Get("Content-Type") != pdfdoc.ContentType {
		t.Fatalf("print = %d %s: %.300s", r.Code, r.Header.Get("Content-Type"), r.Body)
	}
	if !strings.HasPrefix(r.Header.Get("Content-Disposition"), "inline;") {
		t.Errorf("disposition %q", r.Header.Get("Content-Disposition"))
	}
	return r.Body
}

// TestTheCaseSummaryPrintsWhatTheReaderMaySee: the caseworker's summary has
// the case number, the injured officer, the incident, the hospital's
// guarantee and the deadlines; the colleague who reported it prints the
// report only, as the JSON shows them; other people get 404.
func TestTheCaseSummaryPrintsWhatTheReaderMaySee(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := printableCase(t, e)
	number := e.do(caseworker, "GET", "/cases/"+id, nil).json(t)["number"].(string)
	path := "/cases/" + id + "/summary.pdf"

	doc := wantPDF(t, e.do(caseworker, "GET", path, nil))
	pdftest.Contains(t, doc, "工伤案件摘要", "编号："+number, number, "李建国", "严重", "2026-03-10 08:30", "城关路口",
		"查车时被撞伤腿部", "县人民医院", "¥30,000.00", "工伤认定申请中", "医院垫付担保", "单位申请认定时限（30日）", "打印时间：2026-03-10 10:00（北京时间）")
	pdftest.Render(t, doc, "case-summary")
	pdftest.Lacks(t, doc, "unit-1") // units are known by id only: no id on paper

	report := wantPDF(t, e.do(colleague, "GET", path, nil))
	pdftest.Contains(t, report, number, "城关路口", "查车时被撞伤腿部")
	pdftest.Lacks(t, report, "¥30,000.00", "医院垫付担保", "办理时限")

	for _, who := range []actor{otherCW, stranger, admin} {
		if r := e.do(who, "GET", path, nil); r.Code != 404 {
			t.Errorf("%s prints the summary: %d", who.UserID, r.Code)
		}
	}
	if r := e.do(caseworker, "GET", "/cases/0190f7a0-0000-7000-8000-00000000dead/summary.pdf", nil); r.Code != 404 {
		t.Errorf("a missing case prints: %d", r.Code)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'injury.print_summary.read' AND object_id = $1`, id); n != 2 {
		t.Errorf("%d summary prints audited, want 2", n)
	}
}

// TestTheDeterminationCoverSheetListsTheFilingAndItsPapers: the cover sheet
// names the authority, the injured officer, the incident, who filed and
// when, the last day of the unit's 30-day window and the papers art. 18
// asks for, with the uploaded medical record counted; the member may print
// it, the reporting colleague (who may not see the determination) may not.
func TestTheDeterminationCoverSheetListsTheFilingAndItsPapers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := printableCase(t, e)
	number := e.do(caseworker, "GET", "/cases/"+id, nil).json(t)["number"].(string)
	path := "/cases/" + id + "/determination-cover.pdf"

	doc := wantPDF(t, e.do(member, "GET", path, nil))
	pdftest.Contains(t, doc, "工伤认定申请材料封面", number, "社会保险行政部门", "工伤认定（《工伤保险条例》第十七条、第十八条）", "李建国",
		"城关路口", "查车时被撞伤腿部", "用人单位", "2026-03-10", "单位申请认定时限（30日）", "2026-04-09",
		"工伤认定申请表", "医疗诊断证明", "已上传 1 份", "纸质提交", "王芳", "申请人（签字）", "用人单位（盖章）")
	pdftest.Render(t, doc, "determination-cover")

	for _, who := range []actor{colleague, otherCW, stranger, admin} {
		if r := e.do(who, "GET", path, nil); r.Code != 404 {
			t.Errorf("%s prints the cover sheet: %d", who.UserID, r.Code)
		}
	}
	en := e.do(caseworker, "GET", path, nil, "Accept-Language", "en")
	pdftest.Contains(t, wantPDF(t, en), "Work-injury determination application: cover sheet", "Medical diagnosis")
}
