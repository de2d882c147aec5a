package httpapi

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// What httpapi's remaining pages still share of the areas that moved out
// (the injury area to pages/injury, /my to pages/my, leave to pages/leave):
// the document form's cap, the grants document download, and the list and
// refused-form helpers. Each goes when its last user moves to the generated
// clients (issue 15).

// maxDocument is the services' limit on one case document (20 MB).
const maxDocument = 20 << 20

// maxDocumentForm caps the body of the document upload forms: the file and
// the form around it.
const maxDocumentForm = maxDocument + 1<<20

// itemsOf is a list page of pkg/page as the hand-built reads decode it.
type itemsOf[T any] struct {
	Items []T `json:"items"`
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
// only the three types the services store, anything else as bytes.
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

// statusOf is the status to answer a refused form with: the service's 409
// or 403 stays as it is, anything else is 422.
func statusOf(err error) int {
	var ae *APIError
	if errors.As(err, &ae) && (ae.Status == http.StatusConflict || ae.Status == http.StatusForbidden) {
		return ae.Status
	}
	return http.StatusUnprocessableEntity
}

func flatten(f *web.Form) []web.Message {
	var out []web.Message
	for _, fe := range f.FieldErrors() {
		out = append(out, fe.Message)
	}
	return out
}
