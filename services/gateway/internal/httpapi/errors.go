package httpapi

import (
	"errors"
	"net/http"

	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

// apiError maps the gateway's domain and store errors to problems; any
// other error passes through and becomes a 500 with nothing internal shown.
func apiError(err error) error {
	var ve *domain.ValidationError
	var te *domain.ThrottledError
	switch {
	case errors.As(err, &ve):
		fields := make([]httpx.Field, 0, len(ve.Problems))
		for _, p := range ve.Problems {
			fields = append(fields, httpx.Field{Name: p.Field, Code: p.Code, Args: p.Args})
		}
		return httpx.Invalid(fields...)
	case errors.As(err, &te):
		return httpx.NewError(http.StatusTooManyRequests, te.Code(), te.Minutes())
	case errors.Is(err, store.ErrNotFound):
		return httpx.NotFound()
	case errors.Is(err, store.ErrVersionMismatch):
		return httpx.VersionMismatch()
	case errors.Is(err, store.ErrOIDCTaken):
		return httpx.NewError(http.StatusConflict, codeOIDCTaken)
	case errors.Is(err, domain.ErrInvalidCredentials):
		return httpx.NewError(http.StatusUnauthorized, domain.CodeSignInInvalid)
	}
	if code := domain.Code(err); code != "" {
		return httpx.NewError(http.StatusConflict, code)
	}
	return err
}

// codeOIDCTaken answers linking an identity that another user already has.
const codeOIDCTaken = "gateway.user.oidc_taken"
