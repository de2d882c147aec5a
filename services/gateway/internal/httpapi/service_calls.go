package httpapi

import (
	"errors"

	"github.com/gin-gonic/gin"
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
