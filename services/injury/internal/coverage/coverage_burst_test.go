package coverage_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/injury/internal/commands"
	"github.com/anxin-welfare/anxin/services/injury/internal/coverage"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

// answering always answers, from any number of goroutines.
type answering struct{ calls atomic.Int64 }

func (a *answering) CoveredOn(_ context.Context, memberID string, on time.Time) ([]domain.SchemeCoverage, error) {
	a.calls.Add(1)
	return []domain.SchemeCoverage{{Scheme: "work_injury", Plan: memberID + "@" + on.Format(time.DateOnly)}}, nil
}

// TestWorkerDrainsABurstWithoutWaitingForTicks opens more cases than a
// round claims and expects every check answered with no tick in between
// (the interval is an hour): a full round goes straight on to the next.
func TestWorkerDrainsABurstWithoutWaitingForTicks(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t, store.Migrations())
	clk := clock.NewFake(start)
	st := store.New(db, clk, domain.DefaultPolicy())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const cases = 23
	injured := make([]domain.OpenInput, cases)
	for i := range injured {
		injured[i] = domain.OpenInput{MemberID: fmt.Sprintf("m-%d", i), UnitID: "unit-1", InjuredAt: start.Add(-time.Hour),
			Place: "p", Description: "d", Severity: domain.SeverityMinor}
	}
	if _, err := commands.New(st, nil).Open(ctx, store.Meta{Actor: domain.Actor{UserID: "u"}}, store.OpenRequest{Injured: injured}); err != nil {
		t.Fatal(err)
	}
	client := &answering{}
	w := &coverage.Worker{Store: st, Client: client, Log: slog.New(slog.DiscardHandler), Interval: time.Hour, Batch: 5, Concurrency: 3}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var pending int
		if err := db.Get(&pending, `SELECT count(*) FROM cases WHERE coverage_status = 'pending'`); err != nil {
			t.Fatal(err)
		}
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d checks still pending after 30 s; enrollment was asked %d times", pending, cases, client.calls.Load())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var checked int
	if err := db.Get(&checked, `SELECT count(*) FROM cases WHERE coverage_status = 'checked'`); err != nil || checked != cases {
		t.Fatalf("%d cases checked (err %v), want %d", checked, err, cases)
	}
	if got := client.calls.Load(); got != cases {
		t.Errorf("enrollment asked %d times for %d cases", got, cases)
	}
}

// BenchmarkWorkerDrain measures the worker's own side of a burst (claim,
// record, timeline line) with an enrollment that answers at once: it
// reports checks per second for 500 cases opened together.
func BenchmarkWorkerDrain(b *testing.B) {
	db := pgtest.New(b, store.Migrations())
	clk := clock.NewFake(start)
	st := store.New(db, clk, domain.DefaultPolicy())
	ctx := context.Background()
	const cases = 500
	var total time.Duration
	for i := 0; i < b.N; i++ {
		injured := make([]domain.OpenInput, 0, 50)
		for j := 0; j < cases; j++ {
			injured = append(injured, domain.OpenInput{MemberID: fmt.Sprintf("m-%d-%d", i, j), UnitID: "unit-1",
				InjuredAt: start.Add(-time.Hour), Place: "p", Description: "d", Severity: domain.SeverityMinor})
			if len(injured) == 50 {
				if _, err := commands.New(st, nil).Open(ctx, store.Meta{Actor: domain.Actor{UserID: "u"}}, store.OpenRequest{Injured: injured}); err != nil {
					b.Fatal(err)
				}
				injured = injured[:0]
			}
		}
		w := &coverage.Worker{Store: st, Client: &answering{}, Log: slog.New(slog.DiscardHandler)}
		t0 := time.Now()
		for n := 0; n < cases; {
			got, err := w.RunOnce(ctx)
			if err != nil {
				b.Fatal(err)
			}
			n += got
		}
		total += time.Since(t0)
	}
	b.ReportMetric(float64(cases*b.N)/total.Seconds(), "checks/s")
}
