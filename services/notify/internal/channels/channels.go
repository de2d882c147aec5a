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

// postJSON posts body to url and returns the response body. A failure
// before the request was written is ErrNotSent; after it, ErrUnknownOutcome;
// a 4xx (but 408 and 429) is ErrRejected, any other non-2xx ErrNotSent.
func postJSON(ctx context.Context, client *http.Client, url string, header http.Header, body io.Reader) ([]byte, error) {
	wrote := false
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { wrote = true },
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, body)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", domain.ErrRejected, err)
	}
	req.Header = header.Clone()
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := client.Do(req)
	if err != nil {
		if wrote {
			return nil, fmt.Errorf("%w: %w", domain.ErrUnknownOutcome, err)
		}
		return nil, fmt.Errorf("%w: %w", domain.ErrNotSent, err)
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
