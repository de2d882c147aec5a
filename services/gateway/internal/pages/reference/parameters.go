package reference

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	openapi_types "github.com/oapi-codegen/runtime/types"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	injuryapi "github.com/anxin-welfare/anxin/api/client/injury"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
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

func (a *area) registerParameterPages(g *gin.RouterGroup) {
	admin := a.RequireUser(domain.RoleAdmin)
	g.GET("/admin/parameters", a.RequireUser(domain.RoleAdmin, domain.RoleAuditor), a.parametersPage)
	g.POST("/admin/parameters", admin, a.setParameter)
}

func (a *area) parametersPage(c *gin.Context) {
	var flash *web.Message
	if c.Query("m") == "saved" {
		flash = webkit.Flash("web.admin.users.saved")
	}
	a.renderParameters(c, http.StatusOK, web.NewForm(), flash)
}

// day is a date as YYYY-MM-DD, "" when absent.
func day(d *openapi_types.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func (a *area) renderParameters(c *gin.Context, status int, form *web.Form, flash *web.Message) {
	d := parametersData{CanEdit: a.User(c).Has(domain.RoleAdmin)}
	for _, k := range parameterKinds {
		if svc, _, _ := strings.Cut(k, "/"); a.Routed(svc) {
			d.Kinds = append(d.Kinds, web.Option{Value: k, Label: "web.parameters.kind." + strings.ReplaceAll(k, "/", ".")})
		}
	}
	ctx := c.Request.Context()
	if a.Routed("grants") {
		api, err := a.Grants(c)
		var rates []grantsapi.Rate
		if err == nil {
			rates, err = webkit.All(func(after *string) ([]grantsapi.Rate, *string, error) {
				n := page.MaxLimit
				r, err := api.ListRatesWithResponse(ctx, &grantsapi.ListRatesParams{After: after, Limit: &n})
				if err != nil {
					return nil, nil, err
				}
				if r.JSON200 == nil {
					return nil, nil, webkit.ErrUnexpected
				}
				return webkit.Deref(r.JSON200.Items), r.JSON200.Next, nil
			})
		}
		if err != nil {
			a.ServiceFailed(c, err)
			return
		}
		for _, r := range rates {
			d.Rows = append(d.Rows, parameterRow{Service: "grants", Kind: string(webkit.Deref(r.Kind)), From: day(r.ValidFrom), Amount: int64(webkit.Deref(r.Amount))})
		}
	}
	if a.Routed("injury") {
		api, err := a.Injury(c)
		var r *injuryapi.ListParametersResponse
		if err == nil {
			r, err = api.ListParametersWithResponse(ctx)
		}
		if err == nil && r.JSON200 == nil {
			err = webkit.ErrUnexpected
		}
		switch {
		case err == nil:
			for _, p := range r.JSON200.Parameters {
				d.Rows = append(d.Rows, parameterRow{Service: "injury", Kind: string(webkit.Deref(p.Kind)), From: day(p.EffectiveFrom), Amount: int64(webkit.Deref(p.ValueFen))})
			}
		case webkit.Refused(err, http.StatusForbidden) && !d.CanEdit:
			// The injury service shows its figures to its own staff only.
			d.InjuryHidden = true
		default:
			a.ServiceFailed(c, err)
			return
		}
	}
	p := a.Page(c, "web.parameters.title")
	p.Form, p.Data, p.Flash = form, d, flash
	a.Render(c, status, "parameters", p)
}

// setParameter records a figure from a date in the service that uses it.
func (a *area) setParameter(c *gin.Context) {
	form := webkit.PostedForm(c, "kind", "from", "amount", "source")
	svc, kind, _ := strings.Cut(form.Value("kind"), "/")
	known := false
	for _, k := range parameterKinds {
		known = known || k == form.Value("kind")
	}
	if !known || !a.Routed(svc) {
		form.AddError("kind", web.Msg("field.one_of"))
	}
	fen, err := money.Parse(form.Value("amount"))
	if err != nil || fen <= 0 {
		form.AddError("amount", web.Msg("field.money"))
	}
	from, err := time.Parse(time.DateOnly, form.Value("from"))
	if err != nil {
		form.AddError("from", web.Msg("field.date"))
	}
	if form.HasErrors() {
		a.renderParameters(c, http.StatusUnprocessableEntity, form, nil)
		return
	}
	ctx, day := c.Request.Context(), openapi_types.Date{Time: from}
	alias := map[string]string{"amount": "amount"}
	if svc == "grants" {
		body := grantsapi.PutRateJSONRequestBody{Kind: grantsapi.PutRateJSONBodyKind(kind), ValidFrom: day, Amount: int(fen)}
		if s := form.Value("source"); s != "" {
			body.Source = &s
		}
		alias["valid_from"] = "from"
		api, aerr := a.Grants(c)
		err = aerr
		if err == nil {
			err = webkit.Done(api.PutRate(ctx, body)) //nolint:bodyclose // webkit.Done drains and closes it
		}
	} else {
		alias["value_fen"] = "amount"
		api, aerr := a.Injury(c)
		err = aerr
		if err == nil {
			err = webkit.Done(api.SetParameter(ctx, injuryapi.ParameterKind(kind), day, injuryapi.SetParameterJSONRequestBody{ValueFen: int(fen)})) //nolint:bodyclose // webkit.Done drains and closes it
		}
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, alias) {
			a.renderParameters(c, webkit.StatusOf(err), form, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/parameters?m=saved")
}
