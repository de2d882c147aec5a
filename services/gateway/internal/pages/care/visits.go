package care

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	openapi_types "github.com/oapi-codegen/runtime/types"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The visit form, made for a phone during the visit: the occasion, who
// went, what was given (cash in yuan, goods), what the family raised, and
// a photo (photos.go).

// familyCareVisitData feeds the phone visit form.
type familyCareVisitData struct {
	Family    careFamily
	Occasions []string
	Today     string
}

func (a *area) familyCareVisitForm(c *gin.Context) {
	f, ok := a.loadFamily(c)
	if !ok {
		return
	}
	form := web.NewForm().Set("visited_on", clock.Today(a.Clock).Format(time.DateOnly)).Set("visitors", a.User(c).DisplayName)
	if f.NextVisit != nil {
		form.Set("occasion", f.NextVisit.Occasion)
	}
	a.renderVisitForm(c, http.StatusOK, f, form)
}

func (a *area) renderVisitForm(c *gin.Context, status int, f careFamily, form *web.Form) {
	p := a.Page(c, "web.fcare.visit_title")
	p.Data = familyCareVisitData{Family: f, Occasions: careOccasions, Today: clock.Today(a.Clock).Format(time.DateOnly)}
	p.Form = form
	a.Render(c, status, "family_care_visit", p)
}

// requiredDate reads the required date of field, putting a missing or
// unreadable one on the form. A missing one is told in grants' words, as
// their text (the page's error summary knows that text for "required"
// and names the field).
func requiredDate(form *web.Form, field string, lang i18n.Lang) openapi_types.Date {
	if form.Value(field) == "" {
		form.AddError(field, web.Localized(i18n.T(lang, "web.fcare.date_required")))
		return openapi_types.Date{}
	}
	return webkit.Deref(optionalDate(form, field))
}

// set points *p at a new T and returns it: for a member of a generated
// body whose type the document leaves unnamed.
func set[T any](p **T) *T {
	*p = new(T)
	return *p
}

// add appends a zero element to *s and returns it, likewise.
func add[E any](s *[]E) *E {
	*s = append(*s, *new(E))
	return &(*s)[len(*s)-1]
}

// familyCareVisit records the visit, and its photo when one was chosen.
func (a *area) familyCareVisit(c *gin.Context) {
	f, ok := a.loadFamily(c)
	if !ok {
		return
	}
	form := webkit.PostedForm(c, "occasion", "visited_on", "visitors", "cash", "goods", "family_raised", "notes")
	visitors := []string{}
	for _, v := range strings.FieldsFunc(form.Value("visitors"), func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == '\n' }) {
		if v = strings.TrimSpace(v); v != "" {
			visitors = append(visitors, v)
		}
	}
	raised, notes := form.Value("family_raised"), form.Value("notes")
	body := grantsapi.RecordCareVisitJSONRequestBody{Occasion: form.Value("occasion"), Visitors: visitors, FamilyRaised: &raised, Notes: &notes}
	given := set(&body.Given)
	if cash := form.Value("cash"); cash != "" {
		fen, err := money.Parse(cash)
		if err != nil || fen < 0 {
			form.AddError("cash", web.Msg("web.fcare.cash_invalid"))
		} else if fen > 0 {
			g, amount := add(given), int(fen)
			g.Description, g.Amount = i18n.T(a.Lang(c), "web.fcare.cash"), &amount
		}
	}
	if goods := form.Value("goods"); goods != "" {
		g, none := add(given), 0
		g.Description, g.Amount = goods, &none
	}
	// no date is sent as the zero day, which grants refuses as missing in
	// its own words
	body.VisitedOn = webkit.Deref(optionalDate(form, "visited_on"))
	if form.HasErrors() {
		a.renderVisitForm(c, http.StatusUnprocessableEntity, f, form)
		return
	}
	api, err := a.Grants(c)
	var r *grantsapi.RecordCareVisitResponse
	if err == nil {
		r, err = api.RecordCareVisitWithResponse(c.Request.Context(), f.ID, body)
	}
	if err == nil && r.JSON201 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, map[string]string{"given[0].amount": "cash", "given[0].description": "goods", "given[1].description": "goods"}) {
			a.renderVisitForm(c, webkit.StatusOf(err), f, form)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	visitID := id(r.JSON201.Id)
	if fh, err := c.FormFile("photo"); err == nil && fh.Size > 0 {
		if err := a.uploadCarePhoto(c, visitID, fh); err != nil {
			// the visit is recorded: say which photo failed and why, and
			// offer to add it again on the visit
			a.Log.WarnContext(c, "visit photo not stored", "error", err)
			c.Redirect(http.StatusSeeOther, photoFailedURL(f.ID, visitID, fh.Filename, err))
			return
		}
	}
	c.Redirect(http.StatusSeeOther, "/work/family-care/"+url.PathEscape(f.ID)+"?m=visit")
}
