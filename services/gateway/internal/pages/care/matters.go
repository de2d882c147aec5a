package care

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/anxin-welfare/anxin/api/client"
	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// A family's support matters (诉求): raised by the staff on the record or by
// the family on its own page, taken in hand, given a deadline or a note,
// turned into a schooling grant application, resolved.

// optionalDate reads the optional date of field: nil when empty; a date
// that is none is put on the form beside field.
func optionalDate(form *web.Form, field string) *openapi_types.Date {
	v := form.Value(field)
	if v == "" {
		return nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		form.AddError(field, web.Msg("web.fcare.date_invalid"))
		return nil
	}
	return &openapi_types.Date{Time: t}
}

// familyCareRaise records a matter: from the record page (staff) or from
// the family's own page.
func (a *area) familyCareRaise(c *gin.Context) {
	id := c.Param("id")
	fromFamily := strings.HasPrefix(c.FullPath(), "/family-care/")
	form := webkit.PostedForm(c, "kind", "topic", "person_id", "summary", "due_on")
	body := grantsapi.RaiseCareMatterJSONRequestBody{Kind: form.Value("kind"), Summary: form.Value("summary"), DueOn: optionalDate(form, "due_on")}
	if v := form.Value("topic"); v != "" {
		body.Topic = v
	}
	if v := form.Value("person_id"); v != "" {
		body.PersonId = &v
	}
	if form.Value("summary") == "" {
		form.AddError("summary", web.Msg("web.fcare.summary_required"))
	}
	var err error
	if !form.HasErrors() {
		var api *grantsapi.ClientWithResponses
		if api, err = a.Grants(c); err == nil {
			//nolint:bodyclose // webkit.Done drains and closes it
			err = webkit.Done(api.RaiseCareMatter(c.Request.Context(), id, body))
		}
	}
	if err == nil && !form.HasErrors() {
		if fromFamily {
			c.Redirect(http.StatusSeeOther, "/family-care?m=matter")
		} else {
			c.Redirect(http.StatusSeeOther, "/work/family-care/"+url.PathEscape(id)+"?m=matter")
		}
		return
	}
	if err != nil && !webkit.ProblemOnForm(err, form, nil) {
		a.ServiceFailed(c, err)
		return
	}
	status := http.StatusUnprocessableEntity
	if err != nil {
		status = webkit.StatusOf(err)
	}
	if fromFamily {
		a.renderFamilyCareMine(c, status, id, form, nil)
		return
	}
	a.renderFamilyCare(c, status, "matter", form, nil)
}

// matterOf finds the matter of the path in the family's record.
func matterOf(f careFamily, id string) (careMatter, bool) {
	for _, m := range f.Matters {
		if m.ID == id {
			return m, true
		}
	}
	return careMatter{}, false
}

// loadMatter reads the family's record and the matter of the path in it,
// or answers the page (404 for a matter not of this family).
func (a *area) loadMatter(c *gin.Context) (careFamily, careMatter, bool) {
	f, ok := a.loadFamily(c)
	if !ok {
		return f, careMatter{}, false
	}
	m, ok := matterOf(f, c.Param("matter"))
	if !ok {
		a.ErrorPage(c, http.StatusNotFound, "web.error.404")
		return f, m, false
	}
	return f, m, true
}

func (a *area) familyCareApplication(c *gin.Context) {
	_, m, ok := a.loadMatter(c)
	if !ok {
		return
	}
	form := web.NewForm()
	api, err := a.Grants(c)
	var r *grantsapi.StartCareEducationApplicationResponse
	if err == nil {
		r, err = api.StartCareEducationApplicationWithResponse(c.Request.Context(), m.ID,
			&grantsapi.StartCareEducationApplicationParams{IfMatch: client.Tag(m.Version)}, grantsapi.StartCareEducationApplicationJSONRequestBody{})
	}
	if err == nil && r.JSON201 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, map[string]string{"program_id": ""}) {
			a.renderFamilyCare(c, webkit.StatusOf(err), m.ID, form, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/grants/applications/"+url.PathEscape(id(r.JSON201.ApplicationId))+"?m=draft")
}

// familyCareProgress takes a matter in hand (the signed-in user as its
// handler), sets its deadline or adds a note to its timeline.
func (a *area) familyCareProgress(c *gin.Context) {
	f, m, ok := a.loadMatter(c)
	if !ok {
		return
	}
	df, nf := "due-"+m.ID, "note-"+m.ID
	form := web.NewForm().Set(df, strings.TrimSpace(c.PostForm("due_on"))).Set(nf, strings.TrimSpace(c.PostForm("note")))
	note := form.Value(nf)
	body := grantsapi.AdvanceCareMatterJSONRequestBody{Note: &note, DueOn: optionalDate(form, df)}
	if c.PostForm("take") == "1" {
		u := a.User(c)
		body.HandlerUserId, body.HandlerName = &u.ID, &u.DisplayName
	}
	if form.HasErrors() {
		a.renderFamilyCare(c, http.StatusUnprocessableEntity, m.ID, form, nil)
		return
	}
	api, err := a.Grants(c)
	if err == nil {
		//nolint:bodyclose // webkit.Done drains and closes it
		err = webkit.Done(api.AdvanceCareMatter(c.Request.Context(), m.ID, &grantsapi.AdvanceCareMatterParams{IfMatch: client.Tag(m.Version)}, body))
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, map[string]string{"due_on": df, "note": nf, "handler_name": nf}) {
			a.renderFamilyCare(c, webkit.StatusOf(err), m.ID, form, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/work/family-care/"+url.PathEscape(f.ID)+"?m=progress")
}

func (a *area) familyCareResolve(c *gin.Context) {
	f, m, ok := a.loadMatter(c)
	if !ok {
		return
	}
	outcome := strings.TrimSpace(c.PostForm("outcome"))
	form := web.NewForm().Set("outcome-"+m.ID, outcome)
	if outcome == "" {
		form.AddError("outcome-"+m.ID, web.Msg("web.fcare.outcome_required"))
		a.renderFamilyCare(c, http.StatusUnprocessableEntity, m.ID, form, nil)
		return
	}
	api, err := a.Grants(c)
	if err == nil {
		//nolint:bodyclose // webkit.Done drains and closes it
		err = webkit.Done(api.ResolveCareMatter(c.Request.Context(), m.ID, &grantsapi.ResolveCareMatterParams{IfMatch: client.Tag(m.Version)},
			grantsapi.ResolveCareMatterJSONRequestBody{Outcome: outcome}))
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, map[string]string{"outcome": "outcome-" + m.ID}) {
			a.renderFamilyCare(c, webkit.StatusOf(err), m.ID, form, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/work/family-care/"+url.PathEscape(f.ID)+"?m=resolved")
}

type familyCareMineData struct {
	Families    []careFamily
	Failed      string
	MatterForms map[string]matterForm
}

func (a *area) familyCareMine(c *gin.Context) {
	a.renderFamilyCareMine(c, http.StatusOK, "", nil, webkit.FlashOf(c, map[string]string{"matter": "web.fcare.matter_saved"}))
}

func (a *area) renderFamilyCareMine(c *gin.Context, status int, failed string, form *web.Form, flash *web.Message) {
	api, err := a.Grants(c)
	var r *grantsapi.MyCareResponse
	if err == nil {
		r, err = api.MyCareWithResponse(c.Request.Context(), &grantsapi.MyCareParams{})
	}
	if err == nil && r.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	if form == nil {
		form = web.NewForm()
	}
	p := a.Page(c, "web.fcare.mine_title")
	d := familyCareMineData{Failed: failed, MatterForms: map[string]matterForm{}}
	for _, v := range r.JSON200.Items {
		f := familyOfView(v)
		d.Families = append(d.Families, f)
		d.MatterForms[f.ID] = matterForm{P: p, ID: f.ID, Action: "/family-care/" + f.ID + "/matters", Persons: f.Persons, Kinds: careMatterKinds,
			Topics: careTopics, Show: failed == f.ID}
	}
	p.Data, p.Form, p.Flash = d, form, flash
	a.Render(c, status, "family_care_mine", p)
}
