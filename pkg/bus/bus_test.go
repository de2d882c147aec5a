package bus_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/bus/bustest"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
)

var quiet = slog.New(slog.DiscardHandler)

// fixture is one schema with an effects table, one NATS server, and
// helpers to write events and run relays and consumers.
type fixture struct {
	t      *testing.T
	schema *pgtest.Schema
	nats   *bustest.Server
	conn   *bus.Conn
	ctx    context.Context
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s := pgtest.NewSchema(t)
	if _, err := s.DB.Exec(`CREATE TABLE effects (event_id uuid NOT NULL, subject_id text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`); err != nil {
		t.Fatal(err)
	}
	ns := bustest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return &fixture{t: t, schema: s, nats: ns, conn: ns.Connect(t), ctx: ctx}
}

// write commits n events of type thing.happened in one transaction.
func (f *fixture) write(n int, subjectPrefix string) []bus.Event {
	f.t.Helper()
	evs := make([]bus.Event, n)
	for i := range evs {
		ev, err := bus.NewEvent("test", "thing.happened", 1, fmt.Sprintf("%s-%d", subjectPrefix, i), 1, map[string]int{"i": i}, time.Now())
		if err != nil {
			f.t.Fatal(err)
		}
		evs[i] = ev
	}
	err := pg.InTx(f.ctx, f.schema.DB, func(tx *sqlx.Tx) error { return bus.Outbox(f.ctx, tx, evs...) })
	if err != nil {
		f.t.Fatal(err)
	}
	return evs
}

func (f *fixture) relay(cfg bus.RelayConfig) (stop func()) {
	cfg.Schema = f.schema.Name
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 100 * time.Millisecond
	}
	r := bus.NewRelay(f.schema.DB, f.conn.JS, cfg, quiet)
	return f.goRun(r.Run)
}

func (f *fixture) goRun(run func(context.Context) error) (stop func()) {
	ctx, cancel := context.WithCancel(f.ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = run(ctx)
	}()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	f.t.Cleanup(stop)
	return stop
}

func recordEffect(ctx context.Context, tx *sqlx.Tx, ev bus.Event) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO effects (event_id, subject_id) VALUES ($1, $2)`, ev.ID, ev.SubjectID)
	return err
}

func (f *fixture) consumer(name string, h bus.Handler, tweak func(*bus.ConsumerConfig)) (*bus.Consumer, func()) {
	cfg := bus.ConsumerConfig{Name: name, Subjects: []string{"welfare.test.>"}, Backoff: []time.Duration{50 * time.Millisecond}}
	if tweak != nil {
		tweak(&cfg)
	}
	c := bus.NewConsumer(f.schema.DB, f.conn.JS, cfg, h, quiet)
	return c, f.goRun(c.Run)
}

// effects returns the number of effect rows and of distinct events.
func (f *fixture) effects() (rows, distinct int) {
	f.t.Helper()
	var r struct {
		Rows     int `db:"rows"`
		Distinct int `db:"distinct"`
	}
	if err := f.schema.DB.Get(&r, `SELECT count(*) AS rows, count(DISTINCT event_id) AS distinct FROM effects`); err != nil {
		f.t.Fatal(err)
	}
	return r.Rows, r.Distinct
}

// waitEffects polls until want distinct events were applied, then checks
// that none was applied twice.
func (f *fixture) waitEffects(want int, within time.Duration) {
	f.t.Helper()
	deadline := time.Now().Add(within)
	for {
		rows, distinct := f.effects()
		if rows > distinct {
			f.t.Fatalf("an event was applied twice: %d effect rows for %d events", rows, distinct)
		}
		if distinct == want {
			break
		}
		if distinct > want {
			f.t.Fatalf("%d events applied, want %d", distinct, want)
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("after %v: %d of %d events applied", within, distinct, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Let stragglers (a redelivery, a republish) arrive, then look again.
	time.Sleep(300 * time.Millisecond)
	if rows, distinct := f.effects(); rows != want || distinct != want {
		f.t.Fatalf("after settling: %d effect rows for %d events, want %d each", rows, distinct, want)
	}
}

func (f *fixture) streamMessages() uint64 {
	f.t.Helper()
	s, err := f.conn.JS.Stream(f.ctx, bus.StreamName)
	if err != nil {
		f.t.Fatal(err)
	}
	info, err := s.Info(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return info.State.Msgs
}

func (f *fixture) unsent() int {
	f.t.Helper()
	var n int
	if err := f.schema.DB.Get(&n, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// 1. A transaction that rolls back publishes nothing; one that commits
// publishes each of its events exactly once.
func TestOutboxRollbackPublishesNothingCommitPublishesOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	rolledBack := errors.New("changed my mind")
	err := pg.InTx(f.ctx, f.schema.DB, func(tx *sqlx.Tx) error {
		ev, _ := bus.NewEvent("test", "thing.happened", 1, "ghost", 1, nil, time.Now())
		if err := bus.Outbox(f.ctx, tx, ev); err != nil {
			return err
		}
		return rolledBack
	})
	if !errors.Is(err, rolledBack) {
		t.Fatalf("InTx = %v", err)
	}
	f.write(3, "real")
	f.relay(bus.RelayConfig{})
	f.consumer("once", recordEffect, nil)
	f.waitEffects(3, 20*time.Second)
	if n := f.streamMessages(); n != 3 {
		t.Fatalf("stream holds %d messages, want 3", n)
	}
	var ghosts int
	_ = f.schema.DB.Get(&ghosts, `SELECT count(*) FROM effects WHERE subject_id = 'ghost'`)
	if ghosts != 0 {
		t.Fatal("the rolled-back event was delivered")
	}
	if n := f.unsent(); n != 0 {
		t.Fatalf("%d outbox rows still unsent", n)
	}
}

// 2. The relay killed between JetStream's ack and marking the rows sent:
// after a restart every event is delivered and applied exactly once.
func TestRelayKilledAfterAckBeforeMark(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.write(50, "a")
	var crashes atomic.Int32
	crashed := make(chan struct{})
	stop := f.relay(bus.RelayConfig{AfterPublish: func([]string) error {
		if crashes.Add(1) == 1 {
			close(crashed)
		}
		return errors.New("killed after ack")
	}})
	select {
	case <-crashed:
	case <-time.After(20 * time.Second):
		t.Fatal("relay never published")
	}
	stop()
	if n := f.unsent(); n != 50 {
		t.Fatalf("%d rows unsent after the crash, want 50", n)
	}
	if n := f.streamMessages(); n != 50 {
		t.Fatalf("stream holds %d messages after the crash, want 50", n)
	}
	f.relay(bus.RelayConfig{}) // the restart
	f.consumer("killed", recordEffect, nil)
	f.waitEffects(50, 20*time.Second)
	if n := f.streamMessages(); n != 50 {
		t.Fatalf("stream holds %d messages, want 50 (republish not de-duplicated)", n)
	}
	if n := f.unsent(); n != 0 {
		t.Fatalf("%d rows unsent after restart", n)
	}
}

// 3. NATS stopped while 1,000 events are written, then restarted on the
// same store: all arrive, each applied once.
func TestNATSRestartDuringWrites(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.relay(bus.RelayConfig{AckTimeout: 2 * time.Second})
	f.consumer("natsdown", recordEffect, nil)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 100; i++ {
			f.write(10, fmt.Sprintf("w%d", i))
			time.Sleep(5 * time.Millisecond)
		}
	}()
	time.Sleep(150 * time.Millisecond)
	f.nats.Stop()
	time.Sleep(700 * time.Millisecond)
	f.nats.Restart()
	wg.Wait()
	f.waitEffects(1000, 60*time.Second)
}

// 4. PostgreSQL connections killed during relaying: the relay recovers by
// itself and nothing is lost.
func TestRelayRecoversFromKilledConnections(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.relay(bus.RelayConfig{BatchSize: 50})
	f.consumer("pgkill", recordEffect, nil)
	admin, err := sqlx.Open("postgres", f.schema.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var killed atomic.Int64
	stopKiller := f.goRun(func(ctx context.Context) error {
		for ctx.Err() == nil {
			var n int64
			_ = admin.GetContext(ctx, &n, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
				WHERE application_name = $1 AND pid <> pg_backend_pid()`, "anxin-"+f.schema.Name)
			killed.Add(n)
			time.Sleep(40 * time.Millisecond)
		}
		return nil
	})
	for i := 0; i < 100; i++ {
		// The writer retries: its own connections are killed too.
		for attempt := 0; ; attempt++ {
			evs := make([]bus.Event, 10)
			for j := range evs {
				evs[j], _ = bus.NewEvent("test", "thing.happened", 1, fmt.Sprintf("k%d-%d", i, j), 1, nil, time.Now())
			}
			err := pg.InTx(f.ctx, f.schema.DB, func(tx *sqlx.Tx) error { return bus.Outbox(f.ctx, tx, evs...) })
			if err == nil {
				break
			}
			if attempt > 50 {
				t.Fatalf("writer never got through: %v", err)
			}
		}
	}
	time.Sleep(300 * time.Millisecond)
	stopKiller()
	if killed.Load() == 0 {
		t.Fatal("no connection was killed: the test proved nothing")
	}
	f.waitEffects(1000, 60*time.Second)
	if n := f.unsent(); n != 0 {
		t.Fatalf("%d rows unsent", n)
	}
	if dls, _ := bus.ListDeadLetters(f.ctx, f.schema.DB, false, 0, 10); len(dls) != 0 {
		t.Fatalf("a lost connection sent events to dead letters: %+v", dls)
	}
}

// 5. Two relays and two consumer replicas at once: nothing lost, nothing
// applied twice.
func TestTwoRelaysTwoConsumers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.relay(bus.RelayConfig{BatchSize: 20})
	f.relay(bus.RelayConfig{BatchSize: 20})
	var perReplica [2]atomic.Int64
	for i := range 2 {
		f.consumer("replicas", func(ctx context.Context, tx *sqlx.Tx, ev bus.Event) error {
			perReplica[i].Add(1)
			return recordEffect(ctx, tx, ev)
		}, func(c *bus.ConsumerConfig) { c.BatchSize = 16 })
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				f.write(10, fmt.Sprintf("r%d-%d", w, i))
			}
		}()
	}
	wg.Wait()
	f.waitEffects(2000, 60*time.Second)
	if perReplica[0].Load() == 0 || perReplica[1].Load() == 0 {
		t.Logf("work split %d / %d (one replica idle is allowed, but unexpected)", perReplica[0].Load(), perReplica[1].Load())
	}
}

// 6. A poison message lands in dead letters after MaxDeliver and can be
// replayed once the cause is mended.
func TestPoisonMessageDeadLetteredAndReplayed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	evs := f.write(3, "p")
	poison := evs[1].ID
	var mended atomic.Bool
	var attempts atomic.Int32
	c, _ := f.consumer("poison", func(ctx context.Context, tx *sqlx.Tx, ev bus.Event) error {
		if ev.ID == poison && !mended.Load() {
			attempts.Add(1)
			return errors.New("cannot apply this yet")
		}
		return recordEffect(ctx, tx, ev)
	}, func(c *bus.ConsumerConfig) { c.MaxDeliver = 3 })
	f.relay(bus.RelayConfig{})

	var dls []bus.DeadLetter
	deadline := time.Now().Add(20 * time.Second)
	for len(dls) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("poison message never reached dead letters")
		}
		time.Sleep(20 * time.Millisecond)
		var err error
		dls, err = bus.ListDeadLetters(f.ctx, f.schema.DB, true, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(dls) != 1 || dls[0].EventID != poison.String() || dls[0].Deliveries != 3 || dls[0].Consumer != "poison" {
		t.Fatalf("dead letters = %+v", dls)
	}
	if got := attempts.Load(); got != 3 {
		t.Fatalf("handler tried the poison %d times, want MaxDeliver = 3", got)
	}
	if rows, _ := f.effects(); rows != 2 {
		t.Fatalf("%d effects, want the 2 healthy events", rows)
	}
	// The dead-letter subject carries it too.
	s, err := f.conn.JS.Stream(f.ctx, bus.DeadLetterStream)
	if err != nil {
		t.Fatal(err)
	}
	if info, _ := s.Info(f.ctx); info.State.Msgs != 1 {
		t.Fatalf("dead-letter stream holds %d messages, want 1", info.State.Msgs)
	}

	mended.Store(true)
	if err := c.Replay(f.ctx, dls[0].ID, "admin-1"); err != nil {
		t.Fatal(err)
	}
	if err := c.Replay(f.ctx, dls[0].ID, "admin-1"); err != nil { // twice: no second effect
		t.Fatal(err)
	}
	f.waitEffects(3, 5*time.Second)
	left, _ := bus.ListDeadLetters(f.ctx, f.schema.DB, true, 0, 10)
	if len(left) != 0 {
		t.Fatalf("dead letter still pending after replay: %+v", left)
	}
	if err := c.Replay(f.ctx, 99999, "admin-1"); !errors.Is(err, bus.ErrNotFound) {
		t.Fatalf("replay of unknown id = %v, want ErrNotFound", err)
	}
}

// 7. Events of one aggregate carry its version; a projection ignores an
// event older than the version it holds.
func TestProjectionIgnoresOlderVersions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if _, err := f.schema.DB.Exec(`CREATE TABLE names (subject_id text PRIMARY KEY, name text NOT NULL, version bigint NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	// Written out of order, as two relays may deliver them.
	for _, v := range []struct {
		version int64
		name    string
	}{{1, "张三"}, {3, "张三丰"}, {2, "张三二"}} {
		ev, err := bus.NewEvent("test", "member.renamed", 1, "m-1", v.version, map[string]string{"name": v.name}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := pg.InTx(f.ctx, f.schema.DB, func(tx *sqlx.Tx) error { return bus.Outbox(f.ctx, tx, ev) }); err != nil {
			t.Fatal(err)
		}
	}
	f.consumer("names", func(ctx context.Context, tx *sqlx.Tx, ev bus.Event) error {
		fresh, err := bus.Advance(ctx, tx, "names", ev.SubjectID, ev.AggregateVersion)
		if err != nil || !fresh {
			return err
		}
		var d struct{ Name string }
		if err := ev.Decode(&d); err != nil {
			return bus.Permanent(err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO names VALUES ($1, $2, $3)
			ON CONFLICT (subject_id) DO UPDATE SET name = EXCLUDED.name, version = EXCLUDED.version`, ev.SubjectID, d.Name, ev.AggregateVersion)
		return err
	}, nil)
	f.relay(bus.RelayConfig{})
	deadline := time.Now().Add(20 * time.Second)
	for inbox := 0; inbox < 3; _ = f.schema.DB.Get(&inbox, `SELECT count(*) FROM inbox WHERE consumer = 'names'`) {
		if time.Now().After(deadline) {
			t.Fatal("events not consumed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	var got struct {
		Name    string `db:"name"`
		Version int64  `db:"version"`
	}
	if err := f.schema.DB.Get(&got, `SELECT name, version FROM names WHERE subject_id = 'm-1'`); err != nil {
		t.Fatal(err)
	}
	if got.Name != "张三丰" || got.Version != 3 {
		t.Fatalf("projection = %+v, want version 3 张三丰", got)
	}
}

func TestRequestReply(t *testing.T) {
	t.Parallel()
	ns := bustest.Start(t)
	conn := ns.Connect(t)
	svc, err := bus.Serve(conn.NC, "echo", "1.0.0", "test", quiet,
		bus.Endpoint{Name: "upper", Subject: "anxin.test.upper", Handle: func(_ context.Context, req []byte) (any, error) {
			if string(req) == `"bad"` {
				return nil, bus.NewRemoteError("bad_request", "no bad words")
			}
			if string(req) == `"boom"` {
				return nil, errors.New("secret internal detail")
			}
			return map[string]string{"got": string(req)}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = svc.Stop() }()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var resp map[string]string
	if err := bus.Request(ctx, conn.NC, "anxin.test.upper", "hi", &resp); err != nil || resp["got"] != `"hi"` {
		t.Fatalf("Request = %v, %v", resp, err)
	}
	var re *bus.RemoteError
	if err := bus.Request(ctx, conn.NC, "anxin.test.upper", "bad", &resp); !errors.As(err, &re) || re.Code != "bad_request" {
		t.Fatalf("bad request = %v", err)
	}
	if err := bus.Request(ctx, conn.NC, "anxin.test.upper", "boom", &resp); !errors.As(err, &re) || re.Code != "internal" || re.Description == "secret internal detail" {
		t.Fatalf("internal failure = %v", err)
	}
}
