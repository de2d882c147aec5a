package domain

import (
	"bytes"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxDocumentBytes caps one upload at 20 MB.
const MaxDocumentBytes = 20 << 20

// Content types the case accepts. Nothing else is stored, so nothing stored
// can be executed or rendered as HTML by a browser.
const (
	TypePDF  = "application/pdf"
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
)

// DocumentKind says what a document is, for the checklist of a filing.
type DocumentKind string

// Document kinds.
const (
	DocMedicalRecord DocumentKind = "medical_record"  // 医疗诊断证明
	DocInvoice       DocumentKind = "invoice"         // hospital bill
	DocIncident      DocumentKind = "incident_report" // unit's account of the incident
	DocDecision      DocumentKind = "decision"        // 工伤认定决定书
	DocGrading       DocumentKind = "grading"         // 劳动能力鉴定结论
	DocPhoto         DocumentKind = "photo"
	DocOther         DocumentKind = "other"
)

// Valid reports whether k is a known kind.
func (k DocumentKind) Valid() bool {
	switch k {
	case DocMedicalRecord, DocInvoice, DocIncident, DocDecision, DocGrading, DocPhoto, DocOther:
		return true
	}
	return false
}

// magic numbers of the accepted types.
var (
	magicPDF  = []byte("%PDF-")
	magicJPEG = []byte{0xFF, 0xD8, 0xFF}
	magicPNG  = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}
)

// SniffDocument decides the content type from the first bytes, never from the
// name or the client's Content-Type, and enforces the size cap.
func SniffDocument(head []byte, size int64) (string, error) {
	switch {
	case size <= 0:
		return "", ErrEmptyDocument
	case size > MaxDocumentBytes:
		return "", ErrDocumentTooLarge
	case bytes.HasPrefix(head, magicPDF):
		return TypePDF, nil
	case bytes.HasPrefix(head, magicJPEG):
		return TypeJPEG, nil
	case bytes.HasPrefix(head, magicPNG):
		return TypePNG, nil
	}
	return "", ErrUnsupportedDocument
}

// extensions give a download the extension of its real type.
var extensions = map[string]string{TypePDF: ".pdf", TypeJPEG: ".jpg", TypePNG: ".png"}

// CleanFileName keeps a safe display name for a download: the base name
// without control characters, quotes or separators, at most 100 runes, with
// the extension of the sniffed type.
func CleanFileName(name, contentType string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.TrimSuffix(name, path.Ext(name))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || strings.ContainsRune(`"'/\;:<>|*?`, r) || r == utf8.RuneError {
			return '_'
		}
		return r
	}, name)
	name = strings.TrimSpace(strings.Trim(name, "."))
	if r := []rune(name); len(r) > 100 {
		name = string(r[:100])
	}
	if name == "" {
		name = "document"
	}
	return name + extensions[contentType]
}
