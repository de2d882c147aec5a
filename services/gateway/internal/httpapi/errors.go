package httpapi

import (
	"errors"
	"net/http"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

// apiError maps the gateway's domain and store errors to problems; any
// other error passes through and becomes a 500 with nothing internal shown.
func apiError(err error) error {
	var ve *fielderr.Invalid
	var te *domain.ThrottledError
	switch {
	case errors.As(err, &ve):
		return httpx.Invalid(ve.Problems...)
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
