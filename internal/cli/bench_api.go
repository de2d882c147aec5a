package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime/pprof"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/anxin-welfare/anxin/internal/benchapi"
	"github.com/anxin-welfare/anxin/internal/seed"
	"github.com/anxin-welfare/anxin/pkg/app"
	"github.com/anxin-welfare/anxin/pkg/clock"
)

type benchAPIOptions struct {
	clients  int
	per      map[string]int
	duration time.Duration
	requests int
	gateway  string
	logins   string
	only     []string
	replay   bool
	showSQL  bool
	rss      []string
	cpu      string
	settle   time.Duration
}

func benchAPICmd() *cobra.Command {
	var o benchAPIOptions
	cmd := &cobra.Command{
		Use:   "api",
		Short: "The users' journeys through the gateway at a fixed concurrency, next to a raw replay of one filing's SQL",
		Long: `Drives the users' journeys through the gateway, one journey at a time, each
with -c clients for -d (or -n requests over all clients), and prints per
journey: requests, errors, throughput and p50/p90/p99 latency.

Users are the demo seed's (the login table of "anxin seed demo", kept by
"make run" in .data/demo-logins.txt). Each virtual user signs in once through
the real sign-in form before any clock starts and keeps its session cookie,
so argon2id is not part of any journey.

Without -gateway it runs "serve all" in this process against DATABASE_URL and
NATS_URL (an embedded NATS when unset), with its PostgreSQL connections going
through a recording relay: it files one case while recording, and replays
exactly those statements (fresh ids each time) from -c goroutines straight
against PostgreSQL, so the gateway's filings/s stand next to what the raw
database does with the same SQL. The services are stopped before the replay,
whose rows (cases, outbox rows no relay will send) stay: run it on a bench
database, as make bench-api does.

In-process, before the capture and before each journey it waits (up to
--settle) until the background work is done: the services' outboxes
published, every JetStream consumer caught up, every case's coverage check
answered. A freshly seeded province has hundreds of thousands of events to
catch up on, and the requests of one journey leave events for the next:
neither is the journey's cost.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if err := cobra.NoArgs(cmd, args); err != nil {
				return usageError{err}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return benchAPI(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), o)
		},
	}
	f := cmd.Flags()
	f.IntVarP(&o.clients, "clients", "c", 16, "concurrent clients per journey")
	f.StringToIntVar(&o.per, "journey-clients", nil, "clients for the journeys whose name contains a key, overriding -c (e.g. file=16; the raw replay follows the filing's)")
	f.DurationVarP(&o.duration, "duration", "d", 10*time.Second, "length of each journey")
	f.IntVarP(&o.requests, "requests", "n", 0, "requests per journey over all clients (instead of -d)")
	f.StringVar(&o.gateway, "gateway", "", "base URL of a running gateway (default: serve all in this process)")
	f.StringVar(&o.logins, "logins", ".data/demo-logins.txt", "the login table printed by anxin seed demo")
	f.StringSliceVar(&o.only, "only", nil, "run only the journeys whose name contains one of these")
	f.BoolVar(&o.replay, "replay", true, "capture one filing's SQL and replay it against PostgreSQL (in-process only)")
	f.BoolVar(&o.showSQL, "show-sql", false, "print the captured statements")
	f.StringSliceVar(&o.rss, "rss", nil, "name=pid of each service process to report the peak RSS of (default: this process, when it serves all)")
	f.DurationVar(&o.settle, "settle", 20*time.Minute, "in-process: how long to wait, before the capture and each journey, for outboxes, consumers and coverage checks to catch up (0: do not wait)")
	f.StringVar(&o.cpu, "cpuprofile", "", "write a CPU profile of this process during the journeys (with serve all in it: the services' and the clients')")
	return cmd
}

func benchAPI(ctx context.Context, out, progress io.Writer, o benchAPIOptions) error {
	if o.clients < 1 || o.requests < 0 || (o.requests == 0 && o.duration <= 0) {
		return usageError{errors.New("-c must be positive, and -d or -n must be given")}
	}
	logins, err := benchapi.ReadLogins(o.logins)
	if err != nil {
		return usageError{fmt.Errorf("logins %s: %w", o.logins, err)}
	}
	procs, err := benchapi.ParseProcs(o.rss)
	if err != nil {
		return usageError{fmt.Errorf("--rss: %w", err)}
	}
	if len(procs) == 0 && o.gateway == "" {
		procs = []benchapi.Proc{{Name: "serve all", PID: os.Getpid()}}
	}
	base := o.gateway
	var rec *benchapi.Recorder
	dbURL := os.Getenv("DATABASE_URL")
	var (
		stop   func() error
		settle func(context.Context) error
	)
	if base == "" {
		var backlog func(context.Context) (benchapi.Backlog, error)
		base, rec, backlog, stop, err = serveForBench(ctx, o.replay)
		if err != nil {
			return err
		}
		defer func() { _ = stop() }()
		fmt.Fprintf(progress, "serve all in this process; gateway %s\n", base)
		if o.settle > 0 {
			settle = func(ctx context.Context) error {
				if err := benchapi.Settle(ctx, backlog, o.settle, progress); err != nil {
					return fmt.Errorf("%w (--settle 0 measures without waiting)", err)
				}
				return nil
			}
		}
	}
	var capture *benchapi.Capture
	if rec != nil {
		if settle != nil {
			if err := settle(ctx); err != nil {
				return err
			}
		}
		if capture, err = benchapi.CaptureFiling(ctx, base, logins, rec); err != nil {
			return fmt.Errorf("capture one filing: %w", err)
		}
		fmt.Fprintf(out, "one filing executes %s\n", capture.Summary())
		if o.showSQL {
			capture.Write(out)
		}
	}
	stopProfile, err := startCPUProfile(o.cpu)
	if err != nil {
		return err
	}
	res, err := benchapi.Run(ctx, benchapi.Config{Gateway: base, Logins: logins, Clients: o.clients, JourneyClients: o.per, Duration: o.duration,
		Requests: o.requests, Only: o.only, IDNumbers: demoIDNumbers(20), Counter: rec, Procs: procs, Settle: settle}, progress)
	if perr := stopProfile(); err == nil {
		err = perr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n%d clients per journey unless the table says otherwise, %s\n", o.clients, runLength(o))
	if err := benchapi.Print(out, res); err != nil {
		return err
	}
	if capture == nil {
		if o.gateway != "" && o.replay {
			fmt.Fprintln(out, "\nraw replay: skipped (needs serve all in this process, to capture the SQL)")
		}
		return nil
	}
	// The services stop first: the replay's rows must not be published by
	// the relay, nor its load share the machine with theirs.
	if stop != nil {
		if err := stop(); err != nil {
			return err
		}
	}
	// The replay runs with the filing journey's clients, so the two stand
	// side by side.
	filingClients := benchapi.Config{Clients: o.clients, JourneyClients: o.per}.ClientsFor(benchapi.Journeys()[0])
	rr, err := benchapi.Replay(ctx, dbURL, capture, filingClients, o.duration, o.requests)
	if err != nil {
		return err
	}
	r := benchapi.Result{Journey: "raw PostgreSQL: one filing's captured SQL replayed", Clients: filingClients, Requests: rr.Filings, Errors: rr.Errors, Elapsed: rr.Elapsed, Samples: rr.Samples, FirstError: rr.First}
	fmt.Fprintln(out)
	if err := benchapi.Print(out, []benchapi.Result{r}); err != nil {
		return err
	}
	for _, g := range res {
		if g.Journey == benchapi.Journeys()[0] && r.Throughput() > 0 {
			fmt.Fprintf(out, "gateway filings/s ÷ raw replayed filings/s = %.1f / %.1f = %.2f\n", g.Throughput(), r.Throughput(), g.Throughput()/r.Throughput())
		}
	}
	return nil
}

// startCPUProfile profiles this process into path until the returned
// function is called; an empty path profiles nothing.
func startCPUProfile(path string) (func() error, error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path) //nolint:gosec // the operator's own output path
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}

func runLength(o benchAPIOptions) string {
	if o.requests > 0 {
		return fmt.Sprintf("%d requests per journey", o.requests)
	}
	return fmt.Sprintf("%v per journey", o.duration)
}

// serveForBench starts every service on free loopback ports, as `serve all`
// does, with PostgreSQL reached through a recorder when record is set.
// backlog reads the work they have left (straight from PostgreSQL, never
// through the recorder); stop ends them.
func serveForBench(ctx context.Context, record bool) (base string, rec *benchapi.Recorder,
	backlog func(context.Context) (benchapi.Backlog, error), stop func() error, err error) {
	cfg, _, err := loadAll(ServiceNames)
	if err != nil {
		return "", nil, nil, nil, err
	}
	direct, err := sqlx.Open("postgres", cfg.DatabaseURL)
	if err != nil {
		return "", nil, nil, nil, err
	}
	direct.SetMaxOpenConns(2)
	fail := func(err error) (string, *benchapi.Recorder, func(context.Context) (benchapi.Backlog, error), func() error, error) {
		return "", nil, nil, nil, errors.Join(err, direct.Close())
	}
	if record {
		u, err := url.Parse(cfg.DatabaseURL)
		if err != nil {
			return fail(err)
		}
		if rec, err = benchapi.NewRecorder(u.Host); err != nil {
			return fail(err)
		}
		u.Host = rec.Addr()
		cfg.DatabaseURL = u.String()
	}
	addrs := map[string]string{}
	for _, name := range ServiceNames {
		a, err := freeLoopbackAddr()
		if err != nil {
			return fail(err)
		}
		addrs[name] = a
	}
	cfg.Addrs = app.Addrs{Gateway: addrs["gateway"], Enrollment: addrs["enrollment"], Injury: addrs["injury"], Grants: addrs["grants"], Leave: addrs["leave"], Notify: addrs["notify"]}
	cfg.URLs = app.URLs{Enrollment: "http://" + addrs["enrollment"], Injury: "http://" + addrs["injury"], Grants: "http://" + addrs["grants"], Leave: "http://" + addrs["leave"], Notify: "http://" + addrs["notify"]}
	if cfg.LogLevel == "info" {
		cfg.LogLevel = "warn" // request logs would bury the table
	}
	log := app.NewLogger(cfg.LogLevel)
	deps, err := app.Open(ctx, cfg, log)
	if err != nil {
		return fail(err)
	}
	var stopServices func() error
	runCtx, cancel := context.WithCancel(ctx)
	g, gctx := errgroup.WithContext(runCtx)
	var once sync.Once
	var stopErr error
	stop = func() error {
		once.Do(func() { stopErr = stopServices() })
		return stopErr
	}
	stopServices = func() error {
		cancel()
		err := g.Wait()
		deps.Close()
		if rec != nil {
			_ = rec.Close()
		}
		_ = direct.Close()
		if errors.Is(err, context.Canceled) {
			err = nil
		}
		return err
	}
	for _, name := range ServiceNames {
		c, err := specs[name].load(addrs[name])
		if err == nil {
			var s runnable
			if s, err = specs[name].build(ctx, deps, c); err == nil {
				g.Go(func() error { return s.Run(gctx) })
				continue
			}
		}
		return "", nil, nil, nil, errors.Join(fmt.Errorf("start %s: %w", name, err), stop())
	}
	if err := waitHealthy(gctx, addrs); err != nil {
		return "", nil, nil, nil, errors.Join(err, stop())
	}
	backlog = func(ctx context.Context) (benchapi.Backlog, error) {
		return benchapi.ReadBacklog(ctx, direct, deps.Bus.JS)
	}
	return "http://" + addrs["gateway"], rec, backlog, stop, nil
}

// demoIDNumbers are the identity numbers `anxin seed demo` registers its
// first n members with, as a caseworker would type them: the services only
// ever show them masked.
func demoIDNumbers(n int) []string {
	people := seed.People(clock.Today(clock.System{}))
	out := make([]string, 0, n)
	for i, m := range people[:min(n, len(people))] {
		out = append(out, seed.IDNumber(m.Birth, 2*i, m.Male))
	}
	return out
}
