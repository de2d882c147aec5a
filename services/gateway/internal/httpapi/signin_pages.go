package httpapi

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/reqctx"
	"github.com/anxin-welfare/anxin/services/gateway/internal/accounts"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// signInData is the sign-in page's own data.
type signInData struct {
	Next string
	OIDC bool
}

// notices are the messages the sign-in page shows on ?m=…, a closed list
// so a link cannot make the page say anything else.
var notices = map[string]string{
	"signed_out":    "web.signin.signed_out",
	"session_ended": "web.signin.session_ended",
}

// home sends each person to the page of their daily work.
func (h *handlers) home(c *gin.Context) {
	u := currentUser(c)
	if u == nil {
		c.Redirect(http.StatusSeeOther, "/signin")
		return
	}
	c.Redirect(http.StatusSeeOther, domain.HomePath(u.Roles))
}

func (h *handlers) signInPage(c *gin.Context) {
	if u := currentUser(c); u != nil {
		c.Redirect(http.StatusSeeOther, web.SafeNext(c.Query("next")))
		return
	}
	p := h.page(c, "web.signin.title")
	if key, ok := notices[c.Query("m")]; ok {
		m := web.Msg(key)
		p.Flash = &m
	}
	p.Data = signInData{Next: web.SafeNext(c.Query("next")), OIDC: h.OIDC != nil}
	h.render(c, http.StatusOK, "signin", p)
}

func (h *handlers) signIn(c *gin.Context) {
	in := domain.SignInInput{Username: c.PostForm("username"), Password: c.PostForm("password")}
	next := c.PostForm("next")
	if old, ok := currentSession(c); ok {
		// Signing in again replaces the session; the old id must die.
		if err := h.Accounts.SignOut(c.Request.Context(), old); err != nil {
			h.fail(c, err)
			return
		}
	}
	res, err := h.Accounts.SignIn(c.Request.Context(), in, c.ClientIP(), c.Request.UserAgent())
	if err != nil {
		form := web.NewForm().Set("username", c.PostForm("username"))
		var ve *fielderr.Invalid
		var te *domain.ThrottledError
		status := http.StatusUnauthorized
		outcome := outcomeInvalid
		switch {
		case errors.As(err, &ve):
			status, outcome = http.StatusUnprocessableEntity, outcomeIncomplete
			form.AddProblems(ve.Problems)
		case errors.As(err, &te):
			status, outcome = http.StatusTooManyRequests, outcomeThrottled
			c.Header("Retry-After", itoaSeconds(te.Wait))
			form.AddError("", web.Msg(te.Code(), te.Minutes()))
		case errors.Is(err, domain.ErrInvalidCredentials):
			form.AddError("", web.Msg(domain.CodeSignInInvalid))
		default:
			h.fail(c, err)
			return
		}
		h.recordSession(c, actionSignInFailed, h.userIDByUsername(c.Request.Context(), in.Username),
			sessionRecord{Username: in.Username, Address: c.ClientIP(), Outcome: outcome, Method: "password"})
		c.Set(ctxUser, nil)
		c.Set(ctxSession, nil)
		p := h.page(c, "web.signin.title")
		p.Form = form
		p.Data = signInData{Next: web.SafeNext(next), OIDC: h.OIDC != nil}
		h.render(c, status, "signin", p)
		return
	}
	h.recordSession(c, actionSignIn, res.User.ID,
		sessionRecord{Username: in.Username, Address: c.ClientIP(), Outcome: outcomeOK, Method: "password"})
	h.startSession(c, res, next)
}

// startSession sets the cookie of a new session and sends the user on. A
// language the visitor chose with the switch before signing in becomes the
// account's: they just said which language they read.
func (h *handlers) startSession(c *gin.Context, res accounts.SignedIn, next string) {
	h.setCookie(c, h.sessionCookieName(), res.Token, 0)
	if v := cookie(c, langCookie); v != "" && string(i18n.Parse(v)) != res.User.Lang {
		if _, err := h.Accounts.SetLang(c.Request.Context(), res.User, string(i18n.Parse(v)), store.Actor{UserID: res.User.ID}); err != nil {
			h.Log.WarnContext(c, "keep the chosen language", "error", err)
		}
	}
	dest := web.SafeNext(next)
	if dest == "/" {
		dest = domain.HomePath(res.User.Roles)
	}
	if res.Failures.Interrupts(c.ClientIP(), h.Clock.Now()) {
		// Tell the person before anything else; the page links on to dest.
		dest = "/account?m=failed_signins&next=" + url.QueryEscape(dest)
	}
	c.Redirect(http.StatusSeeOther, dest)
}

func (h *handlers) signOut(c *gin.Context) {
	if sess, ok := currentSession(c); ok {
		if err := h.Accounts.SignOut(c.Request.Context(), sess); err != nil {
			h.fail(c, err)
			return
		}
		rec := sessionRecord{Address: c.ClientIP(), Outcome: outcomeOK}
		if u := currentUser(c); u != nil {
			rec.Username = u.Username
		}
		h.recordSession(c, actionSignOut, sess.UserID, rec)
	}
	h.setCookie(c, h.sessionCookieName(), "", -1)
	// The next person at this browser starts in Chinese again.
	h.setCookie(c, langCookie, "", -1)
	c.Redirect(http.StatusSeeOther, "/signin?m=signed_out")
}

// setLang switches the language: for a user it is saved with their
// account (and forwarded to the services as X-Anxin-Lang), for a visitor
// in a cookie.
func (h *handlers) setLang(c *gin.Context) {
	l := i18n.Parse(c.PostForm("lang"))
	if u := currentUser(c); u != nil && u.Lang != string(l) {
		if _, err := h.Accounts.SetLang(c.Request.Context(), u, string(l), actor(c)); err != nil {
			h.fail(c, err)
			return
		}
	}
	h.setCookie(c, langCookie, string(l), 365*24*time.Hour)
	c.Redirect(http.StatusSeeOther, web.SafeNext(c.PostForm("next")))
}

func itoaSeconds(d time.Duration) string {
	s := int64((d + time.Second - 1) / time.Second)
	if s < 1 {
		s = 1
	}
	return strconv.FormatInt(s, 10)
}

// actor is the signed-in user as the author of a change, for audit rows.
func actor(c *gin.Context) store.Actor {
	a := store.Actor{RequestID: reqctx.RequestID(c.Request.Context())}
	if u := currentUser(c); u != nil {
		a.UserID = u.ID
	}
	return a
}
