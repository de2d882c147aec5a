package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/anxin-welfare/anxin/api/client"
	enrollmentapi "github.com/anxin-welfare/anxin/api/client/enrollment"
	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	injuryapi "github.com/anxin-welfare/anxin/api/client/injury"
	leaveapi "github.com/anxin-welfare/anxin/api/client/leave"
	"github.com/anxin-welfare/anxin/internal/seed"
	enrollmentseed "github.com/anxin-welfare/anxin/internal/seed/enrollment"
	grantsseed "github.com/anxin-welfare/anxin/internal/seed/grants"
	injuryseed "github.com/anxin-welfare/anxin/internal/seed/injury"
	leaveseed "github.com/anxin-welfare/anxin/internal/seed/leave"
	"github.com/anxin-welfare/anxin/pkg/app"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/gateway"
)

// seedCmd is `anxin seed demo`: a demo county for trying the system out.
func seedCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "seed",
		Short: "Load data into the system",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "demo",
		Short: "Create a demo county (units, members, plans, cases, grants, leave, users) through the services' APIs",
		Long: `Create a demo county: its unit tree, 200 members with dependants, this
year's insurance plans and their enrollment, injury cases, an assistance fund
with programs and applications, leave requests and a health-check round, and
one user per role with a random password printed at the end.

The services run inside this command on free loopback ports and the data goes
through their HTTP APIs, by the clients generated from their OpenAPI
documents, so every event is published and every projection fills exactly as
in use. Running it again changes nothing. It refuses to run
when ANXIN_ENV=production.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if err := cobra.NoArgs(cmd, args); err != nil {
				return usageError{err}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return seedDemo(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), seedOptions{})
		},
	})
	cmd.AddCommand(seedScaleCmd())
	return cmd
}

// seedOptions are what tests change of a demo seed.
type seedOptions struct {
	// doer, when not nil, stands between each service's client and the
	// network (see newSeedClients).
	doer func(service string, next client.Doer) client.Doer
}

// seedDemo starts every service, drives their APIs through the generated
// clients (the steps are in internal/seed/<service>) and stops them.
func seedDemo(ctx context.Context, stdout, stderr io.Writer, o seedOptions) error {
	base, err := app.Load()
	if err == nil && base.Env == app.EnvProduction {
		return fmt.Errorf("%w: %w", app.ErrConfig, gateway.ErrDemoInProduction)
	}
	cfg, _, err := loadAll(ServiceNames)
	if err != nil {
		return err
	}
	publicURL := gatewayURL(cfg.Addrs.Gateway)
	// The services run on free loopback ports of their own, so the seed
	// never collides with a running `anxin serve` and the gateway built here
	// routes to the services started here.
	addrs := map[string]string{}
	for _, name := range ServiceNames {
		a, err := freeLoopbackAddr()
		if err != nil {
			return fmt.Errorf("seed: pick a port for %s: %w", name, err)
		}
		addrs[name] = a
	}
	cfg.Addrs = app.Addrs{Gateway: addrs["gateway"], Enrollment: addrs["enrollment"], Injury: addrs["injury"], Grants: addrs["grants"], Leave: addrs["leave"], Notify: addrs["notify"]}
	cfg.URLs = app.URLs{Enrollment: "http://" + addrs["enrollment"], Injury: "http://" + addrs["injury"], Grants: "http://" + addrs["grants"], Leave: "http://" + addrs["leave"], Notify: "http://" + addrs["notify"]}
	cfgs := map[string]any{}
	for _, name := range ServiceNames {
		c, err := specs[name].load(addrs[name])
		if err != nil {
			return fmt.Errorf("%w: %s: %w", app.ErrConfig, name, err)
		}
		cfgs[name] = c
	}
	if cfg.LogLevel == "info" {
		// The services' request logs would bury the summary.
		cfg.LogLevel = "warn"
	}
	log := app.NewLogger(cfg.LogLevel)
	deps, err := app.Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer deps.Close()

	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	g, gctx := errgroup.WithContext(runCtx)
	for _, name := range ServiceNames {
		s, err := specs[name].build(ctx, deps, cfgs[name])
		if err != nil {
			stop()
			_ = g.Wait()
			return fmt.Errorf("seed: start %s: %w", name, err)
		}
		g.Go(func() error {
			if err := s.Run(gctx); err != nil && !errors.Is(err, context.Canceled) {
				return fmt.Errorf("%s: %w", name, err)
			}
			return nil
		})
	}
	stopAll := func() error {
		stop()
		if err := g.Wait(); err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
		return nil
	}

	d := seed.New(deps.Tokens, deps.Clock, stderr)
	err = waitHealthy(gctx, addrs)
	var c *seedClients
	if err == nil {
		c, err = newSeedClients(addrs, o.doer)
	}
	if err == nil {
		err = seedCounty(gctx, d, c)
	}
	if err == nil && !d.Report.Present {
		gcfg := cfgs["gateway"].(gateway.Config)
		d.Report.Creds, err = gateway.SeedUsers(gctx, deps, gcfg, d.DemoUsers())
		if err != nil {
			err = fmt.Errorf("seed: demo users: %w", err)
		}
		if err == nil {
			var familyID string
			if familyID, err = gatewayUserID(gctx, deps.Config.DatabaseURL, cmp.Or(gcfg.Schema, gateway.Name), "family"); err == nil {
				err = grantsseed.FamilyApplication(gctx, d, c.grants, familyID)
			}
		}
	}
	switch serr := stopAll(); {
	case serr != nil:
		// A failing service cancels the others' context: the seed's own
		// "context canceled" is then only the consequence.
		if errors.Is(err, context.Canceled) {
			err = nil
		}
		err = errors.Join(err, fmt.Errorf("seed: a service failed: %w", serr))
	case errors.Is(err, context.Canceled) && ctx.Err() == nil:
		err = errors.New("seed: a service stopped while the seed ran")
	}
	if err != nil {
		return fmt.Errorf("%w\nthe demo data is incomplete: start from an empty database (make clean-data) and run `anxin seed demo` again", err)
	}
	return d.Report.Print(stdout, publicURL)
}

// gatewayURL is where people open the system once `anxin serve` runs.
func gatewayURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr + "/"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

// freeLoopbackAddr picks a loopback port nobody listens on.
func freeLoopbackAddr() (string, error) {
	var lc net.ListenConfig
	l, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// seedClients are the generated clients of the services the seed drives.
type seedClients struct {
	enrollment *enrollmentapi.ClientWithResponses
	injury     *injuryapi.ClientWithResponses
	grants     *grantsapi.ClientWithResponses
	leave      *leaveapi.ClientWithResponses
}

// newSeedClients builds a client of every service on its loopback address.
// A refusal comes back as a *client.Error naming the service's problem;
// wrap, when not nil, stands between each client and the network (the
// tests check every answer against the service's document there).
func newSeedClients(addrs map[string]string, wrap func(service string, next client.Doer) client.Doer) (*seedClients, error) {
	doer := func(service string) client.Doer {
		var d client.Doer = &http.Client{Timeout: 60 * time.Second}
		if wrap != nil {
			d = wrap(service, d)
		}
		return client.Refusals(d)
	}
	server := func(service string) string { return client.Server("http://"+addrs[service], service) }
	var (
		c   seedClients
		err error
	)
	if c.enrollment, err = enrollmentapi.NewClientWithResponses(server("enrollment"), enrollmentapi.WithHTTPClient(doer("enrollment"))); err != nil {
		return nil, err
	}
	if c.injury, err = injuryapi.NewClientWithResponses(server("injury"), injuryapi.WithHTTPClient(doer("injury"))); err != nil {
		return nil, err
	}
	if c.grants, err = grantsapi.NewClientWithResponses(server("grants"), grantsapi.WithHTTPClient(doer("grants"))); err != nil {
		return nil, err
	}
	if c.leave, err = leaveapi.NewClientWithResponses(server("leave"), leaveapi.WithHTTPClient(doer("leave"))); err != nil {
		return nil, err
	}
	return &c, nil
}

// seedCounty runs the services' seed steps in order, unless an earlier
// run's data is there. A service whose API is not in this build (its
// collection route answers 404) is skipped with a note; any other refusal
// stops the seed with the service's problem.
func seedCounty(ctx context.Context, d *seed.Demo, c *seedClients) error {
	present, err := enrollmentseed.Present(ctx, d, c.enrollment)
	if err != nil || present {
		d.Report.Present = present
		return err
	}
	steps := []struct {
		name string
		run  func(context.Context) error
	}{
		{"enrollment", func(ctx context.Context) error { return enrollmentseed.Seed(ctx, d, c.enrollment) }},
		// The programs exist before the injury cases, so the graded
		// case's event finds the disabled-on-duty program.
		{"grants programs", func(ctx context.Context) error { return grantsseed.Programs(ctx, d, c.grants) }},
		{"injury parameters", func(ctx context.Context) error {
			if err := injuryseed.Parameters(ctx, d, c.injury); err != nil {
				return err
			}
			return grantsseed.Rates(ctx, d, c.grants)
		}},
		{"injury", func(ctx context.Context) error { return injuryseed.Cases(ctx, d, c.injury) }},
		{"grants applications", func(ctx context.Context) error { return grantsseed.Applications(ctx, d, c.grants) }},
		{"leave", func(ctx context.Context) error { return leaveseed.Seed(ctx, d, c.leave) }},
	}
	for _, st := range steps {
		d.Progress("%s …", st.name)
		if err := st.run(ctx); err != nil {
			return err
		}
	}
	return nil
}

// waitHealthy waits until every service answers /healthz.
func waitHealthy(ctx context.Context, addrs map[string]string) error {
	deadline := time.Now().Add(30 * time.Second)
	for _, name := range ServiceNames {
		for {
			pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			err := probe(pctx, "http://"+addrs[name]+"/healthz", io.Discard)
			cancel()
			if err == nil {
				break
			}
			if ctx.Err() != nil {
				return fmt.Errorf("seed: %s did not start: %w", name, context.Cause(ctx))
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("seed: %s did not become healthy within 30s: %w", name, err)
			}
			select {
			case <-ctx.Done():
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
	return nil
}

// gatewayUserID reads the id the gateway gave a demo user, from the
// gateway's schema: the seed acts as that user once the users exist.
func gatewayUserID(ctx context.Context, databaseURL, schema, username string) (string, error) {
	db, err := pg.Open(ctx, pg.Config{URL: databaseURL, Schema: schema, MaxOpenConns: 1})
	if err != nil {
		return "", err
	}
	defer db.Close()
	var id string
	if err := db.GetContext(ctx, &id, `SELECT id::text FROM users WHERE username = $1`, username); err != nil {
		return "", fmt.Errorf("seed: the gateway user %s: %w", username, err)
	}
	return id, nil
}
