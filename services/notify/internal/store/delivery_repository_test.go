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
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
	"github.com/anxin-welfare/anxin/services/notify/internal/store"
)

// sendingDelivery stores one delivery on ch as "sending" in its
// attempts-th call, leased until leaseUntil, with the call's open attempt.
func sendingDelivery(t *testing.T, db *sqlx.DB, ch domain.Channel, attempts int, now, leaseUntil time.Time) uuid.UUID {
	t.Helper()
	n, d, ev := uuid.New(), uuid.New(), uuid.New()
	if _, err := db.Exec(`INSERT INTO notifications (id, user_id, event_id, kind, created_at) VALUES ($1, 'u1', $2, 'case_opened', $3)`,
		n, ev, now); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO deliveries (id, notification_id, event_id, user_id, channel, address, lang, state, attempts,
		next_at, lease_until, created_at) VALUES ($1, $2, $3, 'u1', $4, '13800000000', 'zh-CN', 'sending', $5, $6, $7, $6)`,
		d, n, ev, ch, attempts, now, leaseUntil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO delivery_attempts (delivery_id, channel, started_at) VALUES ($1, $2, $3)`, d, ch, now); err != nil {
		t.Fatal(err)
	}
	return d
}

// A lapsed lease sends an idempotent channel's delivery again only while
// it has attempts left: the lapse of its last one is dead, not a call
// past domain.MaxAttempts.
func TestALapsedLastAttemptIsDead(t *testing.T) {
	db := pgtest.New(t, audit.MigrationSet(), store.Migrations())
	now := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	s := store.New(db, clock.NewFake(now))
	last := sendingDelivery(t, db, domain.ChannelSMS, domain.MaxAttempts, now.Add(-time.Hour), now.Add(-time.Minute))
	more := sendingDelivery(t, db, domain.ChannelSMS, domain.MaxAttempts-1, now.Add(-time.Hour), now.Add(-time.Minute))
	if n, err := s.Lapse(context.Background(), now, func(domain.Channel) bool { return true }); err != nil || n != 2 {
		t.Fatalf("Lapse settled %d, %v; want 2", n, err)
	}
	for id, want := range map[uuid.UUID]domain.State{last: domain.StateDead, more: domain.StatePending} {
		d, err := s.Delivery(context.Background(), id)
		if err != nil || d.State != want {
			t.Errorf("after the lapse of attempt %d: %s (%v), want %s", d.Attempts, d.State, err, want)
		}
	}
}
