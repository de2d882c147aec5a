package httpapi

import (
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Pages of the member registry, over /api/v1/enrollment (api/openapi/enrollment.yaml).

const enrollmentAPI = "/api/v1/enrollment"

// maxRoster bounds an uploaded roster: a county's whole roster is well
// under a megabyte; 5 MiB leaves room for XLSX overhead.
const maxRoster = 5 << 20

type memberSummary struct {
	ID             string `json:"id"`
	UnitID         string `json:"unit_id"`
	Name           string `json:"name"`
	Category       string `json:"category"`
	IDNumberMasked string `json:"id_number_masked"`
	Status         string `json:"status"`
}

type unitJSON struct {
	ID   string `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

type memberDetail struct {
	memberSummary
	BirthDate    string `json:"birth_date"`
	Sex          string `json:"sex"`
	Phone        string `json:"phone"`
	HireDate     string `json:"hire_date"`
	ServiceStart string `json:"service_start"`
	Dependants   []struct {
		Name           string `json:"name"`
		Relation       string `json:"relation"`
		IDNumberMasked string `json:"id_number_masked"`
	} `json:"dependants"`
	Honours []struct {
		Kind      string `json:"kind"`
		AwardedOn string `json:"awarded_on"`
	} `json:"honours"`
}

type membersData struct {
	Members []memberSummary
	Units   []unitJSON
	Unit    string
	Name    string
	Next    string
}

var memberStatuses = []string{"active", "retired", "left", "deceased"}

func (h *handlers) registerEnrollmentPages(g, uploads *gin.RouterGroup) {
	staff := h.requireUser(domain.RoleCaseworker, domain.RoleAdmin)
	g.GET("/work/members", staff, h.membersPage)
	g.GET("/work/members/:id", staff, h.memberPage)
	g.GET("/work/roster", staff, h.rosterPage)
	uploads.POST("/work/roster", staff, h.rosterUpload)
}

func (h *handlers) membersPage(c *gin.Context) {
	q := url.Values{}
	d := membersData{Unit: c.Query("unit"), Name: strings.TrimSpace(c.Query("name"))}
	if d.Unit != "" {
		q.Set("unit_id", d.Unit)
	}
	if d.Name != "" {
		q.Set("name", d.Name)
	}
	if s := c.Query("status"); slices.Contains(memberStatuses, s) {
		q.Set("status", s)
	}
	if a := c.Query("after"); a != "" {
		q.Set("after", a)
	}
	q.Set("limit", "100")
	var list struct {
		Members []memberSummary `json:"members"`
		Next    string          `json:"next"`
	}
	if _, err := h.call(c, http.MethodGet, "enrollment", enrollmentAPI+"/members?"+q.Encode(), 0, nil, &list); err != nil {
		var ae *APIError
		if errors.As(err, &ae) && ae.Status == http.StatusUnprocessableEntity {
			list.Members = nil // a filter the service refused (a unit id that is not one): show nothing
		} else {
			h.serviceFailed(c, err)
			return
		}
	}
	var units struct {
		Units []unitJSON `json:"units"`
	}
	if _, err := h.call(c, http.MethodGet, "enrollment", enrollmentAPI+"/units", 0, nil, &units); err != nil {
		h.serviceFailed(c, err)
		return
	}
	d.Members, d.Next, d.Units = list.Members, list.Next, units.Units
	p := h.page(c, "web.members.title")
	p.Data = d
	h.render(c, http.StatusOK, "members", p)
}

func (h *handlers) memberPage(c *gin.Context) {
	var m memberDetail
	if _, err := h.call(c, http.MethodGet, "enrollment", enrollmentAPI+"/members/"+url.PathEscape(c.Param("id")), 0, nil, &m); err != nil {
		h.serviceFailed(c, err)
		return
	}
	p := h.page(c, "web.members.member")
	p.Data = m
	h.render(c, http.StatusOK, "member", p)
}

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
