package store_test

import (
	"context"
	"testing"
	"time"
)

// BenchmarkRollover100k closes 2026 for 100,000 members (entitlements,
// carry-overs, expiries). Run once: go test -run '^$' -bench Rollover100k -benchtime 1x.
func BenchmarkRollover100k(b *testing.B) {
	f := newFixtureB(b)
	ctx := context.Background()
	const n = 100000
	seed := []string{
		`INSERT INTO members (member_id, unit_id, category, status, work_start, joined_on, frontline, updated_at)
SELECT 'm' || lpad(i::text, 6, '0'), 'u' || (i % 60), CASE WHEN i % 5 = 0 THEN 'auxiliary_police' ELSE 'police' END, 'active',
	date '1990-01-01' + (i % 12000), date '1990-01-01' + (i % 12000), i % 3 = 0, now()
FROM generate_series(1, 100000) AS i`,
		`INSERT INTO ledger_entries (member_id, year, kind, days, effective_on, created_by, created_at)
SELECT member_id, 2026, 'accrual', 5 + 5 * (abs(hashtext(member_id)) % 3), date '2026-01-01', 'seed', now() FROM members`,
		`INSERT INTO ledger_entries (member_id, year, kind, days, effective_on, request_id, created_by, created_at)
SELECT member_id, 2026, 'taking', -(1 + abs(hashtext(member_id)) % 4), date '2026-06-01', gen_random_uuid(), 'seed', now()
FROM members WHERE abs(hashtext(member_id)) % 2 = 0`,
		`INSERT INTO carry_over_decisions (member_id, year, days, reason, decided_by, decided_at)
SELECT member_id, 2026, 1, '专项任务', 'seed', now() FROM members WHERE abs(hashtext(member_id)) % 50 = 0`,
		`ANALYZE`,
	}
	for _, q := range seed {
		if _, err := f.db.ExecContext(ctx, q); err != nil {
			b.Fatalf("seed: %v", err)
		}
	}
	f.clk.Set(time.Date(2027, 1, 2, 2, 0, 0, 0, time.UTC))
	b.ResetTimer()
	for b.Loop() {
		rep, err := f.s.Rollover(ctx, 2026, "admin")
		if err != nil {
			b.Fatal(err)
		}
		if rep.Members != n && rep.Members != 0 {
			b.Fatalf("closed %d members", rep.Members)
		}
		if rep.Members == n {
			b.ReportMetric(rep.Duration.Seconds(), "s/rollover")
		}
	}
}
