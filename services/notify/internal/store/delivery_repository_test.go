package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

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

// An adapter's error is kept whole characters at most: one cut inside a
// character at the byte limit would be refused by PostgreSQL, leaving the
// delivery "sending" until its lease lapses.
func TestRecordKeepsALongErrorAsValidText(t *testing.T) {
	db := pgtest.New(t, audit.MigrationSet(), store.Migrations())
	now := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	s := store.New(db, clock.NewFake(now))
	sendingDelivery(t, db, domain.ChannelSMS, 0, now.Add(-time.Hour), now.Add(-time.Hour))
	if _, err := db.Exec(`UPDATE deliveries SET state = 'pending', lease_until = NULL`); err != nil {
		t.Fatal(err)
	}
	d, ok, err := s.Claim(context.Background(), now, domain.ChannelSMS, 60)
	if err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	callErr := errors.New(strings.Repeat("x", 499) + "短信网关余额不足")
	out := domain.After(callErr, d.Attempts, true, now)
	if err := s.Record(context.Background(), d, out, callErr, now); err != nil {
		t.Fatalf("Record: %v", err)
	}
	got, err := s.Delivery(context.Background(), d.ID)
	if err != nil || got.State != domain.StatePending || !utf8.ValidString(got.LastError) || len(got.LastError) > 500 ||
		!strings.HasPrefix(got.LastError, strings.Repeat("x", 499)) {
		t.Errorf("after Record: %s %q (%v)", got.State, got.LastError, err)
	}
}
