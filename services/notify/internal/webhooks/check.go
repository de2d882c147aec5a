package webhooks

import (
	"context"
	"net"
	"net/netip"
	"net/url"
	"time"

	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
)

// Resolver looks host names up (net.DefaultResolver in production).
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Checker checks the host of a URL an admin enters, after
// domain.WebhookInput.Validate found its form right: every address it
// resolves to must be one webhooks may call.
type Checker struct {
	Resolver   Resolver
	AllowLocal bool
}

// Host returns the catalogue key of the URL's problem, or "" when its host
// resolves only to addresses webhooks may call.
func (k Checker) Host(ctx context.Context, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "notify.webhook.bad_url"
	}
	host := u.Hostname()
	if ip, err := netip.ParseAddr(host); err == nil {
		if !domain.AddressAllowed(ip, k.AllowLocal) {
			return "notify.webhook.private_address"
		}
		return ""
	}
	r := k.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	addrs, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil || len(addrs) == 0 {
		return "notify.webhook.unresolvable"
	}
	for _, a := range addrs {
		if !domain.AddressAllowed(a, k.AllowLocal) {
			return "notify.webhook.private_address"
		}
	}
	return ""
}
