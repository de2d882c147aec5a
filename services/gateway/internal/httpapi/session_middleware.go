package httpapi

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	enrollmentapi "github.com/anxin-welfare/anxin/api/client/enrollment"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/gateway/internal/accounts"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Keys of what the middleware puts on the gin context.
const (
	ctxSession = "gateway/session"
	ctxUser    = "gateway/user"
)

// loadSession resolves the session cookie, if any, and keeps the session
// and its user on the context. A stale cookie is cleared. It never refuses
// a request: pages and endpoints decide whether they need a user.
func (h *handlers) loadSession(c *gin.Context) {
	token := cookie(c, h.sessionCookieName())
	if token == "" {
		return
	}
	sess, u, err := h.Accounts.Resolve(c.Request.Context(), token)
	switch {
	case errors.Is(err, accounts.ErrNoSession):
		h.setCookie(c, h.sessionCookieName(), "", -1)
		return
	case err != nil:
		h.fail(c, err)
		return
	}
	c.Set(ctxSession, sess)
	c.Set(ctxUser, u)
}

// currentUser returns the signed-in user, or nil.
func currentUser(c *gin.Context) *domain.User {
	u, _ := c.Get(ctxUser)
	user, _ := u.(*domain.User)
	return user
}

// currentSession returns the signed-in session and whether there is one.
func currentSession(c *gin.Context) (domain.Session, bool) {
	s, ok := c.Get(ctxSession)
	sess, _ := s.(domain.Session)
	return sess, ok
}

// requireUser sends a visitor without a session to sign-in, returning
// here afterwards, and lets users holding any of roles through (any user
// when roles is empty). Others see the 403 page.
func (h *handlers) requireUser(roles ...domain.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := currentUser(c)
		if u == nil {
			c.Redirect(http.StatusSeeOther, "/signin?next="+url.QueryEscape(c.Request.URL.RequestURI()))
			c.Abort()
			return
		}
		if len(roles) > 0 && !u.Has(roles...) {
			h.errorPage(c, http.StatusForbidden, "web.error.403")
			return
		}
	}
}

// requireAPIUser answers 401 to an API request without a session, and 403
// to a service account: the gateway's own API is for people.
func (h *handlers) requireAPIUser(c *gin.Context) {
	if currentMachine(c) != nil {
		httpx.Respond(c, httpx.NewError(http.StatusForbidden, codeTokenPeopleOnly))
		return
	}
	if currentUser(c) == nil {
		httpx.Respond(c, httpx.Unauthenticated())
	}
}

// lang is the language of the page: the user's setting, else the
// visitor's choice (cookie), else Chinese. The browser's Accept-Language is
// deliberately not consulted: every page is Chinese unless a person chose
// English with the switch (ARCHITECTURE.md), so a borrowed or
// English-configured phone shows the county's pages as everyone else sees
// them.
func lang(c *gin.Context) i18n.Lang {
	if currentMachine(c) != nil {
		return machineLang(c)
	}
	if u := currentUser(c); u != nil {
		return i18n.Parse(u.Lang)
	}
	if v := cookie(c, langCookie); v != "" {
		return i18n.Parse(v)
	}
	return i18n.Default
}

// page starts the view model of a page titled title for the current
// visitor.
func (h *handlers) page(c *gin.Context, title string) *web.Page {
	p := &web.Page{Lang: lang(c), Title: title, Path: returnPath(c), CSRF: h.formTokenFor(c)}
	if u := currentUser(c); u != nil {
		p.User = &web.Viewer{Name: u.DisplayName, Roles: u.Roles}
		p.Nav = web.NavFor(u.Roles, c.Request.URL.Path)
		if n, ok := h.unreadCount(c); ok {
			p.Unread = n
		}
	}
	return p
}

// withUnitNames fills p.UnitNames from enrollment's unit list, so pages
// show unit names rather than ids. Without enrollment the page still
// renders, with ids.
func (h *handlers) withUnitNames(c *gin.Context, p *web.Page) {
	if !h.Upstreams.Has("enrollment") {
		return
	}
	api, err := h.kit().Enrollment(c)
	var units []enrollmentapi.Unit
	if err == nil {
		limit := page.MaxLimit
		units, err = webkit.All(func(after *string) ([]enrollmentapi.Unit, *string, error) {
			r, err := api.ListUnitsWithResponse(c.Request.Context(), &enrollmentapi.ListUnitsParams{Limit: &limit, After: after})
			if err != nil {
				return nil, nil, err
			}
			if r.JSON200 == nil {
				return nil, nil, webkit.ErrUnexpected
			}
			return r.JSON200.Units, r.JSON200.Next, nil
		})
	}
	if err != nil {
		h.Log.InfoContext(c, "page without unit names", "error", err)
		return
	}
	p.UnitNames = make(map[string]string, len(units))
	for _, u := range units {
		p.UnitNames[u.Id.String()] = u.Name
	}
}

// returnPath is where the language switch brings the reader back to. A
// page answering a GET is its own address; a page answering a POST (a
// refused form shown again) has an address that only takes POSTs, so the
// switch goes back to the page the form was sent from: the Referer, which
// same-origin pages send (Referrer-Policy: same-origin), or else home.
func returnPath(c *gin.Context) string {
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		return web.SafeNext(c.Request.URL.RequestURI())
	}
	ref, err := url.Parse(c.Request.Referer())
	if err != nil || ref.Host != c.Request.Host {
		return "/"
	}
	return web.SafeNext(ref.RequestURI())
}

// render writes a page, or the 500 page when it cannot be rendered.
func (h *handlers) render(c *gin.Context, status int, name string, p *web.Page) {
	if err := h.Renderer.Render(c.Writer, status, name, p); err != nil {
		h.Log.ErrorContext(c, "render page", "page", name, "error", err)
		if !c.Writer.Written() {
			c.String(http.StatusInternalServerError, "internal error")
		}
	}
	c.Abort()
}

// errorPage renders the error page with status and a message key.
func (h *handlers) errorPage(c *gin.Context, status int, msgKey string) {
	titleKey := "web.error.title.500"
	switch status {
	case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusServiceUnavailable:
		titleKey = "web.error.title." + strconv.Itoa(status)
	}
	p := h.page(c, titleKey)
	p.Data = struct{ Message web.Message }{web.Msg(msgKey)}
	h.render(c, status, "error", p)
}

// fail logs an unexpected error and shows the 500 page (or problem, for
// the API).
func (h *handlers) fail(c *gin.Context, err error) {
	if isAPI(c) {
		httpx.Respond(c, err)
		return
	}
	if httpx.DatabaseUnavailable(c.Request.Context(), err) {
		h.Log.WarnContext(c, "database unavailable", "path", c.FullPath(), "error", err)
		c.Header("Retry-After", strconv.Itoa(httpx.RetryAfterSeconds))
		h.errorPage(c, http.StatusServiceUnavailable, "web.error.503")
		return
	}
	h.Log.ErrorContext(c, "request failed", "path", c.FullPath(), "error", err)
	h.errorPage(c, http.StatusInternalServerError, "web.error.500")
}

func isAPI(c *gin.Context) bool {
	return strings.HasPrefix(c.Request.URL.Path, "/api/")
}
