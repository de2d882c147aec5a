package webkit

import (
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	injuryapi "github.com/anxin-welfare/anxin/api/client/injury"
)

// Areas stream files from grants and injury (a ledger export, the family
// care export, printed documents): their clients without the call timeout,
// as LeaveDownload is for leave's.

// GrantsDownload is Grants without the call timeout, for a file the page
// streams to the browser (the request's context bounds it).
func (k *Kit) GrantsDownload(c *gin.Context) (*grantsapi.ClientWithResponses, error) {
	server, d, err := k.doer(c, "grants", true)
	if err != nil {
		return nil, err
	}
	return grantsapi.NewClientWithResponses(server, grantsapi.WithHTTPClient(d))
}

// InjuryDownload is Injury without the call timeout, for a file the page
// streams to the browser.
func (k *Kit) InjuryDownload(c *gin.Context) (*injuryapi.ClientWithResponses, error) {
	server, d, err := k.doer(c, "injury", true)
	if err != nil {
		return nil, err
	}
	return injuryapi.NewClientWithResponses(server, injuryapi.WithHTTPClient(d))
}

// SendStoredDocument passes a document a service stores (an upload: PDF,
// JPEG or PNG) through to the browser as an attachment named base (a name
// the gateway made, never the uploader's), sandboxed, as PassFile does.
// resp's body is closed; the error is the copy's, for the caller to log
// (the status is sent by then).
func SendStoredDocument(c *gin.Context, resp *http.Response, base, contentType string) error {
	defer resp.Body.Close()
	ext, ctype := documentType(contentType)
	c.Writer.Header().Set("Content-Security-Policy", "sandbox")
	return PassFile(c, resp, ctype, fmt.Sprintf(`attachment; filename="%s.%s"`, base, ext))
}

// PassFile passes a file a service answers with (resp's body, copied as it
// comes, never read whole) on to the browser as contentType with the
// Content-Disposition given, neither sniffed nor stored, and ends the
// request. The caller closes the body; the error is the copy's, for the
// caller to log (the status is sent by then).
func PassFile(c *gin.Context, resp *http.Response, contentType, disposition string) error {
	hd := c.Writer.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("Content-Disposition", disposition)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "no-store")
	if resp.ContentLength >= 0 {
		hd.Set("Content-Length", strconv.FormatInt(resp.ContentLength, 10))
	}
	c.Status(http.StatusOK)
	_, err := io.Copy(c.Writer, resp.Body)
	c.Abort()
	return err
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
