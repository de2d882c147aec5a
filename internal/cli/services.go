package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/anxin-welfare/anxin/pkg/app"
	"github.com/anxin-welfare/anxin/pkg/config"
	"github.com/anxin-welfare/anxin/services/enrollment"
	"github.com/anxin-welfare/anxin/services/gateway"
	"github.com/anxin-welfare/anxin/services/grants"
	"github.com/anxin-welfare/anxin/services/injury"
	"github.com/anxin-welfare/anxin/services/leave"
	"github.com/anxin-welfare/anxin/services/notify"
)

// ServiceNames are the targets of `anxin serve`, in start order: the
// gateway last, so the services it routes to are up first.
var ServiceNames = []string{"enrollment", "injury", "grants", "leave", "notify", "gateway"}

// runnable is a started service.
type runnable interface {
	Run(ctx context.Context) error
}

// serviceSpec knows how to configure and build one service.
type serviceSpec struct {
	// load reads the service's config from the environment, sets its
	// listen address, and validates it.
	load func(addr string) (any, error)
	// build opens the service.
	build func(ctx context.Context, deps *app.Deps, cfg any) (runnable, error)
	// schema names the schema for `anxin migrate`.
	schema func(cfg any) string
}

func spec[C interface{ Validate() error }, S runnable](
	setAddr func(*C, string), schema func(C) string,
	build func(context.Context, *app.Deps, C) (S, error),
) serviceSpec {
	return serviceSpec{
		load: func(addr string) (any, error) {
			var c C
			if err := config.Load(&c); err != nil {
				return nil, err
			}
			setAddr(&c, addr)
			return c, c.Validate()
		},
		build: func(ctx context.Context, deps *app.Deps, cfg any) (runnable, error) {
			return build(ctx, deps, cfg.(C))
		},
		schema: func(cfg any) string { return schema(cfg.(C)) },
	}
}

var specs = map[string]serviceSpec{
	"enrollment": spec(func(c *enrollment.Config, a string) { c.HTTPAddr = a }, func(c enrollment.Config) string { return c.Schema }, enrollment.New),
	"injury":     spec(func(c *injury.Config, a string) { c.HTTPAddr = a }, func(c injury.Config) string { return c.Schema }, injury.New),
	"grants":     spec(func(c *grants.Config, a string) { c.HTTPAddr = a }, func(c grants.Config) string { return c.Schema }, grants.New),
	"leave":      spec(func(c *leave.Config, a string) { c.HTTPAddr = a }, func(c leave.Config) string { return c.Schema }, leave.New),
	"notify":     spec(func(c *notify.Config, a string) { c.HTTPAddr = a }, func(c notify.Config) string { return c.Schema }, notify.New),
	"gateway":    spec(func(c *gateway.Config, a string) { c.HTTPAddr = a }, func(c gateway.Config) string { return c.Schema }, gateway.New),
}

// resolveTargets expands "all" and rejects unknown names.
func resolveTargets(args []string) ([]string, error) {
	if len(args) == 0 {
		return nil, usageError{fmt.Errorf("name what to serve: all, %s", strings.Join(ServiceNames, ", "))}
	}
	var out []string
	for _, a := range args {
		if a == "all" {
			return slices.Clone(ServiceNames), nil
		}
		if _, ok := specs[a]; !ok {
			return nil, usageError{fmt.Errorf("unknown target %q: want all, %s", a, strings.Join(ServiceNames, ", "))}
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	// Keep start order.
	slices.SortFunc(out, func(a, b string) int { return slices.Index(ServiceNames, a) - slices.Index(ServiceNames, b) })
	return out, nil
}
