package natsapi_test

import (
	"context"
	"crypto/rand"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/bus/bustest"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/pkg/sealed"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/commands"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/natsapi"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/store"
)

var meta = store.Meta{Actor: "test"}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// setup serves the endpoint over a store holding one police officer
// enrolled in the 2026 accident plan, and returns a connection and the
// member's id.
func setup(t testing.TB) (*bus.Conn, string) {
	t.Helper()
	k1, k2 := make([]byte, sealed.KeySize), make([]byte, sealed.KeySize)
	_, _ = rand.Read(k1)
	_, _ = rand.Read(k2)
	sealer, err := sealed.New(k1, k2)
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(pgtest.New(t, store.Migrations()), sealer, clock.NewFake(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)))
	ctx := context.Background()
	all := store.Scope{All: true}
	u, err := commands.New(st).CreateUnit(ctx, domain.UnitInput{Code: "GAJ", Name: "县公安局", Kind: domain.UnitPoliceBureau}, meta)
	if err != nil {
		t.Fatal(err)
	}
	m, err := commands.New(st).CreateMember(ctx, domain.MemberInput{UnitID: u.ID, Name: "张伟", Category: domain.CategoryPolice,
		IDNumber: idcard.Generate("110105", date(1985, 3, 14), 11, true), HireDate: date(2008, 7, 1)}, all, meta)
	if err != nil {
		t.Fatal(err)
	}
	p, err := commands.New(st).CreatePlan(ctx, domain.PlanInput{Scheme: domain.SchemePersonalAccident, Year: 2026, Name: "2026 年意外险",
		Coverage:    domain.Period{From: date(2026, 1, 1), To: date(2026, 12, 31)},
		Eligibility: domain.Eligibility{Categories: []domain.Category{domain.CategoryPolice}},
		Premium:     money.Yuan(300), Payer: domain.PayerCentralFinance, WaitingDays: 30,
		Sums: domain.SumsInsured{Death: money.Yuan(200000)}}, meta)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := commands.New(st).Enroll(ctx, m.ID, p.ID, date(2026, 1, 1), all, meta); err != nil {
		t.Fatal(err)
	}
	conn := bustest.Start(t).Connect(t)
	svc, err := natsapi.Serve(conn.NC, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = svc.Stop() })
	return conn, m.ID
}

func TestCoverageEndpoint(t *testing.T) {
	t.Parallel()
	conn, memberID := setup(t)
	tests := []struct {
		name        string
		req         natsapi.CoverageRequest
		wantCode    string
		wantCovered []string
		wantReason  string
	}{
		{name: "covered on the day", req: natsapi.CoverageRequest{MemberID: memberID, Date: "2026-06-10"}, wantCovered: []string{"personal_accident"}},
		{name: "one scheme asked", req: natsapi.CoverageRequest{MemberID: memberID, Date: "2026-06-10", Scheme: "work_injury"},
			wantReason: "enrollment.coverage.not_enrolled"},
		{name: "in the waiting period", req: natsapi.CoverageRequest{MemberID: memberID, Date: "2026-01-15", Scheme: "personal_accident"},
			wantReason: "enrollment.coverage.waiting_period"},
		{name: "a day in another year", req: natsapi.CoverageRequest{MemberID: memberID, Date: "2025-06-10", Scheme: "personal_accident"},
			wantReason: "enrollment.coverage.not_enrolled"},
		{name: "unknown member", req: natsapi.CoverageRequest{MemberID: "0195f000-0000-7000-8000-000000000000", Date: "2026-06-10"}, wantCode: natsapi.CodeNotFound},
		{name: "bad date", req: natsapi.CoverageRequest{MemberID: memberID, Date: "10/06/2026"}, wantCode: natsapi.CodeBadRequest},
		{name: "bad scheme", req: natsapi.CoverageRequest{MemberID: memberID, Date: "2026-06-10", Scheme: "life"}, wantCode: natsapi.CodeBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			var reply natsapi.CoverageReply
			err := bus.Request(ctx, conn.NC, natsapi.CoverageSubject, tc.req, &reply)
			if tc.wantCode != "" {
				var re *bus.RemoteError
				if !errors.As(err, &re) || re.Code != tc.wantCode {
					t.Fatalf("err = %v, want remote %s", err, tc.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var covered []string
			for _, s := range reply.Schemes {
				if s.Covered {
					covered = append(covered, s.Scheme)
					if s.SumsInsured == nil || s.SumsInsured.DeathFen != 20000000 || s.PlanName == "" {
						t.Errorf("covered answer %+v", s)
					}
				} else if tc.wantReason != "" && s.Reason != tc.wantReason {
					t.Errorf("reason %q, want %q", s.Reason, tc.wantReason)
				}
			}
			if !slices.Equal(covered, tc.wantCovered) {
				t.Errorf("covered %v, want %v", covered, tc.wantCovered)
			}
		})
	}
}

// BenchmarkCoverageOverNATS measures the round trip the injury service
// makes at case opening; the issue asks for p99 under 5 ms on this machine.
func BenchmarkCoverageOverNATS(b *testing.B) {
	conn, memberID := setup(b)
	req := natsapi.CoverageRequest{MemberID: memberID, Date: "2026-06-10"}
	ctx := context.Background()
	var lat []time.Duration
	for b.Loop() {
		start := time.Now()
		var reply natsapi.CoverageReply
		if err := bus.Request(ctx, conn.NC, natsapi.CoverageSubject, req, &reply); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)*50/100].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}
