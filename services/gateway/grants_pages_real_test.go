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
	fam := grantsSignIn(t, s.gateway, "family")

	form := fam.get("/grants/apply?program=" + url.QueryEscape(s.program))
	for _, want := range []string{`name="program_id" value="` + s.program + `"`, `name="doc" value="家庭收入证明"`, `id="file-0" name="file-0" type="file"`} {
		if !strings.Contains(form.body, want) {
			t.Fatalf("the form for the hardship programme lacks %s: %s", want, snippet(form.body))
		}
	}
	tok := grantsFormToken.FindStringSubmatch(form.body)[1]
	values := url.Values{"program_id": {s.program}, "requested_amount": {"3000"}, "income_per_capita": {"1500"}, "documents": {"户口本复印件"}}
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
