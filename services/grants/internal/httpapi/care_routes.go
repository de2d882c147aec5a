package httpapi

import (
	"context"
	"net/http"
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

// Family care (关爱) under /api/v1/grants/care. These are the most
// sensitive records of the system: a family's record is seen only by its
// liaisons, the caseworkers of its unit and the committee; anyone else
// gets 404, exactly as for a record that does not exist; every read is
// audited; exports mask the family unless a committee member deliberately
// unmasks them (audited as such).

// roleLeader is the committee's leader role (政法委领导), added beside
// approver by the gateway's roles; a token that carries it is the
// committee's.
const roleLeader auth.Role = "leader"

// isCommittee reports whether id speaks for the committee: its approvers
// and its leaders.
func isCommittee(id auth.Identity) bool { return id.Has(auth.RoleApprover, roleLeader) }

// canSeeCare is the read rule of a family's record.
func canSeeCare(id auth.Identity, rec domain.CareRecord) bool {
	return rec.IsLiaison(id.UserID) || unitCaseworker(id, rec) || isCommittee(id)
}

func unitCaseworker(id auth.Identity, rec domain.CareRecord) bool {
	return id.Has(auth.RoleCaseworker) && id.InUnit(rec.UnitID)
}

// canWorkCare is who records visits and works matters: the liaisons and
// the unit's caseworkers.
func canWorkCare(id auth.Identity, rec domain.CareRecord) bool {
	return rec.IsLiaison(id.UserID) || unitCaseworker(id, rec)
}

// isFamilyOf reports whether id is the family's own account (the officer,
// or a family account linked to the officer).
func isFamilyOf(id auth.Identity, rec domain.CareRecord) bool {
	return id.MemberID != "" && id.MemberID == rec.MemberID && id.Has(auth.RoleOfficer, auth.RoleFamily)
}

// registerCare adds the family-care routes.
func (a *API) registerCare(g *gin.RouterGroup) {
	rules := []auth.Role{auth.RoleAdmin, auth.RoleCaseworker, auth.RoleApprover, roleLeader, auth.RoleUnitHead}
	g.GET("/care/records", a.listCare)
	g.POST("/care/records", auth.Require(auth.RoleCaseworker), a.openCare)
	g.GET("/care/records/:id", a.getCare)
	g.PUT("/care/records/:id/liaisons/:role", a.assignLiaison)
	g.POST("/care/records/:id/visits", a.recordVisit)
	g.POST("/care/records/:id/matters", a.raiseMatter)
	g.POST("/care/visits/:id/photos", httpx.MaxBody(maxUploadBody), a.uploadVisitPhoto)
	g.GET("/care/visits/:id/photos/:photo", a.downloadVisitPhoto)
	g.POST("/care/matters/:id/progress", a.advanceMatter)
	g.POST("/care/matters/:id/application", a.startEducation)
	g.POST("/care/matters/:id/resolve", a.resolveMatter)
	g.GET("/care/mine", auth.Require(auth.RoleOfficer, auth.RoleFamily), a.myCare)
	g.GET("/care/queue", a.careQueue)
	g.GET("/care/summary", auth.Require(auth.RoleApprover, roleLeader, auth.RoleAdmin), a.careSummary)
	g.GET("/care/export", auth.Require(auth.RoleApprover, roleLeader), a.careExport)
	g.GET("/care/visit-rules", auth.Require(rules...), a.listVisitRules)
	g.PUT("/care/visit-rules/:occasion", auth.Require(auth.RoleAdmin), a.putVisitRule)
	g.GET("/care/festival-dates", auth.Require(rules...), a.listFestivalDates)
	g.PUT("/care/festival-dates/:year", auth.Require(auth.RoleAdmin), a.putFestivalDates)
}

// loadCare reads the record of the path's id and answers 404 unless see
// allows the caller.
func (a *API) loadCare(c *gin.Context, recordID string, see func(auth.Identity, domain.CareRecord) bool) (domain.CareRecord, bool) {
	rec, err := a.Store.CareRecord(c.Request.Context(), nil, recordID)
	if err == nil && !see(auth.Current(c), rec) {
		err = store.ErrNotFound
	}
	if err != nil {
		fail(c, err)
		return rec, false
	}
	return rec, true
}

// recheck is the same access rule again, on the record as the command
// locked it: a liaison replaced meanwhile can no longer act.
func recheck(id auth.Identity, see func(auth.Identity, domain.CareRecord) bool) func(domain.CareRecord) error {
	return func(rec domain.CareRecord) error {
		if !see(id, rec) {
			return store.ErrNotFound
		}
		return nil
	}
}

func (a *API) listCare(c *gin.Context) {
	id := auth.Current(c)
	pr, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		fail(c, err)
		return
	}
	sc := store.CareScope{All: isCommittee(id), UserID: id.UserID}
	if id.Has(auth.RoleCaseworker) {
		sc.Units = id.Units
	}
	recs, next, err := a.Store.CareRecords(c.Request.Context(), sc, pr)
	if err != nil {
		fail(c, err)
		return
	}
	items, err := a.careItems(c.Request.Context(), httpx.Lang(c), recs)
	if err != nil {
		fail(c, err)
		return
	}
	if !a.auditList(c, "grants.care.list", recs) {
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next": next})
}

// auditList records which families a list showed the caller.
func (a *API) auditList(c *gin.Context, action string, recs []domain.CareRecord) bool {
	if len(recs) == 0 {
		return true
	}
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	if err := a.Store.Audit(c.Request.Context(), meta(c), action, "care_record", ids[0], map[string]any{"record_ids": ids}); err != nil {
		fail(c, err)
		return false
	}
	return true
}

type openCareBody struct {
	MemberID string `json:"member_id"`
}

func (a *API) openCare(c *gin.Context) {
	id := auth.Current(c)
	var b openCareBody
	if err := httpx.BindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	if strings.TrimSpace(b.MemberID) == "" {
		fail(c, httpx.Invalid(fielderr.Problem{Field: "member_id", Code: domain.CodeRequired}))
		return
	}
	m, _, err := a.Store.Member(c.Request.Context(), nil, b.MemberID)
	if err != nil {
		fail(c, err)
		return
	}
	if m == nil || !id.InUnit(m.UnitID) {
		fail(c, httpx.Invalid(fielderr.Problem{Field: "member_id", Code: workflow.CodeUnknownMember}))
		return
	}
	rec, err := a.Svc.OpenCare(c.Request.Context(), a.caller(c), b.MemberID)
	if err != nil {
		fail(c, err)
		return
	}
	a.respondCare(c, http.StatusCreated, rec)
}

// respondCare answers the full view of rec (audited as a read).
func (a *API) respondCare(c *gin.Context, status int, rec domain.CareRecord) {
	v, err := a.careView(c.Request.Context(), httpx.Lang(c), rec)
	if err != nil {
		fail(c, err)
		return
	}
	if err := a.Store.Audit(c.Request.Context(), meta(c), "grants.care.read", "care_record", rec.ID, nil); err != nil {
		fail(c, err)
		return
	}
	if status == http.StatusCreated {
		c.Header("Location", "/api/v1/grants/care/records/"+rec.ID)
	}
	httpx.SetETag(c, rec.Version)
	c.JSON(status, v)
}

func (a *API) getCare(c *gin.Context) {
	rec, ok := a.loadCare(c, c.Param("id"), canSeeCare)
	if !ok {
		return
	}
	a.respondCare(c, http.StatusOK, rec)
}

type liaisonBody struct {
	UserID string `json:"user_id"`
	Name   string `json:"name"`
	Phone  string `json:"phone"`
}

// canAssign is who pairs liaisons with a family: the unit's caseworkers
// and the committee.
func canAssign(id auth.Identity, rec domain.CareRecord) bool {
	return unitCaseworker(id, rec) || isCommittee(id)
}

func (a *API) assignLiaison(c *gin.Context) {
	id := auth.Current(c)
	rec, ok := a.loadCare(c, c.Param("id"), canSeeCare)
	if !ok {
		return
	}
	if !canAssign(id, rec) {
		fail(c, httpx.Forbidden())
		return
	}
	version, err := httpx.RequireIfMatch(c)
	if err != nil {
		fail(c, err)
		return
	}
	var b liaisonBody
	if err := httpx.BindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	l := domain.Liaison{Role: domain.LiaisonRole(c.Param("role")), UserID: b.UserID, Name: b.Name, Phone: b.Phone}
	out, err := a.Svc.AssignLiaison(c.Request.Context(), a.caller(c), rec.ID, version, l, recheck(id, canAssign))
	if err != nil {
		fail(c, err)
		return
	}
	a.respondCare(c, http.StatusOK, out)
}

type giftBody struct {
	Description string `json:"description"`
	Amount      int64  `json:"amount"`
}

type visitBody struct {
	Occasion     string     `json:"occasion"`
	VisitedOn    string     `json:"visited_on"`
	Visitors     []string   `json:"visitors"`
	Given        []giftBody `json:"given"`
	FamilyRaised string     `json:"family_raised"`
	Notes        string     `json:"notes"`
}

// careDate reads an optional YYYY-MM-DD field.
func careDate(field, s string, fields *[]fielderr.Problem) time.Time {
	if strings.TrimSpace(s) == "" {
		return time.Time{}
	}
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		*fields = append(*fields, fielderr.Problem{Field: field, Code: "grants.field.invalid_date"})
	}
	return d
}

func (a *API) recordVisit(c *gin.Context) {
	id := auth.Current(c)
	rec, ok := a.loadCare(c, c.Param("id"), canSeeCare)
	if !ok {
		return
	}
	if !canWorkCare(id, rec) {
		fail(c, httpx.Forbidden())
		return
	}
	var b visitBody
	if err := httpx.BindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	var fields []fielderr.Problem
	v := domain.Visit{Occasion: domain.Occasion(b.Occasion), VisitedOn: careDate("visited_on", b.VisitedOn, &fields), Visitors: b.Visitors,
		FamilyRaised: b.FamilyRaised, Notes: b.Notes}
	for _, g := range b.Given {
		v.Given = append(v.Given, domain.Gift{Description: g.Description, Amount: money.Fen(g.Amount)})
	}
	if len(fields) > 0 {
		fail(c, httpx.Invalid(fields...))
		return
	}
	out, err := a.Svc.RecordVisit(c.Request.Context(), a.caller(c), rec.ID, v, recheck(id, canWorkCare))
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/grants/care/records/"+rec.ID)
	c.JSON(http.StatusCreated, viewVisit(out))
}

type matterBody struct {
	Kind     string `json:"kind"`
	Topic    string `json:"topic"`
	PersonID string `json:"person_id"`
	Summary  string `json:"summary"`
	DueOn    string `json:"due_on"`
}

// canRaise is who records a matter: whoever sees the record, and the
// family itself.
func canRaise(id auth.Identity, rec domain.CareRecord) bool {
	return canSeeCare(id, rec) || isFamilyOf(id, rec)
}

func (a *API) raiseMatter(c *gin.Context) {
	id := auth.Current(c)
	rec, ok := a.loadCare(c, c.Param("id"), canRaise)
	if !ok {
		return
	}
	var b matterBody
	if err := httpx.BindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	var fields []fielderr.Problem
	m := domain.Matter{Kind: domain.MatterKind(b.Kind), Topic: b.Topic, PersonID: b.PersonID, Summary: b.Summary,
		DueOn: careDate("due_on", b.DueOn, &fields)}
	if len(fields) > 0 {
		fail(c, httpx.Invalid(fields...))
		return
	}
	out, err := a.Svc.RaiseMatter(c.Request.Context(), a.caller(c), rec.ID, m, recheck(id, canRaise))
	if err != nil {
		fail(c, err)
		return
	}
	httpx.SetETag(c, out.Version)
	c.JSON(http.StatusCreated, a.matterView(httpx.Lang(c), out, rec))
}

// loadMatter reads the path's matter and its record, 404 unless see
// allows the caller on the record.
func (a *API) loadMatter(c *gin.Context, see func(auth.Identity, domain.CareRecord) bool) (domain.Matter, domain.CareRecord, bool) {
	m, err := a.Store.Matter(c.Request.Context(), c.Param("id"))
	if err != nil {
		fail(c, err)
		return m, domain.CareRecord{}, false
	}
	rec, ok := a.loadCare(c, m.RecordID, see)
	return m, rec, ok
}

type progressBody struct {
	HandlerUserID string `json:"handler_user_id"`
	HandlerName   string `json:"handler_name"`
	DueOn         string `json:"due_on"`
	Note          string `json:"note"`
}

// canHandle is who works a matter: the liaisons, the unit's caseworkers
// and the committee.
func canHandle(id auth.Identity, rec domain.CareRecord) bool { return canSeeCare(id, rec) }

func (a *API) advanceMatter(c *gin.Context) {
	id := auth.Current(c)
	m, rec, ok := a.loadMatter(c, canHandle)
	if !ok {
		return
	}
	version, err := httpx.RequireIfMatch(c)
	if err != nil {
		fail(c, err)
		return
	}
	var b progressBody
	if err := httpx.BindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	var fields []fielderr.Problem
	p := domain.Progress{HandlerUserID: b.HandlerUserID, HandlerName: b.HandlerName, Note: b.Note, DueOn: careDate("due_on", b.DueOn, &fields)}
	if len(fields) > 0 {
		fail(c, httpx.Invalid(fields...))
		return
	}
	out, err := a.Svc.AdvanceMatter(c.Request.Context(), a.caller(c), m.ID, version, p, recheck(id, canHandle))
	if err != nil {
		fail(c, err)
		return
	}
	httpx.SetETag(c, out.Version)
	c.JSON(http.StatusOK, a.matterView(httpx.Lang(c), out, rec))
}

type educationBody struct {
	ProgramID       string `json:"program_id"`
	ApplicantUserID string `json:"applicant_user_id"`
	RequestedAmount int64  `json:"requested_amount"`
}

func (a *API) startEducation(c *gin.Context) {
	id := auth.Current(c)
	m, rec, ok := a.loadMatter(c, canSeeCare)
	if !ok {
		return
	}
	if !unitCaseworker(id, rec) {
		fail(c, httpx.Forbidden())
		return
	}
	version, err := httpx.RequireIfMatch(c)
	if err != nil {
		fail(c, err)
		return
	}
	var b educationBody
	if c.Request.ContentLength != 0 {
		if err := httpx.BindJSON(c, &b); err != nil {
			fail(c, err)
			return
		}
	}
	var fields []fielderr.Problem
	if b.ProgramID != "" && !store.ValidID(b.ProgramID) {
		fields = append(fields, fielderr.Problem{Field: "program_id", Code: domain.CodeInvalidID})
	}
	if b.RequestedAmount < 0 {
		fields = append(fields, fielderr.Problem{Field: "requested_amount", Code: domain.CodeNegative})
	}
	if len(fields) > 0 {
		fail(c, httpx.Invalid(fields...))
		return
	}
	out, app, err := a.Svc.StartEducationApplication(c.Request.Context(), a.caller(c), m.ID, version,
		workflow.EducationDraft{ProgramID: b.ProgramID, ApplicantUserID: b.ApplicantUserID, RequestedAmount: money.Fen(b.RequestedAmount)},
		recheck(id, unitCaseworker))
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/grants/applications/"+app.App.ID)
	httpx.SetETag(c, out.Version)
	c.JSON(http.StatusCreated, gin.H{"matter": a.matterView(httpx.Lang(c), out, rec), "application_id": app.App.ID, "application_number": app.App.Number,
		"application_version": app.App.Version})
}

type resolveBody struct {
	Outcome string `json:"outcome"`
}

func (a *API) resolveMatter(c *gin.Context) {
	id := auth.Current(c)
	m, rec, ok := a.loadMatter(c, canHandle)
	if !ok {
		return
	}
	version, err := httpx.RequireIfMatch(c)
	if err != nil {
		fail(c, err)
		return
	}
	var b resolveBody
	if err := httpx.BindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	out, err := a.Svc.ResolveMatter(c.Request.Context(), a.caller(c), m.ID, version, b.Outcome, recheck(id, canHandle))
	if err != nil {
		fail(c, err)
		return
	}
	httpx.SetETag(c, out.Version)
	c.JSON(http.StatusOK, a.matterView(httpx.Lang(c), out, rec))
}

// myCare is the family's own view: their liaisons and how to reach them,
// their matters and the next visit; no visit notes, no other family.
func (a *API) myCare(c *gin.Context) {
	id := auth.Current(c)
	if id.MemberID == "" {
		c.JSON(http.StatusOK, gin.H{"items": []any{}, "next": ""})
		return
	}
	pr, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		fail(c, err)
		return
	}
	recs, next, err := a.Store.CareRecords(c.Request.Context(), store.CareScope{MemberID: id.MemberID}, pr)
	if err != nil {
		fail(c, err)
		return
	}
	items := make([]familyView, 0, len(recs))
	for _, rec := range recs {
		v, err := a.familyView(c, rec)
		if err != nil {
			fail(c, err)
			return
		}
		items = append(items, v)
	}
	if !a.auditList(c, "grants.care.read_own", recs) {
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next": next})
}

// plans computes the visit plan of each record.
func (a *API) plans(ctx context.Context, recs []domain.CareRecord) (map[string]domain.Plan, map[string][]domain.Visit, error) {
	pc, err := a.Svc.PlanContext(ctx)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	visits, err := a.Store.Visits(ctx, ids...)
	if err != nil {
		return nil, nil, err
	}
	byRecord := map[string][]domain.Visit{}
	for _, v := range visits {
		byRecord[v.RecordID] = append(byRecord[v.RecordID], v)
	}
	out := map[string]domain.Plan{}
	for _, r := range recs {
		out[r.ID] = domain.VisitPlan(r, pc.Rules, pc.Dates, byRecord[r.ID], pc.Today)
	}
	return out, byRecord, nil
}
