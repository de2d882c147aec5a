package httpapi

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The assistance funds, one per fiscal year (GET and POST
// /api/v1/grants/funds): finance, auditors and administrators read what
// each year was given and how much of it is committed, paid and left; an
// administrator opens the fund of a new year with its appropriation, which
// the grants service posts to the ledger as the year's first entry.

type fundsData struct {
	Funds     []grantFund
	CanCreate bool
}

func (h *handlers) registerFundPages(g *gin.RouterGroup) {
	g.GET("/admin/funds", h.requireUser(domain.RoleAdmin, domain.RoleFinance, domain.RoleAuditor), h.fundsPage)
	g.POST("/admin/funds", h.requireUser(domain.RoleAdmin), h.createFund)
}

func (h *handlers) fundsPage(c *gin.Context) {
	h.renderFunds(c, http.StatusOK, nil, flashOf(c, map[string]string{"created": "web.funds.created"}))
}

// renderFunds lists the funds, newest year first. A nil form is a fresh
// one, its year the first from this year on without a fund.
func (h *handlers) renderFunds(c *gin.Context, status int, form *web.Form, flash *web.Message) {
	var list itemsOf[grantFund]
	if err := listInto(h, c, "grants", grantsAPI+"/funds", "items", &list.Items); err != nil {
		h.serviceFailed(c, err)
		return
	}
	slices.SortStableFunc(list.Items, func(a, b grantFund) int { return cmp.Compare(b.FiscalYear, a.FiscalYear) })
	if form == nil {
		year := clock.Today(h.Clock).Year()
		for slices.ContainsFunc(list.Items, func(f grantFund) bool { return f.FiscalYear == year }) {
			year++
		}
		form = web.NewForm().Set("fiscal_year", strconv.Itoa(year))
	}
	p := h.page(c, "web.funds.title")
	p.Form, p.Flash, p.Data = form, flash, fundsData{Funds: list.Items, CanCreate: currentUser(c).Has(domain.RoleAdmin)}
	h.render(c, status, "funds", p)
}

// createFund opens the fund of a fiscal year; the appropriation is typed
// in yuan and sent in fen. A year that has its fund already is refused by
// the service, and said next to the year.
func (h *handlers) createFund(c *gin.Context) {
	form := postedForm(c, "fiscal_year", "name", "appropriation")
	year := formInt(form, "fiscal_year", 2000, 2999)
	if form.Value("name") == "" {
		form.AddError("name", web.Msg("field.required"))
	}
	var fen money.Fen
	if v := form.Value("appropriation"); v == "" {
		form.AddError("appropriation", web.Msg("field.required"))
	} else if f, err := money.Parse(v); err != nil || f < 0 {
		form.AddError("appropriation", web.Msg("field.money"))
	} else {
		fen = f
	}
	if form.HasErrors() {
		h.renderFunds(c, http.StatusUnprocessableEntity, form, nil)
		return
	}
	body := map[string]any{"fiscal_year": year, "name": form.Value("name"), "appropriation": int64(fen)}
	if _, err := h.call(c, http.MethodPost, "grants", grantsAPI+"/funds", 0, body, nil); err != nil {
		if problemOnField(err, form, "fiscal_year", nil) {
			h.renderFunds(c, statusOf(err), form, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/funds?m=created")
}
