package events_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/bus/bustest"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/injury/internal/events"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

func publish(t *testing.T, js jetstream.JetStream, ev bus.Event) {
	t.Helper()
	body, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := js.Publish(context.Background(), ev.Subject(), body, jetstream.WithMsgID(ev.ID.String())); err != nil {
		t.Fatal(err)
	}
}

func TestMemberConsumer(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t, store.Migrations())
	conn := bustest.Start(t).Connect(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := bus.NewConsumer(db, conn.JS, bus.ConsumerConfig{Name: events.MemberConsumerName, Subjects: events.MemberSubjects},
		events.HandleMember, slog.New(slog.DiscardHandler))
	done := make(chan struct{})
	go func() { defer close(done); _ = c.Run(ctx) }()

	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	mk := func(typ, name, category string, version int64) bus.Event {
		ev, err := bus.NewEvent("enrollment", typ, 1, "m-1", version,
			map[string]any{"member_id": "m-1", "unit_id": "unit-1", "name": name, "category": category, "version": version}, at)
		if err != nil {
			t.Fatal(err)
		}
		return ev
	}
	registered := mk("member.registered", "李强", "auxiliary_police", 1)
	updated := mk("member.updated", "李强", "police", 2)
	publish(t, conn.JS, updated)    // arrives first
	publish(t, conn.JS, registered) // older: must not roll the projection back
	publish(t, conn.JS, updated)    // duplicate
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		if err := db.Get(&n, `SELECT count(*) FROM inbox`); err != nil {
			t.Fatal(err)
		}
		if n >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("consumer applied %d events", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	var m struct {
		Category string `db:"category"`
		Version  int64  `db:"event_version"`
	}
	if err := db.Get(&m, `SELECT category, event_version FROM members WHERE member_id = 'm-1'`); err != nil {
		t.Fatal(err)
	}
	if m.Category != "police" || m.Version != 2 {
		t.Errorf("projection = %+v, want police at version 2", m)
	}
	cancel()
	<-done
}
