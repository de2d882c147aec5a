package store_test

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/injury/internal/commands"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

// migrationsBefore is the injury migration set without the files from
// version on: the schema as a deployment had it before.
func migrationsBefore(t *testing.T, version string) pg.MigrationSet {
	t.Helper()
	all := store.Migrations()
	files := fstest.MapFS{}
	err := fs.WalkDir(all.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Compare(path, version) >= 0 {
			return err
		}
		raw, err := fs.ReadFile(all.FS, path)
		files[path] = &fstest.MapFile{Data: raw}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return pg.MigrationSet{Name: all.Name, FS: files}
}

// Clocks that exist when migration 00200 arrives: one amber now, told of
// at the first sweep (nobody was told before); one amber later, told of
// then; a breached one, a paused one and an appeal window, never.
func TestTheAmberMigrationPointsRunningClocksAtTheirAmberPoint(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sch := pgtest.NewSchema(t, migrationsBefore(t, "00200"))
	db := sch.DB
	now := start
	if _, err := db.Exec(`INSERT INTO incidents (id, unit_id, occurred_at, place, description, created_by, created_at)
		VALUES ('00000000-0000-0000-0000-000000000001', 'unit-1', $1, 'p', 'd', 'u', $1)`, now); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO cases (id, number, incident_id, member_id, unit_id, reporter_user_id, injured_at, injury_date,
			place, description, severity, state, opened_at, coverage_status, updated_at)
		SELECT ('00000000-0000-0000-0000-' || lpad(i::text, 12, '0'))::uuid, 'GC-2026-' || lpad(i::text, 6, '0'), '00000000-0000-0000-0000-000000000001',
			'm-' || i, 'unit-1', 'u', $1::timestamptz, ($1::timestamptz)::date, 'p', 'd', 'serious', 'treatment', $1::timestamptz,
			'pending', $1::timestamptz
		FROM generate_series(1, 5) AS i`, now); err != nil {
		t.Fatal(err)
	}
	day := 24 * time.Hour
	caseID := func(n int) string { return fmt.Sprintf("00000000-0000-0000-0000-%012d", n) }
	clocks := []struct {
		kind       string
		due, amber time.Duration // from now
		level      int
		paused     bool
		// After the migration: what next_fire_at is (amber_at, due_at,
		// due_at + committee_after or NULL) and whether amber_warned
		// holds the amber point.
		next   string
		warned bool
	}{
		{"unit_filing", 3 * day, -day, 0, false, "amber_at", false},
		{"unit_filing", 20 * day, 14 * day, 0, false, "amber_at", false},
		{"unit_filing", -day, -7 * day, 1, false, "due_at + committee_after", true},
		{"decision", 10 * day, -day, 0, true, "NULL", false},
		{"appeal", 3 * day, -day, 0, false, "due_at", false},
	}
	for i, k := range clocks {
		// next_fire_at as the code before the migration set it.
		if _, err := db.Exec(`INSERT INTO sla_clocks (case_id, kind, started_at, due_at, amber_at, committee_after, level, paused_at, next_fire_at)
			SELECT $2::uuid, $3, $1::timestamptz - interval '30 days', d, a, interval '3 days', $6::smallint,
				CASE WHEN $7 THEN $1::timestamptz END,
				CASE WHEN $7 THEN NULL WHEN $6 = 1 THEN d + interval '3 days' ELSE d END
			FROM (SELECT $1::timestamptz + make_interval(secs => $4) AS d, $1::timestamptz + make_interval(secs => $5) AS a) x`,
			now, caseID(i+1), k.kind, k.due.Seconds(), k.amber.Seconds(), k.level, k.paused); err != nil {
			t.Fatal(err)
		}
	}
	if err := pg.Migrate(ctx, db, sch.Name, bus.Migrations(), audit.MigrationSet(), store.Migrations()); err != nil {
		t.Fatal(err)
	}
	for i, k := range clocks {
		want := "next_fire_at IS NULL"
		if k.next != "NULL" {
			want = "next_fire_at = " + k.next
		}
		warned := "amber_warned IS NULL"
		if k.warned {
			warned = "amber_warned = amber_at"
		}
		if n := count(t, db, `SELECT count(*) FROM sla_clocks WHERE case_id = $1 AND `+want+` AND `+warned, caseID(i+1)); n != 1 {
			t.Errorf("clock %d (%s): after the migration not %s and %s", i+1, k.kind, want, warned)
		}
	}
	st := store.New(db, clock.NewFake(now), domain.DefaultPolicy())
	got, err := st.SweepOnce(ctx, 100, commands.Swept)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].Amber || got[0].Number != "GC-2026-000001" {
		t.Errorf("the first sweep after the migration = %+v, want the amber notice of the clock amber now", got)
	}
}
