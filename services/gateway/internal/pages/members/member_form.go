package members

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/api/client"
	enrollmentapi "github.com/anxin-welfare/anxin/api/client/enrollment"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The register and edit form of a member's details.

// memberFormData is the register and edit form.
type memberFormData struct {
	New        bool
	Member     memberDetail
	Units      []unitChoice
	Categories []web.Option
	AuxDuties  []web.Option
}

// memberFormFields are the fields of the register and edit form.
var memberFormFields = []string{"name", "id_number", "category", "unit_id", "frontline", "aux_duty", "high_risk", "phone", "hire_date", "service_start"}

// memberFieldNames puts the registry's field problems beside the form's fields.
var memberFieldNames = map[string]string{"post.aux_duty": "aux_duty", "post.high_risk": "high_risk", "post.frontline": "frontline"}

// typedMember is the register or edit form as typed.
func typedMember(c *gin.Context) *web.Form {
	return webkit.PostedForm(c, memberFormFields...)
}

// memberInput is the registry's MemberInput of a typed form. The form's
// values the input's types cannot carry are said beside their fields (in
// the words the registry uses for them) and the form is not sent: a unit
// not chosen, a date that is none. A hire date left empty is sent as none
// for the registry to say it is required, with whatever else it finds.
func memberInput(form *web.Form) enrollmentapi.MemberInput {
	frontline, highRisk := form.Value("frontline") != "", form.Value("high_risk") != ""
	post := &enrollmentapi.Post{Frontline: &frontline, HighRisk: &highRisk}
	if aux := form.Value("aux_duty"); aux != "" {
		d := enrollmentapi.PostAuxDuty(aux)
		post.AuxDuty = &d
	}
	in := enrollmentapi.MemberInput{Name: form.Value("name"), Category: enrollmentapi.Category(form.Value("category")),
		IdNumber: form.Value("id_number"), Post: post}
	if phone := form.Value("phone"); phone != "" {
		in.Phone = &phone
	}
	if form.Value("unit_id") == "" {
		form.AddError("unit_id", web.Msg("field.required"))
	} else {
		in.UnitId = idOrNil(form.Value("unit_id"))
	}
	if v := form.Value("hire_date"); v != "" {
		d, ok := parsedDate(v)
		if !ok {
			form.AddError("hire_date", web.Msg("field.date"))
		}
		in.HireDate = d
	}
	if v := form.Value("service_start"); v != "" {
		d, ok := parsedDate(v)
		if !ok {
			form.AddError("service_start", web.Msg("field.date"))
		}
		in.ServiceStart = &d
	}
	return in
}

// memberFormOf is the edit form filled with the member's details; the
// identity number stays empty (the page only ever has it masked).
func memberFormOf(m memberDetail) *web.Form {
	f := web.NewForm().Set("name", m.Name).Set("category", m.Category).Set("unit_id", m.UnitID).Set("aux_duty", m.Post.AuxDuty).
		Set("phone", m.Phone).Set("hire_date", m.HireDate).Set("service_start", m.ServiceStart)
	if m.Post.Frontline {
		f.Set("frontline", "1")
	}
	if m.Post.HighRisk {
		f.Set("high_risk", "1")
	}
	return f
}

// memberFormProblem puts a refusal of the register or edit form on it; a
// number registered already belongs beside the identity number.
func memberFormProblem(err error, form *web.Form) bool {
	if st, p, ok := webkit.Refusal(err); ok && st == http.StatusConflict && p.Code == "enrollment.duplicate_member" {
		form.AddError("id_number", web.Localized(p.Title))
		return true
	}
	return webkit.ProblemOnForm(err, form, memberFieldNames)
}

// renderMemberForm shows the register form (m nil) or the edit form.
func (a *area) renderMemberForm(c *gin.Context, status int, m *memberDetail, form *web.Form, alert *web.Message) {
	units, err := a.units(c)
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	d := memberFormData{New: m == nil, Categories: memberOptions("web.members.category.", memberCategories), AuxDuties: auxDutyOptions}
	title := "web.members.register"
	if m != nil {
		d.Member, title = *m, "web.members.edit"
	}
	var mine []string
	if u := a.User(c); u != nil {
		mine = u.Units
	}
	d.Units = memberUnitChoices(units, mine, form.Value("unit_id"))
	p := a.Page(c, title)
	p.Form, p.Data, p.Alert = form, d, alert
	a.Render(c, status, "member_form", p)
}

func (a *area) newMemberPage(c *gin.Context) {
	a.renderMemberForm(c, http.StatusOK, nil, web.NewForm().Set("unit_id", c.Query("unit")), nil)
}

func (a *area) registerMember(c *gin.Context) {
	form := typedMember(c)
	in := memberInput(form)
	if form.HasErrors() {
		a.renderMemberForm(c, http.StatusUnprocessableEntity, nil, form, nil)
		return
	}
	api, err := a.Enrollment(c)
	var r *enrollmentapi.RegisterMemberResponse
	if err == nil {
		r, err = api.RegisterMemberWithResponse(c.Request.Context(), in)
	}
	if err == nil && r.JSON201 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		if !memberFormProblem(err, form) {
			a.ServiceFailed(c, err)
			return
		}
		a.renderMemberForm(c, webkit.StatusOf(err), nil, form, nil)
		return
	}
	c.Redirect(http.StatusSeeOther, memberPath(r.JSON201.Id.String())+"?m=registered")
}

func (a *area) editMemberPage(c *gin.Context) {
	m, ok := a.loadMember(c)
	if !ok {
		return
	}
	if m.Deceased() {
		alert := web.Msg("web.members.closed")
		a.renderMember(c, http.StatusOK, m, web.NewForm(), "", nil, &alert)
		return
	}
	a.renderMemberForm(c, http.StatusOK, &m, memberFormOf(m), nil)
}

// updateMember replaces the member's details under the version the form
// was filled from. The registry needs the whole identity number; when the
// caseworker leaves it empty (the form only shows it masked) the stored
// one is read, audited as a view, only now that it is saved.
func (a *area) updateMember(c *gin.Context) {
	version, ok := pageVersion(c)
	if !ok {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	m, ok := a.loadMember(c)
	if !ok {
		return
	}
	changed := web.Msg("web.members.changed")
	if m.Version != version {
		a.renderMemberForm(c, http.StatusConflict, &m, memberFormOf(m), &changed)
		return
	}
	form := typedMember(c)
	in := memberInput(form)
	if form.HasErrors() {
		a.renderMemberForm(c, http.StatusUnprocessableEntity, &m, form, nil)
		return
	}
	api, err := a.Enrollment(c)
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	ctx, id := c.Request.Context(), idOrNil(m.ID)
	if strings.TrimSpace(in.IdNumber) == "" {
		r, err := api.RevealIDNumberWithResponse(ctx, id)
		if err == nil && r.JSON200 == nil {
			err = webkit.ErrUnexpected
		}
		if err != nil {
			a.ServiceFailed(c, err)
			return
		}
		in.IdNumber = r.JSON200.IdNumber
	}
	err = webkit.Done(api.ReplaceMember(ctx, id, &enrollmentapi.ReplaceMemberParams{IfMatch: client.Tag(version)}, in)) //nolint:bodyclose // webkit.Done drains and closes it
	switch {
	case err == nil:
		c.Redirect(http.StatusSeeOther, memberPath(m.ID)+"?m=saved")
	case webkit.VersionMismatch(err):
		if fresh, ok := a.loadMember(c); ok {
			a.renderMemberForm(c, http.StatusConflict, &fresh, memberFormOf(fresh), &changed)
		}
	case memberFormProblem(err, form):
		a.renderMemberForm(c, webkit.StatusOf(err), &m, form, nil)
	default:
		a.ServiceFailed(c, err)
	}
}
