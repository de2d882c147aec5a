package httpapi

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

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Finance's wage import for the unused-leave compensation
// (POST /api/v1/leave/pay-imports/{year}): upload the year's wage file,
// read the dry run's problems by row and column, fix the file, then record
// it all at once. The template lists the members the report lacks pay for,
// so finance fills in amounts rather than typing ids.

// maxWageFile bounds an uploaded wage file (the leave service takes 4 MiB).
const maxWageFile = 4 << 20

// wageImport is the PayImport of the leave API.
type wageImport struct {
	DryRun    bool `json:"dry_run"`
	Year      int  `json:"year"`
	Created   int  `json:"created"`
	Updated   int  `json:"updated"`
	Unchanged int  `json:"unchanged"`
	Rows      []struct {
		Line        int    `json:"line"`
		Action      string `json:"action"`
		MemberID    string `json:"member_id"`
		MemberName  string `json:"member_name"`
		UnitID      string `json:"unit_id"`
		AnnualPay   string `json:"annual_pay"`
		MonthlyWage string `json:"monthly_wage"`
	} `json:"rows"`
	Problems []struct {
		Line    int    `json:"line"`
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"problems"`
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

func (h *handlers) registerWagePages(g, uploads *gin.RouterGroup) {
	finance := h.requireUser(domain.RoleFinance)
	g.GET("/finance/compensation/wages", finance, h.wagesPage)
	uploads.POST("/finance/compensation/wages", finance, h.wagesUpload)
	g.GET("/finance/compensation/wages/template", finance, h.wagesTemplate)
}

// wageYear reads the year of the query or form, this year by default.
func (h *handlers) wageYear(v string) (int, bool) {
	if v == "" {
		return clock.Today(h.Clock).Year(), true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 2000 && n <= 2100
}

func (h *handlers) wagesPage(c *gin.Context) {
	y, ok := h.wageYear(c.Query("year"))
	if !ok {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	h.renderWages(c, http.StatusOK, wagesData{Year: y})
}

func (h *handlers) renderWages(c *gin.Context, status int, d wagesData) {
	p := h.page(c, "web.wages.title")
	p.Data = d
	h.withUnitNames(c, p)
	h.render(c, status, "compensation_wages", p)
}

// wagesUpload runs the dry run of an uploaded file, or the real import of
// the file a clean preview carried back; a recorded import goes back to
// the report with what it did.
func (h *handlers) wagesUpload(c *gin.Context) {
	y, ok := h.wageYear(c.PostForm("year"))
	if !ok {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	d := wagesData{Year: y}
	refuse := func(key string, args ...any) {
		d.Rejected = []web.Message{web.Msg(key, args...)}
		h.renderWages(c, http.StatusUnprocessableEntity, d)
	}
	var data []byte
	confirm := c.PostForm("confirm") != ""
	if confirm {
		raw, err := base64.StdEncoding.DecodeString(c.PostForm("content"))
		if err != nil || len(raw) == 0 || len(raw) > maxWageFile {
			h.errorPage(c, http.StatusBadRequest, "web.error.400")
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
			h.fail(c, err)
			return
		}
		defer f.Close()
		if data, err = io.ReadAll(io.LimitReader(f, maxWageFile+1)); err != nil {
			h.fail(c, err)
			return
		}
		d.FileName = path.Base(fh.Filename)
	}
	format := strings.TrimPrefix(strings.ToLower(path.Ext(d.FileName)), ".")
	if format != "csv" && format != "xlsx" {
		refuse("web.wages.format")
		return
	}
	q := url.Values{"format": {format}}
	if !confirm {
		q.Set("dry_run", "true")
	}
	var res wageImport
	_, err := h.call(c, http.MethodPost, "leave", leaveAPI+"/pay-imports/"+strconv.Itoa(y)+"?"+q.Encode(), 0,
		RawBody{ContentType: "application/octet-stream", Data: data}, &res)
	if err != nil {
		form := web.NewForm()
		if !problemOnForm(err, form, nil) {
			h.serviceFailed(c, err)
			return
		}
		// A file the service cannot read, or (real run) a problem that
		// appeared since the preview: its words, nothing recorded.
		d.Rejected = append(form.General(), flatten(form)...)
		h.renderWages(c, statusOf(err), d)
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
	h.renderWages(c, http.StatusOK, d)
}

// wagesTemplate is a CSV (UTF-8 with BOM, so Excel reads the Chinese) of
// the members the year's report lacks pay for, with their names, units and
// categories and the two amount columns empty: what the import reads.
func (h *handlers) wagesTemplate(c *gin.Context) {
	y, unit, ok := h.compensationQuery(c)
	if !ok {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	q := url.Values{"limit": {"1"}}
	if unit != "" {
		q.Set("unit", unit)
	}
	var rep compensationReport
	if _, err := h.call(c, http.MethodGet, "leave", leaveAPI+"/compensation/"+strconv.Itoa(y)+"?"+q.Encode(), 0, nil, &rep); err != nil {
		h.serviceFailed(c, err)
		return
	}
	p := h.page(c, "web.wages.title")
	h.withUnitNames(c, p)
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	head := []string{"web.wages.col.member_id", "web.wages.col.name", "web.wages.col.unit", "web.wages.col.category", "web.wages.col.annual_pay", "web.wages.col.monthly_wage"}
	for i, k := range head {
		head[i] = i18n.T(p.Lang, k)
	}
	_ = w.Write(head)
	for _, m := range rep.MissingPayMembers {
		_ = w.Write([]string{m.MemberID, csvSafe(m.MemberName), csvSafe(p.UnitName(m.UnitID)), i18n.T(p.Lang, "web.members.category."+m.Category), "", ""})
	}
	w.Flush()
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="wages-%d.csv"`, y))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// csvSafe stops a spreadsheet reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
