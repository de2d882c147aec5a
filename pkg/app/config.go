// Package app is what the services of one process share: the root
// configuration, the connections (PostgreSQL URL, NATS, keys) and Base, the
// scaffolding each service builds on (its schema, HTTP engine, outbox relay,
// consumers, dead-letter and audit admin endpoints, and graceful run).
package app

import (
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/anxin-welfare/anxin/pkg/config"
)

// Environments.
const (
	EnvDevelopment = "development"
	EnvTest        = "test"
	EnvProduction  = "production"
)

// Config is the process-wide configuration (ARCHITECTURE.md,
// "Configuration"). Each service adds its own settings in its Config.
type Config struct {
	Env         string `env:"ANXIN_ENV" default:"development" doc:"development, test or production; production refuses generated keys, PostgreSQL without TLS, and demo users"`
	DatabaseURL string `env:"DATABASE_URL" doc:"PostgreSQL for all schemas (make run sets it to the project's own cluster)"`
	NATSURL     string `env:"NATS_URL" doc:"NATS server or cluster URLs; empty runs nats-server embedded"`
	NATSPort    int    `env:"ANXIN_NATS_PORT" default:"14222" doc:"loopback port of the embedded nats-server (never 4222, which a system NATS may hold)"`
	DataDir     string `env:"ANXIN_DATA_DIR" default:".data" doc:"embedded NATS store, local PostgreSQL cluster, generated keys"`
	KeysFile    string `env:"ANXIN_KEYS_FILE" doc:"token-signing and field-encryption keys; default <data dir>/keys.json, generated on first start outside production"`
	LogLevel    string `env:"ANXIN_LOG_LEVEL" default:"info" doc:"debug, info, warn or error"`
	HTTPAddr    string `env:"ANXIN_HTTP_ADDR" doc:"listen address of the one service being served (anxin serve <service>)"`
	Replicas    int    `env:"ANXIN_NATS_REPLICAS" default:"1" doc:"replicas of the WELFARE stream: 1 locally, 3 in a cluster"`
	MetricsAddr string `env:"ANXIN_METRICS_ADDR" default:"127.0.0.1:9090" doc:"internal listener serving /metrics for every service of the process (never the public listeners); off to serve none"`
	DebugAddr   string `env:"ANXIN_DEBUG_ADDR" doc:"internal listener serving net/http/pprof under /debug/pprof/; off unless set, keep it on loopback"`
	// OutboxRetention keeps relayed outbox rows so they can be republished.
	OutboxRetention time.Duration `env:"ANXIN_OUTBOX_RETENTION" default:"168h" doc:"how long relayed events stay in each outbox so they can be republished"`

	// IdempotencyTTL is how long an Idempotency-Key is remembered (pkg/idem).
	IdempotencyTTL time.Duration `env:"ANXIN_IDEMPOTENCY_TTL" default:"24h" doc:"how long an Idempotency-Key and its stored response are kept; retries after it run as new requests"`
	// IdempotencyLease is how long a request holds its key before a retry
	// may take over a request whose process died before its effect committed.
	IdempotencyLease time.Duration `env:"ANXIN_IDEMPOTENCY_LEASE" default:"30s" doc:"how long a running request holds its Idempotency-Key; a retry after it takes over only if nothing was committed"`

	Addrs Addrs
	URLs  URLs
}

// Addrs are the listen addresses of each service in `serve all`.
type Addrs struct {
	Gateway    string `env:"ANXIN_GATEWAY_ADDR" default:":8080" doc:"gateway listen address"`
	Enrollment string `env:"ANXIN_ENROLLMENT_ADDR" default:"127.0.0.1:8081" doc:"enrollment listen address"`
	Injury     string `env:"ANXIN_INJURY_ADDR" default:"127.0.0.1:8082" doc:"injury listen address"`
	Grants     string `env:"ANXIN_GRANTS_ADDR" default:"127.0.0.1:8083" doc:"grants listen address"`
	Leave      string `env:"ANXIN_LEAVE_ADDR" default:"127.0.0.1:8084" doc:"leave listen address"`
	Notify     string `env:"ANXIN_NOTIFY_ADDR" default:"127.0.0.1:8085" doc:"notify listen address"`
}

// URLs are where the gateway reaches each service.
type URLs struct {
	Enrollment string `env:"ANXIN_ENROLLMENT_URL" default:"http://127.0.0.1:8081" doc:"enrollment base URL for the gateway; several comma-separated, one per replica"`
	Injury     string `env:"ANXIN_INJURY_URL" default:"http://127.0.0.1:8082" doc:"injury base URL for the gateway; several comma-separated, one per replica"`
	Grants     string `env:"ANXIN_GRANTS_URL" default:"http://127.0.0.1:8083" doc:"grants base URL for the gateway; several comma-separated, one per replica"`
	Leave      string `env:"ANXIN_LEAVE_URL" default:"http://127.0.0.1:8084" doc:"leave base URL for the gateway; several comma-separated, one per replica"`
	Notify     string `env:"ANXIN_NOTIFY_URL" default:"http://127.0.0.1:8085" doc:"notify base URL for the gateway; several comma-separated, one per replica"`
}

// Addr returns the listen address of a service in serve all.
func (a Addrs) Addr(service string) string {
	switch service {
	case "gateway":
		return a.Gateway
	case "enrollment":
		return a.Enrollment
	case "injury":
		return a.Injury
	case "grants":
		return a.Grants
	case "leave":
		return a.Leave
	case "notify":
		return a.Notify
	}
	return ""
}

// Load reads the configuration from the environment.
func Load() (Config, error) {
	var c Config
	if err := config.Load(&c); err != nil {
		return c, err
	}
	if c.KeysFile == "" {
		c.KeysFile = filepath.Join(c.DataDir, "keys.json")
	}
	return c, nil
}

// Validate lists every problem with the configuration.
func (c Config) Validate() error {
	var p config.Problems
	switch c.Env {
	case EnvDevelopment, EnvTest, EnvProduction:
	default:
		p.Addf("ANXIN_ENV=%q: must be development, test or production", c.Env)
	}
	if c.DatabaseURL == "" {
		p.Addf("DATABASE_URL is not set: `make run` sets it to the project's own PostgreSQL; set it to a postgres:// URL otherwise")
	} else if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
		p.Addf("DATABASE_URL: not a postgres://host/db URL")
	} else if c.Env == EnvProduction {
		mode := u.Query().Get("sslmode")
		p.Check(mode == "require" || mode == "verify-ca" || mode == "verify-full",
			"DATABASE_URL: production needs TLS to PostgreSQL (sslmode=require, verify-ca or verify-full), got sslmode=%q", mode)
	}
	p.Check(c.NATSPort > 0 && c.NATSPort < 65536, "ANXIN_NATS_PORT=%d: not a port", c.NATSPort)
	p.Check(c.NATSPort != 4222 || c.NATSURL != "", "ANXIN_NATS_PORT=4222: the embedded server must not take the system NATS port")
	if c.NATSURL != "" {
		for _, s := range strings.Split(c.NATSURL, ",") {
			u, err := url.Parse(strings.TrimSpace(s))
			p.Check(err == nil && (u.Scheme == "nats" || u.Scheme == "tls" || u.Scheme == "ws" || u.Scheme == "wss") && u.Host != "",
				"NATS_URL: %q is not a nats:// URL", s)
		}
	}
	p.Check(c.DataDir != "", "ANXIN_DATA_DIR is empty")
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		p.Addf("ANXIN_LOG_LEVEL=%q: must be debug, info, warn or error", c.LogLevel)
	}
	p.Check(c.OutboxRetention >= time.Hour, "ANXIN_OUTBOX_RETENTION=%v: keep relayed events at least an hour", c.OutboxRetention)
	p.Check(c.IdempotencyTTL >= time.Minute, "ANXIN_IDEMPOTENCY_TTL=%v: keep keys at least a minute", c.IdempotencyTTL)
	p.Check(c.IdempotencyLease >= time.Second && c.IdempotencyLease < c.IdempotencyTTL,
		"ANXIN_IDEMPOTENCY_LEASE=%v: between a second and ANXIN_IDEMPOTENCY_TTL", c.IdempotencyLease)
	p.Check(c.Replicas == 1 || c.Replicas == 3 || c.Replicas == 5, "ANXIN_NATS_REPLICAS=%d: must be 1, 3 or 5", c.Replicas)
	for name, addr := range map[string]string{"ANXIN_METRICS_ADDR": c.MetricsAddr, "ANXIN_DEBUG_ADDR": c.DebugAddr} {
		if addr == "" || addr == "off" {
			continue
		}
		if _, port, err := net.SplitHostPort(addr); err != nil || port == "" {
			p.Addf("%s=%q: not a host:port listen address (or off)", name, addr)
		}
	}
	for name, addr := range map[string]string{"ANXIN_HTTP_ADDR": c.HTTPAddr, "ANXIN_GATEWAY_ADDR": c.Addrs.Gateway,
		"ANXIN_ENROLLMENT_ADDR": c.Addrs.Enrollment, "ANXIN_INJURY_ADDR": c.Addrs.Injury,
		"ANXIN_GRANTS_ADDR": c.Addrs.Grants, "ANXIN_LEAVE_ADDR": c.Addrs.Leave, "ANXIN_NOTIFY_ADDR": c.Addrs.Notify} {
		if addr == "" && name == "ANXIN_HTTP_ADDR" {
			continue
		}
		if _, port, err := net.SplitHostPort(addr); err != nil || port == "" {
			p.Addf("%s=%q: not a host:port listen address", name, addr)
		}
	}
	for name, raw := range map[string]string{"ANXIN_ENROLLMENT_URL": c.URLs.Enrollment, "ANXIN_INJURY_URL": c.URLs.Injury,
		"ANXIN_GRANTS_URL": c.URLs.Grants, "ANXIN_LEAVE_URL": c.URLs.Leave, "ANXIN_NOTIFY_URL": c.URLs.Notify} {
		// Several comma-separated URLs are replicas of the service.
		for _, one := range strings.Split(raw, ",") {
			u, err := url.Parse(strings.TrimSpace(one))
			p.Check(err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "", "%s=%q: not an http(s) URL", name, one)
		}
	}
	return p.Err()
}

// String summarises the configuration for the start-up log, without
// secrets.
func (c Config) String() string {
	return fmt.Sprintf("env=%s data_dir=%s nats=%s", c.Env, c.DataDir, map[bool]string{true: "embedded", false: "external"}[c.NATSURL == ""])
}
