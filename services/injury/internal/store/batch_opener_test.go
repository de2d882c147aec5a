package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/injury/internal/commands"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

func TestBatchOpener(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	op := store.NewBatchOpener(f.st, 2, 8)
	done := make(chan struct{})
	go func() { defer close(done); _ = op.Run(ctx) }()

	in := domain.OpenInput{MemberID: "m-1", UnitID: "unit-1", InjuredAt: start.Add(-time.Hour), Place: "p", Description: "d", Severity: domain.SeverityMinor}
	const n = 40
	var wg sync.WaitGroup
	numbers := make(chan string, n)
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := store.OpenRequest{Injured: []domain.OpenInput{in}}
			if i == 7 {
				req.IncidentID = "0190f7a0-0000-7000-8000-00000000dead" // unknown: fails alone
			}
			cs, err := commands.New(f.st, op).Open(context.Background(), store.Meta{Actor: officer}, req)
			if err != nil {
				errs <- err
				return
			}
			numbers <- cs[0].Number
		}()
	}
	wg.Wait()
	close(numbers)
	close(errs)
	seen := map[string]bool{}
	for num := range numbers {
		if seen[num] {
			t.Errorf("number %s handed out twice", num)
		}
		seen[num] = true
	}
	if len(seen) != n-1 {
		t.Errorf("opened %d, want %d", len(seen), n-1)
	}
	for err := range errs {
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("err = %v", err)
		}
	}
	if got := count(t, f.db, `SELECT count(*) FROM cases`); got != n-1 {
		t.Errorf("cases = %d", got)
	}
	if got := count(t, f.db, `SELECT count(*) FROM audit_log`); got != n-1 {
		t.Errorf("audit rows = %d", got)
	}
	cancel()
	<-done
	// After Run stops, Open still works, directly.
	if _, err := commands.New(f.st, op).Open(context.Background(), store.Meta{Actor: officer}, store.OpenRequest{Injured: []domain.OpenInput{in}}); err != nil {
		t.Fatal(err)
	}
}

// TestBatchOpenerRunsEachRequestsCommitHook: a request's commit hook (an
// Idempotency-Key marked spent) runs in the transaction that opens its
// cases, batched or alone; a hook that fails leaves no case behind.
func TestBatchOpenerRunsEachRequestsCommitHook(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	op := store.NewBatchOpener(f.st, 2, 8)
	done := make(chan struct{})
	go func() { defer close(done); _ = op.Run(ctx) }()
	defer func() { cancel(); <-done }()

	in := domain.OpenInput{MemberID: "m-1", UnitID: "unit-1", InjuredAt: start.Add(-time.Hour), Place: "p", Description: "d", Severity: domain.SeverityMinor}
	var ran sync.Map // the case opened in the hook's transaction, by request
	const n = 16
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hook := func(ctx context.Context, tx *sqlx.Tx) error {
				if i == 5 {
					return errors.New("key taken over")
				}
				var cases int
				if err := tx.GetContext(ctx, &cases, `SELECT count(*) FROM cases`); err != nil {
					return err
				}
				ran.Store(i, cases)
				return nil
			}
			rctx := pg.WithBeforeCommit(context.Background(), hook)
			_, err := commands.New(f.st, op).Open(rctx, store.Meta{Actor: officer}, store.OpenRequest{Injured: []domain.OpenInput{in}})
			if (err != nil) != (i == 5) {
				t.Errorf("request %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	for i := range n {
		seen, ok := ran.Load(i)
		if ok == (i == 5) {
			t.Errorf("request %d: hook ran %v", i, ok)
		}
		if ok && seen.(int) < 1 {
			t.Errorf("request %d: its hook saw no case in its transaction", i)
		}
	}
	if got := count(t, f.db, `SELECT count(*) FROM cases`); got != n-1 {
		t.Errorf("%d cases, want %d: the failed hook's case must roll back", got, n-1)
	}
}
