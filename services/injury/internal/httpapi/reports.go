package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/report"
)

// overviewReport answers GET /reports/overview: the injury figures of the
// committee's work overview (工作概览) for ?from&to (months) and ?unit
// (repeated), read from the reporting tables. Approvers and leaders see
// every unit, unit heads their own units; anybody else 403.
func (h *Handler) overviewReport(c *gin.Context) {
	f, ok := report.Request(c, h.Clock.Now())
	if !ok {
		return
	}
	r, err := h.Store.Report(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}
