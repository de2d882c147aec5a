package webkit

import (
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/api/client"
	enrollmentapi "github.com/anxin-welfare/anxin/api/client/enrollment"
	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	injuryapi "github.com/anxin-welfare/anxin/api/client/injury"
	leaveapi "github.com/anxin-welfare/anxin/api/client/leave"
	notifyapi "github.com/anxin-welfare/anxin/api/client/notify"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// Routes is where the services are and how a call to one is signed: the
// gateway's Upstreams (httpapi), so a page's generated client goes through
// the same replica set, failover, timeout and identity token as the API
// proxy and every other page.
type Routes interface {
	// Has reports whether service is routed.
	Has(service string) bool
	// Route returns the base URL of service (before /api/v1/<service>) and
	// the HTTP client that sends to its replicas; download drops the call
	// timeout for a file the request's context bounds. ok is false when
	// service is not routed.
	Route(service string, download bool) (base string, doer client.Doer, ok bool)
	// Sign puts the identity token of user for the audience the request's
	// path names, the language, and the ids of the request's context on req.
	Sign(req *http.Request, user *domain.User, lang i18n.Lang) error
}

// ErrNotRouted means the page needs a service this gateway does not route.
var ErrNotRouted = errors.New("service not routed")

// Routed reports whether the gateway routes service.
func (k *Kit) Routed(service string) bool { return k.Routes != nil && k.Routes.Has(service) }

// signed is the Doer of one page's calls to one service: each request is
// signed for the page's user in the page's language, with the context
// CallContext gives it (the Idempotency-Key of a form's POST), then sent to
// a replica.
type signed struct {
	k       *Kit
	c       *gin.Context
	service string
	next    client.Doer
}

func (s signed) Do(req *http.Request) (*http.Response, error) {
	req = req.WithContext(s.k.Session.CallContext(s.c, req.Method, s.service, req.URL.RequestURI()))
	if err := s.k.Routes.Sign(req, s.k.User(s.c), s.k.Lang(s.c)); err != nil {
		return nil, err
	}
	return s.next.Do(req)
}

// doer is the Doer of a page's calls to service: signed, and refusals
// (non-2xx) returned as *client.Error.
func (k *Kit) doer(c *gin.Context, service string, download bool) (string, client.Doer, error) {
	if !k.Routed(service) {
		return "", nil, ErrNotRouted
	}
	base, next, _ := k.Routes.Route(service, download)
	return client.Server(base, service), client.Refusals(signed{k: k, c: c, service: service, next: next}), nil
}

// Leave is the leave service's client for this page's calls.
func (k *Kit) Leave(c *gin.Context) (*leaveapi.ClientWithResponses, error) {
	return k.leave(c, false)
}

// LeaveDownload is Leave without the call timeout, for a file the page
// streams to the browser.
func (k *Kit) LeaveDownload(c *gin.Context) (*leaveapi.ClientWithResponses, error) {
	return k.leave(c, true)
}

func (k *Kit) leave(c *gin.Context, download bool) (*leaveapi.ClientWithResponses, error) {
	server, d, err := k.doer(c, "leave", download)
	if err != nil {
		return nil, err
	}
	return leaveapi.NewClientWithResponses(server, leaveapi.WithHTTPClient(d))
}

// Grants is the grants service's client for this page's calls.
func (k *Kit) Grants(c *gin.Context) (*grantsapi.ClientWithResponses, error) {
	server, d, err := k.doer(c, "grants", false)
	if err != nil {
		return nil, err
	}
	return grantsapi.NewClientWithResponses(server, grantsapi.WithHTTPClient(d))
}

// Enrollment is the enrollment service's client for this page's calls.
func (k *Kit) Enrollment(c *gin.Context) (*enrollmentapi.ClientWithResponses, error) {
	server, d, err := k.doer(c, "enrollment", false)
	if err != nil {
		return nil, err
	}
	return enrollmentapi.NewClientWithResponses(server, enrollmentapi.WithHTTPClient(d))
}

// Injury is the injury service's client for this page's calls.
func (k *Kit) Injury(c *gin.Context) (*injuryapi.ClientWithResponses, error) {
	server, d, err := k.doer(c, "injury", false)
	if err != nil {
		return nil, err
	}
	return injuryapi.NewClientWithResponses(server, injuryapi.WithHTTPClient(d))
}

// Notify is the notify service's client for this page's calls: the
// person's inbox and preferences, and the administrators' deliveries and
// webhooks.
func (k *Kit) Notify(c *gin.Context) (*notifyapi.ClientWithResponses, error) {
	server, d, err := k.doer(c, "notify", false)
	if err != nil {
		return nil, err
	}
	return notifyapi.NewClientWithResponses(server, notifyapi.WithHTTPClient(d))
}

// ErrUnexpected means a service answered 2xx without the body its document
// promises (a generated response with no parsed JSON).
var ErrUnexpected = errors.New("service answered without the documented body")

// Done is the outcome of a call whose answer the page does not read (a
// change followed by a redirect): the generated ClientInterface method's
// response is drained and closed, and only a refusal or a failure to reach
// the service is an error. The body is not parsed, so a field the page
// never shows cannot fail the change it already made.
func Done(resp *http.Response, err error) error {
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.Body.Close()
}
