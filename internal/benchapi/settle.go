package benchapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/anxin-welfare/anxin/pkg/pg"
)

// Backlog is the work the system still has to do after the requests that
// caused it were answered: events in the services' outboxes not yet
// published, messages the consumers have not yet acknowledged, cases whose
// coverage check enrollment has not answered. Keys name each part ("outbox
// injury", "consumer WELFARE/leave-injury-events", ...); only parts with
// work left are listed.
type Backlog map[string]int64

// Total is the work left over all parts.
func (b Backlog) Total() int64 {
	var n int64
	for _, v := range b {
		n += v
	}
	return n
}

func (b Backlog) String() string {
	if len(b) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(b))
	for k := range b {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, b[k])
	}
	return strings.Join(parts, ", ")
}

// ReadBacklog reads the backlog from the database (every schema with an
// outbox, injury's pending coverage checks) and from JetStream (every
// consumer of every stream). db must not go through the recording relay.
func ReadBacklog(ctx context.Context, db *sqlx.DB, js jetstream.JetStream) (Backlog, error) {
	b := Backlog{}
	var schemas []string
	if err := db.SelectContext(ctx, &schemas, `SELECT table_schema FROM information_schema.tables
		WHERE table_name = 'outbox' AND table_type = 'BASE TABLE' ORDER BY 1`); err != nil {
		return nil, fmt.Errorf("outboxes: %w", err)
	}
	for _, s := range schemas {
		var n int64
		// schema names come from the catalogue, quoted as identifiers
		q := `SELECT count(*) FROM ` + pg.QuoteIdent(s) + `.outbox WHERE sent_at IS NULL`
		if err := db.GetContext(ctx, &n, q); err != nil {
			return nil, fmt.Errorf("outbox of %s: %w", s, err)
		}
		if n > 0 {
			b["outbox "+s] = n
		}
	}
	var checks int64
	err := db.GetContext(ctx, &checks, `SELECT count(*) FROM injury.cases WHERE coverage_status = 'pending'`)
	if err != nil && !isUndefined(err) {
		return nil, fmt.Errorf("coverage checks: %w", err)
	}
	if checks > 0 {
		b["injury coverage checks"] = checks
	}
	if js == nil {
		return b, nil
	}
	streams := js.ListStreams(ctx)
	for si := range streams.Info() {
		st, err := js.Stream(ctx, si.Config.Name)
		if err != nil {
			return nil, fmt.Errorf("stream %s: %w", si.Config.Name, err)
		}
		cs := st.ListConsumers(ctx)
		for ci := range cs.Info() {
			if n := int64(ci.NumPending) + int64(ci.NumAckPending); n > 0 {
				b["consumer "+si.Config.Name+"/"+ci.Name] = n
			}
		}
		if err := cs.Err(); err != nil {
			return nil, fmt.Errorf("consumers of %s: %w", si.Config.Name, err)
		}
	}
	if err := streams.Err(); err != nil && !errors.Is(err, jetstream.ErrEndOfData) {
		return nil, fmt.Errorf("streams: %w", err)
	}
	return b, nil
}

// Settle waits until read reports no backlog, reading it every interval,
// and tells progress what it waits for once a while. It gives up after
// limit: the numbers measured then would include the system's catch-up.
func Settle(ctx context.Context, read func(context.Context) (Backlog, error), limit time.Duration, progress io.Writer) error {
	const interval = 250 * time.Millisecond
	start := time.Now()
	lastSaid := time.Time{}
	for {
		b, err := read(ctx)
		if err != nil {
			return err
		}
		if b.Total() == 0 {
			if !lastSaid.IsZero() {
				fmt.Fprintf(progress, "settled after %v\n", time.Since(start).Round(time.Second))
			}
			return nil
		}
		if time.Since(start) > limit {
			return fmt.Errorf("the system did not settle within %v: %s", limit, b)
		}
		if time.Since(lastSaid) > 10*time.Second {
			fmt.Fprintf(progress, "waiting for the background work to finish: %s\n", b)
			lastSaid = time.Now()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(interval):
		}
	}
}

// isUndefined: the table is not there (a database without injury).
func isUndefined(err error) bool {
	return pg.Code(err) == "42P01" || pg.Code(err) == "3F000"
}
