package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"golang.org/x/sync/errgroup"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/sealed"
)

// Deps are the process-wide parts every service of the process shares.
// Each service still opens its own PostgreSQL pool on its own schema.
type Deps struct {
	Config Config
	Log    *slog.Logger
	Clock  clock.Clock
	Bus    *bus.Conn
	Keys   *auth.Keys
	Tokens *auth.Tokens
	Sealer *sealed.Sealer
	// Registry holds the metrics of every service of the process, served
	// once on the internal listener (ServeInternal). Nil: each Base keeps
	// its own (tests).
	Registry *prometheus.Registry
}

// ErrConfig marks a configuration problem (exit code 2).
var ErrConfig = errors.New("configuration")

// NewLogger returns the JSON logger of the process at the configured level;
// log lines carry the request and trace ids of their context.
func NewLogger(level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(httpx.ContextLogHandler(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: l})))
}

// Open validates cfg and connects what the services share. Every failure
// names what is wrong; errors.Is(err, ErrConfig), pg.ErrUnreachable or
// bus.ErrUnreachable tell the kind.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*Deps, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%w:\n%w", ErrConfig, err)
	}
	d := &Deps{Config: cfg, Log: log, Clock: clock.System{}, Registry: prometheus.NewRegistry()}
	d.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	var err error
	if cfg.Env == EnvProduction {
		d.Keys, err = auth.LoadKeys(cfg.KeysFile)
		if err != nil {
			return nil, fmt.Errorf("%w: ANXIN_KEYS_FILE: production needs a provisioned keys file: %w", ErrConfig, err)
		}
	} else {
		var created bool
		d.Keys, created, err = auth.LoadOrCreateKeys(cfg.KeysFile)
		if err != nil {
			return nil, fmt.Errorf("%w: ANXIN_KEYS_FILE %s: %w", ErrConfig, cfg.KeysFile, err)
		}
		if created {
			log.Warn("generated new keys for local use", "file", cfg.KeysFile)
		}
	}
	d.Tokens = auth.NewTokens(d.Keys, d.Clock)
	d.Sealer, err = sealed.New(d.Keys.FieldKey, d.Keys.IndexKey)
	if err != nil {
		return nil, fmt.Errorf("%w: keys: %w", ErrConfig, err)
	}
	// Reach PostgreSQL once here so an unreachable server is reported at
	// start, before any service begins.
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pg.Ping(pctx, cfg.DatabaseURL); err != nil {
		return nil, err
	}
	d.Bus, err = bus.Connect(ctx, bus.Config{
		URL: cfg.NATSURL, DataDir: cfg.DataDir, EmbeddedPort: cfg.NATSPort, Replicas: cfg.Replicas, Name: "anxin",
	}, log)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// ServeInternal serves the process's internal listeners until ctx ends:
// /metrics on Config.MetricsAddr (one listener for every service of the
// process) and, when Config.DebugAddr is set, net/http/pprof on it. Neither
// is ever on a public listener. "off" or empty turns one off.
func (d *Deps) ServeInternal(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	if addr := d.Config.MetricsAddr; addr != "" && addr != "off" && d.Registry != nil {
		g.Go(func() error {
			return httpx.Serve(gctx, addr, httpx.MetricsHandler(d.Registry), d.Log.With("listener", "metrics"))
		})
	}
	if addr := d.Config.DebugAddr; addr != "" && addr != "off" {
		d.Log.Warn("pprof is served; keep this address internal", "addr", addr)
		g.Go(func() error { return httpx.Serve(gctx, addr, httpx.DebugHandler(), d.Log.With("listener", "debug")) })
	}
	return g.Wait()
}

// Close releases the shared connections.
func (d *Deps) Close() {
	if d.Bus != nil {
		d.Bus.Close()
	}
}
