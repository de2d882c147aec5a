package httpapi

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The insurance plans of the member registry (GET/POST /plans, GET
// /plans/{id}, POST /plans/{id}/bulk-enrollments and /renewals of
// api/openapi/enrollment.yaml): administrators list and create each
// year's plan of a scheme; administrators and caseworkers enrol a unit in
// a plan or renew last year's plan into it, each after the registry's dry
// run has said who will be enrolled and who skipped.

var (
	planSchemes = []string{"work_injury", "personal_accident", "critical_illness", "supplementary_medical"}
	planPayers  = []string{"unit", "member", "county_finance", "central_finance"}
	planAuxDuty = []string{"duty", "civilian"}
)

// The years a plan may be of (the registry's range).
const (
	planYearsMin = 2000
	planYearsMax = 2100
)

// planSums is the registry's SumsInsured.
type planSums struct {
	DeathFen           int64   `json:"death_fen"`
	DisabilityFen      []int64 `json:"disability_fen"`
	CriticalIllnessFen int64   `json:"critical_illness_fen"`
}

// planEligibility is who a plan may enrol.
type planEligibility struct {
	Categories    []string `json:"categories"`
	FrontlineOnly bool     `json:"frontline_only"`
	AuxDuties     []string `json:"aux_duties"`
	HighRiskOnly  bool     `json:"high_risk_only"`
}

// insurancePlan is the registry's Plan.
type insurancePlan struct {
	ID          string          `json:"id"`
	Scheme      string          `json:"scheme"`
	Year        int             `json:"year"`
	Name        string          `json:"name"`
	Coverage    memberPeriod    `json:"coverage"`
	Eligibility planEligibility `json:"eligibility"`
	PremiumFen  int64           `json:"premium_fen"`
	Payer       string          `json:"payer"`
	WaitingDays int             `json:"waiting_days"`
	Sums        planSums        `json:"sums_insured"`
	Version     int64           `json:"version"`
}

// DisabilityYuan is the disability sums of grades 1 to 10, in yuan, up
// to the last grade that pays.
func (p insurancePlan) DisabilityYuan() string {
	sums := p.Sums.DisabilityFen
	for len(sums) > 0 && sums[len(sums)-1] == 0 {
		sums = sums[:len(sums)-1]
	}
	parts := make([]string, 0, len(sums))
	for _, f := range sums {
		parts = append(parts, money.Fen(f).String())
	}
	return strings.Join(parts, " / ")
}

// bulkOutcome is the registry's BulkResult.
type bulkOutcome struct {
	PlanID   string             `json:"plan_id"`
	DryRun   bool               `json:"dry_run"`
	Enrolled []memberEnrollment `json:"enrolled"`
	Skipped  []struct {
		MemberID string `json:"member_id"`
		Code     string `json:"code"`
		Message  string `json:"message"`
	} `json:"skipped"`
}

type plansData struct {
	Plans     []insurancePlan
	Year      string
	Scheme    string
	Schemes   []web.Option
	Payers    []web.Option
	Cats      []planCheck
	Aux       []planCheck
	CanCreate bool
}

// planCheck is one checkbox of the plan form.
type planCheck struct {
	Name    string
	Label   string
	Checked bool
}

func (h *handlers) registerPlanPages(g *gin.RouterGroup) {
	staff := h.requireUser(domain.RoleAdmin, domain.RoleCaseworker)
	g.GET("/admin/plans", staff, h.plansPage)
	g.POST("/admin/plans", h.requireUser(domain.RoleAdmin), h.createPlan)
	g.GET("/admin/plans/:id", staff, h.planPage)
	g.POST("/admin/plans/:id/bulk", staff, h.planBulk)
	g.POST("/admin/plans/:id/renew", staff, h.planRenew)
}

// planFormFields are the plan form's fields besides its checkboxes.
var planFormFields = []string{"scheme", "year", "name", "coverage_from", "coverage_to", "premium", "payer", "waiting_days",
	"death", "critical_illness", "disability"}

// planCheckNames are the plan form's checkboxes: categories, aux duties, post limits.
func planCheckNames() []string {
	out := []string{"frontline_only", "high_risk_only"}
	for _, c := range memberCategories {
		out = append(out, "cat_"+c)
	}
	for _, a := range planAuxDuty {
		out = append(out, "aux_"+a)
	}
	return out
}

func (h *handlers) plansPage(c *gin.Context) {
	h.renderPlans(c, http.StatusOK, nil, flashOf(c, map[string]string{"created": "web.plans.created"}))
}

// loadPlans lists the registry's plans, newest year first, filtered by
// year and scheme when given.
func (h *handlers) loadPlans(c *gin.Context, year, scheme string) ([]insurancePlan, error) {
	q := url.Values{}
	if year != "" {
		q.Set("year", year)
	}
	if scheme != "" {
		q.Set("scheme", scheme)
	}
	var list struct {
		Plans []insurancePlan `json:"plans"`
	}
	p := enrollmentAPI + "/plans"
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	if err := listInto(h, c, "enrollment", p, "plans", &list.Plans); err != nil {
		return nil, err
	}
	slices.SortStableFunc(list.Plans, func(a, b insurancePlan) int {
		return cmp.Or(cmp.Compare(b.Year, a.Year), cmp.Compare(a.Scheme, b.Scheme), cmp.Compare(a.Name, b.Name))
	})
	return list.Plans, nil
}

// renderPlans shows the plans and, to administrators, the form of a new
// one (a nil form is a fresh one for next year).
func (h *handlers) renderPlans(c *gin.Context, status int, form *web.Form, flash *web.Message) {
	d := plansData{Schemes: memberOptions("web.members.scheme.", planSchemes), Payers: memberOptions("web.plans.payer.", planPayers),
		CanCreate: currentUser(c).Has(domain.RoleAdmin)}
	if y, err := strconv.Atoi(c.Query("year")); err == nil && y >= planYearsMin && y <= planYearsMax {
		d.Year = strconv.Itoa(y)
	}
	if s := c.Query("scheme"); slices.Contains(planSchemes, s) {
		d.Scheme = s
	}
	plans, err := h.loadPlans(c, d.Year, d.Scheme)
	if err != nil {
		h.serviceFailed(c, err)
		return
	}
	d.Plans = plans
	if form == nil {
		next := clock.Today(h.Clock).Year() + 1
		form = web.NewForm().Set("year", strconv.Itoa(next)).Set("waiting_days", "0").
			Set("coverage_from", strconv.Itoa(next)+"-01-01").Set("coverage_to", strconv.Itoa(next)+"-12-31")
	}
	for _, cat := range memberCategories {
		d.Cats = append(d.Cats, planCheck{Name: "cat_" + cat, Label: "web.members.category." + cat, Checked: form.Value("cat_"+cat) != ""})
	}
	for _, a := range planAuxDuty {
		d.Aux = append(d.Aux, planCheck{Name: "aux_" + a, Label: "web.members.aux_duty." + a, Checked: form.Value("aux_"+a) != ""})
	}
	p := h.page(c, "web.plans.title")
	p.Form, p.Flash, p.Data = form, flash, d
	h.render(c, status, "plans", p)
}

// planYuan reads an amount in yuan into fen; empty is zero unless required.
func planYuan(form *web.Form, name string, required bool) int64 {
	v := form.Value(name)
	if v == "" {
		if required {
			form.AddError(name, web.Msg("field.required"))
		}
		return 0
	}
	f, err := money.Parse(v)
	if err != nil || f < 0 {
		form.AddError(name, web.Msg("field.money"))
		return 0
	}
	return f.Int64()
}

// planFieldOf is the form field of a field the registry named.
func planFieldOf(name string) string {
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i]
	}
	switch name {
	case "coverage.from":
		return "coverage_from"
	case "coverage.to", "coverage":
		return "coverage_to"
	case "premium", "premium_fen":
		return "premium"
	case "sums.death", "sums_insured.death_fen":
		return "death"
	case "sums.critical_illness", "sums_insured.critical_illness_fen":
		return "critical_illness"
	case "sums.disability", "sums_insured.disability_fen":
		return "disability"
	case "eligibility.categories":
		return "categories"
	case "eligibility.aux_duties":
		return "aux_duties"
	case "eligibility.high_risk_only":
		return "high_risk_only"
	case "eligibility.frontline_only":
		return "frontline_only"
	}
	if slices.Contains(planFormFields, name) {
		return name
	}
	return ""
}

// planProblem puts the registry's refusal of a plan beside the form's
// fields; a plan of the scheme and year that exists already is said beside
// the year.
func planProblem(err error, form *web.Form) bool {
	tmp := web.NewForm()
	if !problemOnForm(err, tmp, nil) {
		return false
	}
	var ae *APIError
	for _, m := range tmp.General() {
		if errors.As(err, &ae) && ae.Problem.Code == "enrollment.duplicate_plan" {
			form.AddError("year", m)
		} else {
			form.AddError("", m)
		}
	}
	for _, fe := range tmp.FieldErrors() {
		if fe.Field != "" {
			form.AddError(planFieldOf(fe.Field), fe.Message)
		}
	}
	return true
}

// createPlan creates a plan of a scheme and year; amounts are typed in
// yuan and sent in fen.
func (h *handlers) createPlan(c *gin.Context) {
	form := postedForm(c, append(planFormFields, planCheckNames()...)...)
	if !slices.Contains(planSchemes, form.Value("scheme")) {
		form.AddError("scheme", web.Msg("web.members.choose_one"))
	}
	year := formInt(form, "year", planYearsMin, planYearsMax)
	if form.Value("name") == "" {
		form.AddError("name", web.Msg("field.required"))
	}
	checkDate(form, "coverage_from")
	checkDate(form, "coverage_to")
	premium := planYuan(form, "premium", true)
	if !slices.Contains(planPayers, form.Value("payer")) {
		form.AddError("payer", web.Msg("web.members.choose_one"))
	}
	waiting := 0
	if form.Value("waiting_days") != "" {
		waiting = formInt(form, "waiting_days", 0, 365)
	}
	sums := planSums{DeathFen: planYuan(form, "death", false), CriticalIllnessFen: planYuan(form, "critical_illness", false), DisabilityFen: []int64{}}
	if v := form.Value("disability"); v != "" {
		parts := strings.FieldsFunc(v, func(r rune) bool { return r == '/' || r == ';' || r == '；' || r == ' ' || r == '、' })
		if len(parts) > 10 {
			form.AddError("disability", web.Msg("web.plans.disability_too_many"))
		}
		for _, s := range parts {
			f, err := money.Parse(s)
			if err != nil || f < 0 {
				form.AddError("disability", web.Msg("field.money"))
				break
			}
			sums.DisabilityFen = append(sums.DisabilityFen, f.Int64())
		}
	}
	el := planEligibility{Categories: []string{}, AuxDuties: []string{}, FrontlineOnly: form.Value("frontline_only") != "", HighRiskOnly: form.Value("high_risk_only") != ""}
	for _, cat := range memberCategories {
		if form.Value("cat_"+cat) != "" {
			el.Categories = append(el.Categories, cat)
		}
	}
	for _, a := range planAuxDuty {
		if form.Value("aux_"+a) != "" {
			el.AuxDuties = append(el.AuxDuties, a)
		}
	}
	if len(el.Categories) == 0 {
		form.AddError("categories", web.Msg("web.plans.categories_required"))
	}
	if form.HasErrors() {
		h.renderPlans(c, http.StatusUnprocessableEntity, form, nil)
		return
	}
	body := map[string]any{"scheme": form.Value("scheme"), "year": year, "name": form.Value("name"),
		"coverage":    map[string]string{"from": form.Value("coverage_from"), "to": form.Value("coverage_to")},
		"eligibility": el, "premium_fen": premium, "payer": form.Value("payer"), "waiting_days": waiting, "sums_insured": sums}
	var created insurancePlan
	if _, err := h.call(c, http.MethodPost, "enrollment", enrollmentAPI+"/plans", 0, body, &created); err != nil {
		if planProblem(err, form) {
			h.renderPlans(c, statusOf(err), form, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, planPath(created.ID)+"?m=created")
}

// planPath is a plan's page.
func planPath(id string) string { return "/admin/plans/" + url.PathEscape(id) }

// planPageData is one plan: its terms, and the forms that enrol a unit and
// renew an earlier plan into it.
type planPageData struct {
	Plan      insurancePlan
	Units     []unitChoice
	Previous  []insurancePlan // earlier plans of the scheme to renew from
	Open      string
	Result    *bulkOutcome // a preview (DryRun) or what was done
	Kind      string       // "bulk" or "renew", of Result
	Hidden    []hiddenField
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

func (h *handlers) planPage(c *gin.Context) {
	d, ok := h.loadPlanPage(c)
	if !ok {
		return
	}
	form := web.NewForm().Set("start", h.defaultStart(d.Plan))
	h.renderPlan(c, http.StatusOK, d, form, flashOf(c, map[string]string{"created": "web.plans.created"}))
}

// defaultStart is the first day a bulk enrolment offers: the plan's first
// day, or today when the plan has begun.
func (h *handlers) defaultStart(p insurancePlan) string {
	today := clock.Today(h.Clock).Format(time.DateOnly)
	if p.Coverage.From < today && today <= p.Coverage.To {
		return today
	}
	return p.Coverage.From
}

// loadPlanPage reads the plan of the path, the units and the earlier plans
// of its scheme, or shows why it cannot.
func (h *handlers) loadPlanPage(c *gin.Context) (planPageData, bool) {
	var d planPageData
	if _, err := h.call(c, http.MethodGet, "enrollment", enrollmentAPI+"/plans/"+url.PathEscape(c.Param("id")), 0, nil, &d.Plan); err != nil {
		h.serviceFailed(c, err)
		return d, false
	}
	var units struct {
		Units []unitJSON `json:"units"`
	}
	if err := listInto(h, c, "enrollment", enrollmentAPI+"/units", "units", &units.Units); err != nil {
		h.serviceFailed(c, err)
		return d, false
	}
	// The registry enrols only in the units the user manages; with none
	// known every unit is offered and the registry decides.
	var mine []string
	if u := currentUser(c); u != nil {
		mine = u.Units
	}
	d.Units = memberUnitChoices(units.Units, mine, "")
	slices.SortStableFunc(d.Units, func(a, b unitChoice) int { return cmp.Compare(a.Label, b.Label) })
	plans, err := h.loadPlans(c, "", d.Plan.Scheme)
	if err != nil {
		h.serviceFailed(c, err)
		return d, false
	}
	for _, p := range plans {
		if p.Scheme == d.Plan.Scheme && p.Year < d.Plan.Year {
			d.Previous = append(d.Previous, p)
		}
	}
	return d, true
}

func (h *handlers) renderPlan(c *gin.Context, status int, d planPageData, form *web.Form, flash *web.Message) {
	if form.Value("from_plan_id") == "" {
		for _, p := range d.Previous {
			if p.Year == d.Plan.Year-1 {
				form.Set("from_plan_id", p.ID)
				break
			}
		}
	}
	p := h.page(c, "web.plans.plan")
	p.Form, p.Flash, p.Data = form, flash, d
	h.render(c, status, "plan", p)
}

// planBulk enrols every eligible active member of a unit (and the units
// below) in the plan: first the registry's dry run, shown with a button to
// enrol; then, confirmed, the enrolment and its summary.
func (h *handlers) planBulk(c *gin.Context) {
	d, ok := h.loadPlanPage(c)
	if !ok {
		return
	}
	form := postedForm(c, "unit_id", "start")
	if !slices.ContainsFunc(d.Units, func(u unitChoice) bool { return u.ID == form.Value("unit_id") }) {
		form.AddError("unit_id", web.Msg("web.members.choose_one"))
	}
	checkDate(form, "start")
	d.Open = "bulk"
	if form.HasErrors() {
		h.renderPlan(c, http.StatusUnprocessableEntity, d, form, nil)
		return
	}
	body := map[string]any{"unit_ids": []string{form.Value("unit_id")}, "start": form.Value("start"), "dry_run": c.PostForm("confirm") == ""}
	h.runBulk(c, d, form, "bulk", enrollmentAPI+"/plans/"+url.PathEscape(d.Plan.ID)+"/bulk-enrollments", body)
}

// planRenew enrols in this plan everyone enrolled to the end of an earlier
// plan of the scheme (last year's, unless another is chosen) and still
// eligible: the dry run first, then, confirmed, the renewal.
func (h *handlers) planRenew(c *gin.Context) {
	d, ok := h.loadPlanPage(c)
	if !ok {
		return
	}
	form := postedForm(c, "from_plan_id")
	i := slices.IndexFunc(d.Previous, func(p insurancePlan) bool { return p.ID == form.Value("from_plan_id") })
	d.Open = "renew"
	if i < 0 {
		form.AddError("from_plan_id", web.Msg("web.members.choose_one"))
		h.renderPlan(c, http.StatusUnprocessableEntity, d, form, nil)
		return
	}
	from := d.Previous[i]
	d.FromPlan = &from
	body := map[string]any{"next_plan_id": d.Plan.ID, "dry_run": c.PostForm("confirm") == ""}
	h.runBulk(c, d, form, "renew", enrollmentAPI+"/plans/"+url.PathEscape(from.ID)+"/renewals", body)
}

// bulkProblem puts the registry's refusal of a bulk enrolment or renewal
// beside the form's field: the start beside the start, anything else
// beside the unit (or the plan renewed from). A unit the registry does not
// know or the user does not manage is said in the page's own words.
func bulkProblem(err error, form *web.Form, kind string) bool {
	tmp := web.NewForm()
	if !problemOnForm(err, tmp, nil) {
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
func (h *handlers) runBulk(c *gin.Context, d planPageData, form *web.Form, kind, path string, body map[string]any) {
	var out bulkOutcome
	if _, err := h.call(c, http.MethodPost, "enrollment", path, 0, body, &out); err != nil {
		if bulkProblem(err, form, kind) {
			h.renderPlan(c, statusOf(err), d, form, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	d.Result, d.Kind = &out, kind
	for _, name := range []string{"unit_id", "start", "from_plan_id"} {
		if v := form.Value(name); v != "" {
			d.Hidden = append(d.Hidden, hiddenField{Name: name, Value: v})
		}
	}
	for _, u := range d.Units {
		if u.ID == form.Value("unit_id") {
			d.UnitLabel = u.Label
		}
	}
	p := h.page(c, "web.plans.plan")
	p.Form, p.Data = form, d
	h.render(c, http.StatusOK, "plan_bulk", p)
}
