// Package enrollment is the enrollment service of Anxin: the member registry
// (units, members, dependants, beneficiaries, honours) and insurance
// enrollment (plans, enrollments, coverage, premiums). It is the system of
// record for who the members are; the other services keep projections of it
// from its events (member.registered/updated/deceased, enrollment.activated/
// ended) and ask it over NATS whether a member was covered on a day.
package enrollment

import (
	"context"
	"fmt"
	"net/http"

	"github.com/anxin-welfare/anxin/pkg/app"
	"github.com/anxin-welfare/anxin/pkg/config"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/httpapi"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/natsapi"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/roster"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/store"
)

// Name is the service's name: its URL prefix /api/v1/enrollment, its event source
// and its default schema.
const Name = "enrollment"

// Config is the enrollment service's own configuration, loaded from the
// environment by `anxin serve` (config.Load) after the process-wide app.Config.
type Config struct {
	// HTTPAddr is the listen address, set by `anxin serve` from
	// ANXIN_HTTP_ADDR or ANXIN_ENROLLMENT_ADDR.
	HTTPAddr string
	// Schema is the PostgreSQL schema the service owns. Default "enrollment".
	Schema string `env:"ANXIN_ENROLLMENT_SCHEMA" default:"enrollment" doc:"PostgreSQL schema of the enrollment service"`
	// RosterMaxBytes caps a roster upload. Default 16 MiB: a county's
	// 10,000-row XLSX is about 1 MiB.
	RosterMaxBytes int64 `env:"ANXIN_ENROLLMENT_ROSTER_MAX_BYTES" default:"16777216" doc:"largest roster file accepted, in bytes"`
	// RosterMaxRows caps the data rows of a roster. Default 20000.
	RosterMaxRows int `env:"ANXIN_ENROLLMENT_ROSTER_MAX_ROWS" default:"20000" doc:"most data rows a roster file may hold"`
}

// Validate lists every problem with the configuration.
func (c Config) Validate() error {
	var p config.Problems
	p.Check(pg.ValidSchema(c.Schema), "ANXIN_ENROLLMENT_SCHEMA=%q: not a valid schema name", c.Schema)
	p.Check(c.HTTPAddr != "", "enrollment: no listen address")
	p.Check(c.RosterMaxBytes >= 0 && c.RosterMaxBytes <= 256<<20, "ANXIN_ENROLLMENT_ROSTER_MAX_BYTES=%d: must be 0 (default) to 256 MiB", c.RosterMaxBytes)
	p.Check(c.RosterMaxRows >= 0 && c.RosterMaxRows <= 200000, "ANXIN_ENROLLMENT_ROSTER_MAX_ROWS=%d: must be 0 (default) to 200000", c.RosterMaxRows)
	return p.Err()
}

// Service is a running enrollment service.
type Service struct {
	base  *app.Base
	store *store.Store
}

// New opens the service's schema, applies its migrations and wires its
// routes and its NATS coverage endpoint.
func New(ctx context.Context, deps *app.Deps, cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", app.ErrConfig, err)
	}
	base, err := app.NewBase(ctx, deps, app.BaseConfig{
		Name: Name, Schema: cfg.Schema, HTTPAddr: cfg.HTTPAddr,
		Migrations: []pg.MigrationSet{store.Migrations()},
	})
	if err != nil {
		return nil, err
	}
	st := store.New(base.DB, deps.Sealer, deps.Clock)
	base.OnClose(st.Close)
	limits := roster.Limits{MaxBytes: cfg.RosterMaxBytes, MaxRows: cfg.RosterMaxRows}
	httpapi.New(st, base.Log, limits).Register(base.API)
	svc, err := natsapi.Serve(deps.Bus.NC, st, base.Log)
	if err != nil {
		return nil, fmt.Errorf("enrollment: coverage endpoint: %w", err)
	}
	base.Go("coverage endpoint", func(ctx context.Context) error {
		<-ctx.Done()
		return svc.Stop()
	})
	return &Service{base: base, store: st}, nil
}

// Handler is the service's HTTP handler, for tests.
func (s *Service) Handler() http.Handler { return s.base.Engine }

// Run serves until ctx ends.
func (s *Service) Run(ctx context.Context) error { return s.base.Run(ctx) }
