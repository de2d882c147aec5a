package httpapi

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/roster"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/store"
)

// problem turns an error of the domain, the importer or the store into the
// HTTP problem the client sees: the one mapper of the service. Anything it
// does not know passes through and httpx answers 500 without details.
func problem(err error) error {
	var httpErr *httpx.Error
	if errors.As(err, &httpErr) {
		return httpErr
	}
	var ie *domain.IneligibleError
	if errors.As(err, &ie) {
		return httpx.Invalid(fielderr.Problem{Field: "member_id", Code: ie.Code}).WithCause(err)
	}
	if ps := fielderr.Of(err); ps != nil {
		return httpx.Invalid(ps...).WithCause(err)
	}
	var fe *roster.FileError
	if errors.As(err, &fe) {
		return httpx.NewError(http.StatusUnprocessableEntity, fe.Code, fe.Args...).WithCause(err)
	}
	for _, m := range []struct {
		err    error
		status int
		code   string
	}{
		{store.ErrNotFound, http.StatusNotFound, httpx.CodeNotFound},
		{domain.ErrDependantNotFound, http.StatusNotFound, httpx.CodeNotFound},
		{store.ErrVersionMismatch, http.StatusConflict, httpx.CodeVersionMismatch},
		{store.ErrDuplicateMember, http.StatusConflict, "enrollment.duplicate_member"},
		{store.ErrDuplicatePlan, http.StatusConflict, "enrollment.duplicate_plan"},
		{store.ErrDuplicateUnit, http.StatusConflict, "enrollment.duplicate_unit"},
		{domain.ErrOverlap, http.StatusConflict, "enrollment.overlap"},
		{domain.ErrMemberDeceased, http.StatusConflict, "enrollment.member_deceased"},
		{domain.ErrMemberNotActive, http.StatusConflict, "enrollment.member_not_active"},
		{domain.ErrEnrollmentClosed, http.StatusConflict, "enrollment.enrollment_closed"},
		{domain.ErrUnitCycle, http.StatusUnprocessableEntity, "enrollment.unit_cycle"},
		{domain.ErrUnknownUnit, http.StatusUnprocessableEntity, "enrollment.unit_unknown"},
	} {
		if errors.Is(err, m.err) {
			if m.status == http.StatusNotFound {
				return httpx.NotFound().WithCause(err)
			}
			if m.code == httpx.CodeVersionMismatch {
				return httpx.VersionMismatch().WithCause(err)
			}
			return httpx.NewError(m.status, m.code).WithCause(err)
		}
	}
	return err
}

// rowFields names each roster problem "rows[<line>].<column>", so a client
// can point at the cell.
func rowFields(ps []roster.Problem) []fielderr.Problem {
	out := make([]fielderr.Problem, len(ps))
	for i, p := range ps {
		name := fmt.Sprintf("rows[%d]", p.Line)
		if p.Field != "" {
			name += "." + p.Field
		}
		out[i] = fielderr.Problem{Field: name, Code: p.Code, Args: p.Args}
	}
	return out
}
