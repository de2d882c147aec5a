package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// Cookie names. With Secure, the session cookie takes the __Host- prefix,
// which browsers accept only from HTTPS, for the whole site, with no
// Domain: no sibling subdomain can plant or read it.
const (
	sessionCookieDev    = "anxin_session"
	sessionCookieSecure = "__Host-anxin_session"
	// formCookie carries the form token of visitors not signed in (the
	// sign-in form itself), compared with the form field (double submit).
	formCookieDev    = "anxin_form"
	formCookieSecure = "__Host-anxin_form"
	// langCookie remembers a visitor's language before sign-in.
	langCookie = "anxin_lang"
)

func (h *handlers) sessionCookieName() string {
	if h.Secure {
		return sessionCookieSecure
	}
	return sessionCookieDev
}

func (h *handlers) formCookieName() string {
	if h.Secure {
		return formCookieSecure
	}
	return formCookieDev
}

// setCookie writes an HttpOnly, SameSite=Lax cookie for the whole site,
// Secure outside development. maxAge 0 makes a browser-session cookie; a
// negative maxAge deletes the cookie.
func (h *handlers) setCookie(c *gin.Context, name, value string, maxAge time.Duration) {
	ck := &http.Cookie{ //nolint:gosec // Secure is on everywhere but development, where the site is plain http://localhost
		Name: name, Value: value, Path: "/", HttpOnly: true, Secure: h.Secure, SameSite: http.SameSiteLaxMode,
	}
	switch {
	case maxAge < 0:
		ck.MaxAge = -1
		ck.Expires = time.Unix(0, 0)
	case maxAge > 0:
		ck.MaxAge = int(maxAge / time.Second)
	}
	http.SetCookie(c.Writer, ck)
}

func cookie(c *gin.Context, name string) string {
	v, err := c.Cookie(name)
	if err != nil {
		return ""
	}
	return v
}
