package members

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	enrollmentapi "github.com/anxin-welfare/anxin/api/client/enrollment"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// rosterResult is the registry's ImportResult as the page shows it.
type rosterResult struct {
	DryRun                      bool
	Created, Updated, Unchanged int
	Rows                        []rosterRow
	Problems                    []rosterProblem
}

// rosterRow is what the import does with one line.
type rosterRow struct {
	Line   int
	Action string
}

// rosterProblem is what is wrong with one line.
type rosterProblem struct {
	Line           int
	Field, Message string
}

func rosterResultOf(r *enrollmentapi.ImportResult) *rosterResult {
	out := &rosterResult{DryRun: webkit.Deref(r.DryRun), Created: webkit.Deref(r.Created), Updated: webkit.Deref(r.Updated), Unchanged: webkit.Deref(r.Unchanged)}
	for _, row := range webkit.Deref(r.Rows) {
		out.Rows = append(out.Rows, rosterRow{Line: webkit.Deref(row.Line), Action: string(webkit.Deref(row.Action))})
	}
	for _, p := range webkit.Deref(r.Problems) {
		out.Problems = append(out.Problems, rosterProblem{Line: webkit.Deref(p.Line), Field: webkit.Deref(p.Field), Message: webkit.Deref(p.Message)})
	}
	return out
}

// rosterData is the roster page: the upload form, then the dry run's
// preview with the file carried in the page for the real run (so no file
// is kept on the server between the two steps, whichever replica answers).
type rosterData struct {
	Result   *rosterResult
	Imported bool
	FileName string
	Format   string
	Content  string // base64 of the file, for the confirm form
	Rejected []web.Message
}

func (a *area) rosterPage(c *gin.Context) {
	p := a.Page(c, "web.roster.title")
	p.Data = rosterData{}
	a.Render(c, http.StatusOK, "roster", p)
}

// rosterUpload runs the dry run of an uploaded file, or the real import of
// the file a preview carried back.
func (a *area) rosterUpload(c *gin.Context) {
	var (
		data     []byte
		fileName string
		confirm  = c.PostForm("confirm") != ""
	)
	if confirm {
		raw, err := base64.StdEncoding.DecodeString(c.PostForm("content"))
		if err != nil || len(raw) == 0 || len(raw) > maxRoster {
			a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
			return
		}
		data, fileName = raw, c.PostForm("file_name")
	} else {
		fh, err := c.FormFile("file")
		if err != nil {
			a.rosterRefused(c, web.Msg("web.roster.choose_file"))
			return
		}
		if fh.Size > maxRoster {
			a.rosterRefused(c, web.Msg("web.roster.too_large"))
			return
		}
		f, err := fh.Open()
		if err != nil {
			a.Fail(c, err)
			return
		}
		defer f.Close()
		data, err = io.ReadAll(io.LimitReader(f, maxRoster+1))
		if err != nil {
			a.Fail(c, err)
			return
		}
		fileName = path.Base(fh.Filename)
	}
	var format enrollmentapi.ImportRosterParamsFormat
	switch strings.ToLower(path.Ext(fileName)) {
	case ".csv":
		format = enrollmentapi.ImportRosterParamsFormatCsv
	case ".xlsx":
		format = enrollmentapi.ImportRosterParamsFormatXlsx
	default:
		a.rosterRefused(c, web.Msg("web.roster.format"))
		return
	}
	params := &enrollmentapi.ImportRosterParams{Format: &format, FileName: &fileName}
	if !confirm {
		dry := true
		params.DryRun = &dry
	}
	api, err := a.Enrollment(c)
	var res *enrollmentapi.ImportResult
	if err == nil {
		var r *enrollmentapi.ImportRosterResponse
		if r, err = api.ImportRosterWithBodyWithResponse(c.Request.Context(), params, "application/octet-stream", bytes.NewReader(data)); err == nil {
			if res = r.JSON200; res == nil {
				res = r.JSON201
			}
			if res == nil {
				err = webkit.ErrUnexpected
			}
		}
	}
	d := rosterData{FileName: fileName, Format: string(format)}
	if err != nil {
		form := web.NewForm()
		if !webkit.ProblemOnForm(err, form, nil) {
			a.ServiceFailed(c, err)
			return
		}
		d.Rejected = webkit.Messages(form)
		p := a.Page(c, "web.roster.title")
		p.Data = d
		a.Render(c, webkit.StatusOf(err), "roster", p)
		return
	}
	d.Result, d.Imported = rosterResultOf(res), confirm
	if !confirm && len(d.Result.Problems) == 0 {
		d.Content = base64.StdEncoding.EncodeToString(data)
	}
	p := a.Page(c, "web.roster.title")
	p.Data = d
	a.Render(c, http.StatusOK, "roster", p)
}

func (a *area) rosterRefused(c *gin.Context, m web.Message) {
	p := a.Page(c, "web.roster.title")
	p.Data = rosterData{Rejected: []web.Message{m}}
	a.Render(c, http.StatusUnprocessableEntity, "roster", p)
}
