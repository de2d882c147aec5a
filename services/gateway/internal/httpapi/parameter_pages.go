package httpapi

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Dated parameters (national income, regional wage…), which the grants and
// injury services each keep for their own calculations; an administrator
// sets them here, each in the service that uses it.

// parameterRow is one dated figure as the page shows it.
type parameterRow struct {
	Service string
	Kind    string
	From    string
	Amount  int64
}

// parameterKinds are the settable figures: "service/kind".
var parameterKinds = []string{
	"grants/national_income", "grants/regional_monthly_wage",
	"injury/national_urban_income", "injury/regional_average_monthly_wage", "injury/minimum_monthly_wage",
}

// parametersData is the parameters page. Auditors read it (CanEdit
// false: no form); InjuryHidden says the injury service did not show its
// figures to the reader.
type parametersData struct {
	Rows         []parameterRow
	Kinds        []web.Option
	CanEdit      bool
	InjuryHidden bool
}

func (h *handlers) registerParameterPages(g *gin.RouterGroup) {
	admin := h.requireUser(domain.RoleAdmin)
	g.GET("/admin/parameters", h.requireUser(domain.RoleAdmin, domain.RoleAuditor), h.parametersPage)
	g.POST("/admin/parameters", admin, h.setParameter)
}

func (h *handlers) parametersPage(c *gin.Context) {
	var flash *web.Message
	if c.Query("m") == "saved" {
		m := web.Msg("web.admin.users.saved")
		flash = &m
	}
	h.renderParameters(c, http.StatusOK, web.NewForm(), flash)
}

func (h *handlers) renderParameters(c *gin.Context, status int, form *web.Form, flash *web.Message) {
	d := parametersData{CanEdit: currentUser(c).Has(domain.RoleAdmin)}
	for _, k := range parameterKinds {
		if svc, _, _ := strings.Cut(k, "/"); h.Upstreams.Has(svc) {
			d.Kinds = append(d.Kinds, web.Option{Value: k, Label: "web.parameters.kind." + strings.ReplaceAll(k, "/", ".")})
		}
	}
	if h.Upstreams.Has("grants") {
		var rates itemsOf[struct {
			Kind      string `json:"kind"`
			ValidFrom string `json:"valid_from"`
			Amount    int64  `json:"amount"`
		}]
		if err := listInto(h, c, "grants", grantsAPI+"/rates", "items", &rates.Items); err != nil {
			h.serviceFailed(c, err)
			return
		}
		for _, r := range rates.Items {
			d.Rows = append(d.Rows, parameterRow{Service: "grants", Kind: r.Kind, From: r.ValidFrom, Amount: r.Amount})
		}
	}
	if h.Upstreams.Has("injury") {
		var params struct {
			Parameters []struct {
				Kind          string `json:"kind"`
				EffectiveFrom string `json:"effective_from"`
				ValueFen      int64  `json:"value_fen"`
			} `json:"parameters"`
		}
		_, err := h.call(c, http.MethodGet, "injury", injuryAPI+"/parameters", 0, nil, &params)
		var ae *APIError
		switch {
		case err == nil:
		case errors.As(err, &ae) && ae.Status == http.StatusForbidden && !d.CanEdit:
			// The injury service shows its figures to its own staff only.
			d.InjuryHidden = true
		default:
			h.serviceFailed(c, err)
			return
		}
		for _, p := range params.Parameters {
			d.Rows = append(d.Rows, parameterRow{Service: "injury", Kind: p.Kind, From: p.EffectiveFrom, Amount: p.ValueFen})
		}
	}
	p := h.page(c, "web.parameters.title")
	p.Form, p.Data, p.Flash = form, d, flash
	h.render(c, status, "parameters", p)
}

// setParameter records a figure from a date in the service that uses it.
func (h *handlers) setParameter(c *gin.Context) {
	form := web.NewForm()
	for _, f := range []string{"kind", "from", "amount", "source"} {
		form.Set(f, strings.TrimSpace(c.PostForm(f)))
	}
	svc, kind, _ := strings.Cut(form.Value("kind"), "/")
	known := false
	for _, k := range parameterKinds {
		known = known || k == form.Value("kind")
	}
	if !known || !h.Upstreams.Has(svc) {
		form.AddError("kind", web.Msg("field.one_of"))
	}
	fen, err := money.Parse(form.Value("amount"))
	if err != nil || fen <= 0 {
		form.AddError("amount", web.Msg("field.money"))
	}
	if !dateOnly.MatchString(form.Value("from")) {
		form.AddError("from", web.Msg("field.date"))
	}
	if form.HasErrors() {
		h.renderParameters(c, http.StatusUnprocessableEntity, form, nil)
		return
	}
	var path string
	var body map[string]any
	alias := map[string]string{}
	if svc == "grants" {
		path = grantsAPI + "/rates"
		body = map[string]any{"kind": kind, "valid_from": form.Value("from"), "amount": int64(fen)}
		if s := form.Value("source"); s != "" {
			body["source"] = s
		}
		alias["valid_from"] = "from"
	} else {
		path = injuryAPI + "/parameters/" + url.PathEscape(kind) + "/" + url.PathEscape(form.Value("from"))
		body = map[string]any{"value_fen": int64(fen)}
		alias["value_fen"] = "amount"
	}
	alias["amount"] = "amount"
	if _, err := h.call(c, http.MethodPut, svc, path, 0, body, nil); err != nil {
		if problemOnForm(err, form, alias) {
			h.renderParameters(c, statusOf(err), form, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/parameters?m=saved")
}
