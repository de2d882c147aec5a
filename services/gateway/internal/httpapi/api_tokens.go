package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/reqctx"
	"github.com/anxin-welfare/anxin/services/gateway/internal/accounts"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

// Machine clients (service accounts) call /api/v1/<service>/… with
// `Authorization: Bearer anx_…` instead of a session: no cookie, no form
// token (a bearer token is never sent by a browser on its own, so there is
// no cross-site forgery to stop). The service gets the same signed identity
// token it gets for a person, carrying the account's roles and units, so
// its own access rules apply unchanged.

// ctxMachine is the gin context key of the authenticated service account.
const ctxMachine = "gateway/machine"

// Problem codes of API tokens.
const (
	codeTokenInvalid    = "gateway.api_token.invalid"
	codeTokenRevoked    = "gateway.api_token.revoked"
	codeTokenExpired    = "gateway.api_token.expired"
	codeTokenThrottled  = "gateway.api_token.throttled"
	codeTokenPeopleOnly = "gateway.api_token.people_only"
)

// authenticateAPI resolves who calls the API: a service account when the
// request carries an API token as its bearer, else the session cookie, if
// any. A bearer that is not an API token (no "anx_") is ignored as before:
// the proxy never forwards a client's Authorization.
func (h *handlers) authenticateAPI(c *gin.Context) {
	token, ok := apiToken(c.Request)
	if !ok {
		h.loadSession(c)
		return
	}
	ctx := c.Request.Context()
	req := accounts.TokenRequest{Method: c.Request.Method, Path: c.Request.URL.Path, Address: c.ClientIP(), RequestID: reqctx.RequestID(ctx)}
	a, err := h.Accounts.AuthenticateToken(ctx, token, req)
	if err != nil {
		h.refuseToken(c, err)
		return
	}
	c.Set(ctxMachine, a)
	c.Next()

	// After the answer: its status is known. The client has its answer
	// whether or not this is written, so the request's cancellation must
	// not stop it.
	use := store.TokenUse{Token: a.DisplayPrefix(), Method: req.Method, Path: req.Path, Status: c.Writer.Status(), Address: req.Address}
	if err := h.Accounts.RecordTokenUse(context.WithoutCancel(ctx), a, use, !safeMethod(req.Method), req.RequestID); err != nil {
		h.Log.ErrorContext(ctx, "record API token use", "service_account", a.ID, "error", err)
	}
}

// apiToken returns the API token of a request's Authorization header.
func apiToken(r *http.Request) (string, bool) {
	scheme, cred, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	cred = strings.TrimSpace(cred)
	return cred, domain.LooksLikeToken(cred)
}

// refuseToken answers a refused token: 401 with WWW-Authenticate (RFC
// 6750), or 429 with Retry-After while the address is throttled.
func (h *handlers) refuseToken(c *gin.Context, err error) {
	var te *domain.ThrottledError
	challenge := `Bearer realm="anxin", error="invalid_token"`
	switch {
	case errors.As(err, &te):
		c.Header("Retry-After", itoaSeconds(te.Wait))
		c.Header("WWW-Authenticate", `Bearer realm="anxin"`)
		httpx.Respond(c, httpx.NewError(http.StatusTooManyRequests, codeTokenThrottled, te.Minutes()))
	case errors.Is(err, domain.ErrTokenRevoked):
		c.Header("WWW-Authenticate", challenge+`, error_description="revoked"`)
		httpx.Respond(c, httpx.NewError(http.StatusUnauthorized, codeTokenRevoked))
	case errors.Is(err, domain.ErrTokenExpired):
		c.Header("WWW-Authenticate", challenge+`, error_description="expired"`)
		httpx.Respond(c, httpx.NewError(http.StatusUnauthorized, codeTokenExpired))
	case errors.Is(err, domain.ErrTokenInvalid):
		c.Header("WWW-Authenticate", challenge)
		httpx.Respond(c, httpx.NewError(http.StatusUnauthorized, codeTokenInvalid))
	default:
		h.fail(c, err)
	}
	c.Abort()
}

// currentMachine returns the service account calling, or nil.
func currentMachine(c *gin.Context) *domain.ServiceAccount {
	v, _ := c.Get(ctxMachine)
	a, _ := v.(*domain.ServiceAccount)
	return a
}

// apiCaller is whom the proxy vouches for: the signed-in person, or the
// service account as a user holding its roles and units, its id the one
// the services' audit trails name.
func apiCaller(c *gin.Context) *domain.User {
	if a := currentMachine(c); a != nil {
		return &domain.User{ID: a.ID, Username: a.DisplayPrefix(), DisplayName: a.Name, Roles: a.Roles, Units: a.Units, Lang: string(lang(c))}
	}
	return currentUser(c)
}

// requireAPICaller answers 401 to an API request with neither a session
// nor an API token.
func (h *handlers) requireAPICaller(c *gin.Context) {
	if currentUser(c) == nil && currentMachine(c) == nil {
		httpx.Respond(c, httpx.Unauthenticated())
	}
}

// machineLang is the language of a machine's answers: its request's
// Accept-Language (or X-Anxin-Lang), Chinese by default.
func machineLang(c *gin.Context) i18n.Lang { return httpx.Lang(c) }
