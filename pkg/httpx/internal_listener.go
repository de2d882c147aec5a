package httpx

import (
	"net/http"
	"net/http/pprof"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// MetricsHandler serves g on GET /metrics and nothing else. It belongs on
// an internal listener (ANXIN_METRICS_ADDR), never on a service's or the
// gateway's public one: the scrape shows routes, volumes and the
// process's insides to whoever asks.
func MetricsHandler(g prometheus.Gatherer) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET "+pathMetrics, promhttp.HandlerFor(g, promhttp.HandlerOpts{}))
	return mux
}

// DebugHandler serves net/http/pprof under /debug/pprof/, for a listener
// of its own (ANXIN_DEBUG_ADDR) that is off unless an operator sets it.
func DebugHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}
