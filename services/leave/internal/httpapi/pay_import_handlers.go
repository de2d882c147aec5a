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
	"github.com/anxin-welfare/anxin/pkg/sheet"
	"github.com/anxin-welfare/anxin/services/leave/internal/store"
	"github.com/anxin-welfare/anxin/services/leave/internal/wages"
)

type payImportRowJSON struct {
	Line        int    `json:"line"`
	Action      string `json:"action"`
	MemberID    string `json:"member_id"`
	MemberName  string `json:"member_name"`
	UnitID      string `json:"unit_id"`
	AnnualPay   string `json:"annual_pay"`
	MonthlyWage string `json:"monthly_wage"`
}

type payImportProblemJSON struct {
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type payImportJSON struct {
	DryRun    bool                   `json:"dry_run"`
	Year      int                    `json:"year"`
	Created   int                    `json:"created"`
	Updated   int                    `json:"updated"`
	Unchanged int                    `json:"unchanged"`
	Rows      []payImportRowJSON     `json:"rows"`
	Problems  []payImportProblemJSON `json:"problems"`
}

// postPayImport takes finance's wage file for a year as the request body
// (text/csv or the XLSX media type, or ?format=csv|xlsx). ?dry_run=true
// checks every row and previews what would change; otherwise the whole
// file is recorded or, at any problem, none of it (422 naming each cell
// rows[<line>].<column>).
func (a *API) postPayImport(c *gin.Context) {
	y, ok := a.yearParam(c, "year", false)
	if !ok {
		return
	}
	format, err := wageFormat(c)
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			httpx.Respond(c, httpx.NewError(http.StatusRequestEntityTooLarge, wages.CodeTooLarge, wages.MaxBytes>>20))
			return
		}
		respond(c, err)
		return
	}
	rows, err := wages.Decode(body, format)
	var fe *wages.FileError
	if errors.As(err, &fe) {
		httpx.Respond(c, httpx.NewError(http.StatusUnprocessableEntity, fe.Code, fe.Args...))
		return
	}
	if err != nil {
		respond(c, err)
		return
	}
	dryRun := c.Query("dry_run") == "true"
	res, err := a.store.ImportPay(c.Request.Context(), y, rows, dryRun, auth.Current(c).UserID)
	if errors.Is(err, store.ErrPayImportRejected) {
		fields := make([]fielderr.Problem, len(res.Problems))
		for i, p := range res.Problems {
			fields[i] = fielderr.Problem{Field: fmt.Sprintf("rows[%d].%s", p.Line, p.Field), Code: p.Code, Args: p.Args}
		}
		httpx.Respond(c, httpx.NewError(http.StatusUnprocessableEntity, "leave.wages.rejected", len(res.Problems)).WithFields(fields...))
		return
	}
	if err != nil {
		respond(c, err)
		return
	}
	lang := httpx.Lang(c)
	out := payImportJSON{DryRun: dryRun, Year: y, Created: res.Created, Updated: res.Updated, Unchanged: res.Unchanged,
		Rows: []payImportRowJSON{}, Problems: []payImportProblemJSON{}}
	for _, r := range res.Rows {
		out.Rows = append(out.Rows, payImportRowJSON{Line: r.Line, Action: r.Action, MemberID: r.MemberID, MemberName: r.MemberName, UnitID: r.UnitID,
			AnnualPay: r.Pay.AnnualPay.Plain(false), MonthlyWage: r.Pay.MonthlyWage.Plain(false)})
	}
	for _, p := range res.Problems {
		out.Problems = append(out.Problems, payImportProblemJSON{Line: p.Line, Field: p.Field, Code: p.Code, Message: i18n.T(lang, p.Code, p.Args...)})
	}
	status := http.StatusOK
	if !dryRun {
		status = http.StatusCreated
	}
	c.JSON(status, out)
}

func wageFormat(c *gin.Context) (wages.Format, error) {
	f, err := sheet.FormatOf(c.Query("format"), c.GetHeader("Content-Type"))
	if errors.Is(err, sheet.ErrFormatName) {
		return "", httpx.Invalid(fielderr.Problem{Field: "format", Code: "field.one_of"})
	}
	if err != nil {
		return "", httpx.NewError(http.StatusUnsupportedMediaType, "leave.wages.unknown_format", c.GetHeader("Content-Type"))
	}
	return f, nil
}
