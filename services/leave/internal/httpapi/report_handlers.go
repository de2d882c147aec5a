package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/report"
)

// overviewReport answers GET /reports/overview: the leave and care figures
// of the committee's work overview (工作概览) for the years ?from&to
// (months) touch and ?unit (repeated). Approvers and leaders see every
// unit, unit heads their own units; anybody else 403.
func (a *API) overviewReport(c *gin.Context) {
	f, ok := report.Request(c, a.clk.Now())
	if !ok {
		return
	}
	r, err := a.store.Report(c.Request.Context(), f)
	if err != nil {
		respond(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

type uptakeTargetInput struct {
	TargetPercent *int `json:"target_percent"`
}

// putUptakeTarget sets the committee's annual-leave uptake target for a
// year (PUT /reports/uptake-targets/{year}, approvers and leaders,
// audited). If-Match is optional: a target is a setting, and the last
// writer wins unless the writer says which version it changes.
func (a *API) putUptakeTarget(c *gin.Context) {
	y, err := strconv.Atoi(c.Param("year"))
	if err != nil || y < 2000 || y > 2999 {
		httpx.Respond(c, httpx.NotFound())
		return
	}
	var in uptakeTargetInput
	if !bind(c, &in) {
		return
	}
	switch {
	case in.TargetPercent == nil:
		httpx.Respond(c, httpx.Invalid(fielderr.Problem{Field: "target_percent", Code: "field.required"}))
		return
	case *in.TargetPercent < 0 || *in.TargetPercent > 100:
		httpx.Respond(c, httpx.Invalid(fielderr.Problem{Field: "target_percent", Code: "field.range", Args: []any{0, 100}}))
		return
	}
	v, _, err := httpx.IfMatch(c)
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	t, err := a.store.SetUptakeTarget(c.Request.Context(), y, *in.TargetPercent*100, v, auth.Current(c).UserID)
	if err != nil {
		respond(c, err)
		return
	}
	httpx.SetETag(c, t.Version)
	c.JSON(http.StatusOK, t)
}
