package leave

import (
	"encoding/base64"
	"io"
	"net/http"
	"path"
	"strconv"

	"github.com/gin-gonic/gin"

	leaveapi "github.com/anxin-welfare/anxin/api/client/leave"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The year's holiday notice from a file (POST /calendars/{year}/notice): the
// administrator uploads the State Council's notice as lines of
// date[~date],kind[,name], reads the preview (the days off and the weekend
// working days with their weekdays, or each problem by line), and saves it
// with a second press that carries the file back.

// maxNoticeFile bounds an uploaded notice (the leave service takes 256 KiB).
const maxNoticeFile = 256 << 10

// noticeKey carries the preview from calendarNotice to renderCalendar.
const noticeKey = "calendar-notice"

// noticePreview is the service's reading of a notice, as the page shows it.
type noticePreview struct {
	Year              int
	Off               []string
	Work              []string
	WorkingDaysInYear int
	Version           int64
	Problems          []noticeProblem
}

// noticeProblem is a line of the notice the service could not read.
type noticeProblem struct {
	Line    int
	Message string
}

// OffDays and WorkDays are the lists with their weekdays.
func (n noticePreview) OffDays() []calendarDay  { return calendarDays(n.Off) }
func (n noticePreview) WorkDays() []calendarDay { return calendarDays(n.Work) }

// calendarNotice previews an uploaded notice, or saves the one a clean
// preview carried back (confirm=1, at the calendar's version then).
func (a *area) calendarNotice(c *gin.Context) {
	year, err := strconv.Atoi(c.PostForm("year"))
	if err != nil || year < 2000 || year > 2100 {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	refuse := func(key string, args ...any) {
		form := web.NewForm().Set("year", strconv.Itoa(year)).AddError("notice", web.Msg(key, args...))
		if cal, ok := a.loadCalendar(c, year); ok {
			a.renderCalendar(c, http.StatusUnprocessableEntity, year, cal, form, nil)
		}
	}
	var data []byte
	var name string
	confirm := c.PostForm("confirm") != ""
	if confirm {
		raw, err := base64.StdEncoding.DecodeString(c.PostForm("content"))
		if err != nil || len(raw) == 0 || len(raw) > maxNoticeFile {
			a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
			return
		}
		data, name = raw, path.Base(c.PostForm("file_name"))
	} else {
		fh, err := c.FormFile("notice")
		if err != nil {
			refuse("web.notice.choose_file")
			return
		}
		if fh.Size > maxNoticeFile {
			refuse("web.notice.too_large", maxNoticeFile>>10)
			return
		}
		f, err := fh.Open()
		if err != nil {
			a.Fail(c, err)
			return
		}
		defer f.Close()
		if data, err = io.ReadAll(io.LimitReader(f, maxNoticeFile+1)); err != nil {
			a.Fail(c, err)
			return
		}
		name = path.Base(fh.Filename)
	}
	params := &leaveapi.ImportHolidayNoticeParams{}
	if !confirm {
		dry := true
		params.DryRun = &dry
	} else {
		version, _ := strconv.ParseInt(c.PostForm("version"), 10, 64)
		params.IfMatch = ifMatchOptional(version)
	}
	var n noticePreview
	api, err := a.Leave(c)
	if err == nil {
		var r *leaveapi.ImportHolidayNoticeResponse
		r, err = api.ImportHolidayNoticeWithTextBodyWithResponse(c.Request.Context(), year, params, string(data))
		if err == nil && r.JSON200 == nil {
			err = webkit.ErrUnexpected
		}
		if err == nil {
			j := r.JSON200
			n = noticePreview{Year: webkit.Deref(j.Year), Off: dates(j.Off), Work: dates(j.Work),
				WorkingDaysInYear: webkit.Deref(j.WorkingDaysInYear), Version: int64(webkit.Deref(j.Version))}
			for _, p := range webkit.Deref(j.Problems) {
				n.Problems = append(n.Problems, noticeProblem{Line: webkit.Deref(p.Line), Message: webkit.Deref(p.Message)})
			}
		}
	}
	switch {
	case err == nil && confirm:
		c.Redirect(http.StatusSeeOther, "/admin/calendar?year="+strconv.Itoa(year)+"&m=saved")
		return
	case webkit.VersionMismatch(err):
		// Saved by someone else since the preview: show the calendar now.
		if cal, ok := a.loadCalendar(c, year); ok {
			a.renderCalendar(c, http.StatusConflict, year, cal, calendarForm(year, cal).AddError("", web.Msg("web.calendar.changed")), nil)
		}
		return
	case err != nil:
		form := web.NewForm().Set("year", strconv.Itoa(year))
		if !webkit.ProblemOnForm(err, form, nil) {
			a.ServiceFailed(c, err)
			return
		}
		for _, fe := range form.FieldErrors() {
			form.AddError("notice", fe.Message)
		}
		if cal, ok := a.loadCalendar(c, year); ok {
			a.renderCalendar(c, webkit.StatusOf(err), year, cal, form, nil)
		}
		return
	}
	d := calendarData{Notice: &n, NoticeFile: name}
	if len(n.Problems) == 0 {
		d.NoticeContent = base64.StdEncoding.EncodeToString(data)
	}
	c.Set(noticeKey, d)
	cal, ok := a.loadCalendar(c, year)
	if !ok {
		return
	}
	a.renderCalendar(c, http.StatusOK, year, cal, calendarForm(year, cal), nil)
}
