package httpapi

import (
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/docfile"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
)

// Documents of an application: POST …/documents stores one file
// (multipart/form-data: kind, file), GET …/documents/:doc sends it back.
// Modelled on the injury service's case documents: the type is sniffed
// from the content (PDF, JPEG, PNG only), the size capped, the download an
// attachment that a browser never renders as a page.

// maxUploadBody caps an upload's whole body: the file and the multipart
// framing and kind around it.
const maxUploadBody = domain.MaxDocumentBytes + 64<<10

// fileView is one uploaded document in an application's view.
type fileView struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	SizeBytes   int64     `json:"size_bytes"`
	SHA256      string    `json:"sha256"`
	UploadedBy  string    `json:"uploaded_by"`
	UploadedAt  time.Time `json:"uploaded_at"`
	DownloadURL string    `json:"download_url"`
}

func viewFile(d domain.Document) fileView {
	return fileView{ID: d.ID, Kind: d.Kind, FileName: d.FileName, ContentType: d.ContentType, SizeBytes: d.Size,
		SHA256: hex.EncodeToString(d.SHA256), UploadedBy: d.UploadedBy, UploadedAt: d.UploadedAt.UTC(),
		DownloadURL: "/api/v1/grants/applications/" + d.ApplicationID + "/documents/" + d.ID}
}

// caseworkerOf reports whether id is a caseworker of the application's unit.
func caseworkerOf(id auth.Identity, rec store.Record) bool {
	return id.Has(auth.RoleCaseworker) && id.InUnit(rec.App.UnitID)
}

// uploadDocument stores the form's file under its kind. Who may upload is
// checked before the body is read and again on the locked application.
func (a *API) uploadDocument(c *gin.Context) {
	rec, ok := a.loadVisible(c)
	if !ok {
		return
	}
	id := auth.Current(c)
	act := a.caller(c).Actor
	if err := rec.App.CheckUpload(act, caseworkerOf(id, rec)); err != nil {
		fail(c, err)
		return
	}
	// The whole form is held in memory: its cap is the body's.
	var tooLarge *http.MaxBytesError
	if err := c.Request.ParseMultipartForm(maxUploadBody); errors.As(err, &tooLarge) {
		fail(c, domain.ErrDocumentTooLarge.With(domain.MaxDocumentBytes>>20))
		return
	}
	kind := strings.TrimSpace(c.PostForm("kind"))
	var fields []fielderr.Problem
	var ve *fielderr.Invalid
	if errors.As(domain.CheckDocumentKind(kind), &ve) {
		fields = append(fields, ve.Problems...)
	}
	fh, err := c.FormFile("file")
	if err != nil {
		fields = append(fields, fielderr.Problem{Field: "file", Code: domain.CodeDocumentEmpty})
	}
	if len(fields) > 0 {
		fail(c, httpx.Invalid(fields...))
		return
	}
	f, err := fh.Open()
	if err != nil {
		fail(c, httpx.NewError(http.StatusBadRequest, httpx.CodeBadRequest).WithCause(err))
		return
	}
	defer f.Close()
	// one byte past the cap tells an oversized file from one at the cap
	content, err := io.ReadAll(io.LimitReader(f, domain.MaxDocumentBytes+1))
	if err != nil {
		fail(c, httpx.NewError(http.StatusBadRequest, httpx.CodeBadRequest).WithCause(err))
		return
	}
	contentType, err := domain.SniffDocument(content[:min(len(content), 16)], int64(len(content)))
	if err != nil {
		fail(c, err)
		return
	}
	doc, err := a.Store.AddDocument(c.Request.Context(), meta(c), rec.App.ID, store.NewDocument{Kind: kind,
		FileName: domain.CleanFileName(fh.Filename, contentType), ContentType: contentType, Content: content},
		func(fresh store.Record) error { return fresh.App.CheckUpload(act, caseworkerOf(id, fresh)) })
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/grants/applications/"+rec.App.ID+"/documents/"+doc.ID)
	c.JSON(http.StatusCreated, viewFile(doc))
}

// downloadDocument sends a document to whoever may see the application, as
// an attachment with its sniffed type, nosniff and a sandboxing CSP.
func (a *API) downloadDocument(c *gin.Context) {
	rec, ok := a.loadVisible(c)
	if !ok {
		return
	}
	doc, content, err := a.Store.ReadDocument(c.Request.Context(), meta(c), rec.App.ID, c.Param("doc"))
	if err != nil {
		fail(c, err)
		return
	}
	docfile.Serve(c.Writer, doc.FileName, doc.ContentType, doc.SHA256, content)
	c.Abort()
}
