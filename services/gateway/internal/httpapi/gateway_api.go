package httpapi

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

// registerGatewayAPI adds the gateway's own JSON API under /api/v1/gateway:
// who am I, and the administration of users. Administrators change users;
// auditors may read them.
func (h *handlers) registerGatewayAPI(g *gin.RouterGroup) {
	g.Use(h.requireAPIUser)
	read := requireAPIRoles(domain.RoleAdmin, domain.RoleAuditor)
	write := requireAPIRoles(domain.RoleAdmin)
	// Service accounts are registered before the Idempotency-Key
	// middleware: a replayed creation would have to keep the token, which
	// must exist nowhere but in its one answer.
	h.registerServiceAccountAPI(g, read, write)
	if h.Idem != nil {
		g.Use(h.Idem.MiddlewareFor(func(c *gin.Context) string {
			if u := currentUser(c); u != nil {
				return u.ID
			}
			return ""
		}))
	}
	g.GET("/me", h.apiMe)
	g.GET("/users", read, h.apiListUsers)
	g.POST("/users", write, h.apiCreateUser)
	g.GET("/users/:id", read, h.apiGetUser)
	g.PUT("/users/:id", write, h.apiUpdateUser)
	g.POST("/users/:id/disable", write, h.apiDisableUser)
	g.POST("/users/:id/enable", write, h.apiEnableUser)
	g.POST("/users/:id/password", write, h.apiSetPassword)
	g.PUT("/users/:id/oidc", write, h.apiLinkOIDC)
}

// oidcRequest links a user to a subject of the configured provider ("" to
// unlink).
type oidcRequest struct {
	Subject string `json:"subject"`
}

func (h *handlers) apiLinkOIDC(c *gin.Context) {
	if h.OIDC == nil {
		httpx.Respond(c, httpx.NewError(http.StatusConflict, codeOIDCDisabled))
		return
	}
	version, err := httpx.RequireIfMatch(c)
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	var req oidcRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Respond(c, err)
		return
	}
	issuer := h.OIDC.issuer
	if req.Subject == "" {
		issuer = ""
	}
	h.answerUser(c)(h.Accounts.LinkExternal(c.Request.Context(), c.Param("id"), version, issuer, req.Subject, actor(c)))
}

// codeOIDCDisabled answers a single sign-on request when none is configured.
const codeOIDCDisabled = "gateway.oidc_disabled"

// requireAPIRoles answers 403 to a user holding none of roles.
func requireAPIRoles(roles ...domain.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		if u := currentUser(c); u == nil || !u.Has(roles...) {
			httpx.Respond(c, httpx.Forbidden())
		}
	}
}

// userJSON is a user as the API shows it: never the password hash.
type userJSON struct {
	ID          string        `json:"id"`
	Username    string        `json:"username"`
	DisplayName string        `json:"display_name"`
	MemberID    string        `json:"member_id,omitempty"`
	Roles       []domain.Role `json:"roles"`
	Units       []string      `json:"units"`
	Lang        string        `json:"lang"`
	Disabled    bool          `json:"disabled"`
	DisabledAt  *time.Time    `json:"disabled_at,omitempty"`
	HasPassword bool          `json:"has_password"`
	OIDCLinked  bool          `json:"oidc_linked"`
	Version     int64         `json:"version"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
}

func toJSON(u *domain.User) userJSON {
	j := userJSON{
		ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, MemberID: u.MemberID,
		Roles: u.Roles, Units: u.Units, Lang: u.Lang, Disabled: !u.Active(),
		HasPassword: u.PasswordHash != "", OIDCLinked: u.OIDCSubject != "",
		Version: u.Version, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt,
	}
	if j.Roles == nil {
		j.Roles = []domain.Role{}
	}
	if j.Units == nil {
		j.Units = []string{}
	}
	if !u.Active() {
		t := u.DisabledAt
		j.DisabledAt = &t
	}
	return j
}

// meJSON is the signed-in user, with the token unsafe API calls made with
// the session cookie must send in X-CSRF-Token.
type meJSON struct {
	userJSON
	CSRFToken string `json:"csrf_token"`
}

func (h *handlers) apiMe(c *gin.Context) {
	sess, _ := currentSession(c)
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, meJSON{userJSON: toJSON(currentUser(c)), CSRFToken: sess.CSRFToken})
}

// userList is a page of users.
type userList struct {
	Items []userJSON `json:"items"`
	Next  string     `json:"next"`
}

func (h *handlers) apiListUsers(c *gin.Context) {
	f := store.UserFilter{Role: domain.Role(c.Query("role")), Unit: c.Query("unit"), Query: c.Query("q")}
	var bad []fielderr.Problem
	if v := c.Query("disabled"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad = append(bad, fielderr.Problem{Field: "disabled", Code: "field.invalid"})
		}
		f.Disabled = &b
	}
	if f.Role != "" && !f.Role.Known() {
		bad = append(bad, fielderr.Problem{Field: "role", Code: domain.CodeRoleUnknown, Args: []any{string(f.Role)}})
	}
	// A page by username (pkg/page): the cursor is the last username shown.
	pr, err := page.FromQuery(c.Request.URL.Query())
	if err == nil {
		_, err = pr.Decode(&f.After)
	}
	if err != nil {
		var he *httpx.Error
		if errors.As(err, &he) {
			bad = append(bad, he.Fields...)
		}
	}
	if len(bad) > 0 {
		httpx.Respond(c, httpx.Invalid(bad...))
		return
	}
	f.Limit = pr.Fetch()
	users, err := h.Accounts.Users(c.Request.Context(), f)
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	users, next := page.Trim(pr, users, func(u *domain.User) string { return page.Cursor(u.Username) })
	out := userList{Items: make([]userJSON, 0, len(users)), Next: next}
	for _, u := range users {
		out.Items = append(out.Items, toJSON(u))
	}
	c.JSON(http.StatusOK, out)
}

// userRequest is the body of create and update; Username and Password
// only count on create.
type userRequest struct {
	Username    string        `json:"username"`
	DisplayName string        `json:"display_name"`
	MemberID    string        `json:"member_id"`
	Roles       []domain.Role `json:"roles"`
	Units       []string      `json:"units"`
	Lang        string        `json:"lang"`
	Password    string        `json:"password"`
}

func (r userRequest) input() domain.UserInput {
	return domain.UserInput{Username: r.Username, DisplayName: r.DisplayName, MemberID: r.MemberID, Roles: r.Roles, Units: r.Units, Lang: r.Lang}
}

func (h *handlers) apiCreateUser(c *gin.Context) {
	var req userRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Respond(c, err)
		return
	}
	u, err := h.Accounts.CreateUser(c.Request.Context(), req.input(), req.Password, req.Password, actor(c))
	if err != nil {
		httpx.Respond(c, apiError(err))
		return
	}
	httpx.SetETag(c, u.Version)
	c.Header("Location", "/api/v1/gateway/users/"+u.ID)
	c.JSON(http.StatusCreated, toJSON(u))
}

func (h *handlers) apiGetUser(c *gin.Context) {
	u, err := h.Accounts.User(c.Request.Context(), c.Param("id"))
	if err != nil {
		httpx.Respond(c, apiError(err))
		return
	}
	httpx.SetETag(c, u.Version)
	c.JSON(http.StatusOK, toJSON(u))
}

// updateRequest is the body of PUT: the whole changeable profile.
type updateRequest struct {
	DisplayName string        `json:"display_name"`
	MemberID    string        `json:"member_id"`
	Roles       []domain.Role `json:"roles"`
	Units       []string      `json:"units"`
	Lang        string        `json:"lang"`
}

func (h *handlers) apiUpdateUser(c *gin.Context) {
	version, err := httpx.RequireIfMatch(c)
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	var req updateRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Respond(c, err)
		return
	}
	in := domain.UserInput{DisplayName: req.DisplayName, MemberID: req.MemberID, Roles: req.Roles, Units: req.Units, Lang: req.Lang}
	h.answerUser(c)(h.Accounts.UpdateUser(c.Request.Context(), c.Param("id"), version, in, actor(c)))
}

func (h *handlers) apiDisableUser(c *gin.Context) {
	version, err := httpx.RequireIfMatch(c)
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	h.answerUser(c)(h.Accounts.Disable(c.Request.Context(), c.Param("id"), version, actor(c)))
}

func (h *handlers) apiEnableUser(c *gin.Context) {
	version, err := httpx.RequireIfMatch(c)
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	h.answerUser(c)(h.Accounts.Enable(c.Request.Context(), c.Param("id"), version, actor(c)))
}

// passwordRequest is the body of an administrator's password reset.
type passwordRequest struct {
	Password string `json:"password"`
}

func (h *handlers) apiSetPassword(c *gin.Context) {
	var req passwordRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Respond(c, err)
		return
	}
	if err := h.Accounts.SetPassword(c.Request.Context(), c.Param("id"), req.Password, req.Password, nil, actor(c)); err != nil {
		httpx.Respond(c, apiError(err))
		return
	}
	c.Status(http.StatusNoContent)
}

// answerUser writes a changed user with its new ETag, or the problem.
func (h *handlers) answerUser(c *gin.Context) func(*domain.User, error) {
	return func(u *domain.User, err error) {
		if err != nil {
			httpx.Respond(c, apiError(err))
			return
		}
		httpx.SetETag(c, u.Version)
		c.JSON(http.StatusOK, toJSON(u))
	}
}
