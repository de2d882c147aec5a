package injury

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	injuryapi "github.com/anxin-welfare/anxin/api/client/injury"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Benefit calculations of an injury case (injury.yaml: listCalculations,
// calculate): own wage, the one-time disability subsidy, the monthly
// allowance and the nursing fee, each explained line by line with the
// article it applies. Members and staff read them; caseworkers compute a
// new one from the wages of the months before the injury.

// maxWageMonths is the most months of wages the API takes.
const maxWageMonths = 12

// calcExplanation is the web kit's, shared with the other area that shows
// the injury service's explanations.
type calcExplanation = webkit.CalcExplanation

// calculation is one calculation of the case, with its four explanations
// in the order the page shows them.
type calculation struct {
	ID         int64
	Items      []calcExplanation
	ComputedAt time.Time
}

func calculationOf(c injuryapi.Calculation) calculation {
	out := calculation{ID: int64(webkit.Deref(c.Id)), ComputedAt: webkit.Deref(c.ComputedAt)}
	as := webkit.Deref(c.Assessment)
	out.Items = []calcExplanation{webkit.InjuryExplanation(as.OwnWage), webkit.InjuryExplanation(as.OneTimeSubsidy),
		webkit.InjuryExplanation(as.MonthlyAllowance), webkit.InjuryExplanation(as.NursingFee)}
	return out
}

// calculations lists a case's calculations, newest first.
func (a *area) calculations(c *gin.Context, api *injuryapi.ClientWithResponses, id uuid.UUID) ([]calculation, error) {
	r, err := api.ListCalculationsWithResponse(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	if r.JSON200 == nil {
		return nil, webkit.ErrUnexpected
	}
	out := make([]calculation, 0, len(r.JSON200.Calculations))
	for _, x := range r.JSON200.Calculations {
		out = append(out, calculationOf(x))
	}
	return out, nil
}

// parseWages reads monthly wages in yuan separated by spaces, commas or
// new lines (as pasted from a payroll sheet).
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

// calculate computes and saves a calculation from the form.
func (a *area) calculate(c *gin.Context) {
	form := webkit.PostedForm(c, "wages", "grade", "nursing", "job_arranged")
	jobArranged := form.Value("job_arranged") != ""
	body := injuryapi.CalculateJSONRequestBody{JobArranged: &jobArranged}
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
	if v := form.Value("grade"); v != "" {
		g, err := strconv.Atoi(v)
		if err != nil || g < 1 || g > 10 {
			form.AddError("grade", web.Msg("web.injury.calc.grade_range"))
		}
		body.Grade = &g
	}
	if v := form.Value("nursing"); v != "" {
		if !slices.ContainsFunc(nursingOptions, func(o web.Option) bool { return o.Value == v }) {
			form.AddError("nursing", web.Msg("field.invalid"))
		}
		n := injuryapi.Nursing(v)
		body.Nursing = &n
	}
	if form.HasErrors() {
		a.renderCase(c, http.StatusUnprocessableEntity, "calculation", form, nil)
		return
	}
	id, ok := a.PathID(c, "id")
	if !ok {
		return
	}
	api, err := a.Injury(c)
	if err == nil {
		//nolint:bodyclose // webkit.Done drains and closes it
		err = webkit.Done(api.Calculate(c.Request.Context(), id, body))
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, map[string]string{"wages_fen": "wages"}) {
			a.renderCase(c, webkit.StatusOf(err), "calculation", form, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/cases/"+url.PathEscape(id.String())+"?m=calculated#calculations")
}
