package finance

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Ledger exports: finance asks for one from the finance page, watches its
// progress and downloads the file the grants service wrote.

// exportJob is an export as its progress page shows it.
type exportJob struct {
	ID string
	// FileName is what the file holds: 分类账_2026-01-01_2026-06-30.xlsx.
	FileName            string
	Format              string
	State               string
	RowsDone, RowsTotal int
	Error               string
}

func exportOf(j grantsapi.ExportJob) exportJob {
	return exportJob{ID: webkit.Deref(j.Id), FileName: webkit.Deref(j.FileName), Format: string(webkit.Deref(j.Format)), State: string(webkit.Deref(j.State)),
		RowsDone: webkit.Deref(j.RowsDone), RowsTotal: webkit.Deref(j.RowsTotal), Error: webkit.Deref(j.Error)}
}

// exportStart queues a ledger export and shows its progress page.
func (a *area) exportStart(c *gin.Context) {
	form := webkit.PostedForm(c, "fund_id", "from", "to", "format", "program_id")
	body := grantsapi.CreateExportJSONRequestBody{Format: grantsapi.CreateExportJSONBodyFormat(form.Value("format"))}
	// The generated body holds ids and days, not text: what is none is
	// said next to its field here, the rest the service decides.
	if id, err := uuid.Parse(form.Value("fund_id")); err == nil {
		body.FundId = id
	} else {
		form.AddError("fund_id", web.Msg("field.invalid"))
	}
	body.From.Time = webkit.FormDate(form, "from")
	body.To.Time = webkit.FormDate(form, "to")
	if pr := form.Value("program_id"); pr != "" {
		if id, err := uuid.Parse(pr); err == nil {
			body.ProgramId = &id
		} else {
			form.AddError("program_id", web.Msg("field.invalid"))
		}
	}
	if form.HasErrors() {
		a.renderFinance(c, http.StatusUnprocessableEntity, form.Value("fund_id"), form)
		return
	}
	api, err := a.Grants(c)
	var r *grantsapi.CreateExportResponse
	if err == nil {
		r, err = api.CreateExportWithResponse(c.Request.Context(), body)
	}
	if err == nil && r.JSON202 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		if !webkit.ProblemOnForm(err, form, nil) {
			a.ServiceFailed(c, err)
			return
		}
		// The finance page again, the export form with what was typed
		// and each problem next to its field.
		a.renderFinance(c, webkit.StatusOf(err), form.Value("fund_id"), form)
		return
	}
	c.Redirect(http.StatusSeeOther, "/finance/exports/"+url.PathEscape(webkit.Deref(r.JSON202.Id)))
}

// export reads an export job; false means the error page was drawn.
func (a *area) export(c *gin.Context, id string) (exportJob, bool) {
	api, err := a.Grants(c)
	var r *grantsapi.GetExportResponse
	if err == nil {
		r, err = api.GetExportWithResponse(c.Request.Context(), id)
	}
	if err == nil && r.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return exportJob{}, false
	}
	return exportOf(*r.JSON200), true
}

// exportPage shows an export's progress; until it is done the page
// reloads itself every two seconds (a meta refresh, no script).
func (a *area) exportPage(c *gin.Context) {
	job, ok := a.export(c, c.Param("id"))
	if !ok {
		return
	}
	p := a.Page(c, "web.finance.export")
	p.Data = job
	a.Render(c, http.StatusOK, "export", p)
}

// exportDownload streams the finished file from the service, named by
// what it holds (the service's name: the ledger, its programme, its
// dates), in UTF-8 with an ASCII fallback; the header is built by
// httpx.Attachment, which keeps anything that could break it out.
func (a *area) exportDownload(c *gin.Context) {
	id := c.Param("id")
	job, ok := a.export(c, id)
	if !ok {
		return
	}
	api, err := a.GrantsDownload(c)
	var resp *http.Response
	if err == nil {
		// The file as it comes, not read whole: ClientInterface's method.
		resp, err = api.DownloadExport(c.Request.Context(), id)
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	defer resp.Body.Close()
	ext, ctype := "csv", "text/csv; charset=utf-8"
	if job.Format == "xlsx" {
		ext, ctype = "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	name := job.FileName
	if name == "" || !strings.HasSuffix(name, "."+ext) {
		name = "ledger-" + webkit.SafeName(id) + "." + ext
	}
	if err := webkit.PassFile(c, resp, ctype, httpx.Attachment(name, asciiFileName(name))); err != nil {
		a.Log.WarnContext(c, "export download interrupted", "export", id, "error", err)
	}
}

// asciiFileName is the fallback of a file name for clients that cannot
// read UTF-8 ones: "分类账_2026-01-01_2026-06-30.xlsx" becomes
// "ledger_2026-01-01_2026-06-30.xlsx".
func asciiFileName(name string) string {
	plain := strings.Map(func(r rune) rune {
		if r > 0x7e {
			return -1
		}
		return r
	}, name)
	if plain == name {
		return name
	}
	return "ledger_" + strings.TrimLeft(plain, "_")
}
