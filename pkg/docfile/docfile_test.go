package docfile_test

import (
	"mime"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/anxin-welfare/anxin/pkg/docfile"
)

func TestSniff(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		head []byte
		want string
		ok   bool
	}{
		{"pdf", []byte("%PDF-1.7\n"), docfile.TypePDF, true},
		{"jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0}, docfile.TypeJPEG, true},
		{"png", []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0}, docfile.TypePNG, true},
		{"html", []byte("<html><script>"), "", false},
		{"pdf named in text", []byte(" %PDF-1.7"), "", false},
		{"empty", nil, "", false},
	} {
		got, ok := docfile.Sniff(tc.head)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: Sniff = %q %v, want %q %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestCleanFileName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, ct, want string }{
		{"诊断证明.pdf", docfile.TypePDF, "诊断证明.pdf"},
		{`C:\Users\x\photo.exe`, docfile.TypeJPEG, "photo.jpg"},
		{"../../etc/passwd", docfile.TypePNG, "passwd.png"},
		{"a\"b;c\r\nd.pdf", docfile.TypePDF, "a_b_c__d.pdf"},
		{"...", docfile.TypePDF, "document.pdf"},
		{strings.Repeat("长", 300) + ".pdf", docfile.TypePDF, strings.Repeat("长", 100) + ".pdf"},
		// Right-to-left override: "invoice\u202Efdp.exe" displays as
		// "invoiceexe.pdf". The override goes, the real type stays.
		{"invoice\u202Efdp.exe", docfile.TypePDF, "invoicefdp.pdf"},
		{"\u2066a\u2067b\u2068c\u2069\u202A\u202B\u202C\u202D\u200E\u200F\u061Cd.png", docfile.TypePNG, "abcd.png"},
		{"\u202E", docfile.TypePDF, "document.pdf"},
		{strings.Repeat("\u202E", 1000) + strings.Repeat("a", 150) + ".jpg", docfile.TypeJPEG, strings.Repeat("a", 100) + ".jpg"},
	} {
		got := docfile.CleanFileName(tc.in, tc.ct)
		if got != tc.want {
			t.Errorf("CleanFileName(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("CleanFileName(%q) is not UTF-8", tc.in)
		}
	}
}

func TestServe(t *testing.T) {
	t.Parallel()
	w := httptest.NewRecorder()
	docfile.Serve(w, "诊断 \"证明\".pdf", docfile.TypePDF, []byte{0xAB, 0x01}, []byte("%PDF-1.7"))
	h := w.Header()
	for k, want := range map[string]string{
		"Content-Type": docfile.TypePDF, "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store",
		"Content-Length": "8", "X-Content-SHA256": "ab01", "Content-Security-Policy": "default-src 'none'; sandbox",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	_, params, err := mime.ParseMediaType(h.Get("Content-Disposition"))
	if err != nil || params["filename"] != "诊断 \"证明\".pdf" || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") {
		t.Errorf("Content-Disposition %q (%v)", h.Get("Content-Disposition"), err)
	}
	if w.Code != 200 || w.Body.String() != "%PDF-1.7" {
		t.Errorf("%d %q", w.Code, w.Body)
	}
}
