package httpapi_test

import (
	"bytes"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// upload posts a file as the roster form does.
func (b *browser) upload(path, token, name string, content []byte) response {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf_token", token)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

func TestMembersPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("case1", domain.RoleCaseworker)
	e.user("officer1", domain.RoleOfficer)
	b := e.browser()
	b.signIn("case1")
	list := b.get("/work/members?name=张")
	if list.status != http.StatusOK || !strings.Contains(list.body, "110105********002X") || !strings.Contains(list.body, "城关派出所") {
		t.Fatalf("members %d", list.status)
	}
	one := b.get("/work/members/m-1")
	if one.status != http.StatusOK || !strings.Contains(one.body, "李四") || !strings.Contains(one.body, "配偶") {
		t.Fatalf("member %d", one.status)
	}
	if r := b.get("/work/members/m-404"); r.status != http.StatusNotFound {
		t.Errorf("unknown member = %d", r.status)
	}
	o := e.browser()
	o.signIn("officer1")
	if r := o.get("/work/members"); r.status != http.StatusForbidden {
		t.Errorf("officer on the registry = %d", r.status)
	}
}

var hiddenContent = regexp.MustCompile(`name="content" value="([^"]+)"`)

func TestRosterDryRunThenImport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("case1", domain.RoleCaseworker)
	b := e.browser()
	b.signIn("case1")
	tok := b.token("/work/roster")

	bad := b.upload("/work/roster", tok, "roster.csv", []byte("单位编码,姓名\nGA01,bad\n"))
	if bad.status != http.StatusOK || !strings.Contains(bad.body, `id="problems"`) || !strings.Contains(bad.body, "身份证号校验位不正确") ||
		strings.Contains(bad.body, `name="confirm"`) {
		t.Fatalf("dry run with problems = %d", bad.status)
	}
	if len(e.enrollment.imported) != 0 {
		t.Fatal("a dry run wrote")
	}
	if r := b.upload("/work/roster", tok, "roster.pdf", []byte("x")); r.status != http.StatusUnprocessableEntity {
		t.Errorf("pdf = %d", r.status)
	}

	good := []byte("单位编码,姓名\nGA01,王五\n")
	preview := b.upload("/work/roster", tok, "roster.csv", good)
	m := hiddenContent.FindStringSubmatch(preview.body)
	if preview.status != http.StatusOK || m == nil || !strings.Contains(preview.body, "新增 2 人") {
		t.Fatalf("preview = %d", preview.status)
	}
	done := b.post("/work/roster", url.Values{"csrf_token": {tok}, "confirm": {"1"}, "file_name": {"roster.csv"}, "content": {html.UnescapeString(m[1])}})
	if done.status != http.StatusOK || !strings.Contains(done.body, `id="imported"`) {
		t.Fatalf("import = %d", done.status)
	}
	if len(e.enrollment.imported) != 1 || !bytes.Equal(e.enrollment.imported[0], good) {
		t.Fatalf("service received %q", e.enrollment.imported)
	}
}
