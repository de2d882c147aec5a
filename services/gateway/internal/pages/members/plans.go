package members

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	enrollmentapi "github.com/anxin-welfare/anxin/api/client/enrollment"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The insurance plans of the member registry (the plans, a plan, its bulk
// enrolments and renewals in api/openapi/enrollment.yaml): administrators
// list and create each year's plan of a scheme; administrators and
// caseworkers enrol a unit in a plan or renew last year's plan into it,
// each after the registry's dry run has said who will be enrolled and who
// skipped.

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
	DeathFen           int64
	DisabilityFen      []int64
	CriticalIllnessFen int64
}

// planEligibility is who a plan may enrol.
type planEligibility struct {
	Categories    []string
	FrontlineOnly bool
	AuxDuties     []string
	HighRiskOnly  bool
}

// insurancePlan is the registry's Plan.
type insurancePlan struct {
	ID          string
	Scheme      string
	Year        int
	Name        string
	Coverage    memberPeriod
	Eligibility planEligibility
	PremiumFen  int64
	Payer       string
	WaitingDays int
	Sums        planSums
	Version     int64
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

func planOf(p enrollmentapi.Plan) insurancePlan {
	out := insurancePlan{ID: p.Id.String(), Scheme: string(p.Scheme), Year: p.Year, Name: p.Name, Coverage: periodOf(&p.Coverage),
		PremiumFen: int64(p.PremiumFen), Payer: string(p.Payer), WaitingDays: p.WaitingDays, Version: int64(p.Version),
		Eligibility: planEligibility{Categories: []string{}, AuxDuties: []string{},
			FrontlineOnly: webkit.Deref(p.Eligibility.FrontlineOnly), HighRiskOnly: webkit.Deref(p.Eligibility.HighRiskOnly)},
		Sums: planSums{DeathFen: int64(webkit.Deref(p.SumsInsured.DeathFen)), CriticalIllnessFen: int64(webkit.Deref(p.SumsInsured.CriticalIllnessFen))}}
	for _, c := range webkit.Deref(p.Eligibility.Categories) {
		out.Eligibility.Categories = append(out.Eligibility.Categories, string(c))
	}
	for _, a := range webkit.Deref(p.Eligibility.AuxDuties) {
		out.Eligibility.AuxDuties = append(out.Eligibility.AuxDuties, string(a))
	}
	for _, f := range webkit.Deref(p.SumsInsured.DisabilityFen) {
		out.Sums.DisabilityFen = append(out.Sums.DisabilityFen, int64(f))
	}
	return out
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

func (a *area) registerPlanPages(g *gin.RouterGroup) {
	staff := a.RequireUser(domain.RoleAdmin, domain.RoleCaseworker)
	g.GET("/admin/plans", staff, a.plansPage)
	g.POST("/admin/plans", a.RequireUser(domain.RoleAdmin), a.createPlan)
	g.GET("/admin/plans/:id", staff, a.planPage)
	g.POST("/admin/plans/:id/bulk", staff, a.planBulk)
	g.POST("/admin/plans/:id/renew", staff, a.planRenew)
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

func (a *area) plansPage(c *gin.Context) {
	a.renderPlans(c, http.StatusOK, nil, webkit.FlashOf(c, map[string]string{"created": "web.plans.created"}))
}

// plans reads every plan of the registry, of year and scheme when given,
// in the registry's order.
func (a *area) plans(c *gin.Context, year *int, scheme *enrollmentapi.Scheme) ([]insurancePlan, error) {
	api, err := a.Enrollment(c)
	if err != nil {
		return nil, err
	}
	ps, err := webkit.All(func(after *string) ([]enrollmentapi.Plan, *string, error) {
		r, err := api.ListPlansWithResponse(c.Request.Context(), &enrollmentapi.ListPlansParams{Year: year, Scheme: scheme, After: after, Limit: maxLimit()})
		if err != nil {
			return nil, nil, err
		}
		if r.JSON200 == nil {
			return nil, nil, webkit.ErrUnexpected
		}
		return webkit.Deref(r.JSON200.Plans), r.JSON200.Next, nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]insurancePlan, 0, len(ps))
	for _, p := range ps {
		out = append(out, planOf(p))
	}
	return out, nil
}

// loadPlans lists the registry's plans, newest year first, filtered by
// year and scheme when given.
func (a *area) loadPlans(c *gin.Context, year, scheme string) ([]insurancePlan, error) {
	var y *int
	if n, err := strconv.Atoi(year); err == nil {
		y = &n
	}
	var s *enrollmentapi.Scheme
	if scheme != "" {
		sc := enrollmentapi.Scheme(scheme)
		s = &sc
	}
	plans, err := a.plans(c, y, s)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(plans, func(a, b insurancePlan) int {
		return cmp.Or(cmp.Compare(b.Year, a.Year), cmp.Compare(a.Scheme, b.Scheme), cmp.Compare(a.Name, b.Name))
	})
	return plans, nil
}

// renderPlans shows the plans and, to administrators, the form of a new
// one (a nil form is a fresh one for next year).
func (a *area) renderPlans(c *gin.Context, status int, form *web.Form, flash *web.Message) {
	d := plansData{Schemes: memberOptions("web.members.scheme.", planSchemes), Payers: memberOptions("web.plans.payer.", planPayers),
		CanCreate: a.User(c).Has(domain.RoleAdmin)}
	if y, err := strconv.Atoi(c.Query("year")); err == nil && y >= planYearsMin && y <= planYearsMax {
		d.Year = strconv.Itoa(y)
	}
	if s := c.Query("scheme"); slices.Contains(planSchemes, s) {
		d.Scheme = s
	}
	plans, err := a.loadPlans(c, d.Year, d.Scheme)
	if err != nil {
		a.ServiceFailed(c, err)
		return
	}
	d.Plans = plans
	if form == nil {
		next := clock.Today(a.Clock).Year() + 1
		form = web.NewForm().Set("year", strconv.Itoa(next)).Set("waiting_days", "0").
			Set("coverage_from", strconv.Itoa(next)+"-01-01").Set("coverage_to", strconv.Itoa(next)+"-12-31")
	}
	for _, cat := range memberCategories {
		d.Cats = append(d.Cats, planCheck{Name: "cat_" + cat, Label: "web.members.category." + cat, Checked: form.Value("cat_"+cat) != ""})
	}
	for _, aux := range planAuxDuty {
		d.Aux = append(d.Aux, planCheck{Name: "aux_" + aux, Label: "web.members.aux_duty." + aux, Checked: form.Value("aux_"+aux) != ""})
	}
	p := a.Page(c, "web.plans.title")
	p.Form, p.Flash, p.Data = form, flash, d
	a.Render(c, status, "plans", p)
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
	if !webkit.ProblemOnForm(err, tmp, nil) {
		return false
	}
	_, p, _ := webkit.Refusal(err)
	for _, m := range tmp.General() {
		if p.Code == "enrollment.duplicate_plan" {
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
func (a *area) createPlan(c *gin.Context) {
	form := webkit.PostedForm(c, append(planFormFields, planCheckNames()...)...)
	if !slices.Contains(planSchemes, form.Value("scheme")) {
		form.AddError("scheme", web.Msg("web.members.choose_one"))
	}
	year := webkit.FormInt(form, "year", planYearsMin, planYearsMax)
	if form.Value("name") == "" {
		form.AddError("name", web.Msg("field.required"))
	}
	checkDate(form, "coverage_from")
	checkDate(form, "coverage_to")
	premium := webkit.FormYuan(form, "premium", true).Int64()
	if !slices.Contains(planPayers, form.Value("payer")) {
		form.AddError("payer", web.Msg("web.members.choose_one"))
	}
	waiting := 0
	if form.Value("waiting_days") != "" {
		waiting = webkit.FormInt(form, "waiting_days", 0, 365)
	}
	death, critical := int(webkit.FormYuan(form, "death", false)), int(webkit.FormYuan(form, "critical_illness", false))
	disability := []int{}
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
			disability = append(disability, int(f.Int64()))
		}
	}
	frontline, highRisk := form.Value("frontline_only") != "", form.Value("high_risk_only") != ""
	cats, aux := []enrollmentapi.Category{}, []enrollmentapi.EligibilityAuxDuties{}
	for _, cat := range memberCategories {
		if form.Value("cat_"+cat) != "" {
			cats = append(cats, enrollmentapi.Category(cat))
		}
	}
	for _, d := range planAuxDuty {
		if form.Value("aux_"+d) != "" {
			aux = append(aux, enrollmentapi.EligibilityAuxDuties(d))
		}
	}
	if len(cats) == 0 {
		form.AddError("categories", web.Msg("web.plans.categories_required"))
	}
	if form.HasErrors() {
		a.renderPlans(c, http.StatusUnprocessableEntity, form, nil)
		return
	}
	from, to := formDate(form, "coverage_from"), formDate(form, "coverage_to")
	in := enrollmentapi.PlanInput{Scheme: enrollmentapi.Scheme(form.Value("scheme")), Year: year, Name: form.Value("name"),
		Coverage:    enrollmentapi.Period{From: &from, To: &to},
		Eligibility: enrollmentapi.Eligibility{Categories: &cats, AuxDuties: &aux, FrontlineOnly: &frontline, HighRiskOnly: &highRisk},
		PremiumFen:  int(premium), Payer: enrollmentapi.Payer(form.Value("payer")), WaitingDays: &waiting,
		SumsInsured: &enrollmentapi.SumsInsured{DeathFen: &death, CriticalIllnessFen: &critical, DisabilityFen: &disability}}
	api, err := a.Enrollment(c)
	var r *enrollmentapi.CreatePlanResponse
	if err == nil {
		r, err = api.CreatePlanWithResponse(c.Request.Context(), in)
	}
	if err == nil && r.JSON201 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		if planProblem(err, form) {
			a.renderPlans(c, webkit.StatusOf(err), form, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, planPath(r.JSON201.Id.String())+"?m=created")
}

// planPath is a plan's page.
func planPath(id string) string { return "/admin/plans/" + url.PathEscape(id) }
