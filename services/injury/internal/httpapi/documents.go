package httpapi

import (
	"encoding/hex"
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/docfile"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

type documentsView struct {
	Documents []documentView `json:"documents"`
}

type documentView struct {
	store.Document
	SHA256 string `json:"sha256"`
}

func viewDocument(d store.Document) documentView {
	return documentView{Document: d, SHA256: hex.EncodeToString(d.SHA256)}
}

// listDocuments lists the case's documents: all for the member and staff,
// only their own uploads for a reporting colleague.
func (h *Handler) listDocuments(c *gin.Context) {
	who, ok := h.actor(c)
	if !ok {
		return
	}
	cs, access, ok := h.loadVisible(c, who, domain.AccessReporter)
	if !ok {
		return
	}
	docs, err := h.Store.Documents(c.Request.Context(), cs.ID)
	if err != nil {
		fail(c, err)
		return
	}
	out := documentsView{Documents: make([]documentView, 0, len(docs))}
	for _, d := range docs {
		if access == domain.AccessReporter && d.UploadedBy != who.UserID {
			continue
		}
		out.Documents = append(out.Documents, viewDocument(d))
	}
	c.JSON(http.StatusOK, out)
}

// uploadDocument stores the request body as a document:
// POST /cases/:id/documents?kind=medical_record&file_name=诊断.pdf. The type
// is decided by the content (PDF, JPEG, PNG), never by the name or the
// Content-Type; over 20 MB is 413, anything else 415.
func (h *Handler) uploadDocument(c *gin.Context) {
	who, ok := h.actor(c)
	if !ok {
		return
	}
	var fe fieldErrors
	kind := domain.DocumentKind(c.Query("kind"))
	if !kind.Valid() {
		fe.add("kind", "injury.document_kind_invalid")
	}
	// Read one byte past the cap so an oversized body is recognised even
	// without a Content-Length.
	content, err := io.ReadAll(io.LimitReader(c.Request.Body, domain.MaxDocumentBytes+1))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		fail(c, domain.ErrDocumentTooLarge)
		return
	case err != nil:
		httpx.Respond(c, httpx.NewError(http.StatusBadRequest, httpx.CodeBadRequest).WithCause(err))
		return
	}
	contentType, err := domain.SniffDocument(content[:min(len(content), 16)], int64(len(content)))
	if err != nil {
		fail(c, err)
		return
	}
	if err := fe.err(); err != nil {
		httpx.Respond(c, err)
		return
	}
	name := domain.CleanFileName(c.Query("file_name"), contentType)
	doc, err := h.Store.AddDocument(c.Request.Context(), h.meta(c, who), c.Param("id"),
		store.NewDocument{Kind: kind, FileName: name, ContentType: contentType, Content: content},
		func(cs *domain.Case) error {
			if cs.AccessFor(who) < domain.AccessReporter {
				return errNoAccess
			}
			return nil
		})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, viewDocument(doc))
}

// downloadDocument sends a document as an attachment with its sniffed type,
// nosniff and a sandboxing CSP, so a browser never renders it as a page.
func (h *Handler) downloadDocument(c *gin.Context) {
	who, ok := h.actor(c)
	if !ok {
		return
	}
	cs, access, ok := h.loadVisible(c, who, domain.AccessReporter)
	if !ok {
		return
	}
	doc, content, err := h.Store.ReadDocument(c.Request.Context(), h.meta(c, who), cs.ID, c.Param("doc"), func(d store.Document) error {
		if access == domain.AccessReporter && d.UploadedBy != who.UserID {
			return errNoAccess
		}
		return nil
	})
	if err != nil {
		fail(c, err)
		return
	}
	docfile.Serve(c.Writer, doc.FileName, doc.ContentType, doc.SHA256, content)
	c.Abort()
}
