package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

// previewBody is a 测算 of a statutory calculator for no application.
type previewBody struct {
	Calculator  string   `json:"calculator"`
	EventDate   string   `json:"event_date"`
	Cause       string   `json:"cause"`
	MonthlyWage int64    `json:"monthly_wage"`
	Honours     []string `json:"honours"`
	Grade       int      `json:"grade"`
}

// previewCalculation runs a statutory calculator on the facts given and
// the dated rates, and answers the itemised amount:
// POST /calculations/preview. It creates no application, draws no GA
// number and writes no audit entry, so a caseworker can learn a statutory
// amount without filing anything.
func (a *API) previewCalculation(c *gin.Context) {
	var b previewBody
	if err := httpx.BindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	in := domain.CalcInput{Cause: domain.DeathCause(b.Cause), MonthlyWage: money.Fen(b.MonthlyWage), Grade: b.Grade}
	if b.EventDate != "" {
		d, err := time.Parse(time.DateOnly, b.EventDate)
		if err != nil {
			fail(c, httpx.Invalid(fielderr.Problem{Field: "event_date", Code: "field.date"}))
			return
		}
		in.EventDate = d
	}
	for _, h := range b.Honours {
		in.Honours = append(in.Honours, domain.Honour(h))
	}
	book, _, err := a.Store.Rates(c.Request.Context(), nil)
	if err != nil {
		fail(c, err)
		return
	}
	br, err := domain.Calculate(domain.Calculator(b.Calculator), in, book)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"amount": int64(br.Total), "breakdown": viewBreakdown(httpx.Lang(c), &br), "saved": false})
}
