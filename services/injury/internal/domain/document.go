package domain

import (
	"github.com/anxin-welfare/anxin/pkg/docfile"
)

// MaxDocumentBytes caps one upload at 20 MB.
const MaxDocumentBytes = 20 << 20

// Content types the case accepts. Nothing else is stored, so nothing stored
// can be executed or rendered as HTML by a browser.
const (
	TypePDF  = docfile.TypePDF
	TypeJPEG = docfile.TypeJPEG
	TypePNG  = docfile.TypePNG
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

// SniffDocument decides the content type from the first bytes, never from the
// name or the client's Content-Type, and enforces the size cap.
func SniffDocument(head []byte, size int64) (string, error) {
	switch {
	case size <= 0:
		return "", ErrEmptyDocument
	case size > MaxDocumentBytes:
		return "", ErrDocumentTooLarge
	}
	if ct, ok := docfile.Sniff(head); ok {
		return ct, nil
	}
	return "", ErrUnsupportedDocument
}

// CleanFileName keeps a safe display name: the base name without control
// characters, quotes or separators, at most 100 runes, with the extension
// of the sniffed type (pkg/docfile).
func CleanFileName(name, contentType string) string { return docfile.CleanFileName(name, contentType) }
