package httpapi

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Units (enrollment's unit tree) and grant programmes, for administrators.

type unitRow struct {
	ID       string `json:"id"`
	Code     string `json:"code"`
	ParentID string `json:"parent_id"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
}

var unitKinds = []string{"committee", "court", "procuratorate", "police_bureau", "police_station", "justice_bureau", "other"}

type unitsData struct {
	Units   []unitRow
	Names   map[string]string
	Kinds   []web.Option
	Parents []web.Option
}

type programRow struct {
	grantProgram
	Allocation        int64 `json:"allocation"`
	Committed         int64 `json:"committed"`
	Disbursed         int64 `json:"disbursed"`
	Remaining         int64 `json:"remaining"`
	DualApprovalAbove int64 `json:"dual_approval_above"`
	Recurring         bool  `json:"recurring"`
}

func (h *handlers) registerUnitPages(g *gin.RouterGroup) {
	admin := h.requireUser(domain.RoleAdmin)
	g.GET("/admin/units", admin, h.unitsPage)
	g.POST("/admin/units", admin, h.createUnit)
}

func (h *handlers) unitsPage(c *gin.Context) {
	var flash *web.Message
	if c.Query("m") == "saved" {
		m := web.Msg("web.admin.users.saved")
		flash = &m
	}
	h.renderUnits(c, http.StatusOK, web.NewForm().Set("kind", "police_station"), flash)
}

func (h *handlers) renderUnits(c *gin.Context, status int, form *web.Form, flash *web.Message) {
	var list struct {
		Units []unitRow `json:"units"`
	}
	if _, err := h.call(c, http.MethodGet, "enrollment", enrollmentAPI+"/units", 0, nil, &list); err != nil {
		h.serviceFailed(c, err)
		return
	}
	d := unitsData{Units: list.Units, Names: map[string]string{}, Parents: []web.Option{{Value: "", Label: "web.units.no_parent"}}}
	for _, u := range list.Units {
		d.Names[u.ID] = u.Name
	}
	for _, k := range unitKinds {
		d.Kinds = append(d.Kinds, web.Option{Value: k, Label: "web.units.kind." + k})
	}
	p := h.page(c, "web.units.title")
	p.Form, p.Data, p.Flash = form, d, flash
	h.render(c, status, "units", p)
}

// createUnit adds a unit below its parent (POST /api/v1/enrollment/units).
func (h *handlers) createUnit(c *gin.Context) {
	form := web.NewForm()
	body := map[string]string{}
	for _, f := range []string{"code", "name", "kind", "parent_id"} {
		v := strings.TrimSpace(c.PostForm(f))
		form.Set(f, v)
		if v != "" {
			body[f] = v
		}
	}
	if _, err := h.call(c, http.MethodPost, "enrollment", enrollmentAPI+"/units", 0, body, nil); err != nil {
		if problemOnForm(err, form, nil) {
			h.renderUnits(c, statusOf(err), form, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/units?m=saved")
}

// programsPage lists the grant programmes with their budget use.
