package gateway_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/i18n"
)

// The grants area's apply and edit forms (pages/grants) against the real
// grants service: what were httpapi's fake-upstream tests of the same
// pages, each assertion kept, the fake's state read through the service's
// API instead.

// grantsApp reads an application through the gateway's API as u.
func (u *grantsUser) grantsApp(id string) (int, map[string]any) {
	u.t.Helper()
	r := u.get("/api/v1/grants/applications/" + url.PathEscape(id))
	var out map[string]any
	_ = json.Unmarshal([]byte(r.body), &out)
	return r.status, out
}

// mineCount is how many applications u has, through the gateway's API.
func (u *grantsUser) mineCount() int {
	u.t.Helper()
	var mine struct {
		Items []map[string]any `json:"items"`
	}
	r := u.get("/api/v1/grants/applications?scope=mine&limit=100")
	if err := json.Unmarshal([]byte(r.body), &mine); err != nil {
		u.t.Fatalf("%s's applications: %d %s", u.name, r.status, r.body)
	}
	return len(mine.Items)
}

var grantsVersionField = regexp.MustCompile(`name="version" value="([0-9]+)"`)

// stepVersion is the version the application page's step forms carry.
func stepVersion(t *testing.T, r grantsReply) string {
	t.Helper()
	m := grantsVersionField.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("the page (%d) has no step form with a version: %s", r.status, snippet(r.body))
	}
	return m[1]
}

// twoDocumentProgram adds a hardship programme asking two documents, as the
// apply form's fields and its per-document files need.
func twoDocumentProgram(t *testing.T, s *realSystem) string {
	t.Helper()
	admin := auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
	return s.call(t, admin, "POST", "/api/v1/grants/programs", map[string]any{
		"fund_id": s.fund, "code": "hardship2", "name_zh": "困难家庭帮扶", "kind": "hardship",
		"allocation": 50000000, "eligibility": map[string]any{"max_income_per_capita": 250000},
		"amount_rule": map[string]any{"kind": "assessed", "cap": 2000000}, "required_documents": []string{"家庭收入证明", "困难情况说明"},
		"dual_approval_above": 1000000,
	}, 201)["id"].(string)
}

// TestGrantApplyFormsAgainstRealServices: the apply form follows the
// programme chosen (its questions, its documents as boxes and files); a
// refused submission keeps every value and the draft, so however many
// attempts it takes there is one application; choosing another programme
// withdraws the old draft; a family account names the dependant; a value
// typed into a question the programme does not ask is never sent; the
// form sent twice with its one-time token applies once.
func TestGrantApplyFormsAgainstRealServices(t *testing.T) {
	t.Parallel()
	s := startRealSystem(t)
	p2 := twoDocumentProgram(t, s)
	wife := waitDependant(t, s, s.member, "刘敏")
	fam := grantsSignIn(t, s.gateway, "family")

	t.Run("a refused submission keeps the draft", func(t *testing.T) {
		// choosing the programme (a GET) lists its documents as boxes and files
		form := fam.get("/grants/apply?program=" + p2)
		for _, want := range []string{`action="/grants/apply#docs"`, `id="choose"`, `enctype="multipart/form-data"`, `name="program_id" value="` + p2 + `"`,
			`name="doc" value="家庭收入证明"`, `name="doc" value="困难情况说明"`, `id="file-0" name="file-0" type="file"`, `id="file-1"`} {
			if !strings.Contains(form.body, want) {
				t.Errorf("apply form for the two-document programme lacks %s", want)
			}
		}
		if none := fam.get("/grants/apply"); strings.Contains(none.body, `name="doc"`) || !strings.Contains(none.body, `value="" selected`) {
			t.Error("the form without a programme lists documents or preselects one")
		}
		tok := fam.token("/grants/apply")
		before := fam.mineCount()
		values := url.Values{"dependant_id": {wife}, "program_id": {p2}, "requested_amount": {"3000"}, "income_per_capita": {"1500"},
			"doc": {"家庭收入证明"}, "documents": {"户口本复印件"}}
		missing := fam.post("/grants/apply", tok, values, nil)
		if missing.status != http.StatusUnprocessableEntity {
			t.Fatalf("submission without a document = %d, want 422: %s", missing.status, snippet(missing.body))
		}
		for _, want := range []string{`id="docs-error"`, "缺少必需材料：困难情况说明", `name="requested_amount" type="text" autocomplete="off" inputmode="decimal" value="3000"`,
			`value="1500"`, `value="家庭收入证明" checked`, "户口本复印件", `id="draft-kept"`, "GA-2026-"} {
			if !strings.Contains(missing.body, want) {
				t.Errorf("refused form lacks %s", want)
			}
		}
		if strings.Contains(missing.body, `value="困难情况说明" checked`) {
			t.Error("an unticked document came back ticked")
		}
		appID := grantsHidden(t, missing, "app_id")
		values.Set("app_id", appID)
		values.Set("version", grantsHidden(t, missing, "version"))

		// a file that is not a PDF: the error is next to that file
		notPDF := fam.post("/grants/apply", tok, values, map[string][2]string{"file-1": {"说明.pdf", "<html>not a pdf</html>"}})
		if notPDF.status != http.StatusUnprocessableEntity || !strings.Contains(notPDF.body, `id="file-1-error"`) ||
			!strings.Contains(notPDF.body, i18n.T(i18n.ZH, "problem.grants.document_type_unsupported")) || grantsHidden(t, notPDF, "app_id") != appID {
			t.Fatalf("upload of a non-PDF = %d: %s", notPDF.status, snippet(notPDF.body))
		}
		values.Set("version", grantsHidden(t, notPDF, "version"))

		// ineligible: the unmet rule shows next to the answer it reads
		pdf := "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
		values.Set("income_per_capita", "3000")
		poor := fam.post("/grants/apply", tok, values, map[string][2]string{"file-1": {"说明.pdf", pdf}})
		if poor.status != http.StatusUnprocessableEntity || !strings.Contains(poor.body, `id="income_per_capita-error"`) ||
			!strings.Contains(poor.body, "家庭人均月收入不高于") || !strings.Contains(poor.body, "已上传： 说明.pdf") {
			t.Fatalf("ineligible = %d: %s", poor.status, snippet(poor.body))
		}
		values.Set("income_per_capita", "1500")
		values.Set("version", grantsHidden(t, poor, "version"))

		// corrected: the same draft is submitted with the uploaded document
		ok := fam.post("/grants/apply", tok, values, nil)
		if ok.status != http.StatusSeeOther || ok.header.Get("Location") != "/grants/applications/"+appID+"?m=submitted" {
			t.Fatalf("corrected = %d %s: %s", ok.status, ok.header.Get("Location"), snippet(ok.body))
		}
		_, app := fam.grantsApp(appID)
		files, _ := app["files"].([]any)
		if n := fam.mineCount() - before; n != 1 || app["state"] != "submitted" || len(files) != 1 || files[0].(map[string]any)["kind"] != "困难情况说明" {
			t.Fatalf("%d applications, the draft %v with files %v; want one, submitted, with the explanation", n, app["state"], files)
		}
		fileID := files[0].(map[string]any)["id"].(string)

		// the page lists the document; the download is the gateway's own attachment
		page := fam.get("/grants/applications/" + appID)
		link := "/grants/applications/" + appID + "/documents/" + fileID
		if !strings.Contains(page.body, `href="`+link+`"`) || !strings.Contains(page.body, "说明.pdf") {
			t.Fatal("the application page does not list the uploaded document")
		}
		dl := fam.get(link)
		if dl.status != http.StatusOK || dl.header.Get("Content-Disposition") != `attachment; filename="`+app["number"].(string)+`-`+fileID+`.pdf"` ||
			dl.header.Get("X-Content-Type-Options") != "nosniff" || dl.body != pdf {
			t.Errorf("download = %d %q", dl.status, dl.header.Get("Content-Disposition"))
		}
		if r := fam.get("/grants/applications/" + appID + "/documents/0190b3c4-0000-7000-8000-000000000099"); r.status != http.StatusNotFound {
			t.Errorf("unknown document = %d, want 404", r.status)
		}
	})

	t.Run("another programme withdraws the draft", func(t *testing.T) {
		tok := fam.token("/grants/apply")
		first := fam.post("/grants/apply", tok, url.Values{"dependant_id": {wife}, "program_id": {p2}, "requested_amount": {"3000"}, "income_per_capita": {"1500"}}, nil)
		if first.status != http.StatusUnprocessableEntity {
			t.Fatalf("first attempt = %d", first.status)
		}
		draft := grantsHidden(t, first, "app_id")
		second := fam.post("/grants/apply", tok, url.Values{"dependant_id": {wife}, "program_id": {s.program}, "requested_amount": {"3000"},
			"income_per_capita": {"1500"}, "doc": {"家庭收入证明"}, "app_id": {draft}, "version": {grantsHidden(t, first, "version")}}, nil)
		if second.status != http.StatusSeeOther {
			t.Fatalf("second attempt = %d: %s", second.status, snippet(second.body))
		}
		if _, app := fam.grantsApp(draft); app["state"] != "withdrawn" {
			t.Errorf("the first draft is %v, want withdrawn", app["state"])
		}
		if r := fam.post("/grants/apply", tok, url.Values{"dependant_id": {wife}, "requested_amount": {"3000"}}, nil); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, `id="program-error"`) {
			t.Errorf("no programme = %d", r.status)
		}
	})

	t.Run("a family account names the dependant; an officer is not asked", func(t *testing.T) {
		form := fam.get("/grants/apply?program=" + s.program)
		for _, want := range []string{`id="dependant"`, `name="dependant_id" value="` + wife + `"`, "刘敏 (配偶)"} {
			if !strings.Contains(form.body, want) {
				t.Errorf("the family's form lacks %s", want)
			}
		}
		tok := fam.token("/grants/apply")
		before := fam.mineCount()
		none := fam.post("/grants/apply", tok, url.Values{"program_id": {s.program}, "requested_amount": {"3000"}, "income_per_capita": {"1500"}, "doc": {"家庭收入证明"}}, nil)
		if none.status != http.StatusUnprocessableEntity || !strings.Contains(none.body, `id="dependant-error"`) || !strings.Contains(none.body, "请选择申请的亲属") {
			t.Fatalf("no dependant chosen = %d", none.status)
		}
		if n := fam.mineCount() - before; n != 0 {
			t.Fatalf("a form without a dependant reached the service %d times", n)
		}
		other := fam.post("/grants/apply", tok, url.Values{"program_id": {s.program}, "dependant_id": {s.fallen}, "requested_amount": {"3000"},
			"income_per_capita": {"1500"}, "doc": {"家庭收入证明"}}, nil)
		if other.status != http.StatusUnprocessableEntity || !strings.Contains(other.body, `id="dependant-error"`) || !strings.Contains(other.body, "不是该干警登记的亲属") {
			t.Fatalf("another family's dependant = %d: %s", other.status, snippet(other.body))
		}
		ok := fam.post("/grants/apply", tok, url.Values{"program_id": {s.program}, "dependant_id": {wife}, "requested_amount": {"3000"},
			"income_per_capita": {"1500"}, "doc": {"家庭收入证明"}}, nil)
		if ok.status != http.StatusSeeOther {
			t.Fatalf("with the wife chosen = %d: %s", ok.status, snippet(ok.body))
		}
		id := strings.TrimSuffix(strings.TrimPrefix(ok.header.Get("Location"), "/grants/applications/"), "?m=submitted")
		if _, app := fam.grantsApp(id); app["dependant_id"] != wife || app["member_id"] != s.member {
			t.Errorf("the service recorded %v and %v", app["dependant_id"], app["member_id"])
		}

		off := grantsSignIn(t, s.gateway, "officer")
		if f := off.get("/grants/apply?program=" + s.program); strings.Contains(f.body, `name="dependant_id"`) {
			t.Error("the officer is asked for a dependant")
		}
		r := off.post("/grants/apply", off.token("/grants/apply"), url.Values{"program_id": {s.program}, "requested_amount": {"3000"},
			"income_per_capita": {"1500"}, "doc": {"家庭收入证明"}}, nil)
		if r.status != http.StatusSeeOther {
			t.Fatalf("the officer's own application = %d: %s", r.status, snippet(r.body))
		}
		id = strings.TrimSuffix(strings.TrimPrefix(r.header.Get("Location"), "/grants/applications/"), "?m=submitted")
		if _, app := off.grantsApp(id); app["dependant_id"] != nil && app["dependant_id"] != "" || app["member_id"] != s.member {
			t.Errorf("the officer's application was recorded with %v and %v", app["dependant_id"], app["member_id"])
		}
	})

	t.Run("the form asks only its programme's questions", func(t *testing.T) {
		admin := auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
		grades := []int{1000000, 900000, 800000, 700000, 600000, 500000, 400000, 300000, 200000, 100000}
		disabled := s.call(t, admin, "POST", "/api/v1/grants/programs", map[string]any{
			"fund_id": s.fund, "code": "disabled", "name_zh": "因公伤残干警资助", "kind": "disabled_on_duty", "allocation": 50000000,
			"amount_rule": map[string]any{"kind": "by_grade", "by_grade": grades}, "dual_approval_above": 0,
		}, 201)["id"].(string)
		off := grantsSignIn(t, s.gateway, "officer")
		hard := off.get("/grants/apply?program=" + s.program)
		for _, want := range []string{`id="requested_amount"`, `id="income_per_capita"`} {
			if !strings.Contains(hard.body, want) {
				t.Errorf("the hardship form lacks %s", want)
			}
		}
		for _, not := range []string{`id="grade"`, `id="cause"`, `id="event_date"`, "伤残等级", "死亡原因"} {
			if strings.Contains(hard.body, not) {
				t.Errorf("the hardship form asks %s", not)
			}
		}
		dis := off.get("/grants/apply?program=" + disabled)
		if !strings.Contains(dis.body, `id="grade"`) || strings.Contains(dis.body, `id="income_per_capita"`) {
			t.Error("the disability form does not ask the grade, or asks the income")
		}
		// a day typed otherwise than the date field sends is refused by
		// the field, in the service's words, before anything is sent
		before := off.mineCount()
		bad := off.post("/grants/apply", off.token("/grants/apply"), url.Values{"program_id": {disabled}, "grade": {"5"}, "event_date": {"2026/11/20"}}, nil)
		if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, `id="event_date-error"`) ||
			!strings.Contains(bad.body, i18n.T(i18n.ZH, "grants.field.invalid_date")) || !strings.Contains(bad.body, `value="2026/11/20"`) || off.mineCount() != before {
			t.Errorf("a malformed event date = %d: %s", bad.status, snippet(bad.body))
		}
		none := off.get("/grants/apply")
		if strings.Contains(none.body, `id="grade"`) || strings.Contains(none.body, `id="income_per_capita"`) || !strings.Contains(none.body, `id="questions-follow"`) {
			t.Error("before a programme is chosen the form asks programme questions, or does not say they follow")
		}
		// the service refuses a question its programme does not ask
		// (grants.field.not_asked), so going through says nothing was sent
		r := off.post("/grants/apply", off.token("/grants/apply"), url.Values{"program_id": {s.program}, "requested_amount": {"3000"},
			"income_per_capita": {"1500"}, "grade": {"5"}, "cause": {"martyr"}, "documents": {"家庭收入证明\n困难情况说明"}}, nil)
		if r.status != http.StatusSeeOther {
			t.Fatalf("apply = %d: %s", r.status, snippet(r.body))
		}
		id := strings.TrimSuffix(strings.TrimPrefix(r.header.Get("Location"), "/grants/applications/"), "?m=submitted")
		_, app := off.grantsApp(id)
		form, _ := app["form"].(map[string]any)
		if _, ok := form["grade"]; ok || form["cause"] != nil || form["income_per_capita"] != float64(150000) {
			t.Errorf("the hardship application holds the form %v", form)
		}
	})

	t.Run("the form sent twice applies once", func(t *testing.T) {
		off := grantsSignIn(t, s.gateway, "officer")
		page := off.get("/grants/apply")
		once := regexp.MustCompile(`name="submission_token" value="([^"]+)"`).FindStringSubmatch(page.body)
		if once == nil {
			t.Fatal("the apply form has no one-time submission token")
		}
		tok := grantsFormToken.FindStringSubmatch(page.body)[1]
		values := url.Values{"program_id": {s.program}, "requested_amount": {"3000"}, "income_per_capita": {"1500"}, "doc": {"家庭收入证明"},
			"submission_token": {once[1]}}
		before := off.mineCount()
		first := off.post("/grants/apply", tok, values, nil)
		if first.status != http.StatusSeeOther {
			t.Fatalf("first submission = %d: %s", first.status, snippet(first.body))
		}
		for range 2 {
			again := off.post("/grants/apply", tok, values, nil)
			if again.status != http.StatusSeeOther || again.header.Get("Location") != first.header.Get("Location") {
				t.Fatalf("resubmission = %d to %q, want the first's result %q", again.status, again.header.Get("Location"), first.header.Get("Location"))
			}
		}
		if n := off.mineCount() - before; n != 1 {
			t.Fatalf("the form sent three times made %d applications, want 1", n)
		}
		// A fresh form is a new submission.
		page = off.get("/grants/apply")
		values.Set("submission_token", regexp.MustCompile(`name="submission_token" value="([^"]+)"`).FindStringSubmatch(page.body)[1])
		if r := off.post("/grants/apply", grantsFormToken.FindStringSubmatch(page.body)[1], values, nil); r.status != http.StatusSeeOther ||
			r.header.Get("Location") == first.header.Get("Location") {
			t.Fatalf("a new form = %d %s", r.status, r.header.Get("Location"))
		}
		if n := off.mineCount() - before; n != 2 {
			t.Fatalf("a new form made %d applications in all, want 2", n)
		}
	})
}
