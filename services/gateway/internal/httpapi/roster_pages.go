package httpapi

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// rosterResult is the ImportResult of the enrollment API.
type rosterResult struct {
	DryRun    bool `json:"dry_run"`
	Created   int  `json:"created"`
	Updated   int  `json:"updated"`
	Unchanged int  `json:"unchanged"`
	Rows      []struct {
		Line   int    `json:"line"`
		Action string `json:"action"`
	} `json:"rows"`
	Problems []struct {
		Line    int    `json:"line"`
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"problems"`
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

func (h *handlers) rosterPage(c *gin.Context) {
	p := h.page(c, "web.roster.title")
	p.Data = rosterData{}
	h.render(c, http.StatusOK, "roster", p)
}

// rosterUpload runs the dry run of an uploaded file, or the real import of
// the file a preview carried back.
func (h *handlers) rosterUpload(c *gin.Context) {
	var (
		data     []byte
		fileName string
		confirm  = c.PostForm("confirm") != ""
	)
	if confirm {
		raw, err := base64.StdEncoding.DecodeString(c.PostForm("content"))
		if err != nil || len(raw) == 0 || len(raw) > maxRoster {
			h.errorPage(c, http.StatusBadRequest, "web.error.400")
			return
		}
		data, fileName = raw, c.PostForm("file_name")
	} else {
		fh, err := c.FormFile("file")
		if err != nil {
			h.rosterRefused(c, web.Msg("web.roster.choose_file"))
			return
		}
		if fh.Size > maxRoster {
			h.rosterRefused(c, web.Msg("web.roster.too_large"))
			return
		}
		f, err := fh.Open()
		if err != nil {
			h.fail(c, err)
			return
		}
		defer f.Close()
		data, err = io.ReadAll(io.LimitReader(f, maxRoster+1))
		if err != nil {
			h.fail(c, err)
			return
		}
		fileName = path.Base(fh.Filename)
	}
	format := ""
	switch strings.ToLower(path.Ext(fileName)) {
	case ".csv":
		format = "csv"
	case ".xlsx":
		format = "xlsx"
	default:
		h.rosterRefused(c, web.Msg("web.roster.format"))
		return
	}
	q := url.Values{"format": {format}, "file_name": {fileName}}
	if !confirm {
		q.Set("dry_run", "true")
	}
	var res rosterResult
	_, err := h.call(c, http.MethodPost, "enrollment", enrollmentAPI+"/roster-imports?"+q.Encode(), 0,
		RawBody{ContentType: "application/octet-stream", Data: data}, &res)
	d := rosterData{FileName: fileName, Format: format}
	if err != nil {
		form := web.NewForm()
		if !problemOnForm(err, form, nil) {
			h.serviceFailed(c, err)
			return
		}
		d.Rejected = append(form.General(), flatten(form)...)
		p := h.page(c, "web.roster.title")
		p.Data = d
		h.render(c, statusOf(err), "roster", p)
		return
	}
	d.Result, d.Imported = &res, confirm
	if !confirm && len(res.Problems) == 0 {
		d.Content = base64.StdEncoding.EncodeToString(data)
	}
	p := h.page(c, "web.roster.title")
	p.Data = d
	h.render(c, http.StatusOK, "roster", p)
}

func (h *handlers) rosterRefused(c *gin.Context, m web.Message) {
	p := h.page(c, "web.roster.title")
	p.Data = rosterData{Rejected: []web.Message{m}}
	h.render(c, http.StatusUnprocessableEntity, "roster", p)
}
