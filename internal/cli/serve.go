package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/anxin-welfare/anxin/pkg/app"
)

func serveCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "serve <all|gateway|enrollment|injury|grants|leave>...",
		Short: "Run services: all of them in one process, or the ones named",
		Long: `Run services. "all" runs every service in this process, each on its own
address (ANXIN_<SERVICE>_ADDR), talking to the others over HTTP and NATS as
separate processes would. Naming one service runs it alone on ANXIN_HTTP_ADDR
(or its ANXIN_<SERVICE>_ADDR).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			targets, err := resolveTargets(args)
			if err != nil {
				return err
			}
			return serve(cmd.Context(), targets)
		},
	}
}

// loadAll reads the process and service configurations and reports every
// problem of all of them at once.
func loadAll(targets []string) (app.Config, map[string]any, error) {
	cfg, err := app.Load()
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	if err := cfg.Validate(); err != nil {
		errs = append(errs, err)
	}
	cfgs := map[string]any{}
	for _, name := range targets {
		addr := cfg.Addrs.Addr(name)
		if len(targets) == 1 && cfg.HTTPAddr != "" {
			addr = cfg.HTTPAddr
		}
		c, err := specs[name].load(addr)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
		cfgs[name] = c
	}
	if len(errs) > 0 {
		return cfg, nil, fmt.Errorf("%w: the configuration has problems:\n%w", app.ErrConfig, errors.Join(errs...))
	}
	return cfg, cfgs, nil
}

func serve(ctx context.Context, targets []string) error {
	cfg, cfgs, err := loadAll(targets)
	if err != nil {
		return err
	}
	log := app.NewLogger(cfg.LogLevel)
	deps, err := app.Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer deps.Close()
	services := make([]runnable, 0, len(targets))
	for _, name := range targets {
		s, err := specs[name].build(ctx, deps, cfgs[name])
		if err != nil {
			return fmt.Errorf("start %s: %w", name, err)
		}
		services = append(services, s)
	}
	log.Info("anxin started", "services", strings.Join(targets, ","), "config", cfg.String())
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return deps.ServeInternal(gctx) }) // /metrics, pprof: never on a public listener
	for i, s := range services {
		g.Go(func() error {
			if err := s.Run(gctx); err != nil {
				return fmt.Errorf("%s: %w", targets[i], err)
			}
			return nil
		})
	}
	err = g.Wait()
	log.Info("anxin stopped")
	return err
}
