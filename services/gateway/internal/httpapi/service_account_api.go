package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

// The gateway's JSON API for service accounts, under /api/v1/gateway:
// administrators create and revoke them, auditors read them. The token is
// in the answer to the creation only.

// codeExpiryInvalid is the problem of an expiry that is neither a date nor
// an RFC 3339 time.
const codeExpiryInvalid = "gateway.service_account.expiry_invalid"

func (h *handlers) registerServiceAccountAPI(g *gin.RouterGroup, read, write gin.HandlerFunc) {
	g.GET("/service-accounts", read, h.apiListServiceAccounts)
	g.POST("/service-accounts", write, h.apiCreateServiceAccount)
	g.GET("/service-accounts/:id", read, h.apiGetServiceAccount)
	g.POST("/service-accounts/:id/revoke", write, h.apiRevokeServiceAccount)
}

// actorRef names an administrator in an account's JSON.
type actorRef struct {
	ID       string `json:"id"`
	Username string `json:"username"`
}

// serviceAccountJSON is an account as the API shows it: the token's public
// prefix, never its secret or hash.
type serviceAccountJSON struct {
	ID              string        `json:"id"`
	Name            string        `json:"name"`
	TokenPrefix     string        `json:"token_prefix"`
	Roles           []domain.Role `json:"roles"`
	Units           []string      `json:"units"`
	Status          string        `json:"status"`
	ExpiresAt       time.Time     `json:"expires_at"`
	CreatedAt       time.Time     `json:"created_at"`
	CreatedBy       actorRef      `json:"created_by"`
	RevokedAt       *time.Time    `json:"revoked_at,omitempty"`
	RevokedBy       *actorRef     `json:"revoked_by,omitempty"`
	LastUsedAt      *time.Time    `json:"last_used_at,omitempty"`
	LastUsedAddress string        `json:"last_used_address,omitempty"`
	Version         int64         `json:"version"`
}

// accountStatus is active, revoked or expired at now.
func accountStatus(a *domain.ServiceAccount, now time.Time) string {
	switch {
	case a.Revoked():
		return "revoked"
	case a.Expired(now):
		return "expired"
	}
	return "active"
}

func accountJSON(a *domain.ServiceAccount, now time.Time) serviceAccountJSON {
	j := serviceAccountJSON{
		ID: a.ID, Name: a.Name, TokenPrefix: a.DisplayPrefix(), Roles: a.Roles, Units: a.Units,
		Status: accountStatus(a, now), ExpiresAt: a.ExpiresAt, CreatedAt: a.CreatedAt,
		CreatedBy: actorRef{ID: a.CreatedBy, Username: a.CreatedByName}, Version: a.Version,
	}
	if j.Units == nil {
		j.Units = []string{}
	}
	if a.Revoked() {
		t := a.RevokedAt
		j.RevokedAt, j.RevokedBy = &t, &actorRef{ID: a.RevokedBy, Username: a.RevokedByName}
	}
	if !a.LastUsedAt.IsZero() {
		t := a.LastUsedAt
		j.LastUsedAt, j.LastUsedAddress = &t, a.LastUsedAddress
	}
	return j
}

// createdAccountJSON is the answer to a creation: the account and its
// token, shown this once.
type createdAccountJSON struct {
	serviceAccountJSON
	Token string `json:"token"`
}

// serviceAccountRequest is the body of a creation. ExpiresAt is a date
// (the account works to the end of that day, Asia/Shanghai) or an RFC 3339
// time.
type serviceAccountRequest struct {
	Name      string        `json:"name"`
	Roles     []domain.Role `json:"roles"`
	Units     []string      `json:"units"`
	ExpiresAt string        `json:"expires_at"`
}

// parseExpiry reads an expiry as typed: "" is zero (the domain says it is
// required), a date ends at the end of that day in Asia/Shanghai.
func parseExpiry(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, true
	}
	if d, err := time.ParseInLocation(time.DateOnly, s, clock.Shanghai); err == nil {
		return d.AddDate(0, 0, 1).UTC(), true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	return time.Time{}, false
}

// accountInput turns a request into the domain's input; a malformed expiry
// is a field problem of its own, reported with the domain's.
func accountInput(req serviceAccountRequest) (domain.ServiceAccountInput, *fielderr.Problem) {
	in := domain.ServiceAccountInput{Name: req.Name, Roles: req.Roles, Units: req.Units}
	t, ok := parseExpiry(req.ExpiresAt)
	if !ok {
		return in, &fielderr.Problem{Field: "expires_at", Code: codeExpiryInvalid}
	}
	in.ExpiresAt = t
	return in, nil
}

// createServiceAccount creates the account req asks for. A malformed
// expiry creates nothing; the other fields are checked anyway (against a
// valid stand-in expiry), so every problem shows at once.
func (h *handlers) createServiceAccount(ctx context.Context, req serviceAccountRequest, by store.Actor) (*domain.ServiceAccount, string, error) {
	in, bad := accountInput(req)
	if bad == nil {
		return h.Accounts.CreateServiceAccount(ctx, in, by)
	}
	now := h.Clock.Now()
	in.ExpiresAt = now.Add(domain.MaxTokenLife / 2)
	problems := []fielderr.Problem{*bad}
	var ve *fielderr.Invalid
	if _, _, err := domain.NewServiceAccount("", in, "", now); errors.As(err, &ve) {
		problems = append(ve.Problems, *bad)
	}
	return nil, "", &fielderr.Invalid{Problems: problems}
}

func (h *handlers) apiCreateServiceAccount(c *gin.Context) {
	var req serviceAccountRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Respond(c, err)
		return
	}
	a, token, err := h.createServiceAccount(c.Request.Context(), req, actor(c))
	if err != nil {
		httpx.Respond(c, apiError(err))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Location", "/api/v1/gateway/service-accounts/"+a.ID)
	httpx.SetETag(c, a.Version)
	c.JSON(http.StatusCreated, createdAccountJSON{serviceAccountJSON: accountJSON(a, h.Clock.Now()), Token: token})
}

// accountList is a page of service accounts.
type accountList struct {
	Items []serviceAccountJSON `json:"items"`
	Next  string               `json:"next"`
}

func (h *handlers) apiListServiceAccounts(c *gin.Context) {
	pr, err := page.FromQuery(c.Request.URL.Query())
	var p store.AccountPage
	if err == nil {
		_, err = pr.Decode(&p.AfterAt, &p.AfterID)
	}
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	p.Limit = pr.Fetch()
	items, err := h.Accounts.ServiceAccounts(c.Request.Context(), p)
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	items, next := page.Trim(pr, items, func(a *domain.ServiceAccount) string { return page.Cursor(a.CreatedAt, a.ID) })
	now := h.Clock.Now()
	out := accountList{Items: make([]serviceAccountJSON, 0, len(items)), Next: next}
	for _, a := range items {
		out.Items = append(out.Items, accountJSON(a, now))
	}
	c.JSON(http.StatusOK, out)
}

func (h *handlers) apiGetServiceAccount(c *gin.Context) {
	a, err := h.Accounts.ServiceAccount(c.Request.Context(), c.Param("id"))
	if err != nil {
		httpx.Respond(c, apiError(err))
		return
	}
	httpx.SetETag(c, a.Version)
	c.JSON(http.StatusOK, accountJSON(a, h.Clock.Now()))
}

// apiRevokeServiceAccount revokes an account. If-Match is honoured when
// sent but not required: a leaked token must be stoppable in one call.
func (h *handlers) apiRevokeServiceAccount(c *gin.Context) {
	version, _, err := httpx.IfMatch(c)
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	a, err := h.Accounts.RevokeServiceAccount(c.Request.Context(), c.Param("id"), version, actor(c))
	if err != nil {
		httpx.Respond(c, apiError(accountError(err)))
		return
	}
	httpx.SetETag(c, a.Version)
	c.JSON(http.StatusOK, accountJSON(a, h.Clock.Now()))
}

// accountError maps the domain's revocation error to its problem.
func accountError(err error) error {
	if errors.Is(err, domain.ErrAlreadyRevoked) {
		return httpx.NewError(http.StatusConflict, domain.CodeAlreadyRevoked)
	}
	return err
}
