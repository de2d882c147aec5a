package httpapi

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// A service may run as several replicas (ANXIN_<SERVICE>_URL lists them,
// comma-separated). The gateway spreads calls over the healthy ones and
// fails over: a replica that refuses a connection or fails mid-call is
// marked down and skipped until its back-off ends, then tried again.
//
// A call moves to another replica only when that cannot do a write twice:
//   - any request, when the connection was refused before a byte of it was
//     sent (the replica never saw it);
//   - a safe request (GET, HEAD, OPTIONS), whatever the failure.
//
// PUT and DELETE are idempotent in HTTP's terms but not replayed here: the
// services guard them with If-Match, so a replay of a write that did land
// would answer 412 and tell the user their own change conflicted.

// replicaBackoff is how long a failed replica is skipped: the first failure
// half a second, doubling per further failure up to maxReplicaBackoff.
const (
	replicaBackoff    = 500 * time.Millisecond
	maxReplicaBackoff = 15 * time.Second
)

// replica is one instance of a service and its health as the gateway last
// saw it.
type replica struct {
	base      *url.URL
	mu        sync.Mutex
	failures  int
	downUntil time.Time
}

func (r *replica) up(now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return !now.Before(r.downUntil)
}

func (r *replica) markDown(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures++
	d := replicaBackoff << min(r.failures-1, 5)
	r.downUntil = now.Add(min(d, maxReplicaBackoff))
}

func (r *replica) markUp() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures, r.downUntil = 0, time.Time{}
}

// replicaSet is the replicas of one service. It is the http.RoundTripper of
// every call to that service: requests are built against route (the first
// replica's URL) and sent to the replica the set picks.
type replicaSet struct {
	name     string
	route    *url.URL
	replicas []*replica
	next     atomic.Uint64
	rt       http.RoundTripper
	now      func() time.Time
}

// parseReplicas reads a comma-separated list of http(s) base URLs.
func parseReplicas(name, raw string) ([]*url.URL, error) {
	var out []*url.URL
	var errs []error
	for _, s := range strings.Split(raw, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("upstreams: %s: base URL %q is not http(s)://host", name, s))
			continue
		}
		u.Path = strings.TrimSuffix(u.Path, "/")
		out = append(out, u)
	}
	if len(out) == 0 && len(errs) == 0 {
		errs = append(errs, fmt.Errorf("upstreams: %s: no base URL", name))
	}
	return out, errors.Join(errs...)
}

func newReplicaSet(name string, bases []*url.URL, rt http.RoundTripper, now func() time.Time) *replicaSet {
	s := &replicaSet{name: name, route: bases[0], rt: rt, now: now}
	for _, b := range bases {
		s.replicas = append(s.replicas, &replica{base: b})
	}
	return s
}

// order is the replicas to try for one request: the healthy ones in
// round-robin order, then, as a last resort, the ones in back-off.
func (s *replicaSet) order() []*replica {
	n := len(s.replicas)
	start := int(s.next.Add(1)-1) % n
	now := s.now()
	healthy := make([]*replica, 0, n)
	var down []*replica
	for i := range n {
		r := s.replicas[(start+i)%n]
		if r.up(now) {
			healthy = append(healthy, r)
		} else {
			down = append(down, r)
		}
	}
	return append(healthy, down...)
}

// RoundTrip sends req to a replica, failing over as the package comment
// says.
func (s *replicaSet) RoundTrip(req *http.Request) (*http.Response, error) {
	var body *sentBody
	if req.Body != nil && req.Body != http.NoBody {
		body = &sentBody{rc: req.Body}
		defer req.Body.Close()
	}
	safe := req.Method == http.MethodGet || req.Method == http.MethodHead || req.Method == http.MethodOptions
	var lastErr error
	for i, r := range s.order() {
		out := req.Clone(req.Context())
		out.URL.Scheme, out.URL.Host = r.base.Scheme, r.base.Host
		out.URL.Path = r.base.Path + strings.TrimPrefix(req.URL.Path, s.route.Path)
		out.URL.RawPath = ""
		out.Host = ""
		if body != nil {
			if i > 0 && body.read.Load() {
				if req.GetBody == nil {
					return nil, lastErr
				}
				rc, err := req.GetBody()
				if err != nil {
					return nil, lastErr
				}
				body = &sentBody{rc: rc}
				defer rc.Close()
			}
			out.Body = body
		}
		resp, err := s.rt.RoundTrip(out)
		if err == nil {
			r.markUp()
			return resp, nil
		}
		r.markDown(s.now())
		lastErr = fmt.Errorf("%s replica %s: %w", s.name, r.base.Host, err)
		notSent := refused(err) && (body == nil || !body.read.Load())
		if req.Context().Err() != nil || (!notSent && !safe) {
			return nil, lastErr
		}
	}
	return nil, lastErr
}

// refused reports whether err is a failure to connect: the request never
// left the gateway.
func refused(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// sentBody passes a request body to one attempt and remembers whether the
// transport read any of it. Close is left to RoundTrip, so a failed attempt
// cannot close a body another replica still needs.
type sentBody struct {
	rc   io.ReadCloser
	read atomic.Bool
}

func (b *sentBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if n > 0 {
		b.read.Store(true)
	}
	return n, err
}

func (b *sentBody) Close() error { return nil }
