// Package pdftest reads printed documents back in tests the way a person
// would: the text poppler's pdftotext extracts, and each page rendered by
// pdftoppm to a PNG kept as the test's artifact (go test -artifacts keeps
// them under -outputdir; scripts/test.sh installs poppler-utils).
package pdftest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// Text is the document's text as pdftotext extracts it, in the order it
// was drawn (-raw), so a table cell's wrapped lines stay together.
// A missing pdftotext fails the test: these tests never skip.
func Text(t testing.TB, pdf []byte) string {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", head(pdf))
	}
	cmd := exec.CommandContext(context.Background(), "pdftotext", "-raw", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("pdftotext (poppler-utils; scripts/test.sh installs it): %v: %s", err, errb.String())
	}
	return out.String()
}

// Contains fails the test unless the document's text holds every want.
// Whitespace is ignored on both sides, since a table cell's text may wrap.
func Contains(t testing.TB, pdf []byte, wants ...string) string {
	t.Helper()
	text := Text(t, pdf)
	flat := squeeze(text)
	for _, w := range wants {
		if !strings.Contains(flat, squeeze(w)) {
			t.Errorf("the document's text lacks %q; it reads:\n%s", w, text)
		}
	}
	return text
}

// Lacks fails the test if the document's text holds any of the strings.
func Lacks(t testing.TB, pdf []byte, unwanted ...string) {
	t.Helper()
	text := Text(t, pdf)
	flat := squeeze(text)
	for _, u := range unwanted {
		if strings.Contains(flat, squeeze(u)) {
			t.Errorf("the document's text holds %q, which it must not; it reads:\n%s", u, text)
		}
	}
}

// Render draws every page with pdftoppm at 100 dpi into the test's
// artifact directory as name-1.png, name-2.png …, and returns their paths.
func Render(t *testing.T, pdf []byte, name string) []string {
	t.Helper()
	dir := t.ArtifactDir()
	src := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(src, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(context.Background(), "pdftoppm", "-png", "-r", "100", src, filepath.Join(dir, name))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm (poppler-utils; scripts/test.sh installs it): %v: %s", err, out)
	}
	pages, err := filepath.Glob(filepath.Join(dir, name+"-*.png"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("pdftoppm drew no page of %s (%v)", name, err)
	}
	for _, p := range pages {
		t.Logf("rendered %s", p)
	}
	return pages
}

func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func head(b []byte) []byte {
	if len(b) > 40 {
		return b[:40]
	}
	return b
}
