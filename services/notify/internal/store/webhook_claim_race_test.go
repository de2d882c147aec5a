package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/pkg/sealed"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
	"github.com/anxin-welfare/anxin/services/notify/internal/store"
)

// A worker reads the due deliveries; before it locks one, another worker
// claims that delivery, calls the receiver, fails and records the failure,
// which moves next_at past the back-off. The first worker must not then
// call at once: its lock asks again whether the delivery is due. (Found as
// a flaky webhook test: a 4th failure became a 5th, and dead, at once.)
func TestClaimDoesNotCallADeliveryAnotherWorkerJustFailed(t *testing.T) {
	db := pgtest.New(t, audit.MigrationSet(), store.Migrations())
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	k1, k2 := make([]byte, sealed.KeySize), make([]byte, sealed.KeySize)
	k1[0], k2[0] = 1, 2
	s, err := sealed.New(k1, k2)
	if err != nil {
		t.Fatal(err)
	}
	secret, err := s.Seal("whsec_race")
	if err != nil {
		t.Fatal(err)
	}
	sub, del := uuid.New(), uuid.New()
	if _, err := db.Exec(`INSERT INTO webhook_subscriptions (id, name, url, kinds, secret, created_by, created_at, updated_at)
		VALUES ($1, 'race', 'https://203.0.113.5/x', '{injury.case.opened}', $2, 'test', $3, $3)`, sub, secret, now); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, body, state, next_at, created_at)
		VALUES ($1, $2, $1, 'injury.case.opened', '{}', 'pending', $3, $3)`, del, sub, now); err != nil {
		t.Fatal(err)
	}
	w := store.NewWebhooks(db, clock.NewFake(now), s)

	var other error
	reset := store.SetAfterClaimCandidates(func() {
		store.SetAfterClaimCandidates(nil) // the other worker's own claim runs straight through
		c, ok, err := w.Claim(ctx, now, 60)
		if err != nil || !ok || c.ID != del {
			other = errors.Join(err, errors.New("the other worker claimed nothing"))
			return
		}
		res := store.WebhookResult{Status: 503}
		other = w.Record(ctx, c, domain.After(res.Failure(), c.Attempts, true, now), res, now)
	})
	defer reset()
	c, ok, err := w.Claim(ctx, now, 60)
	if err != nil || other != nil {
		t.Fatalf("claim: %v; the other worker: %v", err, other)
	}
	var row struct {
		Attempts int       `db:"attempts"`
		State    string    `db:"state"`
		NextAt   time.Time `db:"next_at"`
	}
	if err := db.Get(&row, `SELECT attempts, state, next_at FROM webhook_deliveries WHERE id = $1`, del); err != nil {
		t.Fatal(err)
	}
	if ok {
		t.Errorf("the first worker claimed delivery %s right after the other's failure (attempt %d); the row: %+v", c.ID, c.Attempts, row)
	}
	if row.Attempts != 1 || row.State != "pending" || !row.NextAt.After(now) {
		t.Errorf("after one failed call the delivery is %+v, want 1 attempt, pending, next_at after %s", row, now)
	}
}
