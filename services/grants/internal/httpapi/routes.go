// Package httpapi is the grants service's HTTP API under /api/v1/grants:
// strict JSON in, problem+json out, If-Match versions on every change, and
// the access rules of the identity token (an object the caller may not see
// answers 404, exactly like one that does not exist).
package httpapi

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pdfdoc"
	"github.com/anxin-welfare/anxin/pkg/reqctx"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
	"github.com/anxin-welfare/anxin/services/grants/internal/export"
	_ "github.com/anxin-welfare/anxin/services/grants/internal/messages" // the service's texts, registered with pkg/i18n
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
	"github.com/anxin-welfare/anxin/services/grants/internal/workflow"
)

// API holds what the handlers need.
type API struct {
	Svc   *workflow.Service
	Store *store.Store
	Clock clock.Clock
	// Fonts is the font of the printed documents.
	Fonts *pdfdoc.Fonts
}

// Route is one registered route, for the OpenAPI contract test.
type Route struct{ Method, Path string }

// Roles allowed on the ledger and fund figures.
var ledgerRoles = []auth.Role{auth.RoleFinance, auth.RoleAuditor, auth.RoleAdmin}

// Register adds the grants routes to g (the /api/v1/grants group).
func (a *API) Register(g *gin.RouterGroup) {
	staff := []auth.Role{auth.RoleCaseworker, auth.RoleApprover, auth.RoleFinance, auth.RoleAuditor, auth.RoleAdmin}
	g.GET("/funds", auth.Require(staff...), a.listFunds)
	g.POST("/funds", auth.Require(auth.RoleAdmin), a.createFund)
	g.GET("/funds/:id", a.getFund)
	g.GET("/funds/:id/position", a.fundPosition)
	g.GET("/funds/:id/trial-balance", a.trialBalance)
	g.GET("/funds/:id/entries", a.listEntries)
	g.POST("/entries/:id/reverse", a.reverseEntry)
	g.GET("/accounts", auth.Require(ledgerRoles...), a.listAccounts)
	g.POST("/accounts", auth.Require(auth.RoleAdmin), a.addAccount)
	g.GET("/rates", auth.Require(staff...), a.listRates)
	g.PUT("/rates", auth.Require(auth.RoleAdmin), a.putRate)
	g.POST("/calculations/preview", auth.Require(auth.RoleCaseworker, auth.RoleApprover, auth.RoleAdmin), a.previewCalculation)
	g.GET("/programs", a.listPrograms)
	g.POST("/programs", auth.Require(auth.RoleAdmin), a.createProgram)
	g.GET("/programs/:id", a.getProgram)
	g.PUT("/programs/:id", auth.Require(auth.RoleAdmin), a.updateProgram)
	g.GET("/applications", a.listApplications)
	g.POST("/applications", a.createApplication)
	g.GET("/applications/:id", a.getApplication)
	g.PUT("/applications/:id", a.editApplication)
	g.GET("/applications/:id/assessment", a.assessApplication)
	g.POST("/applications/:id/documents", httpx.MaxBody(maxUploadBody), a.uploadDocument)
	g.GET("/applications/:id/documents/:doc", a.downloadDocument)
	g.POST("/applications/:id/submit", a.step(stepSubmit))
	g.POST("/applications/:id/review", a.step(stepReview))
	g.POST("/applications/:id/approve", a.step(stepApprove))
	g.POST("/applications/:id/reject", a.step(stepReject))
	g.POST("/applications/:id/return", a.step(stepReturn))
	g.POST("/applications/:id/withdraw", a.step(stepWithdraw))
	g.POST("/applications/:id/disburse", a.step(stepDisburse))
	g.POST("/applications/:id/recheck", a.step(stepRecheck))
	g.GET("/members/:id/dependants", a.listDependants)
	g.GET("/notices", auth.Require(auth.RoleCaseworker), a.listNotices)
	g.POST("/notices/:id/dismiss", a.dismissNotice)
	g.POST("/recurring/run", auth.Require(auth.RoleFinance, auth.RoleAdmin), a.runRecurring)
	g.POST("/exports", auth.Require(auth.RoleFinance), a.createExport)
	g.GET("/exports/:id", a.getExport)
	g.GET("/exports/:id/download", a.downloadExport)
	a.registerPrints(g)
	a.registerCare(g)
	g.GET("/reports/overview", a.overviewReport)
}

func (a *API) caller(c *gin.Context) workflow.Caller {
	id := auth.Current(c)
	act := domain.Actor{UserID: id.UserID, MemberID: id.MemberID, Roles: slices.Clone(id.Roles)}
	return workflow.Caller{Actor: act, Name: id.Name, RequestID: reqctx.RequestID(c.Request.Context())}
}

func meta(c *gin.Context) store.Meta {
	return store.Meta{Actor: auth.Current(c).UserID, RequestID: reqctx.RequestID(c.Request.Context())}
}

// isApplicant reports whether id is on the applying side of rec: the
// applicant, the member concerned, or the dependant receiving the grant.
func isApplicant(id auth.Identity, rec store.Record) bool {
	a := rec.App
	if id.UserID == a.ApplicantUserID {
		return true
	}
	return id.MemberID != "" && (id.MemberID == a.MemberID || id.MemberID == a.ApplicantMemberID || id.MemberID == a.DependantID)
}

// canSee is the read rule of an application: applicants their own,
// caseworkers their units', approvers their queue (awaiting the committee,
// or ones they acted on), finance the approved ones, auditors and admins
// all.
func canSee(id auth.Identity, rec store.Record) bool {
	a := rec.App
	switch {
	case isApplicant(id, rec), id.Has(auth.RoleAuditor, auth.RoleAdmin):
		return true
	case id.Has(auth.RoleCaseworker) && id.InUnit(a.UnitID):
		return true
	case id.Has(auth.RoleApprover) && (a.State == domain.StateReviewed || actedOn(id.UserID, a)):
		return true
	case id.Has(auth.RoleFinance) && financeState(a.State):
		return true
	}
	return false
}

func actedOn(user string, a domain.Application) bool {
	return slices.ContainsFunc(a.Actions, func(x domain.Action) bool { return x.Actor == user })
}

// canSeeLedger is the read rule of funds' money: finance, auditors, admins.
func canSeeLedger(id auth.Identity) bool { return id.Has(ledgerRoles...) }

func (a *API) loadVisible(c *gin.Context) (store.Record, bool) {
	rec, err := a.Store.Application(c.Request.Context(), c.Param("id"))
	if err != nil {
		fail(c, err)
		return rec, false
	}
	if !canSee(auth.Current(c), rec) {
		fail(c, store.ErrNotFound)
		return rec, false
	}
	return rec, true
}

// writeApplication answers one application. Names are shown in full to
// the applying side and the unit's caseworkers; finance sees the payee's
// name in full too (to pay and reconcile with the bank), and each such
// read is audited. Everyone else sees them masked.
func (a *API) writeApplication(c *gin.Context, status int, rec store.Record) {
	id := auth.Current(c)
	show := isApplicant(id, rec) || (id.Has(auth.RoleCaseworker) && id.InUnit(rec.App.UnitID))
	if !show && id.Has(auth.RoleFinance) && financeState(rec.App.State) {
		if err := a.Store.AuditPayeeView(c.Request.Context(), meta(c), rec.App.ID, rec.App.Number); err != nil {
			fail(c, err) // no audit, no name
			return
		}
		show = true
	}
	httpx.SetETag(c, rec.App.Version)
	c.JSON(status, viewApplication(httpx.Lang(c), rec, show))
}

// financeState: finance sees applications from approval on.
func financeState(s domain.State) bool {
	return slices.Contains([]domain.State{domain.StateApproved, domain.StateDisbursed, domain.StateActive, domain.StateStopped}, s)
}

// parseDate reads a YYYY-MM-DD query or body value; empty gives def.
func parseDate(s string, def time.Time) (time.Time, bool) {
	if s == "" {
		return def, true
	}
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

func invalidDate(field string) error {
	return httpx.Invalid(fielderr.Problem{Field: field, Code: "grants.field.invalid_date"})
}

// withProblems appends the fields of a domain validation error to fields,
// leaving out the ones named in skip (already reported as unparsable).
func withProblems(fields []fielderr.Problem, err error, skip ...string) []fielderr.Problem {
	var ve *fielderr.Invalid
	if !errors.As(err, &ve) {
		return fields
	}
	for _, f := range ve.Problems {
		if !slices.Contains(skip, f.Field) {
			fields = append(fields, f)
		}
	}
	return fields
}

// fieldNamed is name when fields already holds a problem for it, else "".
func fieldNamed(name string, fields []fielderr.Problem) string {
	for _, f := range fields {
		if f.Field == name {
			return name
		}
	}
	return ""
}

// ---- programs, rates, accounts (funds and their ledger: fund_routes.go) ----

type accountBody struct {
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
	Kind   string `json:"kind"`
	// NormalSide is debit or credit; the kind's side when empty, and
	// required for a memo account, whose kind has no side.
	NormalSide string `json:"normal_side"`
}

func (a *API) addAccount(c *gin.Context) {
	var b accountBody
	if err := httpx.BindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	var fields []fielderr.Problem
	if b.Code == "" {
		fields = append(fields, fielderr.Problem{Field: "code", Code: domain.CodeRequired})
	}
	if strings.TrimSpace(b.NameZH) == "" {
		fields = append(fields, fielderr.Problem{Field: "name_zh", Code: domain.CodeRequired})
	}
	if !domain.AccountKind(b.Kind).Valid() {
		fields = append(fields, fielderr.Problem{Field: "kind", Code: domain.CodeUnknownValue, Args: []any{b.Kind}})
	}
	switch {
	case b.NormalSide != "" && !domain.Side(b.NormalSide).Valid():
		fields = append(fields, fielderr.Problem{Field: "normal_side", Code: domain.CodeUnknownValue, Args: []any{b.NormalSide}})
	case b.NormalSide == "" && domain.AccountKind(b.Kind) == domain.KindMemo:
		fields = append(fields, fielderr.Problem{Field: "normal_side", Code: domain.CodeRequired})
	}
	if len(fields) > 0 {
		fail(c, httpx.Invalid(fields...))
		return
	}
	acc := domain.Account{Code: b.Code, NameZH: b.NameZH, NameEN: b.NameEN, Kind: domain.AccountKind(b.Kind), Normal: domain.Side(b.NormalSide)}
	acc.Normal = acc.NormalSide()
	if err := a.Store.AddAccount(c.Request.Context(), meta(c), acc); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, acc)
}

type rateView struct {
	Kind      string `json:"kind"`
	ValidFrom string `json:"valid_from"`
	Amount    int64  `json:"amount"`
}

func (a *API) listRates(c *gin.Context) {
	pr, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		fail(c, err)
		return
	}
	rs, next, err := a.Store.RatesPage(c.Request.Context(), pr)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]rateView, len(rs))
	for i, r := range rs {
		out[i] = rateView{Kind: string(r.Kind), ValidFrom: r.ValidFrom.Format(time.DateOnly), Amount: int64(r.Amount)}
	}
	c.JSON(http.StatusOK, gin.H{"items": out, "next": next})
}

type rateBody struct {
	Kind      string `json:"kind"`
	ValidFrom string `json:"valid_from"`
	Amount    int64  `json:"amount"`
	Source    string `json:"source"`
}

func (a *API) putRate(c *gin.Context) {
	var b rateBody
	if err := httpx.BindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	var fields []fielderr.Problem
	kind := domain.RateKind(b.Kind)
	from, ok := parseDate(b.ValidFrom, time.Time{})
	rate := domain.Rate{Kind: kind, ValidFrom: from, Amount: money.Fen(b.Amount)}
	if !ok || from.IsZero() {
		fields = append(fields, fielderr.Problem{Field: "valid_from", Code: "grants.field.invalid_date"})
	}
	fields = withProblems(fields, rate.Validate(clock.Today(a.Clock)), fieldNamed("valid_from", fields))
	if len(b.Source) > 500 {
		fields = append(fields, fielderr.Problem{Field: "source", Code: domain.CodeTooLong, Args: []any{500}})
	}
	if len(fields) > 0 {
		fail(c, httpx.Invalid(fields...))
		return
	}
	if err := a.Store.PutRate(c.Request.Context(), meta(c), rate, b.Source); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, rateView{Kind: b.Kind, ValidFrom: b.ValidFrom, Amount: b.Amount})
}

type programBody struct {
	FundID            string             `json:"fund_id"`
	Code              string             `json:"code"`
	NameZH            string             `json:"name_zh"`
	NameEN            string             `json:"name_en"`
	Kind              string             `json:"kind"`
	Allocation        int64              `json:"allocation"`
	Eligibility       domain.Eligibility `json:"eligibility"`
	AmountRule        amountRuleBody     `json:"amount_rule"`
	RequiredDocuments []string           `json:"required_documents"`
	DualApprovalAbove int64              `json:"dual_approval_above"`
	Recurring         bool               `json:"recurring"`
}

// toAmountRule converts an amount rule body; by_grade has at most ten
// amounts (grade 1..10, missing ones are 0).
func toAmountRule(b amountRuleBody) (domain.AmountRule, []fielderr.Problem) {
	rule := domain.AmountRule{Kind: domain.AmountKind(b.Kind), Fixed: money.Fen(b.Fixed), Cap: money.Fen(b.Cap),
		Calculator: domain.Calculator(b.Calculator)}
	if len(b.ByGrade) > len(rule.ByGrade) {
		return rule, []fielderr.Problem{{Field: "amount_rule.by_grade", Code: domain.CodeOutOfRange, Args: []any{1, len(rule.ByGrade)}}}
	}
	for i, v := range b.ByGrade {
		rule.ByGrade[i] = money.Fen(v)
	}
	return rule, nil
}

func (a *API) createProgram(c *gin.Context) {
	var b programBody
	if err := httpx.BindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	rule, fields := toAmountRule(b.AmountRule)
	if len(fields) > 0 {
		fail(c, httpx.Invalid(fields...))
		return
	}
	p := domain.Program{FundID: b.FundID, Code: strings.TrimSpace(b.Code), NameZH: strings.TrimSpace(b.NameZH), NameEN: b.NameEN,
		Kind: domain.ProgramKind(b.Kind), Allocation: money.Fen(b.Allocation), Eligibility: b.Eligibility, Amount: rule,
		RequiredDocuments: b.RequiredDocuments, Approval: domain.ApprovalPolicy{DualAbove: money.Fen(b.DualApprovalAbove)},
		Recurring: b.Recurring, Active: true}
	if err := p.Validate(); err != nil {
		fail(c, err)
		return
	}
	out, err := a.Store.CreateProgram(c.Request.Context(), meta(c), p)
	if err != nil {
		fail(c, err)
		return
	}
	httpx.SetETag(c, out.Version)
	c.JSON(http.StatusCreated, viewProgram(out))
}

// programUpdateBody is the full replacement of what an admin may change of
// a program: the create body without fund_id, code and kind, with active.
// The values whose zero would silently change the program (allocation,
// dual_approval_above, recurring, active) must be sent.
type programUpdateBody struct {
	NameZH            string             `json:"name_zh"`
	NameEN            string             `json:"name_en"`
	Allocation        *int64             `json:"allocation"`
	Eligibility       domain.Eligibility `json:"eligibility"`
	AmountRule        amountRuleBody     `json:"amount_rule"`
	RequiredDocuments []string           `json:"required_documents"`
	DualApprovalAbove *int64             `json:"dual_approval_above"`
	Recurring         *bool              `json:"recurring"`
	Active            *bool              `json:"active"`
}

// updateProgram changes a program at the version the client read
// (If-Match): active=false stops new applications and notices for it,
// existing applications carry on.
func (a *API) updateProgram(c *gin.Context) {
	version, err := httpx.RequireIfMatch(c)
	if err != nil {
		fail(c, err)
		return
	}
	var b programUpdateBody
	if err := httpx.BindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	rule, fields := toAmountRule(b.AmountRule)
	for _, f := range []struct {
		name    string
		missing bool
	}{{"allocation", b.Allocation == nil}, {"dual_approval_above", b.DualApprovalAbove == nil}, {"recurring", b.Recurring == nil}, {"active", b.Active == nil}} {
		if f.missing {
			fields = append(fields, fielderr.Problem{Field: f.name, Code: domain.CodeRequired})
		}
	}
	if len(fields) > 0 {
		fail(c, httpx.Invalid(fields...))
		return
	}
	ch := domain.ProgramChange{NameZH: b.NameZH, NameEN: b.NameEN, Allocation: money.Fen(*b.Allocation), Eligibility: b.Eligibility,
		Amount: rule, RequiredDocuments: b.RequiredDocuments, Approval: domain.ApprovalPolicy{DualAbove: money.Fen(*b.DualApprovalAbove)},
		Recurring: *b.Recurring, Active: *b.Active}
	out, err := a.Store.UpdateProgram(c.Request.Context(), meta(c), c.Param("id"), version, ch)
	if err != nil {
		fail(c, err)
		return
	}
	httpx.SetETag(c, out.Version)
	c.JSON(http.StatusOK, viewProgram(out))
}

// Programs are public to every signed-in person: applicants choose one.
// All are listed (admins manage inactive ones too); ?active=true lists
// only the programs taking applications, ?active=false only the others.
func (a *API) listPrograms(c *gin.Context) {
	var active *bool
	switch q := c.Query("active"); q {
	case "":
	case "true", "false":
		v := q == "true"
		active = &v
	default:
		fail(c, httpx.Invalid(fielderr.Problem{Field: "active", Code: domain.CodeUnknownValue, Args: []any{q}}))
		return
	}
	pr, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		fail(c, err)
		return
	}
	ps, next, err := a.Store.ProgramsPage(c.Request.Context(), c.Query("fund_id"), active, pr)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]programView, len(ps))
	for i, p := range ps {
		out[i] = viewProgram(p)
	}
	c.JSON(http.StatusOK, gin.H{"items": out, "next": next})
}

func (a *API) getProgram(c *gin.Context) {
	p, err := a.Store.Program(c.Request.Context(), c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	httpx.SetETag(c, p.Version)
	c.JSON(http.StatusOK, viewProgram(p))
}

// ---- members' dependants ----------------------------------------------

type dependantView struct {
	DependantID  string `json:"dependant_id"`
	Relation     string `json:"relation"`
	RelationText string `json:"relation_text"`
	Name         string `json:"name"`
}

// listDependants lists a member's dependants as enrollment's member events
// told the service, for a family applicant to choose the one who applies:
// readable by the member's own accounts (the officer, the family linked to
// them), caseworkers of the member's unit, auditors and admins; anyone
// else sees 404. A member the service has not heard of has none.
func (a *API) listDependants(c *gin.Context) {
	id, memberID := auth.Current(c), c.Param("id")
	m, _, err := a.Store.Member(c.Request.Context(), nil, memberID)
	if err != nil {
		fail(c, err)
		return
	}
	own := id.MemberID != "" && id.MemberID == memberID && id.Has(auth.RoleOfficer, auth.RoleFamily)
	staff := id.Has(auth.RoleAuditor, auth.RoleAdmin) || (id.Has(auth.RoleCaseworker) && m != nil && id.InUnit(m.UnitID))
	if !own && !staff {
		fail(c, store.ErrNotFound)
		return
	}
	out := []dependantView{}
	if m != nil {
		lang := httpx.Lang(c)
		for _, d := range m.Dependants {
			v := dependantView{DependantID: d.ID, Relation: d.Relation, Name: d.Name}
			if d.Relation != "" {
				v.RelationText = i18n.T(lang, "grants.relation."+d.Relation)
			}
			out = append(out, v)
		}
	}
	c.JSON(http.StatusOK, gin.H{"member_id": memberID, "items": out})
}

// ---- notices, recurring -----------------------------------------------

func (a *API) listNotices(c *gin.Context) {
	id := auth.Current(c)
	pr, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		fail(c, err)
		return
	}
	ns, next, err := a.Store.Notices(c.Request.Context(), id.Units, false, domain.NoticeState(c.DefaultQuery("state", "open")), pr)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]noticeView, len(ns))
	for i, n := range ns {
		out[i] = viewNotice(n)
	}
	c.JSON(http.StatusOK, gin.H{"items": out, "next": next})
}

type reasonBody struct {
	Reason string `json:"reason"`
}

func (a *API) dismissNotice(c *gin.Context) {
	id := auth.Current(c)
	n, err := a.Store.Notice(c.Request.Context(), c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	if !id.Has(auth.RoleCaseworker) || !id.InUnit(n.UnitID) {
		fail(c, store.ErrNotFound)
		return
	}
	var b reasonBody
	if err := httpx.BindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	if strings.TrimSpace(b.Reason) == "" {
		fail(c, httpx.Invalid(fielderr.Problem{Field: "reason", Code: domain.CodeRequired}))
		return
	}
	if err := a.Store.DismissNotice(c.Request.Context(), meta(c), n.ID, strings.TrimSpace(b.Reason)); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (a *API) runRecurring(c *gin.Context) {
	n, err := a.Svc.RunRecurring(c.Request.Context())
	if err == nil {
		// the grants it paid are audited each; the run by hand is too,
		// even when nothing was due
		err = a.Store.Audit(c.Request.Context(), meta(c), "grants.recurring.run", "recurring", "", map[string]int{"grants": n})
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"grants": n})
}

// ---- exports ----------------------------------------------------------

type exportBody struct {
	FundID    string `json:"fund_id"`
	ProgramID string `json:"program_id"`
	From      string `json:"from"`
	To        string `json:"to"`
	Format    string `json:"format"`
}

func (a *API) createExport(c *gin.Context) {
	var b exportBody
	if err := httpx.BindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	var fields []fielderr.Problem
	from, ok1 := parseDate(b.From, time.Time{})
	to, ok2 := parseDate(b.To, time.Time{})
	if !ok1 || from.IsZero() {
		fields = append(fields, fielderr.Problem{Field: "from", Code: "grants.field.invalid_date"})
	}
	if !ok2 || to.IsZero() {
		fields = append(fields, fielderr.Problem{Field: "to", Code: "grants.field.invalid_date"})
	}
	if len(fields) == 0 {
		fields = withProblems(fields, domain.ValidatePeriod(from, to, clock.Today(a.Clock)))
	}
	if !export.Format(b.Format).Valid() {
		fields = append(fields, fielderr.Problem{Field: "format", Code: domain.CodeUnknownValue, Args: []any{b.Format}})
	}
	if b.FundID == "" {
		fields = append(fields, fielderr.Problem{Field: "fund_id", Code: domain.CodeRequired})
	}
	if len(fields) > 0 {
		fail(c, httpx.Invalid(fields...))
		return
	}
	if _, err := a.Store.Fund(c.Request.Context(), nil, b.FundID); err != nil {
		fail(c, httpx.Invalid(fielderr.Problem{Field: "fund_id", Code: domain.CodeUnknownValue, Args: []any{b.FundID}}))
		return
	}
	j, err := a.Store.CreateExportJob(c.Request.Context(), meta(c), b.Format, string(httpx.Lang(c)), store.ExportFilter{FundID: b.FundID, ProgramID: b.ProgramID, From: from, To: to})
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/grants/exports/"+j.ID)
	c.JSON(http.StatusAccepted, viewExport(httpx.Lang(c), j))
}

// ownExport loads a job the caller requested; any other caller sees 404.
func (a *API) ownExport(c *gin.Context) (store.ExportJob, bool) {
	j, err := a.Store.ExportJobByID(c.Request.Context(), c.Param("id"))
	if err != nil {
		fail(c, err)
		return j, false
	}
	id := auth.Current(c)
	if !id.Has(auth.RoleFinance) || j.RequestedBy != id.UserID {
		fail(c, store.ErrNotFound)
		return j, false
	}
	return j, true
}

func (a *API) getExport(c *gin.Context) {
	j, ok := a.ownExport(c)
	if !ok {
		return
	}
	v := viewExport(httpx.Lang(c), j)
	v.FileName, _ = a.exportFileName(c, j)
	c.JSON(http.StatusOK, v)
}

// exportFileName names an export by what it holds, in the request's
// language: 分类账_2026-01-01_2026-06-30.xlsx, with the programme's name
// after the word when the export is of one programme. fallback is the
// same in ASCII, for clients that cannot read a UTF-8 file name.
func (a *API) exportFileName(c *gin.Context, j store.ExportJob) (name, fallback string) {
	lang := httpx.Lang(c)
	dates := "_" + j.Filter.From.Format(time.DateOnly) + "_" + j.Filter.To.Format(time.DateOnly) + "." + j.Format
	base, ascii := i18n.T(lang, "grants.export.file"), "ledger"
	if j.Filter.ProgramID != "" {
		if p, err := a.Store.Program(c.Request.Context(), j.Filter.ProgramID); err == nil {
			n := p.NameZH
			if lang == i18n.EN && p.NameEN != "" {
				n = p.NameEN
			}
			base += "_" + n
			ascii += "_" + p.Code
		}
	}
	return base + dates, ascii + dates
}

func (a *API) downloadExport(c *gin.Context) {
	j, ok := a.ownExport(c)
	if !ok {
		return
	}
	if j.State != "done" {
		fail(c, store.ErrExportNotReady)
		return
	}
	if err := a.Store.AuditExportDownload(c.Request.Context(), meta(c), j); err != nil {
		fail(c, err) // no audit, no names
		return
	}
	name, fallback := a.exportFileName(c, j)
	c.Header("Content-Type", export.Format(j.Format).ContentType())
	c.Header("Content-Disposition", httpx.Attachment(name, fallback))
	c.Header("Content-Length", strconv.FormatInt(j.Bytes, 10))
	c.Status(http.StatusOK)
	if err := a.Store.CopyExport(c.Request.Context(), j.ID, c.Writer); err != nil {
		httpx.Logger(c).Error("export download", "job", j.ID, "err", err)
	}
}

// Labels are the localized texts of an export in lang.
func Labels(lang string) workflow.ExportLabels {
	l := i18n.Lang(lang)
	keys := [export.Columns]string{"voucher", "date", "summary", "account", "account_name", "debit", "credit", "program", "application", "applicant", "approvers"}
	var h [export.Columns]string
	for i, k := range keys {
		h[i] = i18n.T(l, "grants.export."+k)
	}
	return workflow.ExportLabels{Headings: h, Totals: i18n.T(l, "grants.export.totals"), Sheet: i18n.T(l, "grants.export.sheet")}
}
