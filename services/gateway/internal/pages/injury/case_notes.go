package injury

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	injuryapi "github.com/anxin-welfare/anxin/api/client/injury"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Comments and documents on an injury case (injury.yaml: addComment,
// listDocuments, uploadDocument, downloadDocument). Comments show in the
// case's timeline; the service decides who may add either.

// maxDocument is the injury service's limit on one document (20 MB).
const maxDocument = 20 << 20

// maxComment is the injury API's longest comment, in characters.
const maxComment = 4000

// documentKinds are the kinds the injury API accepts, in the order a
// person most often needs them.
var documentKinds = []string{"medical_record", "invoice", "incident_report", "decision", "grading", "photo", "other"}

func documentKindOptions() []web.Option {
	out := make([]web.Option, 0, len(documentKinds))
	for _, k := range documentKinds {
		out = append(out, web.Option{Value: k, Label: "web.injury.document_kind." + k})
	}
	return out
}

// comment adds the form's comment to the case's timeline.
func (a *area) comment(c *gin.Context) {
	body := strings.TrimSpace(c.PostForm("comment"))
	form := web.NewForm().Set("comment", body)
	switch n := len([]rune(body)); {
	case n == 0:
		form.AddError("comment", web.Msg("web.injury.comment_required"))
	case n > maxComment:
		form.AddError("comment", web.Msg("web.injury.comment_too_long", maxComment))
	}
	if form.HasErrors() {
		a.renderCase(c, http.StatusUnprocessableEntity, "comment", form, nil)
		return
	}
	id, ok := a.PathID(c, "id")
	if !ok {
		return
	}
	api, err := a.Injury(c)
	if err == nil {
		//nolint:bodyclose // webkit.Done drains and closes it
		err = webkit.Done(api.AddComment(c.Request.Context(), id, injuryapi.AddCommentJSONRequestBody{Body: body}))
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, map[string]string{"body": "comment"}) {
			a.renderCase(c, webkit.StatusOf(err), "comment", form, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/cases/"+url.PathEscape(id.String())+"?m=commented#timeline")
}

// upload sends the chosen file to the case as it is: the service decides
// its type from its content and refuses what is not a PDF, JPEG or PNG.
func (a *area) upload(c *gin.Context) {
	kind := c.PostForm("document_kind")
	form := web.NewForm().Set("document_kind", kind)
	if !slices.Contains(documentKinds, kind) {
		form.AddError("document_kind", web.Msg("web.injury.document_kind_required"))
	}
	var (
		data     []byte
		fileName string
	)
	fh, err := c.FormFile("document")
	switch {
	case err != nil:
		form.AddError("document", web.Msg("web.injury.document_required"))
	case fh.Size > maxDocument:
		form.AddError("document", web.Msg("web.injury.document_too_large"))
	default:
		f, err := fh.Open()
		if err != nil {
			a.Fail(c, err)
			return
		}
		defer f.Close()
		data, err = io.ReadAll(io.LimitReader(f, maxDocument+1))
		if err != nil {
			a.Fail(c, err)
			return
		}
		if len(data) == 0 {
			form.AddError("document", web.Msg("web.injury.document_required"))
		}
		fileName = path.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
	}
	if form.HasErrors() {
		a.renderCase(c, http.StatusUnprocessableEntity, "document", form, nil)
		return
	}
	id, ok := a.PathID(c, "id")
	if !ok {
		return
	}
	api, err := a.Injury(c)
	if err == nil {
		params := &injuryapi.UploadDocumentParams{Kind: injuryapi.DocumentKind(kind), FileName: &fileName}
		//nolint:bodyclose // webkit.Done drains and closes it
		err = webkit.Done(api.UploadDocumentWithBody(c.Request.Context(), id, params, "application/octet-stream", bytes.NewReader(data)))
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, map[string]string{"kind": "document_kind", "file_name": "document", "body": "document"}) {
			// a refusal without a field (415 not a PDF, JPEG or PNG; 413)
			// is about the file: show it next to the file field
			for _, m := range form.General() {
				form.AddError("document", m)
			}
			moved := web.NewForm().Set("document_kind", kind)
			for _, name := range []string{"document_kind", "document"} {
				for _, m := range form.Errors(name) {
					moved.AddError(name, m)
				}
			}
			a.renderCase(c, webkit.StatusOf(err), "document", moved, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/cases/"+url.PathEscape(id.String())+"?m=uploaded#documents")
}

// documentDownload passes a document through as an attachment, with a
// name built only from safe characters: the file name a person uploaded
// never reaches a header.
func (a *area) documentDownload(c *gin.Context) {
	id, ok := a.PathID(c, "id")
	if !ok {
		return
	}
	api, err := a.Injury(c)
	var docs []document
	if err == nil {
		var r *injuryapi.ListDocumentsResponse
		if r, err = api.ListDocumentsWithResponse(c.Request.Context(), id); err == nil {
			if r.JSON200 == nil {
				err = webkit.ErrUnexpected
			} else {
				docs = documentsOf(r.JSON200.Documents)
			}
		}
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	i := slices.IndexFunc(docs, func(d document) bool { return d.ID == c.Param("doc") })
	if i < 0 {
		a.ErrorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	d := docs[i]
	dl, err := a.InjuryDownload(c)
	var resp *http.Response
	if err == nil {
		// The file as it comes, not read whole: ClientInterface's method.
		docID, perr := uuid.Parse(d.ID)
		if perr != nil {
			a.ErrorPage(c, http.StatusNotFound, "web.error.404")
			return
		}
		resp, err = dl.DownloadDocument(c.Request.Context(), id, docID) //nolint:bodyclose // webkit.SendStoredDocument closes it
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	if err := webkit.SendStoredDocument(c, resp, webkit.SafeName(d.Kind)+"-"+webkit.SafeName(d.ID), d.ContentType); err != nil {
		a.Log.WarnContext(c, "document download interrupted", "service", "injury", "document", d.ID, "error", err)
	}
}
