package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/pkg/sealed"
	"github.com/anxin-welfare/anxin/services/notify/internal/store"
)

// BenchmarkClaimPastABacklog is one claim while a subscription that used
// up its minute's budget has 10,000 deliveries due and another has one:
// the claim must find the other's without paying for the backlog. Its
// "search" parts time the claim's search alone, without the commit (whose
// fsync dominates on a busy disk): "before" is the first design, one scan
// of every due delivery by time with the budget checked per row; "after"
// is Claim's, subscription by subscription.
func BenchmarkClaimPastABacklog(b *testing.B) {
	db := pgtest.New(b, audit.MigrationSet(), store.Migrations())
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	key := func(c byte) []byte {
		k := make([]byte, sealed.KeySize)
		for i := range k {
			k[i] = c
		}
		return k
	}
	s, err := sealed.New(key(1), key(2))
	if err != nil {
		b.Fatal(err)
	}
	secret, err := s.Seal("whsec_bench")
	if err != nil {
		b.Fatal(err)
	}
	busy, quiet := uuid.New(), uuid.New()
	for _, id := range []uuid.UUID{busy, quiet} {
		if _, err := db.Exec(`INSERT INTO webhook_subscriptions (id, name, url, kinds, secret, created_by, created_at, updated_at)
			VALUES ($1, 'bench', 'https://203.0.113.5/x', '{injury.case.opened}', $2, 'bench', $3, $3)`, id, secret, now); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := db.Exec(`INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, body, state, next_at, created_at)
		SELECT gen_random_uuid(), $1, gen_random_uuid(), 'injury.case.opened', '{}', 'pending', $2::timestamptz - i * interval '1 second', $2
		FROM generate_series(1, 10000) i`, busy, now); err != nil {
		b.Fatal(err)
	}
	var spent uuid.UUID
	if err := db.Get(&spent, `SELECT id FROM webhook_deliveries WHERE subscription_id = $1 LIMIT 1`, busy); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO webhook_attempts (delivery_id, subscription_id, started_at, finished_at, outcome)
		SELECT $1, $2, $3, $3, 'sent' FROM generate_series(1, 60)`, spent, busy, now.Add(-30*time.Second)); err != nil {
		b.Fatal(err)
	}
	one := uuid.New()
	if _, err := db.Exec(`INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, body, state, next_at, created_at)
		VALUES ($1, $2, $1, 'injury.case.opened', '{}', 'pending', $3, $3)`, one, quiet, now); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(`ANALYZE webhook_deliveries; ANALYZE webhook_attempts; ANALYZE webhook_subscriptions`); err != nil {
		b.Fatal(err)
	}
	search := func(q string) func(*testing.B) {
		return func(b *testing.B) {
			for b.Loop() {
				var ids []uuid.UUID
				if err := db.Select(&ids, q, now, now.Add(-time.Minute), 60); err != nil || len(ids) == 0 || ids[0] != one {
					b.Fatalf("%v %v", ids, err)
				}
			}
		}
	}
	b.Run("search after", search(`SELECT d.id FROM webhook_subscriptions s
		JOIN LATERAL (SELECT id, next_at FROM webhook_deliveries
			WHERE subscription_id = s.id AND state = 'pending' AND next_at <= $1 ORDER BY next_at LIMIT 1) d ON true
		WHERE s.active AND s.deleted_at IS NULL
		  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries x WHERE x.subscription_id = s.id AND x.state = 'sending')
		  AND (SELECT count(*) FROM webhook_attempts a WHERE a.subscription_id = s.id AND a.started_at > $2
		       AND a.outcome IS DISTINCT FROM 'replayed') < $3
		ORDER BY d.next_at LIMIT 8`))
	// The first design's index, for its search only: with it, the
	// planner could also take it for the search after.
	if _, err := db.Exec(`CREATE INDEX bench_due_by_time ON webhook_deliveries (next_at) WHERE state = 'pending'; ANALYZE webhook_deliveries`); err != nil {
		b.Fatal(err)
	}
	b.Run("search before", search(`SELECT d.id FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
		WHERE d.state = 'pending' AND d.next_at <= $1 AND s.active AND s.deleted_at IS NULL
		  AND (SELECT count(*) FROM webhook_attempts a WHERE a.subscription_id = s.id AND a.started_at > $2
		       AND a.outcome IS DISTINCT FROM 'replayed') < $3
		ORDER BY d.next_at LIMIT 1`))
	if _, err := db.Exec(`DROP INDEX bench_due_by_time; ANALYZE webhook_deliveries`); err != nil {
		b.Fatal(err)
	}
	w := store.NewWebhooks(db, clock.NewFake(now), s)
	b.Run("claim", func(b *testing.B) { claim(b, w, db, ctx, now, one) })
}

func claim(b *testing.B, w *store.Webhooks, db *sqlx.DB, ctx context.Context, now time.Time, one uuid.UUID) {
	for i := 0; i < b.N; i++ {
		c, ok, err := w.Claim(ctx, now, 60)
		if err != nil || !ok || c.ID != one {
			b.Fatalf("claimed %v %v %v, want the quiet subscription's one", c.ID, ok, err)
		}
		b.StopTimer()
		if _, err := db.Exec(`UPDATE webhook_deliveries SET state = 'pending', lease_until = NULL WHERE id = $1`, one); err != nil {
			b.Fatal(err)
		}
		if _, err := db.Exec(`DELETE FROM webhook_attempts WHERE delivery_id = $1`, one); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
