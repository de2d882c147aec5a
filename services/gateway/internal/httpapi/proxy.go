package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httputil"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/httpx"
)

// codeUpstreamUnavailable answers an API call whose service did not answer.
const codeUpstreamUnavailable = "gateway.upstream_unavailable"

// proxy forwards /api/v1/<service>/… to the service as the signed-in user
// or the service account of the request's API token.
// The browser's credentials (cookies, any Authorization) never reach the
// service: it gets a short-lived signed identity token and the user's
// language instead, and it may not set cookies on the gateway's site.
func (h *handlers) proxy(c *gin.Context) {
	name := c.Param("service")
	base, ok := h.Upstreams.bases[name]
	if !ok {
		httpx.Respond(c, httpx.NotFound())
		return
	}
	if strings.Contains(c.Request.URL.Path, "/../") || strings.Contains(c.Request.URL.Path, "/./") {
		httpx.Respond(c, httpx.NotFound())
		return
	}
	lang := lang(c)
	token, err := h.Upstreams.token(apiCaller(c), lang, name)
	if err != nil {
		httpx.Respond(c, fmt.Errorf("issue identity token: %w", err))
		return
	}
	rp := &httputil.ReverseProxy{
		Transport: h.Upstreams.transport(name), // the service's replicas, with failover
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(base)
			r.Out.URL.Path = base.Path + r.In.URL.Path
			r.Out.URL.RawPath = ""
			r.SetXForwarded()
			for _, hd := range []string{"Cookie", "Authorization", formHeader, httpx.HeaderLang, "Proxy-Authorization"} {
				r.Out.Header.Del(hd)
			}
			r.Out.Header.Set("Authorization", "Bearer "+token)
			r.Out.Header.Set(httpx.HeaderLang, string(lang))
			httpx.Propagate(r.In.Context(), r.Out.Header)
		},
		ModifyResponse: func(resp *http.Response) error {
			resp.Header.Del("Set-Cookie")
			// The headers the gateway has already set (X-Request-ID,
			// Cache-Control: no-store, the security headers) are its
			// answer: the service's copies would be added beside them,
			// and a client would see X-Request-ID twice.
			for k := range c.Writer.Header() {
				resp.Header.Del(k)
			}
			return nil
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			// The client's body was over the gateway's cap: the client's
			// mistake, not the service's, and it must hear the cap.
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				httpx.Respond(c, httpx.TooLarge(tooLarge.Limit))
				return
			}
			h.Log.WarnContext(r.Context(), "upstream failed", "service", name, "path", r.URL.Path, "error", err)
			httpx.Respond(c, httpx.NewError(http.StatusBadGateway, codeUpstreamUnavailable))
		},
	}
	rp.ServeHTTP(c.Writer, c.Request)
}

// audienceOf is the service an API path is for (/api/v1/<service>/…): the
// audience of the identity token the gateway mints for the call, which
// that service alone accepts.
func audienceOf(path string) string {
	rest, _ := strings.CutPrefix(path, "/api/v1/")
	name, _, _ := strings.Cut(rest, "/")
	return name
}
