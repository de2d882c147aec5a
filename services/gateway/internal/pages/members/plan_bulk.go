package members

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	enrollmentapi "github.com/anxin-welfare/anxin/api/client/enrollment"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// One plan's page: its terms, and the forms that enrol a unit in it and
// renew an earlier plan into it, each previewed by the registry's dry run.

// bulkOutcome is the registry's BulkResult as the page shows it.
type bulkOutcome struct {
	PlanID   string
	DryRun   bool
	Enrolled []memberEnrollment
	Skipped  []bulkSkip
}

// bulkSkip is a member the enrolment leaves out, and why.
type bulkSkip struct {
	MemberID, Code, Message string
}

func bulkOutcomeOf(r *enrollmentapi.BulkResult) *bulkOutcome {
	out := &bulkOutcome{PlanID: r.PlanId, DryRun: r.DryRun}
	for _, e := range r.Enrolled {
		out.Enrolled = append(out.Enrolled, enrollmentOf(e))
	}
	for _, s := range r.Skipped {
		out.Skipped = append(out.Skipped, bulkSkip{MemberID: webkit.Deref(s.MemberId), Code: webkit.Deref(s.Code), Message: webkit.Deref(s.Message)})
	}
	return out
}

// planPageData is one plan: its terms, and the forms that enrol a unit and
// renew an earlier plan into it.
type planPageData struct {
	Plan      insurancePlan
	Units     []unitChoice
	Previous  []insurancePlan // earlier plans of the scheme to renew from
	Open      string
	Result    *bulkOutcome // a preview (DryRun) or what was done
	Kind      string       // "bulk" or "renew", of Result
	Hidden    []webkit.HiddenField
	UnitLabel string
	FromPlan  *insurancePlan
}

// EnrolledCount is how many the result enrols.
func (d planPageData) EnrolledCount() int {
	if d.Result == nil {
		return 0
	}
	return len(d.Result.Enrolled)
}

// SkippedCount is how many the result skips.
func (d planPageData) SkippedCount() int {
	if d.Result == nil {
		return 0
	}
	return len(d.Result.Skipped)
}

func (a *area) planPage(c *gin.Context) {
	d, ok := a.loadPlanPage(c)
	if !ok {
		return
	}
	form := web.NewForm().Set("start", a.defaultStart(d.Plan))
	a.renderPlan(c, http.StatusOK, d, form, webkit.FlashOf(c, map[string]string{"created": "web.plans.created"}))
}

// defaultStart is the first day a bulk enrolment offers: the plan's first
// day, or today when the plan has begun.
func (a *area) defaultStart(p insurancePlan) string {
	today := clock.Today(a.Clock).Format(time.DateOnly)
	if p.Coverage.From < today && today <= p.Coverage.To {
		return today
	}
	return p.Coverage.From
}

// loadPlanPage reads the plan of the path, the units and the earlier plans
// of its scheme, or shows why it cannot.
func (a *area) loadPlanPage(c *gin.Context) (planPageData, bool) {
	var d planPageData
	id, ok := a.PathID(c, "id")
	if !ok {
		return d, false
	}
	api, err := a.Enrollment(c)
	var r *enrollmentapi.GetPlanResponse
	if err == nil {
		r, err = api.GetPlanWithResponse(c.Request.Context(), id)
	}
	if err == nil && r.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return d, false
	}
	d.Plan = planOf(*r.JSON200)
	units, err := a.units(c)
	if err != nil {
		a.ServiceFailed(c, err)
		return d, false
	}
	// The registry enrols only in the units the user manages; with none
	// known every unit is offered and the registry decides.
	var mine []string
	if u := a.User(c); u != nil {
		mine = u.Units
	}
	d.Units = memberUnitChoices(units, mine, "")
	slices.SortStableFunc(d.Units, func(a, b unitChoice) int { return cmp.Compare(a.Label, b.Label) })
	plans, err := a.loadPlans(c, "", d.Plan.Scheme)
	if err != nil {
		a.ServiceFailed(c, err)
		return d, false
	}
	for _, p := range plans {
		if p.Scheme == d.Plan.Scheme && p.Year < d.Plan.Year {
			d.Previous = append(d.Previous, p)
		}
	}
	return d, true
}

func (a *area) renderPlan(c *gin.Context, status int, d planPageData, form *web.Form, flash *web.Message) {
	if form.Value("from_plan_id") == "" {
		for _, p := range d.Previous {
			if p.Year == d.Plan.Year-1 {
				form.Set("from_plan_id", p.ID)
				break
			}
		}
	}
	p := a.Page(c, "web.plans.plan")
	p.Form, p.Flash, p.Data = form, flash, d
	a.Render(c, status, "plan", p)
}

// planBulk enrols every eligible active member of a unit (and the units
// below) in the plan: first the registry's dry run, shown with a button to
// enrol; then, confirmed, the enrolment and its summary.
func (a *area) planBulk(c *gin.Context) {
	d, ok := a.loadPlanPage(c)
	if !ok {
		return
	}
	form := webkit.PostedForm(c, "unit_id", "start")
	if !slices.ContainsFunc(d.Units, func(u unitChoice) bool { return u.ID == form.Value("unit_id") }) {
		form.AddError("unit_id", web.Msg("web.members.choose_one"))
	}
	checkDate(form, "start")
	d.Open = "bulk"
	if form.HasErrors() {
		a.renderPlan(c, http.StatusUnprocessableEntity, d, form, nil)
		return
	}
	dry := c.PostForm("confirm") == ""
	body := enrollmentapi.BulkEnrollJSONRequestBody{UnitIds: []enrollmentapi.ID{idOrNil(form.Value("unit_id"))}, Start: formDate(form, "start"), DryRun: &dry}
	a.runBulk(c, d, form, "bulk", func(api *enrollmentapi.ClientWithResponses) (*enrollmentapi.BulkResult, error) {
		r, err := api.BulkEnrollWithResponse(c.Request.Context(), idOrNil(d.Plan.ID), body)
		if err != nil {
			return nil, err
		}
		return bulkResult(r.JSON200, r.JSON201)
	})
}

// planRenew enrols in this plan everyone enrolled to the end of an earlier
// plan of the scheme (last year's, unless another is chosen) and still
// eligible: the dry run first, then, confirmed, the renewal.
func (a *area) planRenew(c *gin.Context) {
	d, ok := a.loadPlanPage(c)
	if !ok {
		return
	}
	form := webkit.PostedForm(c, "from_plan_id")
	i := slices.IndexFunc(d.Previous, func(p insurancePlan) bool { return p.ID == form.Value("from_plan_id") })
	d.Open = "renew"
	if i < 0 {
		form.AddError("from_plan_id", web.Msg("web.members.choose_one"))
		a.renderPlan(c, http.StatusUnprocessableEntity, d, form, nil)
		return
	}
	from := d.Previous[i]
	d.FromPlan = &from
	dry := c.PostForm("confirm") == ""
	body := enrollmentapi.RenewPlanJSONRequestBody{NextPlanId: idOrNil(d.Plan.ID), DryRun: &dry}
	a.runBulk(c, d, form, "renew", func(api *enrollmentapi.ClientWithResponses) (*enrollmentapi.BulkResult, error) {
		r, err := api.RenewPlanWithResponse(c.Request.Context(), idOrNil(from.ID), body)
		if err != nil {
			return nil, err
		}
		return bulkResult(r.JSON200, r.JSON201)
	})
}

// bulkResult is the answer of a dry run (200) or of the enrolment (201).
func bulkResult(ok, created *enrollmentapi.BulkResult) (*enrollmentapi.BulkResult, error) {
	if ok != nil {
		return ok, nil
	}
	if created != nil {
		return created, nil
	}
	return nil, webkit.ErrUnexpected
}

// bulkProblem puts the registry's refusal of a bulk enrolment or renewal
// beside the form's field: the start beside the start, anything else
// beside the unit (or the plan renewed from). A unit the registry does not
// know or the user does not manage is said in the page's own words.
func bulkProblem(err error, form *web.Form, kind string) bool {
	tmp := web.NewForm()
	if !webkit.ProblemOnForm(err, tmp, nil) {
		return false
	}
	field := "unit_id"
	if kind == "renew" {
		field = "from_plan_id"
	}
	for _, m := range tmp.General() {
		form.AddError(field, m)
	}
	for _, fe := range tmp.FieldErrors() {
		switch {
		case fe.Field == "start":
			form.AddError("start", fe.Message)
		case strings.HasPrefix(fe.Field, "unit_ids"):
			form.AddError(field, web.Msg("web.plans.unit_refused"))
		default:
			form.AddError(field, fe.Message)
		}
	}
	return true
}

// runBulk sends a bulk enrolment or renewal and shows its preview or its
// result; a refusal comes back beside the form it came from.
func (a *area) runBulk(c *gin.Context, d planPageData, form *web.Form, kind string,
	send func(api *enrollmentapi.ClientWithResponses) (*enrollmentapi.BulkResult, error)) {
	api, err := a.Enrollment(c)
	var out *enrollmentapi.BulkResult
	if err == nil {
		out, err = send(api)
	}
	if err != nil {
		if bulkProblem(err, form, kind) {
			a.renderPlan(c, webkit.StatusOf(err), d, form, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	d.Result, d.Kind = bulkOutcomeOf(out), kind
	for _, name := range []string{"unit_id", "start", "from_plan_id"} {
		if v := form.Value(name); v != "" {
			d.Hidden = append(d.Hidden, webkit.HiddenField{Name: name, Value: v})
		}
	}
	for _, u := range d.Units {
		if u.ID == form.Value("unit_id") {
			d.UnitLabel = u.Label
		}
	}
	p := a.Page(c, "web.plans.plan")
	p.Form, p.Data = form, d
	a.Render(c, http.StatusOK, "plan_bulk", p)
}
