package domain_test

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
)

func TestAddressAllowed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		ip         string
		allowLocal bool
		want       bool
	}{
		{name: "public v4", ip: "203.0.113.5", want: true},
		{name: "public v6", ip: "2001:db8::1", want: true},
		{name: "loopback", ip: "127.0.0.1"},
		{name: "loopback in dev", ip: "127.0.0.1", allowLocal: true, want: true},
		{name: "v4-mapped loopback", ip: "::ffff:127.0.0.1"},
		{name: "rfc1918", ip: "10.1.2.3"},
		{name: "rfc1918 in dev", ip: "192.168.0.1", allowLocal: true, want: true},
		{name: "ula", ip: "fd00::1"},
		{name: "cgnat", ip: "100.64.1.1"},
		{name: "metadata, even in dev", ip: "169.254.169.254", allowLocal: true},
		{name: "v6 link-local", ip: "fe80::1", allowLocal: true},
		{name: "unspecified", ip: "0.0.0.0", allowLocal: true},
		{name: "multicast", ip: "224.0.0.1", allowLocal: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := domain.AddressAllowed(netip.MustParseAddr(tc.ip), tc.allowLocal); got != tc.want {
				t.Errorf("AddressAllowed(%s, %v) = %v", tc.ip, tc.allowLocal, got)
			}
		})
	}
}

func TestWebhookInputValidate(t *testing.T) {
	t.Parallel()
	known := []string{"injury.case.opened", "leave.leave.approved"}
	ok := domain.WebhookInput{Name: "HR", URL: "https://hooks.example.com/anxin", Kinds: []string{"injury.case.opened"}}
	tests := []struct {
		name       string
		edit       func(*domain.WebhookInput)
		allowLocal bool
		want       []string
	}{
		{name: "fine", edit: func(*domain.WebhookInput) {}},
		{name: "http to loopback in dev", edit: func(in *domain.WebhookInput) { in.URL = "http://127.0.0.1:9000/x" }, allowLocal: true},
		{name: "http to localhost in dev", edit: func(in *domain.WebhookInput) { in.URL = "http://localhost:9000/x" }, allowLocal: true},
		{name: "http to loopback", edit: func(in *domain.WebhookInput) { in.URL = "http://127.0.0.1/x" }, want: []string{"url=notify.webhook.https_required"}},
		{name: "http elsewhere in dev", edit: func(in *domain.WebhookInput) { in.URL = "http://hooks.example.com/x" }, allowLocal: true,
			want: []string{"url=notify.webhook.https_required"}},
		{name: "private literal", edit: func(in *domain.WebhookInput) { in.URL = "https://10.0.0.1/x" }, want: []string{"url=notify.webhook.private_address"}},
		{name: "relative", edit: func(in *domain.WebhookInput) { in.URL = "/hooks" }, want: []string{"url=notify.webhook.bad_url"}},
		{name: "credentials", edit: func(in *domain.WebhookInput) { in.URL = "https://a:b@hooks.example.com/" }, want: []string{"url=notify.webhook.url_credentials"}},
		{name: "everything wrong", edit: func(in *domain.WebhookInput) {
			*in = domain.WebhookInput{Kinds: []string{"x", "leave.leave.approved", "leave.leave.approved"}}
		},
			want: []string{"kinds[0]=notify.webhook.unknown_kind", "kinds[2]=notify.webhook.duplicate_kind", "name=field.required", "url=field.required"}},
		{name: "no kinds", edit: func(in *domain.WebhookInput) { in.Kinds = nil }, want: []string{"kinds=notify.webhook.no_kinds"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := ok
			in.Kinds = slices.Clone(ok.Kinds)
			tc.edit(&in)
			var got []string
			for _, fe := range in.Validate(known, tc.allowLocal) {
				got = append(got, fe.Field+"="+fe.Code)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("Validate = %v, want %v", got, tc.want)
			}
		})
	}
}

// The signature of a known message, computed independently (Python's hmac).
func TestSignWebhook(t *testing.T) {
	t.Parallel()
	const want = "edcc23ba5cdd3ec79d206d399778077802d1efe08e2d2276a834d163301a3191"
	if got := domain.SignWebhook("whsec_test", 1764208800, []byte(`{"id":1}`)); got != want {
		t.Errorf("SignWebhook = %s, want %s", got, want)
	}
	a, err := domain.NewWebhookSecret()
	b, err2 := domain.NewWebhookSecret()
	if err != nil || err2 != nil || a == b || len(a) != len("whsec_")+43 {
		t.Errorf("secrets %q %q: %v %v", a, b, err, err2)
	}
}

// Webhook deliveries go through the house's decisions as an idempotent
// channel (receivers deduplicate on the delivery id): any answer but a 2xx
// is retried on the backoff until the last attempt, and a lapsed lease is
// sent again while attempts are left.
func TestWebhookAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	notOK := errors.New("HTTP 500")
	tests := []struct {
		name     string
		err      error
		attempts int
		want     domain.Outcome
	}{
		{name: "delivered", attempts: 5, want: domain.Outcome{State: domain.StateSent}},
		{name: "first failure", err: notOK, attempts: 1, want: domain.Outcome{State: domain.StatePending, NextAt: now.Add(time.Minute)}},
		{name: "fourth failure", err: notOK, attempts: 4, want: domain.Outcome{State: domain.StatePending, NextAt: now.Add(2 * time.Hour)}},
		{name: "last failure", err: notOK, attempts: 5, want: domain.Outcome{State: domain.StateDead}},
		{name: "a timeout after the request went", err: fmt.Errorf("%w: timeout", domain.ErrUnknownOutcome), attempts: 1,
			want: domain.Outcome{State: domain.StatePending, NextAt: now.Add(time.Minute)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := domain.After(tc.err, tc.attempts, true, now); got != tc.want {
				t.Errorf("After = %+v, want %+v", got, tc.want)
			}
		})
	}
	if domain.AfterLapse(true, 2) != domain.StatePending || domain.AfterLapse(true, 5) != domain.StateDead {
		t.Error("AfterLapse")
	}
}
