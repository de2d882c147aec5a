package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

func (h *Handler) listPlans(c *gin.Context) {
	year := 0
	if y := c.Query("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > 2100 {
			fail(c, httpx.Invalid(fielderr.Problem{Field: "year", Code: "field.range", Args: []any{2000, 2100}}))
			return
		}
		year = n
	}
	scheme := domain.SchemeCode(c.Query("scheme"))
	if scheme != "" && !scheme.Valid() {
		fail(c, httpx.Invalid(fielderr.Problem{Field: "scheme", Code: "field.one_of"}))
		return
	}
	pr, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		fail(c, err)
		return
	}
	plans, next, err := h.store.Plans(c.Request.Context(), year, scheme, pr)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]planResponse, len(plans))
	for i, p := range plans {
		out[i] = toPlan(p)
	}
	c.JSON(http.StatusOK, gin.H{"plans": out, "next": next})
}

func (h *Handler) createPlan(c *gin.Context) {
	req, ok := bind[planRequest](c)
	if !ok {
		return
	}
	in, err := req.input()
	if err != nil {
		fail(c, err)
		return
	}
	p, err := h.cmd.CreatePlan(c.Request.Context(), in, meta(c))
	if err != nil {
		fail(c, err)
		return
	}
	httpx.SetETag(c, p.Version)
	c.JSON(http.StatusCreated, toPlan(p))
}

func (h *Handler) getPlan(c *gin.Context) {
	p, err := h.store.GetPlan(c.Request.Context(), c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	httpx.SetETag(c, p.Version)
	c.JSON(http.StatusOK, toPlan(p))
}

func (h *Handler) enroll(c *gin.Context) {
	req, ok := bind[enrollRequest](c)
	if !ok {
		return
	}
	var d dates
	start := d.parse("start", req.Start, true)
	if err := d.err(); err != nil {
		fail(c, err)
		return
	}
	e, err := h.cmd.Enroll(c.Request.Context(), req.MemberID, req.PlanID, start, manageScope(c), meta(c))
	if err != nil {
		fail(c, err)
		return
	}
	httpx.SetETag(c, e.Version)
	c.JSON(http.StatusCreated, toEnrollment(e))
}

func (h *Handler) getEnrollment(c *gin.Context) {
	e, err := h.store.GetEnrollment(c.Request.Context(), c.Param("id"), readScope(c))
	if err != nil {
		fail(c, err)
		return
	}
	httpx.SetETag(c, e.Version)
	c.JSON(http.StatusOK, toEnrollment(e))
}

func (h *Handler) closeEnrollment(c *gin.Context) {
	version, err := httpx.RequireIfMatch(c)
	if err != nil {
		fail(c, err)
		return
	}
	req, ok := bind[closeRequest](c)
	if !ok {
		return
	}
	var d dates
	last := d.parse("last_day", req.LastDay, true)
	if err := d.err(); err != nil {
		fail(c, err)
		return
	}
	e, err := h.cmd.CloseEnrollment(c.Request.Context(), c.Param("id"), manageScope(c), version, last, domain.EndReason(req.Reason), meta(c))
	if err != nil {
		fail(c, err)
		return
	}
	httpx.SetETag(c, e.Version)
	c.JSON(http.StatusOK, toEnrollment(e))
}

func (h *Handler) memberEnrollments(c *gin.Context) {
	pr, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		fail(c, err)
		return
	}
	es, next, err := h.store.MemberEnrollments(c.Request.Context(), c.Param("id"), readScope(c), pr)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]enrollmentResponse, len(es))
	for i, e := range es {
		out[i] = toEnrollment(e)
	}
	c.JSON(http.StatusOK, gin.H{"enrollments": out, "next": next})
}

// coverage answers for ?date= (default today) and ?scheme= (default every
// scheme).
func (h *Handler) coverage(c *gin.Context) {
	var d dates
	on := d.parse("date", c.Query("date"), false)
	if err := d.err(); err != nil {
		fail(c, err)
		return
	}
	if on.IsZero() {
		on = h.store.Today()
	}
	scheme := domain.SchemeCode(c.Query("scheme"))
	if scheme != "" && !scheme.Valid() {
		fail(c, httpx.Invalid(fielderr.Problem{Field: "scheme", Code: "field.one_of"}))
		return
	}
	cov, err := h.store.Coverage(c.Request.Context(), c.Param("id"), scheme, on, readScope(c))
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]coverageJSON, len(cov))
	for i, cv := range cov {
		out[i] = toCoverage(cv)
	}
	c.JSON(http.StatusOK, gin.H{"member_id": c.Param("id"), "date": fmtDate(on), "coverage": out})
}

func (h *Handler) bulkResponse(c *gin.Context, plan domain.BulkPlan, dryRun bool) {
	lang := httpx.Lang(c)
	out := bulkResponse{PlanID: plan.PlanID, DryRun: dryRun, Enrolled: []enrollmentResponse{}, Skipped: []bulkSkipJSON{}}
	for _, e := range plan.Enroll {
		out.Enrolled = append(out.Enrolled, toEnrollment(e.Enrollment))
	}
	for _, s := range plan.Skipped {
		out.Skipped = append(out.Skipped, bulkSkipJSON{MemberID: s.MemberID, Code: s.Code, Message: i18n.T(lang, s.Code)})
	}
	status := http.StatusOK
	if !dryRun {
		status = http.StatusCreated
	}
	c.JSON(status, out)
}

func (h *Handler) bulkEnroll(c *gin.Context) {
	req, ok := bind[bulkRequest](c)
	if !ok {
		return
	}
	var d dates
	start := d.parse("start", req.Start, true)
	if len(req.UnitIDs) == 0 {
		d.fields = append(d.fields, fielderr.Problem{Field: "unit_ids", Code: "field.required"})
	}
	if err := d.err(); err != nil {
		fail(c, err)
		return
	}
	plan, err := h.cmd.BulkEnroll(c.Request.Context(), c.Param("id"), req.UnitIDs, start, req.DryRun, manageScope(c), meta(c))
	if err != nil {
		fail(c, err)
		return
	}
	h.bulkResponse(c, plan, req.DryRun)
}

func (h *Handler) renew(c *gin.Context) {
	req, ok := bind[renewalRequest](c)
	if !ok {
		return
	}
	if req.NextPlanID == "" {
		fail(c, httpx.Invalid(fielderr.Problem{Field: "next_plan_id", Code: "field.required"}))
		return
	}
	plan, err := h.cmd.Renew(c.Request.Context(), c.Param("id"), req.NextPlanID, req.DryRun, manageScope(c), meta(c))
	if err != nil {
		fail(c, err)
		return
	}
	h.bulkResponse(c, plan, req.DryRun)
}

type factJSON struct {
	Kind       string    `json:"kind"`
	On         string    `json:"on"`
	Reason     string    `json:"reason,omitempty"`
	RecordedAt time.Time `json:"recorded_at"`
	Actor      string    `json:"actor"`
}

// enrollmentFacts lists the dated facts of an enrollment: lapse, end and
// re-enrollment are facts with dates, never edits.
func (h *Handler) enrollmentFacts(c *gin.Context) {
	facts, err := h.store.EnrollmentFacts(c.Request.Context(), c.Param("id"), readScope(c))
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]factJSON, len(facts))
	for i, f := range facts {
		out[i] = factJSON{Kind: string(f.Kind), On: fmtDate(f.On), Reason: string(f.Reason), RecordedAt: f.RecordedAt, Actor: f.Actor}
	}
	c.JSON(http.StatusOK, gin.H{"events": out})
}
