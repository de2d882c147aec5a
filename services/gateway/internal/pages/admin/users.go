package admin

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Administration of users, as pages: administrators change, auditors read.

// codeOIDCTaken is the problem of linking an identity another user
// already has (the gateway's errors.go names it for the API).
const codeOIDCTaken = "gateway.user.oidc_taken"

type adminUsersData struct {
	Users    []*domain.User
	AllRoles []domain.Role
	Query    string
	Role     string
	CanEdit  bool
	// Pages links the next page (cursor in after) and the first.
	Pages webkit.Pager
}

type adminUserData struct {
	New         bool
	User        *domain.User
	Version     int64
	RoleChoices []roleChoice
	LangOptions []web.Option
	CanEdit     bool
	// OIDC is true when single sign-on is configured: the page then offers
	// linking the account to a provincial identity.
	OIDC bool
	// Units are the unit checkboxes, named from the registry; nil when the
	// registry cannot be asked, and the page shows a text field of ids.
	Units []unitChoice
	// Linked is the member the account is linked to, when the registry
	// shows it to the administrator; LinkedUnknown says it does not.
	Linked        *memberSummary
	LinkedUnknown bool
	// MemberQuery and MemberResults are a search of the registry by name
	// for the member to link: the form's search button (action=search)
	// with member_q, or ?member_q= on the page's address.
	MemberQuery   string
	MemberResults []memberSummary
	MemberPick    string
	// Confirm is the confirmation card of disabling the account.
	Confirm *webkit.ConfirmCard
}

var langOptions = []web.Option{{Value: domain.LangZH, Label: "web.lang.zh"}, {Value: domain.LangEN, Label: "web.lang.en"}}

func (a *area) registerUserPages(g *gin.RouterGroup) {
	read := a.RequireUser(domain.RoleAdmin, domain.RoleAuditor)
	write := a.RequireUser(domain.RoleAdmin)
	g.GET("/admin/users", read, a.adminUsers)
	g.GET("/admin/users/new", write, a.adminNewUser)
	g.POST("/admin/users", write, a.adminCreateUser)
	g.GET("/admin/users/:id", read, a.adminUser)
	g.POST("/admin/users/:id", write, a.adminUpdateUser)
	g.POST("/admin/users/:id/disable", write, a.adminSetAccess(false))
	g.POST("/admin/users/:id/enable", write, a.adminSetAccess(true))
	g.POST("/admin/users/:id/password", write, a.adminResetPassword)
	g.POST("/admin/users/:id/oidc", write, a.adminLinkOIDC)
}

// adminLinkOIDC links the account to a subject of the configured identity
// provider, or unlinks it with an empty subject.
func (a *area) adminLinkOIDC(c *gin.Context) {
	if a.s.OIDCIssuer == "" {
		a.ErrorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	subject := strings.TrimSpace(c.PostForm("oidc_subject"))
	issuer := a.s.OIDCIssuer
	if subject == "" {
		issuer = ""
	}
	_, err := a.s.Accounts.LinkExternal(c.Request.Context(), c.Param("id"), formVersion(c), issuer, subject, a.actor(c))
	if errors.Is(err, store.ErrOIDCTaken) {
		err = &fielderr.Invalid{Problems: []fielderr.Problem{{Field: "oidc_subject", Code: codeOIDCTaken}}}
	}
	var ve *fielderr.Invalid
	if errors.As(err, &ve) {
		cur, cerr := a.s.Accounts.User(c.Request.Context(), c.Param("id"))
		if cerr != nil {
			a.Fail(c, cerr)
			return
		}
		a.renderAdminUser(c, http.StatusUnprocessableEntity, cur, formOf(cur).Set("oidc_subject", subject).AddProblems(ve.Problems), cur.Roles, nil)
		return
	}
	a.afterAdminChange(c, err, nil, nil, "saved")
}

// adminUsersPageSize is the users on a page of the admin's user list.
const adminUsersPageSize = 100

func (a *area) adminUsers(c *gin.Context) {
	f := store.UserFilter{Query: strings.TrimSpace(c.Query("q")), Role: domain.Role(c.Query("role"))}
	if !f.Role.Known() {
		f.Role = ""
	}
	// A page by username; the cursor (the last username shown) travels in
	// after. One that is not ours is ignored: the first page shows.
	pr, err := page.FromQuery(url.Values{"after": {c.Query("after")}, "limit": {strconv.Itoa(adminUsersPageSize)}})
	if err == nil {
		if _, err := pr.Decode(&f.After); err != nil {
			f.After = ""
		}
	} else {
		pr = page.Request{Limit: adminUsersPageSize}
	}
	f.Limit = pr.Fetch()
	users, err := a.s.Accounts.Users(c.Request.Context(), f)
	if err != nil {
		a.Fail(c, err)
		return
	}
	users, next := page.Trim(pr, users, func(u *domain.User) string { return page.Cursor(u.Username) })
	p := a.Page(c, "web.admin.users.title")
	p.Data = adminUsersData{Users: users, AllRoles: domain.PersonRoles, Query: f.Query, Role: string(f.Role), CanEdit: a.User(c).Has(domain.RoleAdmin),
		Pages: a.PagerFor(c, "users", "after", next)}
	a.Render(c, http.StatusOK, "admin_users", p)
}

func (a *area) adminNewUser(c *gin.Context) {
	a.renderAdminUser(c, http.StatusOK, nil, web.NewForm().Set("lang", domain.LangZH), nil, nil)
}

// formOf is the user form filled with u's stored values.
func formOf(u *domain.User) *web.Form {
	return web.NewForm().Set("display_name", u.DisplayName).Set("member_id", u.MemberID).
		Set("units", strings.Join(u.Units, ", ")).Set("lang", u.Lang).Set("oidc_subject", u.OIDCSubject)
}

// renderAdminUser shows the user form: u nil for a new user; form holds
// the values to show and roles the roles to tick.
func (a *area) renderAdminUser(c *gin.Context, status int, u *domain.User, form *web.Form, roles []domain.Role, flash *web.Message) {
	a.renderAdminUserPage(c, status, u, form, roles, flash, nil)
}

func (a *area) renderAdminUserPage(c *gin.Context, status int, u *domain.User, form *web.Form, roles []domain.Role, flash *web.Message, card *webkit.ConfirmCard) {
	checked := map[domain.Role]bool{}
	for _, r := range roles {
		checked[r] = true
	}
	d := adminUserData{New: u == nil, User: u, LangOptions: langOptions, CanEdit: a.User(c).Has(domain.RoleAdmin), OIDC: a.s.OIDCIssuer != "", Confirm: card}
	if u != nil {
		d.Version = u.Version
	}
	// A form shown again for a member search keeps the version it was
	// first rendered from, so saving it later cannot overwrite a change
	// made meanwhile.
	if v, err := strconv.ParseInt(form.Value("version"), 10, 64); err == nil && v > 0 {
		d.Version = v
	}
	for _, r := range domain.PersonRoles {
		d.RoleChoices = append(d.RoleChoices, roleChoice{Role: r, Checked: checked[r]})
	}
	unitNames := a.adminUserRegistry(c, &d, form)
	title := "web.admin.users.new"
	if u != nil {
		title = "web.admin.users.title"
	}
	p := a.Page(c, title)
	p.Form, p.Data, p.Flash, p.UnitNames = form, d, flash, unitNames
	a.Render(c, status, "admin_user", p)
}

// typedUser reads the user form as typed, for the domain and to show back.
// A member chosen among the search results replaces the typed member id.
func typedUser(c *gin.Context) (domain.UserInput, *web.Form) {
	form := web.NewForm()
	for _, f := range []string{"username", "display_name", "lang", "member_pick"} {
		form.Set(f, c.PostForm(f))
	}
	units := splitUnits(c.PostFormArray("units"))
	member := c.PostForm("member_id")
	if pick := strings.TrimSpace(c.PostForm("member_pick")); pick != "" {
		member = pick
	}
	form.Set("units", strings.Join(units, ", ")).Set("member_id", member)
	in := domain.UserInput{
		Username: c.PostForm("username"), DisplayName: c.PostForm("display_name"),
		MemberID: member, Lang: c.PostForm("lang"), Units: units,
	}
	for _, r := range c.PostFormArray("roles") {
		in.Roles = append(in.Roles, domain.Role(r))
	}
	return in, form
}

// searching reports whether the user form was sent with its member
// search button (action=search): the form comes back with everything
// typed and the registry's matches, and nothing is saved.
func searching(c *gin.Context) bool { return c.PostForm("action") == "search" }

func (a *area) adminCreateUser(c *gin.Context) {
	in, form := typedUser(c)
	if searching(c) {
		a.renderAdminUser(c, http.StatusOK, nil, form, in.Roles, nil)
		return
	}
	pw := c.PostForm("password")
	u, err := a.s.Accounts.CreateUser(c.Request.Context(), in, pw, pw, a.actor(c))
	var ve *fielderr.Invalid
	switch {
	case errors.As(err, &ve):
		a.renderAdminUser(c, http.StatusUnprocessableEntity, nil, form.AddProblems(ve.Problems), in.Roles, nil)
		return
	case err != nil:
		a.Fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/users/"+u.ID+"?m=saved")
}

// adminMessages are the notices the user page shows on ?m=….
var adminMessages = map[string]string{"saved": "web.admin.users.saved", "password_reset": "web.admin.users.password_reset"} //nolint:gosec // catalogue keys, not credentials

// storedUser reads the user of the page's path, or shows the page for a
// user that does not exist or a store that failed (and nil).
func (a *area) storedUser(c *gin.Context) *domain.User {
	u, err := a.s.Accounts.User(c.Request.Context(), c.Param("id"))
	if errors.Is(err, store.ErrNotFound) {
		a.ErrorPage(c, http.StatusNotFound, "web.error.404")
		return nil
	} else if err != nil {
		a.Fail(c, err)
		return nil
	}
	return u
}

func (a *area) adminUser(c *gin.Context) {
	u := a.storedUser(c)
	if u == nil {
		return
	}
	a.renderAdminUser(c, http.StatusOK, u, formOf(u), u.Roles, webkit.FlashOf(c, adminMessages))
}

func (a *area) adminUpdateUser(c *gin.Context) {
	in, form := typedUser(c)
	if searching(c) {
		u := a.storedUser(c)
		if u == nil {
			return
		}
		a.renderAdminUser(c, http.StatusOK, u, form.Set("version", c.PostForm("version")), in.Roles, nil)
		return
	}
	_, err := a.s.Accounts.UpdateUser(c.Request.Context(), c.Param("id"), formVersion(c), in, a.actor(c))
	a.afterAdminChange(c, err, form, in.Roles, "saved")
}

func (a *area) adminSetAccess(enable bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !enable && !webkit.Confirmed(c) {
			a.confirmDisable(c)
			return
		}
		var err error
		if enable {
			_, err = a.s.Accounts.Enable(c.Request.Context(), c.Param("id"), formVersion(c), a.actor(c))
		} else {
			_, err = a.s.Accounts.Disable(c.Request.Context(), c.Param("id"), formVersion(c), a.actor(c))
		}
		a.afterAdminChange(c, err, nil, nil, "saved")
	}
}

// confirmDisable is the first press of "disable": the user page with a
// card saying what disabling does, at the version the form was shown at;
// nothing changes. A stale version shows the stored user at once.
func (a *area) confirmDisable(c *gin.Context) {
	u := a.storedUser(c)
	if u == nil {
		return
	}
	if u.Version != formVersion(c) {
		a.renderAdminUser(c, http.StatusConflict, u, formOf(u).AddError("", web.Msg("web.admin.users.conflict")), u.Roles, nil)
		return
	}
	card := &webkit.ConfirmCard{
		Text:   web.Msg("web.confirm.disable_user", u.DisplayName, u.Username),
		Action: "/admin/users/" + url.PathEscape(u.ID) + "/disable",
		Hidden: []webkit.HiddenField{{Name: "version", Value: strconv.FormatInt(u.Version, 10)}},
		Button: "web.confirm.disable_user_button", Back: "/admin/users/" + url.PathEscape(u.ID),
	}
	a.renderAdminUserPage(c, http.StatusOK, u, formOf(u), u.Roles, nil, card)
}

func (a *area) adminResetPassword(c *gin.Context) {
	pw := c.PostForm("new_password")
	err := a.s.Accounts.SetPassword(c.Request.Context(), c.Param("id"), pw, pw, nil, a.actor(c))
	var ve *fielderr.Invalid
	if errors.As(err, &ve) {
		u, uerr := a.s.Accounts.User(c.Request.Context(), c.Param("id"))
		if uerr != nil {
			a.Fail(c, uerr)
			return
		}
		// The password problems belong to the reset form's field.
		form := formOf(u)
		for _, p := range ve.Problems {
			form.AddError("new_password", web.Msg(p.Code, p.Args...))
		}
		a.renderAdminUser(c, http.StatusUnprocessableEntity, u, form, u.Roles, nil)
		return
	}
	a.afterAdminChange(c, err, nil, nil, "password_reset")
}

// afterAdminChange answers a change: back to the user page with a notice,
// or the form again with what was wrong. form and roles are what was typed
// (nil for the access buttons, which show the stored user).
func (a *area) afterAdminChange(c *gin.Context, err error, form *web.Form, roles []domain.Role, notice string) {
	if err == nil {
		c.Redirect(http.StatusSeeOther, "/admin/users/"+c.Param("id")+"?m="+notice)
		return
	}
	if errors.Is(err, store.ErrNotFound) {
		a.ErrorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	cur, cerr := a.s.Accounts.User(c.Request.Context(), c.Param("id"))
	if cerr != nil {
		a.Fail(c, cerr)
		return
	}
	var ve *fielderr.Invalid
	switch {
	case errors.As(err, &ve) && form != nil:
		a.renderAdminUser(c, http.StatusUnprocessableEntity, cur, form.AddProblems(ve.Problems), roles, nil)
	case errors.Is(err, store.ErrVersionMismatch):
		// Show the stored user, so the administrator sees what changed.
		a.renderAdminUser(c, http.StatusConflict, cur, formOf(cur).AddError("", web.Msg("web.admin.users.conflict")), cur.Roles, nil)
	case domain.Code(err) != "":
		a.renderAdminUser(c, http.StatusConflict, cur, formOf(cur).AddError("", web.Msg(domain.Code(err))), cur.Roles, nil)
	default:
		a.Fail(c, err)
	}
}
