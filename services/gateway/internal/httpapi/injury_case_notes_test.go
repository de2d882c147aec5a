package httpapi_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// The gateway's own checks of the comment and upload forms, before any
// call to the injury service: a refused form comes back with the message
// next to its field and what was typed kept. (The real service's answers
// are proven in services/gateway/browser_journeys_test.go.)
func TestCaseCommentAndUploadForms(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("officer1", domain.RoleOfficer)
	officer := e.browser()
	officer.signIn("officer1")
	tok := officer.token("/injury/report")
	ok := officer.post("/injury/report", url.Values{"csrf_token": {tok}, "unit_id": {"unit-1"}, "severity": {"serious"},
		"injured_at": {"2026-03-02T08:30"}, "place": {"城关派出所门口"}, "description": {"巡逻时摔伤右腿"}})
	if ok.status != http.StatusSeeOther {
		t.Fatalf("report = %d", ok.status)
	}
	casePath := strings.TrimSuffix(ok.header.Get("Location"), "?m=reported")
	page := officer.get(casePath)
	for _, want := range []string{`action="` + casePath + `/comments"`, `action="` + casePath + `/documents"`, `enctype="multipart/form-data"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("case page lacks %s", want)
		}
	}

	tok = officer.token(casePath)
	empty := officer.post(casePath+"/comments", url.Values{"csrf_token": {tok}, "comment": {"   "}})
	if empty.status != http.StatusUnprocessableEntity || !strings.Contains(empty.body, `id="comment-error"`) || !strings.Contains(empty.body, "请填写备注内容") {
		t.Errorf("empty comment = %d", empty.status)
	}
	long := officer.post(casePath+"/comments", url.Values{"csrf_token": {tok}, "comment": {strings.Repeat("伤", 4001)}})
	if long.status != http.StatusUnprocessableEntity || !strings.Contains(long.body, `id="comment-error"`) || !strings.Contains(long.body, strings.Repeat("伤", 4001)) {
		t.Errorf("too long a comment = %d, or the text was lost", long.status)
	}

	upload := func(kind, name string, content []byte) response {
		t.Helper()
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("csrf_token", tok)
		_ = mw.WriteField("document_kind", kind)
		if name != "" {
			fw, _ := mw.CreateFormFile("document", name)
			_, _ = fw.Write(content)
		}
		_ = mw.Close()
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+casePath+"/documents", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		return officer.do(req)
	}
	noFile := upload("photo", "", nil)
	if noFile.status != http.StatusUnprocessableEntity || !strings.Contains(noFile.body, `id="document-error"`) || !strings.Contains(noFile.body, "请选择要上传的文件") {
		t.Errorf("upload without a file = %d", noFile.status)
	}
	noKind := upload("passport", "a.png", []byte("x"))
	if noKind.status != http.StatusUnprocessableEntity || !strings.Contains(noKind.body, `id="document_kind-error"`) {
		t.Errorf("upload of an unknown kind = %d", noKind.status)
	}
}

// TestDocumentDownloadOfAnotherCase is 404: the page looks the document
// up among the case's own before streaming anything.
func TestDocumentDownloadOfAnotherCase(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("officer1", domain.RoleOfficer)
	officer := e.browser()
	officer.signIn("officer1")
	if r := officer.get("/cases/no-such-case/documents/d-1"); r.status != http.StatusNotFound {
		t.Errorf("document of an unknown case = %d, want 404", r.status)
	}
}

// TestCalculationForm: only a caseworker is offered and may send the
// benefit calculation form; wages, grade and nursing are checked here
// first, each error next to its field with what was typed kept.
func TestCalculationForm(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("officer1", domain.RoleOfficer)
	e.user("case1", domain.RoleCaseworker)
	officer := e.browser()
	officer.signIn("officer1")
	tok := officer.token("/injury/report")
	ok := officer.post("/injury/report", url.Values{"csrf_token": {tok}, "unit_id": {"unit-1"}, "severity": {"serious"},
		"injured_at": {"2026-03-02T08:30"}, "place": {"城关派出所门口"}, "description": {"巡逻时摔伤右腿"}})
	casePath := strings.TrimSuffix(ok.header.Get("Location"), "?m=reported")
	if page := officer.get(casePath); strings.Contains(page.body, `/calculations"`) {
		t.Error("the officer is offered the calculation form")
	}
	if r := officer.post(casePath+"/calculations", url.Values{"csrf_token": {officer.token(casePath)}, "wages": {"8000"}}); r.status != http.StatusForbidden {
		t.Errorf("officer POST calculations = %d, want 403", r.status)
	}

	worker := e.browser()
	worker.signIn("case1")
	page := worker.get(casePath)
	if !strings.Contains(page.body, `action="`+casePath+`/calculations"`) {
		t.Fatal("the caseworker is not offered the calculation form")
	}
	tok = worker.token(casePath)
	for _, tc := range []struct {
		name, wages, grade, nursing, field string
	}{
		{"no wages", " ", "", "none", "calc-wages-error"},
		{"not an amount", "8000 八千", "", "none", "calc-wages-error"},
		{"thirteen months", strings.Repeat("8000 ", 13), "", "none", "calc-wages-error"},
		{"grade out of range", "8000", "11", "none", "calc-grade-error"},
		{"unknown nursing level", "8000", "7", "some", "calc-nursing-error"},
	} {
		r := worker.post(casePath+"/calculations", url.Values{"csrf_token": {tok}, "wages": {tc.wages}, "grade": {tc.grade}, "nursing": {tc.nursing}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="`+tc.field+`"`) {
			t.Errorf("%s: %d, want 422 with %s", tc.name, r.status, tc.field)
		}
		if tc.grade != "" && !strings.Contains(r.body, `value="`+tc.grade+`"`) {
			t.Errorf("%s: the grade typed was lost", tc.name)
		}
	}
}
