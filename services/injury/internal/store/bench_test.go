package store_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/pkg/roles"
	"github.com/anxin-welfare/anxin/services/injury/internal/commands"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

// clients is the number of concurrent openers of the goal.
const clients = 200

// runConcurrent runs n jobs on clients goroutines and returns the wall time
// and every job's latency.
func runConcurrent(b *testing.B, n int, job func() error) (time.Duration, []time.Duration) {
	b.Helper()
	jobs := make(chan struct{}, n)
	for range n {
		jobs <- struct{}{}
	}
	close(jobs)
	lat := make([]time.Duration, 0, n)
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for range jobs {
				t0 := time.Now()
				if err := job(); err != nil {
					b.Error(err)
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return time.Since(start), lat
}

func p99(lat []time.Duration) time.Duration {
	slices.Sort(lat)
	if len(lat) == 0 {
		return 0
	}
	return lat[(len(lat)*99+99)/100-1]
}

// rawOpen inserts the rows an opening writes (incident, case, four clocks,
// timeline, outbox, audit) with plain SQL in one transaction: no domain, no
// sequence function, no audit chain lock.
func rawOpen(ctx context.Context, db *sqlx.DB, n int64, at time.Time) error {
	return pg.InTx(ctx, db, func(tx *sqlx.Tx) error {
		inc, cid := uuid.New().String(), uuid.New().String()
		if _, err := tx.ExecContext(ctx, `INSERT INTO incidents (id, unit_id, occurred_at, place, description, created_by, created_at)
			VALUES ($1, 'unit-1', $2, 'p', 'd', 'u', $2)`, inc, at); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO cases (id, number, incident_id, member_id, unit_id, reporter_user_id, injured_at, injury_date,
			place, description, severity, state, opened_at, coverage_status, updated_at)
			VALUES ($1, $2, $3, 'm-1', 'unit-1', 'u', $4, $5, 'p', 'd', 'serious', 'triage', $4, 'pending', $4)`,
			cid, fmt.Sprintf("GC-1999-%06d", n), inc, at, at.Truncate(24*time.Hour)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sla_clocks (case_id, kind, started_at, due_at, amber_at, committee_after, level, next_fire_at)
			SELECT $1, k, $2::timestamptz, $2::timestamptz + interval '1 hour', $2::timestamptz, interval '1 hour', 0, $2::timestamptz + interval '1 hour'
			FROM unnest(ARRAY['acknowledgement', 'handoff', 'unit_filing', 'member_filing']) AS k`, cid, at); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO timeline (case_id, at, actor_id, kind) VALUES ($1, $2, 'u', 'opened')`, cid, at); err != nil {
			return err
		}
		env := []byte(`{"type":"case.opened"}`)
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, subject, type, subject_id, aggregate_version, envelope, created_at)
			VALUES ($1, 'welfare.injury.case.opened.v1', 'case.opened', $2, 1, $3, $4)`, uuid.New(), cid, env, at); err != nil {
			return err
		}
		h1, h2 := make([]byte, 32), make([]byte, 32)
		_, _ = rand.Read(h1)
		_, _ = rand.Read(h2)
		_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor, action, object_type, object_id, after, prev_hash, hash)
			VALUES ($1, 'u', 'injury.case.open', 'case', $2, '{}', $3, $4)`, at, cid, h1, h2)
		return err
	})
}

// BenchmarkOpenCase opens b.N cases from 200 concurrent clients through the
// service's path (BatchOpener: domain, per-year number, clocks, timeline,
// outbox, audit chain), then through Store.Open unbatched, then inserts the
// same rows raw, all in the same run; it reports the throughputs, the ratio
// of the service's path to raw and the p99 latencies. Run once:
// -bench OpenCase -benchtime 2000x.
func BenchmarkOpenCase(b *testing.B) {
	db := pgtest.New(b, store.Migrations())
	db.SetMaxOpenConns(40)
	clk := clock.NewFake(time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC))
	st := store.New(db, clk, domain.DefaultPolicy())
	ctx := context.Background()
	in := domain.OpenInput{MemberID: "m-1", UnitID: "unit-1", InjuredAt: clk.Now().Add(-time.Hour), Place: "路口",
		Description: "执勤受伤", Hospital: "县医院", Severity: domain.SeveritySerious}
	meta := store.Meta{Actor: domain.Actor{UserID: "u-1", MemberID: "m-2", Roles: []roles.Role{roles.Officer}}}
	opener := store.NewBatchOpener(st, 0, 0)
	octx, stop := context.WithCancel(ctx)
	stopped := make(chan struct{})
	go func() { defer close(stopped); _ = opener.Run(octx) }()
	b.ResetTimer()
	wall, lat := runConcurrent(b, b.N, func() error {
		_, err := commands.New(st, opener).Open(ctx, meta, store.OpenRequest{Injured: []domain.OpenInput{in}})
		return err
	})
	stop()
	<-stopped
	directWall, directLat := runConcurrent(b, b.N, func() error {
		_, err := commands.New(st, nil).Open(ctx, meta, store.OpenRequest{Injured: []domain.OpenInput{in}})
		return err
	})
	var mu sync.Mutex
	var seq int64
	rawWall, rawLat := runConcurrent(b, b.N, func() error {
		mu.Lock()
		seq++
		n := seq
		mu.Unlock()
		return rawOpen(ctx, db, n, clk.Now())
	})
	b.StopTimer()
	tput := float64(b.N) / wall.Seconds()
	raw := float64(b.N) / rawWall.Seconds()
	b.ReportMetric(tput, "opens/s")
	b.ReportMetric(float64(b.N)/directWall.Seconds(), "unbatched/s")
	b.ReportMetric(float64(p99(directLat).Microseconds())/1000, "unbatched-p99-ms")
	b.ReportMetric(raw, "raw/s")
	b.ReportMetric(tput/raw, "ratio")
	b.ReportMetric(float64(p99(lat).Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(p99(rawLat).Microseconds())/1000, "raw-p99-ms")
}

// BenchmarkSweep measures one sweep over 100,000 open clocks of which 1,000
// are due. Run once: -bench Sweep -benchtime 1x.
func BenchmarkSweep(b *testing.B) {
	db := pgtest.New(b, store.Migrations())
	now := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
	clk := clock.NewFake(now)
	st := store.New(db, clk, domain.DefaultPolicy())
	ctx := context.Background()
	const cases, due = 25000, 1000
	if _, err := db.Exec(`INSERT INTO incidents (id, unit_id, occurred_at, place, description, created_by, created_at)
		VALUES ('00000000-0000-0000-0000-000000000001', 'unit-1', $1, 'p', 'd', 'u', $1)`, now); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO cases (id, number, incident_id, member_id, unit_id, reporter_user_id, injured_at, injury_date,
			place, description, severity, state, opened_at, coverage_status, updated_at)
		SELECT gen_random_uuid(), 'GC-2026-' || lpad(i::text, 6, '0'), '00000000-0000-0000-0000-000000000001', 'm-' || i, 'unit-1', 'u',
			$1::timestamptz, ($1::timestamptz)::date, 'p', 'd', 'serious', 'triage', $1::timestamptz, 'pending', $1::timestamptz
		FROM generate_series(1, $2::int) AS i`, now, cases); err != nil {
		b.Fatal(err)
	}
	// Four clocks per case; the first `due` acknowledgement clocks are past due.
	if _, err := db.Exec(`INSERT INTO sla_clocks (case_id, kind, started_at, due_at, amber_at, committee_after, level, next_fire_at)
		SELECT c.id, k, $1::timestamptz - interval '2 hours', d, d, interval '1 hour', 0, d
		FROM (SELECT id, row_number() OVER (ORDER BY number) AS n FROM cases) c
		CROSS JOIN unnest(ARRAY['acknowledgement', 'handoff', 'unit_filing', 'member_filing']) AS k
		CROSS JOIN LATERAL (SELECT CASE WHEN k = 'acknowledgement' AND c.n <= $2::int THEN $1::timestamptz - interval '1 minute'
			ELSE $1::timestamptz + interval '30 days' END AS d) x`, now, due); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(`ANALYZE sla_clocks; ANALYZE cases`); err != nil {
		b.Fatal(err)
	}
	var open int
	if err := db.Get(&open, `SELECT count(*) FROM sla_clocks WHERE stopped_at IS NULL`); err != nil || open != 4*cases {
		b.Fatalf("open clocks = %d, %v", open, err)
	}
	b.ResetTimer()
	var fired, idle time.Duration
	for range b.N {
		t0 := time.Now()
		got, err := st.SweepOnce(ctx, due, commands.Swept)
		fired = time.Since(t0)
		if err != nil || len(got) != due {
			b.Fatalf("sweep escalated %d, %v", len(got), err)
		}
		t0 = time.Now()
		if got, err := st.SweepOnce(ctx, due, commands.Swept); err != nil || len(got) != 0 {
			b.Fatalf("idle sweep = %d, %v", len(got), err)
		}
		idle = time.Since(t0)
		b.StopTimer()
		if _, err := db.Exec(`UPDATE sla_clocks SET level = 0, next_fire_at = due_at WHERE level > 0`); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(fired.Microseconds())/1000, "sweep-1000-due-ms")
	b.ReportMetric(float64(idle.Microseconds())/1000, "idle-sweep-ms")
}
