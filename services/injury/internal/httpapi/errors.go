package httpapi

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

// Problem codes of this service (titles under "problem."+code).
const (
	codeTransition = "injury.transition_not_allowed"
	codeRole       = "injury.role_not_allowed"
)

// errNoAccess is returned by access checks; it answers 404 like a missing
// case, so a caller cannot probe which cases exist.
var errNoAccess = domain.ErrNotFound

// toProblem maps the domain's and the store's errors to HTTP problems. It is
// the service's one mapper; anything unknown becomes a 500 with no detail.
func toProblem(err error) error {
	var (
		ve    *fielderr.Invalid
		te    *domain.TransitionError
		fe    *domain.ForbiddenError
		coded *domain.CodedError
		hp    *httpx.Error
	)
	switch {
	case errors.As(err, &hp):
		return hp
	case errors.As(err, &ve):
		return httpx.Invalid(ve.Problems...)
	case errors.As(err, &te):
		allowed := te.Allowed
		if allowed == nil {
			allowed = []domain.Action{}
		}
		e := httpx.NewError(http.StatusConflict, codeTransition).
			WithExtra("state", te.State).WithExtra("action", te.Action).WithExtra("allowed_actions", allowed)
		if te.Reason != "" {
			e = e.WithExtra("reason", te.Reason).WithDetail(te.Reason, te.ReasonArgs...)
		}
		if len(te.ReasonArgs) > 0 {
			e = e.WithExtra("reason_args", te.ReasonArgs)
		}
		return e
	case errors.As(err, &fe):
		return httpx.NewError(http.StatusForbidden, codeRole).WithExtra("action", fe.Action)
	case errors.Is(err, store.ErrVersionMismatch):
		return httpx.VersionMismatch()
	case errors.Is(err, store.ErrIncidentUnit):
		return httpx.Invalid(fielderr.Problem{Field: "unit_id", Code: "injury.incident_other_unit"})
	case errors.Is(err, domain.ErrNotFound):
		return httpx.NotFound()
	case errors.Is(err, domain.ErrUnsupportedDocument):
		return httpx.NewError(http.StatusUnsupportedMediaType, domain.ErrUnsupportedDocument.Code)
	case errors.Is(err, domain.ErrDocumentTooLarge):
		return httpx.NewError(http.StatusRequestEntityTooLarge, domain.ErrDocumentTooLarge.Code, domain.MaxDocumentBytes>>20)
	case errors.Is(err, domain.ErrEmptyDocument):
		return httpx.Invalid(fielderr.Problem{Field: "file", Code: domain.ErrEmptyDocument.Code})
	case errors.As(err, &coded) && errors.Is(err, domain.ErrParameterMissing):
		// the kind is named in the reader's words, in the detail
		e := httpx.NewError(http.StatusUnprocessableEntity, coded.Code)
		if len(coded.Args) == 2 {
			e = e.WithExtra("kind", coded.Args[0]).WithDetail("injury.parameter_missing."+fmt.Sprint(coded.Args[0]), coded.Args[1])
		}
		return e
	}
	return err
}
