package care

import (
	"net/http"

	"github.com/gin-gonic/gin"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
)

// familyCareExport downloads the committee's CSV of every family
// (grants.yaml: exportCare). Names are masked unless the person ticked
// the box that says the unmasked export is recorded; the service writes
// that choice to the audit trail.
func (a *area) familyCareExport(c *gin.Context) {
	unmask := "false"
	switch c.Query("unmask") {
	case "":
	case "1", "true":
		unmask = "true"
	default:
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	api, err := a.GrantsDownload(c)
	var resp *http.Response
	if err == nil {
		// The file as it comes, not read whole: ClientInterface's method.
		resp, err = api.CareExport(c.Request.Context(), &grantsapi.CareExportParams{Unmask: unmask})
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	defer resp.Body.Close()
	name := "family-care.csv"
	if unmask == "true" {
		name = "family-care-unmasked.csv"
	}
	if err := webkit.PassFile(c, resp, "text/csv; charset=utf-8", `attachment; filename="`+name+`"`); err != nil {
		a.Log.WarnContext(c, "family-care export interrupted", "error", err)
	}
}
