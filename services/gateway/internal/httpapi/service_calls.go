package httpapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// call makes an API call to a service as the signed-in user, in the page's
// language: the pages use exactly the APIs the browser could call through
// the proxy, so they can never show or do more than the API allows.
func (h *handlers) call(c *gin.Context, method, service, path string, ifMatch int64, body, out any) (string, error) {
	if h.Upstreams == nil || !h.Upstreams.Has(service) {
		return "", errNotRouted
	}
	return h.Upstreams.Call(callContext(c, method, service, path), currentUser(c), lang(c), method, service, path, ifMatch, body, out)
}

// errNotRouted means the page needs a service this gateway does not route.
var errNotRouted = errors.New("service not routed")

// serviceFailed shows the page for an API call that failed with err, as
// the service meant it: its 404 as ours (the object does not exist for
// this user), its 403 as ours, anything unreachable as 503.
func (h *handlers) serviceFailed(c *gin.Context, err error) {
	var ae *APIError
	switch {
	case errors.As(err, &ae) && ae.Status == http.StatusNotFound:
		h.errorPage(c, http.StatusNotFound, "web.error.404")
	case errors.As(err, &ae) && ae.Status == http.StatusForbidden:
		h.errorPage(c, http.StatusForbidden, "web.error.403")
	case errors.As(err, &ae) && ae.Status == http.StatusUnauthorized:
		c.Redirect(http.StatusSeeOther, "/signin?m=session_ended&next="+url.QueryEscape(c.Request.URL.RequestURI()))
		c.Abort()
	case errors.As(err, &ae) && ae.Status < 500:
		h.Log.WarnContext(c, "service refused a page's call", "status", ae.Status, "code", ae.Problem.Code)
		h.errorPage(c, http.StatusBadRequest, "web.error.400")
	case errors.Is(err, context.Canceled):
		c.Abort()
	default:
		h.Log.ErrorContext(c, "service call failed", "error", err)
		h.errorPage(c, http.StatusServiceUnavailable, "web.error.503")
	}
}

// problemOnForm puts a service's refusal on a form: each field problem
// next to its field (already in the reader's language), anything else at
// the top. It reports false when err is not a refusal to explain there —
// a 5xx, 401, 404, or a plain 403 — which the caller shows as a page. A
// 403 with its own code (grants.same_approver: "you approved this round
// already") is a rule the person should read, so it is explained.
func problemOnForm(err error, form *web.Form, fields map[string]string) bool {
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status >= 500 || ae.Status == http.StatusUnauthorized || ae.Status == http.StatusNotFound ||
		(ae.Status == http.StatusForbidden && (ae.Problem.Code == "" || ae.Problem.Code == "forbidden")) {
		return false
	}
	placed := false
	for _, fe := range ae.Problem.Errors {
		name := fe.Field
		if alias, ok := fields[name]; ok {
			name = alias
		}
		form.AddError(name, web.Localized(fe.Message))
		placed = true
	}
	if !placed {
		text := ae.Problem.Title
		if ae.Problem.Detail != "" {
			text += ": " + ae.Problem.Detail
		}
		form.AddError("", web.Localized(text))
	}
	return true
}
