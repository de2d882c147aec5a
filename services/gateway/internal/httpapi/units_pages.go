package httpapi

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
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
	Version  int64  `json:"version"`
}

var unitKinds = []string{"committee", "court", "procuratorate", "police_bureau", "police_station", "justice_bureau", "other"}

// unitsData is the units page: the tree, and one form — a new unit, or
// the unit being edited (Edit) with its version. Auditors read the tree
// without forms (CanEdit false).
type unitsData struct {
	Units   []unitRow
	Names   map[string]string
	Kinds   []web.Option
	Parents []unitRow // the units the form's unit may be put under
	CanEdit bool
	Edit    *unitRow
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
	read := h.requireUser(domain.RoleAdmin, domain.RoleAuditor)
	admin := h.requireUser(domain.RoleAdmin)
	g.GET("/admin/units", read, h.unitsPage)
	g.POST("/admin/units", admin, h.createUnit)
	g.POST("/admin/units/:id", admin, h.updateUnit)
}

// unitsPage lists the units; an administrator gets the form to add one,
// or with ?edit=<id> the form to rename or move that one.
func (h *handlers) unitsPage(c *gin.Context) {
	var flash *web.Message
	switch c.Query("m") {
	case "saved":
		m := web.Msg("web.admin.users.saved")
		flash = &m
	case "updated":
		m := web.Msg("web.units.updated")
		flash = &m
	}
	if id := c.Query("edit"); id != "" && currentUser(c).Has(domain.RoleAdmin) {
		u, ok := h.loadUnit(c, id)
		if !ok {
			return
		}
		h.renderUnits(c, http.StatusOK, &u, unitFormOf(u), flash)
		return
	}
	h.renderUnits(c, http.StatusOK, nil, web.NewForm().Set("kind", "police_station"), flash)
}

// loadUnit reads one unit with its version (GET /units/{id}), or shows
// the service's refusal.
func (h *handlers) loadUnit(c *gin.Context, id string) (unitRow, bool) {
	var u unitRow
	if _, err := h.call(c, http.MethodGet, "enrollment", enrollmentAPI+"/units/"+url.PathEscape(id), 0, nil, &u); err != nil {
		h.serviceFailed(c, err)
		return u, false
	}
	return u, true
}

// unitFormOf is the edit form filled with u as stored.
func unitFormOf(u unitRow) *web.Form {
	return web.NewForm().Set("code", u.Code).Set("name", u.Name).Set("kind", u.Kind).Set("parent_id", u.ParentID).
		Set("version", strconv.FormatInt(u.Version, 10))
}

// renderUnits shows the tree and the form: edit is the unit being edited
// (nil: the new-unit form), form what to show in it.
func (h *handlers) renderUnits(c *gin.Context, status int, edit *unitRow, form *web.Form, flash *web.Message) {
	var list struct {
		Units []unitRow `json:"units"`
	}
	if err := listInto(h, c, "enrollment", enrollmentAPI+"/units", "units", &list.Units); err != nil {
		h.serviceFailed(c, err)
		return
	}
	d := unitsData{Units: list.Units, Names: map[string]string{}, Edit: edit, CanEdit: currentUser(c).Has(domain.RoleAdmin)}
	for _, u := range list.Units {
		d.Names[u.ID] = u.Name
	}
	for _, k := range unitKinds {
		d.Kinds = append(d.Kinds, web.Option{Value: k, Label: "web.units.kind." + k})
	}
	d.Parents = list.Units
	if edit != nil {
		// A unit cannot go under itself or a unit below it.
		below := unitsBelow(list.Units, edit.ID)
		d.Parents = nil
		for _, u := range list.Units {
			if !below[u.ID] {
				d.Parents = append(d.Parents, u)
			}
		}
	}
	p := h.page(c, "web.units.title")
	p.Form, p.Data, p.Flash = form, d, flash
	h.render(c, status, "units", p)
}

// unitsBelow is the set of id and every unit under it.
func unitsBelow(units []unitRow, id string) map[string]bool {
	out := map[string]bool{id: true}
	for grew := true; grew; {
		grew = false
		for _, u := range units {
			if !out[u.ID] && out[u.ParentID] && u.ParentID != "" {
				out[u.ID], grew = true, true
			}
		}
	}
	return out
}

// typedUnit reads the unit form as typed, and the body for the API.
func typedUnit(c *gin.Context) (*web.Form, map[string]string) {
	form := web.NewForm()
	body := map[string]string{}
	for _, f := range []string{"code", "name", "kind", "parent_id"} {
		v := strings.TrimSpace(c.PostForm(f))
		form.Set(f, v)
		if v != "" {
			body[f] = v
		}
	}
	return form, body
}

// unitProblem puts the enrollment service's refusal of a unit on the
// form: a code another unit has goes next to the code.
func unitProblem(err error, form *web.Form) bool {
	var ae *APIError
	if errors.As(err, &ae) && ae.Problem.Code == "enrollment.duplicate_unit" {
		form.AddError("code", web.Localized(ae.Problem.Title))
		return true
	}
	return problemOnForm(err, form, nil)
}

// createUnit adds a unit below its parent (POST /api/v1/enrollment/units).
func (h *handlers) createUnit(c *gin.Context) {
	form, body := typedUnit(c)
	if _, err := h.call(c, http.MethodPost, "enrollment", enrollmentAPI+"/units", 0, body, nil); err != nil {
		if unitProblem(err, form) {
			h.renderUnits(c, statusOf(err), nil, form, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/units?m=saved")
}

// updateUnit renames or moves a unit at the version the form showed
// (PUT /api/v1/enrollment/units/{id}, If-Match). A change made meanwhile
// is not overwritten: the form comes back with the unit as it is now.
func (h *handlers) updateUnit(c *gin.Context) {
	u, ok := h.loadUnit(c, c.Param("id"))
	if !ok {
		return
	}
	form, body := typedUnit(c)
	version, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
	if err != nil || version < 1 {
		version = -1 // a form without its version is stale
	}
	form.Set("version", strconv.FormatInt(u.Version, 10))
	changed := func(fresh unitRow) {
		h.renderUnits(c, http.StatusConflict, &fresh, unitFormOf(fresh).AddError("", web.Msg("web.units.changed")), nil)
	}
	if version != u.Version {
		changed(u)
		return
	}
	_, err = h.call(c, http.MethodPut, "enrollment", enrollmentAPI+"/units/"+url.PathEscape(u.ID), version, body, nil)
	switch {
	case err == nil:
		c.Redirect(http.StatusSeeOther, "/admin/units?m=updated")
	case versionMismatch(err):
		if fresh, ok := h.loadUnit(c, u.ID); ok {
			changed(fresh)
		}
	case unitProblem(err, form):
		h.renderUnits(c, statusOf(err), &u, form, nil)
	default:
		h.serviceFailed(c, err)
	}
}

// programsPage lists the grant programmes with their budget use.
