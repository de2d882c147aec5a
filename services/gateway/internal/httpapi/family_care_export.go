package httpapi

import (
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
)

// familyCareExport downloads the committee's CSV of every family
// (grants.yaml: exportCare). Names are masked unless the person ticked
// the box that says the unmasked export is recorded; the service writes
// that choice to the audit trail.
func (h *handlers) familyCareExport(c *gin.Context) {
	unmask := "false"
	switch c.Query("unmask") {
	case "":
	case "1", "true":
		unmask = "true"
	default:
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	resp, err := h.Upstreams.Stream(c.Request.Context(), currentUser(c), lang(c), "grants", careAPI+"/export?unmask="+unmask)
	if err != nil {
		h.serviceFailed(c, err)
		return
	}
	defer resp.Body.Close()
	name := "family-care.csv"
	if unmask == "true" {
		name = "family-care-unmasked.csv"
	}
	hd := c.Writer.Header()
	hd.Set("Content-Type", "text/csv; charset=utf-8")
	hd.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "no-store")
	if resp.ContentLength >= 0 {
		hd.Set("Content-Length", strconv.FormatInt(resp.ContentLength, 10))
	}
	c.Status(http.StatusOK)
	if _, err := io.Copy(c.Writer, resp.Body); err != nil {
		h.Log.WarnContext(c, "family-care export interrupted", "error", err)
	}
	c.Abort()
}
