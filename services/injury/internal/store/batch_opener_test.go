package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

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
			cs, err := op.Open(context.Background(), store.Meta{Actor: officer}, req)
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
	if _, err := op.Open(context.Background(), store.Meta{Actor: officer}, store.OpenRequest{Injured: []domain.OpenInput{in}}); err != nil {
		t.Fatal(err)
	}
}
