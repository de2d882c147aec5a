package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
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

// APIError is a service's answer other than 2xx: its status and problem.
type APIError struct {
	Status  int
	Problem Problem
}

// Problem is the part of an application/problem+json body pages use.
type Problem struct {
	Code   string `json:"code"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	// Errors are the field problems, each with its message in the
	// language the gateway asked in.
	Errors []fielderr.Problem `json:"errors"`
}

// Error says which status and code the service answered.
func (e *APIError) Error() string {
	return fmt.Sprintf("service answered %d %s", e.Status, e.Problem.Code)
}

// RawBody is a request body sent as it is (an uploaded file), not as JSON.
type RawBody struct {
	ContentType string
	Data        []byte
}

// maxAPIResponse bounds what a page reads from a service.
const maxAPIResponse = 16 << 20

// Call makes one API call to service on behalf of user: method and path
// (starting /api/v1/<service>/), body encoded as JSON when not nil, the
// 2xx answer decoded into out when not nil (a RawBody is sent as it is). A non-2xx answer is an
// *APIError carrying the service's problem; ifMatch, when > 0, is sent as
// If-Match. It returns the response's ETag version, if any.
func (u *Upstreams) Call(ctx context.Context, user *domain.User, lang i18n.Lang, method, service, path string, ifMatch int64, body, out any) (string, error) {
	base, ok := u.bases[service]
	if !ok {
		return "", fmt.Errorf("call %s: service not routed", service)
	}
	var rd io.Reader
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case RawBody:
		rd, contentType = bytes.NewReader(b.Data), b.ContentType
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return "", fmt.Errorf("call %s %s: encode: %w", method, path, err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, base.String()+path, rd)
	if err != nil {
		return "", fmt.Errorf("call %s %s: %w", method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	if ifMatch > 0 {
		req.Header.Set("If-Match", fmt.Sprintf(`"%d"`, ifMatch))
	}
	if err := u.authorize(req, user, lang); err != nil {
		return "", err
	}
	resp, err := u.clients[service].Do(req)
	if err != nil {
		return "", fmt.Errorf("call %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	lr := io.LimitReader(resp.Body, maxAPIResponse)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := &APIError{Status: resp.StatusCode}
		_ = json.NewDecoder(lr).Decode(&e.Problem)
		return "", e
	}
	if out != nil && resp.StatusCode != http.StatusNoContent {
		if err := json.NewDecoder(lr).Decode(out); err != nil {
			return "", fmt.Errorf("call %s %s: decode: %w", method, path, err)
		}
	}
	return resp.Header.Get("ETag"), nil
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

// Stream makes a GET to service on behalf of user and returns the 2xx
// response for the caller to copy and close (a file download); any other
// answer is an *APIError.
func (u *Upstreams) Stream(ctx context.Context, user *domain.User, lang i18n.Lang, service, path string) (*http.Response, error) {
	base, ok := u.bases[service]
	if !ok {
		return nil, fmt.Errorf("stream %s: service not routed", service)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base.String()+path, nil)
	if err != nil {
		return nil, fmt.Errorf("stream %s: %w", path, err)
	}
	if err := u.authorize(req, user, lang); err != nil {
		return nil, err
	}
	// A download may outlast the call timeout; the request's context bounds it.
	client := &http.Client{Transport: u.sets[service]}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("stream %s: %w", path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		defer resp.Body.Close()
		e := &APIError{Status: resp.StatusCode}
		_ = json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&e.Problem)
		return nil, e
	}
	return resp, nil
}
