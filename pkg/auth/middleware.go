package auth

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/httpx"
)

// ginIdentityKey holds the Identity in the gin context.
const ginIdentityKey = "auth.identity"

// Middleware verifies the bearer token of every request it guards. Without
// a valid one the request is answered with a 401 "unauthenticated" problem
// (and the reason logged, never shown); with one, the Identity is stored in
// the gin context (Current) and the request context (FromContext).
//
// It accepts a token for any audience: services guard their API with
// MiddlewareFor, which also checks that the token was minted for them.
func Middleware(tokens *Tokens) gin.HandlerFunc { return middleware(tokens, nil) }

// MiddlewareFor is Middleware for the service named audience: a token the
// gateway minted for another service is refused (401) like a forged one.
func MiddlewareFor(tokens *Tokens, audience string) gin.HandlerFunc {
	return middleware(tokens, &audience)
}

func middleware(tokens *Tokens, audience *string) gin.HandlerFunc {
	return func(c *gin.Context) {
		token, ok := bearer(c.GetHeader("Authorization"))
		if !ok {
			unauthenticated(c)
			return
		}
		var (
			id  Identity
			err error
		)
		if audience != nil {
			id, err = tokens.VerifyFor(token, *audience)
		} else {
			id, err = tokens.Verify(token)
		}
		if err != nil {
			msg := "token expired"
			if !errors.Is(err, ErrExpired) {
				msg = "token rejected"
			}
			httpx.Logger(c).InfoContext(c.Request.Context(), msg, "error", err)
			unauthenticated(c)
			return
		}
		if id.Lang != "" && c.GetHeader(httpx.HeaderLang) == "" {
			// The person's own setting beats their browser's
			// Accept-Language, also when no gateway set the header.
			c.Request.Header.Set(httpx.HeaderLang, string(id.Lang))
		}
		c.Set(ginIdentityKey, id)
		c.Request = c.Request.WithContext(WithIdentity(c.Request.Context(), id))
		c.Next()
	}
}

// Current returns the identity Middleware stored for this request, or the
// zero Identity (nobody) on a route it does not guard.
func Current(c *gin.Context) Identity {
	if v, ok := c.Get(ginIdentityKey); ok {
		return v.(Identity)
	}
	return Identity{}
}

// Require returns a middleware that lets through only callers holding at
// least one of roles: nobody gets 401, anybody else 403 "forbidden". Put it
// after Middleware.
func Require(roles ...Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		id := Current(c)
		if id.IsZero() {
			unauthenticated(c)
			return
		}
		if !id.Has(roles...) {
			httpx.Respond(c, httpx.Forbidden())
			return
		}
		c.Next()
	}
}

func unauthenticated(c *gin.Context) {
	c.Header("WWW-Authenticate", `Bearer realm="anxin"`)
	httpx.Respond(c, httpx.NewError(http.StatusUnauthorized, httpx.CodeUnauthenticated))
}

// bearer extracts the token of an "Authorization: Bearer <token>" header;
// the scheme is case-insensitive (RFC 9110 section 11.1).
func bearer(h string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
