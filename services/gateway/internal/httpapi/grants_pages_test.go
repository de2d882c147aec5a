package httpapi_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

// TestGrantJourney: a family member applies; a caseworker reviews, two
// approvers approve and finance pays, four different people; the
// applicant sees "paid".
func TestGrantJourney(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("family1", domain.RoleFamily)
	e.user("case1", domain.RoleCaseworker)
	e.user("appr1", domain.RoleApprover)
	e.user("appr2", domain.RoleApprover)
	e.user("fin1", domain.RoleFinance)
	fam := e.browser()
	fam.signIn("family1")

	form := fam.get("/grants/apply")
	if form.status != http.StatusOK || !strings.Contains(form.body, "因公伤残干警资助") {
		t.Fatalf("apply form %d", form.status)
	}
	tok := fam.token("/grants/apply")
	tooMuch := fam.post("/grants/apply", url.Values{"csrf_token": {tok}, "dependant_id": {"d-1"}, "program_id": {"p-1"}, "requested_amount": {"60000"}, "documents": {"鉴定结论"}})
	if tooMuch.status != http.StatusUnprocessableEntity || !strings.Contains(tooMuch.body, `id="requested_amount-error"`) ||
		!strings.Contains(tooMuch.body, "超过项目上限") || !strings.Contains(tooMuch.body, "鉴定结论") {
		t.Fatalf("over the cap = %d", tooMuch.status)
	}
	if r := fam.post("/grants/apply", url.Values{"csrf_token": {tok}, "dependant_id": {"d-1"}, "program_id": {"p-1"}, "requested_amount": {"abc"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("non-amount = %d", r.status)
	}
	ok := fam.post("/grants/apply", url.Values{"csrf_token": {tok}, "dependant_id": {"d-1"}, "program_id": {"p-1"}, "requested_amount": {"30000"}, "documents": {"鉴定结论\n病历"}})
	if ok.status != http.StatusSeeOther || !strings.Contains(ok.header.Get("Location"), "?m=submitted") {
		t.Fatalf("apply = %d %s", ok.status, ok.header.Get("Location"))
	}
	appPath := strings.TrimSuffix(ok.header.Get("Location"), "?m=submitted")

	step := func(who *browser, name string, version int) response {
		t.Helper()
		return who.post(appPath+"/"+name, url.Values{"csrf_token": {who.token(appPath)}, "version": {itoa(version)}})
	}
	cw := e.browser()
	cw.signIn("case1")
	if q := cw.get("/work/queue"); !strings.Contains(q.body, "GA-2026-000001") {
		t.Fatal("the caseworker's queue lacks the application")
	}
	if r := step(cw, "review", 2); r.status != http.StatusSeeOther {
		t.Fatalf("review = %d", r.status)
	}
	a1 := e.browser()
	a1.signIn("appr1")
	if q := a1.get("/approvals"); !strings.Contains(q.body, "GA-2026-000001") || !strings.Contains(q.body, "¥30,000.00") {
		t.Fatal("the approver's queue lacks the application and its amount")
	}
	if r := step(a1, "approve", 3); r.status != http.StatusSeeOther {
		t.Fatalf("first approval = %d", r.status)
	}
	if r := step(a1, "approve", 4); r.status != http.StatusForbidden || !strings.Contains(r.body, "grants.same_approver") {
		t.Fatalf("same approver twice = %d", r.status)
	}
	a2 := e.browser()
	a2.signIn("appr2")
	if r := step(a2, "approve", 4); r.status != http.StatusSeeOther {
		t.Fatalf("second approval = %d", r.status)
	}
	// finance's to-pay list (pages/finance) is checked against the real
	// grants service: TestFinancePagesAgainstRealServices.
	fin := e.browser()
	fin.signIn("fin1")
	if r := step(fin, "disburse", 5); r.status != http.StatusSeeOther {
		t.Fatalf("disburse = %d", r.status)
	}
	final := fam.get(appPath)
	if !strings.Contains(final.body, `id="app-state">已支付`) {
		t.Errorf("the applicant does not see paid")
	}
	if strings.Contains(final.body, "/disburse") || strings.Contains(final.body, "/approve") {
		t.Error("the applicant is offered staff steps")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

var testPDF = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// postFiles sends a multipart form, as the apply and edit forms do, with
// files keyed by field name ("file-1" → name and content).
func (b *browser) postFiles(path string, form url.Values, files map[string][2]string) response {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	for field, f := range files {
		fw, _ := mw.CreateFormFile(field, f[0])
		_, _ = fw.Write([]byte(f[1]))
	}
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

var hiddenField = func(name string) *regexp.Regexp {
	return regexp.MustCompile(`name="` + name + `" value="([^"]*)"`)
}

func hidden(t *testing.T, r response, name string) string {
	t.Helper()
	m := hiddenField(name).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no hidden %s on the page (%d)", name, r.status)
	}
	return m[1]
}

// TestGrantApplyRefusedSubmission: a submission the service refuses comes
// back as the form (422) with each problem next to its field and every
// value kept; the next attempt corrects the same draft, so however many
// attempts it takes there is one application.
func TestGrantApplyRefusedSubmission(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("family1", domain.RoleFamily)
	fam := e.browser()
	fam.signIn("family1")

	// choosing the programme (a GET) lists its documents as boxes and files
	form := fam.get("/grants/apply?program=p-2")
	for _, want := range []string{`action="/grants/apply#docs"`, `id="choose"`, `enctype="multipart/form-data"`, `name="program_id" value="p-2"`,
		`name="doc" value="家庭收入证明"`, `name="doc" value="困难情况说明"`, `id="file-0" name="file-0" type="file"`, `id="file-1"`} {
		if !strings.Contains(form.body, want) {
			t.Errorf("apply form for p-2 lacks %s", want)
		}
	}
	if none := fam.get("/grants/apply"); strings.Contains(none.body, `name="doc"`) || !strings.Contains(none.body, `value="" selected`) {
		t.Error("the form without a programme lists documents or preselects one")
	}
	tok := fam.token("/grants/apply")
	values := url.Values{"csrf_token": {tok}, "dependant_id": {"d-1"}, "program_id": {"p-2"}, "requested_amount": {"3000"}, "income_per_capita": {"1500"},
		"doc": {"家庭收入证明"}, "documents": {"户口本复印件"}}
	missing := fam.postFiles("/grants/apply", values, nil)
	if missing.status != http.StatusUnprocessableEntity {
		t.Fatalf("submission without a document = %d, want 422", missing.status)
	}
	for _, want := range []string{`id="docs-error"`, "缺少必需材料：困难情况说明", `name="requested_amount" type="text" autocomplete="off" inputmode="decimal" value="3000"`,
		`value="1500"`, `value="家庭收入证明" checked`, "户口本复印件", `id="draft-kept"`, "GA-2026-000001"} {
		if !strings.Contains(missing.body, want) {
			t.Errorf("refused form lacks %s", want)
		}
	}
	if strings.Contains(missing.body, `value="困难情况说明" checked`) {
		t.Error("an unticked document came back ticked")
	}
	appID := hidden(t, missing, "app_id")
	values.Set("app_id", appID)
	values.Set("version", hidden(t, missing, "version"))

	// a file that is not a PDF: the error is next to that file
	notPDF := fam.postFiles("/grants/apply", values, map[string][2]string{"file-1": {"说明.pdf", "<html>not a pdf</html>"}})
	if notPDF.status != http.StatusUnprocessableEntity || !strings.Contains(notPDF.body, `id="file-1-error"`) ||
		!strings.Contains(notPDF.body, "grants.document_type_unsupported") || hidden(t, notPDF, "app_id") != appID {
		t.Fatalf("upload of a non-PDF = %d", notPDF.status)
	}
	values.Set("version", hidden(t, notPDF, "version"))

	// ineligible: the unmet rule shows next to the answer it reads
	values.Set("income_per_capita", "3000")
	poor := fam.postFiles("/grants/apply", values, map[string][2]string{"file-1": {"说明.pdf", string(testPDF)}})
	if poor.status != http.StatusUnprocessableEntity || !strings.Contains(poor.body, `id="income_per_capita-error"`) ||
		!strings.Contains(poor.body, "家庭人均月收入不高于") || !strings.Contains(poor.body, "已上传： 说明.pdf") {
		t.Fatalf("ineligible = %d", poor.status)
	}
	values.Set("income_per_capita", "1500")
	values.Set("version", hidden(t, poor, "version"))

	// corrected: the same draft is submitted with the uploaded document
	ok := fam.postFiles("/grants/apply", values, nil)
	if ok.status != http.StatusSeeOther || ok.header.Get("Location") != "/grants/applications/"+appID+"?m=submitted" {
		t.Fatalf("corrected = %d %s", ok.status, ok.header.Get("Location"))
	}
	e.grants.mu.Lock()
	n, state, files := len(e.grants.apps), e.grants.apps[appID].State, e.grants.apps[appID].Files
	e.grants.mu.Unlock()
	if n != 1 || state != "submitted" || len(files) != 1 || files[0].Kind != "困难情况说明" {
		t.Fatalf("%d applications, the draft %s with files %+v; want one, submitted, with the explanation", n, state, files)
	}

	// the page lists the document; the download is the gateway's own attachment
	page := fam.get("/grants/applications/" + appID)
	link := "/grants/applications/" + appID + "/documents/" + files[0].ID
	if !strings.Contains(page.body, `href="`+link+`"`) || !strings.Contains(page.body, "说明.pdf") {
		t.Fatal("the application page does not list the uploaded document")
	}
	dl := fam.get(link)
	if dl.status != http.StatusOK || dl.header.Get("Content-Disposition") != `attachment; filename="GA-2026-000001-`+files[0].ID+`.pdf"` ||
		dl.header.Get("X-Content-Type-Options") != "nosniff" || dl.body != string(testPDF) {
		t.Errorf("download = %d %q", dl.status, dl.header.Get("Content-Disposition"))
	}
	if r := fam.get("/grants/applications/" + appID + "/documents/0190b3c4-0000-7000-8000-000000000099"); r.status != http.StatusNotFound {
		t.Errorf("unknown document = %d, want 404", r.status)
	}
}

// TestGrantApplyAnotherProgrammeWithdrawsTheDraft: a draft's programme is
// fixed; choosing another after a refusal withdraws the old draft rather
// than leaving it behind.
func TestGrantApplyAnotherProgrammeWithdrawsTheDraft(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("family1", domain.RoleFamily)
	fam := e.browser()
	fam.signIn("family1")
	tok := fam.token("/grants/apply")
	first := fam.post("/grants/apply", url.Values{"csrf_token": {tok}, "dependant_id": {"d-1"}, "program_id": {"p-2"}, "requested_amount": {"3000"}})
	if first.status != http.StatusUnprocessableEntity {
		t.Fatalf("first attempt = %d", first.status)
	}
	second := fam.post("/grants/apply", url.Values{"csrf_token": {tok}, "dependant_id": {"d-1"}, "program_id": {"p-1"}, "requested_amount": {"3000"},
		"app_id": {hidden(t, first, "app_id")}, "version": {hidden(t, first, "version")}})
	if second.status != http.StatusSeeOther {
		t.Fatalf("second attempt = %d", second.status)
	}
	e.grants.mu.Lock()
	withdrawn := e.grants.withdrawn
	e.grants.mu.Unlock()
	if withdrawn != 1 {
		t.Errorf("%d drafts withdrawn, want the first", withdrawn)
	}
	if r := fam.post("/grants/apply", url.Values{"csrf_token": {tok}, "dependant_id": {"d-1"}, "requested_amount": {"3000"}}); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, `id="program-error"`) {
		t.Errorf("no programme = %d", r.status)
	}
}

// TestGrantEdit: the applicant changes a draft from its page (errors next
// to fields, values kept, a stale version explained), uploads a document
// and submits; after submission nobody is offered the form.
func TestGrantEdit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("family1", domain.RoleFamily)
	e.user("family2", domain.RoleFamily)
	e.user("case1", domain.RoleCaseworker)
	fam := e.browser()
	fam.signIn("family1")
	tok := fam.token("/grants/apply")
	draft := fam.post("/grants/apply", url.Values{"csrf_token": {tok}, "dependant_id": {"d-1"}, "program_id": {"p-2"}, "requested_amount": {"3000"},
		"income_per_capita": {"1500"}, "doc": {"家庭收入证明"}})
	appPath := "/grants/applications/" + hidden(t, draft, "app_id")
	if page := fam.get(appPath); !strings.Contains(page.body, `href="`+appPath+`/edit"`) {
		t.Fatal("the draft's page offers no edit link")
	}
	edit := fam.get(appPath + "/edit")
	for _, want := range []string{`action="` + appPath + `/edit"`, `value="3000.00"`, `value="1500.00"`, `value="家庭收入证明" checked`,
		`name="version" value="1"`, `id="save-submit"`, `enctype="multipart/form-data"`} {
		if !strings.Contains(edit.body, want) {
			t.Errorf("edit form lacks %s", want)
		}
	}
	tok = fam.token(appPath + "/edit")
	values := url.Values{"csrf_token": {tok}, "version": {"1"}, "requested_amount": {"60000"}, "income_per_capita": {"1500"}, "doc": {"家庭收入证明"}}
	over := fam.postFiles(appPath+"/edit", values, nil)
	if over.status != http.StatusUnprocessableEntity || !strings.Contains(over.body, `id="requested_amount-error"`) ||
		!strings.Contains(over.body, "超过项目上限") || !strings.Contains(over.body, `value="60000"`) {
		t.Fatalf("over the cap = %d", over.status)
	}
	values.Set("requested_amount", "2000")
	values.Set("version", "0")
	if r := fam.postFiles(appPath+"/edit", values, nil); r.status != http.StatusBadRequest {
		t.Errorf("no version = %d, want 400", r.status)
	}
	values.Set("version", "7")
	stale := fam.postFiles(appPath+"/edit", values, nil)
	if stale.status != http.StatusConflict || !strings.Contains(stale.body, "version_mismatch") || !strings.Contains(stale.body, `value="2000"`) {
		t.Fatalf("stale version = %d", stale.status)
	}
	values.Set("version", hidden(t, stale, "version"))
	values.Set("action", "save")
	saved := fam.postFiles(appPath+"/edit", values, map[string][2]string{"file-1": {"困难说明.pdf", string(testPDF)}})
	if saved.status != http.StatusSeeOther || saved.header.Get("Location") != appPath+"?m=saved" {
		t.Fatalf("save = %d %s", saved.status, saved.header.Get("Location"))
	}
	page := fam.get(appPath)
	if !strings.Contains(page.body, "困难说明.pdf") || !strings.Contains(page.body, `id="app-state">草稿`) || !strings.Contains(page.body, "¥2,000.00") {
		t.Fatal("the saved draft does not show the new amount and document")
	}
	edit = fam.get(appPath + "/edit")
	values.Set("version", hidden(t, edit, "version"))
	values.Set("action", "submit")
	submitted := fam.postFiles(appPath+"/edit", values, nil)
	if submitted.status != http.StatusSeeOther || submitted.header.Get("Location") != appPath+"?m=submitted" {
		t.Fatalf("save and submit = %d", submitted.status)
	}
	if page := fam.get(appPath); strings.Contains(page.body, "/edit\"") {
		t.Error("a submitted application still offers the edit form")
	}
	if r := fam.get(appPath + "/edit"); r.status != http.StatusForbidden {
		t.Errorf("edit form of a submitted application = %d, want 403", r.status)
	}
	other := e.browser()
	other.signIn("family2")
	if r := other.get(appPath + "/edit"); r.status != http.StatusNotFound {
		t.Errorf("another family's edit form = %d, want 404 as the service answers", r.status)
	}
	cw := e.browser()
	cw.signIn("case1")
	if r := cw.postFiles(appPath+"/edit", url.Values{"csrf_token": {cw.token(appPath)}, "version": {"3"}}, nil); r.status != http.StatusForbidden {
		t.Errorf("caseworker editing the applicant's form = %d, want 403", r.status)
	}
}

// submittedGrant applies for p-1 as family1 and returns the application's
// page path.
func submittedGrant(t *testing.T, e *env) string {
	t.Helper()
	e.user("family1", domain.RoleFamily)
	fam := e.browser()
	fam.signIn("family1")
	ok := fam.post("/grants/apply", url.Values{"csrf_token": {fam.token("/grants/apply")}, "dependant_id": {"d-1"}, "program_id": {"p-1"}, "requested_amount": {"3000"}})
	if ok.status != http.StatusSeeOther {
		t.Fatalf("apply = %d", ok.status)
	}
	return strings.TrimSuffix(ok.header.Get("Location"), "?m=submitted")
}

// TestGrantStepRefusalKeepsReason: a refused return or reject comes back
// with the typed reason in its field and the problem next to it.
func TestGrantStepRefusalKeepsReason(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	appPath := submittedGrant(t, e)
	e.user("case1", domain.RoleCaseworker)
	cw := e.browser()
	cw.signIn("case1")
	tok := cw.token(appPath)
	long := strings.Repeat("材料不全", 51)
	r := cw.post(appPath+"/return", url.Values{"csrf_token": {tok}, "version": {"2"}, "reason": {long}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="reason-return-error"`) ||
		!strings.Contains(r.body, "不能超过 200 个字符") || !strings.Contains(r.body, `id="reason-return" name="reason" type="text" value="`+long+`"`) {
		t.Fatalf("too long a reason = %d", r.status)
	}
	if strings.Contains(r.body, `id="reason-reject-error"`) {
		t.Error("the error shows on the reject form too")
	}
	r = cw.post(appPath+"/reject", url.Values{"csrf_token": {tok}, "version": {"2"}, "reason": {"  "}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="reason-reject-error"`) || !strings.Contains(r.body, "请填写理由") {
		t.Fatalf("no reason = %d", r.status)
	}
	if r := cw.post(appPath+"/return", url.Values{"csrf_token": {tok}, "version": {"2"}, "reason": {"请补充困难情况说明"}}); r.status != http.StatusSeeOther {
		t.Fatalf("return with a reason = %d", r.status)
	}
}

// TestGrantApproveFlaggedDuplicate: an application flagged as a possible
// duplicate asks the approver for a note, naming the other applications;
// without it the approval is refused next to the note.
func TestGrantApproveFlaggedDuplicate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	appPath := submittedGrant(t, e)
	id := strings.TrimPrefix(appPath, "/grants/applications/")
	e.user("case1", domain.RoleCaseworker)
	e.user("appr1", domain.RoleApprover)
	cw := e.browser()
	cw.signIn("case1")
	if r := cw.post(appPath+"/review", url.Values{"csrf_token": {cw.token(appPath)}, "version": {"2"}}); r.status != http.StatusSeeOther {
		t.Fatalf("review = %d", r.status)
	}
	ap := e.browser()
	ap.signIn("appr1")
	if page := ap.get(appPath); strings.Contains(page.body, `name="duplicate_note"`) {
		t.Fatal("an unflagged application asks for a duplicate note")
	}
	e.grants.mu.Lock()
	e.grants.apps[id].DuplicateFlags = []map[string]any{{"application_id": "other", "number": "GA-2026-000009"}}
	e.grants.mu.Unlock()
	page := ap.get(appPath)
	if !strings.Contains(page.body, `<textarea id="duplicate_note" name="duplicate_note" rows="3" required`) || !strings.Contains(page.body, "GA-2026-000009") {
		t.Fatal("the flagged application does not ask for the note naming the other application")
	}
	tok := ap.token(appPath)
	r := ap.post(appPath+"/approve", url.Values{"csrf_token": {tok}, "version": {"3"}})
	if r.status != http.StatusConflict || !strings.Contains(r.body, `id="duplicate_note-error"`) || !strings.Contains(r.body, "grants.duplicate_unacknowledged") {
		t.Fatalf("approval without the note = %d", r.status)
	}
	r = ap.post(appPath+"/approve", url.Values{"csrf_token": {tok}, "version": {"3"}, "duplicate_note": {"生活困难与伤残资助分属不同需要"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("approval with the note = %d", r.status)
	}
	e.grants.mu.Lock()
	defer e.grants.mu.Unlock()
	if e.grants.apps[id].DuplicateNote != "生活困难与伤残资助分属不同需要" {
		t.Errorf("the note reached the service as %q", e.grants.apps[id].DuplicateNote)
	}
}

// TestGrantFamilyChoosesDependant: a family account applies for one of the
// officer's dependants, chosen on the form from what the grants service
// knows; without a choice, or with one that is not the officer's, the form
// comes back with the error next to the choice. An officer is not asked.
func TestGrantFamilyChoosesDependant(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("family1", domain.RoleFamily)
	e.user("officer1", domain.RoleOfficer)
	fam := e.browser()
	fam.signIn("family1")
	form := fam.get("/grants/apply?program=p-1")
	for _, want := range []string{`id="dependant"`, `name="dependant_id" value="d-1"`, "李娜 (配偶)", `name="dependant_id" value="d-2"`, "王小明 (子女)"} {
		if !strings.Contains(form.body, want) {
			t.Errorf("the family's form lacks %s", want)
		}
	}
	tok := fam.token("/grants/apply")
	none := fam.post("/grants/apply", url.Values{"csrf_token": {tok}, "program_id": {"p-1"}, "requested_amount": {"3000"}})
	if none.status != http.StatusUnprocessableEntity || !strings.Contains(none.body, `id="dependant-error"`) || !strings.Contains(none.body, "请选择申请的亲属") {
		t.Fatalf("no dependant chosen = %d", none.status)
	}
	if n := len(e.grants.applicationBodies()); n != 0 {
		t.Fatalf("a form without a dependant reached the service %d times", n)
	}
	other := fam.post("/grants/apply", url.Values{"csrf_token": {tok}, "program_id": {"p-1"}, "dependant_id": {"d-9"}, "requested_amount": {"3000"}})
	if other.status != http.StatusUnprocessableEntity || !strings.Contains(other.body, `id="dependant-error"`) || !strings.Contains(other.body, "不是该干警登记的亲属") {
		t.Fatalf("another family's dependant = %d", other.status)
	}
	ok := fam.post("/grants/apply", url.Values{"csrf_token": {tok}, "program_id": {"p-1"}, "dependant_id": {"d-2"}, "requested_amount": {"3000"}})
	if ok.status != http.StatusSeeOther {
		t.Fatalf("with the child chosen = %d", ok.status)
	}
	bodies := e.grants.applicationBodies()
	if last := bodies[len(bodies)-1]; last["dependant_id"] != "d-2" || last["member_id"] != "m-family1" {
		t.Errorf("the service was sent %v", last)
	}

	off := e.browser()
	off.signIn("officer1")
	if f := off.get("/grants/apply?program=p-1"); strings.Contains(f.body, `name="dependant_id"`) {
		t.Error("the officer is asked for a dependant")
	}
	if r := off.post("/grants/apply", url.Values{"csrf_token": {off.token("/grants/apply")}, "program_id": {"p-1"}, "requested_amount": {"3000"}}); r.status != http.StatusSeeOther {
		t.Fatalf("the officer's own application = %d", r.status)
	}
	bodies = e.grants.applicationBodies()
	if last := bodies[len(bodies)-1]; last["dependant_id"] != nil || last["member_id"] != "m-officer1" {
		t.Errorf("the officer's application was sent as %v", last)
	}
}

// TestGrantListsNameTheProgramme: the applicant's list names each
// application's programme (finance's payments due, in pages/finance, are
// checked against the real grants service: TestFinancePagesAgainstRealServices).
func TestGrantListsNameTheProgramme(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	submittedGrant(t, e)
	fam := e.browser()
	fam.signIn("family1")
	if l := fam.get("/grants"); !strings.Contains(l.body, `<span class="program">因公伤残干警资助</span>`) {
		t.Error("the family's list does not name the programme")
	}
}

// TestGrantApproverAlreadyApproved: an approver who approved in this round
// is not offered the approval again and is told a second approver is
// awaited; another approver is offered it. A caseworker is offered the
// yearly re-check of a grant paid monthly; nobody else is.
func TestGrantApproverAlreadyApproved(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	appPath := submittedGrant(t, e)
	id := strings.TrimPrefix(appPath, "/grants/applications/")
	e.user("case1", domain.RoleCaseworker)
	a1 := e.user("appr1", domain.RoleApprover)
	e.user("appr2", domain.RoleApprover)
	cw := e.browser()
	cw.signIn("case1")
	if r := cw.post(appPath+"/review", url.Values{"csrf_token": {cw.token(appPath)}, "version": {"2"}}); r.status != http.StatusSeeOther {
		t.Fatalf("review = %d", r.status)
	}
	e.grants.mu.Lock()
	e.grants.apps[id].History = append(e.grants.apps[id].History, map[string]any{"round": 0, "step": "committee_approval", "actor": a1.ID, "actor_name": "用户 appr1", "at": t0})
	e.grants.mu.Unlock()
	b1 := e.browser()
	b1.signIn("appr1")
	page := b1.get(appPath)
	if strings.Contains(page.body, `action="`+appPath+`/approve"`) || !strings.Contains(page.body, `id="awaiting-second"`) ||
		!strings.Contains(page.body, "您已审批同意，等待另一位审批人审批。") || !strings.Contains(page.body, `action="`+appPath+`/return"`) {
		t.Error("the approver who approved is offered the approval again or not told a second is awaited")
	}
	b2 := e.browser()
	b2.signIn("appr2")
	if page := b2.get(appPath); !strings.Contains(page.body, `action="`+appPath+`/approve"`) || strings.Contains(page.body, `id="awaiting-second"`) {
		t.Error("the second approver is not offered the approval")
	}

	e.grants.mu.Lock()
	e.grants.apps[id].State = "active"
	e.grants.mu.Unlock()
	if page := cw.get(appPath); !strings.Contains(page.body, `action="`+appPath+`/recheck"`) || !strings.Contains(page.body, "年度复核") {
		t.Error("the caseworker is not offered the yearly re-check")
	}
	if r := cw.post(appPath+"/recheck", url.Values{"csrf_token": {cw.token(appPath)}, "version": {"4"}}); r.status == http.StatusNotFound {
		t.Error("the re-check step is not passed to the service")
	}
	fam := e.browser()
	fam.signIn("family1")
	for _, b := range []*browser{fam, b2} {
		if page := b.get(appPath); strings.Contains(page.body, "/recheck\"") {
			t.Error("someone other than a caseworker is offered the re-check")
		}
	}
}

// TestNoticeConvertChoosesAccount: the notices page offers the active
// officer and family accounts linked to the notice's member, and "no
// account"; the caseworker picks one and the draft is made for it, or for
// themselves on the person's behalf.
func TestNoticeConvertChoosesAccount(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	cwUser := e.user("case1", domain.RoleCaseworker)
	officer := e.user("officer1", domain.RoleOfficer)
	unrelated := e.user("family1", domain.RoleFamily)
	wife, err := e.accounts.CreateUser(ctx, domain.UserInput{Username: "wife1", DisplayName: "李娜", MemberID: "m-officer1",
		Roles: []domain.Role{domain.RoleFamily}, Units: []string{"unit-1"}}, password, password, store.Actor{UserID: "test"})
	if err != nil {
		t.Fatal(err)
	}
	gone, err := e.accounts.CreateUser(ctx, domain.UserInput{Username: "gone1", DisplayName: "旧账号", MemberID: "m-officer1",
		Roles: []domain.Role{domain.RoleFamily}, Units: []string{"unit-1"}}, password, password, store.Actor{UserID: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.accounts.Disable(ctx, gone.ID, gone.Version, store.Actor{UserID: "test"}); err != nil {
		t.Fatal(err)
	}
	e.grants.addNotice("n-1", "m-officer1", "")
	e.grants.addNotice("n-2", "m-nobody", "")
	cw := e.browser()
	cw.signIn("case1")
	page := cw.get("/work/notices")
	for _, want := range []string{`name="applicant" value="` + officer.ID + `"`, `name="applicant" value="` + wife.ID + `"`, "李娜 · wife1 · 家属",
		`id="applicant-n-1-self" name="applicant" value="caseworker"`, "无账号：由经办人员代为办理", "该干警及亲属尚无关联账号。"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the notices page lacks %s", want)
		}
	}
	for _, not := range []string{gone.ID, unrelated.ID, `name="applicant" type="text"`} {
		if strings.Contains(page.body, not) {
			t.Errorf("the notices page offers %s", not)
		}
	}
	tok := cw.token("/work/notices")
	if r := cw.post("/work/notices/n-1/convert", url.Values{"csrf_token": {tok}}); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, `id="applicant-n-1-error"`) || !strings.Contains(r.body, "请选择申请人") {
		t.Fatalf("no applicant chosen = %d", r.status)
	}
	r := cw.post("/work/notices/n-1/convert", url.Values{"csrf_token": {tok}, "applicant": {unrelated.ID}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "该账号与这条线索涉及的干警或亲属无关") ||
		!strings.Contains(r.body, `value="`+wife.ID+`"`) {
		t.Fatalf("an unrelated account = %d", r.status)
	}
	if r := cw.post("/work/notices/n-1/convert", url.Values{"csrf_token": {tok}, "applicant": {gone.ID}}); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("a disabled account = %d", r.status)
	}
	if r := cw.post("/work/notices/n-1/convert", url.Values{"csrf_token": {tok}, "applicant": {wife.ID}}); r.status != http.StatusSeeOther ||
		!strings.Contains(r.header.Get("Location"), "?m=draft") {
		t.Fatalf("convert for the linked family account = %d", r.status)
	}
	if r := cw.post("/work/notices/n-2/convert", url.Values{"csrf_token": {tok}, "applicant": {"caseworker"}}); r.status != http.StatusSeeOther {
		t.Fatalf("convert with no account = %d", r.status)
	}
	bodies := e.grants.applicationBodies()
	if len(bodies) != 2 || bodies[0]["notice_id"] != "n-1" || bodies[0]["applicant_user_id"] != wife.ID || bodies[0]["applicant_name"] != "李娜" ||
		bodies[1]["notice_id"] != "n-2" || bodies[1]["applicant_user_id"] != cwUser.ID {
		t.Errorf("the service was sent %v", bodies)
	}
}

// TestGrantWithdrawAsksFirst: the first press of withdraw names the
// application and withdraws nothing; the second, with confirm=yes, does.
func TestGrantWithdrawAsksFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	appPath := submittedGrant(t, e)
	id := strings.TrimPrefix(appPath, "/grants/applications/")
	fam := e.browser()
	fam.signIn("family1")
	tok := fam.token(appPath)
	r := fam.post(appPath+"/withdraw", url.Values{"csrf_token": {tok}, "version": {"2"}})
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="confirm"`) || !strings.Contains(r.body, "将撤回申请 GA-2026-000001") ||
		!strings.Contains(r.body, `action="`+appPath+`/withdraw"`) || !strings.Contains(r.body, `name="version" value="2"`) {
		t.Fatalf("first press = %d %s", r.status, r.body)
	}
	e.grants.mu.Lock()
	state := e.grants.apps[id].State
	e.grants.mu.Unlock()
	if state != "submitted" {
		t.Fatalf("the first press left the application %s", state)
	}
	r = fam.post(appPath+"/withdraw", url.Values{"csrf_token": {tok}, "version": {"2"}, "confirm": {"yes"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("second press = %d %s", r.status, r.body)
	}
	e.grants.mu.Lock()
	state = e.grants.apps[id].State
	e.grants.mu.Unlock()
	if state != "withdrawn" {
		t.Errorf("after the second press the application is %s", state)
	}
}
