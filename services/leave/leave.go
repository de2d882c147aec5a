// Package leave is the leave service of Anxin: paid annual leave
// (entitlements, work calendar, balance ledger, requests, year-end rollover
// and compensation), recuperation stays and yearly health checks. See
// ARCHITECTURE.md for what it owns, publishes and consumes.
package leave

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/config"
	"github.com/anxin-welfare/anxin/pkg/pdfdoc"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/leave/internal/commands"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
	"github.com/anxin-welfare/anxin/services/leave/internal/events"
	"github.com/anxin-welfare/anxin/services/leave/internal/httpapi"
	"github.com/anxin-welfare/anxin/services/leave/internal/store"
	"github.com/anxin-welfare/anxin/services/leave/internal/store/carestore"
)

// Name is the service's name: its URL prefix /api/v1/leave, its event source
// and its default schema.
const Name = "leave"

// Config is the leave service's own configuration, loaded from the
// environment by `anxin serve` (config.Load) after the process-wide app.Config.
// The statutory numbers are in the code with their regulations; these are the
// county's local choices.
type Config struct {
	// HTTPAddr is the listen address, set by `anxin serve` from
	// ANXIN_HTTP_ADDR or ANXIN_LEAVE_ADDR.
	HTTPAddr string
	// Schema is the PostgreSQL schema the service owns. Default "leave".
	Schema string `env:"ANXIN_LEAVE_SCHEMA" default:"leave" doc:"PostgreSQL schema of the leave service"`
	// SecondLevelAboveDays: longer requests need an approver after the unit head. Default 5.
	SecondLevelAboveDays int `env:"ANXIN_LEAVE_SECOND_LEVEL_ABOVE_DAYS" default:"5" doc:"leave requests of more working days than this need a second approval"`
	// MaxCarryOverDays caps a carry-over; 0 allows the whole carryable balance. Default 0.
	MaxCarryOverDays int `env:"ANXIN_LEAVE_MAX_CARRY_OVER_DAYS" default:"0" doc:"most days carried into the next year (0: no cap beyond the balance)"`
	// SickDaysPerMonth converts the statutory months of sick leave to days. Default 30.
	SickDaysPerMonth int `env:"ANXIN_LEAVE_SICK_DAYS_PER_MONTH" default:"30" doc:"calendar days counted as one month of sick leave (Regulation art. 4)"`
	// Priority weights of recuperation places. Defaults 40 / 30 / 20 / 10 from 20 years.
	PriorityMartyrFamily int `env:"ANXIN_LEAVE_PRIORITY_MARTYR_FAMILY" default:"40" doc:"recuperation priority of martyr families"`
	PriorityInjured      int `env:"ANXIN_LEAVE_PRIORITY_INJURED" default:"30" doc:"recuperation priority of officers injured on duty"`
	PriorityFrontline    int `env:"ANXIN_LEAVE_PRIORITY_FRONTLINE" default:"20" doc:"recuperation priority of frontline officers"`
	PriorityLongService  int `env:"ANXIN_LEAVE_PRIORITY_LONG_SERVICE" default:"10" doc:"recuperation priority of long service"`
	LongServiceYears     int `env:"ANXIN_LEAVE_LONG_SERVICE_YEARS" default:"20" doc:"years of service that count as long service"`
	// ReminderInterval is how often health checks are reminded
	// (healthcheck.reminder before the deadline, healthcheck.overdue after
	// it; at most one a day per member). Default 24h; 0 disables.
	ReminderInterval time.Duration `env:"ANXIN_LEAVE_REMINDER_INTERVAL" default:"24h" doc:"how often health-check reminders and overdue notices are sent (0 disables)"`
	// PDFFont is the TrueType font (or collection) of the printed
	// documents. Default pdfdoc.DefaultFontPath (fonts-wqy-microhei).
	PDFFont string `env:"ANXIN_PDF_FONT" default:"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc" doc:"TrueType font (or collection) embedded in printed documents"`
}

// Validate lists every problem with the configuration.
func (c Config) Validate() error {
	var p config.Problems
	p.Check(pg.ValidSchema(c.Schema), "ANXIN_LEAVE_SCHEMA=%q: not a valid schema name", c.Schema)
	p.Check(c.HTTPAddr != "", "leave: no listen address")
	if err := c.policy().Validate(); err != nil {
		p.Check(false, "leave: %v", err)
	}
	p.Check(c.PriorityMartyrFamily >= 0 && c.PriorityInjured >= 0 && c.PriorityFrontline >= 0 && c.PriorityLongService >= 0 && c.LongServiceYears >= 0,
		"leave: recuperation priority weights must not be negative")
	p.Check(c.ReminderInterval >= 0, "ANXIN_LEAVE_REMINDER_INTERVAL must not be negative")
	return p.Err()
}

func (c Config) policy() domain.Policy {
	p := domain.DefaultPolicy()
	p.SecondLevelAboveDays, p.MaxCarryOverDays, p.SickDaysPerMonth = c.SecondLevelAboveDays, c.MaxCarryOverDays, c.SickDaysPerMonth
	return p
}

func (c Config) priority() domain.PriorityPolicy {
	return domain.PriorityPolicy{MartyrFamily: c.PriorityMartyrFamily, InjuredOnDuty: c.PriorityInjured,
		Frontline: c.PriorityFrontline, LongService: c.PriorityLongService, LongServiceYears: c.LongServiceYears}
}

// withDefaults fills the zero values that are never valid settings, for a
// Config built in code (tests) rather than by config.Load.
func (c Config) withDefaults() Config {
	if c.Schema == "" {
		c.Schema = Name
	}
	if c.SickDaysPerMonth == 0 {
		c.SickDaysPerMonth = domain.DefaultPolicy().SickDaysPerMonth
	}
	return c
}

// Service is a running leave service.
type Service struct {
	base  *app.Base
	store *store.Store
}

// New opens the service's schema, applies its migrations and wires its
// routes, consumers and background tasks.
func New(ctx context.Context, deps *app.Deps, cfg Config) (*Service, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", app.ErrConfig, err)
	}
	base, err := app.NewBase(ctx, deps, app.BaseConfig{Name: Name, Schema: cfg.Schema, HTTPAddr: cfg.HTTPAddr, Migrations: []pg.MigrationSet{store.Migrations()}})
	if err != nil {
		return nil, err
	}
	st := store.New(base.DB, deps.Clock, cfg.policy(), cfg.priority(), deps.Sealer)
	fonts := pdfdoc.NewFonts(cfg.PDFFont)
	if err := fonts.Check(); err != nil {
		base.Log.Warn("printed documents are unavailable until the font is installed", "font", fonts.Path, "err", err)
	}
	care := carestore.New(base.DB, deps.Clock, deps.Sealer)
	cmds := commands.New(st, care, deps.Clock)
	httpapi.New(st, care, cmds, deps.Clock, httpapi.Options{Fonts: fonts}).Register(base.API)
	for _, c := range events.ConsumerConfigs() {
		base.Consume(c.Config, c.Handler(st))
	}
	if cfg.ReminderInterval > 0 {
		base.Go("health-check reminders", func(ctx context.Context) error {
			return remind(ctx, cmds, deps.Clock, cfg.ReminderInterval, base.Log)
		})
	}
	return &Service{base: base, store: st}, nil
}

// remind sends the health-check reminders and overdue notices of the current year every
// interval; each member gets at most one a day, whatever the number of
// replicas.
func remind(ctx context.Context, cmds *commands.Service, clk clock.Clock, interval time.Duration, log *slog.Logger) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			n, err := cmds.SendReminders(ctx, clock.Today(clk).Year(), "system:leave")
			if err != nil && ctx.Err() == nil {
				// A failed round is retried at the next tick; it must not
				// stop the service.
				log.Error("health-check reminders failed", "err", err)
				continue
			}
			if n > 0 {
				log.Info("health-check reminders sent", "count", n)
			}
		}
	}
}

// Handler is the service's HTTP handler, for tests.
func (s *Service) Handler() http.Handler { return s.base.Engine }

// Run serves until ctx ends.
func (s *Service) Run(ctx context.Context) error { return s.base.Run(ctx) }

// RebuildReports recomputes the committee overview's reporting tables
// (annual-leave uptake, health checks, active members) from the ledger,
// pay, waivers, bookings and members. Triggers keep them up to date as the
// facts change; call this after a bulk load that bypassed them (the scale
// seed) or to repair them.
func (s *Service) RebuildReports(ctx context.Context) error { return s.store.RebuildReports(ctx) }
