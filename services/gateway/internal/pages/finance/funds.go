package finance

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The assistance funds, one per fiscal year (GET and POST
// /api/v1/grants/funds): finance, auditors and administrators read what
// each year was given and how much of it is committed, paid and left; an
// administrator opens the fund of a new year with its appropriation, which
// the grants service posts to the ledger as the year's first entry.

type fundsData struct {
	Funds     []fund
	CanCreate bool
}

func (a *area) registerFundPages(g *gin.RouterGroup) {
	g.GET("/admin/funds", a.RequireUser(domain.RoleAdmin, domain.RoleFinance, domain.RoleAuditor), a.fundsPage)
	g.POST("/admin/funds", a.RequireUser(domain.RoleAdmin), a.createFund)
}

func (a *area) fundsPage(c *gin.Context) {
	a.renderFunds(c, http.StatusOK, nil, webkit.FlashOf(c, map[string]string{"created": "web.funds.created"}))
}

// renderFunds lists the funds, newest year first. A nil form is a fresh
// one, its year the first from this year on without a fund.
func (a *area) renderFunds(c *gin.Context, status int, form *web.Form, flash *web.Message) {
	funds, err := a.funds(c)
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	slices.SortStableFunc(funds, func(x, y fund) int { return cmp.Compare(y.FiscalYear, x.FiscalYear) })
	if form == nil {
		year := clock.Today(a.Clock).Year()
		for slices.ContainsFunc(funds, func(f fund) bool { return f.FiscalYear == year }) {
			year++
		}
		form = web.NewForm().Set("fiscal_year", strconv.Itoa(year))
	}
	p := a.Page(c, "web.funds.title")
	p.Form, p.Flash, p.Data = form, flash, fundsData{Funds: funds, CanCreate: a.User(c).Has(domain.RoleAdmin)}
	a.Render(c, status, "funds", p)
}

// createFund opens the fund of a fiscal year; the appropriation is typed
// in yuan and sent in fen. A year that has its fund already is refused by
// the service, and said next to the year.
func (a *area) createFund(c *gin.Context) {
	form := webkit.PostedForm(c, "fiscal_year", "name", "appropriation")
	year := webkit.FormInt(form, "fiscal_year", 2000, 2999)
	if form.Value("name") == "" {
		form.AddError("name", web.Msg("field.required"))
	}
	fen := webkit.FormYuan(form, "appropriation", true)
	if form.HasErrors() {
		a.renderFunds(c, http.StatusUnprocessableEntity, form, nil)
		return
	}
	api, err := a.Grants(c)
	if err == nil {
		body := grantsapi.CreateFundJSONRequestBody{FiscalYear: year, Name: form.Value("name"), Appropriation: int(fen)}
		err = webkit.Done(api.CreateFund(c.Request.Context(), body)) //nolint:bodyclose // webkit.Done drains and closes it
	}
	if err != nil {
		if webkit.ProblemOnField(err, form, "fiscal_year", nil) {
			a.renderFunds(c, webkit.StatusOf(err), form, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/funds?m=created")
}
