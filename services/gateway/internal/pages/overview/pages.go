package overview

import (
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
	"golang.org/x/sync/errgroup"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	injuryapi "github.com/anxin-welfare/anxin/api/client/injury"
	leaveapi "github.com/anxin-welfare/anxin/api/client/leave"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/report"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The overview reads read models of units × months through each service's
// reporting route, which decides what the caller may see: approvers and
// leaders every unit, unit heads their own. The gateway admits the same
// roles (area.go), so nobody else reaches a service.

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

// months are the filter's first and last month, and its unit (nil: every
// unit the caller may see), as the reporting routes take them.
func (f overviewFilter) months() (from, to string, unit *[]string) {
	from, to = f.Filter.From.Format("2006-01"), f.Filter.To.Format("2006-01")
	if f.Unit != "" {
		unit = &[]string{f.Unit}
	}
	return from, to, unit
}

// readOverviewFilter reads ?from&to&unit with the services' own rules
// (pkg/report), so that a mistake is explained beside its field instead of
// being refused by three services.
func (a *area) readOverviewFilter(c *gin.Context, form *web.Form) overviewFilter {
	q := c.Request.URL.Query()
	f := overviewFilter{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")), Unit: strings.TrimSpace(q.Get("unit"))}
	form.Set("from", f.From).Set("to", f.To).Set("unit", f.Unit)
	clean := url.Values{}
	for k, v := range map[string]string{"from": f.From, "to": f.To, "unit": f.Unit} {
		if v != "" {
			clean.Set(k, v)
		}
	}
	rf, err := report.FromQuery(clean, a.Clock.Now())
	var he *httpx.Error
	if errors.As(err, &he) {
		for _, fe := range he.Fields {
			form.AddError(fe.Field, web.Msg(fe.Code, fe.Args...))
		}
		rf, _ = report.FromQuery(url.Values{}, a.Clock.Now())
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
// overviewTimeout ends them early). The clients are made here; the kit
// signs each call with the page's user and language, which it reads from
// c under gin's lock.
func (a *area) startOverview(c *gin.Context, f overviewFilter) *overviewFetch {
	ctx, cancel := context.WithTimeout(c.Request.Context(), overviewTimeout)
	o := &overviewFetch{g: &errgroup.Group{}, cancel: cancel}
	from, to, unit := f.months()
	injury, injuryErr := a.InjuryWithin(ctx, c)
	o.g.Go(func() error {
		if injuryErr != nil {
			return injuryErr
		}
		r, err := injury.InjuryOverviewReportWithResponse(ctx, &injuryapi.InjuryOverviewReportParams{From: &from, To: &to, Unit: unit})
		if err != nil {
			return err
		}
		o.r.Injury, err = injuryReportOf(r)
		return err
	})
	grants, grantsErr := a.GrantsWithin(ctx, c)
	o.g.Go(func() error {
		if grantsErr != nil {
			return grantsErr
		}
		r, err := grants.GrantsOverviewReportWithResponse(ctx, &grantsapi.GrantsOverviewReportParams{From: &from, To: &to, Unit: unit})
		if err != nil {
			return err
		}
		o.r.Grants, err = grantsReportOf(r)
		return err
	})
	leave, leaveErr := a.LeaveWithin(ctx, c)
	o.g.Go(func() error {
		if leaveErr != nil {
			return leaveErr
		}
		r, err := leave.LeaveOverviewReportWithResponse(ctx, &leaveapi.LeaveOverviewReportParams{From: &from, To: &to, Unit: unit})
		if err != nil {
			return err
		}
		o.r.Leave, err = leaveReportOf(r)
		return err
	})
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
func (a *area) fetchOverview(c *gin.Context, form *web.Form, f *overviewFilter) (*web.Page, []unitOption, overviewReports, error) {
	committee := a.User(c).Has(committeeRoles...)
	if f.Unit != "" && !committee && !slices.Contains(a.User(c).Units, f.Unit) {
		form.AddError("unit", web.Msg("web.overview.unit_not_yours"))
		f.Unit = ""
	}
	fetch := a.startOverview(c, *f)
	p := a.Page(c, "web.overview.title")
	units := a.overviewUnits(c, p)
	if f.Unit != "" && !slices.ContainsFunc(units, func(u unitOption) bool { return u.ID == f.Unit }) {
		_, _ = fetch.wait()
		form.AddError("unit", web.Msg("web.overview.unit_not_yours"))
		f.Unit = ""
		fetch = a.startOverview(c, *f)
	}
	r, err := fetch.wait()
	return p, units, r, err
}

// unitOption is a unit the filter offers, by name.
type unitOption struct{ ID, Name string }

// overviewUnits lists the units the viewer may pick: every unit for the
// committee, their own for a unit head; sorted by name.
func (a *area) overviewUnits(c *gin.Context, p *web.Page) []unitOption {
	a.WithUnitNames(c, p)
	u := a.User(c)
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
func (a *area) overviewPage(c *gin.Context) {
	a.renderOverview(c, http.StatusOK, web.NewForm(), webkit.FlashOf(c, map[string]string{"target": "web.overview.target_saved"}))
}

func (a *area) renderOverview(c *gin.Context, status int, form *web.Form, flash *web.Message) {
	f := a.readOverviewFilter(c, form)
	// A unit that is not offered is refused on the form: the services
	// would refuse it too.
	p, units, reps, err := a.fetchOverview(c, form, &f)
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	d := overviewData{Filter: f, Units: units, Sections: overviewSections(a.Lang(c), p, reps),
		Export:       "/overview/export?" + f.query(),
		CanSetTarget: a.User(c).Has(committeeRoles...), TargetYear: f.Filter.To.Year(),
		GeneratedAt: clock.Local(a.Clock.Now()).Format("2006-01-02 15:04")}
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
	a.Render(c, status, "overview", p)
}

// overviewExport answers the overview's every table as one XLSX workbook,
// a sheet per table, numbers as numbers (workbook.go).
func (a *area) overviewExport(c *gin.Context) {
	form := web.NewForm()
	f := a.readOverviewFilter(c, form)
	unit := f.Unit
	p, _, reps, err := a.fetchOverview(c, form, &f)
	if unit != "" && f.Unit == "" {
		// a unit that is not offered: the export does not fall back
		a.ErrorPage(c, http.StatusForbidden, "web.error.403")
		return
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	body, err := overviewWorkbook(overviewSections(a.Lang(c), p, reps))
	if err != nil {
		a.Log.ErrorContext(c, "overview workbook", "error", err)
		a.ErrorPage(c, http.StatusInternalServerError, "web.error.500")
		return
	}
	name := fmt.Sprintf("overview-%s-%s.xlsx", f.Filter.From.Format("200601"), f.Filter.To.Format("200601"))
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body)
}

// setUptakeTarget sets the year's uptake target through the leave service
// (PUT /reports/uptake-targets/{year}) and comes back to the overview.
func (a *area) setUptakeTarget(c *gin.Context) {
	form := web.NewForm().Set("target_percent", c.PostForm("target_percent"))
	year, err := strconv.Atoi(c.PostForm("year"))
	if err != nil || year < 2000 || year > 2999 {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	pct, err := strconv.Atoi(strings.TrimSpace(c.PostForm("target_percent")))
	if err != nil {
		form.AddError("target_percent", web.Msg("web.overview.target_whole"))
		a.overviewAgain(c, form)
		return
	}
	api, err := a.Leave(c)
	if err == nil {
		//nolint:bodyclose // webkit.Done drains and closes it
		err = webkit.Done(api.PutUptakeTarget(c.Request.Context(), year, &leaveapi.PutUptakeTargetParams{},
			leaveapi.PutUptakeTargetJSONRequestBody{TargetPercent: pct}))
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, nil) {
			a.overviewAgain(c, form)
			return
		}
		a.ServiceFailed(c, err)
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
func (a *area) overviewAgain(c *gin.Context, form *web.Form) {
	q := url.Values{}
	for _, k := range []string{"from", "to", "unit"} {
		if v := c.PostForm(k); v != "" {
			q.Set(k, v)
		}
	}
	c.Request.URL.RawQuery = q.Encode()
	a.renderOverview(c, http.StatusUnprocessableEntity, form, nil)
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
