package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/reqctx"
)

// Handler applies one event inside tx. It must have no effect outside tx:
// the consumer commits tx together with the event's inbox row, so a
// redelivered event is never applied twice. Return Permanent(err) for an
// event that can never be applied; any other error is retried.
type Handler func(ctx context.Context, tx *sqlx.Tx, ev Event) error

// ConsumerConfig declares a durable pull consumer.
type ConsumerConfig struct {
	// Name is the durable consumer's name and the inbox's key, e.g.
	// "grants-injury". Replicas of a service share it.
	Name string
	// Subjects filters the WELFARE stream, e.g. Subject("injury", "case.graded", 1)
	// or "welfare.enrollment.member.>".
	Subjects []string
	// MaxDeliver is how many deliveries a failing event gets before it goes
	// to dead letters. Default 5.
	MaxDeliver int
	// Backoff is the NakWithDelay after the n-th failed delivery (the last
	// entry repeats). Default 1s, 5s, 30s, 2m.
	Backoff []time.Duration
	// BatchSize is how many messages one transaction applies at most.
	// Default 256.
	BatchSize int
	// AckWait is how long JetStream waits for an ack before redelivering.
	// Default 30s.
	AckWait time.Duration
	// Workers apply batches in parallel, each in its own transaction.
	// Events of one aggregate may then apply out of order: projections
	// guard with Advance. Default 4.
	Workers int
	// Registry receives the consumer's metrics; nil registers none.
	Registry prometheus.Registerer
	// AfterCommit, when set, runs after a batch's transaction committed and
	// before its messages are acknowledged, with the events it applied.
	// Tests use it to crash the consumer at the worst moment: an error
	// leaves the whole batch unacknowledged, as a crash would, so JetStream
	// redelivers it after AckWait and the inbox skips it. The bench uses
	// it to time an event's effect at its commit.
	AfterCommit func(applied []Event) error
}

func (c *ConsumerConfig) defaults() {
	if c.MaxDeliver <= 0 {
		c.MaxDeliver = 5
	}
	if len(c.Backoff) == 0 {
		c.Backoff = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second, 2 * time.Minute}
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 256
	}
	if c.AckWait <= 0 {
		c.AckWait = 30 * time.Second
	}
	if c.Workers <= 0 {
		c.Workers = 4
	}
}

// Consumer applies events from JetStream to a service's database exactly
// once per event, whatever the redeliveries.
type Consumer struct {
	db      *sqlx.DB
	js      jetstream.JetStream
	cfg     ConsumerConfig
	handler Handler
	log     *slog.Logger

	applied      prometheus.Counter
	duplicates   prometheus.Counter
	deadLettered prometheus.Counter

	mu     sync.Mutex
	health ConsumerHealth
}

// ConsumerHealth is what a consumer last knew of itself: whether it is
// declared on the server (and why not), and the server's counts from its
// last poll (every InfoInterval), so /readyz and the gauges ask nothing of
// the server per request.
type ConsumerHealth struct {
	Name     string `json:"name"`
	Declared bool   `json:"declared"`
	// Error says why the consumer is not declared, or why its last poll
	// failed.
	Error string `json:"error,omitempty"`
	// NumPending is how many messages of the stream match the consumer
	// and are not yet delivered: its lag behind the stream.
	NumPending uint64 `json:"num_pending"`
	// NumAckPending is how many were delivered and not yet acknowledged.
	NumAckPending int `json:"num_ack_pending"`
	// PolledAt is when the counts were read; zero before the first poll.
	PolledAt time.Time `json:"polled_at,omitzero"`
}

// InfoInterval is how often a running consumer reads its counts from the
// server.
const InfoInterval = 15 * time.Second

// Health returns the consumer's last known health.
func (c *Consumer) Health() ConsumerHealth {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := c.health
	h.Name = c.cfg.Name
	return h
}

// Ready is nil once the consumer is declared, else why it is not.
func (c *Consumer) Ready() error {
	h := c.Health()
	if h.Declared {
		return nil
	}
	if h.Error == "" {
		return fmt.Errorf("consumer %s not declared yet", c.cfg.Name)
	}
	return fmt.Errorf("consumer %s not declared: %s", c.cfg.Name, h.Error)
}

func (c *Consumer) setHealth(fn func(*ConsumerHealth)) {
	c.mu.Lock()
	fn(&c.health)
	c.mu.Unlock()
}

// poll reads the consumer's counts every InfoInterval until ctx ends.
func (c *Consumer) poll(ctx context.Context, cons jetstream.Consumer) {
	t := time.NewTicker(InfoInterval)
	defer t.Stop()
	for {
		ictx, cancel := context.WithTimeout(ctx, 5*time.Second)
		info, err := cons.Info(ictx)
		cancel()
		c.setHealth(func(h *ConsumerHealth) {
			if err != nil {
				if ctx.Err() == nil {
					h.Error = "consumer info: " + err.Error()
				}
				return
			}
			h.Error, h.NumPending, h.NumAckPending, h.PolledAt = "", info.NumPending, info.NumAckPending, time.Now()
		})
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// NewConsumer returns a consumer; Run starts it.
func NewConsumer(db *sqlx.DB, js jetstream.JetStream, cfg ConsumerConfig, h Handler, log *slog.Logger) *Consumer {
	cfg.defaults()
	if log == nil {
		log = slog.Default()
	}
	c := &Consumer{db: db, js: js, cfg: cfg, handler: h, log: log.With("component", "consumer", "consumer", cfg.Name)}
	labels := prometheus.Labels{"consumer": cfg.Name}
	c.applied = prometheus.NewCounter(prometheus.CounterOpts{Name: "anxin_consumer_applied_total", Help: "Events applied by a consumer.", ConstLabels: labels})
	c.duplicates = prometheus.NewCounter(prometheus.CounterOpts{Name: "anxin_consumer_duplicates_total", Help: "Redelivered events skipped by the inbox.", ConstLabels: labels})
	c.deadLettered = prometheus.NewCounter(prometheus.CounterOpts{Name: "anxin_consumer_dead_letters_total", Help: "Events sent to dead letters.", ConstLabels: labels})
	pending := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "anxin_consumer_pending_messages",
		Help: "Messages of the stream the consumer has not yet been delivered (num_pending, its lag), at its last poll.", ConstLabels: labels},
		func() float64 { return float64(c.Health().NumPending) })
	ackPending := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "anxin_consumer_ack_pending_messages",
		Help: "Messages delivered to the consumer and not yet acknowledged (num_ack_pending), at its last poll.", ConstLabels: labels},
		func() float64 { return float64(c.Health().NumAckPending) })
	declared := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "anxin_consumer_declared",
		Help: "1 when the durable consumer is declared on the server, 0 while it cannot be.", ConstLabels: labels},
		func() float64 {
			if c.Health().Declared {
				return 1
			}
			return 0
		})
	if cfg.Registry != nil {
		for _, m := range []prometheus.Collector{c.applied, c.duplicates, c.deadLettered, pending, ackPending, declared} {
			if err := cfg.Registry.Register(m); err != nil {
				var are prometheus.AlreadyRegisteredError
				if !errors.As(err, &are) {
					c.log.Warn("consumer metrics not registered", "err", err)
				}
			}
		}
	}
	return c
}

// Name is the consumer's durable name.
func (c *Consumer) Name() string { return c.cfg.Name }

// Declare creates or updates the durable consumer on the server.
func (c *Consumer) Declare(ctx context.Context) (jetstream.Consumer, error) {
	// A server too old for the consumer's options would create it wrong
	// (see MinServerVersion): say so instead of asking.
	if err := CheckServerVersion(c.js.Conn().ConnectedServerVersion()); err != nil {
		return nil, fmt.Errorf("bus: declare consumer %s: %w", c.cfg.Name, err)
	}
	cons, err := c.js.CreateOrUpdateConsumer(ctx, StreamName, jetstream.ConsumerConfig{
		Durable:        c.cfg.Name,
		FilterSubjects: c.cfg.Subjects,
		AckPolicy:      jetstream.AckExplicitPolicy,
		AckWait:        c.cfg.AckWait,
		DeliverPolicy:  jetstream.DeliverAllPolicy,
		// The server never drops a message on its own: the consumer counts
		// deliveries and moves an event to dead letters only after it has
		// been recorded there, so no event is lost between the two.
		MaxDeliver:    -1,
		MaxAckPending: 2 * c.cfg.Workers * c.cfg.BatchSize,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: declare consumer %s: %w", c.cfg.Name, err)
	}
	return cons, nil
}

// Run consumes until ctx ends.
func (c *Consumer) Run(ctx context.Context) error {
	var cons jetstream.Consumer
	// A failed declaration is retried after 1 s, 2 s, 4 s … up to 30 s: a
	// NATS restart is over in seconds, a too-old server is not, and its
	// log line need not repeat every second.
	wait := time.Second
	for {
		var err error
		cons, err = c.Declare(ctx)
		if err == nil {
			c.setHealth(func(h *ConsumerHealth) { h.Declared, h.Error = true, "" })
			break
		}
		c.setHealth(func(h *ConsumerHealth) { h.Declared, h.Error = false, err.Error() })
		c.log.Warn("declare consumer failed; retrying", "err", err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
	msgs := make(chan jetstream.Msg, c.cfg.Workers*c.cfg.BatchSize)
	cc, err := cons.Consume(func(m jetstream.Msg) {
		select {
		case msgs <- m:
		case <-ctx.Done():
		}
	},
		jetstream.PullMaxMessages(c.cfg.Workers*c.cfg.BatchSize),
		jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
			c.log.Debug("consume", "err", err)
		}))
	if err != nil {
		return fmt.Errorf("bus: consume %s: %w", c.cfg.Name, err)
	}
	defer cc.Stop()
	var wg sync.WaitGroup
	wg.Go(func() { c.poll(ctx, cons) })
	for range c.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.work(ctx, msgs)
		}()
	}
	wg.Wait()
	return nil
}

// work applies batches from msgs until ctx ends: it blocks for the first
// message, then takes whatever else is already waiting, up to BatchSize,
// so a quiet stream is applied at once and a busy one in large batches.
func (c *Consumer) work(ctx context.Context, msgs <-chan jetstream.Msg) {
	batch := make([]jetstream.Msg, 0, c.cfg.BatchSize)
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-msgs:
			batch = append(batch[:0], m)
		}
	drain:
		for len(batch) < c.cfg.BatchSize {
			select {
			case m := <-msgs:
				batch = append(batch, m)
			default:
				break drain
			}
		}
		c.process(ctx, batch)
	}
}

type delivery struct {
	msg jetstream.Msg
	ev  Event
	err error // the handler's failure, if any
	dup bool
}

// process applies a batch in one transaction. The fast path runs every
// handler straight in the transaction; when one fails, the batch is rerun
// with a savepoint around each event so the others still commit.
func (c *Consumer) process(ctx context.Context, batch []jetstream.Msg) {
	ds := make([]*delivery, 0, len(batch))
	for _, m := range batch {
		ev, err := ParseEnvelope(m.Data())
		if err != nil {
			c.fail(ctx, &delivery{msg: m, err: Permanent(err)})
			continue
		}
		ds = append(ds, &delivery{msg: m, ev: ev})
	}
	if len(ds) == 0 {
		return
	}
	err := c.apply(ctx, ds, false)
	if errors.Is(err, errHandlerFailed) {
		// The event that failed keeps its error and is not tried again in
		// this round; the others are applied each under a savepoint.
		for _, d := range ds {
			d.dup = false
		}
		err = c.apply(ctx, ds, true)
	}
	if err != nil {
		// The transaction failed as a whole (database gone, deadlock):
		// nothing was applied, so every message is retried.
		c.log.Warn("batch not applied; retrying", "err", err, "size", len(ds))
		for _, d := range ds {
			_ = d.msg.NakWithDelay(c.backoff(d.msg))
		}
		return
	}
	if c.cfg.AfterCommit != nil {
		applied := make([]Event, 0, len(ds))
		for _, d := range ds {
			if d.err == nil && !d.dup {
				applied = append(applied, d.ev)
			}
		}
		if err := c.cfg.AfterCommit(applied); err != nil {
			c.log.Warn("after-commit hook failed; batch left unacknowledged", "err", err, "size", len(ds))
			return
		}
	}
	for _, d := range ds {
		switch {
		case d.err != nil:
			c.fail(ctx, d)
		case d.dup:
			c.duplicates.Inc()
			_ = d.msg.Ack()
		default:
			c.applied.Inc()
			_ = d.msg.Ack()
		}
	}
}

var errHandlerFailed = errors.New("a handler failed")

func (c *Consumer) apply(ctx context.Context, ds []*delivery, careful bool) error {
	// pg.Begin and pg.Commit, so that a handler's outbox rows wake the
	// relay when the batch commits.
	tx, err := pg.Begin(ctx, c.db, nil)
	if err != nil {
		return err
	}
	defer func() { _ = pg.Rollback(tx) }()
	ids := make([]string, len(ds))
	sorted := make([]string, 0, len(ds))
	for i, d := range ds {
		ids[i] = d.ev.ID.String()
		if d.err == nil {
			sorted = append(sorted, ids[i])
		}
	}
	slices.Sort(sorted) // one lock order for every replica: no deadlocks
	var fresh []string
	err = tx.SelectContext(ctx, &fresh, `INSERT INTO inbox (consumer, event_id)
		SELECT $1, id FROM unnest($2::uuid[]) AS id ORDER BY id
		ON CONFLICT DO NOTHING RETURNING event_id::text`, c.cfg.Name, pq.Array(sorted))
	if err != nil {
		return fmt.Errorf("inbox: %w", err)
	}
	isFresh := make(map[string]bool, len(fresh))
	for _, id := range fresh {
		isFresh[id] = true
	}
	for i, d := range ds {
		if d.err != nil {
			continue
		}
		if !isFresh[ids[i]] {
			d.dup = true
			continue
		}
		isFresh[ids[i]] = false // the same event twice in one batch
		hctx := reqctx.WithTraceID(ctx, d.ev.TraceID)
		if !careful {
			if err := c.handler(hctx, tx, d.ev); err != nil {
				d.err = err
				return errHandlerFailed
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, `SAVEPOINT ev`); err != nil {
			return err
		}
		if herr := c.handler(hctx, tx, d.ev); herr != nil {
			d.err = herr
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT ev`); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM inbox WHERE consumer = $1 AND event_id = $2`, c.cfg.Name, d.ev.ID); err != nil {
				return err
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT ev`); err != nil {
			return err
		}
	}
	return pg.Commit(tx)
}

func (c *Consumer) backoff(m jetstream.Msg) time.Duration {
	n := 1
	if md, err := m.Metadata(); err == nil {
		n = int(md.NumDelivered)
	}
	if n > len(c.cfg.Backoff) {
		n = len(c.cfg.Backoff)
	}
	return c.cfg.Backoff[n-1]
}

// fail retries a failed delivery later, or records it as a dead letter
// after its last delivery (or at once for a permanent failure).
func (c *Consumer) fail(ctx context.Context, d *delivery) {
	deliveries := 1
	if md, err := d.msg.Metadata(); err == nil {
		deliveries = int(md.NumDelivered)
	}
	// A lost database connection says nothing about the event: it is
	// retried for as long as it takes and never counted as poison.
	if !IsPermanent(d.err) && (deliveries < c.cfg.MaxDeliver || pg.IsTransient(d.err)) {
		c.log.Info("event failed; will retry", "event_id", d.ev.ID, "type", d.ev.Type, "delivery", deliveries, "err", d.err)
		_ = d.msg.NakWithDelay(c.backoff(d.msg))
		return
	}
	if err := c.deadLetter(ctx, d, deliveries); err != nil {
		// Not recorded: keep the message on the server and try again.
		c.log.Error("dead letter not recorded; retrying", "event_id", d.ev.ID, "err", err)
		_ = d.msg.NakWithDelay(c.backoff(d.msg))
		return
	}
	c.deadLettered.Inc()
	c.log.Error("event moved to dead letters", "event_id", d.ev.ID, "type", d.ev.Type, "deliveries", deliveries, "err", d.err)
	_ = d.msg.Term()
}

func (c *Consumer) deadLetter(ctx context.Context, d *delivery, deliveries int) error {
	eventID := d.ev.ID.String()
	if d.ev.ID == uuid.Nil {
		// Not even an envelope: key it by the stream sequence.
		if md, err := d.msg.Metadata(); err == nil {
			eventID = fmt.Sprintf("00000000-0000-0000-0000-%012x", md.Sequence.Stream)
		}
	}
	_, err := c.db.ExecContext(ctx, `INSERT INTO dead_letters (consumer, event_id, subject, envelope, error, deliveries)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (consumer, event_id) DO UPDATE SET error = EXCLUDED.error, deliveries = EXCLUDED.deliveries,
			failed_at = now(), replayed_at = NULL, replayed_by = NULL`,
		c.cfg.Name, eventID, d.msg.Subject(), d.msg.Data(), d.err.Error(), deliveries)
	if err != nil {
		return err
	}
	// The table is the record an admin replays from; the subject is for
	// alerting and NATS tools, so its failure is only logged.
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := c.js.Publish(pctx, "deadletter."+c.cfg.Name, d.msg.Data(), jetstream.WithMsgID(c.cfg.Name+":"+eventID)); err != nil {
		c.log.Warn("dead-letter subject publish failed", "event_id", eventID, "err", err)
	}
	return nil
}
