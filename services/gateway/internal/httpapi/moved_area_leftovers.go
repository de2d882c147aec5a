package httpapi

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// What httpapi's remaining pages still share of the areas that moved out
// (the injury area to pages/injury, /my to pages/my, leave to pages/leave):
// the hand-built reads of the overview, the parameters and the print links,
// the calculators' explanation lines, the grants document download, and
// the list and refused-form helpers. Each goes when its last user moves to the
// generated clients (issue 15).

const (
	injuryAPI = "/api/v1/injury"
	leaveAPI  = "/api/v1/leave"
)

// maxDocument is the services' limit on one case document (20 MB).
const maxDocument = 20 << 20

// maxDocumentForm caps the body of the document upload forms: the file and
// the form around it.
const maxDocumentForm = maxDocument + 1<<20

type itemsOf[T any] struct {
	Items []T `json:"items"`
}

var nursingOptions = []web.Option{
	{Value: "none", Label: "web.injury.nursing.none"},
	{Value: "partial", Label: "web.injury.nursing.partial"},
	{Value: "most", Label: "web.injury.nursing.most"},
	{Value: "total", Label: "web.injury.nursing.total"},
}

// maxWageMonths is the most months of wages the injury API takes.
const maxWageMonths = 12

// calcLine is one step of an explanation: a catalogue key of the injury
// service with its arguments, and the amount it comes to.
type calcLine struct {
	Code      string   `json:"code"`
	Args      []string `json:"args"`
	AmountFen int64    `json:"amount_fen"`
}

// Message is the line in the reader's language.
func (l calcLine) Message() web.Message {
	args := make([]any, 0, len(l.Args))
	for _, a := range l.Args {
		args = append(args, a)
	}
	return web.Msg(l.Code, args...)
}

// calcExplanation is one calculated item with its steps.
type calcExplanation struct {
	Item     string     `json:"item"`
	Lines    []calcLine `json:"lines"`
	TotalFen int64      `json:"total_fen"`
}

// parseWages reads monthly wages in yuan separated by spaces, commas or
// new lines (as pasted from a payroll sheet).
func parseWages(s string) ([]int64, bool) {
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || r == ' ' || r == '\n' || r == '\r' || r == '\t'
	})
	out := make([]int64, 0, len(fields))
	for _, f := range fields {
		fen, err := money.Parse(f)
		if err != nil || fen < 0 {
			return nil, false
		}
		out = append(out, int64(fen))
	}
	return out, true
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
