package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/injury/internal/commands"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

// ambers returns the case.sla_amber payloads of the case for one clock,
// oldest first.
func ambers(t *testing.T, f fixture, caseID string, kind domain.ClockKind) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, p := range outboxData(t, f, caseID, "case.sla_amber") {
		if p["clock"] == string(kind) {
			out = append(out, p)
		}
	}
	return out
}

// sweep runs one sweep and returns its amber notices.
func sweep(t *testing.T, f fixture) []store.Escalation {
	t.Helper()
	got, err := f.st.SweepOnce(context.Background(), 100, commands.Swept)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Escalation
	for _, e := range got {
		if e.Amber {
			out = append(out, e)
		}
	}
	return out
}

// step applies one command to the case as the caseworker.
func step(t *testing.T, f fixture, caseID string, cmd domain.Command) *domain.Case {
	t.Helper()
	c, err := commands.New(f.st, nil).Update(context.Background(), store.Meta{Actor: caseworker}, caseID, 0, nil,
		func(c *domain.Case, now time.Time) (domain.Change, error) {
			return c.Apply(cmd, caseworker, now, f.st.Policy())
		})
	if err != nil {
		t.Fatalf("%s: %v", cmd.Action(), err)
	}
	return c
}

func clockOf(t *testing.T, c *domain.Case, kind domain.ClockKind) domain.SLAClock {
	t.Helper()
	k := c.Clock(kind)
	if k == nil {
		t.Fatalf("case %s has no running %s clock", c.Number, kind)
	}
	return *k
}

// A critical case's acknowledgement clock (15 minutes) turns amber after
// 12 on the injected clock: the sweep tells of it then, once, with what
// notify needs; not a minute before; not again on the next sweeps; and the
// breach after it is an escalation, not a second amber notice.
func TestTheSweeperWarnsOnceAtAmber(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.open(t, domain.SeverityCritical, "m-1")[0]
	ack := clockOf(t, c, domain.ClockAcknowledgement)
	if want := start.Add(12 * time.Minute); !ack.AmberAt.Equal(want) {
		t.Fatalf("amber point %s, want %s", ack.AmberAt, want)
	}
	f.clk.Set(ack.AmberAt.Add(-time.Second))
	if got := sweep(t, f); len(got) != 0 {
		t.Fatalf("a second before amber: %+v", got)
	}
	f.clk.Set(ack.AmberAt)
	got := sweep(t, f)
	if len(got) != 1 || got[0].CaseID != c.ID || got[0].Clock != domain.ClockAcknowledgement || got[0].Level != domain.LevelNone {
		t.Fatalf("sweep at amber = %+v", got)
	}
	ps := ambers(t, f, c.ID, domain.ClockAcknowledgement)
	if len(ps) != 1 {
		t.Fatalf("amber events = %v", ps)
	}
	p := ps[0]
	for field, want := range map[string]any{"case_id": c.ID, "number": c.Number, "member_id": "m-1", "unit_id": "unit-1",
		"severity": "critical", "clock": "acknowledgement", "level": "none",
		"amber_at": ack.AmberAt.Format(time.RFC3339), "due_at": ack.DueAt.Format(time.RFC3339),
		"warned_at": ack.AmberAt.Format(time.RFC3339)} {
		if p[field] != want {
			t.Errorf("%s = %v, want %v", field, p[field], want)
		}
	}
	if _, ok := p["in_charge_user_id"]; ok {
		t.Errorf("nobody took the case, yet the notice names %v", p["in_charge_user_id"])
	}
	for _, d := range []time.Duration{time.Minute, 2 * time.Minute} {
		f.clk.Set(ack.AmberAt.Add(d))
		if got := sweep(t, f); len(got) != 0 {
			t.Fatalf("amber told again %s later: %+v", d, got)
		}
	}
	f.clk.Set(ack.DueAt)
	if got := sweep(t, f); len(got) != 0 {
		t.Fatalf("amber told again at the deadline: %+v", got)
	}
	if n := len(outboxData(t, f, c.ID, "case.escalated")); n != 1 {
		t.Errorf("escalations at the deadline = %d, want 1", n)
	}
	if n := len(ambers(t, f, c.ID, domain.ClockAcknowledgement)); n != 1 {
		t.Errorf("amber events = %d, want 1", n)
	}
}

// The caseworker who took the case is named, for notify to tell them
// rather than the whole unit.
func TestTheAmberNoticeNamesTheCaseworkerInCharge(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.open(t, domain.SeveritySerious, "m-1")[0]
	c = step(t, f, c.ID, domain.Acknowledge{Phone: "13800138000"})
	f.clk.Set(clockOf(t, c, domain.ClockHandoff).AmberAt)
	if got := sweep(t, f); len(got) != 1 || got[0].Clock != domain.ClockHandoff {
		t.Fatalf("sweep at the hand-off's amber point = %+v", got)
	}
	ps := ambers(t, f, c.ID, domain.ClockHandoff)
	if len(ps) != 1 || ps[0]["in_charge_user_id"] != caseworker.UserID || ps[0]["severity"] != "serious" {
		t.Fatalf("amber events = %v", ps)
	}
}

// Replicas sweeping at once, and a replica started afresh after them,
// tell of each amber point once.
func TestSweepersAtOnceWarnOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ids := make([]string, 0, 12)
	for range 3 {
		for _, c := range f.open(t, domain.SeverityCritical, "m-1", "m-2", "m-3", "m-4") {
			ids = append(ids, c.ID)
		}
	}
	f.clk.Advance(12 * time.Minute)
	var wg sync.WaitGroup
	results := make([][]store.Escalation, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A batch smaller than the due clocks, so the sweeps overlap.
			r, err := f.st.SweepOnce(ctx, 5, commands.Swept)
			if err != nil {
				t.Error(err)
			}
			results[i] = r
		}()
	}
	wg.Wait()
	for range 3 { // what the replicas left, by one of them
		if _, err := f.st.SweepOnce(ctx, 100, commands.Swept); err != nil {
			t.Fatal(err)
		}
	}
	restarted := store.New(f.db, clock.NewFake(f.clk.Now().Add(time.Second)), domain.DefaultPolicy())
	if got, err := restarted.SweepOnce(ctx, 100, commands.Swept); err != nil || len(got) != 0 {
		t.Fatalf("a restarted sweeper = %+v, %v", got, err)
	}
	told := 0
	for _, r := range results {
		told += len(r)
	}
	if told > len(ids) {
		t.Errorf("the concurrent sweeps told %d times of %d clocks", told, len(ids))
	}
	for _, id := range ids {
		if n := len(ambers(t, f, id, domain.ClockAcknowledgement)); n != 1 {
			t.Errorf("case %s: %d amber events, want 1", id, n)
		}
	}
	if n := count(t, f.db, `SELECT count(*) FROM outbox WHERE type = 'case.sla_amber'`); n != len(ids) {
		t.Errorf("amber events = %d, want %d", n, len(ids))
	}
}

// toDecision takes a case to the decision clock (15 days, clear facts)
// started today.
func toDecision(t *testing.T, f fixture, caseID string) *domain.Case {
	t.Helper()
	today := f.clk.Now()
	step(t, f, caseID, domain.ConfirmHandoff{Hospital: "县人民医院"})
	step(t, f, caseID, domain.FileDetermination{FiledOn: today})
	return step(t, f, caseID, domain.AcceptFiling{AcceptedOn: today, ClearFacts: true})
}

// A paused clock never warns, however long past its amber point and its
// deadline; resumed, its deadline and amber point move by the pause, and
// it warns at the new point, not before, once.
func TestAPausedClockDoesNotWarn(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := toDecision(t, f, f.open(t, domain.SeverityMinor, "m-1")[0].ID)
	k := clockOf(t, c, domain.ClockDecision)
	f.clk.Advance(24 * time.Hour)
	step(t, f, c.ID, domain.PauseDecision{Reason: "等待法院判决"})
	for _, at := range []time.Time{k.AmberAt, k.AmberAt.Add(time.Hour), k.DueAt.Add(24 * time.Hour)} {
		f.clk.Set(at)
		sweep(t, f)
		if ps := ambers(t, f, c.ID, domain.ClockDecision); len(ps) != 0 {
			t.Fatalf("the paused clock warned at %s: %v", at, ps)
		}
	}
	if n := len(outboxData(t, f, c.ID, "case.escalated")); n != 0 {
		t.Fatalf("the paused clock escalated %d times", n)
	}
	c = step(t, f, c.ID, domain.ResumeDecision{})
	moved := clockOf(t, c, domain.ClockDecision)
	if !moved.AmberAt.After(f.clk.Now()) {
		t.Fatalf("resumed amber point %s is not ahead of now %s", moved.AmberAt, f.clk.Now())
	}
	f.clk.Set(moved.AmberAt.Add(-time.Minute))
	sweep(t, f)
	if ps := ambers(t, f, c.ID, domain.ClockDecision); len(ps) != 0 {
		t.Fatalf("warned before the moved amber point: %v", ps)
	}
	f.clk.Set(moved.AmberAt)
	sweep(t, f)
	f.clk.Advance(time.Hour)
	sweep(t, f)
	ps := ambers(t, f, c.ID, domain.ClockDecision)
	if len(ps) != 1 || ps[0]["due_at"] != moved.DueAt.Format(time.RFC3339) {
		t.Fatalf("after the resume: %v, want one notice due %s", ps, moved.DueAt)
	}
}

// A clock told of at amber is not told of again when another step saves
// the case; when its deadline moves (the grading's 30-day extension) it is
// told of again at its new amber point: once, and not before it.
func TestAMovedDeadlineWarnsAgainOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := toDecision(t, f, f.open(t, domain.SeveritySerious, "m-1")[0].ID)
	today := f.clk.Now()
	step(t, f, c.ID, domain.Decide{DecidedOn: today, Outcome: domain.OutcomeRecognised, Clause: 1})
	c = step(t, f, c.ID, domain.RequestGrading{AppliedOn: today})
	k := clockOf(t, c, domain.ClockGrading)
	f.clk.Set(k.AmberAt)
	sweep(t, f)
	if ps := ambers(t, f, c.ID, domain.ClockGrading); len(ps) != 1 {
		t.Fatalf("at the first amber point: %v", ps)
	}
	// Another step on the case saves its clocks: the amber point told
	// of stays told of.
	step(t, f, c.ID, domain.RecordGuarantee{Hospital: "县人民医院", Amount: 100})
	f.clk.Advance(time.Hour)
	sweep(t, f)
	if ps := ambers(t, f, c.ID, domain.ClockGrading); len(ps) != 1 {
		t.Fatalf("after another step on the case: %v", ps)
	}
	c = step(t, f, c.ID, domain.ExtendGrading{})
	moved := clockOf(t, c, domain.ClockGrading)
	if !moved.AmberAt.Equal(k.AmberAt.AddDate(0, 0, domain.GradingExtensionDays)) {
		t.Fatalf("extended amber point %s", moved.AmberAt)
	}
	for _, at := range []time.Time{k.DueAt, moved.AmberAt.Add(-time.Minute)} {
		f.clk.Set(at)
		sweep(t, f)
		if ps := ambers(t, f, c.ID, domain.ClockGrading); len(ps) != 1 {
			t.Fatalf("at %s, before the new amber point: %v", at, ps)
		}
	}
	for _, at := range []time.Time{moved.AmberAt, moved.AmberAt.Add(time.Minute), moved.AmberAt.Add(24 * time.Hour)} {
		f.clk.Set(at)
		sweep(t, f)
	}
	ps := ambers(t, f, c.ID, domain.ClockGrading)
	if len(ps) != 2 || ps[1]["due_at"] != moved.DueAt.Format(time.RFC3339) || ps[0]["due_at"] != k.DueAt.Format(time.RFC3339) {
		t.Fatalf("after the extension: %v, want a second notice due %s", ps, moved.DueAt)
	}
	if n := len(outboxData(t, f, c.ID, "case.escalated")); n != 0 {
		t.Errorf("the extended clock escalated %d times before its deadline", n)
	}
}

// The sweep stays one range of the due index however many clocks there
// are, amber points included.
func TestTheSweepIsOneIndexedQuery(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const cases = 4000
	if _, err := f.db.Exec(`INSERT INTO incidents (id, unit_id, occurred_at, place, description, created_by, created_at)
		VALUES ('00000000-0000-0000-0000-000000000001', 'unit-1', $1, 'p', 'd', 'u', $1)`, start); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Exec(`INSERT INTO cases (id, number, incident_id, member_id, unit_id, reporter_user_id, injured_at, injury_date,
			place, description, severity, state, opened_at, coverage_status, updated_at)
		SELECT gen_random_uuid(), 'GC-2026-' || lpad(i::text, 6, '0'), '00000000-0000-0000-0000-000000000001', 'm-' || i, 'unit-1', 'u',
			$1::timestamptz, ($1::timestamptz)::date, 'p', 'd', 'serious', 'triage', $1::timestamptz, 'pending', $1::timestamptz
		FROM generate_series(1, $2::int) AS i`, start, cases); err != nil {
		t.Fatal(err)
	}
	// Four clocks a case, amber 6 days before a deadline 30 days on; a
	// few dozen at their amber point now.
	if _, err := f.db.Exec(`INSERT INTO sla_clocks (case_id, kind, started_at, due_at, amber_at, committee_after, level, next_fire_at)
		SELECT c.id, k, $1::timestamptz, x.due, x.due - interval '6 days', interval '3 days', 0, x.due - interval '6 days'
		FROM (SELECT id, row_number() OVER (ORDER BY number) AS n FROM cases) c
		CROSS JOIN unnest(ARRAY['acknowledgement', 'handoff', 'unit_filing', 'member_filing']) AS k
		CROSS JOIN LATERAL (SELECT CASE WHEN k = 'unit_filing' AND c.n <= 40 THEN $1::timestamptz + interval '5 days'
			ELSE $1::timestamptz + interval '30 days' END AS due) x`, start); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Exec(`ANALYZE sla_clocks; ANALYZE cases`); err != nil {
		t.Fatal(err)
	}
	pgtest.AssertIndexed(t, f.db, "sla sweep claim", store.SweepClaimSQL, start, 1000)
	if got := sweep(t, f); len(got) != 40 {
		t.Errorf("amber notices = %d, want 40", len(got))
	}
}
