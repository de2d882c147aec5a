package httpapi

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
)

// statusOf maps the grants domain's error codes to HTTP statuses: a
// refused step of the chain is 403, a conflict with the current state or
// budget 409, a bad input 422.
var statusOf = map[*domain.CodeError]int{
	domain.ErrBudgetExhausted:         http.StatusConflict,
	domain.ErrAppropriationShort:      http.StatusConflict,
	domain.ErrTransition:              http.StatusConflict,
	domain.ErrSelfApproval:            http.StatusForbidden,
	domain.ErrSameApprover:            http.StatusForbidden,
	domain.ErrRoleRequired:            http.StatusForbidden,
	domain.ErrDuplicateUnacknowledged: http.StatusConflict,
	domain.ErrNotEligible:             http.StatusUnprocessableEntity,
	domain.ErrUnbalanced:              http.StatusUnprocessableEntity,
	domain.ErrAlreadyReversed:         http.StatusConflict,
	domain.ErrRateMissing:             http.StatusUnprocessableEntity,
	domain.ErrDocumentTooLarge:        http.StatusRequestEntityTooLarge,
	domain.ErrDocumentType:            http.StatusUnsupportedMediaType,
	domain.ErrUploadNotAllowed:        http.StatusForbidden,
	domain.ErrApplicationLinked:       http.StatusConflict,
	domain.ErrNotSchooling:            http.StatusConflict,
}

// problem turns any error of the grants service into the *httpx.Error the
// client sees; unknown errors become a 500 with no internal text.
func problem(c *gin.Context, err error) error {
	var he *httpx.Error
	if errors.As(err, &he) {
		return he
	}
	var ve *fielderr.Invalid
	if errors.As(err, &ve) {
		return httpx.Invalid(ve.Problems...).WithCause(err)
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return httpx.NotFound()
	case errors.Is(err, store.ErrVersionMismatch):
		return httpx.VersionMismatch()
	case errors.Is(err, store.ErrFundExists):
		return httpx.NewError(http.StatusConflict, "grants.fund_exists")
	case errors.Is(err, store.ErrProgramExists):
		return httpx.NewError(http.StatusConflict, "grants.program_exists")
	case errors.Is(err, store.ErrCareExists):
		return httpx.NewError(http.StatusConflict, "grants.care_exists")
	case errors.Is(err, store.ErrExportNotReady):
		return httpx.NewError(http.StatusConflict, "grants.export_not_ready")
	}
	var ie *domain.IneligibleError
	if errors.As(err, &ie) {
		lang := httpx.Lang(c)
		unmet := []criterionView{}
		for _, cr := range ie.Result.Criteria {
			if !cr.Met {
				unmet = append(unmet, criterionView{Code: cr.Code, Text: i18n.T(lang, cr.Code, cr.Args...), Met: false})
			}
		}
		return httpx.NewError(http.StatusUnprocessableEntity, domain.ErrNotEligible.Code).WithExtra("unmet", unmet).WithCause(err)
	}
	var ce *domain.CodeError
	if errors.As(err, &ce) {
		for sentinel, status := range statusOf {
			if errors.Is(ce, sentinel) {
				return httpx.NewError(status, sentinel.Code, localizeArgs(httpx.Lang(c), sentinel, ce.Args)...).WithCause(err)
			}
		}
	}
	return httpx.Internal(err)
}

// localizeArgs turns state and role codes in a problem's arguments into
// words of the request's language.
func localizeArgs(lang i18n.Lang, sentinel *domain.CodeError, args []any) []any {
	prefix := ""
	switch sentinel {
	case domain.ErrTransition:
		prefix = "grants.state."
	case domain.ErrRoleRequired:
		prefix = "grants.role."
	default:
		return args
	}
	out := make([]any, len(args))
	for i, a := range args {
		s, ok := a.(string)
		if ok && i18n.Has(prefix+s) {
			out[i] = i18n.T(lang, prefix+s)
		} else {
			out[i] = a
		}
	}
	return out
}

// fail writes err as a problem.
func fail(c *gin.Context, err error) { httpx.Respond(c, problem(c, err)) }
