package httpapi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// A visit's photos: sent with the visit form, or added to a recorded visit
// from the family's record. A photo that fails never loses the visit: the
// record page names the file and the reason, and the visit's own form
// takes it again.

// photoWhy is why the service refused a photo, as the record page explains
// it: "type", "size", "empty" or "failed" (anything else: try again).
func photoWhy(err error) string {
	var ae *APIError
	if !errors.As(err, &ae) {
		return "failed"
	}
	switch ae.Problem.Code {
	case "grants.document_type_unsupported":
		return "type"
	case "grants.document_too_large":
		return "size"
	}
	for _, fe := range ae.Problem.Errors {
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
func (h *handlers) familyCareAddPhoto(c *gin.Context) {
	f, ok := h.loadFamily(c)
	if !ok {
		return
	}
	visitID := c.Param("visit")
	if !hasVisit(f, visitID) {
		h.errorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	form := web.NewForm()
	fh, err := c.FormFile("photo")
	if err != nil || fh.Size == 0 {
		form.AddError(photoField(visitID), web.Msg("web.fcare.photo_required"))
		h.renderFamilyCare(c, http.StatusUnprocessableEntity, "photo-"+visitID, form, nil)
		return
	}
	if err := h.uploadCarePhoto(c, visitID, fh); err != nil {
		var ae *APIError
		if errors.As(err, &ae) && (ae.Status >= 500 || ae.Status == http.StatusNotFound || ae.Status == http.StatusUnauthorized) {
			h.serviceFailed(c, err)
			return
		}
		form.AddError(photoField(visitID), web.Msg("web.fcare.photo_failed."+photoWhy(err), fh.Filename))
		h.renderFamilyCare(c, statusOf(err), "photo-"+visitID, form, nil)
		return
	}
	c.Redirect(http.StatusSeeOther, "/work/family-care/"+url.PathEscape(f.ID)+"?m=photo")
}

// uploadCarePhoto sends the visit's photo to the service, which sniffs its
// type and caps its size.
func (h *handlers) uploadCarePhoto(c *gin.Context, visitID string, fh *multipart.FileHeader) error {
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
	hdr.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, quoteFileName(fh.Filename)))
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
	_, err = h.call(c, http.MethodPost, "grants", careAPI+"/visits/"+url.PathEscape(visitID)+"/photos", 0,
		RawBody{ContentType: mw.FormDataContentType(), Data: buf.Bytes()}, nil)
	return err
}

// maxCarePhoto is the service's cap on a document (10 MiB).
const maxCarePhoto = 10 << 20
