// Package docfile holds the rules every service applies to an uploaded
// document: its type is decided from its first bytes (PDF, JPEG or PNG
// only, never the file's name or the client's Content-Type), and the name
// kept for display is cleaned of anything that could break a header or a
// path.
package docfile

import (
	"bytes"
	"encoding/hex"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The content types a service stores. Nothing else is accepted, so nothing
// stored can be executed or rendered as a page by a browser.
const (
	TypePDF  = "application/pdf"
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
)

// magic numbers of the accepted types.
var (
	magicPDF  = []byte("%PDF-")
	magicJPEG = []byte{0xFF, 0xD8, 0xFF}
	magicPNG  = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}
)

// Sniff is the content type of a document that starts with head, and false
// when it is none of the accepted types.
func Sniff(head []byte) (string, bool) {
	switch {
	case bytes.HasPrefix(head, magicPDF):
		return TypePDF, true
	case bytes.HasPrefix(head, magicJPEG):
		return TypeJPEG, true
	case bytes.HasPrefix(head, magicPNG):
		return TypePNG, true
	}
	return "", false
}

// extensions give a stored document the extension of its real type.
var extensions = map[string]string{TypePDF: ".pdf", TypeJPEG: ".jpg", TypePNG: ".png"}

// MaxFileNameRunes caps the display name of a document before its
// extension: long enough for any real name, short enough for a list.
const MaxFileNameRunes = 100

// CleanFileName keeps a safe display name: the base name without control
// characters, quotes or separators, without the invisible characters that
// reorder text (bidi overrides and isolates, U+202A–U+202E and
// U+2066–U+2069, and the marks U+200E, U+200F, U+061C: "invoice\u202Efdp.exe"
// would show as "invoiceexe.pdf"), at most MaxFileNameRunes runes, with
// the extension of the sniffed contentType.
func CleanFileName(name, contentType string) string {
	name = strings.Map(func(r rune) rune {
		if isBidiControl(r) {
			return -1
		}
		return r
	}, name)
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.TrimSuffix(name, path.Ext(name))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || strings.ContainsRune(`"'/\;:<>|*?`, r) || r == utf8.RuneError {
			return '_'
		}
		return r
	}, name)
	name = strings.TrimSpace(strings.Trim(name, "."))
	if r := []rune(name); len(r) > MaxFileNameRunes {
		name = strings.TrimSpace(string(r[:MaxFileNameRunes]))
	}
	if name == "" {
		name = "document"
	}
	return name + extensions[contentType]
}

// isBidiControl reports the characters that change the display order of
// the text around them without showing themselves.
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x200E || r == 0x200F || r == 0x061C
}

// Serve sends a stored document as an attachment named name: its sniffed
// contentType, never rendered as a page (nosniff, a sandboxing CSP), never
// cached, with its SHA-256 so a client can check what it got.
func Serve(w http.ResponseWriter, name, contentType string, sum, content []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.Itoa(len(content)))
	h.Set("X-Content-SHA256", hex.EncodeToString(sum))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(content)
}
