package httpapi

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
	"github.com/anxin-welfare/anxin/services/grants/internal/workflow"
)

type applicationBody struct {
	ProgramID       string   `json:"program_id"`
	MemberID        string   `json:"member_id"`
	DependantID     string   `json:"dependant_id"`
	ApplicantUserID string   `json:"applicant_user_id"`
	ApplicantName   string   `json:"applicant_name"`
	UnitID          string   `json:"unit_id"`
	EventRef        string   `json:"event_ref"`
	NoticeID        string   `json:"notice_id"`
	RequestedAmount int64    `json:"requested_amount"`
	Documents       []string `json:"documents"`
	Form            formBody `json:"form"`
}

// toForm converts the form body, reporting bad values per field.
func toForm(b formBody) (domain.Form, []fielderr.Problem) {
	f := domain.Form{Category: domain.Category(b.Category), MonthlyWage: money.Fen(b.MonthlyWage), Grade: b.Grade, Cause: domain.DeathCause(b.Cause)}
	if b.IncomePerCapita != nil {
		v := money.Fen(*b.IncomePerCapita)
		f.IncomePerCapita = &v
	}
	for _, h := range b.Honours {
		f.Honours = append(f.Honours, domain.Honour(h))
	}
	var fields []fielderr.Problem
	if b.EventDate != "" {
		d, err := time.Parse(time.DateOnly, b.EventDate)
		if err != nil {
			fields = append(fields, fielderr.Problem{Field: "form.event_date", Code: "grants.field.invalid_date"})
		} else {
			f.EventDate = &d
		}
	}
	return f, fields
}

func checkDocuments(docs []string) []fielderr.Problem {
	if len(docs) > 50 {
		return []fielderr.Problem{{Field: "documents", Code: domain.CodeTooLong, Args: []any{50}}}
	}
	for _, d := range docs {
		if strings.TrimSpace(d) == "" || len(d) > domain.MaxCodeLen {
			return []fielderr.Problem{{Field: "documents", Code: domain.CodeUnknownValue, Args: []any{d}}}
		}
	}
	return nil
}

// createApplication: members apply for themselves (or one of their
// dependants), family accounts for one of the dependants of the member they
// are linked to, caseworkers for someone in their units.
func (a *API) createApplication(c *gin.Context) {
	id := auth.Current(c)
	var b applicationBody
	if err := httpx.BindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	form, fields := toForm(b.Form)
	fields = append(fields, checkDocuments(b.Documents)...)
	if b.ProgramID == "" {
		fields = append(fields, fielderr.Problem{Field: "program_id", Code: domain.CodeRequired})
	}
	for _, f := range []struct{ name, id string }{{"program_id", b.ProgramID}, {"notice_id", b.NoticeID}} {
		if f.id != "" && !store.ValidID(f.id) {
			fields = append(fields, fielderr.Problem{Field: f.name, Code: domain.CodeInvalidID})
		}
	}
	if b.RequestedAmount < 0 {
		fields = append(fields, fielderr.Problem{Field: "requested_amount", Code: domain.CodeNegative})
	}
	if len([]rune(b.ApplicantName)) > domain.MaxNameLen {
		fields = append(fields, fielderr.Problem{Field: "applicant_name", Code: domain.CodeTooLong, Args: []any{domain.MaxNameLen}})
	}
	d := workflow.Draft{ProgramID: b.ProgramID, MemberID: b.MemberID, DependantID: b.DependantID, ApplicantName: strings.TrimSpace(b.ApplicantName),
		UnitID: b.UnitID, EventRef: b.EventRef, RequestedAmount: money.Fen(b.RequestedAmount), Documents: b.Documents, Form: form, NoticeID: b.NoticeID}
	switch {
	case id.Has(auth.RoleCaseworker):
		// on behalf of an applicant, in one of the caseworker's units;
		// from a notice, its facts fill what the body leaves out
		if b.NoticeID != "" {
			n, err := a.Store.Notice(c.Request.Context(), b.NoticeID)
			if err != nil || !id.InUnit(n.UnitID) {
				fail(c, store.ErrNotFound)
				return
			}
			b.ProgramID = cmp.Or(b.ProgramID, n.ProgramID)
			b.MemberID = cmp.Or(b.MemberID, n.MemberID)
			b.DependantID = cmp.Or(b.DependantID, n.DependantID)
			b.UnitID = cmp.Or(b.UnitID, n.UnitID)
			d.ProgramID, d.MemberID, d.DependantID, d.UnitID = b.ProgramID, b.MemberID, b.DependantID, b.UnitID
			d.EventRef = cmp.Or(d.EventRef, n.EventRef)
			if d.Form.Grade == 0 {
				d.Form.Grade = n.Grade
			}
			if d.Form.Cause == "" {
				d.Form.Cause = n.Cause
			}
			if d.Form.EventDate == nil && !n.EventDate.IsZero() {
				ed := n.EventDate
				d.Form.EventDate = &ed
			}
			fields = slices.DeleteFunc(fields, func(f fielderr.Problem) bool { return f.Field == "program_id" })
		}
		if b.ApplicantUserID == "" {
			fields = append(fields, fielderr.Problem{Field: "applicant_user_id", Code: domain.CodeRequired})
		}
		if b.MemberID == "" {
			fields = append(fields, fielderr.Problem{Field: "member_id", Code: domain.CodeRequired})
		}
		if !id.InUnit(b.UnitID) {
			fields = append(fields, fielderr.Problem{Field: "unit_id", Code: domain.CodeNotAllowedHere})
		}
		d.ApplicantUserID = b.ApplicantUserID
		if b.DependantID != "" {
			d.ApplicantMemberID = b.DependantID
		} else {
			d.ApplicantMemberID = b.MemberID
		}
	case id.Has(auth.RoleOfficer, auth.RoleFamily) && id.MemberID != "":
		// An officer applies for themselves. A family account is linked to
		// the officer (id.MemberID) and names which of the officer's
		// dependants applies; an officer may name one of their own
		// dependants too (a child's education grant). The dependant is
		// checked against the member's dependants below.
		d.ApplicantUserID, d.ApplicantMemberID = id.UserID, id.MemberID
		d.MemberID, d.DependantID = id.MemberID, b.DependantID
		if b.MemberID != "" && b.MemberID != id.MemberID {
			fields = append(fields, fielderr.Problem{Field: "member_id", Code: domain.CodeNotAllowedHere})
		}
		if id.Has(auth.RoleFamily) && !id.Has(auth.RoleOfficer) {
			if b.DependantID == "" {
				fields = append(fields, fielderr.Problem{Field: "dependant_id", Code: domain.CodeRequired})
			}
			d.ApplicantMemberID = b.DependantID
		}
		if b.NoticeID != "" {
			fields = append(fields, fielderr.Problem{Field: "notice_id", Code: domain.CodeNotAllowedHere})
		}
		if d.UnitID == "" && len(id.Units) > 0 {
			d.UnitID = id.Units[0]
		}
		if d.ApplicantName == "" {
			d.ApplicantName = id.Name
		}
	default:
		fail(c, httpx.Forbidden())
		return
	}
	if len(fields) > 0 {
		fail(c, httpx.Invalid(fields...))
		return
	}
	m, _, err := a.Store.Member(c.Request.Context(), nil, d.MemberID)
	if err != nil {
		fail(c, err)
		return
	}
	if m != nil && m.UnitID != "" {
		d.UnitID = m.UnitID // the member's unit is authoritative for who reviews
	}
	// One name for who applies, everywhere: the dependant's or the
	// member's as enrollment registered them (not the account's display
	// name); and who filed it, kept when that is someone else.
	d.ApplicantName = domain.PersonName(m, d.DependantID, d.ApplicantName)
	d.FiledByName = id.Name
	if !id.Has(auth.RoleCaseworker) && id.MemberID == d.MemberID && id.MemberID == d.ApplicantMemberID {
		d.FiledByName = domain.PersonName(m, "", id.Name)
	}
	if d.DependantID != "" && !id.Has(auth.RoleCaseworker) && !m.HasDependant(d.DependantID) {
		// an applicant names a dependant the member has registered; a
		// caseworker's notice or paper file is taken as it is
		fail(c, httpx.Invalid(fielderr.Problem{Field: "dependant_id", Code: domain.CodeNotDependant}))
		return
	}
	rec, err := a.Svc.CreateApplication(c.Request.Context(), a.caller(c), d)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/grants/applications/"+rec.App.ID)
	a.writeApplication(c, http.StatusCreated, rec)
}

// maxListSteps bounds ?steps on the application list.
const maxListSteps = 10

// listApplications lists what the caller may see; scope picks one view
// when the caller has several roles: mine, unit, queue, finance, all.
func (a *API) listApplications(c *gin.Context) {
	id := auth.Current(c)
	scope := c.Query("scope")
	if scope == "" {
		switch {
		case id.Has(auth.RoleAuditor, auth.RoleAdmin):
			scope = "all"
		case id.Has(auth.RoleCaseworker):
			scope = "unit"
		case id.Has(auth.RoleApprover):
			scope = "queue"
		case id.Has(auth.RoleFinance):
			scope = "finance"
		default:
			scope = "mine"
		}
	}
	f := store.ListFilter{}
	switch {
	case scope == "mine":
		f.ApplicantUserID, f.MemberID, f.AnyUnit = id.UserID, id.MemberID, true
	case scope == "unit" && id.Has(auth.RoleCaseworker):
		f.Units = id.Units
	case scope == "queue" && id.Has(auth.RoleApprover):
		f.AnyUnit, f.States = true, []domain.State{domain.StateReviewed}
	case scope == "finance" && id.Has(auth.RoleFinance):
		f.AnyUnit, f.States = true, []domain.State{domain.StateApproved, domain.StateDisbursed, domain.StateActive, domain.StateStopped}
	case scope == "all" && id.Has(auth.RoleAuditor, auth.RoleAdmin):
		f.AnyUnit = true
	default:
		fail(c, httpx.Invalid(fielderr.Problem{Field: "scope", Code: domain.CodeNotAllowedHere}))
		return
	}
	if st := c.Query("state"); st != "" {
		f.States = append(f.States[:0:0], domain.State(st))
		if scope == "queue" || scope == "finance" {
			if !canSee(id, store.Record{App: domain.Application{State: domain.State(st)}}) {
				f.States = []domain.State{"none"}
			}
		}
	}
	steps := 0
	if s := c.Query("steps"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > maxListSteps {
			fail(c, httpx.Invalid(fielderr.Problem{Field: "steps", Code: "field.range", Args: []any{0, maxListSteps}}))
			return
		}
		steps = n
	}
	assess, err := httpx.QueryBool(c, "assess", false)
	if err != nil {
		fail(c, err)
		return
	}
	pr, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		fail(c, err)
		return
	}
	f.Page = pr
	recs, next, err := a.Store.Applications(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	// ?steps=N: each application with the last N steps of its history,
	// read for the whole page in one statement (the officer's home page).
	if err := a.Store.WithLastActions(c.Request.Context(), recs, steps); err != nil {
		fail(c, err)
		return
	}
	// ?assess=true: each with its assessment, the programmes and rates
	// read once for the page (the approvers' queue).
	var assessed []workflow.Assessment
	if assess {
		if assessed, err = a.Svc.AssessAll(c.Request.Context(), recs); err != nil {
			fail(c, err)
			return
		}
	}
	out := make([]applicationView, 0, len(recs))
	for i, r := range recs {
		v := viewApplication(httpx.Lang(c), r, isApplicant(id, r) || (id.Has(auth.RoleCaseworker) && id.InUnit(r.App.UnitID)))
		if assess {
			v.Assessment = viewAssessment(c, assessed[i])
		}
		out = append(out, v)
	}
	c.JSON(http.StatusOK, gin.H{"items": out, "next": next})
}

func (a *API) getApplication(c *gin.Context) {
	rec, ok := a.loadVisible(c)
	if !ok {
		return
	}
	a.writeApplication(c, http.StatusOK, rec)
}

type editBody struct {
	RequestedAmount int64    `json:"requested_amount"`
	Documents       []string `json:"documents"`
	Form            formBody `json:"form"`
}

func (a *API) editApplication(c *gin.Context) {
	rec, ok := a.loadVisible(c)
	if !ok {
		return
	}
	version, err := httpx.RequireIfMatch(c)
	if err != nil {
		fail(c, err)
		return
	}
	var b editBody
	if err := httpx.BindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	form, fields := toForm(b.Form)
	fields = append(fields, checkDocuments(b.Documents)...)
	if len(fields) > 0 {
		fail(c, httpx.Invalid(fields...))
		return
	}
	out, err := a.Svc.Edit(c.Request.Context(), a.caller(c), rec.App.ID, version, form, b.Documents, money.Fen(b.RequestedAmount))
	if err != nil {
		fail(c, err)
		return
	}
	a.writeApplication(c, http.StatusOK, out)
}

func (a *API) assessApplication(c *gin.Context) {
	rec, ok := a.loadVisible(c)
	if !ok {
		return
	}
	as, err := a.Svc.Assess(c.Request.Context(), rec)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, viewAssessment(c, as))
}

// viewAssessment is an assessment as the API shows it, in the request's
// language: the criteria in words, the amount and its breakdown, or the
// code of the problem with the amount.
func viewAssessment(c *gin.Context, as workflow.Assessment) *assessmentView {
	lang := httpx.Lang(c)
	out := &assessmentView{Eligible: as.Eligibility.Eligible, Criteria: make([]criterionView, 0, len(as.Eligibility.Criteria))}
	for _, cr := range as.Eligibility.Criteria {
		out.Criteria = append(out.Criteria, criterionView{Code: cr.Code, Text: i18nT(lang, cr.Code, cr.Args...), Met: cr.Met})
	}
	if as.Quote != nil {
		amount := int64(as.Quote.Amount)
		out.Amount, out.Breakdown = &amount, viewBreakdown(lang, as.Quote.Breakdown)
	}
	if as.QuoteError != nil {
		var pe *httpx.Error
		if errors.As(problem(c, as.QuoteError), &pe) {
			out.AmountProblem = pe.Code
		}
	}
	return out
}

type stepKind int

const (
	stepSubmit stepKind = iota
	stepReview
	stepApprove
	stepReject
	stepReturn
	stepWithdraw
	stepDisburse
	stepRecheck
)

type stepBody struct {
	Reason        string `json:"reason"`
	DuplicateNote string `json:"duplicate_note"`
	// Comment is an approver's remark on an approval (optional).
	Comment string `json:"comment"`
}

// step runs one step of the chain on a visible application, at the
// version the client read (If-Match). The domain decides whether the
// caller may take the step.
func (a *API) step(kind stepKind) gin.HandlerFunc {
	return func(c *gin.Context) {
		rec, ok := a.loadVisible(c)
		if !ok {
			return
		}
		version, err := httpx.RequireIfMatch(c)
		if err != nil {
			fail(c, err)
			return
		}
		var b stepBody
		if c.Request.ContentLength != 0 {
			if err := httpx.BindJSON(c, &b); err != nil {
				fail(c, err)
				return
			}
		}
		who, id := a.caller(c), rec.App.ID
		var out store.Record
		switch kind {
		case stepSubmit:
			out, err = a.Svc.Submit(c.Request.Context(), who, id, version)
		case stepReview:
			out, err = a.Svc.Review(c.Request.Context(), who, id, version)
		case stepApprove:
			out, err = a.Svc.Approve(c.Request.Context(), who, id, version, b.DuplicateNote, b.Comment)
		case stepReject:
			out, err = a.Svc.Reject(c.Request.Context(), who, id, version, b.Reason)
		case stepReturn:
			out, err = a.Svc.Return(c.Request.Context(), who, id, version, b.Reason)
		case stepWithdraw:
			out, err = a.Svc.Withdraw(c.Request.Context(), who, id, version)
		case stepDisburse:
			out, err = a.Svc.Disburse(c.Request.Context(), who, id, version)
		case stepRecheck:
			out, err = a.Svc.Recheck(c.Request.Context(), who, id, version)
		}
		if err != nil {
			fail(c, err)
			return
		}
		a.writeApplication(c, http.StatusOK, out)
	}
}
