package httpapi

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The 测算 page (GET /calculators): a caseworker learns a statutory amount
// without filing anything. Injury benefits come from the injury service's
// POST /calculations/preview, the grants programmes' statutory amounts from
// the grants service's; both compute and save nothing, so the page is a GET
// form: no case, no application, no number drawn, no record.

// statutoryCalculators are the grants service's calculators with the facts
// each reads (its fields on the page).
var statutoryCalculators = []struct {
	Name   string
	Fields []string
}{
	{"police_lump_sum", []string{"event_date", "cause", "monthly_wage", "honours"}},
	{"martyr_grant", []string{"event_date"}},
	{"work_injury_death", []string{"event_date"}},
	{"auxiliary_police_martyr", []string{"event_date", "monthly_wage"}},
	{"disability_lump_sum", []string{"event_date", "g_grade", "monthly_wage"}},
}

var deathCauseOptions = []web.Option{
	{Value: "line_of_duty", Label: "web.grants.cause.line_of_duty"},
	{Value: "martyr", Label: "web.grants.cause.martyr"},
	{Value: "illness", Label: "web.grants.cause.illness"},
}

var honourNames = []string{"national_title", "provincial_title", "merit_first", "merit_second", "merit_third"}

// statutoryItem is one line of a grants breakdown.
type statutoryItem struct {
	Text        string `json:"text"`
	BasisText   string `json:"basis_text"`
	BasisAmount int64  `json:"basis_amount"`
	Num         int64  `json:"num"`
	Den         int64  `json:"den"`
	Amount      int64  `json:"amount"`
	Citation    string `json:"citation"`
}

// Factor is the multiplier of the line as people write it: "30", "40/12".
func (i statutoryItem) Factor() string {
	if i.Den == 1 {
		return strconv.FormatInt(i.Num, 10)
	}
	return strconv.FormatInt(i.Num, 10) + "/" + strconv.FormatInt(i.Den, 10)
}

type calculatorsData struct {
	Kind string // "injury" or "statutory": the form sent
	// Injury is the injury result, nil until computed.
	Injury *struct {
		ParametersOn       string           `json:"parameters_on"`
		RegionalAverageFen int64            `json:"regional_average_fen"`
		MinimumWageFen     int64            `json:"minimum_wage_fen"`
		Assessment         injuryAssessment `json:"assessment"`
	}
	NursingOptions []web.Option
	// Calculator is the statutory calculator chosen, Fields the facts it
	// reads; Statutory its result, nil until computed.
	Calculator  string
	Calculators []web.Option
	Fields      []string
	Causes      []web.Option
	Honours     []string
	Chosen      []string // honours ticked
	Statutory   *struct {
		Amount    int64 `json:"amount"`
		Breakdown struct {
			Items []statutoryItem `json:"items"`
		} `json:"breakdown"`
	}
}

// injuryAssessment is the four explained items of an injury calculation.
type injuryAssessment struct {
	OwnWage   calcExplanation `json:"own_wage"`
	Subsidy   calcExplanation `json:"one_time_subsidy"`
	Allowance calcExplanation `json:"monthly_allowance"`
	Nursing   calcExplanation `json:"nursing_fee"`
}

// Items are the explanations in the order the page shows them.
func (a injuryAssessment) Items() []calcExplanation {
	return []calcExplanation{a.OwnWage, a.Subsidy, a.Allowance, a.Nursing}
}

// Has says whether the chosen calculator reads a field.
func (d calculatorsData) Has(field string) bool { return slices.Contains(d.Fields, field) }

// Ticked says whether an honour was ticked.
func (d calculatorsData) Ticked(h string) bool { return slices.Contains(d.Chosen, h) }

func (h *handlers) registerCalculatorPages(g *gin.RouterGroup) {
	g.GET("/calculators", h.requireUser(domain.RoleCaseworker, domain.RoleApprover), h.calculatorsPage)
}

func (h *handlers) calculatorsPage(c *gin.Context) {
	d := calculatorsData{Kind: c.Query("kind"), NursingOptions: nursingOptions, Causes: deathCauseOptions, Honours: honourNames}
	for _, sc := range statutoryCalculators {
		d.Calculators = append(d.Calculators, web.Option{Value: sc.Name, Label: "web.programs.calculator." + sc.Name})
		if sc.Name == c.Query("calculator") {
			d.Calculator, d.Fields = sc.Name, sc.Fields
		}
	}
	form := web.NewForm()
	for _, f := range []string{"on", "grade", "wages", "nursing", "job_arranged", "calculator", "event_date", "cause", "monthly_wage", "g_grade"} {
		form.Set(f, strings.TrimSpace(c.Query(f)))
	}
	if form.Value("on") == "" {
		form.Set("on", clock.Today(h.Clock).Format("2006-01-02"))
	}
	if form.Value("nursing") == "" {
		form.Set("nursing", "none")
	}
	d.Chosen = c.QueryArray("honours")
	status := http.StatusOK
	switch {
	case d.Kind == "injury":
		status = h.previewInjury(c, form, &d)
	case d.Kind == "statutory" && d.Calculator != "" && c.Query("compute") != "":
		status = h.previewStatutory(c, form, &d)
	}
	if status == 0 {
		return // the service failed; the error page is drawn
	}
	p := h.page(c, "web.calc.title")
	p.Data, p.Form = d, form
	h.render(c, status, "calculators", p)
}

// previewInjury asks the injury service for the benefits of the form's
// grade and wages; 0 means the error page was drawn.
func (h *handlers) previewInjury(c *gin.Context, form *web.Form, d *calculatorsData) int {
	body := map[string]any{"on": form.Value("on"), "job_arranged": form.Value("job_arranged") != "", "nursing": form.Value("nursing")}
	switch wages, ok := parseWages(form.Value("wages")); {
	case !ok:
		form.AddError("wages", web.Msg("field.money"))
	case len(wages) == 0:
		form.AddError("wages", web.Msg("web.injury.calc.wages_required"))
	case len(wages) > maxWageMonths:
		form.AddError("wages", web.Msg("web.injury.calc.wages_too_many", maxWageMonths))
	default:
		body["wages_fen"] = wages
	}
	g, err := strconv.Atoi(form.Value("grade"))
	if err != nil || g < 1 || g > 10 {
		form.AddError("grade", web.Msg("web.injury.calc.grade_range"))
	}
	body["grade"] = g
	if form.HasErrors() {
		return http.StatusUnprocessableEntity
	}
	if _, err := h.call(c, http.MethodPost, "injury", injuryAPI+"/calculations/preview", 0, body, &d.Injury); err != nil {
		if problemOnForm(err, form, map[string]string{"wages_fen": "wages"}) {
			d.Injury = nil
			return http.StatusUnprocessableEntity
		}
		h.serviceFailed(c, err)
		return 0
	}
	return http.StatusOK
}

// previewStatutory asks the grants service for the chosen calculator's
// amount; 0 means the error page was drawn.
func (h *handlers) previewStatutory(c *gin.Context, form *web.Form, d *calculatorsData) int {
	body := map[string]any{"calculator": d.Calculator}
	if d.Has("event_date") {
		if v := form.Value("event_date"); v != "" {
			body["event_date"] = v
		}
	}
	if d.Has("cause") {
		body["cause"] = form.Value("cause")
	}
	if d.Has("monthly_wage") {
		fen, err := money.Parse(form.Value("monthly_wage"))
		if form.Value("monthly_wage") != "" && err != nil {
			form.AddError("monthly_wage", web.Msg("field.money"))
		}
		body["monthly_wage"] = int64(fen)
	}
	if d.Has("g_grade") {
		g, err := strconv.Atoi(form.Value("g_grade"))
		if err != nil {
			form.AddError("g_grade", web.Msg("web.injury.calc.grade_range"))
		}
		body["grade"] = g
	}
	if d.Has("honours") {
		hs := []string{}
		for _, x := range d.Chosen {
			if slices.Contains(honourNames, x) {
				hs = append(hs, x)
			}
		}
		body["honours"] = hs
	}
	if form.HasErrors() {
		return http.StatusUnprocessableEntity
	}
	if _, err := h.call(c, http.MethodPost, "grants", grantsAPI+"/calculations/preview", 0, body, &d.Statutory); err != nil {
		if problemOnForm(err, form, map[string]string{"grade": "g_grade"}) {
			d.Statutory = nil
			return http.StatusUnprocessableEntity
		}
		h.serviceFailed(c, err)
		return 0
	}
	return http.StatusOK
}
