package httpapi

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gin-gonic/gin"
	"golang.org/x/oauth2"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// OIDCConfig names a province's identity provider. Sign-in through it
// finds the user linked to the provider's subject; it never creates one.
type OIDCConfig struct {
	Issuer       string // e.g. https://id.example.gov.cn/realms/zfw
	ClientID     string
	ClientSecret string
	// RedirectURL is this gateway's /signin/oidc/callback as the provider
	// knows it.
	RedirectURL string
}

// OIDC is a discovered provider.
type OIDC struct {
	issuer   string
	verifier *oidc.IDTokenVerifier
	oauth    oauth2.Config
}

// NewOIDC discovers the provider's endpoints and keys.
func NewOIDC(ctx context.Context, cfg OIDCConfig) (*OIDC, error) {
	p, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc: discover %s: %w", cfg.Issuer, err)
	}
	return &OIDC{
		issuer:   cfg.Issuer,
		verifier: p.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
		oauth: oauth2.Config{
			ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
			Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID},
		},
	}, nil
}

// oidcCookie holds state, nonce, PKCE verifier and the return path between
// the redirect to the provider and its callback.
const oidcCookie = "anxin_oidc"

// codeOIDCUnlinked is shown when the provider's subject has no account.
const codeOIDCUnlinked = "gateway.signin.oidc_unlinked"

// requireOIDC answers 404 when single sign-on is not configured.
func (h *handlers) requireOIDC(c *gin.Context) {
	if h.OIDC == nil {
		h.errorPage(c, http.StatusNotFound, "web.error.404")
	}
}

func (h *handlers) oidcStart(c *gin.Context) {
	state, nonce, verifier := rand.Text(), rand.Text(), oauth2.GenerateVerifier()
	next := web.SafeNext(c.Query("next"))
	h.setCookie(c, oidcCookie, strings.Join([]string{state, nonce, verifier, next}, "|"), 10*time.Minute)
	c.Redirect(http.StatusFound, h.OIDC.oauth.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)))
}

func (h *handlers) oidcCallback(c *gin.Context) {
	parts := strings.SplitN(cookie(c, oidcCookie), "|", 4)
	h.setCookie(c, oidcCookie, "", -1)
	if len(parts) != 4 || subtle.ConstantTimeCompare([]byte(parts[0]), []byte(c.Query("state"))) != 1 {
		h.refuseForgery(c)
		return
	}
	nonce, verifier, next := parts[1], parts[2], parts[3]
	subject, err := h.oidcSubject(c, nonce, verifier)
	if err != nil {
		h.Log.WarnContext(c, "oidc sign-in failed", "error", err)
		h.signInFailed(c, next, codeOIDCUnlinked)
		return
	}
	res, err := h.Accounts.SignInExternal(c.Request.Context(), h.OIDC.issuer, subject, c.ClientIP(), c.Request.UserAgent())
	switch {
	case errors.Is(err, domain.ErrInvalidCredentials):
		h.signInFailed(c, next, codeOIDCUnlinked)
		return
	case err != nil:
		h.fail(c, err)
		return
	}
	h.recordSession(c, actionSignIn, res.User.ID,
		sessionRecord{Username: res.User.Username, Address: c.ClientIP(), Outcome: outcomeOK, Method: "oidc"})
	h.startSession(c, res, next)
}

// oidcSubject exchanges the callback's code and verifies the ID token.
func (h *handlers) oidcSubject(c *gin.Context, nonce, verifier string) (string, error) {
	if e := c.Query("error"); e != "" {
		return "", fmt.Errorf("provider answered %q", e)
	}
	tok, err := h.OIDC.oauth.Exchange(c.Request.Context(), c.Query("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		return "", fmt.Errorf("exchange code: %w", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return "", errors.New("no id_token in the token response")
	}
	idt, err := h.OIDC.verifier.Verify(c.Request.Context(), raw)
	if err != nil {
		return "", fmt.Errorf("verify id_token: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return "", errors.New("id_token nonce mismatch")
	}
	return idt.Subject, nil
}

// signInFailed shows the sign-in page with one message for the whole form.
func (h *handlers) signInFailed(c *gin.Context, next, code string) {
	p := h.page(c, "web.signin.title")
	p.Form = web.NewForm().AddError("", web.Msg(code))
	p.Data = signInData{Next: web.SafeNext(next), OIDC: h.OIDC != nil}
	h.render(c, http.StatusUnauthorized, "signin", p)
}
