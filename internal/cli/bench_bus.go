package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/pg"
)

func benchCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "bench", Short: "Measure this machine: the event backbone and the services"}
	var o benchBusOptions
	bb := &cobra.Command{
		Use:   "bus",
		Short: "Raw JetStream publish vs. the full outbox → relay → JetStream → consumer path",
		Long: `Runs against DATABASE_URL (a scratch schema, dropped afterwards) and an embedded
nats-server with file storage in a temporary folder. Reports raw JetStream
async publish throughput, the full path's throughput, and the full path's
end-to-end latency percentiles at a steady rate: from just before the
producer's transaction begins to the moment the consumer's transaction
holding the effect has committed, with the producer's commit and the rest
of the path apart. Settings of the server for the bench's sessions go in
DATABASE_URL's query, e.g. ?commit_delay=200&commit_siblings=5.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if err := cobra.NoArgs(cmd, args); err != nil {
				return usageError{err}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.rate < 1 || o.writers < 1 || o.events < 1 || o.duration <= 0 {
				return usageError{fmt.Errorf("--events, --rate, --writers and --duration must be positive")}
			}
			for _, part := range strings.Split(o.only, ",") {
				switch part {
				case "raw", "full", "latency":
				default:
					return usageError{fmt.Errorf("--only takes raw, full and latency, comma-separated; got %q", part)}
				}
			}
			return benchBus(cmd.Context(), cmd.OutOrStdout(), o)
		},
	}
	bb.Flags().IntVar(&o.events, "events", 20000, "events for the throughput runs")
	bb.Flags().IntVar(&o.rate, "rate", 1000, "events per second for the latency run")
	bb.Flags().DurationVar(&o.duration, "duration", 10*time.Second, "length of the latency run")
	bb.Flags().IntVar(&o.writers, "writers", 64, "most producer transactions open at once in the latency run")
	bb.Flags().StringVar(&o.only, "only", "raw,full,latency", "the parts to run, comma-separated")
	bb.Flags().StringVar(&o.cpu, "cpuprofile", "", "write a CPU profile of the latency run (producers, relay and consumer are all this process)")
	cmd.AddCommand(bb)
	cmd.AddCommand(benchAPICmd())
	cmd.AddCommand(benchFsyncCmd())
	return cmd
}

type benchBusOptions struct {
	events, rate, writers int
	duration              time.Duration
	only, cpu             string
}

func (o benchBusOptions) runs(part string) bool {
	return slices.Contains(strings.Split(o.only, ","), part)
}

func benchBus(ctx context.Context, out io.Writer, o benchBusOptions) error {
	dbURL := os.Getenv("DATABASE_URL")
	if dbURL == "" {
		return usageError{fmt.Errorf("DATABASE_URL is not set (make bench sets it)")}
	}
	log := slog.New(slog.DiscardHandler)
	schema := fmt.Sprintf("bench_%d", time.Now().UnixNano())
	db, err := pg.Open(ctx, pg.Config{URL: dbURL, Schema: schema, MaxOpenConns: 20})
	if err != nil {
		return err
	}
	defer func() {
		_, _ = db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		_ = db.Close()
	}()
	if err := pg.Migrate(ctx, db, schema, bus.Migrations()); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE effects (event_id uuid PRIMARY KEY, occurred_at timestamptz NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())`); err != nil {
		return err
	}
	var settings string
	if err := db.GetContext(ctx, &settings, `SELECT format('fsync %s, synchronous_commit %s, commit_delay %s µs, commit_siblings %s',
		current_setting('fsync'), current_setting('synchronous_commit'), current_setting('commit_delay'), current_setting('commit_siblings'))`); err != nil {
		return err
	}
	fmt.Fprintf(out, "PostgreSQL: %s\n", settings)
	store, err := os.MkdirTemp("", "anxin-bench-nats-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(store)
	srv, err := bus.StartEmbedded(store, -1)
	if err != nil {
		return err
	}
	defer srv.Shutdown()
	conn, err := bus.Connect(ctx, bus.Config{URL: srv.ClientURL()}, log)
	if err != nil {
		return err
	}
	defer conn.Close()

	raw := 0.0
	if o.runs("raw") {
		if raw, err = benchRawPublish(out, conn.JS, o.events); err != nil {
			return err
		}
	}

	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	committed, published := newCommitTimes(), newCommitTimes()
	relay := bus.NewRelay(db, conn.JS, bus.RelayConfig{Schema: schema, AfterPublish: published.recordIDs}, log)
	cons := bus.NewConsumer(db, conn.JS, bus.ConsumerConfig{Name: "bench", Subjects: []string{"welfare.bench.event.>"}, AfterCommit: committed.record},
		func(ctx context.Context, tx *sqlx.Tx, ev bus.Event) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO effects (event_id, occurred_at) VALUES ($1, $2)`, ev.ID, ev.OccurredAt)
			return err
		}, log)
	var wg sync.WaitGroup
	for _, run := range []func(context.Context) error{relay.Run, cons.Run} {
		wg.Add(1)
		go func() { defer wg.Done(); _ = run(rctx) }()
	}
	defer wg.Wait()
	defer cancel()

	if o.runs("full") {
		if err := benchFullPath(ctx, out, db, o.events, raw); err != nil {
			return err
		}
	}
	if o.runs("latency") {
		if _, err := db.ExecContext(ctx, `TRUNCATE effects`); err != nil {
			return err
		}
		stopProfile, err := startCPUProfile(o.cpu)
		if err != nil {
			return err
		}
		err = benchLatency(ctx, out, db, published, committed, o)
		return errors.Join(err, stopProfile())
	}
	return nil
}

// benchRawPublish is JetStream's own ceiling here: async publishes with
// message ids to file storage, no database.
func benchRawPublish(out io.Writer, js jetstream.JetStream, n int) (float64, error) {
	payload := make([]byte, 300)
	start := time.Now()
	// In windows of 1,000 outstanding messages: past the client's limit of
	// unacknowledged async publishes (4,000) a slow server makes the
	// publish fail with "stalled" instead of slowing it down.
	for i := 0; i < n; i++ {
		msg := nats.NewMsg("welfare.bench.raw.published.v1")
		msg.Data = payload
		if _, err := js.PublishMsgAsync(msg, jetstream.WithMsgID(fmt.Sprintf("raw-%d", i))); err != nil {
			return 0, err
		}
		if (i+1)%1000 == 0 || i == n-1 {
			select {
			case <-js.PublishAsyncComplete():
			case <-time.After(time.Minute):
				return 0, fmt.Errorf("raw publish did not complete")
			}
		}
	}
	raw := float64(n) / time.Since(start).Seconds()
	fmt.Fprintf(out, "raw JetStream async publish (file storage): %d msgs in %v = %.0f msgs/s\n", n, time.Since(start).Round(time.Millisecond), raw)
	return raw, nil
}

// benchFullPath is the path's throughput: 4 writers, 50 events per
// transaction, as fast as they go.
func benchFullPath(ctx context.Context, out io.Writer, db *sqlx.DB, n int, raw float64) error {
	start := time.Now()
	var werr error
	var wmu sync.Mutex
	var wwg sync.WaitGroup
	perWriter := n / 4
	for w := 0; w < 4; w++ {
		wwg.Add(1)
		go func() {
			defer wwg.Done()
			for i := 0; i < perWriter; i += 50 {
				evs := make([]bus.Event, 0, 50)
				for j := i; j < i+50 && j < perWriter; j++ {
					ev, _ := bus.NewEvent("bench", "event.happened", 1, "s", 1, map[string]int{"w": w, "j": j}, time.Now())
					evs = append(evs, ev)
				}
				if err := pg.InTx(ctx, db, func(tx *sqlx.Tx) error { return bus.Outbox(ctx, tx, evs...) }); err != nil {
					wmu.Lock()
					werr = err
					wmu.Unlock()
					return
				}
			}
		}()
	}
	wwg.Wait()
	if werr != nil {
		return werr
	}
	written := time.Since(start)
	total := perWriter * 4
	var relayed time.Duration
	for relayed == 0 {
		var unsent int
		if err := db.GetContext(ctx, &unsent, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`); err != nil {
			return err
		}
		if unsent == 0 {
			relayed = time.Since(start)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := waitCount(ctx, db, total, 5*time.Minute); err != nil {
		return err
	}
	full := float64(total) / time.Since(start).Seconds()
	ratio := ""
	if raw > 0 {
		ratio = fmt.Sprintf("%.2f × raw publish; ", full/raw)
	}
	fmt.Fprintf(out, "full path outbox → relay → JetStream → consumer commit: %d events in %v = %.0f events/s (%swriters done at %v, relay at %v)\n",
		total, time.Since(start).Round(time.Millisecond), full, ratio, written.Round(time.Millisecond), relayed.Round(time.Millisecond))
	return nil
}

// benchLatency writes one event per transaction at a steady rate, each
// transaction started on its tick by its own goroutine (at most o.writers
// open at once), as independent requests would write them, and times
// every event from just before its transaction begins to the commit of
// the consumer's transaction that holds its effect.
func benchLatency(ctx context.Context, out io.Writer, db *sqlx.DB, published, committed *commitTimes, o benchBusOptions) error {
	type sample struct{ begun, written time.Time }
	var (
		mu      sync.Mutex
		samples = map[uuid.UUID]sample{}
		werr    error
	)
	load := loadAverage()
	before, err := readServerCounters(ctx, db)
	if err != nil {
		return err
	}
	sem := make(chan struct{}, o.writers)
	var lwg sync.WaitGroup
	// Event i is due at start + i/rate. A ticker drops the ticks its
	// reader misses, so on a busy machine the run asked for less than it
	// said; here a late loop starts every event already due at once.
	total := int(o.duration.Seconds() * float64(o.rate))
	start := time.Now()
	var lateness []time.Duration
	for i := range total {
		due := start.Add(time.Duration(i) * time.Second / time.Duration(o.rate))
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		sem <- struct{}{}
		lateness = append(lateness, time.Since(due))
		lwg.Add(1)
		go func() {
			defer func() { <-sem; lwg.Done() }()
			begun := time.Now()
			ev, _ := bus.NewEvent("bench", "event.happened", 1, "s", 1, nil, begun)
			err := pg.InTx(ctx, db, func(tx *sqlx.Tx) error { return bus.Outbox(ctx, tx, ev) })
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				werr = err
				return
			}
			samples[ev.ID] = sample{begun: begun, written: time.Now()}
		}()
	}
	lwg.Wait()
	writing := time.Since(start)
	if werr != nil {
		return werr
	}
	ids := make([]uuid.UUID, 0, len(samples))
	for id := range samples {
		ids = append(ids, id)
	}
	at, err := committed.wait(ctx, ids, time.Minute)
	if err != nil {
		return err
	}
	pub, err := published.wait(ctx, ids, time.Second)
	if err != nil {
		return err
	}
	// Backends report their counters when idle, at most once a second.
	time.Sleep(1500 * time.Millisecond)
	after, err := readServerCounters(ctx, db)
	if err != nil {
		return err
	}
	var endToEnd, producer, relayed, consumed []time.Duration
	for _, id := range ids {
		s := samples[id]
		endToEnd = append(endToEnd, at[id].Sub(s.begun))
		producer = append(producer, s.written.Sub(s.begun))
		relayed = append(relayed, pub[id].Sub(s.written))
		consumed = append(consumed, at[id].Sub(pub[id]))
	}
	for _, l := range [][]time.Duration{endToEnd, producer, relayed, consumed} {
		slices.Sort(l)
	}
	var applied, distinct int
	if err := db.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT event_id) FROM effects`).Scan(&applied, &distinct); err != nil {
		return err
	}
	slices.Sort(lateness)
	fmt.Fprintf(out, "latency run: asked %d events/s for %v, %d written in %v (%.0f/s) by at most %d open transactions; %d effects (%d distinct); load average %s → %s\n",
		o.rate, o.duration, len(ids), writing.Round(time.Millisecond), float64(len(ids))/writing.Seconds(), o.writers, applied, distinct, load, loadAverage())
	perEvent := func(n int64) float64 { return float64(n) / float64(len(ids)) }
	fmt.Fprintf(out, "  per event, whole server (meaningful on a cluster of the bench's own): %.2f commits, %.2f WAL flushes (pg_stat_wal.wal_sync)\n",
		perEvent(after.commits-before.commits), perEvent(after.walSyncs-before.walSyncs))
	fmt.Fprintf(out, "  producer's BEGIN behind its schedule (a busy machine or every writer busy): %s\n", latencySummary(lateness))
	fmt.Fprintf(out, "  end to end (producer's BEGIN → consumer's COMMIT): %s\n", latencySummary(endToEnd))
	fmt.Fprintf(out, "  producer's transaction with its outbox row:        %s\n", latencySummary(producer))
	fmt.Fprintf(out, "  its COMMIT → JetStream's ack to the relay:          %s\n", latencySummary(relayed))
	fmt.Fprintf(out, "  JetStream's ack → the consumer's COMMIT:            %s\n", latencySummary(consumed))
	return nil
}

// serverCounters are the server's cumulative commits (this database) and
// WAL flushes (all of it).
type serverCounters struct {
	commits, walSyncs int64
}

func readServerCounters(ctx context.Context, db *sqlx.DB) (serverCounters, error) {
	var c serverCounters
	err := db.QueryRowContext(ctx, `SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()),
		(SELECT wal_sync FROM pg_stat_wal)`).Scan(&c.commits, &c.walSyncs)
	if err != nil {
		return c, fmt.Errorf("server counters: %w", err)
	}
	return c, nil
}

// commitTimes records when each event passed a point of the path: the
// relay's AfterPublish (JetStream acked it) or the consumer's AfterCommit
// (its effect committed).
type commitTimes struct {
	mu   sync.Mutex
	at   map[uuid.UUID]time.Time
	more chan struct{}
}

func newCommitTimes() *commitTimes {
	return &commitTimes{at: map[uuid.UUID]time.Time{}, more: make(chan struct{}, 1)}
}

func (c *commitTimes) record(applied []bus.Event) error {
	now := time.Now()
	c.mu.Lock()
	for _, ev := range applied {
		if _, seen := c.at[ev.ID]; !seen {
			c.at[ev.ID] = now
		}
	}
	c.mu.Unlock()
	select {
	case c.more <- struct{}{}:
	default:
	}
	return nil
}

func (c *commitTimes) recordIDs(ids []string) error {
	evs := make([]bus.Event, 0, len(ids))
	for _, id := range ids {
		if u, err := uuid.Parse(id); err == nil {
			evs = append(evs, bus.Event{ID: u})
		}
	}
	return c.record(evs)
}

// wait returns the commit times of ids once all are known.
func (c *commitTimes) wait(ctx context.Context, ids []uuid.UUID, within time.Duration) (map[uuid.UUID]time.Time, error) {
	timeout := time.NewTimer(within)
	defer timeout.Stop()
	for {
		c.mu.Lock()
		missing := 0
		for _, id := range ids {
			if _, ok := c.at[id]; !ok {
				missing++
			}
		}
		if missing == 0 {
			got := maps.Clone(c.at)
			c.mu.Unlock()
			return got, nil
		}
		c.mu.Unlock()
		select {
		case <-c.more:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-timeout.C:
			return nil, fmt.Errorf("%d of %d events not applied after %v", missing, len(ids), within)
		}
	}
}

// loadAverage is the first figure of /proc/loadavg, or "?" where there is none.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "?"
}

func waitCount(ctx context.Context, db *sqlx.DB, want int, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		var got int
		if err := db.GetContext(ctx, &got, `SELECT count(*) FROM effects`); err != nil {
			return err
		}
		if got >= want {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("only %d of %d events applied after %v", got, want, within)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
