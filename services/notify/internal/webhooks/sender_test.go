package webhooks_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
	"github.com/anxin-welfare/anxin/services/notify/internal/store"
	"github.com/anxin-welfare/anxin/services/notify/internal/webhooks"
)

// The client checks the address it connects to, not only the one the URL
// had when an admin entered it: a name that resolves to this machine later
// (DNS rebinding) is still refused, and nothing reaches the receiver.
func TestTheClientRefusesLocalAddressesAtConnectTime(t *testing.T) {
	t.Parallel()
	reached := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached <- struct{}{} }))
	t.Cleanup(srv.Close)
	c := store.WebhookCall{WebhookDelivery: store.WebhookDelivery{ID: uuid.New(), EventID: uuid.New(), EventType: "injury.case.opened", Body: `{}`},
		URL: srv.URL, Secrets: []string{"whsec_x"}}
	s := &webhooks.Sender{Client: webhooks.NewClient(false, 5*time.Second), Clock: clock.NewFake(time.Unix(1764208800, 0))}
	r := s.Send(context.Background(), c)
	if !errors.Is(r.Err, webhooks.ErrAddressRefused) || !errors.Is(r.Err, domain.ErrNotSent) || r.Delivered() {
		t.Fatalf("a call to loopback: %+v", r)
	}
	select {
	case <-reached:
		t.Fatal("the receiver was reached")
	default:
	}
	s.Client = webhooks.NewClient(true, 5*time.Second)
	if r := s.Send(context.Background(), c); !r.Delivered() {
		t.Fatalf("with local addresses allowed: %+v", r)
	}
}

// A redirect is an answer, not a delivery: the client does not follow it.
func TestARedirectIsNotFollowed(t *testing.T) {
	t.Parallel()
	followed := make(chan struct{}, 1)
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { followed <- struct{}{} }))
	t.Cleanup(target.Close)
	srv := httptest.NewServer(http.RedirectHandler(target.URL, http.StatusTemporaryRedirect))
	t.Cleanup(srv.Close)
	s := &webhooks.Sender{Client: webhooks.NewClient(true, 5*time.Second), Clock: clock.NewFake(time.Unix(1764208800, 0))}
	r := s.Send(context.Background(), store.WebhookCall{WebhookDelivery: store.WebhookDelivery{ID: uuid.New(), Body: `{}`}, URL: srv.URL})
	if r.Status != http.StatusTemporaryRedirect || r.Delivered() {
		t.Fatalf("redirect: %+v", r)
	}
	select {
	case <-followed:
		t.Fatal("the redirect was followed")
	default:
	}
}

type resolver map[string][]netip.Addr

func (r resolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := r[host]; ok {
		return a, nil
	}
	return nil, errors.New("no such host")
}

func TestCheckerResolvesTheHost(t *testing.T) {
	t.Parallel()
	r := resolver{
		"hooks.example.com":    {netip.MustParseAddr("203.0.113.5")},
		"inside.example.com":   {netip.MustParseAddr("203.0.113.5"), netip.MustParseAddr("10.0.0.7")},
		"metadata.example.com": {netip.MustParseAddr("169.254.169.254")},
	}
	tests := []struct {
		name, url  string
		allowLocal bool
		want       string
	}{
		{name: "public", url: "https://hooks.example.com/x"},
		{name: "one address inside", url: "https://inside.example.com/x", want: "notify.webhook.private_address"},
		{name: "inside, in dev", url: "https://inside.example.com/x", allowLocal: true},
		{name: "metadata, even in dev", url: "https://metadata.example.com/x", allowLocal: true, want: "notify.webhook.private_address"},
		{name: "unresolvable", url: "https://nowhere.example.com/x", want: "notify.webhook.unresolvable"},
		{name: "literal", url: "https://10.0.0.1/x", want: "notify.webhook.private_address"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := (webhooks.Checker{Resolver: r, AllowLocal: tc.allowLocal}).Host(context.Background(), tc.url); got != tc.want {
				t.Errorf("Host(%s) = %q, want %q", tc.url, got, tc.want)
			}
		})
	}
}

// A call that breaks after the receiver has the request is of unknown
// outcome (retried with the same id), not "not sent".
func TestACallThatBreaksAfterTheRequestWasWrittenIsInDoubt(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		cancel() // the caller goes away after the receiver has the delivery
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	c := store.WebhookCall{WebhookDelivery: store.WebhookDelivery{ID: uuid.New(), EventID: uuid.New(), EventType: "injury.case.opened", Body: `{}`},
		URL: srv.URL, Secrets: []string{"whsec_x"}}
	s := &webhooks.Sender{Client: webhooks.NewClient(true, 5*time.Second), Clock: clock.NewFake(time.Unix(1764208800, 0))}
	if r := s.Send(ctx, c); !errors.Is(r.Err, domain.ErrUnknownOutcome) || r.Delivered() {
		t.Fatalf("a call broken after it was written: %+v", r)
	}
}
