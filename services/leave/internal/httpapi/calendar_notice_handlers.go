package httpapi

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
	"github.com/anxin-welfare/anxin/services/leave/internal/store"
)

// maxNoticeBytes bounds a holiday notice file: a year is a few hundred
// short lines.
const maxNoticeBytes = 256 << 10

type noticeProblemJSON struct {
	Line    int    `json:"line"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type noticeJSON struct {
	DryRun            bool                `json:"dry_run"`
	Year              int                 `json:"year"`
	Off               []Date              `json:"off"`
	Work              []Date              `json:"work"`
	WorkingDaysInYear int                 `json:"working_days_in_year"`
	Problems          []noticeProblemJSON `json:"problems"`
	// Version is the calendar's version: the one saved, or for a dry run
	// the one on file (0: none), to send as If-Match when saving.
	Version int64 `json:"version"`
}

// postCalendarNotice reads the year's holiday notice from the body (the
// format of domain.ParseHolidayNotice). ?dry_run=true previews it, every
// problem by line, and saves nothing; otherwise a notice without problems
// replaces the year's calendar (If-Match: the version, absent to create)
// and one with problems is refused (422, fields lines[<n>]).
func (a *API) postCalendarNotice(c *gin.Context) {
	y, ok := a.yearParam(c, "year", false)
	if !ok {
		return
	}
	v, ok := optionalVersion(c)
	if !ok {
		return
	}
	data, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			httpx.Respond(c, httpx.NewError(http.StatusRequestEntityTooLarge, "leave.notice.too_large", maxNoticeBytes>>10))
			return
		}
		respond(c, err)
		return
	}
	n, problems := domain.ParseHolidayNotice(y, data)
	dryRun := c.Query("dry_run") == "true"
	if !dryRun && len(problems) > 0 {
		fields := make([]fielderr.Problem, len(problems))
		for i, p := range problems {
			fields[i] = fielderr.Problem{Field: fmt.Sprintf("lines[%d]", p.Line), Code: p.Code, Args: localArgs(p.Args)}
		}
		httpx.Respond(c, httpx.Invalid(fields...))
		return
	}
	lang := httpx.Lang(c)
	out := noticeJSON{DryRun: dryRun, Year: y, Off: []Date{}, Work: []Date{}, Problems: []noticeProblemJSON{}}
	for _, p := range problems {
		out.Problems = append(out.Problems, noticeProblemJSON{Line: p.Line, Code: p.Code, Message: i18n.T(lang, p.Code, localArgs(p.Args)...)})
	}
	if dryRun {
		if len(problems) == 0 {
			cal, err := domain.NewWorkCalendar(y, n.Off, n.Work)
			if err != nil {
				respond(c, err)
				return
			}
			out.Off, out.Work, out.WorkingDaysInYear = calendarDates(cal)
		}
		switch cur, err := a.store.Calendar(c.Request.Context(), y); {
		case err == nil:
			out.Version = cur.Version
		case !errors.Is(err, store.ErrNotFound):
			respond(c, err)
			return
		}
		c.JSON(http.StatusOK, out)
		return
	}
	r, err := a.store.PutCalendar(c.Request.Context(), y, n.Off, n.Work, v, auth.Current(c).UserID)
	if err != nil {
		respond(c, err)
		return
	}
	out.Off, out.Work, out.WorkingDaysInYear = calendarDates(r.Calendar)
	out.Version = r.Version
	httpx.SetETag(c, r.Version)
	c.JSON(http.StatusOK, out)
}

func calendarDates(cal *domain.WorkCalendar) ([]Date, []Date, int) {
	off, work := []Date{}, []Date{}
	for _, d := range cal.Off() {
		off = append(off, Date{d})
	}
	for _, d := range cal.Work() {
		work = append(work, Date{d})
	}
	return off, work, cal.WorkingDaysInYear()
}
