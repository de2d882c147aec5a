package httpapi

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Comments and documents on an injury case (injury.yaml: addComment,
// listDocuments, uploadDocument, downloadDocument). Comments show in the
// case's timeline; the service decides who may add either.

// maxDocument is the injury service's limit on one document (20 MB).
const maxDocument = 20 << 20

// maxDocumentForm caps the body of the upload form: the file and the form
// around it.
const maxDocumentForm = maxDocument + 1<<20

// maxComment is the injury API's longest comment, in characters.
const maxComment = 4000

// injuryDocument is one document of GET /cases/{id}/documents.
type injuryDocument struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	SizeBytes   int64     `json:"size_bytes"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

// SizeKB is the document's size in kilobytes, rounded up, for the page.
func (d injuryDocument) SizeKB() int64 { return (d.SizeBytes + 1023) / 1024 }

// documentKinds are the kinds the injury API accepts, in the order a
// person most often needs them.
var documentKinds = []string{"medical_record", "invoice", "incident_report", "decision", "grading", "photo", "other"}

func documentKindOptions() []web.Option {
	out := make([]web.Option, 0, len(documentKinds))
	for _, k := range documentKinds {
		out = append(out, web.Option{Value: k, Label: "web.injury.document_kind." + k})
	}
	return out
}

func (h *handlers) registerInjuryNotes(g, documents *gin.RouterGroup) {
	g.POST("/cases/:id/comments", h.requireUser(), h.injuryComment)
	documents.POST("/cases/:id/documents", h.requireUser(), h.injuryUpload)
	g.GET("/cases/:id/documents/:doc", h.requireUser(), h.injuryDocumentDownload)
}

// injuryComment adds the form's comment to the case's timeline.
func (h *handlers) injuryComment(c *gin.Context) {
	body := strings.TrimSpace(c.PostForm("comment"))
	form := web.NewForm().Set("comment", body)
	switch n := len([]rune(body)); {
	case n == 0:
		form.AddError("comment", web.Msg("web.injury.comment_required"))
	case n > maxComment:
		form.AddError("comment", web.Msg("web.injury.comment_too_long", maxComment))
	}
	if form.HasErrors() {
		h.renderInjuryCase(c, http.StatusUnprocessableEntity, "comment", form, nil)
		return
	}
	id := url.PathEscape(c.Param("id"))
	if _, err := h.call(c, http.MethodPost, "injury", injuryAPI+"/cases/"+id+"/comments", 0, map[string]string{"body": body}, nil); err != nil {
		if problemOnForm(err, form, map[string]string{"body": "comment"}) {
			h.renderInjuryCase(c, statusOf(err), "comment", form, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/cases/"+id+"?m=commented#timeline")
}

// injuryUpload sends the chosen file to the case as it is: the service
// decides its type from its content and refuses what is not a PDF, JPEG
// or PNG.
func (h *handlers) injuryUpload(c *gin.Context) {
	kind := c.PostForm("document_kind")
	form := web.NewForm().Set("document_kind", kind)
	if !slices.Contains(documentKinds, kind) {
		form.AddError("document_kind", web.Msg("web.injury.document_kind_required"))
	}
	var (
		data     []byte
		fileName string
	)
	fh, err := c.FormFile("document")
	switch {
	case err != nil:
		form.AddError("document", web.Msg("web.injury.document_required"))
	case fh.Size > maxDocument:
		form.AddError("document", web.Msg("web.injury.document_too_large"))
	default:
		f, err := fh.Open()
		if err != nil {
			h.fail(c, err)
			return
		}
		defer f.Close()
		data, err = io.ReadAll(io.LimitReader(f, maxDocument+1))
		if err != nil {
			h.fail(c, err)
			return
		}
		if len(data) == 0 {
			form.AddError("document", web.Msg("web.injury.document_required"))
		}
		fileName = path.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
	}
	if form.HasErrors() {
		h.renderInjuryCase(c, http.StatusUnprocessableEntity, "document", form, nil)
		return
	}
	id := url.PathEscape(c.Param("id"))
	q := url.Values{"kind": {kind}, "file_name": {fileName}}
	_, err = h.call(c, http.MethodPost, "injury", injuryAPI+"/cases/"+id+"/documents?"+q.Encode(), 0,
		RawBody{ContentType: "application/octet-stream", Data: data}, nil)
	if err != nil {
		if problemOnForm(err, form, map[string]string{"kind": "document_kind", "file_name": "document", "body": "document"}) {
			// a refusal without a field (415 not a PDF, JPEG or PNG; 413)
			// is about the file: show it next to the file field
			for _, m := range form.General() {
				form.AddError("document", m)
			}
			moved := web.NewForm().Set("document_kind", kind)
			for _, name := range []string{"document_kind", "document"} {
				for _, m := range form.Errors(name) {
					moved.AddError(name, m)
				}
			}
			h.renderInjuryCase(c, statusOf(err), "document", moved, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/cases/"+id+"?m=uploaded#documents")
}

// injuryDocumentDownload passes a document through as an attachment, with
// a name built only from safe characters: the file name a person uploaded
// never reaches a header.
func (h *handlers) injuryDocumentDownload(c *gin.Context) {
	id, doc := c.Param("id"), c.Param("doc")
	var list struct {
		Documents []injuryDocument `json:"documents"`
	}
	if _, err := h.call(c, http.MethodGet, "injury", injuryAPI+"/cases/"+url.PathEscape(id)+"/documents", 0, nil, &list); err != nil {
		h.serviceFailed(c, err)
		return
	}
	i := slices.IndexFunc(list.Documents, func(d injuryDocument) bool { return d.ID == doc })
	if i < 0 {
		h.errorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	d := list.Documents[i]
	h.streamDocument(c, "injury", injuryAPI+"/cases/"+url.PathEscape(id)+"/documents/"+url.PathEscape(doc)+"/content",
		d.ContentType, safeName(d.Kind)+"-"+safeName(d.ID))
}

// streamDocument sends a stored document of service, read at path, as an
// attachment named base plus the extension of its type. The name is the
// gateway's own, from ids and codes, so nothing an uploader chose reaches
// the header; the document is never sniffed, rendered as a page or cached.
func (h *handlers) streamDocument(c *gin.Context, service, path, contentType, base string) {
	resp, err := h.Upstreams.Stream(c.Request.Context(), currentUser(c), lang(c), service, path)
	if err != nil {
		h.serviceFailed(c, err)
		return
	}
	defer resp.Body.Close()
	ext, ctype := documentType(contentType)
	hd := c.Writer.Header()
	hd.Set("Content-Type", ctype)
	hd.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, base, ext))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "sandbox")
	hd.Set("Cache-Control", "no-store")
	if resp.ContentLength >= 0 {
		hd.Set("Content-Length", strconv.FormatInt(resp.ContentLength, 10))
	}
	c.Status(http.StatusOK)
	if _, err := io.Copy(c.Writer, resp.Body); err != nil {
		h.Log.WarnContext(c, "document download interrupted", "service", service, "path", path, "error", err)
	}
	c.Abort()
}

// documentType is the extension and Content-Type of a stored document:
// only the three types the service stores, anything else as bytes.
func documentType(ct string) (ext, contentType string) {
	switch ct {
	case "application/pdf":
		return "pdf", ct
	case "image/jpeg":
		return "jpg", ct
	case "image/png":
		return "png", ct
	}
	return "bin", "application/octet-stream"
}
