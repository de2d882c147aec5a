package benchapi

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/bus/bustest"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
)

// TestReadBacklogSeesOutboxesAndConsumers: an unsent outbox row and a
// message a consumer has not acknowledged are backlog; once the row is
// sent and the message acknowledged, neither is.
func TestReadBacklogSeesOutboxesAndConsumers(t *testing.T) {
	t.Parallel()
	sch := pgtest.NewSchema(t, bus.Migrations())
	ns := bustest.Start(t)
	conn := ns.Connect(t)
	ctx := context.Background()
	outbox := "outbox " + sch.Name
	consumer := "consumer WELFARE/bench-settle-test"

	ev, err := bus.NewEvent("test", "thing.happened", 1, "s-1", 1, map[string]int{"i": 1}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sch.DB.Exec(`INSERT INTO outbox (id, subject, type, envelope) VALUES (gen_random_uuid(), $1, 'thing.happened', '\x00')`,
		ev.Subject()); err != nil {
		t.Fatal(err)
	}
	c, err := conn.JS.CreateOrUpdateConsumer(ctx, "WELFARE", jetstream.ConsumerConfig{Durable: "bench-settle-test", AckPolicy: jetstream.AckExplicitPolicy})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.JS.Publish(ctx, ev.Subject(), []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBacklog(ctx, sch.DB, conn.JS)
	if err != nil {
		t.Fatal(err)
	}
	if b[outbox] != 1 || b[consumer] != 1 {
		t.Fatalf("backlog %v, want 1 in %q and 1 in %q", b, outbox, consumer)
	}

	if _, err := sch.DB.Exec(`UPDATE outbox SET sent_at = now()`); err != nil {
		t.Fatal(err)
	}
	msgs, err := c.Fetch(1, jetstream.FetchMaxWait(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	for m := range msgs.Messages() {
		if err := m.DoubleAck(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if b, err = ReadBacklog(ctx, sch.DB, conn.JS); err != nil {
		t.Fatal(err)
	}
	if _, ok := b[outbox]; ok {
		t.Errorf("backlog %v after the row was sent", b)
	}
	if _, ok := b[consumer]; ok {
		t.Errorf("backlog %v after the message was acknowledged", b)
	}
}

// TestSettleWaitsForNoBacklogAndGivesUp: Settle returns once the backlog is
// empty, and with an error naming what is left when it never empties.
func TestSettleWaitsForNoBacklogAndGivesUp(t *testing.T) {
	t.Parallel()
	left := 3
	read := func(context.Context) (Backlog, error) {
		left--
		if left <= 0 {
			return Backlog{}, nil
		}
		return Backlog{"outbox injury": int64(left)}, nil
	}
	var out bytes.Buffer
	if err := Settle(context.Background(), read, time.Minute, &out); err != nil || left != 0 {
		t.Fatalf("settle: %v after %d reads left", err, left)
	}
	stuck := func(context.Context) (Backlog, error) { return Backlog{"consumer WELFARE/x": 2}, nil }
	err := Settle(context.Background(), stuck, 300*time.Millisecond, &out)
	if err == nil || !strings.Contains(err.Error(), "consumer WELFARE/x 2") {
		t.Fatalf("settle on a stuck consumer: %v", err)
	}
	boom := errors.New("boom")
	if err := Settle(context.Background(), func(context.Context) (Backlog, error) { return nil, boom }, time.Minute, &out); !errors.Is(err, boom) {
		t.Fatalf("settle on a failed read: %v", err)
	}
}
