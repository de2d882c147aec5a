package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/roles"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

// calculateRequest asks for the benefits of a graded case. Grade and nursing
// level default to the grading on the case; the regional average wage and
// minimum wage are the dated parameters in force on the injury date.
type calculateRequest struct {
	WagesFen    []int64 `json:"wages_fen"`
	JobArranged bool    `json:"job_arranged"`
	Grade       *int    `json:"grade"`
	Nursing     *string `json:"nursing"`
}

// calculationInputs are recorded with each calculation, so it can be
// explained and redone.
type calculationInputs struct {
	Grade              int       `json:"grade"`
	WagesFen           []int64   `json:"wages_fen"`
	JobArranged        bool      `json:"job_arranged"`
	Nursing            string    `json:"nursing"`
	ParametersOn       string    `json:"parameters_on"`
	RegionalAverageFen int64     `json:"regional_average_fen"`
	MinimumWageFen     int64     `json:"minimum_wage_fen"`
	At                 time.Time `json:"at"`
}

type calculationsView struct {
	Calculations []store.Calculation `json:"calculations"`
}

func (h *Handler) calculate(c *gin.Context) {
	who, ok := h.actor(c)
	if !ok {
		return
	}
	cs, _, ok := h.loadVisible(c, who, domain.AccessMember)
	if !ok {
		return
	}
	if cs.AccessFor(who) < domain.AccessStaff || !who.Has(roles.Caseworker) {
		httpx.Respond(c, httpx.Forbidden())
		return
	}
	var req calculateRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Respond(c, err)
		return
	}
	in := domain.AssessInput{Grade: cs.Grading.Grade, JobArranged: req.JobArranged, Nursing: cs.Grading.Nursing}
	if req.Grade != nil {
		in.Grade = *req.Grade
	}
	if req.Nursing != nil {
		in.Nursing = domain.NursingLevel(*req.Nursing)
	}
	in.Wages = fens(req.WagesFen)
	on := cs.InjuryDate()
	in, a, err := h.assess(c.Request.Context(), in, on)
	if err != nil {
		fail(c, err)
		return
	}
	inputs := calculationInputs{Grade: in.Grade, WagesFen: req.WagesFen, JobArranged: in.JobArranged, Nursing: string(in.Nursing),
		ParametersOn: on.Format(time.DateOnly), RegionalAverageFen: int64(in.RegionalAverage), MinimumWageFen: int64(in.MinimumWage),
		At: h.Clock.Now().UTC()}
	calc, err := h.commands().Calculate(c.Request.Context(), h.meta(c, who), cs.ID, inputs, a)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, calc)
}

// assess completes in with the dated parameters in force on the day on
// (the regional average wage, which must be set, and the minimum wage,
// when one is) and assesses it. It returns the input as assessed, so the
// caller can show or store the parameters used. The preview and the saved
// calculation both go through here, so a 测算 shows what saving would store.
func (h *Handler) assess(ctx context.Context, in domain.AssessInput, on time.Time) (domain.AssessInput, domain.Assessment, error) {
	ps, err := h.Store.Parameters(ctx)
	if err != nil {
		return in, domain.Assessment{}, err
	}
	avg, err := ps.At(domain.ParamRegionalAverageWage, on)
	if err != nil {
		return in, domain.Assessment{}, err
	}
	in.RegionalAverage = avg.Value
	in.MinimumWage = 0
	if minWage, err := ps.At(domain.ParamMinimumWage, on); err == nil {
		in.MinimumWage = minWage.Value
	}
	a, err := domain.Assess(in)
	return in, a, err
}

// fens turns the wages of a request into amounts.
func fens(ws []int64) []money.Fen {
	var out []money.Fen
	for _, w := range ws {
		out = append(out, money.Fen(w))
	}
	return out
}

// listCalculations shows the member and staff every calculation with its
// lines.
func (h *Handler) listCalculations(c *gin.Context) {
	who, ok := h.actor(c)
	if !ok {
		return
	}
	cs, _, ok := h.loadVisible(c, who, domain.AccessMember)
	if !ok {
		return
	}
	calcs, err := h.Store.Calculations(c.Request.Context(), cs.ID)
	if err != nil {
		fail(c, err)
		return
	}
	if err := h.Store.AuditRead(c.Request.Context(), h.meta(c, who), "calculations", cs.ID); err != nil {
		fail(c, err)
		return
	}
	if calcs == nil {
		calcs = []store.Calculation{}
	}
	c.JSON(http.StatusOK, calculationsView{Calculations: calcs})
}

type parameterView struct {
	Kind          string `json:"kind"`
	EffectiveFrom string `json:"effective_from"`
	ValueFen      int64  `json:"value_fen"`
}

type parametersView struct {
	Parameters []parameterView `json:"parameters"`
}

func (h *Handler) listParameters(c *gin.Context) {
	who, ok := h.actor(c)
	if !ok {
		return
	}
	if !who.Has(roles.Caseworker, roles.UnitHead, roles.Approver, roles.Admin) {
		httpx.Respond(c, httpx.Forbidden())
		return
	}
	ps, err := h.Store.Parameters(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	out := parametersView{Parameters: make([]parameterView, 0, len(ps))}
	for _, p := range ps {
		out.Parameters = append(out.Parameters, parameterView{Kind: string(p.Kind), EffectiveFrom: dateString(p.EffectiveFrom), ValueFen: int64(p.Value)})
	}
	c.JSON(http.StatusOK, out)
}

type setParameterRequest struct {
	ValueFen int64 `json:"value_fen"`
}

// setParameter records a dated parameter (admins only):
// PUT /parameters/:kind/:from {"value_fen": 712300}.
func (h *Handler) setParameter(c *gin.Context) {
	who, ok := h.actor(c)
	if !ok {
		return
	}
	if !who.Has(roles.Admin) {
		httpx.Respond(c, httpx.Forbidden())
		return
	}
	var req setParameterRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Respond(c, err)
		return
	}
	var fe fieldErrors
	kind := domain.ParamKind(c.Param("kind"))
	if !kind.Valid() {
		fe.add("kind", "injury.parameter_kind_invalid")
	}
	from := fe.date("effective_from", c.Param("from"))
	if req.ValueFen <= 0 {
		fe.add("value_fen", "injury.amount_not_positive")
	}
	if err := fe.err(); err != nil {
		httpx.Respond(c, err)
		return
	}
	p := domain.Parameter{Kind: kind, EffectiveFrom: from, Value: money.Fen(req.ValueFen)}
	if err := h.Store.SetParameter(c.Request.Context(), h.meta(c, who), p); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, parameterView{Kind: string(kind), EffectiveFrom: dateString(from), ValueFen: req.ValueFen})
}
