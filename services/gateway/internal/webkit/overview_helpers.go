package webkit

import (
	"context"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/api/client"
	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	injuryapi "github.com/anxin-welfare/anxin/api/client/injury"
	leaveapi "github.com/anxin-welfare/anxin/api/client/leave"
	notifyapi "github.com/anxin-welfare/anxin/api/client/notify"
)

// A page that asks several services at once (the overview), or asks for
// something it can do without (the header's unread count), bounds the
// calls by its own deadline, shorter than the Upstreams' call
// timeout. The kit's clients sign each request with the page's call
// context (CallContext), which would drop the deadline of the context
// the generated method was given; these clients keep it.

// InjuryWithin is Injury whose calls also end at ctx's deadline.
func (k *Kit) InjuryWithin(ctx context.Context, c *gin.Context) (*injuryapi.ClientWithResponses, error) {
	server, d, err := k.doerWithin(ctx, c, "injury")
	if err != nil {
		return nil, err
	}
	return injuryapi.NewClientWithResponses(server, injuryapi.WithHTTPClient(d))
}

// GrantsWithin is Grants whose calls also end at ctx's deadline.
func (k *Kit) GrantsWithin(ctx context.Context, c *gin.Context) (*grantsapi.ClientWithResponses, error) {
	server, d, err := k.doerWithin(ctx, c, "grants")
	if err != nil {
		return nil, err
	}
	return grantsapi.NewClientWithResponses(server, grantsapi.WithHTTPClient(d))
}

// LeaveWithin is Leave whose calls also end at ctx's deadline.
func (k *Kit) LeaveWithin(ctx context.Context, c *gin.Context) (*leaveapi.ClientWithResponses, error) {
	server, d, err := k.doerWithin(ctx, c, "leave")
	if err != nil {
		return nil, err
	}
	return leaveapi.NewClientWithResponses(server, leaveapi.WithHTTPClient(d))
}

// NotifyWithin is Notify whose calls also end at ctx's deadline (the
// header's unread count, which a page never waits long for).
func (k *Kit) NotifyWithin(ctx context.Context, c *gin.Context) (*notifyapi.ClientWithResponses, error) {
	server, d, err := k.doerWithin(ctx, c, "notify")
	if err != nil {
		return nil, err
	}
	return notifyapi.NewClientWithResponses(server, notifyapi.WithHTTPClient(d))
}

// doerWithin is doer with the sending bounded by ctx's deadline.
func (k *Kit) doerWithin(ctx context.Context, c *gin.Context, service string) (string, client.Doer, error) {
	if !k.Routed(service) {
		return "", nil, ErrNotRouted
	}
	base, next, _ := k.Routes.Route(service, false)
	return client.Server(base, service), client.Refusals(signed{k: k, c: c, service: service, next: within{ctx: ctx, next: next}}), nil
}

// within sends a signed request under ctx's deadline as well as its own
// context; a call past the deadline fails with context.DeadlineExceeded
// (the 503 page), not as a cancelled request.
type within struct {
	ctx  context.Context
	next client.Doer
}

func (w within) Do(req *http.Request) (*http.Response, error) {
	deadline, ok := w.ctx.Deadline()
	if !ok {
		return w.next.Do(req)
	}
	ctx, cancel := context.WithDeadline(req.Context(), deadline)
	// Released when the page's bound ends, not before (the caller still
	// reads the body): at the deadline by its own timer, so the call fails
	// with DeadlineExceeded; when the page cancels the bound (every answer
	// read, or the request gone), by cancel. Cancelling at the deadline too
	// could win the race with the timer and fail the call as Canceled,
	// which pages take for a reader who left.
	context.AfterFunc(w.ctx, func() {
		if !errors.Is(w.ctx.Err(), context.DeadlineExceeded) {
			cancel()
		}
	})
	return w.next.Do(req.WithContext(ctx))
}
