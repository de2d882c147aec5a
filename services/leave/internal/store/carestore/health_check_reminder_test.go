package carestore_test

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// notices returns the health-check events in the outbox, as
// "type member deadline as_of", sorted.
func (f *fixture) notices(t *testing.T) []string {
	t.Helper()
	var rows []string
	if err := f.db.Select(&rows, `SELECT type || ' ' || subject_id || ' ' || (convert_from(envelope, 'UTF8')::jsonb->'data'->>'deadline')
		|| ' ' || (convert_from(envelope, 'UTF8')::jsonb->'data'->>'as_of')
		FROM outbox WHERE type LIKE 'healthcheck.%' ORDER BY 1`); err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestHealthCheckRemindersBeforeAndAfterTheDeadline (issue 16): a member
// with nothing done or booked is reminded once a day while their unit's
// round closes within domain.ReminderWindowDays days, and told it is
// overdue after; a booked member, a member whose deadline is further off
// and a member of a unit without a round (nothing to book) get no
// reminder. Running the job twice a day sends nothing more.
func TestHealthCheckRemindersBeforeAndAfterTheDeadline(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	for id, unit := range map[string]string{"m1": "u1", "m2": "u1", "m3": "u2", "m4": "u3"} {
		f.member(t, id, unit, domain.CategoryPolice, "2010-01-01")
	}
	late, err := f.cmd.CreateRound(ctx, domain.Round{UnitID: "u1", Year: 2026, Opens: d("2026-03-01"), Closes: d("2026-04-30")}, "cw")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.cmd.CreateRound(ctx, domain.Round{UnitID: "u2", Year: 2026, Opens: d("2026-03-01"), Closes: d("2026-03-20")}, "cw"); err != nil {
		t.Fatal(err)
	}
	slot, err := f.cmd.AddSlot(ctx, late.ID, domain.Slot{StartsAt: time.Date(2026, 4, 20, 0, 30, 0, 0, time.UTC), Capacity: 5}, "cw")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.cmd.BookCheck(ctx, slot.ID, "m2", "m2"); err != nil {
		t.Fatal(err)
	}
	run := func(want int) {
		t.Helper()
		for i := range 2 { // the second run of the day (or another replica) sends nothing
			n, err := f.cmd.SendReminders(ctx, 2026, "system")
			if err != nil {
				t.Fatal(err)
			}
			if i == 1 {
				want = 0
			}
			if n != want {
				t.Fatalf("run %d sent %d, want %d", i+1, n, want)
			}
		}
	}

	// 1 March: u2 closes in 19 days, u1 in 60.
	run(1)
	want := []string{"healthcheck.reminder m3 2026-03-20 2026-03-01"}
	if got := f.notices(t); !slices.Equal(got, want) {
		t.Fatalf("on 1 March: %q, want %q", got, want)
	}

	// 2 March: m3 is reminded again, once.
	f.clk.Set(time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC))
	run(1)
	want = append(want, "healthcheck.reminder m3 2026-03-20 2026-03-02")

	// 5 April: u1 closes in 25 days, u2 has closed: m1 is reminded, m3 is
	// overdue, m2 (booked) and m4 (no round) are told nothing.
	f.clk.Set(time.Date(2026, 4, 5, 2, 0, 0, 0, time.UTC))
	run(2)
	want = append(want, "healthcheck.overdue m3 2026-03-20 2026-04-05", "healthcheck.reminder m1 2026-04-30 2026-04-05")
	slices.Sort(want)
	if got := f.notices(t); !slices.Equal(got, want) {
		t.Fatalf("by 5 April: %q, want %q", got, want)
	}
	var rows []struct {
		MemberID string `db:"member_id"`
		N        int    `db:"n"`
	}
	if err := f.db.Select(&rows, `SELECT member_id, count(*) AS n FROM health_check_reminders GROUP BY member_id`); err != nil {
		t.Fatal(err)
	}
	days := map[string]int{}
	for _, r := range rows {
		days[r.MemberID] = r.N
	}
	if !maps.Equal(days, map[string]int{"m1": 1, "m3": 3}) {
		t.Fatalf("reminder records per member %v, want m1 1 and m3 3", days)
	}
}
