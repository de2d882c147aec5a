package leave

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	leaveapi "github.com/anxin-welfare/anxin/api/client/leave"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The year's end of annual leave: finance's unused-days compensation report
// (GET /compensation/{year}, with its CSV and XLSX exports), the pay it is
// computed from (PUT /members/{id}/pay/{year}; the wage import is in
// wages.go), and the administrator's year-end rollover (rollover.go).

// compensationLine is a line of the report; amounts are yuan as the leave
// service writes them, exact from fen.
type compensationLine struct {
	MemberID, MemberName, UnitID, Category string
	UnusedDays                             int
	Waived                                 bool
	DailyWage, Normal, Extra, Total        string
	// PayVersion is the version of the member's recorded pay, which a
	// correction sends as If-Match; 0 when the service does not say.
	PayVersion int64
}

// missingPay is a member the report lacks pay for.
type missingPay struct {
	MemberID, MemberName, UnitID, Category string
	PayVersion                             int64
}

// compensationReport is the part of the report the page shows beside its
// lines.
type compensationReport struct {
	LineCount int
	Totals    struct{ Normal, Extra, Total string }
}

// compensation is one page of the service's report, read into the page's
// terms.
type compensation struct {
	Report  compensationReport
	Lines   []compensationLine
	Missing []missingPay
	Next    string
}

func compensationOf(r leaveapi.CompensationReport) compensation {
	out := compensation{Report: compensationReport{LineCount: webkit.Deref(r.LineCount)}, Next: webkit.Deref(r.Next)}
	if t := r.Totals; t != nil {
		out.Report.Totals.Normal, out.Report.Totals.Extra, out.Report.Totals.Total = webkit.Deref(t.Normal), webkit.Deref(t.Extra), webkit.Deref(t.Total)
	}
	for _, l := range webkit.Deref(r.Lines) {
		out.Lines = append(out.Lines, compensationLine{MemberID: webkit.Deref(l.MemberId), MemberName: webkit.Deref(l.MemberName), UnitID: webkit.Deref(l.UnitId),
			Category: webkit.Deref(l.Category), UnusedDays: webkit.Deref(l.UnusedDays), Waived: webkit.Deref(l.Waived), DailyWage: webkit.Deref(l.DailyWage),
			Normal: webkit.Deref(l.Normal), Extra: webkit.Deref(l.Extra), Total: webkit.Deref(l.Total), PayVersion: int64(webkit.Deref(l.PayVersion))})
	}
	for _, m := range webkit.Deref(r.MissingPayMembers) {
		out.Missing = append(out.Missing, missingPay{MemberID: webkit.Deref(m.MemberId), MemberName: webkit.Deref(m.MemberName), UnitID: webkit.Deref(m.UnitId),
			Category: webkit.Deref(m.Category), PayVersion: int64(webkit.Deref(m.PayVersion))})
	}
	return out
}

// readCompensation reads a page of year's report: at most limit lines
// after the cursor after ("" the first), of unit ("" all).
func (a *area) readCompensation(c *gin.Context, year int, unit, after string, limit int) (compensation, error) {
	api, err := a.Leave(c)
	if err != nil {
		return compensation{}, err
	}
	params := &leaveapi.GetCompensationParams{Limit: &limit}
	if unit != "" {
		params.Unit = &unit
	}
	if after != "" {
		params.After = &after
	}
	r, err := api.GetCompensationWithResponse(c.Request.Context(), year, params)
	if err != nil || r.JSON200 == nil {
		return compensation{}, orUnexpected(err, r)
	}
	return compensationOf(*r.JSON200), nil
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
// (PUT /members/{id}/pay/{year}); Form holds what was typed and what was
// wrong when this member's form was the one sent.
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

func (a *area) registerYearEndPages(g, uploads *gin.RouterGroup) {
	finance := a.RequireUser(domain.RoleFinance)
	g.GET("/finance/compensation", finance, a.compensationPage)
	g.GET("/finance/compensation/download", finance, a.compensationDownload)
	g.POST("/finance/compensation/pay", finance, a.compensationPay)
	// Finance's wage import (wages.go).
	a.registerWagePages(g, uploads)
	admin := a.RequireUser(domain.RoleAdmin)
	g.GET("/admin/leave", admin, a.leaveAdminPage)
	g.POST("/admin/leave/rollover", admin, a.leaveRollover)
}

// compensationQuery reads the year (this year by default) and unit.
func (a *area) compensationQuery(c *gin.Context) (int, string, bool) {
	y := clock.Today(a.Clock).Year()
	if v := c.Query("year"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2000 || n > 2100 {
			return 0, "", false
		}
		y = n
	}
	return y, strings.TrimSpace(c.Query("unit")), true
}

func (a *area) compensationPage(c *gin.Context) {
	y, unit, ok := a.compensationQuery(c)
	if !ok {
		// A mistyped year: say so by the field and keep what was typed.
		form := web.NewForm().Set("year", c.Query("year")).Set("unit", strings.TrimSpace(c.Query("unit")))
		form.AddError("year", web.Msg("field.range", 2000, 2100))
		p := a.Page(c, "web.compensation.title")
		a.WithUnitNames(c, p)
		p.Form, p.Data = form, compensationData{Unit: form.Value("unit"), Units: webkit.UnitsByName(p.UnitNames)}
		a.Render(c, http.StatusUnprocessableEntity, "compensation", p)
		return
	}
	a.renderCompensation(c, http.StatusOK, y, unit, "", nil, c.Query("paid"))
}

// compensationLimit is the lines a page of the report shows.
const compensationLimit = 50

// renderCompensation shows year's report for unit ("" all). payMember and
// pay are the pay form sent and refused (pay nil: none); paid is the
// member whose pay was just saved, for the notice.
func (a *area) renderCompensation(c *gin.Context, status, y int, unit, payMember string, pay *web.Form, paid string) {
	limit := compensationLimit
	if n, err := strconv.Atoi(c.Query("limit")); err == nil && n >= 1 && n <= 500 {
		limit = n
	}
	after := c.Query("after")
	if c.Request.Method == http.MethodPost {
		after = c.PostForm("after")
	}
	rep, err := a.readCompensation(c, y, unit, after, limit)
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	form := web.NewForm().Set("year", strconv.Itoa(y)).Set("unit", unit)
	p := a.Page(c, "web.compensation.title")
	a.WithUnitNames(c, p)
	d := compensationData{Report: rep.Report, Year: y, Unit: unit, Units: webkit.UnitsByName(p.UnitNames), After: after, Next: rep.Next}
	if limit != compensationLimit {
		d.Limit = limit
	}
	if c.Query("m") == "imported" {
		n := func(k string) int { v, _ := strconv.Atoi(c.Query(k)); return max(v, 0) }
		d.Imported = webkit.Flash("web.wages.imported_notice", n("created"), n("updated"), n("unchanged"))
	}
	payFor := func(id, name string, version int64) payForm {
		f := payForm{Lang: p.Lang, CSRF: p.CSRF, Year: y, Unit: unit, MemberID: id, MemberName: name, Version: version, Form: web.NewForm(), Key: id}
		if pay != nil && id == payMember {
			f.Form = pay
		}
		return f
	}
	if len(rep.Missing) > 0 {
		// One form for all of them, the member picked by name and unit: the
		// many go through the wage import.
		f := payFor("", "", 0)
		f.Key = "missing"
		if pay != nil && payMember == "" {
			f.Form = pay
		}
		for _, m := range rep.Missing {
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
		p.Flash = webkit.Flash("web.pay.saved", cmp.Or(name, paid))
	}
	if pay != nil && pay.HasErrors() {
		p.Alert = webkit.Flash("web.pay.not_saved")
	}
	p.Form, p.Data = form, d
	a.Render(c, status, "compensation", p)
}

// compensationPay records a member's pay for the report's year: the
// annual pay or the monthly wage in yuan (with If-Match when the form
// corrects a recorded pay), then shows the report again.
func (a *area) compensationPay(c *gin.Context) {
	y, err := strconv.Atoi(c.PostForm("year"))
	member := strings.TrimSpace(c.PostForm("member_id"))
	if err == nil && y >= 2000 && y <= 2100 && member == "" && c.PostForm("form") == "missing" {
		// The one form for members without pay, sent with nobody chosen.
		form := web.NewForm().AddError("member_id", web.Msg("web.pay.choose_member"))
		for _, f := range []string{"annual_pay", "monthly_wage"} {
			form.Set(f, strings.TrimSpace(c.PostForm(f)))
		}
		a.renderCompensation(c, http.StatusUnprocessableEntity, y, strings.TrimSpace(c.PostForm("unit")), "", form, "")
		return
	}
	if err != nil || y < 2000 || y > 2100 || member == "" {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	unit := strings.TrimSpace(c.PostForm("unit"))
	version, _ := strconv.ParseInt(c.PostForm("version"), 10, 64)
	form := web.NewForm()
	var body leaveapi.PutPayJSONRequestBody
	for _, f := range []struct {
		name string
		dst  **string
	}{{"annual_pay", &body.AnnualPay}, {"monthly_wage", &body.MonthlyWage}} {
		v := strings.TrimSpace(c.PostForm(f.name))
		form.Set(f.name, v)
		if v == "" {
			continue
		}
		if fen, err := money.Parse(v); err != nil || fen < 0 {
			form.AddError(f.name, web.Msg("field.money"))
		}
		*f.dst = &v
	}
	if body.AnnualPay == nil && body.MonthlyWage == nil {
		form.AddError("annual_pay", web.Msg("web.pay.need_one"))
	}
	if form.HasErrors() {
		a.renderCompensation(c, http.StatusUnprocessableEntity, y, unit, member, form, "")
		return
	}
	paidName := a.missingPayName(c, y, unit, member)
	api, err := a.Leave(c)
	if err == nil {
		err = webkit.Done(api.PutPay(c.Request.Context(), member, y, &leaveapi.PutPayParams{IfMatch: ifMatchOptional(version)}, body)) //nolint:bodyclose // webkit.Done drains and closes it
	}
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
	case webkit.VersionMismatch(err):
		a.renderCompensation(c, http.StatusConflict, y, unit, member, form.AddError("", web.Msg("web.pay.changed")), "")
	case webkit.ProblemOnForm(err, form, nil):
		a.renderCompensation(c, webkit.StatusOf(err), y, unit, member, form, "")
	default:
		a.ServiceFailed(c, err)
	}
}

// missingPayName is the name of a member the report listed without pay,
// for the notice after their pay is saved from the one "missing" form
// (the line that now shows them may be on another page); "" when the form
// was a line's correction or the name cannot be read.
func (a *area) missingPayName(c *gin.Context, y int, unit, member string) string {
	if c.PostForm("form") != "missing" {
		return ""
	}
	// The report names everybody without pay whatever the page.
	rep, err := a.readCompensation(c, y, unit, "", 1)
	if err != nil {
		return ""
	}
	for _, m := range rep.Missing {
		if m.MemberID == member {
			return m.MemberName
		}
	}
	return ""
}

// compensationDownload streams the leave service's CSV or XLSX under a
// name the gateway builds from the year alone.
func (a *area) compensationDownload(c *gin.Context) {
	y, unit, ok := a.compensationQuery(c)
	format := leaveapi.GetCompensationParamsFormat(c.Query("format"))
	if !ok || (format != leaveapi.GetCompensationParamsFormatCsv && format != leaveapi.GetCompensationParamsFormatXlsx) {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	params := &leaveapi.GetCompensationParams{Format: &format}
	if unit != "" {
		params.Unit = &unit
	}
	api, err := a.LeaveDownload(c)
	var resp *http.Response
	if err == nil {
		// The file as it comes, not read whole: ClientInterface's method.
		resp, err = api.GetCompensation(c.Request.Context(), y, params)
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	defer resp.Body.Close()
	ctype := "text/csv; charset=utf-8"
	if format == leaveapi.GetCompensationParamsFormatXlsx {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	if err := webkit.PassFile(c, resp, ctype, fmt.Sprintf(`attachment; filename="compensation-%d.%s"`, y, format)); err != nil {
		a.Log.WarnContext(c, "compensation download interrupted", "year", y, "error", err)
	}
}
