package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/reqctx"
)

// OutboxSignal is the commit signal (pg.Signal) Outbox raises: the relays
// of the transaction's pool wake when it commits.
const OutboxSignal = "anxin.outbox"

// Outbox writes events in the caller's transaction. They are published by
// a Relay after the transaction commits, and never if it rolls back. An
// event without a trace id takes the one of ctx.
//
// When tx was begun by pg.Begin (every pg.InTx transaction and every
// consumer's), its commit wakes the relays of its pool at once; rows
// written otherwise wait for a relay's next poll (RelayConfig.PollInterval).
// The outbox once woke relays with a NOTIFY trigger; NOTIFY makes the
// commits of a database's notifying transactions flush the WAL one at a
// time, which capped every service's writes together at the disk's flush
// rate (docs/PERFORMANCE.md).
func Outbox(ctx context.Context, tx sqlx.ExtContext, events ...Event) error {
	if len(events) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString(`INSERT INTO outbox (id, subject, type, subject_id, aggregate_version, envelope, created_at) VALUES `)
	args := make([]any, 0, len(events)*7)
	for i, e := range events {
		if e.TraceID == "" {
			e.TraceID = reqctx.TraceID(ctx)
		}
		env, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("bus: marshal event %s: %w", e.Type, err)
		}
		if i > 0 {
			b.WriteString(", ")
		}
		n := len(args)
		fmt.Fprintf(&b, "($%d, $%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7)
		args = append(args, e.ID, e.Subject(), e.Type, e.SubjectID, e.AggregateVersion, env, e.OccurredAt)
	}
	if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
		return fmt.Errorf("bus: write outbox: %w", err)
	}
	pg.Signal(tx, OutboxSignal)
	return nil
}

// RelayConfig tunes a Relay. Zero values take the documented defaults.
type RelayConfig struct {
	// Schema is the service schema whose outbox is relayed (for the
	// metrics' label).
	Schema string
	// BatchSize is how many rows one claim takes. Default 500.
	BatchSize int
	// PollInterval is how often the relay looks for rows no commit of its
	// own pool told it about: rows written by another process (a CLI, a
	// replica without a relay) or outside pg.Begin. Default 1s.
	PollInterval time.Duration
	// AckTimeout bounds the wait for JetStream's acks of a batch. Default 10s.
	AckTimeout time.Duration
	// Retention keeps sent rows this long so they can be republished.
	// Default 7 days.
	Retention time.Duration
	// Registry receives the relay's metrics; nil registers none.
	Registry prometheus.Registerer
	// AfterPublish, when set, runs after JetStream acked a batch and before
	// the rows are marked sent. Tests use it to kill the relay at the worst
	// moment; an error aborts the batch as a crash would.
	AfterPublish func(ids []string) error
}

// Relay publishes outbox rows to JetStream. Several relays (replicas) may
// run against one schema: each claims rows with FOR UPDATE SKIP LOCKED.
type Relay struct {
	db  *sqlx.DB
	js  jetstream.JetStream
	cfg RelayConfig
	log *slog.Logger

	published prometheus.Counter
	failures  prometheus.Counter
}

// NewRelay returns a relay; Run starts it.
func NewRelay(db *sqlx.DB, js jetstream.JetStream, cfg RelayConfig, log *slog.Logger) *Relay {
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 500
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.AckTimeout <= 0 {
		cfg.AckTimeout = 10 * time.Second
	}
	if cfg.Retention <= 0 {
		cfg.Retention = 7 * 24 * time.Hour
	}
	if log == nil {
		log = slog.Default()
	}
	r := &Relay{db: db, js: js, cfg: cfg, log: log.With("component", "outbox-relay", "schema", cfg.Schema)}
	r.published = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "anxin_outbox_published_total", Help: "Outbox events published and acknowledged by JetStream.",
		ConstLabels: prometheus.Labels{"schema": cfg.Schema},
	})
	r.failures = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "anxin_outbox_failures_total", Help: "Outbox relay batches that failed and will be retried.",
		ConstLabels: prometheus.Labels{"schema": cfg.Schema},
	})
	if cfg.Registry != nil {
		for _, c := range []prometheus.Collector{r.published, r.failures} {
			if err := cfg.Registry.Register(c); err != nil {
				var are prometheus.AlreadyRegisteredError
				if !errors.As(err, &are) {
					r.log.Warn("relay metrics not registered", "err", err)
				}
			}
		}
	}
	return r
}

// Run relays until ctx ends. It survives lost connections to PostgreSQL
// and NATS: a failed batch is retried, and nothing is marked sent before
// JetStream has acknowledged it. It wakes when a transaction of its pool
// that wrote outbox rows commits (OutboxSignal), and every PollInterval.
func (r *Relay) Run(ctx context.Context) error {
	wake, stopWatch := pg.Watch(r.db, OutboxSignal)
	defer stopWatch()
	poll := time.NewTicker(r.cfg.PollInterval)
	defer poll.Stop()
	cleanup := time.NewTicker(time.Hour)
	defer cleanup.Stop()
	backoff := 50 * time.Millisecond
	for {
		n, err := r.RelayOnce(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			r.failures.Inc()
			r.log.Warn("outbox batch failed; will retry", "err", err, "backoff", backoff)
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, 5*time.Second)
			continue
		case n == r.cfg.BatchSize:
			backoff = 50 * time.Millisecond
			continue // more waiting
		}
		backoff = 50 * time.Millisecond
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		case <-poll.C:
		case <-cleanup.C:
			if err := r.Cleanup(ctx); err != nil {
				r.log.Warn("outbox cleanup failed", "err", err)
			}
		}
	}
}

type outboxRow struct {
	Seq      int64  `db:"seq"`
	ID       string `db:"id"`
	Subject  string `db:"subject"`
	Envelope []byte `db:"envelope"`
}

// RelayOnce claims one batch of unsent rows, publishes them, waits for
// JetStream's acks and marks the acknowledged rows sent, all while holding
// the rows' locks so no other relay publishes them meanwhile. It returns how
// many rows it claimed.
func (r *Relay) RelayOnce(ctx context.Context) (int, error) {
	tx, err := r.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	// Marking rows sent need not wait for the disk: if the mark is lost in
	// a crash, the rows are published again and JetStream drops the
	// duplicates by their Nats-Msg-Id. It saves a WAL flush per batch.
	if _, err := tx.ExecContext(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
		return 0, fmt.Errorf("relay: %w", err)
	}
	var rows []outboxRow
	err = tx.SelectContext(ctx, &rows, `SELECT seq, id, subject, envelope FROM outbox
		WHERE sent_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`, r.cfg.BatchSize)
	if err != nil {
		return 0, fmt.Errorf("claim: %w", err)
	}
	if len(rows) == 0 {
		return 0, nil
	}
	futures := make([]jetstream.PubAckFuture, len(rows))
	for i, row := range rows {
		msg := nats.NewMsg(row.Subject)
		msg.Data = row.Envelope
		f, err := r.js.PublishMsgAsync(msg, jetstream.WithMsgID(row.ID))
		if err != nil {
			// Rows already handed over may still be acked; they will be
			// republished and dropped by JetStream's de-duplication.
			return len(rows), fmt.Errorf("publish %s: %w", row.ID, err)
		}
		futures[i] = f
	}
	timeout := time.NewTimer(r.cfg.AckTimeout)
	defer timeout.Stop()
	acked := make([]int64, 0, len(rows))
	ackedIDs := make([]string, 0, len(rows))
	var firstErr error
wait:
	for i, f := range futures {
		select {
		case <-f.Ok():
			acked = append(acked, rows[i].Seq)
			ackedIDs = append(ackedIDs, rows[i].ID)
		case err := <-f.Err():
			if firstErr == nil {
				firstErr = fmt.Errorf("publish %s: %w", rows[i].ID, err)
			}
		case <-timeout.C:
			firstErr = errors.New("timed out waiting for JetStream acks")
			break wait
		case <-ctx.Done():
			return len(rows), ctx.Err()
		}
	}
	if r.cfg.AfterPublish != nil && len(ackedIDs) > 0 {
		if err := r.cfg.AfterPublish(ackedIDs); err != nil {
			return len(rows), err
		}
	}
	if len(acked) > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL
			WHERE seq = ANY($1)`, pq.Array(acked)); err != nil {
			return len(rows), fmt.Errorf("mark sent: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return len(rows), fmt.Errorf("commit: %w", err)
	}
	r.published.Add(float64(len(acked)))
	if firstErr != nil {
		return len(rows), firstErr
	}
	return len(rows), nil
}

// Cleanup deletes sent rows older than the retention.
func (r *Relay) Cleanup(ctx context.Context) error {
	_, err := r.db.ExecContext(ctx, `DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < now() - make_interval(secs => $1)`,
		r.cfg.Retention.Seconds())
	return err
}

// Republish marks the sent events created in [from, to) unsent so the relay
// publishes them again (after an incident on the NATS side). Events still
// within JetStream's duplicate window are dropped by it as duplicates.
func Republish(ctx context.Context, db sqlx.ExecerContext, from, to time.Time) (int64, error) {
	res, err := db.ExecContext(ctx, `UPDATE outbox SET sent_at = NULL WHERE sent_at IS NOT NULL AND created_at >= $1 AND created_at < $2`, from, to)
	if err != nil {
		return 0, fmt.Errorf("bus: republish: %w", err)
	}
	return res.RowsAffected()
}
