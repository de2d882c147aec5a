package bus_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/anxin-welfare/anxin/pkg/bus"
)

// waitUnsent polls until the outbox holds want unsent rows.
func (f *fixture) waitUnsent(want int, within time.Duration) {
	f.t.Helper()
	deadline := time.Now().Add(within)
	for f.unsent() != want {
		if time.Now().After(deadline) {
			f.t.Fatalf("after %v: %d outbox rows unsent, want %d", within, f.unsent(), want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Writing to the outbox sends no NOTIFY: PostgreSQL serialises the commits
// of notifying transactions (one WAL flush each), which capped every
// service's event-writing transactions at the disk's flush rate. The relay
// of the writer's pool is woken at commit instead, without polling.
func TestOutboxWakesItsRelayAtCommitWithoutNotify(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	channel := "anxin_outbox_" + f.schema.Name // the old trigger's channel
	listener := pq.NewListener(f.schema.URL, 10*time.Millisecond, time.Second, nil)
	t.Cleanup(func() { _ = listener.Close() })
	if err := listener.Listen(channel); err != nil {
		t.Fatal(err)
	}
	f.write(1, "quiet")
	// Notifications arrive in commit order: if the write had notified, its
	// notification would come before this one.
	if _, err := f.schema.DB.Exec(`SELECT pg_notify($1, 'sentinel')`, channel); err != nil {
		t.Fatal(err)
	}
	select {
	case n := <-listener.Notify:
		if n == nil || n.Extra != "sentinel" {
			t.Fatalf("first notification = %+v, want only the sentinel: writing to the outbox notified", n)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("not even the sentinel arrived")
	}

	// A relay that polls once an hour publishes each commit's rows at once.
	f.relay(bus.RelayConfig{PollInterval: time.Hour})
	f.waitUnsent(0, 20*time.Second)
	for i := range 3 {
		f.write(1, "woken")
		f.waitUnsent(0, 20*time.Second)
		if n := f.streamMessages(); n != uint64(i+2) {
			t.Fatalf("stream holds %d messages, want %d", n, i+2)
		}
	}
}

// A consumer that dies after its batch's transaction committed and before
// it acknowledged the messages: JetStream redelivers them, the inbox skips
// them, and every event is applied exactly once.
func TestConsumerBatchInterruptedBetweenCommitAndAckIsAppliedOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const n = 40
	evs := f.write(n, "crash")

	var mu sync.Mutex
	calls := map[string]int{}
	counting := func(ctx context.Context, tx *sqlx.Tx, ev bus.Event) error {
		mu.Lock()
		calls[ev.ID.String()]++
		mu.Unlock()
		return recordEffect(ctx, tx, ev)
	}
	// The first batch's commit is followed by the crash: the hook fails,
	// so nothing of that batch is acked or nacked, and the consumer is
	// stopped before AckWait runs out.
	crashed := make(chan []bus.Event, 1)
	var once sync.Once
	_, stop := f.consumer("commit-ack", counting, func(c *bus.ConsumerConfig) {
		c.AckWait = 2 * time.Second
		c.Workers = 1
		c.AfterCommit = func(applied []bus.Event) error {
			crash := false
			once.Do(func() { crash = true; crashed <- applied })
			if crash {
				return errors.New("killed after commit, before ack")
			}
			return nil
		}
	})
	f.relay(bus.RelayConfig{})
	var batch []bus.Event
	select {
	case batch = <-crashed:
	case <-time.After(20 * time.Second):
		t.Fatal("the consumer never committed a batch")
	}
	stop()
	if len(batch) == 0 {
		t.Fatal("the interrupted batch applied nothing")
	}
	// The batch's effects are committed although none of it was acked.
	ids := make([]string, len(batch))
	for i, ev := range batch {
		ids[i] = ev.ID.String()
	}
	var committed int
	if err := f.schema.DB.Get(&committed, `SELECT count(*) FROM effects WHERE event_id = ANY($1::uuid[])`, pq.Array(ids)); err != nil {
		t.Fatal(err)
	}
	if committed != len(batch) {
		t.Fatalf("%d of the interrupted batch's %d effects committed", committed, len(batch))
	}

	// The restart: the same durable consumer, counting its duplicates.
	var dupMu sync.Mutex
	redelivered := map[string]bool{}
	restarted, _ := f.consumer("commit-ack", counting, func(c *bus.ConsumerConfig) {
		c.AckWait = 2 * time.Second
		c.Workers = 1
		c.AfterCommit = func(applied []bus.Event) error {
			dupMu.Lock()
			for _, ev := range applied {
				redelivered[ev.ID.String()] = true
			}
			dupMu.Unlock()
			return nil
		}
	})
	// Wait until the server has every message acknowledged: the crashed
	// batch's can only be, by the restarted consumer after redelivery.
	cons, err := f.conn.JS.Consumer(f.ctx, bus.StreamName, restarted.Name())
	if err != nil {
		t.Fatal(err)
	}
	var info *jetstream.ConsumerInfo
	for deadline := time.Now().Add(30 * time.Second); ; {
		if info, err = cons.Info(f.ctx); err != nil {
			t.Fatal(err)
		}
		if info.AckFloor.Stream == uint64(n) && info.NumAckPending == 0 && info.NumPending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 30 s: ack floor %d of %d, %d awaiting ack, %d pending", info.AckFloor.Stream, n, info.NumAckPending, info.NumPending)
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, ev := range evs {
		if c := calls[ev.ID.String()]; c != 1 {
			t.Errorf("event %s applied %d times, want 1", ev.ID, c)
		}
	}
	for _, id := range ids {
		if redelivered[id] {
			t.Errorf("event %s of the interrupted batch was applied again after the restart", id)
		}
	}
	if rows, distinct := f.effects(); rows != n || distinct != n {
		t.Fatalf("%d effect rows for %d events, want %d each", rows, distinct, n)
	}
}
