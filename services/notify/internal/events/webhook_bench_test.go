package events_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/notify/internal/events"
	"github.com/anxin-welfare/anxin/services/notify/internal/store"
)

// BenchmarkConsumerTransaction is what webhooks add to the notify
// consumer's transaction of every event: the same transaction without the
// webhook step (as before), and with it for 0 and 5 subscriptions of the
// event's kind (the body built from the schema, one INSERT … SELECT).
// The notices' own work is left out of all three, so the difference is
// the webhooks' alone.
func BenchmarkConsumerTransaction(b *testing.B) {
	db := pgtest.New(b, audit.MigrationSet(), store.Migrations())
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC) }
	notices := func(context.Context, *sqlx.Tx, bus.Event) error { return nil }
	ev, err := bus.NewEvent("injury", "case.opened", 1, "c1", 1, map[string]any{"case_id": "0193a3b4-0000-7000-8000-000000000001",
		"number": "GC-2026-000001", "incident_id": "0193a3b4-0000-7000-8000-000000000002", "unit_id": "u1", "severity": "minor",
		"injured_at": "2026-11-27T01:00:00Z", "injury_date": "2026-11-27", "opened_at": "2026-11-27T01:30:00Z", "coverage_status": "pending"}, now())
	if err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B, h bus.Handler) {
		for b.Loop() {
			e := ev
			e.ID = uuid.New()
			if err := pg.InTx(ctx, db, func(tx *sqlx.Tx) error { return h(ctx, tx, e) }); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("without webhooks", func(b *testing.B) { run(b, notices) })
	for _, subs := range []int{0, 5} {
		for range subs - countSubs(b, db) {
			if _, err := db.Exec(`INSERT INTO webhook_subscriptions (id, name, url, kinds, secret, created_by, created_at, updated_at)
				VALUES ($1, 'bench', 'https://203.0.113.5/x', '{injury.case.opened}', '\x01', 'bench', now(), now())`, uuid.New()); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(fmt.Sprintf("with webhooks, %d subscriptions", subs), func(b *testing.B) { run(b, events.WithWebhooks(notices, now)) })
	}
}

func countSubs(b *testing.B, db *sqlx.DB) int {
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM webhook_subscriptions`); err != nil {
		b.Fatal(err)
	}
	return n
}
