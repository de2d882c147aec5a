package domain

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/anxin-welfare/anxin/pkg/docfile"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/roles"
)

// MaxDocumentBytes caps one uploaded document at 10 MiB: a scan or a phone
// photo of a certificate, several of which may come in one form.
const MaxDocumentBytes = 10 << 20

// Content types an application accepts. Nothing else is stored, so nothing
// stored can be executed or rendered as a page by a browser.
const (
	TypePDF  = docfile.TypePDF
	TypeJPEG = docfile.TypeJPEG
	TypePNG  = docfile.TypePNG
)

// Document is an uploaded file of an application, without its content.
// Its Kind names what it is, in the words of the programme's required
// documents, and counts as attached for the required-documents check.
type Document struct {
	ID            string
	ApplicationID string
	Kind          string
	FileName      string
	ContentType   string
	Size          int64
	SHA256        []byte
	UploadedBy    string
	UploadedAt    time.Time
}

// SniffDocument decides the content type from the first bytes, never from
// the file's name or the client's Content-Type, and enforces the size cap.
func SniffDocument(head []byte, size int64) (string, error) {
	switch {
	case size <= 0:
		return "", fielderr.Fail("file", CodeDocumentEmpty)
	case size > MaxDocumentBytes:
		return "", ErrDocumentTooLarge.With(MaxDocumentBytes >> 20)
	}
	if ct, ok := docfile.Sniff(head); ok {
		return ct, nil
	}
	return "", ErrDocumentType
}

// CheckDocumentKind validates the kind an upload is filed under: the same
// rule as a document named in the application's documents list.
func CheckDocumentKind(kind string) error {
	switch {
	case strings.TrimSpace(kind) == "":
		return fielderr.Fail("kind", CodeRequired)
	case len(kind) > MaxCodeLen:
		return fielderr.Fail("kind", CodeTooLong, MaxCodeLen)
	case strings.IndexFunc(kind, unicode.IsControl) >= 0 || !utf8.ValidString(kind):
		return fielderr.Fail("kind", CodeUnknownValue, strings.ToValidUTF8(kind, "?"))
	}
	return nil
}

// CleanFileName keeps a safe display name: the base name without control
// characters, quotes or separators, at most 100 runes, with the extension
// of the sniffed type (pkg/docfile).
func CleanFileName(name, contentType string) string { return docfile.CleanFileName(name, contentType) }

// AttachedDocuments is every document kind the application has: those
// named in its documents list and those of its uploaded files.
func (a *Application) AttachedDocuments() []string {
	out := slices.Clone(a.Documents)
	for _, k := range a.UploadedKinds {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// CheckUpload says whether actor may add a file to the application now:
// the applicant (or whoever prepared it) while it is a draft or returned
// for changes; a caseworker of the application's unit (caseworkerOfUnit)
// while it is still open, to file what the applicant handed in on paper.
func (a *Application) CheckUpload(actor Actor, caseworkerOfUnit bool) error {
	open := []State{StateDraft, StateSubmitted, StateReviewed, StateReturned}
	switch {
	case caseworkerOfUnit && actor.Has(roles.Caseworker):
		return a.require(open...)
	case actor.UserID == a.ApplicantUserID || actor.UserID == a.PreparedBy:
		return a.require(StateDraft, StateReturned)
	}
	return ErrUploadNotAllowed
}
