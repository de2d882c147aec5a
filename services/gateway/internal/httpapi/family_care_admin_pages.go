package httpapi

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The admins' family-care settings (grants.yaml: listCareVisitRules,
// putCareVisitRule, listCareFestivalDates, putCareFestivalDates): which
// occasions the visit plan holds and the window around each, and the
// lunar festivals' dates by year.

type careVisitRule struct {
	Occasion     string `json:"occasion"`
	OccasionText string `json:"occasion_text"`
	Enabled      bool   `json:"enabled"`
	DaysBefore   int    `json:"days_before"`
	DaysAfter    int    `json:"days_after"`
	Version      int64  `json:"version"`
}

type careFestivalYear struct {
	Year           int    `json:"year"`
	SpringFestival string `json:"spring_festival"`
	Qingming       string `json:"qingming"`
}

type familyCareAdminData struct {
	Rules  []careVisitRule
	Years  []careFestivalYear
	Failed string // the occasion whose form was refused, or "dates"
}

func (h *handlers) registerFamilyCareAdminPages(g *gin.RouterGroup) {
	admin := h.requireUser(domain.RoleAdmin)
	g.GET("/admin/family-care", admin, h.familyCareAdmin)
	g.POST("/admin/family-care/rules/:occasion", admin, h.familyCareRule)
	g.POST("/admin/family-care/dates", admin, h.familyCareDates)
}

func (h *handlers) familyCareAdmin(c *gin.Context) {
	var flash *web.Message
	if c.Query("m") == "saved" {
		m := web.Msg("web.fcare.settings_saved")
		flash = &m
	}
	h.renderFamilyCareAdmin(c, http.StatusOK, "", nil, flash)
}

func (h *handlers) renderFamilyCareAdmin(c *gin.Context, status int, failed string, form *web.Form, flash *web.Message) {
	var rules itemsOf[careVisitRule]
	var years itemsOf[careFestivalYear]
	if _, err := h.call(c, http.MethodGet, "grants", careAPI+"/visit-rules", 0, nil, &rules); err != nil {
		h.serviceFailed(c, err)
		return
	}
	if _, err := h.call(c, http.MethodGet, "grants", careAPI+"/festival-dates", 0, nil, &years); err != nil {
		h.serviceFailed(c, err)
		return
	}
	if form == nil {
		form = web.NewForm()
	}
	for _, r := range rules.Items {
		if failed != r.Occasion {
			form.Set("before-"+r.Occasion, strconv.Itoa(r.DaysBefore)).Set("after-"+r.Occasion, strconv.Itoa(r.DaysAfter))
		}
	}
	p := h.page(c, "web.fcare.settings_title")
	p.Data, p.Form, p.Flash = familyCareAdminData{Rules: rules.Items, Years: years.Items, Failed: failed}, form, flash
	h.render(c, status, "family_care_admin", p)
}

func (h *handlers) familyCareRule(c *gin.Context) {
	occasion := c.Param("occasion")
	if !slices.Contains([]string{"spring_festival", "qingming", "anniversary"}, occasion) {
		h.errorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	bf, af := "before-"+occasion, "after-"+occasion
	form := web.NewForm().Set(bf, strings.TrimSpace(c.PostForm("days_before"))).Set(af, strings.TrimSpace(c.PostForm("days_after")))
	body := map[string]any{"enabled": c.PostForm("enabled") == "1"}
	for _, f := range []struct{ field, key string }{{bf, "days_before"}, {af, "days_after"}} {
		n, err := strconv.Atoi(form.Value(f.field))
		if err != nil {
			form.AddError(f.field, web.Msg("web.fcare.days_invalid"))
			continue
		}
		body[f.key] = n
	}
	version, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
	if err != nil || version < 1 {
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	if form.HasErrors() {
		h.renderFamilyCareAdmin(c, http.StatusUnprocessableEntity, occasion, form, nil)
		return
	}
	if _, err := h.call(c, http.MethodPut, "grants", careAPI+"/visit-rules/"+url.PathEscape(occasion), version, body, nil); err != nil {
		if problemOnForm(err, form, map[string]string{"days_before": bf, "days_after": af}) {
			h.renderFamilyCareAdmin(c, statusOf(err), occasion, form, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/family-care?m=saved")
}

func (h *handlers) familyCareDates(c *gin.Context) {
	form := web.NewForm()
	for _, k := range []string{"year", "spring_festival", "qingming"} {
		form.Set(k, strings.TrimSpace(c.PostForm(k)))
	}
	year, err := strconv.Atoi(form.Value("year"))
	if err != nil {
		form.AddError("year", web.Msg("web.fcare.year_invalid"))
		h.renderFamilyCareAdmin(c, http.StatusUnprocessableEntity, "dates", form, nil)
		return
	}
	body := map[string]any{"spring_festival": form.Value("spring_festival"), "qingming": form.Value("qingming")}
	if _, err := h.call(c, http.MethodPut, "grants", careAPI+"/festival-dates/"+strconv.Itoa(year), 0, body, nil); err != nil {
		if problemOnForm(err, form, nil) {
			h.renderFamilyCareAdmin(c, statusOf(err), "dates", form, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/family-care?m=saved")
}
