package grants

import (
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	openapi_types "github.com/oapi-codegen/runtime/types"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The applicant's list of applications and the form that applies or
// changes one: the programme's questions, its required documents with a
// file for each, and for a family account the dependant who applies.

// maxGrantDocument is the grants service's limit on one uploaded document
// (10 MiB); a larger file is refused here, next to its field, before
// anything is sent.
const maxGrantDocument = 10 << 20

// grantsList is a page of the applicant's applications and the link to
// the next (pkg/page's cursor, "" on the last page).
type grantsList struct {
	Items []application
	Next  string
}

func (a *area) grantsPage(c *gin.Context) {
	apps, next, err := a.applications(c, "mine", "", c.Query("after"), 20)
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	a.nameGrantPrograms(c, apps)
	p := a.Page(c, "web.grants.title")
	p.Data = grantsList{Items: apps, Next: next}
	a.Render(c, http.StatusOK, "grants", p)
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
	Uploaded []file
	Errors   []web.Message
}

// grantDependant is one of the officer's dependants a family applicant
// chooses from.
type grantDependant struct {
	ID           string
	Relation     string
	RelationText string
	Name         string
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
	OtherFiles []file
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

func (a *area) grantApplyPage(c *gin.Context) {
	form := web.NewForm().Set("program", strings.TrimSpace(c.Query("program"))).Set("dependant", strings.TrimSpace(c.Query("dependant")))
	a.renderGrantForm(c, http.StatusOK, form, grantFormData{Action: "/grants/apply"})
}

// appliesAsFamily: u applies as a family account linked to an officer, so
// the form asks which of the officer's dependants applies.
func appliesAsFamily(u *domain.User) bool {
	return u.Has(domain.RoleFamily) && !u.Has(domain.RoleOfficer) && u.MemberID != ""
}

// grantDependants lists the dependants of the officer u is linked to, as
// the grants service knows them.
func (a *area) grantDependants(c *gin.Context, u *domain.User) ([]grantDependant, error) {
	api, err := a.Grants(c)
	if err != nil {
		return nil, err
	}
	r, err := api.ListDependantsWithResponse(c.Request.Context(), u.MemberID)
	if webkit.Refused(err, http.StatusNotFound) {
		return nil, nil
	}
	if err != nil || r.JSON200 == nil {
		return nil, orUnexpected(err)
	}
	var out []grantDependant
	for _, d := range r.JSON200.Items {
		out = append(out, grantDependant{ID: d.DependantId, Relation: string(d.Relation), RelationText: d.RelationText, Name: d.Name})
	}
	return out, nil
}

// askedFields is the set of a programme's form questions.
func askedFields(fields []string) map[string]bool {
	out := make(map[string]bool, len(fields))
	for _, f := range fields {
		out[f] = true
	}
	return out
}

// renderGrantForm draws the apply or edit form for d: the chosen
// programme's required documents, what the draft already has uploaded,
// and every value and error of form.
func (a *area) renderGrantForm(c *gin.Context, status int, form *web.Form, d grantFormData) {
	l := string(a.Lang(c))
	d.Causes = causeOptions
	if u := a.User(c); !d.Edit && appliesAsFamily(u) {
		deps, err := a.grantDependants(c, u)
		if err != nil {
			a.ServiceFailed(c, err)
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
		progs, err := a.programs(c)
		if err != nil {
			a.ServiceFailed(c, err)
			return
		}
		d.Programs = []web.Option{{Value: "", Label: "web.grantapp.choose_prompt"}}
		for _, pr := range progs {
			if !pr.Active {
				continue
			}
			d.Programs = append(d.Programs, web.Option{Value: pr.ID, Label: pr.Name(l)})
			if pr.ID == form.Value("program") {
				d.Program = pr.ID
			}
		}
	}
	var required []string
	if d.Program != "" {
		prog, err := a.program(c, d.Program)
		switch {
		case webkit.Refused(err, http.StatusNotFound):
			d.Program = ""
		case err != nil:
			a.ServiceFailed(c, err)
			return
		default:
			required = prog.RequiredDocuments
			d.Asks = askedFields(prog.FormFields)
			d.ProgramName = prog.Name(l)
		}
	}
	var files []file
	if d.AppID != "" {
		app, err := a.application(c, d.AppID)
		if err != nil {
			a.ServiceFailed(c, err)
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
	p := a.Page(c, title)
	p.Form, p.Data = form, d
	a.Render(c, status, "grant_apply", p)
}

// grantUpload is a file chosen on the form for one required document.
type grantUpload struct {
	Field, Kind, Name string
	Data              []byte
}

// readGrantForm takes the typed values into form (checking the amounts,
// the grade, the date and the file sizes here first), and returns the
// API's form object, the documents named and the files chosen. required
// are the programme's required documents, in the order of the file fields.
func readGrantForm(c *gin.Context, form *web.Form, required, asked []string) (answers grantsapi.Form, docs []string, uploads []grantUpload) {
	for _, f := range []string{"requested_amount", "event_date", "income_per_capita", "grade", "cause"} {
		// a question the programme does not ask is not read: a value
		// left from another programme's form is never sent
		if slices.Contains(asked, f) {
			form.Set(f, strings.TrimSpace(c.PostForm(f)))
		}
	}
	form.Set("documents", strings.TrimSpace(c.PostForm("documents")))
	if v := form.Value("income_per_capita"); v != "" {
		f, err := money.Parse(v)
		if err != nil || f < 0 {
			form.AddError("income_per_capita", web.Msg("field.money"))
		}
		n := int(f)
		answers.IncomePerCapita = &n
	}
	if v := form.Value("requested_amount"); v != "" {
		if f, err := money.Parse(v); err != nil || f < 0 {
			form.AddError("requested_amount", web.Msg("field.money"))
		}
	}
	if v := form.Value("event_date"); v != "" {
		// the date field of every browser sends YYYY-MM-DD; the generated
		// client takes the day itself, so a day typed otherwise is refused
		// here, in the words the service uses for it
		var d openapi_types.Date
		if err := d.UnmarshalText([]byte(v)); err != nil {
			form.AddError("event_date", webkit.MsgOr("grants.field.invalid_date", "field.date"))
		}
		answers.EventDate = &d
	}
	if v := form.Value("grade"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			form.AddError("grade", web.Msg("field.invalid"))
		}
		answers.Grade = &n
	}
	if v := form.Value("cause"); v != "" {
		cause := grantsapi.FormCause(v)
		answers.Cause = &cause
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

// requestedAmount is the form's requested amount in fen, 0 when none.
func requestedAmount(form *web.Form) int {
	if f, err := money.Parse(form.Value("requested_amount")); err == nil && form.Value("requested_amount") != "" {
		return int(f)
	}
	return 0
}

// documentsOrNone is docs as the body's list: an empty one rather than
// none, so no documents named is said, not left out.
func documentsOrNone(docs []string) *[]string {
	if docs == nil {
		docs = []string{}
	}
	return &docs
}
