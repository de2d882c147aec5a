package httpapi

import (
	"encoding/base64"
	"io"
	"net/http"
	"path"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The year's holiday notice from a file (POST /api/v1/leave/calendars/
// {year}/notice): the administrator uploads the State Council's notice as
// lines of date[~date],kind[,name], reads the preview (the days off and
// the weekend working days with their weekdays, or each problem by line),
// and saves it with a second press that carries the file back.

// maxNoticeFile bounds an uploaded notice (the leave service takes 256 KiB).
const maxNoticeFile = 256 << 10

// noticeKey carries the preview from calendarNotice to renderCalendar.
const noticeKey = "calendar-notice"

// noticePreview is the leave API's answer to a notice.
type noticePreview struct {
	Year              int      `json:"year"`
	Off               []string `json:"off"`
	Work              []string `json:"work"`
	WorkingDaysInYear int      `json:"working_days_in_year"`
	Version           int64    `json:"version"`
	Problems          []struct {
		Line    int    `json:"line"`
		Message string `json:"message"`
	} `json:"problems"`
}

// OffDays and WorkDays are the lists with their weekdays.
func (n noticePreview) OffDays() []calendarDay  { return calendarDays(n.Off) }
func (n noticePreview) WorkDays() []calendarDay { return calendarDays(n.Work) }

// calendarNotice previews an uploaded notice, or saves the one a clean
// preview carried back (confirm=1, at the calendar's version then).
func (h *handlers) calendarNotice(c *gin.Context) {
	year, err := strconv.Atoi(c.PostForm("year"))
	if err != nil || year < 2000 || year > 2100 {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	refuse := func(key string, args ...any) {
		form := web.NewForm().Set("year", strconv.Itoa(year)).AddError("notice", web.Msg(key, args...))
		if cal, ok := h.loadCalendar(c, year); ok {
			h.renderCalendar(c, http.StatusUnprocessableEntity, year, cal, form, nil)
		}
	}
	var data []byte
	var name string
	confirm := c.PostForm("confirm") != ""
	if confirm {
		raw, err := base64.StdEncoding.DecodeString(c.PostForm("content"))
		if err != nil || len(raw) == 0 || len(raw) > maxNoticeFile {
			h.errorPage(c, http.StatusBadRequest, "web.error.400")
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
			h.fail(c, err)
			return
		}
		defer f.Close()
		if data, err = io.ReadAll(io.LimitReader(f, maxNoticeFile+1)); err != nil {
			h.fail(c, err)
			return
		}
		name = path.Base(fh.Filename)
	}
	api := leaveAPI + "/calendars/" + strconv.Itoa(year) + "/notice"
	var version int64
	if !confirm {
		api += "?dry_run=true"
	} else {
		version, _ = strconv.ParseInt(c.PostForm("version"), 10, 64)
	}
	var n noticePreview
	_, err = h.call(c, http.MethodPost, "leave", api, max(version, 0), RawBody{ContentType: "text/plain; charset=utf-8", Data: data}, &n)
	switch {
	case err == nil && confirm:
		c.Redirect(http.StatusSeeOther, "/admin/calendar?year="+strconv.Itoa(year)+"&m=saved")
		return
	case versionMismatch(err):
		// Saved by someone else since the preview: show the calendar now.
		if cal, ok := h.loadCalendar(c, year); ok {
			h.renderCalendar(c, http.StatusConflict, year, cal, calendarForm(year, cal).AddError("", web.Msg("web.calendar.changed")), nil)
		}
		return
	case err != nil:
		form := web.NewForm().Set("year", strconv.Itoa(year))
		if !problemOnForm(err, form, nil) {
			h.serviceFailed(c, err)
			return
		}
		for _, m := range flatten(form) {
			form.AddError("notice", m)
		}
		if cal, ok := h.loadCalendar(c, year); ok {
			h.renderCalendar(c, statusOf(err), year, cal, form, nil)
		}
		return
	}
	d := calendarData{Notice: &n, NoticeFile: name}
	if len(n.Problems) == 0 {
		d.NoticeContent = base64.StdEncoding.EncodeToString(data)
	}
	c.Set(noticeKey, d)
	cal, ok := h.loadCalendar(c, year)
	if !ok {
		return
	}
	h.renderCalendar(c, http.StatusOK, year, cal, calendarForm(year, cal), nil)
}
