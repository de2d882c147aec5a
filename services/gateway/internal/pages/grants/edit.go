package grants

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/api/client"
	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The applicant's changes to a draft or returned application, and the
// download of an application's document.

// canEditGrant guesses whether u may change a: the applicant or whoever
// prepared it, while it is a draft or returned. Only for offering the
// link; the service decides.
func canEditGrant(u *domain.User, a application) bool {
	return (a.State == "draft" || a.State == "returned") && (a.ApplicantUserID == u.ID || a.PreparedBy == u.ID)
}

// grantEditForm fills a form with what the application holds.
func grantEditForm(app application, required []string) *web.Form {
	form := web.NewForm()
	if app.RequestedAmount > 0 {
		form.Set("requested_amount", money.Fen(app.RequestedAmount).Plain(false))
	}
	if v := app.Answers.IncomePerCapita; v != nil {
		form.Set("income_per_capita", money.Fen(int64(*v)).Plain(false))
	}
	if v := app.Answers.EventDate; v != nil {
		form.Set("event_date", v.String())
	}
	if v := app.Answers.Grade; v != nil && *v > 0 {
		form.Set("grade", strconv.Itoa(*v))
	}
	if v := app.Answers.Cause; v != nil {
		form.Set("cause", string(*v))
	}
	// app.Documents includes the uploaded kinds; a box is ticked only for
	// a kind named without a file
	var ticked, other []string
	for _, d := range app.Documents {
		uploaded := slices.ContainsFunc(app.Files, func(f file) bool { return f.Kind == d })
		switch {
		case slices.Contains(required, d) && !uploaded:
			ticked = append(ticked, d)
		case !slices.Contains(required, d) && !uploaded:
			other = append(other, d)
		}
	}
	form.Set("docs", strings.Join(ticked, "\n")).Set("documents", strings.Join(other, "\n"))
	return form
}

// editableGrant reads the application of the path and its programme's
// required documents for its edit form. It answers the page itself (404,
// 403 when this person may not change it now) and reports false then.
func (a *area) editableGrant(c *gin.Context) (application, program, bool) {
	app, err := a.application(c, c.Param("id"))
	if err != nil {
		a.ServiceFailed(c, err)
		return app, program{}, false
	}
	if !canEditGrant(a.User(c), app) {
		a.ErrorPage(c, http.StatusForbidden, "web.grantapp.not_editable")
		return app, program{}, false
	}
	prog, err := a.program(c, app.ProgramID)
	if err != nil && !webkit.Refused(err, http.StatusNotFound) {
		a.ServiceFailed(c, err)
		return app, prog, false
	}
	return app, prog, true
}

func editFormData(app application) grantFormData {
	return grantFormData{Edit: true, Action: "/grants/applications/" + url.PathEscape(app.ID) + "/edit", Program: app.ProgramID,
		AppID: app.ID, Version: app.Version}
}

// grantEditPage is the applicant's form to change a draft or returned
// application: amounts, answers, documents and files.
func (a *area) grantEditPage(c *gin.Context) {
	app, prog, ok := a.editableGrant(c)
	if !ok {
		return
	}
	a.renderGrantForm(c, http.StatusOK, grantEditForm(app, prog.RequiredDocuments), editFormData(app))
}

// keptAnswers are the answers of app the edit form does not show (set by a
// caseworker): the category always, the wage and honours while the
// programme asks them. The form's own questions are what it sends.
func keptAnswers(app application, asked []string) grantsapi.Form {
	kept := grantsapi.Form{Category: app.Answers.Category}
	if slices.Contains(asked, "monthly_wage") {
		kept.MonthlyWage = app.Answers.MonthlyWage
	}
	if slices.Contains(asked, "honours") {
		kept.Honours = app.Answers.Honours
	}
	return kept
}

// grantEdit saves the edit form (PUT at the version the form was read at),
// uploads its files, and submits when the person asked to.
func (a *area) grantEdit(c *gin.Context) {
	app, prog, ok := a.editableGrant(c)
	if !ok {
		return
	}
	d := editFormData(app)
	version, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
	if err != nil || version < 1 {
		a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
		return
	}
	d.Version = version
	form := web.NewForm()
	answers, docs, uploads := readGrantForm(c, form, prog.RequiredDocuments, prog.FormFields)
	if form.HasErrors() {
		a.renderGrantForm(c, http.StatusUnprocessableEntity, form, d)
		return
	}
	merged := keptAnswers(app, prog.FormFields)
	merged.IncomePerCapita, merged.EventDate, merged.Grade, merged.Cause = answers.IncomePerCapita, answers.EventDate, answers.Grade, answers.Cause
	amount := requestedAmount(form)
	api, err := a.Grants(c)
	var saved *grantsapi.Application
	if err == nil {
		var r *grantsapi.EditApplicationResponse
		body := grantsapi.EditApplicationJSONRequestBody{Form: &merged, Documents: documentsOrNone(docs), RequestedAmount: &amount}
		if r, err = api.EditApplicationWithResponse(c.Request.Context(), app.ID, &grantsapi.EditApplicationParams{IfMatch: client.Tag(d.Version)}, body); err == nil {
			if saved = r.JSON200; saved == nil {
				err = webkit.ErrUnexpected
			}
		}
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, grantFieldAlias) {
			if webkit.VersionMismatch(err) {
				// changed meanwhile: the message says so, and saving
				// again is a choice made knowing it
				d.Version = app.Version
			}
			a.renderGrantForm(c, webkit.StatusOf(err), form, d)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	d.Version = int64(saved.Version)
	if !a.uploadGrantFiles(c, form, app.ID, uploads) {
		return
	}
	if form.HasErrors() {
		a.renderGrantForm(c, http.StatusUnprocessableEntity, form, d)
		return
	}
	m := "saved"
	if c.PostForm("action") == "submit" {
		if !a.submitGrant(c, form, &d) {
			return
		}
		m = "submitted"
	}
	c.Redirect(http.StatusSeeOther, "/grants/applications/"+url.PathEscape(app.ID)+"?m="+m)
}

// grantDocumentDownload passes an application's document through as an
// attachment named by the application's number and the document's id —
// the file name a person uploaded never reaches a header.
func (a *area) grantDocumentDownload(c *gin.Context) {
	app, err := a.application(c, c.Param("id"))
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	i := slices.IndexFunc(app.Files, func(f file) bool { return f.ID == c.Param("doc") })
	doc, isID := uuidOf(c.Param("doc"))
	if i < 0 || !isID {
		a.ErrorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	f := app.Files[i]
	api, err := a.GrantsDownload(c)
	var resp *http.Response
	if err == nil {
		// The file as it comes, not read whole: ClientInterface's method.
		resp, err = api.DownloadApplicationDocument(c.Request.Context(), app.ID, doc) //nolint:bodyclose // webkit.SendStoredDocument closes it
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	if err := webkit.SendStoredDocument(c, resp, webkit.SafeName(app.Number)+"-"+webkit.SafeName(f.ID), f.ContentType); err != nil {
		a.Log.WarnContext(c, "document download interrupted", "application", app.ID, "document", f.ID, "error", err)
	}
}
