package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/roles"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

// previewRequest is a 测算: the benefits a grade would bring, from wages
// and the dated parameters in force on a day, for no case.
type previewRequest struct {
	// On chooses the parameters (the injury date; default today).
	On          string  `json:"on"`
	Grade       int     `json:"grade"`
	WagesFen    []int64 `json:"wages_fen"`
	JobArranged bool    `json:"job_arranged"`
	Nursing     string  `json:"nursing"`
}

// previewView is the answer: the parameters used and the four explained
// items. Nothing of it is stored.
type previewView struct {
	ParametersOn       string            `json:"parameters_on"`
	RegionalAverageFen int64             `json:"regional_average_fen"`
	MinimumWageFen     int64             `json:"minimum_wage_fen"`
	Assessment         domain.Assessment `json:"assessment"`
	Saved              bool              `json:"saved"`
}

// previewCalculation computes the benefits of a grade without a case:
// POST /calculations/preview. It reads the dated parameters and writes
// nothing (no row, no number, no audit of a write), so a caseworker can
// answer "how much would it be" before anything is filed.
func (h *Handler) previewCalculation(c *gin.Context) {
	who, ok := h.actor(c)
	if !ok {
		return
	}
	if !who.Has(roles.Caseworker, roles.UnitHead, roles.Approver, roles.Admin) {
		httpx.Respond(c, httpx.Forbidden())
		return
	}
	var req previewRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Respond(c, err)
		return
	}
	var fe fieldErrors
	on := fe.date("on", req.On)
	if req.On == "" {
		on = clock.Today(h.Clock)
	}
	if err := fe.err(); err != nil {
		httpx.Respond(c, err)
		return
	}
	in := domain.AssessInput{Grade: req.Grade, JobArranged: req.JobArranged, Nursing: domain.NursingLevel(req.Nursing)}
	if req.Nursing == "" {
		in.Nursing = domain.NursingNone
	}
	in.Wages = fens(req.WagesFen)
	in, a, err := h.assess(c.Request.Context(), in, on)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, previewView{ParametersOn: on.Format(time.DateOnly), RegionalAverageFen: int64(in.RegionalAverage),
		MinimumWageFen: int64(in.MinimumWage), Assessment: a})
}
