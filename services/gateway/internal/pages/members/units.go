package members

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/api/client"
	enrollmentapi "github.com/anxin-welfare/anxin/api/client/enrollment"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Units (enrollment's unit tree), for administrators; auditors read it.

var unitKinds = []string{"committee", "court", "procuratorate", "police_bureau", "police_station", "justice_bureau", "other"}

// unitsData is the units page: the tree, and one form — a new unit, or
// the unit being edited (Edit) with its version. Auditors read the tree
// without forms (CanEdit false).
type unitsData struct {
	Units   []unitView
	Names   map[string]string
	Kinds   []web.Option
	Parents []unitView // the units the form's unit may be put under
	CanEdit bool
	Edit    *unitView
}

func (a *area) registerUnitPages(g *gin.RouterGroup) {
	read := a.RequireUser(domain.RoleAdmin, domain.RoleAuditor)
	admin := a.RequireUser(domain.RoleAdmin)
	g.GET("/admin/units", read, a.unitsPage)
	g.POST("/admin/units", admin, a.createUnit)
	g.POST("/admin/units/:id", admin, a.updateUnit)
}

// unitsPage lists the units; an administrator gets the form to add one,
// or with ?edit=<id> the form to rename or move that one.
func (a *area) unitsPage(c *gin.Context) {
	flash := webkit.FlashOf(c, map[string]string{"saved": "web.admin.users.saved", "updated": "web.units.updated"})
	if id := c.Query("edit"); id != "" && a.User(c).Has(domain.RoleAdmin) {
		u, ok := a.loadUnit(c, id)
		if !ok {
			return
		}
		a.renderUnits(c, http.StatusOK, &u, unitFormOf(u), flash)
		return
	}
	a.renderUnits(c, http.StatusOK, nil, web.NewForm().Set("kind", "police_station"), flash)
}

// loadUnit reads one unit with its version (GET /units/{id}), or shows
// the service's refusal; an id that is none names no unit (404).
func (a *area) loadUnit(c *gin.Context, id string) (unitView, bool) {
	uid, err := uuid.Parse(id)
	if err != nil {
		a.ErrorPage(c, http.StatusNotFound, "web.error.404")
		return unitView{}, false
	}
	api, err := a.Enrollment(c)
	var r *enrollmentapi.GetUnitResponse
	if err == nil {
		r, err = api.GetUnitWithResponse(c.Request.Context(), uid)
	}
	if err == nil && r.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return unitView{}, false
	}
	return unitOf(*r.JSON200), true
}

// unitFormOf is the edit form filled with u as stored.
func unitFormOf(u unitView) *web.Form {
	return web.NewForm().Set("code", u.Code).Set("name", u.Name).Set("kind", u.Kind).Set("parent_id", u.ParentID).
		Set("version", strconv.FormatInt(u.Version, 10))
}

// renderUnits shows the tree and the form: edit is the unit being edited
// (nil: the new-unit form), form what to show in it.
func (a *area) renderUnits(c *gin.Context, status int, edit *unitView, form *web.Form, flash *web.Message) {
	units, err := a.units(c)
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	d := unitsData{Units: units, Names: map[string]string{}, Edit: edit, CanEdit: a.User(c).Has(domain.RoleAdmin)}
	for _, u := range units {
		d.Names[u.ID] = u.Name
	}
	for _, k := range unitKinds {
		d.Kinds = append(d.Kinds, web.Option{Value: k, Label: "web.units.kind." + k})
	}
	d.Parents = units
	if edit != nil {
		// A unit cannot go under itself or a unit below it.
		below := unitsBelow(units, edit.ID)
		d.Parents = nil
		for _, u := range units {
			if !below[u.ID] {
				d.Parents = append(d.Parents, u)
			}
		}
	}
	p := a.Page(c, "web.units.title")
	p.Form, p.Data, p.Flash = form, d, flash
	a.Render(c, status, "units", p)
}

// unitsBelow is the set of id and every unit under it.
func unitsBelow(units []unitView, id string) map[string]bool {
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

// typedUnit reads the unit form as typed, and the registry's UnitInput of
// it: a parent that is no id is sent as the nil id, which the registry
// says is no unit.
func typedUnit(c *gin.Context) (*web.Form, enrollmentapi.UnitInput) {
	form := webkit.PostedForm(c, "code", "name", "kind", "parent_id")
	in := enrollmentapi.UnitInput{Code: form.Value("code"), Name: form.Value("name"), Kind: enrollmentapi.UnitInputKind(form.Value("kind"))}
	if p := form.Value("parent_id"); p != "" {
		id := idOrNil(p)
		in.ParentId = &id
	}
	return form, in
}

// unitProblem puts the enrollment service's refusal of a unit on the
// form: a code another unit has goes next to the code.
func unitProblem(err error, form *web.Form) bool {
	if _, p, ok := webkit.Refusal(err); ok && p.Code == "enrollment.duplicate_unit" {
		form.AddError("code", web.Localized(p.Title))
		return true
	}
	return webkit.ProblemOnForm(err, form, nil)
}

// createUnit adds a unit below its parent.
func (a *area) createUnit(c *gin.Context) {
	form, in := typedUnit(c)
	api, err := a.Enrollment(c)
	if err == nil {
		err = webkit.Done(api.CreateUnit(c.Request.Context(), in)) //nolint:bodyclose // webkit.Done drains and closes it
	}
	if err != nil {
		if unitProblem(err, form) {
			a.renderUnits(c, webkit.StatusOf(err), nil, form, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/units?m=saved")
}

// updateUnit renames or moves a unit at the version the form showed
// (If-Match). A change made meanwhile is not overwritten: the form comes
// back with the unit as it is now.
func (a *area) updateUnit(c *gin.Context) {
	u, ok := a.loadUnit(c, c.Param("id"))
	if !ok {
		return
	}
	form, in := typedUnit(c)
	version, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
	if err != nil || version < 1 {
		version = -1 // a form without its version is stale
	}
	form.Set("version", strconv.FormatInt(u.Version, 10))
	changed := func(fresh unitView) {
		a.renderUnits(c, http.StatusConflict, &fresh, unitFormOf(fresh).AddError("", web.Msg("web.units.changed")), nil)
	}
	if version != u.Version {
		changed(u)
		return
	}
	api, err := a.Enrollment(c)
	if err == nil {
		err = webkit.Done(api.UpdateUnit(c.Request.Context(), idOrNil(u.ID), &enrollmentapi.UpdateUnitParams{IfMatch: client.Tag(version)}, in)) //nolint:bodyclose // webkit.Done drains and closes it
	}
	switch {
	case err == nil:
		c.Redirect(http.StatusSeeOther, "/admin/units?m=updated")
	case webkit.VersionMismatch(err):
		if fresh, ok := a.loadUnit(c, u.ID); ok {
			changed(fresh)
		}
	case unitProblem(err, form):
		a.renderUnits(c, webkit.StatusOf(err), &u, form, nil)
	default:
		a.ServiceFailed(c, err)
	}
}
