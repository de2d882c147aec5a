package domain

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Outbound webhooks (issue 15 item 7): an admin subscribes an external
// system's https URL to event types; each event of those types is POSTed
// to it once per subscription, signed, retried with the house's backoff,
// and replayable by an admin. Receivers deduplicate on the delivery id:
// delivery is at least once.

// WebhookSecretGrace is how long a rotated-out secret keeps signing beside
// the new one, so a receiver has a day to switch.
const WebhookSecretGrace = 24 * time.Hour

// WebhookSecretPrefix starts every signing secret, so that one pasted in
// the wrong place is recognisable (and found by secret scanners).
const WebhookSecretPrefix = "whsec_"

// Limits of a subscription's fields.
const (
	WebhookNameMax = 100
	WebhookURLMax  = 2048
)

// WebhookInput is what an admin states of a subscription.
type WebhookInput struct {
	Name   string
	URL    string
	Kinds  []string
	Active bool
}

// WebhookSubscription is a subscription as stored, without its secrets.
type WebhookSubscription struct {
	ID        string
	Name      string
	URL       string
	Kinds     []string
	Active    bool
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
	// PreviousUntil is when the rotated-out secret stops signing; nil
	// when there is none.
	PreviousUntil *time.Time
	Version       int64
}

// Validate lists every problem with in that can be seen without the
// network: a name, an absolute https URL (http only to a loopback host, and
// only when allowLocal), no credentials in it, and at least one kind, each
// one of known. The address the host resolves to is checked by the caller
// with AddressAllowed.
func (in WebhookInput) Validate(known []string, allowLocal bool) fielderr.List {
	var errs fielderr.List
	name := strings.TrimSpace(in.Name)
	switch {
	case name == "":
		errs.Add("name", "field.required")
	case utf8.RuneCountInString(name) > WebhookNameMax:
		errs.Add("name", "notify.webhook.name_too_long")
	}
	if code := urlProblem(in.URL, allowLocal); code != "" {
		errs.Add("url", code)
	}
	if len(in.Kinds) == 0 {
		errs.Add("kinds", "notify.webhook.no_kinds")
	}
	seen := map[string]bool{}
	for i, k := range in.Kinds {
		if !slices.Contains(known, k) {
			errs.Add("kinds["+strconv.Itoa(i)+"]", "notify.webhook.unknown_kind")
			continue
		}
		if seen[k] {
			errs.Add("kinds["+strconv.Itoa(i)+"]", "notify.webhook.duplicate_kind")
		}
		seen[k] = true
	}
	return errs
}

func urlProblem(raw string, allowLocal bool) string {
	if strings.TrimSpace(raw) == "" {
		return "field.required"
	}
	if len(raw) > WebhookURLMax {
		return "notify.webhook.url_too_long"
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "" {
		return "notify.webhook.bad_url"
	}
	if u.User != nil {
		return "notify.webhook.url_credentials"
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !allowLocal || !LoopbackHost(u.Hostname()) {
			return "notify.webhook.https_required"
		}
	default:
		return "notify.webhook.https_required"
	}
	if ip, err := netip.ParseAddr(u.Hostname()); err == nil && !AddressAllowed(ip, allowLocal) {
		return "notify.webhook.private_address"
	}
	return ""
}

// LoopbackHost reports whether host names this machine: "localhost" or a
// loopback address.
func LoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// cgnat is the carrier-grade NAT range (RFC 6598), private in all but name.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// AddressAllowed reports whether a webhook may be called at ip. Public
// unicast addresses are; loopback, private (RFC 1918, RFC 4193 and shared
// address space) only with allowLocal (development and tests); link-local
// (the cloud metadata address 169.254.169.254 among them), multicast and
// unspecified addresses never: a webhook must not be a way into the
// deployment's own network (SSRF).
func AddressAllowed(ip netip.Addr, allowLocal bool) bool {
	ip = ip.Unmap()
	switch {
	case !ip.IsValid(), ip.IsUnspecified(), ip.IsMulticast(), ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast(),
		ip.IsInterfaceLocalMulticast():
		return false
	case ip.IsLoopback(), ip.IsPrivate(), cgnat.Contains(ip):
		return allowLocal
	}
	return ip.IsGlobalUnicast()
}

// NewWebhookSecret returns a fresh signing secret: the prefix and 32 random
// bytes in URL-safe base64. The whole string, as shown, is the HMAC key.
func NewWebhookSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return WebhookSecretPrefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// SignWebhook is the signature of body sent at the Unix second ts under
// secret: hex(HMAC-SHA256(secret, ts + "." + body)).
func SignWebhook(secret string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(ts, 10)))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}
