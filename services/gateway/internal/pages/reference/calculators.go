package reference

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	openapi_types "github.com/oapi-codegen/runtime/types"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	injuryapi "github.com/anxin-welfare/anxin/api/client/injury"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
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

// nursingOptions are the degrees of nursing an injury assessment knows.
var nursingOptions = []web.Option{
	{Value: "none", Label: "web.injury.nursing.none"},
	{Value: "partial", Label: "web.injury.nursing.partial"},
	{Value: "most", Label: "web.injury.nursing.most"},
	{Value: "total", Label: "web.injury.nursing.total"},
}

var honourNames = []string{"national_title", "provincial_title", "merit_first", "merit_second", "merit_third"}

// maxWageMonths is the most monthly wages an injury calculation averages.
const maxWageMonths = 12

// statutoryItem is one line of a grants breakdown.
type statutoryItem struct {
	Text, BasisText, Citation string
	BasisAmount, Num, Den     int64
	Amount                    int64
}

// Factor is the multiplier of the line as people write it: "30", "40/12".
func (i statutoryItem) Factor() string {
	if i.Den == 1 {
		return strconv.FormatInt(i.Num, 10)
	}
	return strconv.FormatInt(i.Num, 10) + "/" + strconv.FormatInt(i.Den, 10)
}

// statutoryResult is a grants calculator's amount and its lines.
type statutoryResult struct {
	Amount    int64
	Breakdown struct{ Items []statutoryItem }
}

// calcExplanation is the web kit's, shared with the other area that shows
// the injury service's explanations.
type calcExplanation = webkit.CalcExplanation

// injuryAssessment is the four explained items of an injury calculation,
// in the order the page shows them.
type injuryAssessment struct{ items []calcExplanation }

// Items are the explanations in the order the page shows them.
func (a injuryAssessment) Items() []calcExplanation { return a.items }

// injuryResult is the injury service's preview as the page shows it.
type injuryResult struct {
	ParametersOn                       string
	RegionalAverageFen, MinimumWageFen int64
	Assessment                         injuryAssessment
}

type calculatorsData struct {
	Kind string // "injury" or "statutory": the form sent
	// Injury is the injury result, nil until computed.
	Injury         *injuryResult
	NursingOptions []web.Option
	// Calculator is the statutory calculator chosen, Fields the facts it
	// reads; Statutory its result, nil until computed.
	Calculator  string
	Calculators []web.Option
	Fields      []string
	Causes      []web.Option
	Honours     []string
	Chosen      []string // honours ticked
	Statutory   *statutoryResult
}

// Has says whether the chosen calculator reads a field.
func (d calculatorsData) Has(field string) bool { return slices.Contains(d.Fields, field) }

// Ticked says whether an honour was ticked.
func (d calculatorsData) Ticked(h string) bool { return slices.Contains(d.Chosen, h) }

func (a *area) registerCalculatorPages(g *gin.RouterGroup) {
	g.GET("/calculators", a.RequireUser(domain.RoleCaseworker, domain.RoleApprover), a.calculatorsPage)
}

func (a *area) calculatorsPage(c *gin.Context) {
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
		form.Set("on", clock.Today(a.Clock).Format(time.DateOnly))
	}
	if form.Value("nursing") == "" {
		form.Set("nursing", "none")
	}
	d.Chosen = c.QueryArray("honours")
	status := http.StatusOK
	switch {
	case d.Kind == "injury":
		status = a.previewInjury(c, form, &d)
	case d.Kind == "statutory" && d.Calculator != "" && c.Query("compute") != "":
		status = a.previewStatutory(c, form, &d)
	}
	if status == 0 {
		return // the service failed; the error page is drawn
	}
	p := a.Page(c, "web.calc.title")
	p.Data, p.Form = d, form
	a.Render(c, status, "calculators", p)
}

// typedDate is the form's date field as the generated clients take it; a
// value that is no date (YYYY-MM-DD) is the field's error.
func typedDate(form *web.Form, name string) *openapi_types.Date {
	t, err := time.Parse(time.DateOnly, form.Value(name))
	if err != nil {
		form.AddError(name, web.Msg("field.date"))
		return nil
	}
	return &openapi_types.Date{Time: t}
}

// previewInjury asks the injury service for the benefits of the form's
// grade and wages; 0 means the error page was drawn.
func (a *area) previewInjury(c *gin.Context, form *web.Form, d *calculatorsData) int {
	jobArranged := form.Value("job_arranged") != ""
	nursing := injuryapi.PreviewCalculationJSONBodyNursing(form.Value("nursing"))
	body := injuryapi.PreviewCalculationJSONRequestBody{On: typedDate(form, "on"), JobArranged: &jobArranged, Nursing: &nursing, WagesFen: []int{}}
	switch wages, ok := parseWages(form.Value("wages")); {
	case !ok:
		form.AddError("wages", web.Msg("field.money"))
	case len(wages) == 0:
		form.AddError("wages", web.Msg("web.injury.calc.wages_required"))
	case len(wages) > maxWageMonths:
		form.AddError("wages", web.Msg("web.injury.calc.wages_too_many", maxWageMonths))
	default:
		body.WagesFen = wages
	}
	g, err := strconv.Atoi(form.Value("grade"))
	if err != nil || g < 1 || g > 10 {
		form.AddError("grade", web.Msg("web.injury.calc.grade_range"))
	}
	body.Grade = g
	if form.HasErrors() {
		return http.StatusUnprocessableEntity
	}
	api, err := a.Injury(c)
	var r *injuryapi.PreviewCalculationResponse
	if err == nil {
		r, err = api.PreviewCalculationWithResponse(c.Request.Context(), body)
	}
	if err == nil && r.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, map[string]string{"wages_fen": "wages"}) {
			return http.StatusUnprocessableEntity
		}
		a.ServiceFailed(c, err)
		return 0
	}
	res := r.JSON200
	as := res.Assessment
	d.Injury = &injuryResult{ParametersOn: res.ParametersOn.String(), RegionalAverageFen: int64(res.RegionalAverageFen), MinimumWageFen: int64(res.MinimumWageFen),
		Assessment: injuryAssessment{items: []calcExplanation{webkit.InjuryExplanation(as.OwnWage), webkit.InjuryExplanation(as.OneTimeSubsidy), webkit.InjuryExplanation(as.MonthlyAllowance), webkit.InjuryExplanation(as.NursingFee)}}}
	return http.StatusOK
}

// parseWages reads the monthly wages typed in yuan, separated by commas,
// spaces or new lines, as fen; ok is false when one is no amount.
func parseWages(s string) ([]int, bool) {
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || r == ' ' || r == '\n' || r == '\r' || r == '\t'
	})
	out := make([]int, 0, len(fields))
	for _, f := range fields {
		fen, err := money.Parse(f)
		if err != nil || fen < 0 {
			return nil, false
		}
		out = append(out, int(fen))
	}
	return out, true
}

// previewStatutory asks the grants service for the chosen calculator's
// amount; 0 means the error page was drawn.
func (a *area) previewStatutory(c *gin.Context, form *web.Form, d *calculatorsData) int {
	body := grantsapi.PreviewCalculationJSONRequestBody{Calculator: grantsapi.PreviewCalculationJSONBodyCalculator(d.Calculator)}
	if d.Has("event_date") && form.Value("event_date") != "" {
		body.EventDate = typedDate(form, "event_date")
	}
	if d.Has("cause") {
		cause := grantsapi.PreviewCalculationJSONBodyCause(form.Value("cause"))
		body.Cause = &cause
	}
	if d.Has("monthly_wage") {
		fen, err := money.Parse(form.Value("monthly_wage"))
		if form.Value("monthly_wage") != "" && err != nil {
			form.AddError("monthly_wage", web.Msg("field.money"))
		}
		w := int(fen)
		body.MonthlyWage = &w
	}
	if d.Has("g_grade") {
		g, err := strconv.Atoi(form.Value("g_grade"))
		if err != nil {
			form.AddError("g_grade", web.Msg("web.injury.calc.grade_range"))
		}
		body.Grade = &g
	}
	if d.Has("honours") {
		hs := []grantsapi.PreviewCalculationJSONBodyHonours{}
		for _, x := range d.Chosen {
			if slices.Contains(honourNames, x) {
				hs = append(hs, grantsapi.PreviewCalculationJSONBodyHonours(x))
			}
		}
		body.Honours = &hs
	}
	if form.HasErrors() {
		return http.StatusUnprocessableEntity
	}
	api, err := a.Grants(c)
	var r *grantsapi.PreviewCalculationResponse
	if err == nil {
		r, err = api.PreviewCalculationWithResponse(c.Request.Context(), body)
	}
	if err == nil && r.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, map[string]string{"grade": "g_grade"}) {
			return http.StatusUnprocessableEntity
		}
		a.ServiceFailed(c, err)
		return 0
	}
	res := &statutoryResult{Amount: int64(r.JSON200.Amount)}
	for _, it := range webkit.Deref(r.JSON200.Breakdown.Items) {
		res.Breakdown.Items = append(res.Breakdown.Items, statutoryItem{Text: webkit.Deref(it.Text), BasisText: webkit.Deref(it.BasisText), Citation: webkit.Deref(it.Citation),
			BasisAmount: int64(webkit.Deref(it.BasisAmount)), Num: int64(webkit.Deref(it.Num)), Den: int64(webkit.Deref(it.Den)), Amount: int64(webkit.Deref(it.Amount))})
	}
	d.Statutory = res
	return http.StatusOK
}
