// Package injury is the injury service of Anxin: see ARCHITECTURE.md for what it
// owns, publishes and consumes.
package injury

import (
	"context"
	"net/http"

	"github.com/anxin-welfare/anxin/pkg/app"
	"github.com/anxin-welfare/anxin/pkg/config"
	"github.com/anxin-welfare/anxin/pkg/pg"
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
}

// Validate lists every problem with the configuration.
func (c Config) Validate() error {
	var p config.Problems
	p.Check(pg.ValidSchema(c.Schema), "ANXIN_INJURY_SCHEMA=%q: not a valid schema name", c.Schema)
	p.Check(c.HTTPAddr != "", "injury: no listen address")
	return p.Err()
}

// Service is a running injury service.
type Service struct {
	base *app.Base
}

// New opens the service's schema, applies its migrations and wires its
// routes, consumers and background tasks.
func New(ctx context.Context, deps *app.Deps, cfg Config) (*Service, error) {
	base, err := app.NewBase(ctx, deps, app.BaseConfig{Name: Name, Schema: cfg.Schema, HTTPAddr: cfg.HTTPAddr})
	if err != nil {
		return nil, err
	}
	return &Service{base: base}, nil
}

// Handler is the service's HTTP handler, for tests.
func (s *Service) Handler() http.Handler { return s.base.Engine }

// Run serves until ctx ends.
func (s *Service) Run(ctx context.Context) error { return s.base.Run(ctx) }
