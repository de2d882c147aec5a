// Package cluster runs Anxin's production topology on one machine, each
// part a process of its own: three nats-server nodes clustered with
// JetStream (stream WELFARE at R3), a PostgreSQL primary with a
// synchronous streaming standby behind one -rw address, two replicas of
// every service and two gateways that reach every replica. `make cluster`
// runs it for people; the cluster system test runs it to break it.
package cluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"
)

// Services are the services run as replicas, in start order.
var Services = []string{"enrollment", "injury", "grants", "leave", "notify"}

// Options say where the cluster lives and what it runs.
type Options struct {
	// DataDir holds every store and log. Default .data/cluster.
	DataDir string
	// Anxin and NATSServer are the binaries (scripts/cluster.sh builds them).
	Anxin, NATSServer string
	// BasePort is the first of the ports used (see port). Default 24000.
	BasePort int
	// Replicas of each service and the number of gateways. Default 2 each.
	Replicas, Gateways int
	// NetNS puts NATS node 3 in a network namespace so it can be cut off;
	// when the machine does not allow it the cluster says so and the
	// partition drill freezes the process instead.
	NetNS bool
	// SyncAlways sets JetStream's sync_interval to always (fsync per write).
	SyncAlways bool
	// Env is added to every anxin process's environment.
	Env []string
	// Out receives the notes a person should read.
	Out io.Writer
	// NATSOnly starts the three NATS nodes and nothing else (the fsync
	// bench).
	NATSOnly bool
}

// Cluster is the running topology.
type Cluster struct {
	opts Options

	pgBin        string
	pgCred       *syscall.Credential
	pgUID, pgGID int
	Primary      *pgNode
	Standby      *pgNode
	RW           *RWProxy
	NATS         []*natsNode
	NetNS        bool
	Replicas     map[string][]*Proc // service → its replicas
	Gateways     []*Proc
	notes        []string
	mu           sync.Mutex
	stopping     bool
	failed       chan error
}

// port is BasePort+n: 0-2 PostgreSQL (primary, standby, -rw), 10-12 NATS
// clients, 20-22 NATS routes, 30-32 NATS monitoring, 100+ services
// (10 per service), 200+ gateways.
func (c *Cluster) port(n int) int { return c.opts.BasePort + n }

// Notef records and prints a note (a capability missing, a fallback taken).
func (c *Cluster) Notef(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	c.mu.Lock()
	c.notes = append(c.notes, msg)
	c.mu.Unlock()
	fmt.Fprintln(c.opts.Out, "cluster: NOTE:", msg)
}

// Notes are every note so far.
func (c *Cluster) Notes() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.notes...)
}

// Failed delivers the first process that ended without being asked to.
func (c *Cluster) Failed() <-chan error { return c.failed }

func (c *Cluster) unexpectedExit(p *Proc, err error) {
	c.mu.Lock()
	stopping := c.stopping
	c.mu.Unlock()
	if stopping {
		return
	}
	select {
	case c.failed <- fmt.Errorf("%s exited: %v (log %s)", p.Name, err, p.log):
	default:
	}
}

// Start brings the whole topology up and returns when every process is
// ready. On error what was started is stopped.
func Start(ctx context.Context, opts Options) (c *Cluster, err error) {
	if opts.DataDir == "" {
		opts.DataDir = filepath.Join(".data", "cluster")
	}
	if opts.BasePort == 0 {
		opts.BasePort = 24000
	}
	if opts.Replicas == 0 {
		opts.Replicas = 2
	}
	if opts.Gateways == 0 {
		opts.Gateways = 2
	}
	if opts.Out == nil {
		opts.Out = os.Stderr
	}
	if opts.DataDir, err = filepath.Abs(opts.DataDir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opts.DataDir, 0o755); err != nil {
		return nil, err
	}
	for _, b := range []*string{&opts.Anxin, &opts.NATSServer} {
		if *b, err = filepath.Abs(*b); err != nil {
			return nil, err
		}
		if _, err := os.Stat(*b); err != nil {
			return nil, fmt.Errorf("binary missing: %w (scripts/cluster.sh builds it)", err)
		}
	}
	c = &Cluster{opts: opts, Replicas: map[string][]*Proc{}, failed: make(chan error, 1)}
	defer func() {
		if err != nil {
			c.Stop()
		}
	}()
	if opts.NATSOnly {
		return c, c.startNATS(ctx)
	}
	fmt.Fprintln(opts.Out, "cluster: starting PostgreSQL primary and synchronous standby")
	if err := c.startPostgres(ctx); err != nil {
		return c, err
	}
	fmt.Fprintln(opts.Out, "cluster: starting 3 nats-server nodes")
	if err := c.startNATS(ctx); err != nil {
		return c, err
	}
	fmt.Fprintln(opts.Out, "cluster: migrating the schemas and declaring WELFARE at R3")
	if err := c.migrate(ctx); err != nil {
		return c, err
	}
	fmt.Fprintf(opts.Out, "cluster: starting %d replicas of each service and %d gateways\n", opts.Replicas, opts.Gateways)
	if err := c.startServices(ctx); err != nil {
		return c, err
	}
	return c, nil
}

// Env is the environment every anxin process of the cluster gets.
func (c *Cluster) Env() []string {
	return append([]string{
		"DATABASE_URL=postgres://postgres@" + c.RW.Addr() + "/anxin?sslmode=disable",
		"NATS_URL=" + c.NATSURL(),
		"ANXIN_NATS_REPLICAS=3",
		"ANXIN_DATA_DIR=" + c.opts.DataDir,
		"ANXIN_ENV=development",
		"ANXIN_LOG_LEVEL=warn",
		// Every process here would take the same default metrics port.
		"ANXIN_METRICS_ADDR=off",
	}, c.opts.Env...)
}

// Anxin runs `anxin args...` with the cluster's environment and waits.
func (c *Cluster) Anxin(ctx context.Context, stdout io.Writer, args ...string) error {
	cmd := exec.CommandContext(ctx, c.opts.Anxin, args...)
	cmd.Env = append(os.Environ(), c.Env()...)
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("anxin %s: %w: %s", strings.Join(args, " "), err, stderr.String())
	}
	return nil
}

// migrate runs `anxin migrate` as the chart's migration Job does, retried
// like a Job's pods (backoffLimit) when the bus was not ready for it.
func (c *Cluster) migrate(ctx context.Context) error {
	var err error
	for attempt := 1; attempt <= 3; attempt++ {
		if err = c.Anxin(ctx, io.Discard, "migrate"); err == nil {
			return nil
		}
		c.Notef("anxin migrate failed (attempt %d): %v", attempt, strings.TrimSpace(err.Error()))
		if err := c.waitStreamLeaders(ctx, 60*time.Second); err != nil {
			return err
		}
	}
	return err
}

func (c *Cluster) startServices(ctx context.Context) error {
	urls := map[string][]string{}
	for si, svc := range Services {
		for r := range c.opts.Replicas {
			addr := fmt.Sprintf("127.0.0.1:%d", c.port(100+10*si+r))
			p := c.anxinProc(fmt.Sprintf("%s-%d", svc, r+1), addr, svc)
			c.Replicas[svc] = append(c.Replicas[svc], p)
			urls[svc] = append(urls[svc], "http://"+addr)
		}
	}
	for g := range c.opts.Gateways {
		addr := fmt.Sprintf("127.0.0.1:%d", c.port(200+g))
		p := c.anxinProc(fmt.Sprintf("gateway-%d", g+1), addr, "gateway")
		for svc, list := range urls {
			p.env = append(p.env, "ANXIN_"+strings.ToUpper(svc)+"_URL="+strings.Join(list, ","))
		}
		c.Gateways = append(c.Gateways, p)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(c.AnxinProcs()))
	for i, p := range c.AnxinProcs() {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = c.StartReady(ctx, p) }()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (c *Cluster) anxinProc(name, addr, svc string) *Proc {
	return &Proc{Name: name, Addr: addr, argv: []string{c.opts.Anxin, "serve", svc},
		env: append(c.Env(), "ANXIN_HTTP_ADDR="+addr),
		log: filepath.Join(c.opts.DataDir, name+".log"), onExit: c.unexpectedExit}
}

// AnxinProcs are the service replicas then the gateways.
func (c *Cluster) AnxinProcs() []*Proc {
	var out []*Proc
	for _, svc := range Services {
		out = append(out, c.Replicas[svc]...)
	}
	return append(out, c.Gateways...)
}

// StartReady starts p and waits until it is ready. A replica that exits
// while starting (its NATS or PostgreSQL still recovering from a fault) is
// started again after a back-off, up to five times, as Kubernetes restarts
// a crashed pod; each restart is noted.
func (c *Cluster) StartReady(ctx context.Context, p *Proc) error {
	p.mu.Lock()
	p.starting = true
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		p.starting = false
		p.mu.Unlock()
	}()
	var err error
	for attempt := 1; attempt <= 5; attempt++ {
		if err = p.Start(); err != nil {
			return err
		}
		if err = c.WaitReady(ctx, p, 60*time.Second); err == nil {
			return nil
		}
		if p.Running() {
			return err
		}
		c.Notef("%s exited while starting (attempt %d): %s; starting it again", p.Name, attempt, lastLine(p.log))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt) * time.Second):
		}
	}
	return err
}

func lastLine(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	l := lines[len(lines)-1]
	if len(l) > 300 {
		l = l[:300]
	}
	return l
}

// WaitReady waits until p's /readyz answers 200.
func (c *Cluster) WaitReady(ctx context.Context, p *Proc, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var last string
	for {
		if !p.Running() {
			return fmt.Errorf("%s is not running (log %s)", p.Name, p.log)
		}
		status, body, err := get(ctx, "http://"+p.Addr+"/readyz")
		if err == nil && status == 200 {
			return nil
		}
		last = fmt.Sprintf("%d %s %v", status, body, err)
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after %v: %s (log %s)", p.Name, timeout, last, p.log)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// Stop ends every process: gateways, services, NATS, PostgreSQL, in that
// order, and removes the network namespace.
func (c *Cluster) Stop() {
	c.mu.Lock()
	c.stopping = true
	c.mu.Unlock()
	var wg sync.WaitGroup
	stopAll := func(ps []*Proc, sig syscall.Signal) {
		for _, p := range ps {
			if p == nil || !p.Running() {
				continue
			}
			wg.Add(1)
			go func() { defer wg.Done(); _ = p.Resume(); p.Stop(sig, 15*time.Second) }()
		}
		wg.Wait()
	}
	stopAll(c.Gateways, syscall.SIGTERM)
	var svcs []*Proc
	for _, svc := range Services {
		svcs = append(svcs, c.Replicas[svc]...)
	}
	stopAll(svcs, syscall.SIGTERM)
	var nats []*Proc
	for _, n := range c.NATS {
		if n != nil && n.Proc != nil {
			nats = append(nats, n.Proc)
		}
	}
	stopAll(nats, syscall.SIGTERM)
	if c.RW != nil {
		_ = c.RW.Close()
	}
	var pgs []*Proc
	for _, n := range []*pgNode{c.Primary, c.Standby} {
		if n != nil {
			pgs = append(pgs, n.Proc)
		}
	}
	stopAll(pgs, syscall.SIGINT) // postgres' fast shutdown
	if c.NetNS {
		teardownNetns()
	}
}

// Listing says where everything listens.
func (c *Cluster) Listing(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PART\tLISTENS ON\tPID\tLOG")
	row := func(name, addr string, p *Proc) {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", name, addr, p.PID(), p.log)
	}
	fmt.Fprintf(tw, "postgres -rw (proxy)\t%s\t%d\t→ %s\n", c.RW.Addr(), os.Getpid(), c.RW.Target())
	row("postgres primary", c.Primary.Addr, c.Primary.Proc)
	row("postgres standby (sync)", c.Standby.Addr, c.Standby.Proc)
	for _, n := range c.NATS {
		where := n.Addr + "  monitor http://" + n.Monitor()
		if n.inNamespace {
			where += "  (netns " + netnsName + ")"
		}
		row(n.name, where, n.Proc)
	}
	for _, p := range c.AnxinProcs() {
		row(p.Name, "http://"+p.Addr, p)
	}
	_ = tw.Flush()
	gws := make([]string, len(c.Gateways))
	for i, g := range c.Gateways {
		gws[i] = "http://" + g.Addr + "/"
	}
	sort.Strings(gws)
	fmt.Fprintf(w, "\nopen %s\nNATS_URL=%s\nDATABASE_URL=postgres://postgres@%s/anxin?sslmode=disable\n", strings.Join(gws, " or "), c.NATSURL(), c.RW.Addr())
}
