package leave

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	openapi_types "github.com/oapi-codegen/runtime/types"

	leaveapi "github.com/anxin-welfare/anxin/api/client/leave"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The work calendar: each year's public holidays and adjusted working
// days (调休), which the leave service counts leave in
// (GET/PUT /calendars/{year}). An administrator enters next year's once the
// State Council publishes it; without it no leave in that year can be
// counted.

// workCalendar is a year's calendar as the page shows it.
type workCalendar struct {
	Year              int
	Off               []string
	Work              []string
	WorkingDaysInYear int
	Version           int64
}

// calendarOf is the page's view of the service's calendar.
func calendarOf(c leaveapi.Calendar) *workCalendar {
	return &workCalendar{Year: webkit.Deref(c.Year), Off: dates(c.Off), Work: dates(c.Work),
		WorkingDaysInYear: webkit.Deref(c.WorkingDaysInYear), Version: int64(webkit.Deref(c.Version))}
}

// calendarDay is a date of the calendar with its weekday (0 Sunday).
type calendarDay struct {
	Date    string
	Weekday int
}

// calendarData is the calendar page. Year is 0 when the year asked for is
// not a year; Calendar is nil when the year has no calendar yet.
type calendarData struct {
	Year     int
	Calendar *workCalendar
	Off      []calendarDay
	Work     []calendarDay
	// Years are quick links: this year and the next.
	Years []int
	// Provisional is true when the year has no calendar and leave in it is
	// counted with the provisional one (weekends only) meanwhile.
	Provisional bool
	// Notice is the preview of an uploaded holiday notice, NoticeFile its
	// name and NoticeContent the file (base64) for the confirming press.
	Notice        *noticePreview
	NoticeFile    string
	NoticeContent string
}

// calendarFieldView is one list of the form: its field name and the
// catalogue keys of its label and hint.
type calendarFieldView struct {
	Name, Label, Hint string
}

// Fields are the form's two lists: days off and adjusted working days.
func (calendarData) Fields() []calendarFieldView {
	return []calendarFieldView{
		{Name: "off", Label: "web.calendar.off", Hint: "web.calendar.off_hint"},
		{Name: "work", Label: "web.calendar.work", Hint: "web.calendar.work_hint"},
	}
}

// maxCalendarDates bounds each list: a year has no more days.
const maxCalendarDates = 366

func (a *area) registerCalendarPages(g, uploads *gin.RouterGroup) {
	admin := a.RequireUser(domain.RoleAdmin)
	g.GET("/admin/calendar", admin, a.calendarPage)
	g.POST("/admin/calendar", admin, a.saveCalendar)
	// The year's holiday notice from a file (calendar_notice.go).
	uploads.POST("/admin/calendar/notice", admin, a.calendarNotice)
}

// calendarPage shows a year's calendar (this year unless ?year= says
// otherwise) and the form that sets it.
func (a *area) calendarPage(c *gin.Context) {
	y := clock.Today(a.Clock).Year()
	if v := c.Query("year"); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 2000 || n > 2100 {
			form := web.NewForm().Set("year", v)
			form.AddError("year", web.Msg("field.range", 2000, 2100))
			p := a.Page(c, "web.calendar.title")
			p.Form, p.Data = form, calendarData{Years: a.calendarYears()}
			a.Render(c, http.StatusUnprocessableEntity, "calendar", p)
			return
		}
		y = n
	}
	var flash *web.Message
	if c.Query("m") == "saved" {
		flash = webkit.Flash("web.calendar.saved", y)
	}
	cal, ok := a.loadCalendar(c, y)
	if !ok {
		return
	}
	a.renderCalendar(c, http.StatusOK, y, cal, calendarForm(y, cal), flash)
}

func (a *area) calendarYears() []int {
	now := clock.Today(a.Clock).Year()
	return []int{now, now + 1}
}

// loadCalendar reads year's calendar: nil when it has none yet. When it
// cannot be read, the page has been answered and ok is false.
func (a *area) loadCalendar(c *gin.Context, year int) (*workCalendar, bool) {
	api, err := a.Leave(c)
	if err != nil {
		a.ServiceFailed(c, err)
		return nil, false
	}
	r, err := api.GetCalendarWithResponse(c.Request.Context(), year)
	switch {
	case err == nil && r.JSON200 != nil:
		return calendarOf(*r.JSON200), true
	case webkit.Refused(err, http.StatusNotFound):
		return nil, true
	default:
		a.ServiceFailed(c, orUnexpected(err, r))
		return nil, false
	}
}

// calendarForm is the form filled with cal as stored (empty without one):
// one date a line.
func calendarForm(year int, cal *workCalendar) *web.Form {
	f := web.NewForm().Set("year", strconv.Itoa(year))
	if cal != nil {
		f.Set("off", strings.Join(cal.Off, "\n")).Set("work", strings.Join(cal.Work, "\n")).
			Set("version", strconv.FormatInt(cal.Version, 10))
	}
	return f
}

func (a *area) renderCalendar(c *gin.Context, status, year int, cal *workCalendar, form *web.Form, flash *web.Message) {
	d := calendarData{Year: year, Calendar: cal, Years: a.calendarYears(), Provisional: cal == nil && year >= clock.Today(a.Clock).Year()}
	if cal != nil {
		d.Off, d.Work = calendarDays(cal.Off), calendarDays(cal.Work)
	}
	if n, ok := c.Get(noticeKey); ok {
		np := n.(calendarData)
		d.Notice, d.NoticeFile, d.NoticeContent = np.Notice, np.NoticeFile, np.NoticeContent
	}
	p := a.Page(c, "web.calendar.title")
	p.Form, p.Data, p.Flash = form, d, flash
	a.Render(c, status, "calendar", p)
}

func calendarDays(dates []string) []calendarDay {
	out := make([]calendarDay, 0, len(dates))
	for _, s := range dates {
		d := calendarDay{Date: s}
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			d.Weekday = int(t.Weekday())
		}
		out = append(out, d)
	}
	return out
}

// calendarLayouts are the ways a date may be typed: 2027-01-01, 2027-1-1,
// 2027/1/1 or 2027.1.1.
var calendarLayouts = []string{time.DateOnly, "2006-1-2", "2006/1/2", "2006.1.2"}

// calendarDates reads a textarea of dates, one a line (blank lines are
// skipped), into dates and the line each came from. A line that is not a
// date is an error of field naming its line.
func calendarDates(form *web.Form, field, text string) ([]openapi_types.Date, []int) {
	dates := []openapi_types.Date{}
	var lines []int
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		var t time.Time
		var err error
		for _, layout := range calendarLayouts {
			if t, err = time.Parse(layout, line); err == nil {
				break
			}
		}
		if err != nil {
			form.AddError(field, web.Msg("web.calendar.bad_date", i+1, line))
			continue
		}
		dates, lines = append(dates, openapi_types.Date{Time: t}), append(lines, i+1)
	}
	if len(dates) > maxCalendarDates {
		form.AddError(field, web.Msg("web.calendar.too_many", maxCalendarDates))
	}
	return dates, lines
}

// calendarField is a field of the leave API's answer: "off[3]", the
// fourth date of the list.
var calendarField = regexp.MustCompile(`^(off|work)\[(\d+)\]$`)

// saveCalendar sets a year's calendar (PUT /calendars/{year}): created
// without If-Match when the page showed none, replaced at the version
// shown otherwise. A calendar changed meanwhile is not overwritten: the
// form comes back with it as it is now.
func (a *area) saveCalendar(c *gin.Context) {
	year, err := strconv.Atoi(c.PostForm("year"))
	if err != nil || year < 2000 || year > 2100 {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	version, _ := strconv.ParseInt(c.PostForm("version"), 10, 64)
	form := web.NewForm().Set("year", strconv.Itoa(year))
	if version > 0 {
		form.Set("version", strconv.FormatInt(version, 10))
	}
	form.Set("off", c.PostForm("off")).Set("work", c.PostForm("work"))
	off, offLines := calendarDates(form, "off", form.Value("off"))
	work, workLines := calendarDates(form, "work", form.Value("work"))
	shown := func(status int, form *web.Form) {
		cal, ok := a.loadCalendar(c, year)
		if ok {
			a.renderCalendar(c, status, year, cal, form, nil)
		}
	}
	if form.HasErrors() {
		shown(http.StatusUnprocessableEntity, form)
		return
	}
	api, err := a.Leave(c)
	if err == nil {
		//nolint:bodyclose // webkit.Done drains and closes it
		err = webkit.Done(api.PutCalendar(c.Request.Context(), year, &leaveapi.PutCalendarParams{IfMatch: ifMatchOptional(version)},
			leaveapi.PutCalendarJSONRequestBody{Off: &off, Work: &work}))
	}
	status, problem, refused := webkit.Refusal(err)
	switch {
	case err == nil:
		c.Redirect(http.StatusSeeOther, "/admin/calendar?year="+strconv.Itoa(year)+"&m=saved")
	case webkit.VersionMismatch(err):
		if cal, ok := a.loadCalendar(c, year); ok {
			a.renderCalendar(c, http.StatusConflict, year, cal, calendarForm(year, cal).AddError("", web.Msg("web.calendar.changed")), nil)
		}
	case refused && status == http.StatusUnprocessableEntity && len(problem.Errors) > 0:
		// Each date's problem goes to its list, said with its line.
		l := a.Lang(c)
		for _, fe := range problem.Errors {
			m := calendarField.FindStringSubmatch(fe.Field)
			if m == nil {
				form.AddError("", web.Localized(fe.Message))
				continue
			}
			lines := offLines
			if m[1] == "work" {
				lines = workLines
			}
			if i, err := strconv.Atoi(m[2]); err == nil && i < len(lines) {
				form.AddError(m[1], web.Localized(i18n.T(l, "web.calendar.line", lines[i], fe.Message)))
			} else {
				form.AddError(m[1], web.Localized(fe.Message))
			}
		}
		shown(http.StatusUnprocessableEntity, form)
	case webkit.ProblemOnForm(err, form, nil):
		shown(webkit.StatusOf(err), form)
	default:
		a.ServiceFailed(c, err)
	}
}
