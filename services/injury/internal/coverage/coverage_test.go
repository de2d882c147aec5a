package coverage_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/bus/bustest"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/injury/internal/commands"
	"github.com/anxin-welfare/anxin/services/injury/internal/coverage"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

var start = time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)

// flaky fails until told to answer.
type flaky struct {
	up    bool
	calls int
}

func (f *flaky) CoveredOn(_ context.Context, memberID string, on time.Time) ([]domain.SchemeCoverage, error) {
	f.calls++
	if !f.up {
		return nil, errors.New("nats: no responders available for request")
	}
	return []domain.SchemeCoverage{{Scheme: "work_injury", Plan: memberID + "@" + on.Format(time.DateOnly)}}, nil
}

func TestWorkerRetriesUntilEnrollmentAnswers(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t, store.Migrations())
	clk := clock.NewFake(start)
	st := store.New(db, clk, domain.DefaultPolicy())
	ctx := context.Background()
	cs, err := commands.New(st, nil).Open(ctx, store.Meta{Actor: domain.Actor{UserID: "u"}}, store.OpenRequest{Injured: []domain.OpenInput{{
		MemberID: "m-1", UnitID: "unit-1", InjuredAt: start.Add(-time.Hour), Place: "p", Description: "d", Severity: domain.SeverityMinor}}})
	if err != nil {
		t.Fatal(err)
	}
	client := &flaky{}
	w := &coverage.Worker{Store: st, Client: client, Log: slog.New(slog.DiscardHandler)}
	if n, err := w.RunOnce(ctx); err != nil || n != 0 {
		t.Fatalf("while down: %d, %v", n, err)
	}
	c, _ := st.Get(ctx, cs[0].ID)
	if c.Coverage.Status != domain.CoveragePending || c.Coverage.Attempts != 1 || c.State != domain.StateTriage {
		t.Fatalf("after a failure: %+v", c.Coverage)
	}
	// Not due before the back-off.
	if n, _ := w.RunOnce(ctx); n != 0 || client.calls != 1 {
		t.Fatalf("asked again before the back-off: calls %d", client.calls)
	}
	client.up = true
	clk.Advance(time.Minute)
	if n, err := w.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("when up: %d, %v", n, err)
	}
	c, _ = st.Get(ctx, cs[0].ID)
	if c.Coverage.Status != domain.CoverageChecked || len(c.Coverage.Schemes) != 1 || c.Coverage.Schemes[0].Plan != "m-1@2026-03-10" {
		t.Errorf("after the answer: %+v", c.Coverage)
	}
}

func TestNATSClient(t *testing.T) {
	t.Parallel()
	srv := bustest.Start(t)
	conn := srv.Connect(t)
	const subject = coverage.DefaultSubject
	client := coverage.NATSClient{Conn: conn.NC, Subject: subject}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	// Enrollment down: the request fails, so the case stays pending.
	if _, err := client.CoveredOn(ctx, "m-1", start); err == nil {
		t.Fatal("no responder, no error")
	}
	// A subject the WELFARE stream captures gets a publish ack, not an
	// answer; it must not read as "covered by nothing".
	if _, err := (coverage.NATSClient{Conn: conn.NC, Subject: "welfare.enrollment.coverage"}).CoveredOn(ctx, "m-1", start); err == nil {
		t.Error("a stream's publish ack was taken for an answer")
	}
	svc, err := bus.Serve(conn.NC, "enrollment_test", "0.0.1", "fake enrollment", nil, bus.Endpoint{
		Name: "coverage", Subject: subject,
		Handle: func(_ context.Context, req []byte) (any, error) {
			var q struct {
				MemberID string `json:"member_id"`
				Date     string `json:"date"`
			}
			if err := json.Unmarshal(req, &q); err != nil || q.Date != "2026-03-10" {
				return nil, bus.NewRemoteError("bad_request", "bad query")
			}
			return map[string]any{"schemes": []map[string]any{
				{"scheme": "work_injury", "covered": true, "plan_name": "2026 工伤保险", "period_from": "2026-01-01", "period_to": "2026-12-31"},
				{"scheme": "accident", "covered": false},
			}}, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = svc.Stop() })
	got, err := client.CoveredOn(ctx, "m-1", start)
	if err != nil || len(got) != 1 || got[0].Scheme != "work_injury" || got[0].Plan != "2026 工伤保险" || got[0].To.Day() != 31 {
		t.Fatalf("coverage = %+v, %v", got, err)
	}
}
