package grants_test

import (
	"bytes"
	"mime"
	"mime/multipart"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/auth"
)

var pdf = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// upload posts a multipart form with kind and, when name is not empty, a
// file of that name and content.
func (h *harness) upload(id *auth.Identity, appID, kind, name string, content []byte) *httptest.ResponseRecorder {
	h.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if kind != "" {
		_ = mw.WriteField("kind", kind)
	}
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			h.t.Fatal(err)
		}
		_, _ = fw.Write(content)
	}
	if err := mw.Close(); err != nil {
		h.t.Fatal(err)
	}
	return h.env.Do(h.t, h.h, id, "POST", "/api/v1/grants/applications/"+appID+"/documents", buf.Bytes(), "Content-Type", mw.FormDataContentType())
}

type fileJSON struct {
	ID          string `json:"id"`
	Kind        string `json:"kind"`
	FileName    string `json:"file_name"`
	ContentType string `json:"content_type"`
	SizeBytes   int64  `json:"size_bytes"`
	UploadedAt  string `json:"uploaded_at"`
	DownloadURL string `json:"download_url"`
}

type appFilesJSON struct {
	appJSON
	Documents []string   `json:"documents"`
	Files     []fileJSON `json:"files"`
}

// TestDocumentUploads: the applicant uploads the programme's required
// document to a draft, which then counts as attached at submission; what
// is too large, of another type, empty, or sent by someone who may not is
// refused and stores nothing; whoever sees the application downloads it
// as an attachment with a clean name.
func TestDocumentUploads(t *testing.T) {
	h := start(t)
	_, progID := h.setupFund(50000000)
	w := h.do(&officer, "POST", "/applications", map[string]any{"program_id": progID, "requested_amount": 500000,
		"form": map[string]any{"income_per_capita": 80000}}, 0)
	want(t, w, 201, "")
	app := decode[appJSON](t, w)

	// without the required document the submission names it
	msg := wantField(t, h.do(&officer, "POST", "/applications/"+app.ID+"/submit", nil, app.Version), "documents", "grants.field.missing_documents")
	if !strings.Contains(msg, "income_proof") {
		t.Errorf("missing documents message %q does not name income_proof", msg)
	}

	stored := func() int { return h.count(`SELECT count(*) FROM application_documents`) }
	for _, tc := range []struct {
		name        string
		who         auth.Identity
		kind, file  string
		content     []byte
		status      int
		code, field string
	}{
		{name: "html named pdf", who: officer, kind: "income_proof", file: "证明.pdf", content: []byte("<html><script>alert(1)</script></html>"), status: 415, code: "grants.document_type_unsupported"},
		{name: "exe", who: officer, kind: "income_proof", file: "a.exe", content: []byte("MZ\x90\x00\x03"), status: 415, code: "grants.document_type_unsupported"},
		{name: "one byte over 10 MiB", who: officer, kind: "income_proof", file: "big.pdf", content: append(slices.Clone(pdf), make([]byte, 10<<20-len(pdf)+1)...), status: 413, code: "grants.document_too_large"},
		{name: "a body far over the cap", who: officer, kind: "income_proof", file: "huge.pdf", content: append(slices.Clone(pdf), make([]byte, 12<<20)...), status: 413, code: "too_large"},
		{name: "empty file", who: officer, kind: "income_proof", file: "empty.pdf", content: []byte{}, status: 422, code: "validation_failed", field: "file"},
		{name: "no file", who: officer, kind: "income_proof", status: 422, code: "validation_failed", field: "file"},
		{name: "no kind", who: officer, file: "a.pdf", content: pdf, status: 422, code: "validation_failed", field: "kind"},
		{name: "kind too long", who: officer, kind: strings.Repeat("证", 30), file: "a.pdf", content: pdf, status: 422, code: "validation_failed", field: "kind"},
		{name: "someone else's application", who: stranger, kind: "income_proof", file: "a.pdf", content: pdf, status: 404, code: "not_found"},
		{name: "a caseworker of another unit", who: otherCW, kind: "income_proof", file: "a.pdf", content: pdf, status: 404, code: "not_found"},
		{name: "an auditor, who sees but may not upload", who: auditor, kind: "income_proof", file: "a.pdf", content: pdf, status: 403, code: "grants.upload_not_allowed"},
	} {
		w := h.upload(&tc.who, app.ID, tc.kind, tc.file, tc.content)
		if w.Code != tc.status || decode[map[string]any](t, w)["code"] != tc.code {
			t.Errorf("%s: %d %s, want %d %s", tc.name, w.Code, w.Body, tc.status, tc.code)
			continue
		}
		if tc.field != "" {
			named := false
			for _, e := range decode[problemJSON](t, w).Errors {
				named = named || e.Field == tc.field
			}
			if !named {
				t.Errorf("%s: no error on %s: %s", tc.name, tc.field, w.Body)
			}
		}
	}
	if n := stored(); n != 0 {
		t.Fatalf("refused uploads stored %d documents", n)
	}

	w = h.upload(&officer, app.ID, "income_proof", `..\..\"收入 证明".PDF`, pdf)
	want(t, w, 201, "")
	f := decode[fileJSON](t, w)
	if f.Kind != "income_proof" || f.FileName != "_收入 证明_.pdf" || f.ContentType != "application/pdf" || f.SizeBytes != int64(len(pdf)) ||
		f.UploadedAt == "" || f.DownloadURL != "/api/v1/grants/applications/"+app.ID+"/documents/"+f.ID {
		t.Errorf("uploaded %+v", f)
	}
	got := decode[appFilesJSON](t, h.do(&officer, "GET", "/applications/"+app.ID, nil, 0))
	if len(got.Files) != 1 || got.Files[0].ID != f.ID || !slices.Contains(got.Documents, "income_proof") {
		t.Fatalf("application shows files %+v, documents %v", got.Files, got.Documents)
	}
	if got.Version != app.Version {
		t.Errorf("an upload moved the version from %d to %d", app.Version, got.Version)
	}

	// the uploaded kind counts as attached
	w = h.do(&officer, "POST", "/applications/"+app.ID+"/submit", nil, app.Version)
	want(t, w, 200, "")
	app = decode[appJSON](t, w)
	if app.State != "submitted" {
		t.Fatalf("state %s after submitting with the uploaded document", app.State)
	}
	// after submission the applicant no longer uploads; the unit's caseworker still files papers
	want(t, h.upload(&officer, app.ID, "income_proof", "b.pdf", pdf), 409, "grants.transition_not_allowed")
	png := []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13}
	w = h.upload(&caseworker, app.ID, "bank_card", "卡.png", png)
	want(t, w, 201, "")
	if ct := decode[fileJSON](t, w).ContentType; ct != "image/png" {
		t.Errorf("png stored as %s", ct)
	}

	// downloads: whoever sees the application, as an attachment; the read is audited
	reads := h.count(`SELECT count(*) FROM audit_log WHERE action = 'grants.document.read'`)
	dl := h.env.Do(t, h.h, &caseworker, "GET", f.DownloadURL, nil)
	if dl.Code != 200 || !bytes.Equal(dl.Body.Bytes(), pdf) || dl.Header().Get("Content-Type") != "application/pdf" ||
		dl.Header().Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(dl.Header().Get("Content-Security-Policy"), "sandbox") {
		t.Fatalf("download = %d %v", dl.Code, dl.Header())
	}
	disp, params, err := mime.ParseMediaType(dl.Header().Get("Content-Disposition"))
	if err != nil || disp != "attachment" || params["filename"] != "_收入 证明_.pdf" {
		t.Errorf("Content-Disposition %q: %s %v %v", dl.Header().Get("Content-Disposition"), disp, params, err)
	}
	if n := h.count(`SELECT count(*) FROM audit_log WHERE action = 'grants.document.read'`); n != reads+1 {
		t.Errorf("the download was not audited: %d reads, want %d", n, reads+1)
	}
	for _, tc := range []struct {
		who  auth.Identity
		path string
	}{
		{stranger, f.DownloadURL},
		{otherCW, f.DownloadURL},
		{officer, "/api/v1/grants/applications/" + app.ID + "/documents/0190b3c4-0000-7000-8000-000000000000"},
		{officer, "/api/v1/grants/applications/" + app.ID + "/documents/not-a-uuid"},
	} {
		if w := h.env.Do(t, h.h, &tc.who, "GET", tc.path, nil); w.Code != 404 {
			t.Errorf("%s GET %s = %d, want 404", tc.who.UserID, tc.path, w.Code)
		}
	}
	// a document of one application is not reachable through another
	w = h.do(&officer, "POST", "/applications", map[string]any{"program_id": progID, "requested_amount": 100}, 0)
	want(t, w, 201, "")
	other := decode[appJSON](t, w)
	if w := h.env.Do(t, h.h, &officer, "GET", "/api/v1/grants/applications/"+other.ID+"/documents/"+f.ID, nil); w.Code != 404 {
		t.Errorf("document through another application = %d, want 404", w.Code)
	}
}
