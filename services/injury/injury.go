// Package injury is the injury service of Anxin: the green channel for
// officers injured on duty. It owns cases, their SLA clocks, work-injury
// determination, disability grading, injury leave, documents and benefit
// calculations; it publishes case.opened/escalated/determined/graded/closed
// and case.leave_changed, follows enrollment's member events into a local
// projection, and asks enrollment for coverage over NATS request-reply.
package injury

import (
	"context"
	"net/http"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/anxin-welfare/anxin/pkg/app"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/config"
	"github.com/anxin-welfare/anxin/pkg/pdfdoc"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/injury/internal/commands"
	"github.com/anxin-welfare/anxin/services/injury/internal/coverage"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/events"
	"github.com/anxin-welfare/anxin/services/injury/internal/httpapi"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

// Name is the service's name: its URL prefix /api/v1/injury, its event source
// and its default schema.
const Name = "injury"

// Config is the injury service's own configuration, loaded from the
// environment by `anxin serve` (config.Load) after the process-wide app.Config.
type Config struct {
	// HTTPAddr is the listen address, set by `anxin serve` from
	// ANXIN_HTTP_ADDR or ANXIN_INJURY_ADDR.
	HTTPAddr string
	// Schema is the PostgreSQL schema the service owns. Default "injury".
	Schema string `env:"ANXIN_INJURY_SCHEMA" default:"injury" doc:"PostgreSQL schema of the injury service"`

	// Acknowledgement and hand-off deadlines by severity (local policy).
	AckCritical     time.Duration `env:"ANXIN_INJURY_ACK_CRITICAL" default:"15m" doc:"acknowledge a critical case within"`
	AckSerious      time.Duration `env:"ANXIN_INJURY_ACK_SERIOUS" default:"1h" doc:"acknowledge a serious case within"`
	AckMinor        time.Duration `env:"ANXIN_INJURY_ACK_MINOR" default:"4h" doc:"acknowledge a minor case within"`
	HandoffCritical time.Duration `env:"ANXIN_INJURY_HANDOFF_CRITICAL" default:"1h" doc:"confirm hospital hand-off of a critical case within"`
	HandoffSerious  time.Duration `env:"ANXIN_INJURY_HANDOFF_SERIOUS" default:"4h" doc:"confirm hospital hand-off of a serious case within"`
	HandoffMinor    time.Duration `env:"ANXIN_INJURY_HANDOFF_MINOR" default:"24h" doc:"confirm hospital hand-off of a minor case within"`
	// AmberPercent is how much of a clock's span is left when it turns
	// amber: the queue shows it, and the sweeper tells the case's people
	// once (case.sla_amber). It applies to clocks started after a change.
	AmberPercent int `env:"ANXIN_INJURY_AMBER_PERCENT" default:"20" doc:"percent of a deadline's span left when it shows amber and the case's people are told it approaches"`
	// UrgentCritical and UrgentSerious are how near its deadline a case of
	// that severity shows amber in the queue, whatever its clock's amber
	// point (minor cases follow the clock alone).
	UrgentCritical time.Duration `env:"ANXIN_INJURY_URGENT_CRITICAL" default:"1h" doc:"a critical case shows due soon this long before its deadline"`
	UrgentSerious  time.Duration `env:"ANXIN_INJURY_URGENT_SERIOUS" default:"30m" doc:"a serious case shows due soon this long before its deadline"`
	// CommitteeAfterDays is how long a breached statutory deadline stays
	// with the unit head before the committee is alerted.
	CommitteeAfterDays time.Duration `env:"ANXIN_INJURY_COMMITTEE_AFTER" default:"72h" doc:"grace after a breached day-scale deadline before escalation to the committee"`

	// SweepInterval is how often due clocks are escalated.
	SweepInterval time.Duration `env:"ANXIN_INJURY_SWEEP_INTERVAL" default:"15s" doc:"how often the SLA sweeper looks for due clocks"`
	// SweepBatch bounds the clocks one sweep claims.
	SweepBatch int `env:"ANXIN_INJURY_SWEEP_BATCH" default:"1000" doc:"clocks one sweep claims at most"`
	// CoverageSubject is enrollment's coverage request-reply subject.
	CoverageSubject string `env:"ANXIN_INJURY_COVERAGE_SUBJECT" default:"anxin.enrollment.coverage" doc:"NATS subject of enrollment's coverage query"`
	// CoverageInterval is how often pending coverage checks are retried.
	CoverageInterval time.Duration `env:"ANXIN_INJURY_COVERAGE_INTERVAL" default:"5s" doc:"how often pending coverage checks are looked for"`
	// CoverageTimeout bounds one coverage request.
	CoverageTimeout time.Duration `env:"ANXIN_INJURY_COVERAGE_TIMEOUT" default:"3s" doc:"timeout of one coverage request to enrollment"`
	// PDFFont is the TrueType font (or collection) of the printed
	// documents. Default pdfdoc.DefaultFontPath (fonts-wqy-microhei).
	PDFFont string `env:"ANXIN_PDF_FONT" default:"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc" doc:"TrueType font (or collection) embedded in printed documents"`
}

// Policy is the clock policy the configuration describes.
func (c Config) Policy() domain.Policy {
	p := domain.DefaultPolicy()
	p.AckWithin = map[domain.Severity]time.Duration{domain.SeverityCritical: c.AckCritical, domain.SeveritySerious: c.AckSerious, domain.SeverityMinor: c.AckMinor}
	p.HandoffWithin = map[domain.Severity]time.Duration{domain.SeverityCritical: c.HandoffCritical, domain.SeveritySerious: c.HandoffSerious, domain.SeverityMinor: c.HandoffMinor}
	p.AmberPercent = c.AmberPercent
	p.UrgentWithin = map[domain.Severity]time.Duration{domain.SeverityCritical: c.UrgentCritical, domain.SeveritySerious: c.UrgentSerious}
	p.CommitteeAfterDays = c.CommitteeAfterDays
	return p
}

// Validate lists every problem with the configuration.
func (c Config) Validate() error {
	var p config.Problems
	p.Check(pg.ValidSchema(c.Schema), "ANXIN_INJURY_SCHEMA=%q: not a valid schema name", c.Schema)
	p.Check(c.HTTPAddr != "", "injury: no listen address")
	p.Add(c.Policy().Validate())
	p.Check(c.SweepInterval > 0, "ANXIN_INJURY_SWEEP_INTERVAL must be positive")
	p.Check(c.SweepBatch > 0, "ANXIN_INJURY_SWEEP_BATCH must be positive")
	p.Check(c.CoverageSubject != "", "ANXIN_INJURY_COVERAGE_SUBJECT must be set")
	p.Check(c.CoverageTimeout > 0, "ANXIN_INJURY_COVERAGE_TIMEOUT must be positive")
	p.Check(c.CoverageInterval > 0, "ANXIN_INJURY_COVERAGE_INTERVAL must be positive")
	return p.Err()
}

// Service is a running injury service.
type Service struct {
	base     *app.Base
	store    *store.Store
	coverage *coverage.Worker
}

// New opens the service's schema, applies its migrations and wires its
// routes, consumers and background tasks.
func New(ctx context.Context, deps *app.Deps, cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	base, err := app.NewBase(ctx, deps, app.BaseConfig{Name: Name, Schema: cfg.Schema, HTTPAddr: cfg.HTTPAddr,
		Migrations: []pg.MigrationSet{store.Migrations()}})
	if err != nil {
		return nil, err
	}
	st := store.New(base.DB, deps.Clock, cfg.Policy())
	base.OnClose(st.Close)
	worker := &coverage.Worker{Store: st, Client: coverage.NATSClient{Conn: deps.Bus.NC, Subject: cfg.CoverageSubject},
		Log: base.Log.With("component", "coverage"), Timeout: cfg.CoverageTimeout, Interval: cfg.CoverageInterval}
	worker.Init()
	opener := store.NewBatchOpener(st, 0, 0)
	fonts := pdfdoc.NewFonts(cfg.PDFFont)
	if err := fonts.Check(); err != nil {
		base.Log.Warn("printed documents are unavailable until the font is installed", "font", fonts.Path, "err", err)
	}
	h := &httpapi.Handler{Store: st, Opener: opener, Clock: deps.Clock, Identify: httpapi.IdentifyFromToken,
		CoverageChanged: worker.Poke, Log: base.Log, Fonts: fonts}
	h.Register(base.API)
	base.Consume(bus.ConsumerConfig{Name: events.MemberConsumerName, Subjects: events.MemberSubjects}, events.HandleMember)
	base.Go("case opener", opener.Run)
	base.Go("coverage", worker.Run)
	escalations := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "anxin_injury_escalations_total", Help: "SLA clocks escalated, by clock and level.",
	}, []string{"clock", "level"})
	ambers := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "anxin_injury_sla_amber_total", Help: "SLA clocks told of at their amber point (case.sla_amber), by clock.",
	}, []string{"clock"})
	base.Registry.MustRegister(escalations, ambers)
	base.PollGauge("anxin_injury_coverage_checks_pending", "Injury cases whose insurance coverage enrollment has not answered yet.",
		func(ctx context.Context, _ *sqlx.DB) (float64, error) {
			n, err := st.PendingCoverageChecks(ctx)
			return float64(n), err
		})
	cmds := commands.New(st, opener)
	base.Go("sla sweeper", func(ctx context.Context) error { return sweep(ctx, cmds, cfg, base, escalations, ambers) })
	return &Service{base: base, store: st, coverage: worker}, nil
}

// sweep escalates due clocks, and tells of clocks turned amber, every
// interval until ctx ends. Replicas sweep side by side: each claims
// different clocks (FOR UPDATE SKIP LOCKED).
func sweep(ctx context.Context, cmds *commands.Service, cfg Config, base *app.Base, escalations, ambers *prometheus.CounterVec) error {
	t := time.NewTicker(cfg.SweepInterval)
	defer t.Stop()
	for {
		for {
			esc, err := cmds.Sweep(ctx, cfg.SweepBatch)
			if err != nil {
				if ctx.Err() == nil {
					base.Log.Warn("sla sweep failed; will retry", "err", err)
				}
				break
			}
			for _, e := range esc {
				if e.Lapsed {
					base.Log.Info("clock lapsed", "case", e.Number, "clock", e.Clock)
					continue
				}
				if e.Amber {
					ambers.WithLabelValues(string(e.Clock)).Inc()
					base.Log.Info("clock amber", "case", e.Number, "clock", e.Clock)
					continue
				}
				escalations.WithLabelValues(string(e.Clock), e.Level.String()).Inc()
				base.Log.Info("clock escalated", "case", e.Number, "clock", e.Clock, "level", e.Level.String())
			}
			if len(esc) < cfg.SweepBatch {
				break
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Handler is the service's HTTP handler, for tests.
func (s *Service) Handler() http.Handler { return s.base.Engine }

// Run serves until ctx ends.
func (s *Service) Run(ctx context.Context) error { return s.base.Run(ctx) }

// RebuildReports recomputes the committee overview's reporting tables from
// the cases, SLA clocks and timeline. They are kept up to date by triggers
// as the facts change; call this after a bulk load that bypassed them (the
// scale seed) or to repair them.
func (s *Service) RebuildReports(ctx context.Context) error { return s.store.RebuildReports(ctx) }
