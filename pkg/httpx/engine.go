// Package httpx is the HTTP platform every Anxin service stands on: a gin
// engine with request and trace ids, JSON access logs, panic recovery, a
// request body cap, Prometheus metrics and the probe endpoints; errors as
// application/problem+json with a stable code and a localized title; strict
// JSON binding; optimistic-concurrency headers; and a server with timeouts
// and graceful shutdown.
//
// A handler decodes, calls the domain, and answers either data or an error:
//
//	var req createRequest
//	if err := httpx.BindJSON(c, &req); err != nil {
//		httpx.Respond(c, err)
//		return
//	}
package httpx

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

func init() {
	// Release mode: no debug route dump or warnings on stdout; the access
	// log is ours. Set once here because gin's mode is process-global.
	gin.SetMode(gin.ReleaseMode)
}

// Options configure New. The zero value of every field is usable.
type Options struct {
	// Service names the service in logs and metric labels. Default "anxin".
	Service string
	// Logger receives access logs, panics and 5xx errors. Default
	// slog.Default().
	Logger *slog.Logger
	// MaxBodyBytes caps every request body; MaxBody overrides it per route.
	// Default (when ≤ 0) DefaultMaxBodyBytes, 1 MiB.
	MaxBodyBytes int64
	// Checks are run by /readyz, each under CheckTimeout. Default none:
	// ready as soon as the process serves.
	Checks map[string]Check
	// Report, when set, adds what the service knows of itself to /readyz's
	// answer (ready or not), e.g. its consumers' health. It must be cheap:
	// probes call it often.
	Report func() map[string]any
	// Registry receives the HTTP metrics. Several engines may share one.
	// It is not served by the engine: serve it with MetricsHandler on an
	// internal listener. Default: a new registry with the Go runtime and
	// process collectors.
	Registry *prometheus.Registry
	// TrustedProxies are the addresses or CIDRs of reverse proxies whose
	// X-Forwarded-For is believed for c.ClientIP(). Default none: the
	// client IP is the peer address, which a client cannot forge.
	TrustedProxies []string
}

// Validate reports every problem with o. New panics on options that fail
// it, so check them with the rest of the configuration at start-up.
func (o Options) Validate() error {
	var errs []error
	for _, p := range o.TrustedProxies {
		if _, err := netip.ParsePrefix(p); err == nil {
			continue
		}
		if _, err := netip.ParseAddr(p); err != nil {
			errs = append(errs, fmt.Errorf("httpx: trusted proxy %q is neither an IP address nor a CIDR", p))
		}
	}
	return errors.Join(errs...)
}

// New returns a gin engine with the platform middleware and endpoints in
// place. Register the service's routes on it; do not call gin.Default.
//
// Middleware, outermost first: request and trace ids, Cache-Control:
// no-store, access log and metrics, panic recovery, body cap. Endpoints: GET /healthz, GET /readyz
// (never /metrics or pprof: those belong on internal listeners, see
// MetricsHandler and DebugHandler); unknown paths answer a 404 problem, known paths with the
// wrong method a 405 problem with an Allow header.
func New(o Options) *gin.Engine {
	if err := o.Validate(); err != nil {
		panic(err)
	}
	if o.Service == "" {
		o.Service = "anxin"
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.Registry == nil {
		o.Registry = prometheus.NewRegistry()
		o.Registry.MustRegister(
			collectors.NewGoCollector(),
			collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		)
	}
	m, err := newMetrics(o.Registry)
	if err != nil {
		panic(fmt.Errorf("httpx: register metrics: %w", err))
	}

	e := gin.New()
	if err := e.SetTrustedProxies(o.TrustedProxies); err != nil {
		panic(fmt.Errorf("httpx: trusted proxies: %w", err)) // Validate let it through
	}
	e.HandleMethodNotAllowed = true
	// Handlers may pass c where a context.Context is wanted and get the
	// request's context, with its deadline, ids and identity.
	e.ContextWithFallback = true

	e.Use(requestIDs(), noStore, accessLog(o.Service, o.Logger, m), recovery(), limitBody(o.MaxBodyBytes))
	e.NoRoute(func(c *gin.Context) { Respond(c, NotFound()) })
	e.NoMethod(func(c *gin.Context) {
		Respond(c, NewError(http.StatusMethodNotAllowed, CodeMethodNotAllowed).
			WithExtra("allow", strings.Split(c.Writer.Header().Get("Allow"), ", ")))
	})

	e.GET(pathHealthz, healthz)
	e.GET(pathReadyz, readyz(o.Checks, o.Report))
	return e
}

// noStore marks every response Cache-Control: no-store before the handler
// runs: the services answer with officers' medical, family and money data,
// which no browser, proxy or shared cache may keep. A handler whose answer
// may be cached (a static file) sets its own Cache-Control over it.
func noStore(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
}
