package store_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/pkg/roles"
	"github.com/anxin-welfare/anxin/services/injury/internal/commands"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

// scaleRoster is a small registry as enrollment's scale seed would hand it
// over: members of three units, a plan per scheme for the last two years.
func scaleRoster(now time.Time) ([]store.ScaleMember, []store.ScalePlan) {
	var ms []store.ScaleMember
	for i := range 60 {
		ms = append(ms, store.ScaleMember{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), UnitID: fmt.Sprintf("unit-%d", i%3),
			Name: fmt.Sprintf("成员%d", i), Category: []string{"police", "auxiliary_police", "judge"}[i%3],
			BirthDate: time.Date(1970+i%30, 3, 1, 0, 0, 0, 0, time.UTC), HireDate: time.Date(1995+i%25, 7, 1, 0, 0, 0, 0, time.UTC),
			Active: i%10 != 0, Version: 1})
	}
	y := clock.Local(now).Year()
	return ms, []store.ScalePlan{{ID: "p1", Scheme: "work_injury", Year: y - 1}, {ID: "p2", Scheme: "personal_accident", Year: y - 1},
		{ID: "p3", Scheme: "work_injury", Year: y}, {ID: "p4", Scheme: "personal_accident", Year: y}}
}

// TestSeedScaleInjury seeds a small province and checks that the service
// reads it as its own: numbering goes on from the seed, open cases have
// their clocks running into the future with the queue's columns filled
// from them, closed cases have no running clock but injury leave, the
// list pages by its index, and a second seed is refused.
func TestSeedScaleInjury(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	now := f.clk.Now()
	members, plans := scaleRoster(now)
	n, err := f.st.SeedScale(ctx, store.ScaleSize{Cases: 3000, Years: 3}, members, plans, 12)
	if err != nil {
		t.Fatal(err)
	}
	if n.Cases != 3000 || n.Members != 60 || n.OpenCases == 0 || n.OpenCases == n.Cases || n.Clocks < 4*n.Cases || n.Timeline < 2*n.Cases {
		t.Fatalf("counts = %+v", n)
	}
	// The reporting tables hold what rebuilding them from the rows gives,
	// and their triggers are on again for the service's own writes.
	tables := []string{"report_cases_month", "report_durations_month", "report_sla_month", "report_escalations_month", "report_open_stage"}
	kept := pgtest.Rows(t, f.db, tables...)
	for _, table := range tables {
		if len(kept[table]) == 0 && table != "report_escalations_month" { // the seed's histories escalate nothing
			t.Errorf("%s is empty after the seed", table)
		}
	}
	if err := f.st.RebuildReports(ctx); err != nil {
		t.Fatal(err)
	}
	if rebuilt := pgtest.Rows(t, f.db, tables...); !reflect.DeepEqual(rebuilt, kept) {
		t.Errorf("the seed's reporting tables differ from a rebuild:\n%v\nrebuilt:\n%v", kept, rebuilt)
	}
	if off := pgtest.DisabledTriggers(t, f.db); len(off) != 0 {
		t.Errorf("triggers left disabled: %v", off)
	}
	if got := count(t, f.db, `SELECT count(*) FROM cases WHERE state <> 'closed'`); got != n.OpenCases {
		t.Errorf("%d open cases in the table, the seed says %d", got, n.OpenCases)
	}
	// Every open case's running clocks are due after now, and the queue's
	// stored clock is the running one due first.
	if got := count(t, f.db, `SELECT count(*) FROM sla_clocks k JOIN cases c ON c.id = k.case_id
		WHERE c.state <> 'closed' AND k.stopped_at IS NULL AND k.paused_at IS NULL AND k.due_at <= $1`, now); got != 0 {
		t.Errorf("%d running clocks of open cases are already overdue", got)
	}
	// Nothing is due for the sweeper: an amber point the seeded history
	// passed counts as told of, so the first sweep tells nobody of the past.
	if got := count(t, f.db, `SELECT count(*) FROM sla_clocks WHERE next_fire_at <= $1`, now); got != 0 {
		t.Errorf("%d clocks due for the sweeper at the seed's now", got)
	}
	if got := count(t, f.db, `SELECT count(*) FROM sla_clocks WHERE stopped_at IS NULL AND amber_warned IS NOT NULL`); got == 0 {
		t.Error("no running clock of the seed is past its amber point: the check above proves nothing")
	}
	if got := count(t, f.db, `SELECT count(*) FROM cases c WHERE c.due_at IS DISTINCT FROM (SELECT k.due_at FROM sla_clocks k
		WHERE k.case_id = c.id AND k.stopped_at IS NULL AND k.paused_at IS NULL ORDER BY k.due_at, k.id LIMIT 1)`); got != 0 {
		t.Errorf("%d cases whose queue clock is not their first running clock", got)
	}
	if got := count(t, f.db, `SELECT count(*) FROM cases WHERE state <> 'closed' AND state <> 'triage' AND in_charge_user_id = ''`); got != 0 {
		t.Errorf("%d cases past triage with nobody in charge", got)
	}
	if got := count(t, f.db, `SELECT count(*) FROM sla_clocks k JOIN cases c ON c.id = k.case_id
		WHERE c.state = 'closed' AND k.stopped_at IS NULL AND k.kind <> 'injury_leave'`); got != 0 {
		t.Errorf("%d running clocks on closed cases", got)
	}
	// Each case has its opening line first.
	if got := count(t, f.db, `SELECT count(*) FROM cases c WHERE (SELECT kind FROM timeline t WHERE t.case_id = c.id ORDER BY id LIMIT 1) <> 'opened'`); got != 0 {
		t.Errorf("%d cases whose timeline does not start with the opening", got)
	}
	// A seeded case loads, and its next step works.
	var id string
	if err := f.db.Get(&id, `SELECT id FROM cases WHERE state = 'treatment' ORDER BY opened_at DESC LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	c, err := f.st.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	staff := domain.Actor{UserID: "u-cw", Roles: []roles.Role{roles.Caseworker}, Units: []string{c.UnitID}}
	if _, err := commands.New(f.st, nil).Update(ctx, store.Meta{Actor: staff}, id, c.Version, nil, func(c *domain.Case, now time.Time) (domain.Change, error) {
		return c.Apply(domain.FileDetermination{FiledOn: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)}, staff, now, domain.DefaultPolicy())
	}); err != nil {
		t.Errorf("filing a seeded case in treatment: %v", err)
	}

	// The next filing gets the next number of this year's sequence.
	year := clock.Local(now).Year()
	var last string
	if err := f.db.Get(&last, `SELECT max(number) FROM cases WHERE number LIKE $1`, fmt.Sprintf("GC-%d-%%", year)); err != nil {
		t.Fatal(err)
	}
	var seq int
	if _, err := fmt.Sscanf(last, fmt.Sprintf("GC-%d-%%d", year), &seq); err != nil {
		t.Fatal(err)
	}
	cs := f.open(t, domain.SeverityMinor, members[1].ID)
	if want := fmt.Sprintf("GC-%d-%06d", year, seq+1); cs[0].Number != want {
		t.Errorf("the first filing after the seed is %s, want %s", cs[0].Number, want)
	}

	// The unit's list pages through the seeded cases.
	got, next, err := f.st.List(ctx, store.ListFilter{Units: []string{"unit-1"}, Status: store.ListOpen, Sort: store.SortDue, Page: page.Request{Limit: 20}})
	if err != nil || len(got) == 0 || next == "" {
		t.Errorf("the unit's open queue: %d cases, next %q, err %v", len(got), next, err)
	}

	if _, err := f.st.SeedScale(ctx, store.ScaleSize{Cases: 10, Years: 1}, members, plans, 12); err == nil {
		t.Error("a second seed into a filled schema was accepted")
	}
	if got := count(t, f.db, `SELECT count(*) FROM cases`); got != 3001 {
		t.Errorf("after the refused second seed: %d cases, want 3001", got)
	}
}
