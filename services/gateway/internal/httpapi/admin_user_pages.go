package httpapi

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/page"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Administration of users, as pages: administrators change, auditors read.

type adminUsersData struct {
	Users    []*domain.User
	AllRoles []domain.Role
	Query    string
	Role     string
	CanEdit  bool
	// Pages links the next page (cursor in after) and the first.
	Pages pager
}

type roleChoice struct {
	Role    domain.Role
	Checked bool
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
	Confirm *confirmCard
}

var langOptions = []web.Option{{Value: domain.LangZH, Label: "web.lang.zh"}, {Value: domain.LangEN, Label: "web.lang.en"}}

func (h *handlers) registerAdminPages(g *gin.RouterGroup) {
	read := h.requireUser(domain.RoleAdmin, domain.RoleAuditor)
	write := h.requireUser(domain.RoleAdmin)
	g.GET("/admin/users", read, h.adminUsers)
	g.GET("/admin/users/new", write, h.adminNewUser)
	g.POST("/admin/users", write, h.adminCreateUser)
	g.GET("/admin/users/:id", read, h.adminUser)
	g.POST("/admin/users/:id", write, h.adminUpdateUser)
	g.POST("/admin/users/:id/disable", write, h.adminSetAccess(false))
	g.POST("/admin/users/:id/enable", write, h.adminSetAccess(true))
	g.POST("/admin/users/:id/password", write, h.adminResetPassword)
	g.POST("/admin/users/:id/oidc", write, h.adminLinkOIDC)
}

// adminLinkOIDC links the account to a subject of the configured identity
// provider, or unlinks it with an empty subject.
func (h *handlers) adminLinkOIDC(c *gin.Context) {
	if h.OIDC == nil {
		h.errorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	subject := strings.TrimSpace(c.PostForm("oidc_subject"))
	issuer := h.OIDC.issuer
	if subject == "" {
		issuer = ""
	}
	_, err := h.Accounts.LinkExternal(c.Request.Context(), c.Param("id"), formVersion(c), issuer, subject, actor(c))
	if errors.Is(err, store.ErrOIDCTaken) {
		err = &fielderr.Invalid{Problems: []fielderr.Problem{{Field: "oidc_subject", Code: codeOIDCTaken}}}
	}
	var ve *fielderr.Invalid
	if errors.As(err, &ve) {
		cur, cerr := h.Accounts.User(c.Request.Context(), c.Param("id"))
		if cerr != nil {
			h.fail(c, cerr)
			return
		}
		h.renderAdminUser(c, http.StatusUnprocessableEntity, cur, formOf(cur).Set("oidc_subject", subject).AddProblems(ve.Problems), cur.Roles, nil)
		return
	}
	h.afterAdminChange(c, err, nil, nil, "saved")
}

// adminUsersPageSize is the users on a page of the admin's user list.
const adminUsersPageSize = 100

func (h *handlers) adminUsers(c *gin.Context) {
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
	users, err := h.Accounts.Users(c.Request.Context(), f)
	if err != nil {
		h.fail(c, err)
		return
	}
	users, next := page.Trim(pr, users, func(u *domain.User) string { return page.Cursor(u.Username) })
	p := h.page(c, "web.admin.users.title")
	p.Data = adminUsersData{Users: users, AllRoles: domain.PersonRoles, Query: f.Query, Role: string(f.Role), CanEdit: currentUser(c).Has(domain.RoleAdmin),
		Pages: pagerFor(c, "users", "after", next)}
	h.render(c, http.StatusOK, "admin_users", p)
}

func (h *handlers) adminNewUser(c *gin.Context) {
	h.renderAdminUser(c, http.StatusOK, nil, web.NewForm().Set("lang", domain.LangZH), nil, nil)
}

// formOf is the user form filled with u's stored values.
func formOf(u *domain.User) *web.Form {
	return web.NewForm().Set("display_name", u.DisplayName).Set("member_id", u.MemberID).
		Set("units", strings.Join(u.Units, ", ")).Set("lang", u.Lang).Set("oidc_subject", u.OIDCSubject)
}

// renderAdminUser shows the user form: u nil for a new user; form holds
// the values to show and roles the roles to tick.
func (h *handlers) renderAdminUser(c *gin.Context, status int, u *domain.User, form *web.Form, roles []domain.Role, flash *web.Message) {
	h.renderAdminUserPage(c, status, u, form, roles, flash, nil)
}

// renderAdminUserConfirm shows the stored user with a confirmation card.
func (h *handlers) renderAdminUserConfirm(c *gin.Context, u *domain.User, card *confirmCard) {
	h.renderAdminUserPage(c, http.StatusOK, u, formOf(u), u.Roles, nil, card)
}

func (h *handlers) renderAdminUserPage(c *gin.Context, status int, u *domain.User, form *web.Form, roles []domain.Role, flash *web.Message, card *confirmCard) {
	checked := map[domain.Role]bool{}
	for _, r := range roles {
		checked[r] = true
	}
	d := adminUserData{New: u == nil, User: u, LangOptions: langOptions, CanEdit: currentUser(c).Has(domain.RoleAdmin), OIDC: h.OIDC != nil, Confirm: card}
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
	unitNames := h.adminUserRegistry(c, &d, form)
	title := "web.admin.users.new"
	if u != nil {
		title = "web.admin.users.title"
	}
	p := h.page(c, title)
	p.Form, p.Data, p.Flash, p.UnitNames = form, d, flash, unitNames
	h.render(c, status, "admin_user", p)
}

// splitUnits reads the unit ids of the form: one per ticked checkbox, or
// several separated by commas in the text field shown when the registry
// cannot name the units.
func splitUnits(values []string) []string {
	var out []string
	for _, v := range values {
		for _, id := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '，' || r == ' ' }) {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
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

func (h *handlers) adminCreateUser(c *gin.Context) {
	in, form := typedUser(c)
	if searching(c) {
		h.renderAdminUser(c, http.StatusOK, nil, form, in.Roles, nil)
		return
	}
	pw := c.PostForm("password")
	u, err := h.Accounts.CreateUser(c.Request.Context(), in, pw, pw, actor(c))
	var ve *fielderr.Invalid
	switch {
	case errors.As(err, &ve):
		h.renderAdminUser(c, http.StatusUnprocessableEntity, nil, form.AddProblems(ve.Problems), in.Roles, nil)
		return
	case err != nil:
		h.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/users/"+u.ID+"?m=saved")
}

// adminMessages are the notices the user page shows on ?m=….
var adminMessages = map[string]string{"saved": "web.admin.users.saved", "password_reset": "web.admin.users.password_reset"} //nolint:gosec // catalogue keys, not credentials

func (h *handlers) adminUser(c *gin.Context) {
	u, err := h.Accounts.User(c.Request.Context(), c.Param("id"))
	if errors.Is(err, store.ErrNotFound) {
		h.errorPage(c, http.StatusNotFound, "web.error.404")
		return
	} else if err != nil {
		h.fail(c, err)
		return
	}
	var flash *web.Message
	if key, ok := adminMessages[c.Query("m")]; ok {
		m := web.Msg(key)
		flash = &m
	}
	h.renderAdminUser(c, http.StatusOK, u, formOf(u), u.Roles, flash)
}

// formVersion is the version the form was rendered from.
func formVersion(c *gin.Context) int64 {
	v, err := strconv.ParseInt(c.PostForm("version"), 10, 64)
	if err != nil || v < 1 {
		return -1 // never matches: a form without a version is stale
	}
	return v
}

func (h *handlers) adminUpdateUser(c *gin.Context) {
	in, form := typedUser(c)
	if searching(c) {
		u, err := h.Accounts.User(c.Request.Context(), c.Param("id"))
		if errors.Is(err, store.ErrNotFound) {
			h.errorPage(c, http.StatusNotFound, "web.error.404")
			return
		} else if err != nil {
			h.fail(c, err)
			return
		}
		h.renderAdminUser(c, http.StatusOK, u, form.Set("version", c.PostForm("version")), in.Roles, nil)
		return
	}
	_, err := h.Accounts.UpdateUser(c.Request.Context(), c.Param("id"), formVersion(c), in, actor(c))
	h.afterAdminChange(c, err, form, in.Roles, "saved")
}

func (h *handlers) adminSetAccess(enable bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !enable && !confirmed(c) {
			h.confirmDisable(c)
			return
		}
		var err error
		if enable {
			_, err = h.Accounts.Enable(c.Request.Context(), c.Param("id"), formVersion(c), actor(c))
		} else {
			_, err = h.Accounts.Disable(c.Request.Context(), c.Param("id"), formVersion(c), actor(c))
		}
		h.afterAdminChange(c, err, nil, nil, "saved")
	}
}

// confirmDisable is the first press of "disable": the user page with a
// card saying what disabling does, at the version the form was shown at;
// nothing changes. A stale version shows the stored user at once.
func (h *handlers) confirmDisable(c *gin.Context) {
	u, err := h.Accounts.User(c.Request.Context(), c.Param("id"))
	if errors.Is(err, store.ErrNotFound) {
		h.errorPage(c, http.StatusNotFound, "web.error.404")
		return
	} else if err != nil {
		h.fail(c, err)
		return
	}
	if u.Version != formVersion(c) {
		h.renderAdminUser(c, http.StatusConflict, u, formOf(u).AddError("", web.Msg("web.admin.users.conflict")), u.Roles, nil)
		return
	}
	card := &confirmCard{
		Text:   web.Msg("web.confirm.disable_user", u.DisplayName, u.Username),
		Action: "/admin/users/" + url.PathEscape(u.ID) + "/disable",
		Hidden: []hiddenField{{Name: "version", Value: strconv.FormatInt(u.Version, 10)}},
		Button: "web.confirm.disable_user_button", Back: "/admin/users/" + url.PathEscape(u.ID),
	}
	h.renderAdminUserConfirm(c, u, card)
}

func (h *handlers) adminResetPassword(c *gin.Context) {
	pw := c.PostForm("new_password")
	err := h.Accounts.SetPassword(c.Request.Context(), c.Param("id"), pw, pw, nil, actor(c))
	var ve *fielderr.Invalid
	if errors.As(err, &ve) {
		u, uerr := h.Accounts.User(c.Request.Context(), c.Param("id"))
		if uerr != nil {
			h.fail(c, uerr)
			return
		}
		// The password problems belong to the reset form's field.
		form := formOf(u)
		for _, p := range ve.Problems {
			form.AddError("new_password", web.Msg(p.Code, p.Args...))
		}
		h.renderAdminUser(c, http.StatusUnprocessableEntity, u, form, u.Roles, nil)
		return
	}
	h.afterAdminChange(c, err, nil, nil, "password_reset")
}

// afterAdminChange answers a change: back to the user page with a notice,
// or the form again with what was wrong. form and roles are what was typed
// (nil for the access buttons, which show the stored user).
func (h *handlers) afterAdminChange(c *gin.Context, err error, form *web.Form, roles []domain.Role, notice string) {
	if err == nil {
		c.Redirect(http.StatusSeeOther, "/admin/users/"+c.Param("id")+"?m="+notice)
		return
	}
	if errors.Is(err, store.ErrNotFound) {
		h.errorPage(c, http.StatusNotFound, "web.error.404")
		return
	}
	cur, cerr := h.Accounts.User(c.Request.Context(), c.Param("id"))
	if cerr != nil {
		h.fail(c, cerr)
		return
	}
	var ve *fielderr.Invalid
	switch {
	case errors.As(err, &ve) && form != nil:
		h.renderAdminUser(c, http.StatusUnprocessableEntity, cur, form.AddProblems(ve.Problems), roles, nil)
	case errors.Is(err, store.ErrVersionMismatch):
		// Show the stored user, so the administrator sees what changed.
		h.renderAdminUser(c, http.StatusConflict, cur, formOf(cur).AddError("", web.Msg("web.admin.users.conflict")), cur.Roles, nil)
	case domain.Code(err) != "":
		h.renderAdminUser(c, http.StatusConflict, cur, formOf(cur).AddError("", web.Msg(domain.Code(err))), cur.Roles, nil)
	default:
		h.fail(c, err)
	}
}

// adminUserRegistry names the form's units and linked member from the
// member registry, as the administrator may see them, and runs the member
// search of ?member_q=. Without the registry the page falls back to typed
// ids. It returns the units' names by id.
func (h *handlers) adminUserRegistry(c *gin.Context, d *adminUserData, form *web.Form) map[string]string {
	if h.Upstreams == nil || !h.Upstreams.Has("enrollment") {
		return nil
	}
	var labels map[string]string
	var units struct {
		Units []unitJSON `json:"units"`
	}
	if err := listInto(h, c, "enrollment", enrollmentAPI+"/units", "units", &units.Units); err != nil {
		h.Log.InfoContext(c, "user form without unit names", "error", err)
	} else {
		chosen := splitUnits([]string{form.Value("units")})
		labels = unitLabels(units.Units)
		d.Units = make([]unitChoice, 0, len(units.Units))
		for _, u := range units.Units {
			d.Units = append(d.Units, unitChoice{ID: u.ID, Label: labels[u.ID], Checked: slices.Contains(chosen, u.ID)})
		}
		// A unit the registry does not list stays ticked, so saving the
		// form never drops it unseen.
		for _, id := range chosen {
			if _, ok := labels[id]; !ok {
				d.Units = append(d.Units, unitChoice{ID: id, Checked: true})
			}
		}
	}
	if id := strings.TrimSpace(form.Value("member_id")); id != "" && !strings.ContainsAny(id, "/?#%") && strings.Trim(id, ".") != "" {
		var m memberSummary
		_, err := h.call(c, http.MethodGet, "enrollment", memberAPI(id), 0, nil, &m)
		var ae *APIError
		switch {
		case err == nil:
			d.Linked = &m
		case errors.As(err, &ae) && ae.Status < 500:
			d.LinkedUnknown = true
		default:
			h.Log.InfoContext(c, "user form without the member's name", "error", err)
		}
	}
	d.MemberQuery = strings.TrimSpace(c.Query("member_q"))
	if d.MemberQuery == "" {
		d.MemberQuery = strings.TrimSpace(c.PostForm("member_q"))
	}
	d.MemberPick = form.Value("member_pick")
	if d.MemberQuery == "" || !d.CanEdit {
		return labels
	}
	var list struct {
		Members []memberSummary `json:"members"`
	}
	q := url.Values{"name": {d.MemberQuery}, "limit": {"20"}}
	if _, err := h.call(c, http.MethodGet, "enrollment", enrollmentAPI+"/members?"+q.Encode(), 0, nil, &list); err != nil {
		h.Log.InfoContext(c, "member search failed", "error", err)
	}
	d.MemberResults = list.Members
	return labels
}
