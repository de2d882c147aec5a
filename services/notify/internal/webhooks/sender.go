// Package webhooks calls the receivers of outbound webhook subscriptions:
// an HTTP client that refuses private and link-local addresses at connect
// time (so a name that resolves elsewhere after it was checked still
// cannot reach the deployment's own network), the signed POST of one
// delivery, the check of a URL an admin enters, and the dispatcher that
// claims due deliveries, calls, and records each attempt.
package webhooks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/notify/internal/channels"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
	"github.com/anxin-welfare/anxin/services/notify/internal/store"
)

// The headers of every call. The signature header carries one v1=<hex>
// per secret in use (two during a rotation's grace), comma-separated.
const (
	HeaderDeliveryID = "Anxin-Webhook-Id"
	HeaderEventID    = "Anxin-Event-Id"
	HeaderEventType  = "Anxin-Event-Type"
	HeaderTimestamp  = "Anxin-Webhook-Timestamp"
	HeaderSignature  = "Anxin-Webhook-Signature"
)

// ErrAddressRefused is a connection to an address webhooks may not reach.
var ErrAddressRefused = errors.New("webhook address refused: private, loopback or link-local")

// NewClient is the receivers' client: no proxy from the environment (a
// proxy would connect on our behalf, past the address check), no
// redirects followed (a 3xx is not a delivery, and could point inside),
// every connection's address checked with domain.AddressAllowed, and
// timeout for the whole call.
func NewClient(allowLocal bool, timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip, err := netip.ParseAddr(host)
		if err != nil || !domain.AddressAllowed(ip, allowLocal) {
			return fmt.Errorf("%w: %s", ErrAddressRefused, host)
		}
		return nil
	}}
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{Proxy: nil, DialContext: dialer.DialContext, ForceAttemptHTTP2: true,
			TLSHandshakeTimeout: 5 * time.Second, MaxIdleConnsPerHost: 2, IdleConnTimeout: 90 * time.Second},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Sender makes the calls.
type Sender struct {
	Client *http.Client
	// Clock stamps the calls (the signed timestamp).
	Clock clock.Clock
}

// Send POSTs the delivery's body to its URL, signed with each of its
// secrets, and says how it went. A failure before the request was written
// wraps domain.ErrNotSent, one after it domain.ErrUnknownOutcome; both are
// retried with the same delivery id.
func (s *Sender) Send(ctx context.Context, c store.WebhookCall) store.WebhookResult {
	ts := s.Clock.Now().Unix()
	body := []byte(c.Body)
	sigs := make([]string, 0, len(c.Secrets))
	for _, secret := range c.Secrets {
		sigs = append(sigs, "v1="+domain.SignWebhook(secret, ts, body))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, strings.NewReader(c.Body))
	if err != nil {
		return store.WebhookResult{Err: fmt.Errorf("%w: %w", domain.ErrNotSent, err)}
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "Anxin-Webhooks/1")
	req.Header.Set(HeaderDeliveryID, c.ID.String())
	req.Header.Set(HeaderEventID, c.EventID.String())
	req.Header.Set(HeaderEventType, c.EventType)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, strings.Join(sigs, ","))
	start := time.Now() // a measurement of the wire, not a deadline
	resp, err := channels.Do(s.Client, req)
	if err != nil {
		return store.WebhookResult{Latency: time.Since(start), Err: err}
	}
	defer resp.Body.Close()
	snippet, err := io.ReadAll(io.LimitReader(resp.Body, store.ResponseSnippetMax))
	r := store.WebhookResult{Status: resp.StatusCode, Latency: time.Since(start), Response: string(snippet)}
	if err != nil && r.Delivered() {
		// The status is the answer; a body cut short does not undo it.
		err = nil
	}
	if err != nil {
		r.Err = fmt.Errorf("%w: reading the answer: %w", domain.ErrUnknownOutcome, err)
	}
	return r
}
