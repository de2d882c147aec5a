package httpapi

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
	Pages    pager
	CanEdit  bool
	// Token is the token of the account just created: shown this once.
	Token   string
	Created *domain.ServiceAccount
	// RoleChoices and Units are the creation form's checkboxes; Units is
	// nil when the registry cannot be asked (the form has a text field).
	RoleChoices []roleChoice
	Units       []unitChoice
	Confirm     *confirmCard
	// MaxDays is the longest validity, for the expiry's hint.
	MaxDays int
}

func (h *handlers) registerServiceAccountPages(g *gin.RouterGroup) {
	read := h.requireUser(domain.RoleAdmin, domain.RoleAuditor)
	write := h.requireUser(domain.RoleAdmin)
	g.GET(serviceAccountsPath, read, h.serviceAccountsPage)
	g.POST(serviceAccountsPath, write, h.createServiceAccountPage)
	g.POST(serviceAccountsPath+"/:id/revoke", write, h.revokeServiceAccountPage)
}

func (h *handlers) serviceAccountsPage(c *gin.Context) {
	var flash *web.Message
	if c.Query("m") == "revoked" {
		m := web.Msg("web.service_accounts.revoked")
		flash = &m
	}
	h.renderServiceAccounts(c, http.StatusOK, h.newAccountForm(), nil, "", nil, flash)
}

// newAccountForm is the empty creation form, suggesting the longest expiry.
func (h *handlers) newAccountForm() *web.Form {
	return web.NewForm().Set("expires_at", expiryDefault(h.Clock))
}

// renderServiceAccounts shows the page: form holds the creation form's
// values and problems, created and token the account just made, card a
// confirmation.
func (h *handlers) renderServiceAccounts(c *gin.Context, status int, form *web.Form, created *domain.ServiceAccount, token string,
	card *confirmCard, flash *web.Message) {
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
	items, err := h.Accounts.ServiceAccounts(c.Request.Context(), p)
	if err != nil {
		h.fail(c, err)
		return
	}
	items, next := page.Trim(pr, items, func(a *domain.ServiceAccount) string { return page.Cursor(a.CreatedAt, a.ID) })
	now := h.Clock.Now()
	d := serviceAccountsData{CanEdit: currentUser(c).Has(domain.RoleAdmin), Created: created, Token: token, Confirm: card,
		Pages: pagerAt(c, serviceAccountsPath, c.Request.URL.Query(), "accounts", "after", next), MaxDays: int(domain.MaxTokenLife / (24 * time.Hour))}
	for _, a := range items {
		d.Accounts = append(d.Accounts, accountRow{ServiceAccount: a, Status: accountStatus(a, now)})
	}
	pg := h.page(c, "web.service_accounts.title")
	pg.Flash = flash
	h.withUnitNames(c, pg)
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
			slices.SortFunc(d.Units, func(a, b unitChoice) int { return cmp.Or(cmp.Compare(a.Label, b.Label), cmp.Compare(a.ID, b.ID)) })
		}
	}
	pg.Form = form
	pg.Data = d
	if token != "" {
		// The token is on this page only: no cache may keep it.
		c.Header("Cache-Control", "no-store")
	}
	h.render(c, status, "service_accounts", pg)
}

func (h *handlers) createServiceAccountPage(c *gin.Context) {
	req := serviceAccountRequest{
		Name: c.PostForm("name"), Units: splitUnits(c.PostFormArray("units")), ExpiresAt: c.PostForm("expires_at"),
	}
	for _, r := range c.PostFormArray("roles") {
		req.Roles = append(req.Roles, domain.Role(r))
	}
	form := web.NewForm().Set("name", req.Name).Set("units", strings.Join(req.Units, ", ")).Set("expires_at", req.ExpiresAt)
	a, token, err := h.createServiceAccount(c, req)
	var ve *fielderr.Invalid
	switch {
	case errors.As(err, &ve):
		h.renderServiceAccounts(c, http.StatusUnprocessableEntity, form.AddProblems(ve.Problems), nil, "", nil, nil)
		return
	case err != nil:
		h.fail(c, err)
		return
	}
	// The answer is the page with the token, not a redirect: a token in a
	// URL would end up in the browser's history.
	m := web.Msg("web.service_accounts.created_flash", a.Name)
	h.renderServiceAccounts(c, http.StatusCreated, h.newAccountForm(), a, token, nil, &m)
}

// revokeServiceAccountPage revokes in two presses: the first shows a card
// naming the account (nothing changes), the second (confirm=yes) revokes.
func (h *handlers) revokeServiceAccountPage(c *gin.Context) {
	ctx := c.Request.Context()
	a, err := h.Accounts.ServiceAccount(ctx, c.Param("id"))
	if errors.Is(err, store.ErrNotFound) {
		h.errorPage(c, http.StatusNotFound, "web.error.404")
		return
	} else if err != nil {
		h.fail(c, err)
		return
	}
	if !confirmed(c) {
		card := &confirmCard{
			Text:   web.Msg("web.service_accounts.confirm_revoke", a.Name, a.DisplayPrefix()),
			Hint:   "web.service_accounts.confirm_revoke_hint",
			Action: serviceAccountsPath + "/" + a.ID + "/revoke", Button: "web.service_accounts.revoke",
			Hidden: []hiddenField{{Name: "version", Value: strconv.FormatInt(a.Version, 10)}},
			Back:   serviceAccountsPath,
		}
		h.renderServiceAccounts(c, http.StatusOK, h.newAccountForm(), nil, "", card, nil)
		return
	}
	_, err = h.Accounts.RevokeServiceAccount(ctx, a.ID, formVersion(c), actor(c))
	switch {
	case errors.Is(err, domain.ErrAlreadyRevoked), errors.Is(err, store.ErrVersionMismatch):
		// Someone revoked it first: it is revoked, which is what was asked.
		c.Redirect(http.StatusSeeOther, serviceAccountsPath+"?m=revoked")
	case err != nil:
		h.fail(c, err)
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
