package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/report"
)

// overviewReport answers GET /reports/overview: the grants figures of the
// committee's work overview (工作概览) for ?from&to (months) and ?unit
// (repeated). Approvers and leaders see every unit, unit heads their own
// units (without the county-wide fund and programmes); anybody else 403.
func (a *API) overviewReport(c *gin.Context) {
	now := a.Clock.Now()
	f, ok := report.Request(c, now)
	if !ok {
		return
	}
	r, err := a.Store.Report(c.Request.Context(), f, now)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}
