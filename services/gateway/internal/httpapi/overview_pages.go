package httpapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"
	"golang.org/x/sync/errgroup"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/report"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The committee's work overview (工作概览, issue 17): the indicators of
// injury, grants, leave and care, each a chart with its table, for a range
// of months and a unit, and every table as one XLSX workbook. The figures
// come from each service's reporting route (GET /api/v1/<svc>/reports/
// overview), which reads read models of units × months and decides what
// the caller may see: approvers and leaders every unit, unit heads their
// own. The gateway admits the same roles, so nobody else reaches a service.

// overviewRoles may open the overview; committeeRoles also set the target.
var (
	overviewRoles  = []domain.Role{domain.RoleApprover, domain.RoleLeader, domain.RoleUnitHead}
	committeeRoles = []domain.Role{domain.RoleApprover, domain.RoleLeader}
)

func (h *handlers) registerOverviewPages(g *gin.RouterGroup) {
	g.GET("/overview", h.requireUser(overviewRoles...), h.overviewPage)
	g.GET("/overview/export", h.requireUser(overviewRoles...), h.overviewExport)
	g.POST("/overview/uptake-target", h.requireUser(committeeRoles...), h.setUptakeTarget)
}

// overviewFilter is the page's filter as the person typed it, and as the
// services' query.
type overviewFilter struct {
	From, To, Unit string
	Filter         report.Filter
}

func (f overviewFilter) query() string {
	q := url.Values{"from": {f.Filter.From.Format("2006-01")}, "to": {f.Filter.To.Format("2006-01")}}
	if f.Unit != "" {
		q.Set("unit", f.Unit)
	}
	return q.Encode()
}

// readOverviewFilter reads ?from&to&unit with the services' own rules
// (pkg/report), so that a mistake is explained beside its field instead of
// being refused by three services.
func (h *handlers) readOverviewFilter(c *gin.Context, form *web.Form) overviewFilter {
	q := c.Request.URL.Query()
	f := overviewFilter{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")), Unit: strings.TrimSpace(q.Get("unit"))}
	form.Set("from", f.From).Set("to", f.To).Set("unit", f.Unit)
	clean := url.Values{}
	for k, v := range map[string]string{"from": f.From, "to": f.To, "unit": f.Unit} {
		if v != "" {
			clean.Set(k, v)
		}
	}
	rf, err := report.FromQuery(clean, h.Clock.Now())
	var he *httpx.Error
	if errors.As(err, &he) {
		for _, fe := range he.Fields {
			form.AddError(fe.Field, web.Msg(fe.Code, fe.Args...))
		}
		rf, _ = report.FromQuery(url.Values{}, h.Clock.Now())
		f.Unit = ""
	}
	f.Filter = rf
	if f.From == "" {
		form.Set("from", rf.From.Format("2006-01"))
	}
	if f.To == "" {
		form.Set("to", rf.To.Format("2006-01"))
	}
	return f
}

// overviewReports is the three services' answers.
type overviewReports struct {
	Injury injuryReport
	Grants grantsReport
	Leave  leaveReport
}

// overviewTimeout bounds the three reporting calls together: the page is
// meant to answer in 200 ms at province scale, so a service that has not
// answered in 5 s is down for the page's purpose, and the reader gets the
// 503 page instead of waiting for the upstream timeout (30 s by default).
const overviewTimeout = 5 * time.Second

// overviewFetch is the three reporting calls under way.
type overviewFetch struct {
	g      *errgroup.Group
	cancel context.CancelFunc
	r      overviewReports
}

// startOverview asks the three services at once, each in its own
// goroutine, while the handler goes on (the page's header and the unit
// names are other calls); wait collects them. A failure does not cancel
// the other calls: a cancelled request may still reach its service after
// the page has answered, and no call of a page outlives it (only the
// overviewTimeout ends them early). The goroutines touch nothing of c: the
// caller's identity and language are read here.
func (h *handlers) startOverview(c *gin.Context, f overviewFilter) *overviewFetch {
	ctx, cancel := context.WithTimeout(c.Request.Context(), overviewTimeout)
	o := &overviewFetch{g: &errgroup.Group{}, cancel: cancel}
	user, lg, q := currentUser(c), lang(c), "/reports/overview?"+f.query()
	for _, call := range []struct {
		service, path string
		out           any
	}{{"injury", injuryAPI + q, &o.r.Injury}, {"grants", grantsAPI + q, &o.r.Grants}, {"leave", leaveAPI + q, &o.r.Leave}} {
		o.g.Go(func() error {
			if h.Upstreams == nil || !h.Upstreams.Has(call.service) {
				return errNotRouted
			}
			_, err := h.Upstreams.Call(ctx, user, lg, http.MethodGet, call.service, call.path, 0, nil, call.out)
			return err
		})
	}
	return o
}

// wait is the three answers, or the first failure once all have ended.
func (o *overviewFetch) wait() (overviewReports, error) {
	defer o.cancel()
	err := o.g.Wait()
	return o.r, err
}

// fetchOverview starts the reporting calls for f, makes the page with the
// units the viewer may pick meanwhile, and waits for the answers. A unit
// head's units are known without a call, so a unit that is not theirs is
// refused before anything is asked; the committee's are enrollment's list,
// so a unit not on it is known only then: the answers for it are awaited
// and dropped, and every unit is asked for instead (the form says why).
func (h *handlers) fetchOverview(c *gin.Context, form *web.Form, f *overviewFilter) (*web.Page, []unitOption, overviewReports, error) {
	committee := currentUser(c).Has(committeeRoles...)
	if f.Unit != "" && !committee && !slices.Contains(currentUser(c).Units, f.Unit) {
		form.AddError("unit", web.Msg("web.overview.unit_not_yours"))
		f.Unit = ""
	}
	fetch := h.startOverview(c, *f)
	p := h.page(c, "web.overview.title")
	units := h.overviewUnits(c, p)
	if f.Unit != "" && !slices.ContainsFunc(units, func(u unitOption) bool { return u.ID == f.Unit }) {
		_, _ = fetch.wait()
		form.AddError("unit", web.Msg("web.overview.unit_not_yours"))
		f.Unit = ""
		fetch = h.startOverview(c, *f)
	}
	r, err := fetch.wait()
	return p, units, r, err
}

// unitOption is a unit the filter offers, by name.
type unitOption struct{ ID, Name string }

// overviewUnits lists the units the viewer may pick: every unit for the
// committee, their own for a unit head; sorted by name.
func (h *handlers) overviewUnits(c *gin.Context, p *web.Page) []unitOption {
	h.withUnitNames(c, p)
	u := currentUser(c)
	var out []unitOption
	if u.Has(committeeRoles...) {
		for id, name := range p.UnitNames {
			out = append(out, unitOption{ID: id, Name: name})
		}
	} else {
		for _, id := range u.Units {
			out = append(out, unitOption{ID: id, Name: p.UnitName(id)})
		}
	}
	slices.SortFunc(out, func(a, b unitOption) int { return strings.Compare(a.Name+a.ID, b.Name+b.ID) })
	return out
}

type overviewData struct {
	Filter   overviewFilter
	Units    []unitOption
	Sections []overviewSection
	// Export is the XLSX link with the same filter.
	Export string
	// CanSetTarget: the committee sets the uptake target; TargetYear is
	// the year the form sets, TargetPercent its current value ("" none).
	CanSetTarget  bool
	TargetYear    int
	TargetPercent string
	GeneratedAt   string
}

type overviewSection struct {
	ID, Title string
	Figures   []web.Figure
}

// overviewPage shows the overview for the filter.
func (h *handlers) overviewPage(c *gin.Context) {
	h.renderOverview(c, http.StatusOK, web.NewForm(), flashOf(c, map[string]string{"target": "web.overview.target_saved"}))
}

func (h *handlers) renderOverview(c *gin.Context, status int, form *web.Form, flash *web.Message) {
	f := h.readOverviewFilter(c, form)
	// A unit that is not offered is refused on the form: the services
	// would refuse it too.
	p, units, reps, err := h.fetchOverview(c, form, &f)
	if err != nil {
		h.serviceFailed(c, err)
		return
	}
	lang := lang(c)
	d := overviewData{Filter: f, Units: units, Sections: overviewSections(lang, p, reps),
		Export:       "/overview/export?" + f.query(),
		CanSetTarget: currentUser(c).Has(committeeRoles...), TargetYear: f.Filter.To.Year(),
		GeneratedAt: clock.Local(h.Clock.Now()).Format("2006-01-02 15:04")}
	for _, t := range reps.Leave.Targets {
		if t.Year == d.TargetYear {
			d.TargetPercent = strconv.Itoa(t.BasisPoints / 100)
		}
	}
	if form.Value("target_percent") == "" {
		form.Set("target_percent", d.TargetPercent)
	}
	if status == http.StatusOK && form.HasErrors() {
		status = http.StatusUnprocessableEntity
	}
	p.Form, p.Data, p.Flash = form, d, flash
	h.render(c, status, "overview", p)
}

// overviewExport answers the overview's every table as one XLSX workbook,
// a sheet per table, numbers as numbers.
func (h *handlers) overviewExport(c *gin.Context) {
	form := web.NewForm()
	f := h.readOverviewFilter(c, form)
	unit := f.Unit
	p, _, reps, err := h.fetchOverview(c, form, &f)
	if unit != "" && f.Unit == "" {
		// a unit that is not offered: the export does not fall back
		h.errorPage(c, http.StatusForbidden, "web.error.403")
		return
	}
	if err != nil {
		h.serviceFailed(c, err)
		return
	}
	body, err := overviewWorkbook(overviewSections(lang(c), p, reps))
	if err != nil {
		h.Log.ErrorContext(c, "overview workbook", "error", err)
		h.errorPage(c, http.StatusInternalServerError, "web.error.500")
		return
	}
	name := fmt.Sprintf("overview-%s-%s.xlsx", f.Filter.From.Format("200601"), f.Filter.To.Format("200601"))
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body)
}

// overviewWorkbook writes each figure's table on a sheet of its own, named
// by the figure (Excel's 31 characters), with the caption first. Each
// sheet is written by excelize's stream writer, a row at a time, straight
// into the sheet's XML: setting cell by cell kept every cell of 300 units'
// tables as a struct in memory and marshalled them all again at the end
// (docs/PERFORMANCE.md). Text is written as an inline string, never as a
// formula; numbers as numbers.
func overviewWorkbook(sections []overviewSection) ([]byte, error) {
	x := excelize.NewFile()
	defer func() { _ = x.Close() }()
	first := true
	var values []any
	for _, s := range sections {
		for _, fig := range s.Figures {
			name := sheetName(fig.Title)
			if first {
				if err := x.SetSheetName(x.GetSheetName(0), name); err != nil {
					return nil, fmt.Errorf("sheet %s: %w", name, err)
				}
				first = false
			} else if _, err := x.NewSheet(name); err != nil {
				return nil, fmt.Errorf("sheet %s: %w", name, err)
			}
			sw, err := x.NewStreamWriter(name)
			if err != nil {
				return nil, fmt.Errorf("sheet %s: %w", name, err)
			}
			if err := sw.SetColWidth(1, 1, 24); err != nil {
				return nil, fmt.Errorf("sheet %s: %w", name, err)
			}
			rows := append([][]web.Cell{{web.Text(fig.Table.Caption)}, cellsOf(fig.Table.Head)}, fig.Table.Rows...)
			for r, row := range rows {
				values = values[:0]
				for _, cell := range row {
					if cell.Value != nil {
						values = append(values, cell.Value)
					} else {
						values = append(values, cell.Text)
					}
				}
				ref, err := excelize.CoordinatesToCellName(1, r+1)
				if err != nil {
					return nil, err
				}
				if err := sw.SetRow(ref, values); err != nil {
					return nil, fmt.Errorf("row %s!%s: %w", name, ref, err)
				}
			}
			if err := sw.Flush(); err != nil {
				return nil, fmt.Errorf("sheet %s: %w", name, err)
			}
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return nil, fmt.Errorf("write workbook: %w", err)
	}
	return buf.Bytes(), nil
}

func cellsOf(head []string) []web.Cell {
	out := make([]web.Cell, len(head))
	for i, h := range head {
		out[i] = web.Text(h)
	}
	return out
}

// sheetName is a valid, short sheet name: Excel refuses []:*?/\ and more
// than 31 characters.
func sheetName(title string) string {
	r := []rune(strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, title))
	if len(r) > 31 {
		r = r[:31]
	}
	return string(r)
}

// setUptakeTarget sets the year's uptake target through the leave service
// (PUT /reports/uptake-targets/{year}) and comes back to the overview.
func (h *handlers) setUptakeTarget(c *gin.Context) {
	form := web.NewForm().Set("target_percent", c.PostForm("target_percent"))
	year, err := strconv.Atoi(c.PostForm("year"))
	if err != nil || year < 2000 || year > 2999 {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	pct, err := strconv.Atoi(strings.TrimSpace(c.PostForm("target_percent")))
	if err != nil {
		form.AddError("target_percent", web.Msg("web.overview.target_whole"))
		h.overviewAgain(c, form)
		return
	}
	if _, err := h.call(c, http.MethodPut, "leave", leaveAPI+"/reports/uptake-targets/"+strconv.Itoa(year), 0,
		map[string]int{"target_percent": pct}, nil); err != nil {
		if problemOnForm(err, form, nil) {
			h.overviewAgain(c, form)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	back := url.Values{"m": {"target"}}
	for _, k := range []string{"from", "to", "unit"} {
		if v := c.PostForm(k); v != "" {
			back.Set(k, v)
		}
	}
	c.Redirect(http.StatusSeeOther, "/overview?"+back.Encode()+"#leave")
}

// overviewAgain shows the overview with the target form's errors, for the
// filter the form was sent from.
func (h *handlers) overviewAgain(c *gin.Context, form *web.Form) {
	q := url.Values{}
	for _, k := range []string{"from", "to", "unit"} {
		if v := c.PostForm(k); v != "" {
			q.Set(k, v)
		}
	}
	c.Request.URL.RawQuery = q.Encode()
	h.renderOverview(c, http.StatusUnprocessableEntity, form, nil)
}

// shanghaiMonth formats a service's "2026-01" as the page shows it.
func shanghaiMonth(lang i18n.Lang, m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	if lang == i18n.ZH {
		return fmt.Sprintf("%d年%d月", t.Year(), int(t.Month()))
	}
	return t.Format("Jan 2006")
}
