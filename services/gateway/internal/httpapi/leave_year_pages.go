package httpapi

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

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
	MemberName string `json:"member_name"`
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
	// MissingPayMembers names the members of MissingPay.
	MissingPayMembers []struct {
		MemberID   string `json:"member_id"`
		MemberName string `json:"member_name"`
	} `json:"missing_pay_members"`
	Totals struct {
		Normal string `json:"normal"`
		Extra  string `json:"extra"`
		Total  string `json:"total"`
	} `json:"totals"`
}

type compensationData struct {
	Report compensationReport
	Year   int // the year and unit shown, for the download links
	Unit   string
	Units  []string // unit ids by name, for the filter
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
		// A mistyped year: say so by the field and keep what was typed.
		form := web.NewForm().Set("year", c.Query("year")).Set("unit", strings.TrimSpace(c.Query("unit")))
		form.AddError("year", web.Msg("field.range", 2000, 2100))
		p := h.page(c, "web.compensation.title")
		h.withUnitNames(c, p)
		p.Form, p.Data = form, compensationData{Unit: form.Value("unit"), Units: unitsByName(p.UnitNames)}
		h.render(c, http.StatusUnprocessableEntity, "compensation", p)
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
	h.withUnitNames(c, p)
	p.Form, p.Data = form, compensationData{Report: rep, Year: y, Unit: unit, Units: unitsByName(p.UnitNames)}
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

// rolloverStatus is how far a year's closing has come
// (GET /api/v1/leave/rollovers/{year}).
type rolloverStatus struct {
	Year         int        `json:"year"`
	Members      int        `json:"members"`
	Closed       int        `json:"closed"`
	Open         int        `json:"open"`
	Carried      int        `json:"carried"`
	Expired      int        `json:"expired"`
	LastClosedAt *time.Time `json:"last_closed_at"`
	Closable     bool       `json:"closable"`
}

// leaveAdminData feeds the rollover page: the state of the year shown.
type leaveAdminData struct {
	Status rolloverStatus
}

// leaveAdminPage shows how far the closing of a year has come (last year
// unless ?year= says otherwise) with the form that runs it.
func (h *handlers) leaveAdminPage(c *gin.Context) {
	var flash *web.Message
	if y := c.Query("rolled"); y != "" {
		if n, err := strconv.Atoi(y); err == nil {
			m := web.Msg("web.leave_admin.rolled", n)
			flash = &m
		}
	}
	y := clock.Today(h.Clock).Year() - 1
	if v := c.Query("year"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2000 || n > 2100 {
			h.errorPage(c, http.StatusBadRequest, "web.error.400")
			return
		}
		y = n
	}
	h.renderLeaveAdmin(c, http.StatusOK, y, web.NewForm().Set("year", strconv.Itoa(y)), flash)
}

// renderLeaveAdmin shows the page with the state of year.
func (h *handlers) renderLeaveAdmin(c *gin.Context, status, year int, form *web.Form, flash *web.Message) {
	var d leaveAdminData
	if _, err := h.call(c, http.MethodGet, "leave", leaveAPI+"/rollovers/"+strconv.Itoa(year), 0, nil, &d.Status); err != nil {
		h.serviceFailed(c, err)
		return
	}
	p := h.page(c, "web.leave_admin.title")
	p.Form, p.Flash, p.Data = form, flash, d
	h.render(c, status, "leave_admin", p)
}

// leaveRollover closes a past year for every member: carry-overs, expiries
// and the next year's entitlement. The service's run is idempotent, so a
// second press does no harm.
func (h *handlers) leaveRollover(c *gin.Context) {
	form := web.NewForm().Set("year", strings.TrimSpace(c.PostForm("year")))
	y, err := strconv.Atoi(form.Value("year"))
	last := clock.Today(h.Clock).Year() - 1
	if err != nil || y < 2000 || y > 2100 {
		form.AddError("year", web.Msg("field.range", 2000, 2100))
		h.renderLeaveAdmin(c, http.StatusUnprocessableEntity, last, form, nil)
		return
	}
	if _, err := h.call(c, http.MethodPost, "leave", leaveAPI+"/rollovers/"+strconv.Itoa(y), 0, nil, nil); err != nil {
		if problemOnForm(err, form, nil) {
			h.renderLeaveAdmin(c, statusOf(err), min(y, last), form, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/leave?year="+strconv.Itoa(y)+"&rolled="+strconv.Itoa(y))
}

// unitsByName lists the ids of names ordered by the units' names, for a
// filter's choices.
func unitsByName(names map[string]string) []string {
	ids := slices.Collect(maps.Keys(names))
	slices.SortFunc(ids, func(a, b string) int { return cmp.Or(strings.Compare(names[a], names[b]), strings.Compare(a, b)) })
	return ids
}
