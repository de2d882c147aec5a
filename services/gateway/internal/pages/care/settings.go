package care

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/api/client"
	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The admins' family-care settings (grants.yaml: listCareVisitRules,
// putCareVisitRule, listCareFestivalDates, putCareFestivalDates): which
// occasions the visit plan holds and the window around each, and the
// lunar festivals' dates by year.

type familyCareAdminData struct {
	Rules  []careVisitRule
	Years  []careFestivalYear
	Failed string // the occasion whose form was refused, or "dates"
}

func (a *area) registerFamilyCareAdminPages(g *gin.RouterGroup) {
	admin := a.RequireUser(domain.RoleAdmin)
	g.GET("/admin/family-care", admin, a.familyCareAdmin)
	g.POST("/admin/family-care/rules/:occasion", admin, a.familyCareRule)
	g.POST("/admin/family-care/dates", admin, a.familyCareDates)
}

func (a *area) familyCareAdmin(c *gin.Context) {
	a.renderFamilyCareAdmin(c, http.StatusOK, "", nil, webkit.FlashOf(c, map[string]string{"saved": "web.fcare.settings_saved"}))
}

// careSettings reads the visit rules and the festival dates.
func (a *area) careSettings(c *gin.Context) ([]careVisitRule, []careFestivalYear, error) {
	api, err := a.Grants(c)
	if err != nil {
		return nil, nil, err
	}
	rules, err := api.ListCareVisitRulesWithResponse(c.Request.Context())
	if err == nil && rules.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		return nil, nil, err
	}
	years, err := api.ListCareFestivalDatesWithResponse(c.Request.Context())
	if err == nil && years.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		return nil, nil, err
	}
	var rs []careVisitRule
	for _, r := range webkit.Deref(rules.JSON200.Items) {
		rs = append(rs, careVisitRule{Occasion: text(r.Occasion), OccasionText: webkit.Deref(r.OccasionText), Enabled: webkit.Deref(r.Enabled),
			DaysBefore: webkit.Deref(r.DaysBefore), DaysAfter: webkit.Deref(r.DaysAfter), Version: int64(webkit.Deref(r.Version))})
	}
	var ys []careFestivalYear
	for _, y := range webkit.Deref(years.JSON200.Items) {
		ys = append(ys, careFestivalYear{Year: webkit.Deref(y.Year), SpringFestival: day(y.SpringFestival), Qingming: day(y.Qingming)})
	}
	return rs, ys, nil
}

func (a *area) renderFamilyCareAdmin(c *gin.Context, status int, failed string, form *web.Form, flash *web.Message) {
	rules, years, err := a.careSettings(c)
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	if form == nil {
		form = web.NewForm()
	}
	for _, r := range rules {
		if failed != r.Occasion {
			form.Set("before-"+r.Occasion, strconv.Itoa(r.DaysBefore)).Set("after-"+r.Occasion, strconv.Itoa(r.DaysAfter))
		}
	}
	p := a.Page(c, "web.fcare.settings_title")
	p.Data, p.Form, p.Flash = familyCareAdminData{Rules: rules, Years: years, Failed: failed}, form, flash
	a.Render(c, status, "family_care_admin", p)
}

func (a *area) familyCareRule(c *gin.Context) {
	occasion := c.Param("occasion")
	if !slices.Contains([]string{"spring_festival", "qingming", "anniversary"}, occasion) {
		a.ErrorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	bf, af := "before-"+occasion, "after-"+occasion
	form := web.NewForm().Set(bf, strings.TrimSpace(c.PostForm("days_before"))).Set(af, strings.TrimSpace(c.PostForm("days_after")))
	body := grantsapi.PutCareVisitRuleJSONRequestBody{Enabled: c.PostForm("enabled") == "1"}
	for _, f := range []struct {
		field string
		to    *int
	}{{bf, &body.DaysBefore}, {af, &body.DaysAfter}} {
		n, err := strconv.Atoi(form.Value(f.field))
		if err != nil {
			form.AddError(f.field, web.Msg("web.fcare.days_invalid"))
			continue
		}
		*f.to = n
	}
	version, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
	if err != nil || version < 1 {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	if form.HasErrors() {
		a.renderFamilyCareAdmin(c, http.StatusUnprocessableEntity, occasion, form, nil)
		return
	}
	api, err := a.Grants(c)
	if err == nil {
		//nolint:bodyclose // webkit.Done drains and closes it
		err = webkit.Done(api.PutCareVisitRule(c.Request.Context(), occasion, &grantsapi.PutCareVisitRuleParams{IfMatch: client.Tag(version)}, body))
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, map[string]string{"days_before": bf, "days_after": af}) {
			a.renderFamilyCareAdmin(c, webkit.StatusOf(err), occasion, form, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/family-care?m=saved")
}

func (a *area) familyCareDates(c *gin.Context) {
	form := webkit.PostedForm(c, "year", "spring_festival", "qingming")
	year, err := strconv.Atoi(form.Value("year"))
	if err != nil {
		form.AddError("year", web.Msg("web.fcare.year_invalid"))
		a.renderFamilyCareAdmin(c, http.StatusUnprocessableEntity, "dates", form, nil)
		return
	}
	body := grantsapi.PutCareFestivalDatesJSONRequestBody{SpringFestival: requiredDate(form, "spring_festival", a.Lang(c)),
		Qingming: requiredDate(form, "qingming", a.Lang(c))}
	if form.HasErrors() {
		a.renderFamilyCareAdmin(c, http.StatusUnprocessableEntity, "dates", form, nil)
		return
	}
	api, err := a.Grants(c)
	if err == nil {
		//nolint:bodyclose // webkit.Done drains and closes it
		err = webkit.Done(api.PutCareFestivalDates(c.Request.Context(), year, body))
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, nil) {
			a.renderFamilyCareAdmin(c, webkit.StatusOf(err), "dates", form, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/family-care?m=saved")
}
