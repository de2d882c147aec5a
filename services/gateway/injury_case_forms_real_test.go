package gateway_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/services/gateway"
)

// The case page's own forms (pages/injury): what the gateway checks before
// any call to the injury service, and who may see and act on a case,
// against the real services. These ran against a fake injury service in
// httpapi before the area moved out.

// reportAsOfficer reports an injury as the seeded officer and returns the
// case's path.
func reportAsOfficer(t *testing.T, cl *client) string {
	t.Helper()
	_, form := cl.get("/injury/report")
	st, loc, body := cl.post("/injury/report", url.Values{"severity": {"serious"}, "injured_at": {injuredAtNow(t, form)},
		"place": {"城关派出所门口"}, "description": {"巡逻时摔伤右腿"}})
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/cases/") {
		t.Fatalf("report = %d %s %s", st, loc, snippet(body))
	}
	return strings.TrimSuffix(loc, "?m=reported")
}

// multipart posts a form with files (name → file name and content) as cl
// would from the page, with the form token of its account page.
func (cl *client) multipart(path string, fields url.Values, files map[string][2]string) (int, string, string) {
	cl.t.Helper()
	_, page := cl.get("/account")
	m := tokenRE.FindStringSubmatch(page)
	if m == nil {
		cl.t.Fatal("no form token on /account")
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf_token", m[1])
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	for name, f := range files {
		fw, _ := mw.CreateFormFile(name, f[0])
		_, _ = fw.Write([]byte(f[1]))
	}
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, cl.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	r, err := cl.c.Do(req)
	if err != nil {
		cl.t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r.StatusCode, r.Header.Get("Location"), string(b)
}

// uploadDocument posts the case's document form as cl would from the case
// page.
func (cl *client) uploadDocument(casePath, kind, name, content string) (int, string) {
	cl.t.Helper()
	var files map[string][2]string
	if name != "" {
		files = map[string][2]string{"document": {name, content}}
	}
	st, _, body := cl.multipart(casePath+"/documents", url.Values{"document_kind": {kind}}, files)
	return st, body
}

// The gateway's own checks of the comment and upload forms, before any
// call to the injury service: a refused form comes back with the message
// next to its field and what was typed kept. (The service's answers are
// proven in browser_journeys_test.go.)
func TestCaseCommentAndUploadFormsAgainstRealServices(t *testing.T) {
	t.Parallel()
	s := startRealSystem(t)
	officer := journeySignIn(t, s.gateway, "officer")
	casePath := reportAsOfficer(t, officer)
	_, page := officer.get(casePath)
	pageHas(t, "the case page", page, `action="`+casePath+`/comments"`, `action="`+casePath+`/documents"`, `enctype="multipart/form-data"`)

	st, _, empty := officer.post(casePath+"/comments", url.Values{"comment": {"   "}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(empty, `id="comment-error"`) || !strings.Contains(empty, "请填写备注内容") {
		t.Errorf("empty comment = %d", st)
	}
	st, _, long := officer.post(casePath+"/comments", url.Values{"comment": {strings.Repeat("伤", 4001)}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(long, `id="comment-error"`) || !strings.Contains(long, strings.Repeat("伤", 4001)) {
		t.Errorf("too long a comment = %d, or the text was lost", st)
	}

	if st, body := officer.uploadDocument(casePath, "photo", "", ""); st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="document-error"`) ||
		!strings.Contains(body, "请选择要上传的文件") {
		t.Errorf("upload without a file = %d", st)
	}
	if st, body := officer.uploadDocument(casePath, "passport", "a.png", "x"); st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="document_kind-error"`) {
		t.Errorf("upload of an unknown kind = %d", st)
	}
}

// A document of a case that is none, or of another case, is 404: the page
// looks the document up among the case's own before streaming anything.
func TestDocumentDownloadOfAnotherCaseAgainstRealServices(t *testing.T) {
	t.Parallel()
	s := startRealSystem(t)
	officer := journeySignIn(t, s.gateway, "officer")
	if st, _ := officer.get("/cases/no-such-case/documents/d-1"); st != http.StatusNotFound {
		t.Errorf("document of an unknown case = %d, want 404", st)
	}
	casePath := reportAsOfficer(t, officer)
	if st, _ := officer.get(casePath + "/documents/00000000-0000-7000-8000-000000000001"); st != http.StatusNotFound {
		t.Errorf("a document the case does not have = %d, want 404", st)
	}
}

// Only a caseworker is offered and may send the benefit calculation form;
// wages, grade and nursing are checked here first, each error next to its
// field with what was typed kept.
func TestCalculationFormAgainstRealServices(t *testing.T) {
	t.Parallel()
	s := startRealSystem(t)
	officer := journeySignIn(t, s.gateway, "officer")
	casePath := reportAsOfficer(t, officer)
	if _, page := officer.get(casePath); strings.Contains(page, `/calculations"`) {
		t.Error("the officer is offered the calculation form")
	}
	if st, _, _ := officer.post(casePath+"/calculations", url.Values{"wages": {"8000"}}); st != http.StatusForbidden {
		t.Errorf("officer POST calculations = %d, want 403", st)
	}

	worker := journeySignIn(t, s.gateway, "caseworker")
	if _, page := worker.get(casePath); !strings.Contains(page, `action="`+casePath+`/calculations"`) {
		t.Fatalf("the caseworker is not offered the calculation form: %s", snippet(page))
	}
	for _, tc := range []struct {
		name, wages, grade, nursing, field string
	}{
		{"no wages", " ", "", "none", "calc-wages-error"},
		{"not an amount", "8000 八千", "", "none", "calc-wages-error"},
		{"thirteen months", strings.Repeat("8000 ", 13), "", "none", "calc-wages-error"},
		{"grade out of range", "8000", "11", "none", "calc-grade-error"},
		{"unknown nursing level", "8000", "7", "some", "calc-nursing-error"},
	} {
		st, _, body := worker.post(casePath+"/calculations", url.Values{"wages": {tc.wages}, "grade": {tc.grade}, "nursing": {tc.nursing}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="`+tc.field+`"`) {
			t.Errorf("%s: %d, want 422 with %s", tc.name, st, tc.field)
		}
		if tc.grade != "" && !strings.Contains(body, `value="`+tc.grade+`"`) {
			t.Errorf("%s: the grade typed was lost", tc.name)
		}
	}
}

// Who may see and act on a case and the queue: another officer's case is
// 404 to an officer, reading and acting; the queue is staff's; finance
// neither reports nor has /my; a visitor is sent to sign in.
func TestInjuryPagesAccessAgainstRealServices(t *testing.T) {
	t.Parallel()
	s := startRealSystem(t)
	cw := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
	other := s.call(t, cw, "POST", "/api/v1/enrollment/members", map[string]any{
		"unit_id": s.unit, "name": "赵刚", "category": "police",
		"id_number": idcard.Generate("110105", s.env.Clock.Now().AddDate(-30, 0, 0), 141, true), "hire_date": "2015-07-01",
	}, 201)["id"].(string)
	seedPeople(t, s, gateway.DemoUser{Username: "officer2", DisplayName: "赵警官", Roles: []auth.Role{auth.RoleOfficer}, MemberID: other, Units: []string{s.unit}})
	casePath := reportAsOfficer(t, journeySignIn(t, s.gateway, "officer"))

	o2 := journeySignIn(t, s.gateway, "officer2")
	fin := journeySignIn(t, s.gateway, "finance")
	anon := &client{t: t, base: s.gateway, c: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	for _, tc := range []struct {
		name string
		b    *client
		path string
		want int
	}{
		{name: "other officer's case", b: o2, path: casePath, want: http.StatusNotFound},
		{name: "officer on the queue", b: o2, path: "/work/queue", want: http.StatusForbidden},
		{name: "finance reporting", b: fin, path: "/injury/report", want: http.StatusForbidden},
		{name: "finance on my page", b: fin, path: "/my", want: http.StatusForbidden},
		{name: "anonymous case", b: anon, path: casePath, want: http.StatusSeeOther},
		{name: "anonymous queue", b: anon, path: "/work/queue", want: http.StatusSeeOther},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.b.t = t
			if got, _ := tc.b.get(tc.path); got != tc.want {
				t.Errorf("GET %s = %d, want %d", tc.path, got, tc.want)
			}
		})
	}
	o2.t = t
	if st, _, _ := o2.post(casePath+"/actions/acknowledge", url.Values{"version": {"1"}}); st != http.StatusNotFound {
		t.Errorf("other officer acting = %d", st)
	}
}

// An officer reports an injury and sees the case with its clocks; once its
// first deadline has passed, the caseworker finds it red in the queue,
// cannot act on a stale version, acknowledges it, and the officer sees who
// took it.
func TestInjuryJourneyAgainstRealServices(t *testing.T) {
	t.Parallel()
	s := startRealSystem(t)
	officer := journeySignIn(t, s.gateway, "officer")
	st, form := officer.get("/injury/report")
	if st != http.StatusOK || !strings.Contains(form, `name="injured_at"`) || strings.Contains(form, `name="member_id"`) {
		t.Fatalf("report form %d", st)
	}
	injuredAt := injuredAtNow(t, form)
	report := url.Values{"severity": {"serious"}, "injured_at": {injuredAt}, "place": {""}, "description": {"巡逻时摔伤右腿"}}
	st, _, bad := officer.post("/injury/report", report)
	if st != http.StatusUnprocessableEntity || !strings.Contains(bad, `id="place-error"`) || !strings.Contains(bad, "请填写受伤地点") ||
		!strings.Contains(bad, "巡逻时摔伤右腿") {
		t.Fatalf("report without place = %d %s", st, snippet(bad))
	}
	report.Set("place", "城关派出所门口")
	st, loc, body := officer.post("/injury/report", report)
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/cases/") {
		t.Fatalf("report = %d %s %s", st, loc, snippet(body))
	}
	casePath := strings.TrimSuffix(loc, "?m=reported")
	_, page := officer.get(loc)
	pageHas(t, "the case page", page, "GC-2026-000001", "已提交报告", `id="clocks"`, "城关派出所门口", strings.Replace(injuredAt, "T", " ", 1))
	if strings.Contains(page, "/actions/") {
		t.Error("the officer is offered caseworker actions")
	}
	if _, my := officer.get("/my"); !strings.Contains(my, "GC-2026-000001") {
		t.Error("my page does not list the case")
	}

	// Two days on, nobody has acknowledged it: the case is late.
	s.env.Clock.Advance(48 * time.Hour)
	officer = journeySignIn(t, s.gateway, "officer")
	if _, page = officer.get(casePath); !strings.Contains(page, "sla-breached") {
		t.Errorf("the late case shows no breached clock: %s", snippet(page))
	}
	worker := journeySignIn(t, s.gateway, "caseworker")
	st, queue := worker.get("/work/queue")
	if st != http.StatusOK || !strings.Contains(queue, "GC-2026-000001") || !strings.Contains(queue, "row-breached") {
		t.Fatalf("queue %d lacks the red case: %s", st, snippet(queue))
	}
	if _, detail := worker.get(casePath); !strings.Contains(detail, `action="`+casePath+`/actions/acknowledge"`) {
		t.Fatal("caseworker is not offered acknowledge")
	}
	st, _, stale := worker.post(casePath+"/actions/acknowledge", url.Values{"version": {"5"}})
	if st != http.StatusConflict || !strings.Contains(stale, `id="action-acknowledge" open`) || !strings.Contains(stale, `class="field-error" role="alert"`) {
		t.Fatalf("stale acknowledge = %d %s", st, snippet(stale))
	}
	if st, _, done := worker.post(casePath+"/actions/acknowledge", url.Values{"version": {"1"}}); st != http.StatusSeeOther {
		t.Fatalf("acknowledge = %d %s", st, snippet(done))
	}
	// Acknowledging keeps the case in triage (the hand-off moves it on):
	// the officer sees who took it.
	if _, after := officer.get(casePath); !strings.Contains(after, `id="case-state">`+i18n.T(i18n.ZH, "injury.state.triage")+`<`) ||
		!strings.Contains(after, `id="case-in-charge">王经办`) {
		t.Errorf("officer does not see who took the case: %s", snippet(after))
	}
}

// /my's grants part against the real grants service: the officer's
// application sent back to them shows with its last steps (who returned
// it, when, and why), the amount under the name its state gives it, and
// first, among what needs them now.
func TestMyPageGrantsPartAgainstRealServices(t *testing.T) {
	t.Parallel()
	s := startRealSystem(t)
	officer := journeySignIn(t, s.gateway, "officer")
	st, loc, body := officer.multipart("/grants/apply", url.Values{"program_id": {s.program}, "requested_amount": {"3000"},
		"income_per_capita": {"1500"}, "doc": {"家庭收入证明"}, "documents": {"家庭收入证明"}}, nil)
	if st != http.StatusSeeOther || !strings.HasSuffix(loc, "?m=submitted") {
		t.Fatalf("apply = %d %s %s", st, loc, snippet(body))
	}
	cw := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
	items := s.call(t, cw, "GET", "/api/v1/grants/applications?scope=unit", nil, 200)["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("the unit's applications: %v", items)
	}
	app := items[0].(map[string]any)
	number := app["number"].(string)
	s.call(t, cw, "POST", "/api/v1/grants/applications/"+app["id"].(string)+"/return", map[string]any{"reason": "请补充家庭收入证明"}, 200,
		"If-Match", `"`+strconv.Itoa(int(app["version"].(float64)))+`"`)

	st, my := officer.get("/my")
	if st != http.StatusOK {
		t.Fatalf("/my = %d", st)
	}
	grants := between(my, `id="my-grants"`, "</section>")
	pageHas(t, "/my's grants", grants, number, "王芳", "请补充家庭收入证明", `<ol class="timeline">`, "申请金额</span> ¥3,000.00")
	pageLacks(t, "/my's grants", grants, "核定金额", "web.grants.step.")
	att := between(my, `id="my-attention"`, "</section>")
	pageHas(t, "the attention panel", att, number, "被退回")
}
