package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/pg"
)

func benchCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "bench", Short: "Measure this machine: the event backbone and the services"}
	var n, rate int
	var dur time.Duration
	bb := &cobra.Command{
		Use:   "bus",
		Short: "Raw JetStream publish vs. the full outbox → relay → JetStream → consumer path",
		Long: `Runs against DATABASE_URL (a scratch schema, dropped afterwards) and an embedded
nats-server with file storage in a temporary folder. Reports raw JetStream
async publish throughput, the full path's throughput, and the full path's
end-to-end latency percentiles at a steady rate.`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return benchBus(cmd.Context(), cmd.OutOrStdout(), n, rate, dur)
		},
	}
	bb.Flags().IntVar(&n, "events", 20000, "events for the throughput runs")
	bb.Flags().IntVar(&rate, "rate", 1000, "events per second for the latency run")
	bb.Flags().DurationVar(&dur, "duration", 10*time.Second, "length of the latency run")
	cmd.AddCommand(bb)
	cmd.AddCommand(benchAPICmd())
	cmd.AddCommand(benchFsyncCmd())
	return cmd
}

func benchBus(ctx context.Context, out io.Writer, n, rate int, dur time.Duration) error {
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

	// 1. Raw JetStream async publish, file storage, with message ids.
	payload := make([]byte, 300)
	start := time.Now()
	// In windows of 1,000 outstanding messages: past the client's limit of
	// unacknowledged async publishes (4,000) a slow server makes the
	// publish fail with "stalled" instead of slowing it down.
	for i := 0; i < n; i++ {
		msg := nats.NewMsg("welfare.bench.raw.published.v1")
		msg.Data = payload
		if _, err := conn.JS.PublishMsgAsync(msg, jetstream.WithMsgID(fmt.Sprintf("raw-%d", i))); err != nil {
			return err
		}
		if (i+1)%1000 == 0 || i == n-1 {
			select {
			case <-conn.JS.PublishAsyncComplete():
			case <-time.After(time.Minute):
				return fmt.Errorf("raw publish did not complete")
			}
		}
	}
	raw := float64(n) / time.Since(start).Seconds()
	fmt.Fprintf(out, "raw JetStream async publish (file storage): %d msgs in %v = %.0f msgs/s\n", n, time.Since(start).Round(time.Millisecond), raw)

	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	listenURL, err := pg.URLWithSearchPath(dbURL, schema)
	if err != nil {
		return err
	}
	relay := bus.NewRelay(db, conn.JS, bus.RelayConfig{Schema: schema, DatabaseURL: listenURL}, log)
	cons := bus.NewConsumer(db, conn.JS, bus.ConsumerConfig{Name: "bench", Subjects: []string{"welfare.bench.event.>"}},
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

	// 2. Full path throughput: 4 writers, 50 events per transaction.
	start = time.Now()
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
	fmt.Fprintf(out, "full path outbox → relay → JetStream → consumer commit: %d events in %v = %.0f events/s (%.2f × raw publish; writers done at %v, relay at %v)\n",
		total, time.Since(start).Round(time.Millisecond), full, full/raw, written.Round(time.Millisecond), relayed.Round(time.Millisecond))

	// 3. Latency at a steady rate, one event per transaction.
	if _, err := db.ExecContext(ctx, `TRUNCATE effects`); err != nil {
		return err
	}
	// Each event is its own transaction, started on the tick by its own
	// goroutine, as independent requests would write them.
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	sent := 0
	sem := make(chan struct{}, 64)
	var lwg sync.WaitGroup
	deadline := time.Now().Add(dur)
	for time.Now().Before(deadline) {
		<-tick.C
		sem <- struct{}{}
		lwg.Add(1)
		sent++
		go func() {
			defer func() { <-sem; lwg.Done() }()
			ev, _ := bus.NewEvent("bench", "event.happened", 1, "s", 1, nil, time.Now())
			if err := pg.InTx(ctx, db, func(tx *sqlx.Tx) error { return bus.Outbox(ctx, tx, ev) }); err != nil {
				wmu.Lock()
				werr = err
				wmu.Unlock()
			}
		}()
	}
	lwg.Wait()
	if werr != nil {
		return werr
	}
	if err := waitCount(ctx, db, sent, time.Minute); err != nil {
		return err
	}
	var lat []float64
	if err := db.SelectContext(ctx, &lat, `SELECT extract(epoch FROM applied_at - occurred_at) * 1000 FROM effects`); err != nil {
		return err
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return lat[int(p*float64(len(lat)-1))] }
	fmt.Fprintf(out, "end-to-end latency at %d events/s for %v (%d events; write → consumer's effect): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
		rate, dur, sent, pct(0.5), pct(0.9), pct(0.99), lat[len(lat)-1])
	return nil
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
