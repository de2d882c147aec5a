package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"golang.org/x/sync/errgroup"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/idem"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg"
)

// BaseConfig describes one service to NewBase.
type BaseConfig struct {
	// Name is the service name: the URL prefix /api/v1/<Name>, the event
	// source, and the default schema.
	Name string
	// Schema is the service's PostgreSQL schema. Default Name.
	Schema string
	// HTTPAddr is the listen address.
	HTTPAddr string
	// Migrations are the service's own migration sets, applied after the
	// platform's (outbox, inbox, dead letters, audit log).
	Migrations []pg.MigrationSet
	// MaxOpenConns caps the service's pool. Default 20.
	MaxOpenConns int
	// MaxBodyBytes caps request bodies. Default 1 MiB.
	MaxBodyBytes int64
	// Checks are readiness checks beyond PostgreSQL and NATS (the gateway
	// adds the services it routes to).
	Checks map[string]httpx.Check
}

// Base is the scaffolding of a service: its schema, HTTP engine (with
// /healthz and /readyz; metrics go to Registry, served on the internal
// listener), the authenticated API group, the outbox
// relay, consumers and background runners, run together by Run.
type Base struct {
	Name     string
	Schema   string
	Addr     string
	Deps     *Deps
	DB       *sqlx.DB
	Log      *slog.Logger
	Registry *prometheus.Registry
	Engine   *gin.Engine
	// API is /api/v1/<name>, behind the identity-token middleware and the
	// Idempotency-Key middleware (pkg/idem) for POSTs.
	API *gin.RouterGroup
	// Idem keeps the service's idempotency keys.
	Idem *idem.Store

	relay     *bus.Relay
	mu        sync.Mutex
	consumers map[string]*bus.Consumer
	runners   []runner
	closers   []func() error // run after everything stopped, before the pool closes
	gauges    []gauge
}

type runner struct {
	name string
	fn   func(context.Context) error
}

// NewBase opens the service's schema, migrates it and builds its engine.
func NewBase(ctx context.Context, deps *Deps, cfg BaseConfig) (*Base, error) {
	if cfg.Schema == "" {
		cfg.Schema = cfg.Name
	}
	log := deps.Log.With("service", cfg.Name)
	db, err := pg.Open(ctx, pg.Config{URL: deps.Config.DatabaseURL, Schema: cfg.Schema, MaxOpenConns: cfg.MaxOpenConns})
	if err != nil {
		return nil, err
	}
	sets := append([]pg.MigrationSet{bus.Migrations(), audit.MigrationSet(), idem.MigrationSet()}, cfg.Migrations...)
	if err := pg.Migrate(ctx, db, cfg.Schema, sets...); err != nil {
		_ = db.Close()
		return nil, err
	}
	// One registry for the process when it has one (served once on the
	// internal listener, ANXIN_METRICS_ADDR); a service's metrics carry its
	// schema, consumer or service label, so they do not collide there.
	reg := deps.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	if err := reg.Register(collectors.NewDBStatsCollector(db.DB, cfg.Schema)); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("app: %s: register pool metrics: %w", cfg.Name, err)
	}
	b := &Base{
		Name: cfg.Name, Schema: cfg.Schema, Addr: cfg.HTTPAddr, Deps: deps, DB: db, Log: log, Registry: reg,
		consumers: map[string]*bus.Consumer{},
	}
	checks := map[string]httpx.Check{
		"postgres": func(ctx context.Context) error { return db.PingContext(ctx) },
		"nats":     func(ctx context.Context) error { return explainVersion(deps.Bus.Ping(ctx)) },
	}
	for name, c := range cfg.Checks {
		checks[name] = c
	}
	if _, taken := checks["consumers"]; !taken {
		checks["consumers"] = b.consumersReady
	}
	b.Engine = httpx.New(httpx.Options{
		Service:      cfg.Name,
		Logger:       log,
		MaxBodyBytes: cfg.MaxBodyBytes,
		Registry:     reg,
		Checks:       checks,
		Report:       b.report,
	})
	b.Idem = idem.New(db, deps.Clock, idem.Config{TTL: deps.Config.IdempotencyTTL, Lease: deps.Config.IdempotencyLease})
	// Only tokens the gateway minted for this service: one for grants
	// opens nothing in leave.
	b.API = b.Engine.Group("/api/v1/"+cfg.Name, auth.MiddlewareFor(deps.Tokens, cfg.Name), b.Idem.Middleware())
	b.relay = bus.NewRelay(db, deps.Bus.JS, bus.RelayConfig{
		Schema:    cfg.Schema,
		Retention: deps.Config.OutboxRetention,
		Registry:  reg,
	}, log)
	b.registerAdmin()
	b.Go("idempotency sweeper", func(ctx context.Context) error {
		return b.Idem.RunSweeper(ctx, 10*time.Minute, func(err error) { log.Warn("idempotency sweep", "error", err) })
	})
	b.registerPlatformGauges()
	b.Go("gauges", b.pollGauges)
	return b, nil
}

// Consume registers a durable consumer run by Run; its dead letters can be
// listed and replayed through the admin endpoints.
func (b *Base) Consume(cfg bus.ConsumerConfig, h bus.Handler) *bus.Consumer {
	cfg.Registry = b.Registry
	c := bus.NewConsumer(b.DB, b.Deps.Bus.JS, cfg, h, b.Log)
	b.mu.Lock()
	b.consumers[cfg.Name] = c
	b.mu.Unlock()
	b.Go("consumer "+cfg.Name, c.Run)
	return c
}

// consumersReady is the readiness check of the service's consumers: every
// one declared on the server. A service whose consumers cannot be declared
// (a nats-server older than bus.MinServerVersion, a stream missing) would
// otherwise serve writes whose effects never arrive.
func (b *Base) consumersReady(context.Context) error {
	var errs []error
	for _, c := range b.consumerList() {
		if err := c.Ready(); err != nil {
			errs = append(errs, err)
		}
	}
	return httpx.Explain(errors.Join(errs...))
}

// explainVersion lets /readyz say that the NATS server is too old, which an
// operator must act on; other NATS errors stay in the log.
func explainVersion(err error) error {
	var v *bus.VersionError
	if errors.As(err, &v) {
		return httpx.Explain(err)
	}
	return err
}

// report is the service's own part of /readyz: its consumers' health.
func (b *Base) report() map[string]any {
	cs := b.consumerList()
	if len(cs) == 0 {
		return nil
	}
	hs := make([]bus.ConsumerHealth, 0, len(cs))
	for _, c := range cs {
		hs = append(hs, c.Health())
	}
	return map[string]any{"consumers": hs}
}

// consumerList is the consumers by name.
func (b *Base) consumerList() []*bus.Consumer {
	b.mu.Lock()
	defer b.mu.Unlock()
	names := make([]string, 0, len(b.consumers))
	for n := range b.consumers {
		names = append(names, n)
	}
	slices.Sort(names)
	out := make([]*bus.Consumer, 0, len(names))
	for _, n := range names {
		out = append(out, b.consumers[n])
	}
	return out
}

// Go registers a background task (a sweeper, a scheduler) run by Run until
// its context ends. A task that returns an error stops the service.
func (b *Base) Go(name string, fn func(context.Context) error) {
	b.runners = append(b.runners, runner{name: name, fn: fn})
}

// OnClose registers fn to run when Run has stopped HTTP, the relay, the
// consumers and the tasks, before the pool closes: for what a service
// holds on the pool, such as prepared statements.
func (b *Base) OnClose(fn func() error) { b.closers = append(b.closers, fn) }

// Run serves HTTP and runs the relay, consumers and tasks until ctx ends
// or one of them fails, then stops them all and closes the pool.
func (b *Base) Run(ctx context.Context) error {
	defer func() {
		for _, fn := range b.closers {
			if err := fn(); err != nil {
				b.Log.Warn("close", "err", err)
			}
		}
		_ = b.DB.Close()
	}()
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return httpx.Serve(gctx, b.Addr, b.Engine, b.Log) })
	g.Go(func() error { return b.relay.Run(gctx) })
	for _, r := range b.runners {
		g.Go(func() error {
			if err := r.fn(gctx); err != nil && !errors.Is(err, context.Canceled) {
				return fmt.Errorf("%s: %s: %w", b.Name, r.name, err)
			}
			return nil
		})
	}
	err := g.Wait()
	b.Log.Info("service stopped", "err", err)
	return err
}

// registerAdmin adds the endpoints every service has for admins and
// auditors: dead letters (list, replay) and the audit trail (list, verify).
func (b *Base) registerAdmin() {
	admin := b.API.Group("/admin")
	// Dead letters read newest first, a page at a time (pkg/page: ?limit=
	// &after=<cursor>, the cursor holding the last id shown).
	admin.GET("/dead-letters", auth.Require(auth.RoleAdmin), func(c *gin.Context) {
		pending := c.Query("pending") != "false"
		pr, err := page.FromQuery(c.Request.URL.Query())
		if err != nil {
			httpx.Respond(c, err)
			return
		}
		var before int64
		if _, err := pr.Decode(&before); err != nil {
			httpx.Respond(c, err)
			return
		}
		dls, err := bus.ListDeadLetters(c.Request.Context(), b.DB, pending, before, pr.Fetch())
		if err != nil {
			httpx.Respond(c, err)
			return
		}
		dls, next := page.Trim(pr, dls, func(d bus.DeadLetter) string { return page.Cursor(d.ID) })
		if dls == nil {
			dls = []bus.DeadLetter{}
		}
		c.JSON(http.StatusOK, gin.H{"items": dls, "next": next})
	})
	admin.POST("/dead-letters/:id/replay", auth.Require(auth.RoleAdmin), func(c *gin.Context) {
		id, err := strconv.ParseInt(c.Param("id"), 10, 64)
		if err != nil {
			httpx.Respond(c, httpx.NotFound())
			return
		}
		var consumer string
		if err := b.DB.GetContext(c.Request.Context(), &consumer, `SELECT consumer FROM dead_letters WHERE id = $1`, id); err != nil {
			httpx.Respond(c, httpx.NotFound())
			return
		}
		b.mu.Lock()
		cons := b.consumers[consumer]
		b.mu.Unlock()
		if cons == nil {
			httpx.Respond(c, httpx.NotFound())
			return
		}
		if err := cons.Replay(c.Request.Context(), id, auth.Current(c).UserID); err != nil {
			if errors.Is(err, bus.ErrNotFound) {
				httpx.Respond(c, httpx.NotFound())
				return
			}
			httpx.Respond(c, httpx.NewError(http.StatusConflict, "replay_failed").WithCause(err))
			return
		}
		c.JSON(http.StatusOK, gin.H{"replayed": id})
	})
	// The trail reads newest first, a page at a time (pkg/page: ?limit=
	// &after=<cursor>, the cursor holding the last seq shown).
	admin.GET("/audit", auth.Require(auth.RoleAuditor, auth.RoleAdmin), func(c *gin.Context) {
		pr, err := page.FromQuery(c.Request.URL.Query())
		if err != nil {
			httpx.Respond(c, err)
			return
		}
		f := audit.Filter{
			Actor: c.Query("actor"), Action: c.Query("action"),
			ObjectType: c.Query("object_type"), ObjectID: c.Query("object_id"), ObjectNumber: c.Query("object_number"),
			NewestFirst: true, Limit: pr.Fetch(),
		}
		var before int64
		if ok, err := pr.Decode(&before); err != nil {
			httpx.Respond(c, err)
			return
		} else if ok {
			f.BeforeSeq = before
		}
		for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
			if s := c.Query(name); s != "" {
				t, err := time.Parse(time.RFC3339, s)
				if err != nil {
					httpx.Respond(c, httpx.Invalid(fielderr.Problem{Field: name, Code: "field.time"}))
					return
				}
				*dst = t
			}
		}
		recs, err := audit.List(c.Request.Context(), b.DB, f)
		if err != nil {
			httpx.Respond(c, err)
			return
		}
		recs, next := page.Trim(pr, recs, func(r audit.Record) string { return page.Cursor(r.Seq) })
		if recs == nil {
			recs = []audit.Record{}
		}
		c.JSON(http.StatusOK, gin.H{"items": recs, "next": next})
	})
	admin.GET("/audit/verify", auth.Require(auth.RoleAuditor, auth.RoleAdmin), func(c *gin.Context) {
		rep, err := audit.Verify(c.Request.Context(), b.DB)
		if err != nil {
			httpx.Respond(c, err)
			return
		}
		if rep.Chains == nil {
			rep.Chains = []audit.ChainHead{}
		}
		c.JSON(http.StatusOK, rep)
	})
}
