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
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Pages of the assistance fund's applications, over /api/v1/grants
// (api/openapi/grants.yaml).

const grantsAPI = "/api/v1/grants"

// maxGrantDocument is the grants service's limit on one uploaded document
// (10 MiB); a larger file is refused here, next to its field, before
// anything is sent.
const maxGrantDocument = 10 << 20

type grantProgram struct {
	ID     string `json:"id"`
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
	Kind   string `json:"kind"`
	Active bool   `json:"active"`
	// FormFields are the questions the programme's form asks; the
	// service decides them from its kind and rules.
	FormFields []string `json:"form_fields"`
}

// grantFile is an uploaded document of an application.
type grantFile struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	SizeBytes   int64     `json:"size_bytes"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

// SizeKB is the document's size in kilobytes, rounded up, for the page.
func (f grantFile) SizeKB() int64 { return (f.SizeBytes + 1023) / 1024 }

type grantApplication struct {
	ID              string   `json:"id"`
	Number          string   `json:"number"`
	ProgramID       string   `json:"program_id"`
	ProgramName     string   `json:"program_name"`
	MemberID        string   `json:"member_id"`
	DependantID     string   `json:"dependant_id"`
	ApplicantUserID string   `json:"applicant_user_id"`
	ApplicantName   string   `json:"applicant_name"`
	FiledByName     string   `json:"filed_by_name"`
	PreparedBy      string   `json:"prepared_by"`
	UnitID          string   `json:"unit_id"`
	State           string   `json:"state"`
	StateText       string   `json:"state_text"`
	RequestedAmount int64    `json:"requested_amount"`
	Amount          int64    `json:"amount"`
	Recurring       bool     `json:"recurring"`
	Reason          string   `json:"reason"`
	Documents       []string `json:"documents"`
	// Files are the uploaded documents (only in one application's answer).
	Files []grantFile `json:"files"`
	// Answers is the applicant's form as the service holds it.
	Answers   map[string]any `json:"form"`
	Breakdown struct {
		Total int64 `json:"total"`
		Items []struct {
			Text     string `json:"text"`
			Amount   int64  `json:"amount"`
			Citation string `json:"citation"`
		} `json:"items"`
	} `json:"breakdown"`
	DuplicateFlags []struct {
		ApplicationID string `json:"application_id"`
		Number        string `json:"number"`
	} `json:"duplicate_flags"`
	DuplicateNote string        `json:"duplicate_note"`
	Round         int           `json:"round"`
	History       []grantAction `json:"history"`
	Version       int64         `json:"version"`
	CreatedAt     time.Time     `json:"created_at"`
}

// Decided reports whether the amount is decided: from the committee's
// final approval on it is the amount granted (核定金额); before, only
// asked for.
func (a grantApplication) Decided() bool {
	return slices.Contains([]string{"approved", "disbursed", "active", "stopped"}, a.State)
}

// ShownAmount is the one amount a list or a page shows of a: the amount
// granted once decided; before, the amount requested, or for a programme
// that computes its amount (fixed, by grade, statutory) the amount
// computed at submission, pending approval. Never a zero where the
// applicant asked for money.
func (a grantApplication) ShownAmount() int64 {
	if a.Decided() || a.RequestedAmount == 0 {
		return a.Amount
	}
	return a.RequestedAmount
}

// AmountLabel is the catalogue key of ShownAmount's label.
func (a grantApplication) AmountLabel() string {
	switch {
	case a.Decided():
		return "web.grants.amount"
	case a.RequestedAmount > 0:
		return "web.grantux.requested"
	}
	return "web.grantux.proposed"
}

// grantAction is one step in an application's history.
type grantAction struct {
	Round     int       `json:"round"`
	Step      string    `json:"step"`
	Actor     string    `json:"actor"`
	ActorName string    `json:"actor_name"`
	At        time.Time `json:"at"`
	Reason    string    `json:"reason"`
}

// registerGrantsPages adds the grant pages to g. The forms that carry files
// (apply, edit) go on documents when given: a group whose body cap is
// raised before the form token is read, as for the injury case documents.
func (h *handlers) registerGrantsPages(g *gin.RouterGroup, documents ...*gin.RouterGroup) {
	files := g
	if len(documents) > 0 && documents[0] != nil {
		files = documents[0]
	}
	applicant := h.requireUser(domain.RoleOfficer, domain.RoleFamily)
	g.GET("/grants", applicant, h.grantsPage)
	g.GET("/grants/apply", applicant, h.grantApplyPage)
	files.POST("/grants/apply", applicant, h.grantApply)
	g.GET("/grants/applications/:id", h.requireUser(), h.grantApplicationPage)
	g.GET("/grants/applications/:id/edit", h.requireUser(), h.grantEditPage)
	files.POST("/grants/applications/:id/edit", h.requireUser(), h.grantEdit)
	g.GET("/grants/applications/:id/documents/:doc", h.requireUser(), h.grantDocumentDownload)
	g.POST("/grants/applications/:id/:step", h.requireUser(), h.grantStep)
}

// grantsList is a page of the applicant's applications and the link to
// the next (pkg/page's cursor, "" on the last page).
type grantsList struct {
	Items []grantApplication `json:"items"`
	Next  string             `json:"next"`
}

func (h *handlers) grantsPage(c *gin.Context) {
	var list grantsList
	q := url.Values{"scope": {"mine"}, "limit": {"20"}}
	if a := c.Query("after"); a != "" {
		q.Set("after", a)
	}
	if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/applications?"+q.Encode(), 0, nil, &list); err != nil {
		h.serviceFailed(c, err)
		return
	}
	h.nameGrantPrograms(c, list.Items)
	p := h.page(c, "web.grants.title")
	p.Data = list
	h.render(c, http.StatusOK, "grants", p)
}

var causeOptions = []web.Option{
	{Value: "", Label: "web.grants.cause.none"},
	{Value: "line_of_duty", Label: "web.grants.cause.line_of_duty"},
	{Value: "martyr", Label: "web.grants.cause.martyr"},
	{Value: "illness", Label: "web.grants.cause.illness"},
	{Value: "other", Label: "web.grants.cause.other"},
}

// grantDocRow is one of the programme's required documents on the form:
// a box to tick when it was handed in another way, a file to upload, and
// what is already uploaded under its name.
type grantDocRow struct {
	Kind     string
	Field    string // the file input's name and id
	Checked  bool
	Uploaded []grantFile
	Errors   []web.Message
}

// grantDependant is one of the officer's dependants a family applicant
// chooses from (GET /members/{id}/dependants).
type grantDependant struct {
	ID           string `json:"dependant_id"`
	Relation     string `json:"relation"`
	RelationText string `json:"relation_text"`
	Name         string `json:"name"`
}

// grantFormData is the apply form, or the edit form of an application.
type grantFormData struct {
	Edit   bool
	Action string
	// Family: the applicant is a family account, who names which of the
	// officer's dependants applies (Dependants; Dependant the chosen one).
	Family     bool
	Dependants []grantDependant
	Dependant  string
	// Programs are the choices of the programme (apply only); Program the
	// one chosen, ProgramName its name.
	Programs    []web.Option
	Program     string
	ProgramName string
	Causes      []web.Option
	// Asks are the questions of the chosen programme's form; a field not
	// asked is not shown (nor sent).
	Asks       map[string]bool
	Docs       []grantDocRow
	DocsErrors []web.Message
	// OtherFiles are uploads under kinds the programme does not require.
	OtherFiles []grantFile
	// AppID and Version are the draft this form saves into: kept between
	// attempts so a refused submission never leaves a second draft.
	AppID   string
	Number  string
	Version int64
}

// grantFieldAlias maps the grants API's field names to the form's.
var grantFieldAlias = map[string]string{
	"program_id": "program", "form.event_date": "event_date", "form.income_per_capita": "income_per_capita",
	"form.grade": "grade", "grade": "grade", "form.cause": "cause", "documents": "docs", "amount": "requested_amount",
	"dependant_id": "dependant",
}

// grantCriterionField names the form field an eligibility criterion is
// about, so an ineligible application shows why next to what to change.
var grantCriterionField = map[string]string{
	"grants.criterion.income_below_line": "income_per_capita", "grants.criterion.grade_admitted": "grade",
	"grants.criterion.disability_graded": "grade", "grants.criterion.death_on_duty": "cause", "grants.criterion.martyr": "cause",
}

func (h *handlers) grantApplyPage(c *gin.Context) {
	form := web.NewForm().Set("program", strings.TrimSpace(c.Query("program"))).Set("dependant", strings.TrimSpace(c.Query("dependant")))
	h.renderGrantForm(c, http.StatusOK, form, grantFormData{Action: "/grants/apply"})
}

// appliesAsFamily: u applies as a family account linked to an officer, so
// the form asks which of the officer's dependants applies.
func appliesAsFamily(u *domain.User) bool {
	return u.Has(domain.RoleFamily) && !u.Has(domain.RoleOfficer) && u.MemberID != ""
}

// grantDependants lists the dependants of the officer u is linked to, as
// the grants service knows them.
func (h *handlers) grantDependants(c *gin.Context, u *domain.User) ([]grantDependant, error) {
	var list struct {
		Items []grantDependant `json:"items"`
	}
	_, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/members/"+url.PathEscape(u.MemberID)+"/dependants", 0, nil, &list)
	if isNotFound(err) {
		return nil, nil
	}
	return list.Items, err
}

// nameGrantPrograms names the programme of each application the service
// listed without its name, with one look at the programmes.
func (h *handlers) nameGrantPrograms(c *gin.Context, apps []grantApplication) {
	var names map[string]string
	for i := range apps {
		if apps[i].ProgramName != "" {
			continue
		}
		if names == nil {
			names = h.programNames(c, "")
		}
		apps[i].ProgramName = names[apps[i].ProgramID]
	}
}

// grantProgramDetail reads one programme (a 404 when there is none or the
// person may not see it).
func (h *handlers) grantProgramDetail(c *gin.Context, id string) (programDetail, error) {
	var prog programDetail
	_, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/programs/"+url.PathEscape(id), 0, nil, &prog)
	return prog, err
}

func isNotFound(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Status == http.StatusNotFound
}

// renderGrantForm draws the apply or edit form for d: the chosen
// programme's required documents, what the draft already has uploaded,
// and every value and error of form.
func (h *handlers) renderGrantForm(c *gin.Context, status int, form *web.Form, d grantFormData) {
	l := lang(c)
	d.Causes = causeOptions
	if u := currentUser(c); !d.Edit && appliesAsFamily(u) {
		deps, err := h.grantDependants(c, u)
		if err != nil {
			h.serviceFailed(c, err)
			return
		}
		d.Family, d.Dependants = true, deps
		if v := form.Value("dependant"); slices.ContainsFunc(deps, func(x grantDependant) bool { return x.ID == v }) {
			d.Dependant = v
		} else if len(deps) == 1 && !form.HasErrors() {
			d.Dependant = deps[0].ID
		}
	}
	if !d.Edit {
		var progs struct {
			Items []grantProgram `json:"items"`
		}
		if err := listInto(h, c, "grants", grantsAPI+"/programs", "items", &progs.Items); err != nil {
			h.serviceFailed(c, err)
			return
		}
		d.Programs = []web.Option{{Value: "", Label: "web.grantapp.choose_prompt"}}
		for _, pr := range progs.Items {
			if !pr.Active {
				continue
			}
			name := pr.NameZH
			if l == "en" && pr.NameEN != "" {
				name = pr.NameEN
			}
			d.Programs = append(d.Programs, web.Option{Value: pr.ID, Label: name})
			if pr.ID == form.Value("program") {
				d.Program = pr.ID
			}
		}
	}
	var required []string
	if d.Program != "" {
		prog, err := h.grantProgramDetail(c, d.Program)
		switch {
		case isNotFound(err):
			d.Program = ""
		case err != nil:
			h.serviceFailed(c, err)
			return
		default:
			required = prog.RequiredDocuments
			d.Asks = askedFields(prog.FormFields)
			d.ProgramName = prog.NameZH
			if l == "en" && prog.NameEN != "" {
				d.ProgramName = prog.NameEN
			}
		}
	}
	var files []grantFile
	if d.AppID != "" {
		var app grantApplication
		if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/applications/"+url.PathEscape(d.AppID), 0, nil, &app); err != nil {
			h.serviceFailed(c, err)
			return
		}
		files, d.Number = app.Files, app.Number
		if d.Version == 0 {
			d.Version = app.Version
		}
	}
	checked := form.Value("docs")
	for i, kind := range required {
		row := grantDocRow{Kind: kind, Field: "file-" + strconv.Itoa(i), Checked: slices.Contains(strings.Split(checked, "\n"), kind)}
		row.Errors = form.Errors(row.Field)
		for _, f := range files {
			if f.Kind == kind {
				row.Uploaded = append(row.Uploaded, f)
			}
		}
		d.Docs = append(d.Docs, row)
	}
	for _, f := range files {
		if !slices.Contains(required, f.Kind) {
			d.OtherFiles = append(d.OtherFiles, f)
		}
	}
	d.DocsErrors = form.Errors("docs")
	title := "web.grants.apply"
	if d.Edit {
		title = "web.grantapp.edit"
	}
	p := h.page(c, title)
	p.Form, p.Data = form, d
	h.render(c, status, "grant_apply", p)
}

// grantUpload is a file chosen on the form for one required document.
type grantUpload struct {
	Field, Kind, Name string
	Data              []byte
}

// readGrantForm takes the typed values into form (checking the amounts,
// the grade and the file sizes here first), and returns the API's form
// object, the documents named and the files chosen. required are the
// programme's required documents, in the order of the file fields.
func readGrantForm(c *gin.Context, form *web.Form, required, asked []string) (answers map[string]any, docs []string, uploads []grantUpload) {
	for _, f := range []string{"requested_amount", "event_date", "income_per_capita", "grade", "cause"} {
		// a question the programme does not ask is not read: a value
		// left from another programme's form is never sent
		if slices.Contains(asked, f) {
			form.Set(f, strings.TrimSpace(c.PostForm(f)))
		}
	}
	form.Set("documents", strings.TrimSpace(c.PostForm("documents")))
	answers = map[string]any{}
	if v := form.Value("income_per_capita"); v != "" {
		fen, err := money.Parse(v)
		if err != nil || fen < 0 {
			form.AddError("income_per_capita", web.Msg("field.money"))
		}
		answers["income_per_capita"] = int64(fen)
	}
	if v := form.Value("requested_amount"); v != "" {
		if fen, err := money.Parse(v); err != nil || fen < 0 {
			form.AddError("requested_amount", web.Msg("field.money"))
		}
	}
	if v := form.Value("event_date"); v != "" {
		answers["event_date"] = v
	}
	if v := form.Value("grade"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			form.AddError("grade", web.Msg("field.invalid"))
		}
		answers["grade"] = n
	}
	if v := form.Value("cause"); v != "" {
		answers["cause"] = v
	}
	var ticked []string
	for _, d := range c.PostFormArray("doc") {
		if d = strings.TrimSpace(d); d != "" && !slices.Contains(ticked, d) {
			ticked = append(ticked, d)
		}
	}
	form.Set("docs", strings.Join(ticked, "\n"))
	docs = ticked
	for _, line := range strings.Split(form.Value("documents"), "\n") {
		if line = strings.TrimSpace(line); line != "" && !slices.Contains(docs, line) {
			docs = append(docs, line)
		}
	}
	for i, kind := range required {
		field := "file-" + strconv.Itoa(i)
		fh, err := c.FormFile(field)
		if err != nil || fh.Size == 0 {
			continue // no file chosen for this one
		}
		if fh.Size > maxGrantDocument {
			form.AddError(field, web.Msg("web.grantapp.file_too_large", maxGrantDocument>>20))
			continue
		}
		f, err := fh.Open()
		if err != nil {
			form.AddError(field, web.Msg("web.grantapp.file_unreadable"))
			continue
		}
		data, err := io.ReadAll(io.LimitReader(f, maxGrantDocument+1))
		_ = f.Close()
		if err != nil || len(data) > maxGrantDocument {
			form.AddError(field, web.Msg("web.grantapp.file_unreadable"))
			continue
		}
		uploads = append(uploads, grantUpload{Field: field, Kind: kind, Name: fh.Filename, Data: data})
	}
	return answers, docs, uploads
}

// grantPutBody is the body of PUT /applications/{id}: the requested amount
// in fen, the documents named and the form.
func grantPutBody(form *web.Form, answers map[string]any, docs []string) map[string]any {
	body := map[string]any{"form": answers, "documents": docs}
	if docs == nil {
		body["documents"] = []string{}
	}
	if fen, err := money.Parse(form.Value("requested_amount")); err == nil && form.Value("requested_amount") != "" {
		body["requested_amount"] = int64(fen)
	} else {
		body["requested_amount"] = 0
	}
	return body
}

// grantApply saves the form as a draft, uploads its files and submits it:
// the person fills one form; the draft is the API's step, not theirs. A
// refused submission shows the form again with each problem next to its
// field, and the draft's id and version in hidden fields, so the next
// attempt corrects the same draft (PUT with If-Match) instead of starting
// another: application numbers are gap-free and records are never
// deleted, so a draft per attempt would stay in the person's list forever.
func (h *handlers) grantApply(c *gin.Context) {
	u := currentUser(c)
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
		prog, err := h.grantProgramDetail(c, progID)
		switch {
		case isNotFound(err) || (err == nil && !prog.Active):
			form.AddError("program", web.Msg("web.grantapp.program_unknown"))
		case err != nil:
			h.serviceFailed(c, err)
			return
		default:
			required, asked = prog.RequiredDocuments, prog.FormFields
		}
	}
	answers, docs, uploads := readGrantForm(c, form, required, asked)
	if form.HasErrors() {
		h.renderGrantForm(c, http.StatusUnprocessableEntity, form, d)
		return
	}
	body := grantPutBody(form, answers, docs)
	if d.AppID != "" {
		var draft grantApplication
		_, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/applications/"+url.PathEscape(d.AppID), 0, nil, &draft)
		switch {
		case err != nil && !isNotFound(err):
			h.serviceFailed(c, err)
			return
		case err != nil, draft.State != "draft":
			// gone, or submitted from another tab: start afresh
			d.AppID, d.Version = "", 0
		case draft.ProgramID != progID, draft.DependantID != "" && draft.DependantID != dependant && appliesAsFamily(u):
			// another programme or dependant: a draft's are fixed, so the
			// old draft is withdrawn and a new one started
			if _, err := h.call(c, http.MethodPost, "grants", grantsAPI+"/applications/"+url.PathEscape(d.AppID)+"/withdraw", draft.Version, map[string]any{}, nil); err != nil {
				h.Log.WarnContext(c, "withdraw the draft of another programme", "application", d.AppID, "error", err)
			}
			d.AppID, d.Version = "", 0
		case d.Version == 0:
			d.Version = draft.Version
		}
	}
	var app grantApplication
	if d.AppID == "" {
		body["program_id"], body["member_id"] = progID, u.MemberID
		if dependant != "" {
			body["dependant_id"] = dependant
		}
		if _, err := h.call(c, http.MethodPost, "grants", grantsAPI+"/applications", 0, body, &app); err != nil {
			if problemOnForm(err, form, grantFieldAlias) {
				h.renderGrantForm(c, statusOf(err), form, d)
				return
			}
			h.serviceFailed(c, err)
			return
		}
	} else if _, err := h.call(c, http.MethodPut, "grants", grantsAPI+"/applications/"+url.PathEscape(d.AppID), d.Version, body, &app); err != nil {
		if problemOnForm(err, form, grantFieldAlias) {
			h.renderGrantForm(c, statusOf(err), form, d)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	d.AppID, d.Version = app.ID, app.Version
	if !h.uploadGrantFiles(c, form, app.ID, uploads) {
		return
	}
	if form.HasErrors() {
		h.renderGrantForm(c, http.StatusUnprocessableEntity, form, d)
		return
	}
	if !h.submitGrant(c, form, &d) {
		return
	}
	c.Redirect(http.StatusSeeOther, "/grants/applications/"+url.PathEscape(app.ID)+"?m=submitted")
}

// submitGrant submits d's application at d.Version. On a refusal it shows
// the form again with the problems next to their fields and reports false;
// so it does when the page was already answered.
func (h *handlers) submitGrant(c *gin.Context, form *web.Form, d *grantFormData) bool {
	id := url.PathEscape(d.AppID)
	_, err := h.call(c, http.MethodPost, "grants", grantsAPI+"/applications/"+id+"/submit", d.Version, map[string]any{}, nil)
	if err == nil {
		return true
	}
	if !problemOnForm(err, form, grantFieldAlias) {
		h.serviceFailed(c, err)
		return false
	}
	var ae *APIError
	if errors.As(err, &ae) && ae.Problem.Code == "grants.not_eligible" {
		// say which rule was not met, next to the answer it reads
		var as grantAssessment
		if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/applications/"+id+"/assessment", 0, nil, &as); err == nil {
			for _, cr := range as.Criteria {
				if !cr.Met {
					form.AddError(grantCriterionField[cr.Code], web.Localized(cr.Text))
				}
			}
		}
	}
	h.renderGrantForm(c, statusOf(err), form, *d)
	return false
}

// uploadGrantFiles sends each chosen file to the application; a refused one
// (not a PDF, JPEG or PNG; too large) is explained next to its field. It
// reports false when the page was already answered.
func (h *handlers) uploadGrantFiles(c *gin.Context, form *web.Form, appID string, uploads []grantUpload) bool {
	for _, up := range uploads {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("kind", up.Kind)
		hdr := make(textproto.MIMEHeader)
		hdr.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, quoteFileName(up.Name)))
		hdr.Set("Content-Type", "application/octet-stream")
		fw, err := mw.CreatePart(hdr)
		if err == nil {
			_, err = fw.Write(up.Data)
		}
		if err == nil {
			err = mw.Close()
		}
		if err != nil {
			h.fail(c, err)
			return false
		}
		_, err = h.call(c, http.MethodPost, "grants", grantsAPI+"/applications/"+url.PathEscape(appID)+"/documents", 0,
			RawBody{ContentType: mw.FormDataContentType(), Data: buf.Bytes()}, nil)
		if err == nil {
			continue
		}
		moved := web.NewForm()
		if !problemOnForm(err, moved, nil) {
			h.serviceFailed(c, err)
			return false
		}
		// every refusal of an upload is about that file
		for _, m := range append(moved.General(), flatten(moved)...) {
			form.AddError(up.Field, m)
		}
	}
	return true
}

// quoteFileName makes a file name safe inside a quoted multipart header:
// the service cleans it again and keeps only a display name.
func quoteFileName(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '"' || r == '\\' || r < 0x20 || r == 0x7f {
			return '_'
		}
		return r
	}, name)
}

// canEditGrant guesses whether u may change a: the applicant or whoever
// prepared it, while it is a draft or returned. Only for offering the
// link; the service decides.
func canEditGrant(u *domain.User, a grantApplication) bool {
	return (a.State == "draft" || a.State == "returned") && (a.ApplicantUserID == u.ID || a.PreparedBy == u.ID)
}

// grantEditForm fills a form with what the application holds.
func grantEditForm(app grantApplication, required []string) *web.Form {
	form := web.NewForm()
	if app.RequestedAmount > 0 {
		form.Set("requested_amount", money.Fen(app.RequestedAmount).Plain(false))
	}
	if v, ok := app.Answers["income_per_capita"].(float64); ok {
		form.Set("income_per_capita", money.Fen(int64(v)).Plain(false))
	}
	if v, ok := app.Answers["event_date"].(string); ok {
		form.Set("event_date", v)
	}
	if v, ok := app.Answers["grade"].(float64); ok && v > 0 {
		form.Set("grade", strconv.Itoa(int(v)))
	}
	if v, ok := app.Answers["cause"].(string); ok {
		form.Set("cause", v)
	}
	// app.Documents includes the uploaded kinds; a box is ticked only for
	// a kind named without a file
	var ticked, other []string
	for _, d := range app.Documents {
		uploaded := slices.ContainsFunc(app.Files, func(f grantFile) bool { return f.Kind == d })
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
func (h *handlers) editableGrant(c *gin.Context) (grantApplication, programDetail, bool) {
	var app grantApplication
	if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/applications/"+url.PathEscape(c.Param("id")), 0, nil, &app); err != nil {
		h.serviceFailed(c, err)
		return app, programDetail{}, false
	}
	if !canEditGrant(currentUser(c), app) {
		h.errorPage(c, http.StatusForbidden, "web.grantapp.not_editable")
		return app, programDetail{}, false
	}
	prog, err := h.grantProgramDetail(c, app.ProgramID)
	if err != nil && !isNotFound(err) {
		h.serviceFailed(c, err)
		return app, prog, false
	}
	return app, prog, true
}

func editFormData(app grantApplication) grantFormData {
	return grantFormData{Edit: true, Action: "/grants/applications/" + url.PathEscape(app.ID) + "/edit", Program: app.ProgramID,
		AppID: app.ID, Version: app.Version}
}
