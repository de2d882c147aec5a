package store_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
	"github.com/anxin-welfare/anxin/services/leave/internal/store"
)

// TestSeedScaleLeave seeds a small province's leave and checks it with the
// service's own reads: each balance the service shows equals its ledger's
// sum and is never negative, every closed year has its closing and no
// days left, live requests never overlap, stays and health-check slots
// hold no more than their capacity and their counters match the
// bookings, a member can still ask for leave, and a second seed is
// refused.
func TestSeedScaleLeave(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	f.clk.Set(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC))
	var members []store.ScaleMember
	for i := range 120 {
		members = append(members, store.ScaleMember{ID: fmt.Sprintf("m-%03d", i), UnitID: fmt.Sprintf("unit-%d", i%5), Name: fmt.Sprintf("成员%d", i),
			Category: []string{"police", "auxiliary_police", "judge", "civil_servant"}[i%4], Frontline: i%3 == 0, Active: i%15 != 0,
			WorkStart: time.Date(1990+i%30, 7, 1, 0, 0, 0, 0, time.UTC), JoinedOn: time.Date(1990+i%30, 7, 1, 0, 0, 0, 0, time.UTC), Version: 1})
	}
	n, err := f.s.SeedScale(ctx, store.ScaleSize{Years: 5}, members, 12)
	if err != nil {
		t.Fatal(err)
	}
	if n.Members != 120 || n.YearClosings != 112*4 || n.Requests == 0 || n.Decisions == 0 || n.Sessions != 24*5 || n.Bookings == 0 ||
		n.Rounds != 25 || n.CheckBookings == 0 {
		t.Fatalf("counts = %+v", n)
	}
	q := func(sql string, args ...any) int {
		t.Helper()
		var v int
		if err := f.db.Get(&v, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return v
	}
	// The reporting tables hold what rebuilding them from the rows gives,
	// and their triggers are on again for the service's own writes.
	tables := []string{"report_leave_member", "report_leave_year", "report_health_year", "report_unit_members"}
	kept := pgtest.Rows(t, f.db, tables...)
	for _, table := range tables {
		if len(kept[table]) == 0 {
			t.Errorf("%s is empty after the seed", table)
		}
	}
	if _, err := f.db.Exec(`SELECT leave_reports_rebuild()`); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(pgtest.Rows(t, f.db, tables...), kept) {
		t.Errorf("the seed's reporting tables differ from a rebuild")
	}
	if off := pgtest.DisabledTriggers(t, f.db); len(off) != 0 {
		t.Errorf("triggers left disabled: %v", off)
	}
	// The balance the service shows is the ledger's sum.
	for _, m := range []string{"m-001", "m-044", "m-119"} {
		for _, y := range []int{2022, 2025, 2026} {
			b, err := f.s.Balance(ctx, m, y)
			if err != nil {
				t.Fatal(err)
			}
			sum := q(`SELECT coalesce(sum(days), 0) FROM ledger_entries WHERE member_id = $1 AND year = $2`, m, y)
			if b.Balance.Days != sum {
				t.Errorf("%s %d: balance %d, ledger sum %d", m, y, b.Balance.Days, sum)
			}
			if y < 2026 && (b.Balance.Days != 0 || b.Balance.Accrued == 0 && b.Balance.Taken > 0) {
				t.Errorf("%s %d closed with %+v", m, y, b.Balance)
			}
		}
	}
	for name, sql := range map[string]string{
		"negative balances": `SELECT count(*) FROM (SELECT member_id, year FROM ledger_entries GROUP BY member_id, year HAVING sum(days) < 0) x`,
		"closed years with days left or no closing": `SELECT count(*) FROM (SELECT member_id, year FROM ledger_entries WHERE year < 2026
			GROUP BY member_id, year HAVING sum(days) <> 0 OR NOT EXISTS (SELECT 1 FROM year_closings c
			WHERE c.member_id = ledger_entries.member_id AND c.year = ledger_entries.year)) x`,
		"approved requests without their taking": `SELECT count(*) FROM leave_requests r WHERE status = 'approved'
			AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.request_id = r.id AND e.kind = 'taking' AND e.days = -r.days)`,
		"stays whose counter is not their bookings": `SELECT count(*) FROM recuperation_sessions s WHERE booked <>
			(SELECT count(*) FROM recuperation_bookings b WHERE b.session_id = s.id AND b.status = 'confirmed')`,
		"quotas whose use is not their bookings": `SELECT count(*) FROM recuperation_quotas q WHERE used <>
			(SELECT count(*) FROM recuperation_bookings b WHERE b.unit_id = q.unit_id AND b.year = q.year AND b.status = 'confirmed')`,
		"slots whose counter is not their bookings": `SELECT count(*) FROM health_check_slots s WHERE booked <>
			(SELECT count(*) FROM health_check_bookings b WHERE b.slot_id = s.id AND b.status <> 'cancelled')`,
		"active members without a check this year": `SELECT count(*) FROM members m WHERE status = 'active'
			AND NOT EXISTS (SELECT 1 FROM health_check_bookings b WHERE b.member_id = m.member_id AND b.year = 2026)`,
	} {
		if got := q(sql); got != 0 {
			t.Errorf("%s: %d", name, got)
		}
	}
	if q(`SELECT count(*) FROM recuperation_bookings WHERE status = 'waitlisted'`) == 0 {
		t.Error("no stay has a waiting list")
	}
	if q(`SELECT count(*) FROM leave_requests WHERE provisional_calendar`) == 0 || q(`SELECT count(*) FROM leave_requests WHERE NOT provisional_calendar`) == 0 {
		t.Error("want requests counted both on the official 2026 calendar and on provisional ones")
	}

	// The sealed results open with the service's key.
	var check string
	if err := f.db.Get(&check, `SELECT id FROM health_check_bookings WHERE status = 'completed' LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.care.CheckResult(ctx, check, "u-medic"); err != nil {
		t.Errorf("a seeded result does not open: %v", err)
	}

	// A member with days left asks for two more; the service counts them
	// against the seeded balance.
	var asker string
	if err := f.db.Get(&asker, `SELECT e.member_id FROM ledger_entries e WHERE e.year = 2026
		AND NOT EXISTS (SELECT 1 FROM leave_requests r WHERE r.member_id = e.member_id AND r.to_date >= date '2026-12-14')
		GROUP BY e.member_id HAVING sum(e.days) - coalesce((SELECT sum(days) FROM leave_requests r WHERE r.member_id = e.member_id
			AND r.status IN ('pending', 'pending_second') AND r.from_date >= date '2026-01-01'), 0) >= 2 ORDER BY e.member_id LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.cmd.Apply(ctx, asker, domain.ApplyInput{From: d("2026-12-14"), To: d("2026-12-15")}, asker); err != nil {
		t.Errorf("a request after the seed: %v", err)
	}

	if _, err := f.s.SeedScale(ctx, store.ScaleSize{Years: 1}, members, 12); err == nil {
		t.Error("a second seed into a filled schema was accepted")
	}
	if got := q(`SELECT count(*) FROM leave_requests`); got != n.Requests+1 {
		t.Errorf("after the refused second seed: %d requests, want %d", got, n.Requests)
	}
}

// TestSeedScaleLeaveBatches: writing the annual leave a few members at a
// time (to bound memory) writes the same province as one batch does, row
// for row.
func TestSeedScaleLeaveBatches(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var members []store.ScaleMember
	for i := range 40 {
		members = append(members, store.ScaleMember{ID: fmt.Sprintf("m-%03d", i), UnitID: fmt.Sprintf("unit-%d", i%3), Name: fmt.Sprintf("成员%d", i),
			Category: []string{"police", "judge"}[i%2], Frontline: i%3 == 0, Active: i%9 != 0,
			WorkStart: time.Date(1995+i%20, 7, 1, 0, 0, 0, 0, time.UTC), JoinedOn: time.Date(1995+i%20, 7, 1, 0, 0, 0, 0, time.UTC), Version: 1})
	}
	digest := func(batch int) (store.ScaleCounts, []string) {
		f := newFixture(t)
		f.clk.Set(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC))
		n, err := f.s.SeedScale(ctx, store.ScaleSize{Years: 3, Batch: batch}, members, 5)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, q := range []string{
			`SELECT md5(string_agg(concat_ws('|', member_id, year, kind, days, effective_on, request_id, created_by, created_at), ',' ORDER BY member_id, year, created_at, kind, days)) FROM ledger_entries`,
			`SELECT md5(string_agg(concat_ws('|', id, member_id, from_date, to_date, days, status, version), ',' ORDER BY id)) FROM leave_requests`,
			`SELECT md5(string_agg(concat_ws('|', request_id, level, actor, outcome, decided_at), ',' ORDER BY request_id, level)) FROM leave_decisions`,
			`SELECT md5(string_agg(concat_ws('|', member_id, year, expired, closed_at), ',' ORDER BY member_id, year)) FROM year_closings`,
		} {
			var s string
			if err := f.db.Get(&s, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			out = append(out, s)
		}
		return n, out
	}
	whole, wholeRows := digest(0)
	batched, batchedRows := digest(7)
	if whole != batched || whole.Requests == 0 || whole.LedgerEntries == 0 || whole.YearClosings == 0 {
		t.Errorf("in batches of 7: %+v; in one batch: %+v", batched, whole)
	}
	for i := range wholeRows {
		if wholeRows[i] != batchedRows[i] {
			t.Errorf("table %d differs: %s in batches, %s in one", i, batchedRows[i], wholeRows[i])
		}
	}
}
