package httpapi

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Benefit calculations of an injury case (injury.yaml: listCalculations,
// calculate): own wage, the one-time disability subsidy, the monthly
// allowance and the nursing fee, each explained line by line with the
// article it applies. Members and staff read them; caseworkers compute a
// new one from the wages of the months before the injury.

// maxWageMonths is the most months of wages the API takes.
const maxWageMonths = 12

// calcLine is one step of an explanation: a catalogue key of the injury
// service with its arguments, and the amount it comes to.
type calcLine struct {
	Code      string   `json:"code"`
	Args      []string `json:"args"`
	AmountFen int64    `json:"amount_fen"`
}

// Message is the line in the reader's language.
func (l calcLine) Message() web.Message {
	args := make([]any, 0, len(l.Args))
	for _, a := range l.Args {
		args = append(args, a)
	}
	return web.Msg(l.Code, args...)
}

// calcExplanation is one calculated item with its steps.
type calcExplanation struct {
	Item     string     `json:"item"`
	Lines    []calcLine `json:"lines"`
	TotalFen int64      `json:"total_fen"`
}

// injuryCalculation is one calculation of GET /cases/{id}/calculations.
type injuryCalculation struct {
	ID         int64 `json:"id"`
	Assessment struct {
		OwnWage   calcExplanation `json:"own_wage"`
		Subsidy   calcExplanation `json:"one_time_subsidy"`
		Allowance calcExplanation `json:"monthly_allowance"`
		Nursing   calcExplanation `json:"nursing_fee"`
	} `json:"assessment"`
	ComputedAt time.Time `json:"computed_at"`
}

// Items are the four explanations in the order the page shows them.
func (c injuryCalculation) Items() []calcExplanation {
	a := c.Assessment
	return []calcExplanation{a.OwnWage, a.Subsidy, a.Allowance, a.Nursing}
}

func (h *handlers) registerInjuryCalculations(g *gin.RouterGroup) {
	g.POST("/cases/:id/calculations", h.requireUser(domain.RoleCaseworker), h.injuryCalculate)
}

// injuryCalculations lists a case's calculations, newest first; a person
// the service does not show them to sees none.
func (h *handlers) injuryCalculations(c *gin.Context, id string) ([]injuryCalculation, error) {
	var out struct {
		Calculations []injuryCalculation `json:"calculations"`
	}
	_, err := h.call(c, http.MethodGet, "injury", injuryAPI+"/cases/"+url.PathEscape(id)+"/calculations", 0, nil, &out)
	return out.Calculations, err
}

// parseWages reads monthly wages in yuan separated by spaces, commas or
// new lines (as pasted from a payroll sheet).
func parseWages(s string) ([]int64, bool) {
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || r == ' ' || r == '\n' || r == '\r' || r == '\t'
	})
	out := make([]int64, 0, len(fields))
	for _, f := range fields {
		fen, err := money.Parse(f)
		if err != nil || fen < 0 {
			return nil, false
		}
		out = append(out, int64(fen))
	}
	return out, true
}

// injuryCalculate computes and saves a calculation from the form.
func (h *handlers) injuryCalculate(c *gin.Context) {
	form := web.NewForm()
	for _, f := range []string{"wages", "grade", "nursing", "job_arranged"} {
		form.Set(f, strings.TrimSpace(c.PostForm(f)))
	}
	body := map[string]any{"job_arranged": form.Value("job_arranged") != ""}
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
	if v := form.Value("grade"); v != "" {
		g, err := strconv.Atoi(v)
		if err != nil || g < 1 || g > 10 {
			form.AddError("grade", web.Msg("web.injury.calc.grade_range"))
		}
		body["grade"] = g
	}
	if v := form.Value("nursing"); v != "" {
		if !slices.ContainsFunc(nursingOptions, func(o web.Option) bool { return o.Value == v }) {
			form.AddError("nursing", web.Msg("field.invalid"))
		}
		body["nursing"] = v
	}
	if form.HasErrors() {
		h.renderInjuryCase(c, http.StatusUnprocessableEntity, "calculation", form, nil)
		return
	}
	id := url.PathEscape(c.Param("id"))
	if _, err := h.call(c, http.MethodPost, "injury", injuryAPI+"/cases/"+id+"/calculations", 0, body, nil); err != nil {
		if problemOnForm(err, form, map[string]string{"wages_fen": "wages"}) {
			h.renderInjuryCase(c, statusOf(err), "calculation", form, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/cases/"+id+"?m=calculated#calculations")
}
