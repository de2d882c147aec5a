package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// TokenFunc issues the short-lived signed identity token of u for one
// forwarded request. The composition root makes it from pkg/auth's Tokens,
// so this package does not decide the token format.
type TokenFunc func(u *domain.User, lang i18n.Lang, audience string) (string, error)

// Upstreams are the services behind the gateway: where each listens, and
// how to call it on a user's behalf.
type Upstreams struct {
	// bases are the URLs requests to each service are built against; the
	// service's replica set (its transport) sends them to a replica.
	bases   map[string]*url.URL
	sets    map[string]*replicaSet
	clients map[string]*http.Client
	token   TokenFunc
	// probe is the plain transport the readiness checks use, replica by
	// replica.
	probe *http.Client
}

// NewUpstreams returns the routes to services named by bases (name →
// base URL such as http://127.0.0.1:8081, or several comma-separated, one
// per replica: see upstream_replicas.go). Names are path segments of
// /api/v1/<name>/…; "gateway" is the gateway's own API and cannot be
// routed elsewhere.
func NewUpstreams(bases map[string]string, token TokenFunc, timeout time.Duration) (*Upstreams, error) {
	return newUpstreams(bases, token, timeout, upstreamTransport(), time.Now)
}

// upstreamTransport is the connection pool to the services: a short dial
// timeout, so a replica that is gone costs little before the next is tried.
func upstreamTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 2 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.MaxIdleConnsPerHost = 32
	return t
}

func newUpstreams(bases map[string]string, token TokenFunc, timeout time.Duration, rt http.RoundTripper, now func() time.Time) (*Upstreams, error) {
	if token == nil {
		return nil, errors.New("upstreams: no token function")
	}
	u := &Upstreams{bases: map[string]*url.URL{}, sets: map[string]*replicaSet{}, clients: map[string]*http.Client{},
		token: token, probe: &http.Client{Timeout: timeout, Transport: rt}}
	var errs []error
	for name, raw := range bases {
		if name == "" || name == "gateway" || strings.ContainsAny(name, "/?#") {
			errs = append(errs, fmt.Errorf("upstreams: invalid service name %q", name))
			continue
		}
		urls, err := parseReplicas(name, raw)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		set := newReplicaSet(name, urls, rt, now)
		u.sets[name], u.bases[name] = set, set.route
		u.clients[name] = &http.Client{Timeout: timeout, Transport: set}
	}
	return u, errors.Join(errs...)
}

// transport is the replica set of a routed service, for the API proxy.
func (u *Upstreams) transport(name string) http.RoundTripper {
	return u.sets[name]
}

// Names lists the routed services, sorted.
func (u *Upstreams) Names() []string {
	out := make([]string, 0, len(u.bases))
	for n := range u.bases {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// Has reports whether name is routed.
func (u *Upstreams) Has(name string) bool {
	if u == nil {
		return false
	}
	_, ok := u.bases[name]
	return ok
}

// Checks returns one readiness check per service: the /readyz of at least
// one of its replicas must answer 200. The gateway is ready only when every
// service it routes to is. Each probe also updates the replica's health, so
// a replica that is not ready is skipped and one that recovered is used
// again.
func (u *Upstreams) Checks() map[string]httpx.Check {
	out := map[string]httpx.Check{}
	for name, set := range u.sets {
		out["service:"+name] = func(ctx context.Context) error {
			var errs []error
			ready := 0
			for _, r := range set.replicas {
				if err := u.probeReplica(ctx, r); err != nil {
					r.markDown(set.now())
					errs = append(errs, fmt.Errorf("%s replica %s: %w", name, r.base.Host, err))
					continue
				}
				r.markUp()
				ready++
			}
			if ready == 0 {
				return errors.Join(errs...)
			}
			return nil
		}
	}
	return out
}

func (u *Upstreams) probeReplica(ctx context.Context, r *replica) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.base.String()+"/readyz", nil)
	if err != nil {
		return err
	}
	resp, err := u.probe.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("/readyz answered %d", resp.StatusCode)
	}
	return nil
}

// authorize puts the identity token and the user's language on req, and
// the request and trace ids of ctx.
func (u *Upstreams) authorize(req *http.Request, user *domain.User, lang i18n.Lang) error {
	tok, err := u.token(user, lang, audienceOf(req.URL.Path))
	if err != nil {
		return fmt.Errorf("issue identity token: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set(httpx.HeaderLang, string(lang))
	httpx.Propagate(req.Context(), req.Header)
	return nil
}
