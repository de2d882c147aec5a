// Package recipients asks the gateway, which owns accounts, roles and
// units, who belongs to an audience: over NATS request-reply on
// Subject (served by the gateway), so notify reads no other schema and
// keeps no copy of the accounts that could go stale.
package recipients

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
)

// Subject is the gateway's recipients endpoint. Request
// {"audiences":[{"member":"…"} | {"role":"…","unit":"…"}]}, answer
// {"recipients":[{"user_id":"…","lang":"zh-CN"}]}: the enabled accounts in
// any of the audiences, each once. Documented in api/openapi/notify.yaml
// (x-nats).
const Subject = "anxin.gateway.recipients"

// Request is the question.
type Request struct {
	Audiences []domain.Audience `json:"audiences"`
}

// Response is the answer.
type Response struct {
	Recipients []domain.Recipient `json:"recipients"`
}

// Client asks the gateway.
type Client struct {
	NC      *nats.Conn
	Timeout time.Duration
}

// Resolve returns the people in audiences. A gateway that is down is an
// error: the consumer retries the event with backoff.
func (c *Client) Resolve(ctx context.Context, audiences []domain.Audience) ([]domain.Recipient, error) {
	if len(audiences) == 0 {
		return nil, nil
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var resp Response
	if err := bus.Request(ctx, c.NC, Subject, Request{Audiences: audiences}, &resp); err != nil {
		return nil, fmt.Errorf("notify: recipients: %w", err)
	}
	return resp.Recipients, nil
}
