package grants

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/api/client"
	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// grantApply saves the form as a draft, uploads its files and submits it:
// the person fills one form; the draft is the API's step, not theirs. A
// refused submission shows the form again with each problem next to its
// field, and the draft's id and version in hidden fields, so the next
// attempt corrects the same draft (PUT with If-Match) instead of starting
// another: application numbers are gap-free and records are never
// deleted, so a draft per attempt would stay in the person's list forever.
func (a *area) grantApply(c *gin.Context) {
	u := a.User(c)
	progID := strings.TrimSpace(c.PostForm("program_id"))
	dependant := strings.TrimSpace(c.PostForm("dependant_id"))
	form := web.NewForm().Set("program", progID).Set("dependant", dependant)
	if appliesAsFamily(u) && dependant == "" {
		form.AddError("dependant", web.Msg("web.grantapp.dependant_required"))
	}
	d := grantFormData{Action: "/grants/apply", AppID: strings.TrimSpace(c.PostForm("app_id"))}
	d.Version, _ = strconv.ParseInt(c.PostForm("version"), 10, 64)
	var required, asked []string
	if progID == "" {
		form.AddError("program", web.Msg("web.grantapp.program_required"))
	} else {
		prog, err := a.program(c, progID)
		switch {
		case webkit.Refused(err, http.StatusNotFound) || (err == nil && !prog.Active):
			form.AddError("program", web.Msg("web.grantapp.program_unknown"))
		case err != nil:
			a.ServiceFailed(c, err)
			return
		default:
			required, asked = prog.RequiredDocuments, prog.FormFields
		}
	}
	answers, docs, uploads := readGrantForm(c, form, required, asked)
	if form.HasErrors() {
		a.renderGrantForm(c, http.StatusUnprocessableEntity, form, d)
		return
	}
	api, err := a.Grants(c)
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	ctx := c.Request.Context()
	if d.AppID != "" {
		draft, err := a.application(c, d.AppID)
		switch {
		case err != nil && !webkit.Refused(err, http.StatusNotFound):
			a.ServiceFailed(c, err)
			return
		case err != nil, draft.State != "draft":
			// gone, or submitted from another tab: start afresh
			d.AppID, d.Version = "", 0
		case draft.ProgramID != progID, draft.DependantID != "" && draft.DependantID != dependant && appliesAsFamily(u):
			// another programme or dependant: a draft's are fixed, so the
			// old draft is withdrawn and a new one started
			//nolint:bodyclose // webkit.Done drains and closes it
			err := webkit.Done(api.WithdrawApplication(ctx, d.AppID, &grantsapi.WithdrawApplicationParams{IfMatch: client.Tag(draft.Version)},
				grantsapi.ApplicationStep{}))
			if err != nil {
				a.Log.WarnContext(c, "withdraw the draft of another programme", "application", d.AppID, "error", err)
			}
			d.AppID, d.Version = "", 0
		case d.Version == 0:
			d.Version = draft.Version
		}
	}
	amount := requestedAmount(form)
	var saved *grantsapi.Application
	if d.AppID == "" {
		pid, _ := uuidOf(progID) // read above: the service knows it
		in := grantsapi.ApplicationInput{ProgramId: pid, MemberId: &u.MemberID, Form: &answers,
			Documents: documentsOrNone(docs), RequestedAmount: &amount}
		if dependant != "" {
			in.DependantId = &dependant
		}
		var r *grantsapi.CreateApplicationResponse
		if r, err = api.CreateApplicationWithResponse(ctx, in); err == nil {
			if saved = r.JSON201; saved == nil {
				err = webkit.ErrUnexpected
			}
		}
	} else {
		var r *grantsapi.EditApplicationResponse
		body := grantsapi.EditApplicationJSONRequestBody{Form: &answers, Documents: documentsOrNone(docs), RequestedAmount: &amount}
		if r, err = api.EditApplicationWithResponse(ctx, d.AppID, &grantsapi.EditApplicationParams{IfMatch: client.Tag(d.Version)}, body); err == nil {
			if saved = r.JSON200; saved == nil {
				err = webkit.ErrUnexpected
			}
		}
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, grantFieldAlias) {
			a.renderGrantForm(c, webkit.StatusOf(err), form, d)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	app := applicationOf(*saved)
	d.AppID, d.Version = app.ID, app.Version
	if !a.uploadGrantFiles(c, form, app.ID, uploads) {
		return
	}
	if form.HasErrors() {
		a.renderGrantForm(c, http.StatusUnprocessableEntity, form, d)
		return
	}
	if !a.submitGrant(c, form, &d) {
		return
	}
	c.Redirect(http.StatusSeeOther, "/grants/applications/"+url.PathEscape(app.ID)+"?m=submitted")
}

// submitGrant submits d's application at d.Version. On a refusal it shows
// the form again with the problems next to their fields and reports false;
// so it does when the page was already answered.
func (a *area) submitGrant(c *gin.Context, form *web.Form, d *grantFormData) bool {
	api, err := a.Grants(c)
	if err == nil {
		//nolint:bodyclose // webkit.Done drains and closes it
		err = webkit.Done(api.SubmitApplication(c.Request.Context(), d.AppID,
			&grantsapi.SubmitApplicationParams{IfMatch: client.Tag(d.Version)}, grantsapi.ApplicationStep{}))
	}
	if err == nil {
		return true
	}
	if !webkit.ProblemOnForm(err, form, grantFieldAlias) {
		a.ServiceFailed(c, err)
		return false
	}
	if _, p, _ := webkit.Refusal(err); p.Code == "grants.not_eligible" {
		// say which rule was not met, next to the answer it reads
		if as, err := a.assessment(c, d.AppID); err == nil {
			for _, cr := range as.Criteria {
				if !cr.Met {
					form.AddError(grantCriterionField[cr.Code], web.Localized(cr.Text))
				}
			}
		}
	}
	a.renderGrantForm(c, webkit.StatusOf(err), form, *d)
	return false
}

// uploadGrantFiles sends each chosen file to the application; a refused one
// (not a PDF, JPEG or PNG; too large) is explained next to its field. It
// reports false when the page was already answered.
func (a *area) uploadGrantFiles(c *gin.Context, form *web.Form, appID string, uploads []grantUpload) bool {
	if len(uploads) == 0 {
		return true
	}
	api, err := a.Grants(c)
	if err != nil {
		a.ServiceFailed(c, err)
		return false
	}
	for _, up := range uploads {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("kind", up.Kind)
		hdr := make(textproto.MIMEHeader)
		hdr.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, webkit.QuoteFileName(up.Name)))
		hdr.Set("Content-Type", "application/octet-stream")
		fw, err := mw.CreatePart(hdr)
		if err == nil {
			_, err = fw.Write(up.Data)
		}
		if err == nil {
			err = mw.Close()
		}
		if err != nil {
			a.Fail(c, err)
			return false
		}
		err = webkit.Done(api.UploadApplicationDocumentWithBody(c.Request.Context(), appID, mw.FormDataContentType(), &buf)) //nolint:bodyclose // webkit.Done drains and closes it
		if err == nil {
			continue
		}
		moved := web.NewForm()
		if !webkit.ProblemOnForm(err, moved, nil) {
			a.ServiceFailed(c, err)
			return false
		}
		// every refusal of an upload is about that file
		for _, m := range webkit.Messages(moved) {
			form.AddError(up.Field, m)
		}
	}
	return true
}
