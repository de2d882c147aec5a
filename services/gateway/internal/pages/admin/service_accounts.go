package admin

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The administrators' page of service accounts (machine clients): the
// list with each account's scope, expiry, creator and last use, a revoke
// button, and the form that creates one and shows its token once.
// Auditors read it.

const serviceAccountsPath = "/admin/service-accounts"

// serviceAccountsPageSize is the accounts on one page of the list.
const serviceAccountsPageSize = 50

// accountRow is one account of the list, with what the page shows of it.
type accountRow struct {
	*domain.ServiceAccount
	Status string
}

type serviceAccountsData struct {
	Accounts []accountRow
	Pages    webkit.Pager
	CanEdit  bool
	// Token is the token of the account just created: shown this once.
	Token   string
	Created *domain.ServiceAccount
	// RoleChoices and Units are the creation form's checkboxes; Units is
	// nil when the registry cannot be asked (the form has a text field).
	RoleChoices []roleChoice
	Units       []unitChoice
	Confirm     *webkit.ConfirmCard
	// MaxDays is the longest validity, for the expiry's hint.
	MaxDays int
}

func (a *area) registerServiceAccountPages(g *gin.RouterGroup) {
	read := a.RequireUser(domain.RoleAdmin, domain.RoleAuditor)
	write := a.RequireUser(domain.RoleAdmin)
	g.GET(serviceAccountsPath, read, a.serviceAccountsPage)
	g.POST(serviceAccountsPath, write, a.createServiceAccountPage)
	g.POST(serviceAccountsPath+"/:id/revoke", write, a.revokeServiceAccountPage)
}

func (a *area) serviceAccountsPage(c *gin.Context) {
	var flash *web.Message
	if c.Query("m") == "revoked" {
		flash = webkit.Flash("web.service_accounts.revoked")
	}
	a.renderServiceAccounts(c, http.StatusOK, a.newAccountForm(), nil, "", nil, flash)
}

// newAccountForm is the empty creation form, suggesting the longest expiry.
func (a *area) newAccountForm() *web.Form {
	return web.NewForm().Set("expires_at", expiryDefault(a.Clock))
}

// accountStatus is what the list says of an account.
func accountStatus(sa *domain.ServiceAccount, now time.Time) string {
	switch {
	case sa.Revoked():
		return "revoked"
	case sa.Expired(now):
		return "expired"
	}
	return "active"
}

// renderServiceAccounts shows the page: form holds the creation form's
// values and problems, created and token the account just made, card a
// confirmation.
func (a *area) renderServiceAccounts(c *gin.Context, status int, form *web.Form, created *domain.ServiceAccount, token string,
	card *webkit.ConfirmCard, flash *web.Message) {
	// A page by creation, newest first; a cursor that is not ours shows
	// the first page.
	pr, err := page.FromQuery(url.Values{"after": {c.Query("after")}, "limit": {strconv.Itoa(serviceAccountsPageSize)}})
	var p store.AccountPage
	if err == nil {
		if _, err := pr.Decode(&p.AfterAt, &p.AfterID); err != nil {
			p = store.AccountPage{}
		}
	} else {
		pr = page.Request{Limit: serviceAccountsPageSize}
	}
	p.Limit = pr.Fetch()
	items, err := a.s.Accounts.ServiceAccounts(c.Request.Context(), p)
	if err != nil {
		a.Fail(c, err)
		return
	}
	items, next := page.Trim(pr, items, func(sa *domain.ServiceAccount) string { return page.Cursor(sa.CreatedAt, sa.ID) })
	now := a.Clock.Now()
	d := serviceAccountsData{CanEdit: a.User(c).Has(domain.RoleAdmin), Created: created, Token: token, Confirm: card,
		Pages: a.PagerAt(c, serviceAccountsPath, c.Request.URL.Query(), "accounts", "after", next), MaxDays: int(domain.MaxTokenLife / (24 * time.Hour))}
	for _, sa := range items {
		d.Accounts = append(d.Accounts, accountRow{ServiceAccount: sa, Status: accountStatus(sa, now)})
	}
	pg := a.Page(c, "web.service_accounts.title")
	pg.Flash = flash
	a.WithUnitNames(c, pg)
	if d.CanEdit {
		// A refused form keeps its ticks; a fresh one starts empty.
		var chosen, picked []string
		if form.HasErrors() {
			chosen, picked = c.PostFormArray("roles"), splitUnits(c.PostFormArray("units"))
		}
		for _, r := range domain.MachineRoles {
			d.RoleChoices = append(d.RoleChoices, roleChoice{Role: r, Checked: slices.Contains(chosen, string(r))})
		}
		if pg.UnitNames != nil {
			for id, name := range pg.UnitNames {
				d.Units = append(d.Units, unitChoice{ID: id, Label: name, Checked: slices.Contains(picked, id)})
			}
			slices.SortFunc(d.Units, func(x, y unitChoice) int { return cmp.Or(cmp.Compare(x.Label, y.Label), cmp.Compare(x.ID, y.ID)) })
		}
	}
	pg.Form = form
	pg.Data = d
	if token != "" {
		// The token is on this page only: no cache may keep it.
		c.Header("Cache-Control", "no-store")
	}
	a.Render(c, status, "service_accounts", pg)
}

func (a *area) createServiceAccountPage(c *gin.Context) {
	in := ServiceAccountForm{
		Name: c.PostForm("name"), Units: splitUnits(c.PostFormArray("units")), ExpiresAt: c.PostForm("expires_at"),
	}
	for _, r := range c.PostFormArray("roles") {
		in.Roles = append(in.Roles, domain.Role(r))
	}
	form := web.NewForm().Set("name", in.Name).Set("units", strings.Join(in.Units, ", ")).Set("expires_at", in.ExpiresAt)
	sa, token, err := a.s.CreateServiceAccount(c.Request.Context(), in, a.actor(c))
	var ve *fielderr.Invalid
	switch {
	case errors.As(err, &ve):
		a.renderServiceAccounts(c, http.StatusUnprocessableEntity, form.AddProblems(ve.Problems), nil, "", nil, nil)
		return
	case err != nil:
		a.Fail(c, err)
		return
	}
	// The answer is the page with the token, not a redirect: a token in a
	// URL would end up in the browser's history.
	a.renderServiceAccounts(c, http.StatusCreated, a.newAccountForm(), sa, token, nil, webkit.Flash("web.service_accounts.created_flash", sa.Name))
}

// revokeServiceAccountPage revokes in two presses: the first shows a card
// naming the account (nothing changes), the second (confirm=yes) revokes.
func (a *area) revokeServiceAccountPage(c *gin.Context) {
	ctx := c.Request.Context()
	sa, err := a.s.Accounts.ServiceAccount(ctx, c.Param("id"))
	if errors.Is(err, store.ErrNotFound) {
		a.ErrorPage(c, http.StatusNotFound, "web.error.404")
		return
	} else if err != nil {
		a.Fail(c, err)
		return
	}
	if !webkit.Confirmed(c) {
		card := &webkit.ConfirmCard{
			Text:   web.Msg("web.service_accounts.confirm_revoke", sa.Name, sa.DisplayPrefix()),
			Hint:   "web.service_accounts.confirm_revoke_hint",
			Action: serviceAccountsPath + "/" + sa.ID + "/revoke", Button: "web.service_accounts.revoke",
			Hidden: []webkit.HiddenField{{Name: "version", Value: strconv.FormatInt(sa.Version, 10)}},
			Back:   serviceAccountsPath,
		}
		a.renderServiceAccounts(c, http.StatusOK, a.newAccountForm(), nil, "", card, nil)
		return
	}
	_, err = a.s.Accounts.RevokeServiceAccount(ctx, sa.ID, formVersion(c), a.actor(c))
	switch {
	case errors.Is(err, domain.ErrAlreadyRevoked), errors.Is(err, store.ErrVersionMismatch):
		// Someone revoked it first: it is revoked, which is what was asked.
		c.Redirect(http.StatusSeeOther, serviceAccountsPath+"?m=revoked")
	case err != nil:
		a.Fail(c, err)
	default:
		c.Redirect(http.StatusSeeOther, serviceAccountsPath+"?m=revoked")
	}
}

// expiryDefault is the date the creation form suggests: the last day of a
// year from today (Asia/Shanghai), within domain.MaxTokenLife even across
// a 29 February.
func expiryDefault(clk clock.Clock) string {
	return clock.Today(clk).AddDate(1, 0, -1).Format(time.DateOnly)
}
