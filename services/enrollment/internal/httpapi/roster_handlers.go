package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/sheet"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/roster"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/store"
)

// mediaXLSX is the media type of XLSX downloads.
const mediaXLSX = sheet.MediaXLSX

type importRowJSON struct {
	Line     int    `json:"line"`
	Action   string `json:"action"`
	MemberID string `json:"member_id"`
}

type importProblemJSON struct {
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type importResponse struct {
	DryRun    bool                `json:"dry_run"`
	ImportID  string              `json:"import_id,omitempty"`
	Created   int                 `json:"created"`
	Updated   int                 `json:"updated"`
	Unchanged int                 `json:"unchanged"`
	Rows      []importRowJSON     `json:"rows"`
	Problems  []importProblemJSON `json:"problems"`
}

// importRoster takes the file as the request body: text/csv or the XLSX
// media type (or ?format=csv|xlsx). ?dry_run=true validates and previews,
// changing nothing; otherwise the whole file is applied or, at the first
// problem anywhere, none of it.
func (h *Handler) importRoster(c *gin.Context) {
	format, err := uploadFormat(c)
	if err != nil {
		fail(c, err)
		return
	}
	dryRun := c.Query("dry_run") == "true"
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			fail(c, httpx.NewError(http.StatusRequestEntityTooLarge, roster.CodeTooLarge, h.limits.MaxBytes>>20))
			return
		}
		fail(c, err)
		return
	}
	sheet, err := roster.Decode(bytes.NewReader(body), format, h.limits)
	if err != nil {
		fail(c, err)
		return
	}
	sum := sha256.Sum256(body)
	name := c.Query("file_name")
	if name == "" {
		name = "roster." + string(format)
	}
	res, err := h.cmd.ImportRoster(c.Request.Context(), store.ImportFile{Name: name, SHA256: hex.EncodeToString(sum[:]), Sheet: sheet},
		dryRun, manageScope(c), meta(c))
	if errors.Is(err, store.ErrRosterRejected) {
		fail(c, httpx.NewError(http.StatusUnprocessableEntity, "enrollment.roster_rejected", len(res.Problems)).WithFields(rowFields(res.Problems)...))
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	lang := httpx.Lang(c)
	out := importResponse{DryRun: dryRun, ImportID: res.ID, Created: res.Created, Updated: res.Updated, Unchanged: res.Unchanged,
		Rows: []importRowJSON{}, Problems: []importProblemJSON{}}
	for _, r := range res.Rows {
		out.Rows = append(out.Rows, importRowJSON{Line: r.Line, Action: string(r.Action), MemberID: r.MemberID})
	}
	for _, p := range res.Problems {
		out.Problems = append(out.Problems, importProblemJSON{Line: p.Line, Field: p.Field, Code: p.Code, Message: i18n.T(lang, p.Code, p.Args...)})
	}
	status := http.StatusOK
	if !dryRun {
		status = http.StatusCreated
	}
	c.JSON(status, out)
}

func uploadFormat(c *gin.Context) (roster.Format, error) {
	f, err := sheet.FormatOf(c.Query("format"), c.GetHeader("Content-Type"))
	if errors.Is(err, sheet.ErrFormatName) {
		return "", httpx.Invalid(fielderr.Problem{Field: "format", Code: "field.one_of"})
	}
	if err != nil {
		return "", httpx.NewError(http.StatusUnsupportedMediaType, roster.CodeUnknownFormat, c.GetHeader("Content-Type"))
	}
	return f, nil
}
