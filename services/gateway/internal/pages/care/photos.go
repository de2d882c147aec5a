package care

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// A visit's photos: sent with the visit form, or added to a recorded visit
// from the family's record. A photo that fails never loses the visit: the
// record page names the file and the reason, and the visit's own form
// takes it again.

// photoWhy is why the service refused a photo, as the record page explains
// it: "type", "size", "empty" or "failed" (anything else: try again).
func photoWhy(err error) string {
	_, p, ok := webkit.Refusal(err)
	if !ok {
		return "failed"
	}
	switch p.Code {
	case "grants.document_type_unsupported":
		return "type"
	case "grants.document_too_large":
		return "size"
	}
	for _, fe := range p.Errors {
		if fe.Code == "grants.field.document_empty" {
			return "empty"
		}
	}
	return "failed"
}

var photoWhys = map[string]bool{"type": true, "size": true, "empty": true, "failed": true}

// photoFailedURL is the record page telling that visit's photo file failed.
func photoFailedURL(recordID, visitID, file string, err error) string {
	q := url.Values{"m": {"visit"}, "photo_failed": {visitID}, "file": {file}, "why": {photoWhy(err)}}
	return "/work/family-care/" + url.PathEscape(recordID) + "?" + q.Encode()
}

// photoField is the file input of a visit's add-a-photo form.
func photoField(visitID string) string { return "photo-" + visitID }

// photoFailure puts a failed photo, as the redirect after the visit told
// it, on that visit's form: the file's name and the reason.
func photoFailure(c *gin.Context, f careFamily, form *web.Form) bool {
	visitID, why := c.Query("photo_failed"), c.Query("why")
	if visitID == "" || !photoWhys[why] || !hasVisit(f, visitID) {
		return false
	}
	form.AddError(photoField(visitID), web.Msg("web.fcare.photo_failed."+why, c.Query("file")))
	return true
}

func hasVisit(f careFamily, visitID string) bool {
	for _, v := range f.Visits {
		if v.ID == visitID {
			return true
		}
	}
	return false
}

// familyCareAddPhoto adds a photo to a recorded visit of the family.
func (a *area) familyCareAddPhoto(c *gin.Context) {
	f, ok := a.loadFamily(c)
	if !ok {
		return
	}
	visitID := c.Param("visit")
	if !hasVisit(f, visitID) {
		a.ErrorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	form := web.NewForm()
	fh, err := c.FormFile("photo")
	if err != nil || fh.Size == 0 {
		form.AddError(photoField(visitID), web.Msg("web.fcare.photo_required"))
		a.renderFamilyCare(c, http.StatusUnprocessableEntity, "photo-"+visitID, form, nil)
		return
	}
	if err := a.uploadCarePhoto(c, visitID, fh); err != nil {
		if status, _, ok := webkit.Refusal(err); ok && (status >= 500 || status == http.StatusNotFound || status == http.StatusUnauthorized) {
			a.ServiceFailed(c, err)
			return
		}
		form.AddError(photoField(visitID), web.Msg("web.fcare.photo_failed."+photoWhy(err), fh.Filename))
		a.renderFamilyCare(c, webkit.StatusOf(err), "photo-"+visitID, form, nil)
		return
	}
	c.Redirect(http.StatusSeeOther, "/work/family-care/"+url.PathEscape(f.ID)+"?m=photo")
}

// uploadCarePhoto sends the visit's photo to the service, which sniffs its
// type and caps its size.
func (a *area) uploadCarePhoto(c *gin.Context, visitID string, fh *multipart.FileHeader) error {
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCarePhoto+1))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	hdr := make(textproto.MIMEHeader)
	hdr.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, webkit.QuoteFileName(fh.Filename)))
	hdr.Set("Content-Type", "application/octet-stream")
	fw, err := mw.CreatePart(hdr)
	if err == nil {
		_, err = fw.Write(data)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		return err
	}
	api, err := a.Grants(c)
	if err != nil {
		return err
	}
	//nolint:bodyclose // webkit.Done drains and closes it
	return webkit.Done(api.UploadCareVisitPhotoWithBody(c.Request.Context(), visitID, mw.FormDataContentType(), &buf))
}

// maxCarePhoto is the service's cap on a document (10 MiB).
const maxCarePhoto = 10 << 20
