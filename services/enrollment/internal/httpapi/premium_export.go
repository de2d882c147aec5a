package httpapi

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/store"
)

type premiumRowJSON struct {
	UnitID     string `json:"unit_id"`
	UnitCode   string `json:"unit_code"`
	UnitName   string `json:"unit_name"`
	PlanID     string `json:"plan_id"`
	PlanName   string `json:"plan_name"`
	PlanYear   int    `json:"plan_year"`
	Scheme     string `json:"scheme"`
	Payer      string `json:"payer"`
	Members    int    `json:"members"`
	PremiumFen int64  `json:"premium_fen"`
}

// premiumSummary answers ?year= as JSON, or with ?format=csv|xlsx as a
// file: CSV in UTF-8 with a BOM so Excel reads the Chinese, XLSX with
// numbers as numbers. Both end with a control total.
func (h *Handler) premiumSummary(c *gin.Context) {
	year, err := strconv.Atoi(c.Query("year"))
	if err != nil || year < 2000 || year > 2100 {
		fail(c, httpx.Invalid(fielderr.Problem{Field: "year", Code: "field.range", Args: []any{2000, 2100}}))
		return
	}
	format := c.DefaultQuery("format", "json")
	if format != "json" && format != "csv" && format != "xlsx" {
		fail(c, httpx.Invalid(fielderr.Problem{Field: "format", Code: "field.one_of"}))
		return
	}
	rows, err := h.store.PremiumSummary(c.Request.Context(), year, premiumScope(c))
	if err != nil {
		fail(c, err)
		return
	}
	members, total, err := domain.GrandTotal(totalsOf(rows))
	if err != nil {
		fail(c, err)
		return
	}
	switch format {
	case "csv":
		b, err := premiumCSV(httpx.Lang(c), rows, members, total)
		if err != nil {
			fail(c, err)
			return
		}
		attachment(c, fmt.Sprintf("premium-%d.csv", year))
		c.Data(http.StatusOK, "text/csv; charset=utf-8", b)
	case "xlsx":
		b, err := premiumXLSX(httpx.Lang(c), rows, members, total)
		if err != nil {
			fail(c, err)
			return
		}
		attachment(c, fmt.Sprintf("premium-%d.xlsx", year))
		c.Data(http.StatusOK, mediaXLSX, b)
	default:
		out := make([]premiumRowJSON, len(rows))
		for i, r := range rows {
			out[i] = premiumRowJSON{UnitID: r.UnitID, UnitCode: r.UnitCode, UnitName: r.UnitName, PlanID: r.PlanID, PlanName: r.PlanName,
				PlanYear: r.PlanYear, Scheme: string(r.Scheme), Payer: string(r.Payer), Members: r.Members, PremiumFen: int64(r.Total)}
		}
		c.JSON(http.StatusOK, gin.H{"year": year, "rows": out, "members": members, "premium_fen": int64(total)})
	}
}

func totalsOf(rows []store.PremiumRow) []domain.PremiumTotal {
	out := make([]domain.PremiumTotal, len(rows))
	for i, r := range rows {
		out[i] = r.PremiumTotal
	}
	return out
}

func attachment(c *gin.Context, name string) {
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
}

// safeCell neutralises text a spreadsheet would run as a formula.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func premiumHeader(lang i18n.Lang) []string {
	keys := []string{"unit_code", "unit_name", "plan_year", "scheme", "plan", "payer", "members", "premium"}
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = i18n.T(lang, "enrollment.export."+k)
	}
	return out
}

func premiumRecord(lang i18n.Lang, r store.PremiumRow) []string {
	return []string{safeCell(r.UnitCode), safeCell(r.UnitName), strconv.Itoa(r.PlanYear),
		i18n.T(lang, "enrollment.scheme."+string(r.Scheme)), safeCell(r.PlanName), i18n.T(lang, "enrollment.payer."+string(r.Payer)),
		strconv.Itoa(r.Members), r.Total.Plain(false)}
}

func premiumCSV(lang i18n.Lang, rows []store.PremiumRow, members int, total money.Fen) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("\uFEFF")
	w := csv.NewWriter(&b)
	_ = w.Write(premiumHeader(lang))
	for _, r := range rows {
		_ = w.Write(premiumRecord(lang, r))
	}
	_ = w.Write([]string{i18n.T(lang, "enrollment.export.total"), "", "", "", "", "", strconv.Itoa(members), total.Plain(false)})
	w.Flush()
	return b.Bytes(), w.Error()
}

func premiumXLSX(lang i18n.Lang, rows []store.PremiumRow, members int, total money.Fen) ([]byte, error) {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	sheet := i18n.T(lang, "enrollment.export.sheet")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	row := func(n int, cells []any) error {
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, cells)
	}
	head := premiumHeader(lang)
	cells := make([]any, len(head))
	for i, h := range head {
		cells[i] = h
	}
	if err := row(1, cells); err != nil {
		return nil, err
	}
	for i, r := range rows {
		rec := premiumRecord(lang, r)
		if err := row(i+2, []any{rec[0], rec[1], r.PlanYear, rec[3], rec[4], rec[5], r.Members, yuanNumber(r.Total)}); err != nil {
			return nil, err
		}
	}
	if err := row(len(rows)+2, []any{i18n.T(lang, "enrollment.export.total"), "", "", "", "", "", members, yuanNumber(total)}); err != nil {
		return nil, err
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// yuanNumber is the amount for a spreadsheet cell. The float is made from
// the exact decimal text, for display only; totals are computed in fen.
func yuanNumber(f money.Fen) float64 {
	v, _ := strconv.ParseFloat(f.Plain(false), 64)
	return v
}
