package httpapi

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The year's end of annual leave: finance's unused-days compensation report
// (GET /api/v1/leave/compensation/{year}, with its CSV and XLSX exports)
// and the administrator's year-end rollover (POST /rollovers/{year}).

// compensationLine is a line of the report; amounts are yuan as the leave
// service writes them, exact from fen.
type compensationLine struct {
	MemberID   string `json:"member_id"`
	UnitID     string `json:"unit_id"`
	Category   string `json:"category"`
	UnusedDays int    `json:"unused_days"`
	Waived     bool   `json:"waived"`
	DailyWage  string `json:"daily_wage"`
	Normal     string `json:"normal"`
	Extra      string `json:"extra"`
	Total      string `json:"total"`
}

type compensationReport struct {
	Year       int                `json:"year"`
	Lines      []compensationLine `json:"lines"`
	MissingPay []string           `json:"missing_pay"`
	Totals     struct {
		Normal string `json:"normal"`
		Extra  string `json:"extra"`
		Total  string `json:"total"`
	} `json:"totals"`
}

type compensationData struct {
	Report compensationReport
	Year   int // the year and unit shown, for the download links
	Unit   string
}

func (h *handlers) registerLeaveYearPages(g *gin.RouterGroup) {
	finance := h.requireUser(domain.RoleFinance)
	g.GET("/finance/compensation", finance, h.compensationPage)
	g.GET("/finance/compensation/download", finance, h.compensationDownload)
	admin := h.requireUser(domain.RoleAdmin)
	g.GET("/admin/leave", admin, h.leaveAdminPage)
	g.POST("/admin/leave/rollover", admin, h.leaveRollover)
}

// compensationQuery reads the year (this year by default) and unit.
func (h *handlers) compensationQuery(c *gin.Context) (int, string, bool) {
	y := clock.Today(h.Clock).Year()
	if v := c.Query("year"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2000 || n > 2100 {
			return 0, "", false
		}
		y = n
	}
	return y, strings.TrimSpace(c.Query("unit")), true
}

func (h *handlers) compensationPage(c *gin.Context) {
	y, unit, ok := h.compensationQuery(c)
	if !ok {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	path := leaveAPI + "/compensation/" + strconv.Itoa(y)
	if unit != "" {
		path += "?" + url.Values{"unit": {unit}}.Encode()
	}
	var rep compensationReport
	if _, err := h.call(c, http.MethodGet, "leave", path, 0, nil, &rep); err != nil {
		h.serviceFailed(c, err)
		return
	}
	form := web.NewForm().Set("year", strconv.Itoa(y)).Set("unit", unit)
	p := h.page(c, "web.compensation.title")
	p.Form, p.Data = form, compensationData{Report: rep, Year: y, Unit: unit}
	h.render(c, http.StatusOK, "compensation", p)
}

// compensationDownload streams the leave service's CSV or XLSX under a
// name the gateway builds from the year alone.
func (h *handlers) compensationDownload(c *gin.Context) {
	y, unit, ok := h.compensationQuery(c)
	format := c.Query("format")
	if !ok || (format != "csv" && format != "xlsx") {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	q := url.Values{"format": {format}}
	if unit != "" {
		q.Set("unit", unit)
	}
	resp, err := h.Upstreams.Stream(c.Request.Context(), currentUser(c), lang(c), "leave", leaveAPI+"/compensation/"+strconv.Itoa(y)+"?"+q.Encode())
	if err != nil {
		h.serviceFailed(c, err)
		return
	}
	defer resp.Body.Close()
	ctype := "text/csv; charset=utf-8"
	if format == "xlsx" {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	hd := c.Writer.Header()
	hd.Set("Content-Type", ctype)
	hd.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="compensation-%d.%s"`, y, format))
	hd.Set("Cache-Control", "no-store")
	if resp.ContentLength >= 0 {
		hd.Set("Content-Length", strconv.FormatInt(resp.ContentLength, 10))
	}
	c.Status(http.StatusOK)
	if _, err := io.Copy(c.Writer, resp.Body); err != nil {
		h.Log.WarnContext(c, "compensation download interrupted", "year", y, "error", err)
	}
	c.Abort()
}

func (h *handlers) leaveAdminPage(c *gin.Context) {
	var flash *web.Message
	if y := c.Query("rolled"); y != "" {
		if n, err := strconv.Atoi(y); err == nil {
			m := web.Msg("web.leave_admin.rolled", n)
			flash = &m
		}
	}
	form := web.NewForm().Set("year", strconv.Itoa(clock.Today(h.Clock).Year()-1))
	h.renderLeaveAdmin(c, http.StatusOK, form, flash)
}

func (h *handlers) renderLeaveAdmin(c *gin.Context, status int, form *web.Form, flash *web.Message) {
	p := h.page(c, "web.leave_admin.title")
	p.Form, p.Flash = form, flash
	h.render(c, status, "leave_admin", p)
}

// leaveRollover closes a past year for every member: carry-overs, expiries
// and the next year's entitlement. The service's run is idempotent, so a
// second press does no harm.
func (h *handlers) leaveRollover(c *gin.Context) {
	form := web.NewForm().Set("year", strings.TrimSpace(c.PostForm("year")))
	y, err := strconv.Atoi(form.Value("year"))
	if err != nil || y < 2000 || y > 2100 {
		form.AddError("year", web.Msg("field.range", 2000, 2100))
		h.renderLeaveAdmin(c, http.StatusUnprocessableEntity, form, nil)
		return
	}
	if _, err := h.call(c, http.MethodPost, "leave", leaveAPI+"/rollovers/"+strconv.Itoa(y), 0, nil, nil); err != nil {
		if problemOnForm(err, form, nil) {
			h.renderLeaveAdmin(c, statusOf(err), form, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/leave?rolled="+strconv.Itoa(y))
}
