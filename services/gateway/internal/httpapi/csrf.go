package httpapi

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/httpx"
)

// Cross-site request forgery is stopped twice. First, Go's
// http.CrossOriginProtection refuses any unsafe request a browser marks as
// cross-site (Sec-Fetch-Site, or an Origin that is not this host). Second,
// every state-changing form carries a token that a page of another site
// cannot read: the session's own for a signed-in user, a double-submit
// cookie's for a visitor (the sign-in form). The token guards browsers too
// old to send either header.

// formField and formHeader carry the token in a form and in an API call.
const (
	formField  = "csrf_token"
	formHeader = "X-CSRF-Token"
)

// codeCSRF is the problem code of a refused cross-site request.
const codeCSRF = "gateway.csrf"

// crossOrigin applies http.CrossOriginProtection to every request.
func (h *handlers) crossOrigin(c *gin.Context) {
	if err := h.cop.Check(c.Request); err != nil {
		h.refuseForgery(c)
	}
}

// formToken checks the form token of every unsafe page request.
func (h *handlers) formToken(c *gin.Context) {
	if safeMethod(c.Request.Method) {
		return
	}
	got := c.PostForm(formField)
	if got == "" {
		got = c.GetHeader(formHeader)
	}
	if sess, ok := currentSession(c); ok {
		if !sess.CSRFMatches(got) {
			h.refuseForgery(c)
			return
		}
		h.submitOnce(c)
		return
	}
	want := cookie(c, h.formCookieName())
	if want != "" && got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1 {
		return
	}
	// A form of a session that has ended (idle too long, signed out in
	// another tab) is no forgery: the browser still sends the session's
	// cookie, the same-origin checks above have passed. Nothing is done;
	// the person signs in again and comes back to the page the form was on.
	if cookie(c, h.sessionCookieName()) != "" {
		c.Redirect(http.StatusSeeOther, "/signin?m=session_ended&next="+url.QueryEscape(formPage(c)))
		c.Abort()
		return
	}
	h.refuseForgery(c)
}

// formPage is the page a posted form was on, from the Referer when it is
// this site's, else the home page; the sign-in page keeps only local paths.
func formPage(c *gin.Context) string {
	ref, err := url.Parse(c.GetHeader("Referer"))
	if err != nil || ref.Host != c.Request.Host || ref.Path == "" {
		return "/"
	}
	return ref.RequestURI()
}

// apiToken requires, for an unsafe API call made with a session cookie, the
// session's token in X-CSRF-Token. Calls without a session are refused
// later as unauthenticated.
func (h *handlers) apiToken(c *gin.Context) {
	if safeMethod(c.Request.Method) {
		return
	}
	if sess, ok := currentSession(c); ok && !sess.CSRFMatches(c.GetHeader(formHeader)) {
		h.refuseForgery(c)
	}
}

// formTokenFor returns the token the page's forms must carry: the
// session's, or for a visitor the double-submit cookie's, set when missing.
func (h *handlers) formTokenFor(c *gin.Context) string {
	if sess, ok := currentSession(c); ok {
		return sess.CSRFToken
	}
	if v := cookie(c, h.formCookieName()); len(v) >= 32 {
		return v
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	h.setCookie(c, h.formCookieName(), v, 0)
	return v
}

func (h *handlers) refuseForgery(c *gin.Context) {
	h.Log.WarnContext(c, "cross-site request refused", "path", c.Request.URL.Path, "origin", c.GetHeader("Origin"),
		"sec_fetch_site", c.GetHeader("Sec-Fetch-Site"))
	if isAPI(c) {
		httpx.Respond(c, httpx.NewError(http.StatusForbidden, codeCSRF))
		return
	}
	h.errorPage(c, http.StatusForbidden, "web.error.csrf")
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// securityHeaders sets the headers every response carries: no framing, no
// MIME sniffing, no referrer across sites, and a content security policy
// that allows only this site's stylesheet and images, no script at all.
func (h *handlers) securityHeaders(c *gin.Context) {
	hd := c.Writer.Header()
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Referrer-Policy", "same-origin")
	if !isAPI(c) {
		hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; "+
			"form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	}
	if h.Secure {
		hd.Set("Strict-Transport-Security", "max-age=31536000")
	}
}
