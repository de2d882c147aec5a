package httpx

import (
	"errors"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the RED metrics of one engine. Several engines (serve all)
// may share one registry: the service label tells them apart.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "anxin_http_requests_total",
		Help: "HTTP requests answered, by service, route pattern, method and status.",
	}, []string{"service", "route", "method", "status"})
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "anxin_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by service, route pattern and method.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"service", "route", "method"})

	var err error
	if requests, err = register(reg, requests); err != nil {
		return nil, err
	}
	if duration, err = register(reg, duration); err != nil {
		return nil, err
	}
	return &metrics{requests: requests, duration: duration}, nil
}

// register adds c to reg, or returns the identical collector an earlier
// engine registered there.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing, nil
			}
		}
		return c, err
	}
	return c, nil
}

func (m *metrics) observe(service, route, method string, status int, elapsed time.Duration) {
	m.requests.WithLabelValues(service, route, method, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(service, route, method).Observe(elapsed.Seconds())
}
