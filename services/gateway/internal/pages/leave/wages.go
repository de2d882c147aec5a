package leave

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	leaveapi "github.com/anxin-welfare/anxin/api/client/leave"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Finance's wage import for the unused-leave compensation
// (POST /pay-imports/{year}): upload the year's wage file, read the dry
// run's problems by row and column, fix the file, then record it all at
// once. The template lists the members the report lacks pay for, so
// finance fills in amounts rather than typing ids.

// maxWageFile bounds an uploaded wage file (the leave service takes 4 MiB).
const maxWageFile = 4 << 20

// wageImport is the service's reading of a wage file, as the page shows it.
type wageImport struct {
	DryRun                      bool
	Year                        int
	Created, Updated, Unchanged int
	Rows                        []wageRow
	Problems                    []wageProblem
}

// wageRow is a line of the file and what the import does with it.
type wageRow struct {
	Line                                                 int
	Action                                               string
	MemberID, MemberName, UnitID, AnnualPay, MonthlyWage string
}

// wageProblem is a line (and column) of the file the service refused.
type wageProblem struct {
	Line           int
	Field, Message string
}

func wageImportOf(p leaveapi.PayImport) wageImport {
	out := wageImport{DryRun: webkit.Deref(p.DryRun), Year: webkit.Deref(p.Year), Created: webkit.Deref(p.Created), Updated: webkit.Deref(p.Updated), Unchanged: webkit.Deref(p.Unchanged)}
	for _, r := range webkit.Deref(p.Rows) {
		out.Rows = append(out.Rows, wageRow{Line: webkit.Deref(r.Line), Action: string(webkit.Deref(r.Action)), MemberID: webkit.Deref(r.MemberId),
			MemberName: webkit.Deref(r.MemberName), UnitID: webkit.Deref(r.UnitId), AnnualPay: webkit.Deref(r.AnnualPay), MonthlyWage: webkit.Deref(r.MonthlyWage)})
	}
	for _, pr := range webkit.Deref(p.Problems) {
		out.Problems = append(out.Problems, wageProblem{Line: webkit.Deref(pr.Line), Field: string(webkit.Deref(pr.Field)), Message: webkit.Deref(pr.Message)})
	}
	return out
}

// wagesData is the import page: the upload form, then the dry run's
// preview with the file carried in the page for the real run (nothing is
// kept on the server between the two steps).
type wagesData struct {
	Year     int
	Result   *wageImport
	FileName string
	Content  string
	Rejected []web.Message
}

func (a *area) registerWagePages(g, uploads *gin.RouterGroup) {
	finance := a.RequireUser(domain.RoleFinance)
	g.GET("/finance/compensation/wages", finance, a.wagesPage)
	uploads.POST("/finance/compensation/wages", finance, a.wagesUpload)
	g.GET("/finance/compensation/wages/template", finance, a.wagesTemplate)
}

// wageYear reads the year of the query or form, this year by default.
func (a *area) wageYear(v string) (int, bool) {
	if v == "" {
		return clock.Today(a.Clock).Year(), true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 2000 && n <= 2100
}

func (a *area) wagesPage(c *gin.Context) {
	y, ok := a.wageYear(c.Query("year"))
	if !ok {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	a.renderWages(c, http.StatusOK, wagesData{Year: y})
}

func (a *area) renderWages(c *gin.Context, status int, d wagesData) {
	p := a.Page(c, "web.wages.title")
	p.Data = d
	a.WithUnitNames(c, p)
	a.Render(c, status, "compensation_wages", p)
}

// wagesUpload runs the dry run of an uploaded file, or the real import of
// the file a clean preview carried back; a recorded import goes back to
// the report with what it did.
func (a *area) wagesUpload(c *gin.Context) {
	y, ok := a.wageYear(c.PostForm("year"))
	if !ok {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	d := wagesData{Year: y}
	refuse := func(key string, args ...any) {
		d.Rejected = []web.Message{web.Msg(key, args...)}
		a.renderWages(c, http.StatusUnprocessableEntity, d)
	}
	var data []byte
	confirm := c.PostForm("confirm") != ""
	if confirm {
		raw, err := base64.StdEncoding.DecodeString(c.PostForm("content"))
		if err != nil || len(raw) == 0 || len(raw) > maxWageFile {
			a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
			return
		}
		data, d.FileName = raw, path.Base(c.PostForm("file_name"))
	} else {
		fh, err := c.FormFile("file")
		if err != nil {
			refuse("web.wages.choose_file")
			return
		}
		if fh.Size > maxWageFile {
			refuse("web.wages.too_large", maxWageFile>>20)
			return
		}
		f, err := fh.Open()
		if err != nil {
			a.Fail(c, err)
			return
		}
		defer f.Close()
		if data, err = io.ReadAll(io.LimitReader(f, maxWageFile+1)); err != nil {
			a.Fail(c, err)
			return
		}
		d.FileName = path.Base(fh.Filename)
	}
	format := leaveapi.ImportPayParamsFormat(strings.TrimPrefix(strings.ToLower(path.Ext(d.FileName)), "."))
	if format != leaveapi.ImportPayParamsFormatCsv && format != leaveapi.ImportPayParamsFormatXlsx {
		refuse("web.wages.format")
		return
	}
	params := &leaveapi.ImportPayParams{Format: &format}
	if !confirm {
		dry := true
		params.DryRun = &dry
	}
	var res wageImport
	api, err := a.Leave(c)
	if err == nil {
		var r *leaveapi.ImportPayResponse
		r, err = api.ImportPayWithBodyWithResponse(c.Request.Context(), y, params, "application/octet-stream", bytes.NewReader(data))
		switch {
		case err != nil:
		case r.JSON201 != nil:
			res = wageImportOf(*r.JSON201)
		case r.JSON200 != nil:
			res = wageImportOf(*r.JSON200)
		default:
			err = webkit.ErrUnexpected
		}
	}
	if err != nil {
		form := web.NewForm()
		if !webkit.ProblemOnForm(err, form, nil) {
			a.ServiceFailed(c, err)
			return
		}
		// A file the service cannot read, or (real run) a problem that
		// appeared since the preview: its words, nothing recorded.
		d.Rejected = webkit.Messages(form)
		a.renderWages(c, webkit.StatusOf(err), d)
		return
	}
	if confirm {
		back := url.Values{"year": {strconv.Itoa(y)}, "m": {"imported"},
			"created": {strconv.Itoa(res.Created)}, "updated": {strconv.Itoa(res.Updated)}, "unchanged": {strconv.Itoa(res.Unchanged)}}
		c.Redirect(http.StatusSeeOther, "/finance/compensation?"+back.Encode())
		return
	}
	d.Result = &res
	if len(res.Problems) == 0 {
		d.Content = base64.StdEncoding.EncodeToString(data)
	}
	a.renderWages(c, http.StatusOK, d)
}

// wagesTemplate is a CSV (UTF-8 with BOM, so Excel reads the Chinese) of
// the members the year's report lacks pay for, with their names, units and
// categories and the two amount columns empty: what the import reads.
func (a *area) wagesTemplate(c *gin.Context) {
	y, unit, ok := a.compensationQuery(c)
	if !ok {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	rep, err := a.readCompensation(c, y, unit, "", 1)
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	p := a.Page(c, "web.wages.title")
	a.WithUnitNames(c, p)
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	head := []string{"web.wages.col.member_id", "web.wages.col.name", "web.wages.col.unit", "web.wages.col.category", "web.wages.col.annual_pay", "web.wages.col.monthly_wage"}
	for i, k := range head {
		head[i] = i18n.T(p.Lang, k)
	}
	_ = w.Write(head)
	for _, m := range rep.Missing {
		_ = w.Write([]string{m.MemberID, webkit.CSVSafe(m.MemberName), webkit.CSVSafe(p.UnitName(m.UnitID)), i18n.T(p.Lang, "web.members.category."+m.Category), "", ""})
	}
	w.Flush()
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="wages-%d.csv"`, y))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}
