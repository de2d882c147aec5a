// Package grants is the grants service of Anxin: the assistance fund of each
// fiscal year, its programs, applications and their approval chain, the
// statutory calculators, recurring grants, the double-entry fund ledger and
// finance's exports. See ARCHITECTURE.md for what it owns, publishes and
// consumes.
package grants

import (
	"context"
	"net/http"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/config"
	"github.com/anxin-welfare/anxin/pkg/pdfdoc"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/grants/internal/events"
	"github.com/anxin-welfare/anxin/services/grants/internal/httpapi"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
	"github.com/anxin-welfare/anxin/services/grants/internal/workflow"
)

// Name is the service's name: its URL prefix /api/v1/grants, its event source
// and its default schema.
const Name = "grants"

// Config is the grants service's own configuration, loaded from the
// environment by `anxin serve` (config.Load) after the process-wide app.Config.
type Config struct {
	// HTTPAddr is the listen address, set by `anxin serve` from
	// ANXIN_HTTP_ADDR or ANXIN_GRANTS_ADDR.
	HTTPAddr string
	// Schema is the PostgreSQL schema the service owns. Default "grants".
	Schema string `env:"ANXIN_GRANTS_SCHEMA" default:"grants" doc:"PostgreSQL schema of the grants service"`
	// RecurringInterval is how often recurring grants are checked for due
	// months (idempotent; a month is paid once). Default 1h.
	RecurringInterval time.Duration `env:"ANXIN_GRANTS_RECURRING_INTERVAL" default:"1h" doc:"how often recurring grants pay their due months"`
	// ExportPoll is how often the export worker looks for queued jobs.
	// Default 1s.
	ExportPoll time.Duration `env:"ANXIN_GRANTS_EXPORT_POLL" default:"1s" doc:"how often queued ledger exports are picked up"`
	// MaxOpenConns caps the service's PostgreSQL pool. Default 20.
	MaxOpenConns int `env:"ANXIN_GRANTS_MAX_CONNS" default:"20" doc:"PostgreSQL connections of the grants service"`
	// PDFFont is the TrueType font (or collection) of the printed
	// documents. Default pdfdoc.DefaultFontPath (fonts-wqy-microhei).
	PDFFont string `env:"ANXIN_PDF_FONT" default:"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc" doc:"TrueType font (or collection) embedded in printed documents"`
}

// Validate lists every problem with the configuration.
func (c Config) Validate() error {
	var p config.Problems
	p.Check(pg.ValidSchema(c.Schema), "ANXIN_GRANTS_SCHEMA=%q: not a valid schema name", c.Schema)
	p.Check(c.HTTPAddr != "", "grants: no listen address")
	p.Check(c.RecurringInterval <= 0 || c.RecurringInterval >= time.Minute, "ANXIN_GRANTS_RECURRING_INTERVAL=%s: at least 1m", c.RecurringInterval)
	p.Check(c.ExportPoll <= 0 || c.ExportPoll >= 10*time.Millisecond, "ANXIN_GRANTS_EXPORT_POLL=%s: at least 10ms", c.ExportPoll)
	p.Check(c.MaxOpenConns >= 0, "ANXIN_GRANTS_MAX_CONNS=%d: not negative", c.MaxOpenConns)
	return p.Err()
}

func (c *Config) defaults() {
	if c.Schema == "" {
		c.Schema = Name
	}
	if c.RecurringInterval <= 0 {
		c.RecurringInterval = time.Hour
	}
	if c.ExportPoll <= 0 {
		c.ExportPoll = time.Second
	}
}

// Service is a running grants service.
type Service struct {
	base *app.Base
	// Workflow runs the commands; exposed for tests and the CLI.
	Workflow *workflow.Service
	store    *store.Store
}

// New opens the service's schema, applies its migrations and wires its
// routes, consumers and background tasks.
func New(ctx context.Context, deps *app.Deps, cfg Config) (*Service, error) {
	cfg.defaults()
	base, err := app.NewBase(ctx, deps, app.BaseConfig{Name: Name, Schema: cfg.Schema, HTTPAddr: cfg.HTTPAddr,
		Migrations: []pg.MigrationSet{store.Migrations()}, MaxOpenConns: cfg.MaxOpenConns})
	if err != nil {
		return nil, err
	}
	st := store.New(base.DB, deps.Clock)
	wf := workflow.New(st, deps.Clock)
	fonts := pdfdoc.NewFonts(cfg.PDFFont)
	if err := fonts.Check(); err != nil {
		base.Log.Warn("printed documents are unavailable until the font is installed", "font", fonts.Path, "err", err)
	}
	api := &httpapi.API{Svc: wf, Store: st, Clock: deps.Clock, Fonts: fonts}
	api.Register(base.API)

	base.Consume(bus.ConsumerConfig{Name: events.ConsumerInjury,
		Subjects: []string{bus.Subject(events.SourceInjury, events.TypeCaseGraded, 1)}}, events.OnCaseGraded(st))
	base.Consume(bus.ConsumerConfig{Name: events.ConsumerEnrollment,
		Subjects: []string{bus.Subject(events.SourceEnrollment, events.TypeMemberDeceased, 1)}}, events.OnMemberDeceased(st))
	base.Consume(bus.ConsumerConfig{Name: events.ConsumerMembers, Subjects: []string{
		bus.Subject(events.SourceEnrollment, events.TypeMemberRegistered, 1),
		bus.Subject(events.SourceEnrollment, events.TypeMemberUpdated, 1)}}, events.OnMemberChanged(st))

	log := base.Log
	base.Go("ledger exports", wf.ExportWorker(httpapi.Labels, cfg.ExportPoll, func(msg string, args ...any) { log.Error(msg, args...) }))
	base.Go("recurring grants", func(ctx context.Context) error {
		t := time.NewTicker(cfg.RecurringInterval)
		defer t.Stop()
		for {
			if _, err := wf.RunRecurring(ctx); err != nil && ctx.Err() == nil {
				log.Error("recurring grants", "err", err)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
			}
		}
	})
	return &Service{base: base, Workflow: wf, store: st}, nil
}

// Handler is the service's HTTP handler, for tests.
func (s *Service) Handler() http.Handler { return s.base.Engine }

// Run serves until ctx ends.
func (s *Service) Run(ctx context.Context) error { return s.base.Run(ctx) }

// RebuildReports recomputes the committee overview's reporting tables from
// the applications, disbursements and funds. Triggers keep them up to date
// as the facts change; call this after a bulk load that bypassed them (the
// scale seed) or to repair them.
func (s *Service) RebuildReports(ctx context.Context) error { return s.store.RebuildReports(ctx) }
