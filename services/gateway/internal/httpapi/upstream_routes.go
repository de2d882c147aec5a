package httpapi

import (
	"net/http"

	"github.com/anxin-welfare/anxin/api/client"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// The area packages (services/gateway/internal/pages/…) call the services
// through the generated clients (api/client/<service>) over this same
// machinery: the replica set with its failover, the call timeout, and the
// identity token addressed to the service's audience (webkit.Routes).

// Route returns the base URL (scheme and host, as the generated clients
// want it before /api/v1/<service>) and the HTTP client of a routed
// service: its replica set within the call timeout, or without a timeout
// for a download, which the request's context bounds instead.
func (u *Upstreams) Route(service string, download bool) (string, client.Doer, bool) {
	if !u.Has(service) {
		return "", nil, false
	}
	if download {
		return u.bases[service].String(), &http.Client{Transport: u.sets[service]}, true
	}
	return u.bases[service].String(), u.clients[service], true
}

// Sign puts on req what every call to a service carries: the identity token of
// user for the audience req's path names, the user's language, and the
// request and trace ids (and Idempotency-Key) of req's context.
func (u *Upstreams) Sign(req *http.Request, user *domain.User, lang i18n.Lang) error {
	return u.authorize(req, user, lang)
}
