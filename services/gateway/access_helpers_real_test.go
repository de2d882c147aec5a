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
	"strings"
	"testing"
	"time"
)

// accessUser is a signed-in user of the real gateway, its cookie jar and
// its session's form token.
type accessUser struct {
	name string
	base string
	c    *http.Client
	csrf string
}

// accessReply is an answer of the gateway.
type accessReply struct {
	status int
	header http.Header
	body   string
}

var accessFormToken = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func accessSignIn(t *testing.T, base, username string) *accessUser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	u := &accessUser{name: username, base: base, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	u.csrf = u.token(t, "/signin")
	r := u.page(t, http.MethodPost, "/signin", url.Values{"username": {username}, "password": {journeyPassword(username)}})
	if r.status != http.StatusSeeOther || strings.HasPrefix(r.header.Get("Location"), "/signin") {
		t.Fatalf("sign in %s = %d %s", username, r.status, r.header.Get("Location"))
	}
	u.csrf = u.token(t, "/account")
	return u
}

func (u *accessUser) token(t *testing.T, path string) string {
	t.Helper()
	r := u.send(t, http.MethodGet, path, "", nil)
	m := accessFormToken.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("%s: GET %s (%d) has no form token", u.name, path, r.status)
	}
	return m[1]
}

func (u *accessUser) send(t *testing.T, method, path, ctype string, body io.Reader, headers ...string) accessReply {
	t.Helper()
	req, err := http.NewRequest(method, u.base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := u.c.Do(req)
	if err != nil {
		t.Fatalf("%s %s %s: %v", u.name, method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return accessReply{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// page sends a page request; a POST carries the form and the session's
// form token.
func (u *accessUser) page(t *testing.T, method, path string, form url.Values) accessReply {
	t.Helper()
	if method == http.MethodGet {
		return u.send(t, method, path, "", nil)
	}
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf_token", u.csrf)
	return u.send(t, method, path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

// multipart posts a form with files as the browser does, with the form
// token.
func (u *accessUser) multipart(t *testing.T, path string, fields url.Values, files map[string][]byte) accessReply {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf_token", u.csrf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	for name, data := range files {
		fw, _ := mw.CreateFormFile(name, "照片.png")
		_, _ = fw.Write(data)
	}
	_ = mw.Close()
	return u.send(t, http.MethodPost, path, mw.FormDataContentType(), &buf)
}

// upload posts a case document form: the kind and the file.
func (u *accessUser) upload(t *testing.T, path string, file []byte) accessReply {
	t.Helper()
	return u.multipart(t, path, url.Values{"document_kind": {"photo"}}, map[string][]byte{"document": file})
}

// grantFilePart is an application's document upload as the grants API
// takes it: multipart with the kind and the file.
func grantFilePart(png []byte) (string, []byte) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("kind", "家庭收入证明")
	fw, _ := mw.CreateFormFile("file", "收入证明.png")
	_, _ = fw.Write(png)
	_ = mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

// api calls /api/v1/… through the gateway's proxy with the session cookie
// and its token; body is JSON, or raw bytes sent as they are.
func (u *accessUser) api(t *testing.T, method, path string, body any, headers ...string) accessReply {
	t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, ctype = bytes.NewReader(b), "application/octet-stream"
	case accessRawBody:
		rd, ctype = bytes.NewReader(b.data), b.ctype
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd, ctype = bytes.NewReader(raw), "application/json"
	}
	return u.send(t, method, path, ctype, rd, append([]string{"X-CSRF-Token", u.csrf}, headers...)...)
}

// accessRawBody is an API body sent as it is, with its type.
type accessRawBody struct {
	ctype string
	data  []byte
}

// read is a GET of the API that must answer 200, decoded.
func (u *accessUser) read(t *testing.T, path string) (map[string]any, string) {
	t.Helper()
	r := u.api(t, http.MethodGet, path, nil)
	if r.status != http.StatusOK {
		t.Fatalf("%s GET %s = %d: %s", u.name, path, r.status, r.body)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		t.Fatalf("%s GET %s: %v", u.name, path, err)
	}
	return out, r.body
}

// accessExcerpt is a short text of an answer for failure messages.
func accessExcerpt(r accessReply) string {
	if strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		return snippet(r.body)
	}
	if len(r.body) > 300 {
		return r.body[:300]
	}
	return r.body
}

// waitForCoverage reads the case as its officer until injury has recorded
// the coverage check's outcome (any status but pending), and returns that
// read. It fails after a minute: the check is one NATS request away.
func waitForCoverage(t *testing.T, u *accessUser, caseID string) map[string]any {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); ; {
		cs, body := u.read(t, "/api/v1/injury/cases/"+caseID)
		cov, _ := cs["coverage"].(map[string]any)
		if cov != nil && cov["status"] != "pending" {
			return cs
		}
		if time.Now().After(deadline) {
			t.Fatalf("the case's coverage check never concluded: %s", snippet(body))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
