package httpapi

import (
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
	"github.com/anxin-welfare/anxin/services/leave/internal/store"
)

// statusOf is the one mapper from domain rule codes to HTTP statuses: 409
// for a conflict with the current state (try again later or differently),
// 403 for a separation-of-duties refusal, 422 for a request that can never
// succeed as sent.
var statusOf = map[string]int{
	"leave.calendar_missing":                   http.StatusUnprocessableEntity,
	"leave.date_out_of_year":                   http.StatusUnprocessableEntity,
	"leave.request_spans_years":                http.StatusUnprocessableEntity,
	"leave.no_working_days":                    http.StatusUnprocessableEntity,
	"leave.balance_exceeded":                   http.StatusConflict,
	"leave.overlap":                            http.StatusConflict,
	"leave.overlap_injury_leave":               http.StatusConflict,
	"leave.invalid_transition":                 http.StatusConflict,
	"leave.self_approval":                      http.StatusForbidden,
	"leave.same_approver":                      http.StatusForbidden,
	"leave.already_started":                    http.StatusConflict,
	"leave.member_inactive":                    http.StatusUnprocessableEntity,
	"leave.carry_over_exceeded":                http.StatusUnprocessableEntity,
	"leave.rollover_year":                      http.StatusConflict,
	"leave.pay_missing":                        http.StatusUnprocessableEntity,
	"leave.recuperation.session_full":          http.StatusConflict,
	"leave.recuperation.session_closed":        http.StatusConflict,
	"leave.recuperation.quota_exhausted":       http.StatusConflict,
	"leave.recuperation.already_booked":        http.StatusConflict,
	"leave.recuperation.invalid_transition":    http.StatusConflict,
	"leave.recuperation.capacity_below_booked": http.StatusUnprocessableEntity,
	"leave.healthcheck.slot_full":              http.StatusConflict,
	"leave.healthcheck.round_closed":           http.StatusConflict,
	"leave.healthcheck.already_booked":         http.StatusConflict,
	"leave.healthcheck.invalid_transition":     http.StatusConflict,
	"leave.healthcheck.not_yet_held":           http.StatusConflict,
	"leave.healthcheck.wrong_unit":             http.StatusUnprocessableEntity,
	"leave.healthcheck.slot_too_late":          http.StatusConflict,
	"leave.healthcheck.cancel_too_late":        http.StatusConflict,
}

// respond answers err as a problem: domain rules with their code and
// status, field problems as 422 with localized per-field messages, a stale
// version as 409, a missing (or invisible) object as 404. Anything else is
// a 500 whose cause only the log sees.
func respond(c *gin.Context, err error) {
	httpx.Respond(c, problem(err))
}

func problem(err error) error {
	var he *httpx.Error
	if errors.As(err, &he) {
		return he
	}
	var v *fielderr.Invalid
	if errors.As(err, &v) {
		fields := make(fielderr.List, len(v.Problems))
		for i, p := range v.Problems {
			p.Args = localArgs(p.Args)
			fields[i] = p
		}
		return httpx.Invalid(fields...).WithCause(err)
	}
	switch {
	case errors.Is(err, store.ErrVersionMismatch):
		return httpx.VersionMismatch().WithCause(err)
	case errors.Is(err, domain.ErrNotFound):
		return httpx.NotFound().WithCause(err)
	case errors.Is(err, domain.ErrForbidden):
		return httpx.Forbidden().WithCause(err)
	}
	if code, args, ok := domain.CodeOf(err); ok {
		if status, known := statusOf[code]; known {
			return httpx.NewError(status, code, localArgs(args)...).WithCause(err)
		}
	}
	return httpx.Internal(err)
}

// localArgs formats message arguments for people: dates as YYYY-MM-DD.
func localArgs(args []any) []any {
	if len(args) == 0 {
		return nil
	}
	out := make([]any, len(args))
	for i, a := range args {
		if t, ok := a.(time.Time); ok {
			a = t.Format(time.DateOnly)
		}
		out[i] = a
	}
	return out
}

// notFound is the answer for an object the caller may not see.
func notFound() error { return httpx.NotFound() }

// forbidden is the answer for an action the caller may see but not do.
func forbidden() error { return httpx.Forbidden() }
