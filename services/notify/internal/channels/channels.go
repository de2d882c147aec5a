// Package channels holds the adapters that carry a notice beyond the
// inbox: e-mail over SMTP with STARTTLS, a text-message gateway over HTTP,
// and the DingTalk and WeCom group robots. Each reports a failure wrapped
// in one of domain.ErrNotSent, ErrRejected or ErrUnknownOutcome, which the
// dispatcher turns into a retry, a dead letter or a question for an admin.
package channels

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"

	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
)

// Message is one delivery as an adapter sends it.
type Message struct {
	// Key is the delivery's id: the same on every attempt, sent as the
	// idempotency key where the receiver honours one (and as the e-mail's
	// Message-ID).
	Key string
	// To is the address: an e-mail address or a mobile number (for the
	// robots, the mobile to mention; may be empty).
	To      string
	Subject string
	// Body is the e-mail's text; Short is what SMS and robots carry: what
	// happened and a link, no personal or medical detail.
	Body  string
	Short string
}

// Sender is one channel's adapter.
type Sender interface {
	// Send delivers m once. Its error wraps domain.ErrNotSent (nothing
	// went out: retry), domain.ErrRejected (never retry) or
	// domain.ErrUnknownOutcome (m may have arrived).
	Send(ctx context.Context, m Message) error
	// Idempotent reports whether the receiver honours Message.Key, so that
	// a call whose outcome is unknown may be repeated without a second
	// message.
	Idempotent() bool
}

// Do sends req with client. Its error wraps domain.ErrNotSent when the
// request was not written, domain.ErrUnknownOutcome when it was (the
// receiver may have it): the robots', the SMS gateway's and the webhooks'
// calls.
func Do(client *http.Client, req *http.Request) (*http.Response, error) {
	var wrote atomic.Bool // set on the transport's goroutine
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { wrote.Store(true) },
	}))
	// G704 takes req for an incoming request's: it is the caller's outgoing
	// call, to a configured channel or a webhook whose client refuses
	// private addresses at connect time.
	resp, err := client.Do(req) //nolint:gosec // see above
	if err != nil {
		kind := domain.ErrNotSent
		if wrote.Load() {
			kind = domain.ErrUnknownOutcome
		}
		return nil, fmt.Errorf("%w: %w", kind, err)
	}
	return resp, nil
}

// postJSON posts body to url and returns the response body. A failure
// before the request was written is ErrNotSent; after it, ErrUnknownOutcome;
// a 4xx (but 408 and 429) is ErrRejected, any other non-2xx ErrNotSent.
func postJSON(ctx context.Context, client *http.Client, url string, header http.Header, body io.Reader) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, body)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", domain.ErrRejected, err)
	}
	req.Header = header.Clone()
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := Do(client, req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("%w: reading the answer: %w", domain.ErrUnknownOutcome, err)
	}
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return out, nil
	case resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return nil, fmt.Errorf("%w: HTTP %d", domain.ErrNotSent, resp.StatusCode)
	default:
		return nil, fmt.Errorf("%w: HTTP %d", domain.ErrRejected, resp.StatusCode)
	}
}

// errcode is the answer of both robots: {"errcode":0,"errmsg":"ok"}.
type errcode struct {
	Code int    `json:"errcode"`
	Msg  string `json:"errmsg"`
}

var errNoAnswer = errors.New("the robot's answer is not JSON")
