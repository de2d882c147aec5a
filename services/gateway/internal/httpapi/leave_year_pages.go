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
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/money"
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
	// PayVersion is the version of the member's recorded pay, which a
	// correction sends as If-Match; 0 when the service does not say.
	PayVersion int64 `json:"pay_version"`
}

type compensationReport struct {
	Year  int                `json:"year"`
	Lines []compensationLine `json:"lines"`
	// Next is the cursor of the next page of lines; LineCount the lines
	// of all pages.
	Next       string   `json:"next"`
	LineCount  int      `json:"line_count"`
	MissingPay []string `json:"missing_pay"`
	// MissingPayMembers names the members of MissingPay.
	MissingPayMembers []struct {
		MemberID   string `json:"member_id"`
		MemberName string `json:"member_name"`
		UnitID     string `json:"unit_id"`
		Category   string `json:"category"`
		PayVersion int64  `json:"pay_version"`
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
	// Missing is the one form entering the pay of a member without it (who
	// is chosen from a list); nil when nobody lacks pay. Lines are this
	// page's lines, each with the form correcting its pay when the service
	// gives the pay's version.
	Missing *payForm
	Lines   []compensationLineView
	// After is this page's cursor ("" on the first), Next the next one's;
	// Limit the lines a page shows when the address asked for another
	// number than the default (0), kept by the page links.
	After, Next string
	Limit       int
	// Imported is the notice of a wage import just recorded.
	Imported *web.Message
}

// payChoice is a member without pay, offered by name and unit.
type payChoice struct {
	MemberID, Name, Unit string
}

// compensationLineView is a line of the report with its correction form.
type compensationLineView struct {
	compensationLine
	Pay *payForm
}

// payForm is the form entering a member's pay for the report's year
// (PUT /api/v1/leave/members/{id}/pay/{year}); Form holds what was typed
// and what was wrong when this member's form was the one sent.
type payForm struct {
	Lang       i18n.Lang
	CSRF       string
	Year       int
	Unit       string
	MemberID   string
	MemberName string
	Version    int64
	Form       *web.Form
	// Key names the form's elements: the member id, or "missing" for the
	// form whose member is chosen from Choices.
	Key     string
	Choices []payChoice
}

func (h *handlers) registerLeaveYearPages(g, uploads *gin.RouterGroup) {
	finance := h.requireUser(domain.RoleFinance)
	g.GET("/finance/compensation", finance, h.compensationPage)
	g.GET("/finance/compensation/download", finance, h.compensationDownload)
	g.POST("/finance/compensation/pay", finance, h.compensationPay)
	// Finance's wage import (compensation_wages_pages.go).
	h.registerWagePages(g, uploads)
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
	h.renderCompensation(c, http.StatusOK, y, unit, "", nil, c.Query("paid"))
}

// compensationLimit is the lines a page of the report shows.
const compensationLimit = 50

// renderCompensation shows year's report for unit ("" all). payMember and
// pay are the pay form sent and refused (pay nil: none); paid is the
// member whose pay was just saved, for the notice.
func (h *handlers) renderCompensation(c *gin.Context, status, y int, unit, payMember string, pay *web.Form, paid string) {
	limit := compensationLimit
	if n, err := strconv.Atoi(c.Query("limit")); err == nil && n >= 1 && n <= 500 {
		limit = n
	}
	q := url.Values{"limit": {strconv.Itoa(limit)}}
	if unit != "" {
		q.Set("unit", unit)
	}
	after := c.Query("after")
	if c.Request.Method == http.MethodPost {
		after = c.PostForm("after")
	}
	if after != "" {
		q.Set("after", after)
	}
	path := leaveAPI + "/compensation/" + strconv.Itoa(y) + "?" + q.Encode()
	var rep compensationReport
	if _, err := h.call(c, http.MethodGet, "leave", path, 0, nil, &rep); err != nil {
		h.serviceFailed(c, err)
		return
	}
	form := web.NewForm().Set("year", strconv.Itoa(y)).Set("unit", unit)
	p := h.page(c, "web.compensation.title")
	h.withUnitNames(c, p)
	d := compensationData{Report: rep, Year: y, Unit: unit, Units: unitsByName(p.UnitNames), After: after, Next: rep.Next}
	if limit != compensationLimit {
		d.Limit = limit
	}
	if c.Query("m") == "imported" {
		n := func(k string) int { v, _ := strconv.Atoi(c.Query(k)); return max(v, 0) }
		m := web.Msg("web.wages.imported_notice", n("created"), n("updated"), n("unchanged"))
		d.Imported = &m
	}
	payFor := func(id, name string, version int64) payForm {
		f := payForm{Lang: p.Lang, CSRF: p.CSRF, Year: y, Unit: unit, MemberID: id, MemberName: name, Version: version, Form: web.NewForm(), Key: id}
		if pay != nil && id == payMember {
			f.Form = pay
		}
		return f
	}
	if len(rep.MissingPayMembers) > 0 {
		// One form for all of them, the member picked by name and unit: the
		// many go through the wage import.
		f := payFor("", "", 0)
		f.Key = "missing"
		if pay != nil && payMember == "" {
			f.Form = pay
		}
		for _, m := range rep.MissingPayMembers {
			f.Choices = append(f.Choices, payChoice{MemberID: m.MemberID, Name: cmp.Or(m.MemberName, m.MemberID), Unit: p.UnitName(m.UnitID)})
			if pay != nil && m.MemberID == payMember {
				f.MemberID, f.Version, f.Form = m.MemberID, m.PayVersion, pay
			}
		}
		d.Missing = &f
	}
	for _, l := range rep.Lines {
		v := compensationLineView{compensationLine: l}
		if l.PayVersion > 0 || (pay != nil && l.MemberID == payMember) {
			f := payFor(l.MemberID, l.MemberName, l.PayVersion)
			v.Pay = &f
		}
		d.Lines = append(d.Lines, v)
	}
	if paid != "" {
		name := c.Query("paid_name")
		for _, l := range rep.Lines {
			if l.MemberID == paid && l.MemberName != "" {
				name = l.MemberName
			}
		}
		name = cmp.Or(name, paid)
		m := web.Msg("web.pay.saved", name)
		p.Flash = &m
	}
	if pay != nil && pay.HasErrors() {
		m := web.Msg("web.pay.not_saved")
		p.Alert = &m
	}
	p.Form, p.Data = form, d
	h.render(c, status, "compensation", p)
}

// compensationPay records a member's pay for the report's year: the
// annual pay or the monthly wage in yuan (PUT /members/{id}/pay/{year},
// with If-Match when the form corrects a recorded pay), then shows the
// report again.
func (h *handlers) compensationPay(c *gin.Context) {
	y, err := strconv.Atoi(c.PostForm("year"))
	member := strings.TrimSpace(c.PostForm("member_id"))
	if err == nil && y >= 2000 && y <= 2100 && member == "" && c.PostForm("form") == "missing" {
		// The one form for members without pay, sent with nobody chosen.
		form := web.NewForm().AddError("member_id", web.Msg("web.pay.choose_member"))
		for _, f := range []string{"annual_pay", "monthly_wage"} {
			form.Set(f, strings.TrimSpace(c.PostForm(f)))
		}
		h.renderCompensation(c, http.StatusUnprocessableEntity, y, strings.TrimSpace(c.PostForm("unit")), "", form, "")
		return
	}
	if err != nil || y < 2000 || y > 2100 || member == "" {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	unit := strings.TrimSpace(c.PostForm("unit"))
	version, _ := strconv.ParseInt(c.PostForm("version"), 10, 64)
	form := web.NewForm()
	body := map[string]string{}
	for _, f := range []string{"annual_pay", "monthly_wage"} {
		v := strings.TrimSpace(c.PostForm(f))
		form.Set(f, v)
		if v == "" {
			continue
		}
		if fen, err := money.Parse(v); err != nil || fen < 0 {
			form.AddError(f, web.Msg("field.money"))
		}
		body[f] = v
	}
	if len(body) == 0 {
		form.AddError("annual_pay", web.Msg("web.pay.need_one"))
	}
	if form.HasErrors() {
		h.renderCompensation(c, http.StatusUnprocessableEntity, y, unit, member, form, "")
		return
	}
	paidName := h.missingPayName(c, y, unit, member)
	path := leaveAPI + "/members/" + url.PathEscape(member) + "/pay/" + strconv.Itoa(y)
	_, err = h.call(c, http.MethodPut, "leave", path, max(version, 0), body, nil)
	switch {
	case err == nil:
		q := url.Values{"year": {strconv.Itoa(y)}, "paid": {member}}
		if paidName != "" {
			q.Set("paid_name", paidName)
		}
		if unit != "" {
			q.Set("unit", unit)
		}
		c.Redirect(http.StatusSeeOther, "/finance/compensation?"+q.Encode())
	case versionMismatch(err):
		h.renderCompensation(c, http.StatusConflict, y, unit, member, form.AddError("", web.Msg("web.pay.changed")), "")
	case problemOnForm(err, form, nil):
		h.renderCompensation(c, statusOf(err), y, unit, member, form, "")
	default:
		h.serviceFailed(c, err)
	}
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
	// Confirm is the confirmation card of a rollover asked for.
	Confirm *confirmCard
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
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 2000 || n > 2100 {
			// A mistyped year: said next to the field, as typed; no
			// year's state is shown.
			form := web.NewForm().Set("show-year", v).Set("year", strconv.Itoa(y))
			form.AddError("show-year", web.Msg("field.range", 2000, 2100))
			p := h.page(c, "web.leave_admin.title")
			p.Form, p.Data = form, leaveAdminData{}
			h.render(c, http.StatusUnprocessableEntity, "leave_admin", p)
			return
		}
		y = n
	}
	h.renderLeaveAdmin(c, http.StatusOK, y, web.NewForm().Set("year", strconv.Itoa(y)), flash)
}

// renderLeaveAdmin shows the page with the state of year.
func (h *handlers) renderLeaveAdmin(c *gin.Context, status, year int, form *web.Form, flash *web.Message) {
	h.renderLeaveAdminPage(c, status, year, form, flash, false)
}

// renderLeaveAdminPage shows the state of year; confirm adds the card
// asking to confirm closing it, with how many members it will close.
func (h *handlers) renderLeaveAdminPage(c *gin.Context, status, year int, form *web.Form, flash *web.Message, confirm bool) {
	var d leaveAdminData
	if _, err := h.call(c, http.MethodGet, "leave", leaveAPI+"/rollovers/"+strconv.Itoa(year), 0, nil, &d.Status); err != nil {
		if confirm && problemOnForm(err, form, nil) {
			// The year cannot be asked about (the service says why):
			// the page for last year, the problem by the field.
			h.renderLeaveAdmin(c, statusOf(err), clock.Today(h.Clock).Year()-1, form, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	if confirm && !d.Status.Closable {
		// Nothing to confirm: the year cannot be closed yet.
		form.AddError("year", web.Msg("web.leave_admin.not_closable", year))
		status, confirm = http.StatusUnprocessableEntity, false
	}
	if confirm {
		d.Confirm = &confirmCard{
			Text:   web.Msg("web.confirm.rollover", year, d.Status.Open, d.Status.Closed),
			Action: "/admin/leave/rollover",
			Hidden: []hiddenField{{Name: "year", Value: strconv.Itoa(year)}},
			Button: "web.confirm.rollover_button", Back: "/admin/leave?year=" + strconv.Itoa(year),
		}
	}
	p := h.page(c, "web.leave_admin.title")
	p.Form, p.Flash, p.Data = form, flash, d
	h.render(c, status, "leave_admin", p)
}

// leaveRollover closes a past year for every member: carry-overs, expiries
// and the next year's entitlement. The first press (without confirm=yes)
// shows how many members it will close and changes nothing; the second
// runs it. The service's run is idempotent, so a repeat does no harm.
func (h *handlers) leaveRollover(c *gin.Context) {
	form := web.NewForm().Set("year", strings.TrimSpace(c.PostForm("year")))
	y, err := strconv.Atoi(form.Value("year"))
	last := clock.Today(h.Clock).Year() - 1
	if err != nil || y < 2000 || y > 2100 {
		form.AddError("year", web.Msg("field.range", 2000, 2100))
		h.renderLeaveAdmin(c, http.StatusUnprocessableEntity, last, form, nil)
		return
	}
	if !confirmed(c) {
		// The first press only says what closing the year will do.
		h.renderLeaveAdminPage(c, http.StatusOK, y, form, nil, true)
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

// missingPayName is the name of a member the report listed without pay,
// for the notice after their pay is saved from the one "missing" form
// (the line that now shows them may be on another page); "" when the form
// was a line's correction or the name cannot be read.
func (h *handlers) missingPayName(c *gin.Context, y int, unit, member string) string {
	if c.PostForm("form") != "missing" {
		return ""
	}
	q := url.Values{"limit": {"1"}}
	if unit != "" {
		q.Set("unit", unit)
	}
	// The report names everybody without pay whatever the page.
	var rep compensationReport
	if _, err := h.call(c, http.MethodGet, "leave", leaveAPI+"/compensation/"+strconv.Itoa(y)+"?"+q.Encode(), 0, nil, &rep); err != nil {
		return ""
	}
	for _, m := range rep.MissingPayMembers {
		if m.MemberID == member {
			return m.MemberName
		}
	}
	return ""
}
