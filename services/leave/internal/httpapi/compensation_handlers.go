package httpapi

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
	"github.com/anxin-welfare/anxin/services/leave/internal/store"
)

type compensationLineJSON struct {
	MemberID   string `json:"member_id"`
	MemberName string `json:"member_name"`
	UnitID     string `json:"unit_id"`
	Category   string `json:"category"`
	UnusedDays int    `json:"unused_days"`
	Waived     bool   `json:"waived"`
	// Amounts are yuan as decimal strings ("1234.56"), exact from fen.
	DailyWage string `json:"daily_wage"`
	Normal    string `json:"normal"`
	Extra     string `json:"extra"`
	Total     string `json:"total"`
	Steps     []Step `json:"steps"`
	// PayVersion is the version of the pay on file, for a correction's
	// If-Match.
	PayVersion int64 `json:"pay_version"`
}

// missingPayJSON is a member with unused days and no usable pay; PayVersion
// is non-zero when a record of the wrong kind is on file.
type missingPayJSON struct {
	MemberID   string `json:"member_id"`
	MemberName string `json:"member_name"`
	UnitID     string `json:"unit_id"`
	Category   string `json:"category"`
	PayVersion int64  `json:"pay_version"`
}

// getCompensation is finance's unused-days compensation report for a year:
// JSON by default, ?format=csv (UTF-8 with BOM) or ?format=xlsx to export.
func (a *API) getCompensation(c *gin.Context) {
	y, ok := a.yearParam(c, "year", false)
	if !ok {
		return
	}
	var units []string
	if u := c.Query("unit"); u != "" {
		units = []string{u}
	}
	format := c.DefaultQuery("format", "json")
	if format != "json" && format != "csv" && format != "xlsx" {
		httpx.Respond(c, httpx.Invalid(fielderr.Problem{Field: "format", Code: domain.CodeInvalidChoice}))
		return
	}
	rep, err := a.store.Compensation(c.Request.Context(), y, units)
	if err != nil {
		respond(c, err)
		return
	}
	lang := httpx.Lang(c)
	switch format {
	case "csv":
		b, err := compensationCSV(lang, rep)
		if err != nil {
			respond(c, err)
			return
		}
		attachment(c, fmt.Sprintf("compensation-%d.csv", y), "text/csv; charset=utf-8", b)
	case "xlsx":
		b, err := compensationXLSX(lang, rep)
		if err != nil {
			respond(c, err)
			return
		}
		attachment(c, fmt.Sprintf("compensation-%d.xlsx", y), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
	default:
		pg, err := page.FromQuery(c.Request.URL.Query())
		if err != nil {
			httpx.Respond(c, err)
			return
		}
		rows, next, err := compensationPage(rep.Lines, pg)
		if err != nil {
			httpx.Respond(c, err)
			return
		}
		lines := make([]compensationLineJSON, len(rows))
		for i, l := range rows {
			lines[i] = compensationLineJSON{MemberID: l.MemberID, MemberName: l.MemberName, UnitID: l.UnitID, Category: string(l.Category), UnusedDays: l.UnusedDays,
				Waived: l.Waived, DailyWage: l.DailyWage.Plain(false), Normal: l.Normal.Plain(false), Extra: l.Extra.Plain(false),
				Total: l.Total.Plain(false), Steps: steps(lang, l.Steps), PayVersion: rep.PayVersions[l.MemberID]}
		}
		missingMembers := make([]missingPayJSON, len(rep.MissingPayMembers))
		for i, m := range rep.MissingPayMembers {
			missingMembers[i] = missingPayJSON{MemberID: m.ID, MemberName: m.Name, UnitID: rep.MissingPayUnits[i], Category: string(rep.MissingPayCategories[i]), PayVersion: rep.PayVersions[m.ID]}
		}
		missing := rep.MissingPay
		if missing == nil {
			missing = []string{}
		}
		c.JSON(http.StatusOK, gin.H{"year": y, "lines": lines, "next": next, "line_count": len(rep.Lines), "missing_pay": missing, "missing_pay_members": missingMembers,
			"totals": gin.H{"normal": rep.Normal.Plain(false), "extra": rep.Extra.Plain(false), "total": rep.Total.Plain(false)}})
	}
}

// compensationPage is one page of the report's lines in the order finance
// reads them, by unit, then name, then member id (the cursor's key). The
// totals stay those of the whole report.
func compensationPage(all []domain.CompensationLine, pg page.Request) ([]domain.CompensationLine, string, error) {
	lines := slices.Clone(all)
	key := func(l domain.CompensationLine) [3]string { return [3]string{l.UnitID, l.MemberName, l.MemberID} }
	slices.SortFunc(lines, func(a, b domain.CompensationLine) int {
		ka, kb := key(a), key(b)
		return cmp.Or(cmp.Compare(ka[0], kb[0]), cmp.Compare(ka[1], kb[1]), cmp.Compare(ka[2], kb[2]))
	})
	var after [3]string
	if ok, err := pg.Decode(&after[0], &after[1], &after[2]); err != nil {
		return nil, "", err
	} else if ok {
		i, _ := slices.BinarySearchFunc(lines, after, func(l domain.CompensationLine, k [3]string) int {
			kl := key(l)
			return cmp.Or(cmp.Compare(kl[0], k[0]), cmp.Compare(kl[1], k[1]), cmp.Compare(kl[2], k[2]))
		})
		for i < len(lines) && key(lines[i]) == after {
			i++
		}
		lines = lines[i:]
	}
	if len(lines) > pg.Fetch() {
		lines = lines[:pg.Fetch()]
	}
	out, next := page.Trim(pg, lines, func(l domain.CompensationLine) string { return page.Cursor(l.UnitID, l.MemberName, l.MemberID) })
	return out, next, nil
}

func attachment(c *gin.Context, name, contentType string, b []byte) {
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, contentType, b)
}

var compensationColumns = []string{
	"leave.export.member", "leave.export.member_name", "leave.export.unit", "leave.export.category", "leave.export.unused_days",
	"leave.export.waived", "leave.export.daily_wage", "leave.export.normal", "leave.export.extra", "leave.export.total",
}

// compensationRows is the report as text cells with the heading first and a
// control-total line last, its amounts under the amount columns.
func compensationRows(lang i18n.Lang, rep store.CompensationReport) [][]string {
	head := make([]string, len(compensationColumns))
	for i, k := range compensationColumns {
		head[i] = i18n.T(lang, k)
	}
	rows := [][]string{head}
	for _, l := range rep.Lines {
		waived := i18n.T(lang, "leave.export.no")
		if l.Waived {
			waived = i18n.T(lang, "leave.export.yes")
		}
		rows = append(rows, []string{neutralize(l.MemberID), neutralize(l.MemberName), neutralize(l.UnitID), string(l.Category), fmt.Sprint(l.UnusedDays), waived,
			l.DailyWage.Plain(false), l.Normal.Plain(false), l.Extra.Plain(false), l.Total.Plain(false)})
	}
	totals := make([]string, len(compensationColumns))
	totals[0] = i18n.T(lang, "leave.export.totals")
	n := len(totals)
	totals[n-3], totals[n-2], totals[n-1] = rep.Normal.Plain(false), rep.Extra.Plain(false), rep.Total.Plain(false)
	return append(rows, totals)
}

// neutralize stops a spreadsheet reading a cell as a formula (CSV
// injection): text starting with = + - @ gets a leading apostrophe.
func neutralize(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// compensationCSV writes UTF-8 with a byte-order mark so Excel opens the
// Chinese headings correctly.
func compensationCSV(lang i18n.Lang, rep store.CompensationReport) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(compensationRows(lang, rep)); err != nil {
		return nil, fmt.Errorf("write compensation csv: %w", err)
	}
	return buf.Bytes(), nil
}

func compensationXLSX(lang i18n.Lang, rep store.CompensationReport) ([]byte, error) {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	sheet := f.GetSheetName(0)
	for r, row := range compensationRows(lang, rep) {
		for col, v := range row {
			cell, err := excelize.CoordinatesToCellName(col+1, r+1)
			if err != nil {
				return nil, fmt.Errorf("xlsx cell: %w", err)
			}
			// Every cell is written as text: amounts stay exact decimal
			// strings and nothing is evaluated as a formula.
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				return nil, fmt.Errorf("xlsx cell %s: %w", cell, err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("write compensation xlsx: %w", err)
	}
	return buf.Bytes(), nil
}

type payInput struct {
	AnnualPay   string `json:"annual_pay"`
	MonthlyWage string `json:"monthly_wage"`
}

// putPay records a member's pay basis (yuan as decimal strings, parsed to
// fen without floats).
func (a *API) putPay(c *gin.Context) {
	m, err := a.store.Member(c.Request.Context(), c.Param("id"))
	if err != nil {
		respond(c, err)
		return
	}
	y, ok := a.yearParam(c, "year", false)
	if !ok {
		return
	}
	v, ok := optionalVersion(c)
	if !ok {
		return
	}
	var in payInput
	if !bind(c, &in) {
		return
	}
	var fields []fielderr.Problem
	parse := func(name, s string) int64 {
		if s == "" {
			return 0
		}
		f, err := parseYuan(s)
		if err != nil {
			fields = append(fields, fielderr.Problem{Field: name, Code: "field.money"})
		}
		return f
	}
	p := domain.Pay{AnnualPay: fen(parse("annual_pay", in.AnnualPay)), MonthlyWage: fen(parse("monthly_wage", in.MonthlyWage))}
	if len(fields) > 0 {
		httpx.Respond(c, httpx.Invalid(fields...))
		return
	}
	nv, err := a.store.SetPay(c.Request.Context(), m.ID, y, p, v, auth.Current(c).UserID)
	if err != nil {
		respond(c, err)
		return
	}
	httpx.SetETag(c, nv)
	c.JSON(http.StatusOK, gin.H{"member_id": m.ID, "year": y, "annual_pay": p.AnnualPay.Plain(false), "monthly_wage": p.MonthlyWage.Plain(false), "version": nv})
}

type waiverInput struct {
	SignedOn Date   `json:"signed_on"`
	Note     string `json:"note"`
}

func (a *API) putWaiver(c *gin.Context) {
	m, ok := a.staffMemberFor(c, "id")
	if !ok {
		return
	}
	y, ok := a.yearParam(c, "year", false)
	if !ok {
		return
	}
	var in waiverInput
	if !bind(c, &in) {
		return
	}
	if err := a.store.RecordWaiver(c.Request.Context(), m.ID, y, in.SignedOn.Time, in.Note, auth.Current(c).UserID); err != nil {
		respond(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"member_id": m.ID, "year": y, "signed_on": in.SignedOn})
}
