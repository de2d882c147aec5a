package gateway_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/i18n"
)

// grantsUser is a signed-in person's plain HTTP client of the gateway's
// pages, sending forms as a browser without JavaScript does.
type grantsUser struct {
	t    *testing.T
	base string
	name string
	c    *http.Client
}

type grantsReply struct {
	status int
	header http.Header
	body   string
}

var grantsFormToken = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func grantsSignIn(t *testing.T, base, username string) *grantsUser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	u := &grantsUser{t: t, base: base, name: username, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	r := u.post("/signin", u.token("/signin"), url.Values{"username": {username}, "password": {journeyPassword(username)}}, nil)
	if r.status != http.StatusSeeOther || strings.HasPrefix(r.header.Get("Location"), "/signin") {
		t.Fatalf("sign in %s = %d %s", username, r.status, r.header.Get("Location"))
	}
	return u
}

func (u *grantsUser) get(path string) grantsReply {
	u.t.Helper()
	resp, err := u.c.Get(u.base + path)
	if err != nil {
		u.t.Fatalf("%s GET %s: %v", u.name, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return grantsReply{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func (u *grantsUser) token(path string) string {
	u.t.Helper()
	r := u.get(path)
	m := grantsFormToken.FindStringSubmatch(r.body)
	if m == nil {
		u.t.Fatalf("%s: GET %s (%d) has no form token", u.name, path, r.status)
	}
	return m[1]
}

// post sends a multipart form with the form token and files (field →
// file name and content), as the apply form's enctype makes a browser do.
func (u *grantsUser) post(path, token string, fields url.Values, files map[string][2]string) grantsReply {
	u.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf_token", token)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	for field, f := range files {
		fw, _ := mw.CreateFormFile(field, f[0])
		_, _ = fw.Write([]byte(f[1]))
	}
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, u.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := u.c.Do(req)
	if err != nil {
		u.t.Fatalf("%s POST %s: %v", u.name, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return grantsReply{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func grantsHidden(t *testing.T, r grantsReply, name string) string {
	t.Helper()
	m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no hidden %s on the page (%d): %s", name, r.status, snippet(r.body))
	}
	return m[1]
}

// TestGrantDocumentsAgainstRealServices: a family member applies for the
// hardship programme without its required document; the real grants
// service refuses the submission and the form comes back with the error
// next to the documents and every value kept; the family member attaches
// the document as a file and submits the same draft; the caseworker sees
// the document on the application and downloads it.
func TestGrantDocumentsAgainstRealServices(t *testing.T) {
	t.Parallel()
	s := startRealSystem(t)
	// the family account is the officer's wife (registered by
	// startRealSystem): she applies as his dependant
	wife := waitDependant(t, s, s.member, "刘敏")
	fam := grantsSignIn(t, s.gateway, "family")

	form := fam.get("/grants/apply?program=" + url.QueryEscape(s.program))
	for _, want := range []string{`name="program_id" value="` + s.program + `"`, `name="doc" value="家庭收入证明"`, `id="file-0" name="file-0" type="file"`} {
		if !strings.Contains(form.body, want) {
			t.Fatalf("the form for the hardship programme lacks %s: %s", want, snippet(form.body))
		}
	}
	tok := grantsFormToken.FindStringSubmatch(form.body)[1]
	if !strings.Contains(form.body, `name="dependant_id" value="`+wife+`"`) {
		t.Errorf("the form does not offer the officer's wife as the dependant: %s", snippet(form.body))
	}
	values := url.Values{"program_id": {s.program}, "dependant_id": {wife}, "requested_amount": {"3000"}, "income_per_capita": {"1500"}, "documents": {"户口本复印件"}}
	refused := fam.post("/grants/apply", tok, values, nil)
	if refused.status != http.StatusUnprocessableEntity {
		t.Fatalf("submission without the income proof = %d, want 422: %s", refused.status, snippet(refused.body))
	}
	for _, want := range []string{`id="docs-error"`, "家庭收入证明", `name="requested_amount" type="text" autocomplete="off" inputmode="decimal" value="3000"`,
		`value="1500"`, "户口本复印件", `id="draft-kept"`} {
		if !strings.Contains(refused.body, want) {
			t.Errorf("the refused form lacks %s: %s", want, snippet(refused.body))
		}
	}
	appID := grantsHidden(t, refused, "app_id")
	values.Set("app_id", appID)
	values.Set("version", grantsHidden(t, refused, "version"))

	pdf := "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
	ok := fam.post("/grants/apply", tok, values, map[string][2]string{"file-0": {"收入证明.pdf", pdf}})
	if ok.status != http.StatusSeeOther || ok.header.Get("Location") != "/grants/applications/"+appID+"?m=submitted" {
		t.Fatalf("submission with the file = %d %s: %s", ok.status, ok.header.Get("Location"), snippet(ok.body))
	}
	// one application however many attempts, submitted with its file
	var mine struct {
		Items []struct {
			ID    string `json:"id"`
			State string `json:"state"`
		} `json:"items"`
	}
	list := fam.get("/api/v1/grants/applications?scope=mine")
	if err := json.Unmarshal([]byte(list.body), &mine); err != nil || len(mine.Items) != 1 || mine.Items[0].ID != appID || mine.Items[0].State != "submitted" {
		t.Fatalf("the family's applications: %s", list.body)
	}

	cw := grantsSignIn(t, s.gateway, "caseworker")
	var app struct {
		Documents []string `json:"documents"`
		Files     []struct {
			ID   string `json:"id"`
			Kind string `json:"kind"`
		} `json:"files"`
	}
	raw := cw.get("/api/v1/grants/applications/" + appID)
	if err := json.Unmarshal([]byte(raw.body), &app); err != nil || len(app.Files) != 1 || app.Files[0].Kind != "家庭收入证明" ||
		!slices.Contains(app.Documents, "家庭收入证明") {
		t.Fatalf("the caseworker reads %d %s", raw.status, raw.body)
	}
	page := cw.get("/grants/applications/" + appID)
	link := "/grants/applications/" + appID + "/documents/" + app.Files[0].ID
	if page.status != http.StatusOK || !strings.Contains(page.body, `id="files"`) || !strings.Contains(page.body, `href="`+link+`"`) ||
		!strings.Contains(page.body, "收入证明.pdf") {
		t.Fatalf("the caseworker's page does not list the document: %d %s", page.status, snippet(page.body))
	}
	dl := cw.get(link)
	if dl.status != http.StatusOK || dl.body != pdf || dl.header.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(dl.header.Get("Content-Disposition"), `attachment; filename="GA-2026-`) || dl.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("the caseworker's download = %d %v", dl.status, dl.header)
	}
	// The review shows the uploaded document as attached.
	if !strings.Contains(page.body, i18n.T(i18n.ZH, "web.review.documents_complete")) {
		t.Errorf("the caseworker's review does not count the uploaded document: %s", snippet(page.body))
	}
}

// waitDependant is the id of member's dependant called name once the
// grants service has learnt of it from enrollment's events.
func waitDependant(t *testing.T, s *realSystem, member, name string) string {
	t.Helper()
	cw := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
	var id string
	apptest.Eventually(t, 20*time.Second, "the dependant reached grants", func() bool {
		w := s.env.Do(t, s.h["grants"], &cw, "GET", "/api/v1/grants/members/"+member+"/dependants", nil)
		var out struct {
			Items []struct {
				ID   string `json:"dependant_id"`
				Name string `json:"name"`
			} `json:"items"`
		}
		_ = json.Unmarshal(w.Body.Bytes(), &out)
		for _, d := range out.Items {
			if d.Name == name {
				id = d.ID
			}
		}
		return id != ""
	})
	return id
}

// TestFamilyAppliesForDependantAgainstRealServices: the widow's account is
// linked to the officer who died on duty; the real grants service knows
// his dependants from enrollment's member events, the apply form offers
// them, and her application for the dependants-only martyr-family
// programme records her — not the officer — as the dependant, and is
// eligible. Naming the officer himself as the dependant is refused next to
// the choice.
func TestFamilyAppliesForDependantAgainstRealServices(t *testing.T) {
	t.Parallel()
	s := startRealSystem(t)
	cw := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
	s.call(t, cw, "POST", "/api/v1/enrollment/members/"+s.fallen+"/death", map[string]any{"date": "2026-11-20", "cause": "line_of_duty"}, 200, "If-Match", `"3"`)
	apptest.Eventually(t, 20*time.Second, "the fallen officer's death and dependants reached grants", func() bool {
		w := s.env.Do(t, s.h["grants"], &cw, "GET", "/api/v1/grants/notices", nil)
		var out struct {
			Items []map[string]any `json:"items"`
		}
		_ = json.Unmarshal(w.Body.Bytes(), &out)
		return w.Code == http.StatusOK && len(out.Items) == 2
	})
	// the martyr grant is computed from the national income of the year before
	admin := auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
	s.call(t, admin, "PUT", "/api/v1/grants/rates", map[string]any{"kind": "national_income", "valid_from": "2025-01-01", "amount": 5418800, "source": "测试"}, 200)
	var martyr string
	for _, p := range s.call(t, cw, "GET", "/api/v1/grants/programs", nil, 200)["items"].([]any) {
		if p := p.(map[string]any); p["code"] == "martyr" {
			martyr = p["id"].(string)
		}
	}

	widow := grantsSignIn(t, s.gateway, "widow")
	form := widow.get("/grants/apply?program=" + url.QueryEscape(martyr))
	m := regexp.MustCompile(`name="dependant_id" value="([^"]+)"> 李娜 \(配偶\)`).FindStringSubmatch(form.body)
	if m == nil || !strings.Contains(form.body, "王小明 (子女)") {
		t.Fatalf("the widow's form does not offer the officer's dependants: %s", snippet(form.body))
	}
	self := m[1]
	tok := grantsFormToken.FindStringSubmatch(form.body)[1]
	values := url.Values{"program_id": {martyr}, "dependant_id": {s.fallen}, "doc": {"烈士证明书"}}
	wrong := widow.post("/grants/apply", tok, values, nil)
	if wrong.status != http.StatusUnprocessableEntity || !strings.Contains(wrong.body, `id="dependant-error"`) ||
		!strings.Contains(wrong.body, i18n.T(i18n.ZH, "grants.field.not_a_dependant")) {
		t.Fatalf("the officer named as his own dependant = %d: %s", wrong.status, snippet(wrong.body))
	}
	values.Set("dependant_id", self)
	ok := widow.post("/grants/apply", tok, values, nil)
	if ok.status != http.StatusSeeOther || !strings.HasSuffix(ok.header.Get("Location"), "?m=submitted") {
		t.Fatalf("the widow's application = %d %s: %s", ok.status, ok.header.Get("Location"), snippet(ok.body))
	}
	var mine struct {
		Items []struct {
			ID          string `json:"id"`
			State       string `json:"state"`
			MemberID    string `json:"member_id"`
			DependantID string `json:"dependant_id"`
			ProgramName string `json:"program_name"`
		} `json:"items"`
	}
	list := widow.get("/api/v1/grants/applications?scope=mine")
	if err := json.Unmarshal([]byte(list.body), &mine); err != nil || len(mine.Items) != 1 {
		t.Fatalf("the widow's applications: %s", list.body)
	}
	if a := mine.Items[0]; a.MemberID != s.fallen || a.DependantID != self || a.State != "submitted" || a.ProgramName != "烈士及因公牺牲干警遗属抚恤" {
		t.Errorf("the application records %+v; want the fallen officer, the widow as dependant, submitted", a)
	}
	if page := widow.get("/grants"); !strings.Contains(page.body, "烈士及因公牺牲干警遗属抚恤") {
		t.Errorf("the widow's list does not name the programme: %s", snippet(page.body))
	}
}
