package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/pkg/roles"
	"github.com/anxin-welfare/anxin/services/injury/internal/commands"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/events"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

var (
	start      = time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
	caseworker = domain.Actor{UserID: "u-cw", Name: "王芳", Roles: []roles.Role{roles.Caseworker}, Units: []string{"unit-1"}}
	officer    = domain.Actor{UserID: "u-m1", MemberID: "m-1", Roles: []roles.Role{roles.Officer}}
)

type fixture struct {
	db  *sqlx.DB
	clk *clock.Fake
	st  *store.Store
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	db := pgtest.New(t, store.Migrations())
	clk := clock.NewFake(start)
	return fixture{db: db, clk: clk, st: store.New(db, clk, domain.DefaultPolicy())}
}

func (f fixture) open(t *testing.T, severity domain.Severity, memberIDs ...string) []*domain.Case {
	t.Helper()
	var req store.OpenRequest
	for _, m := range memberIDs {
		req.Injured = append(req.Injured, domain.OpenInput{MemberID: m, UnitID: "unit-1", InjuredAt: f.clk.Now().Add(-time.Hour),
			Place: "高速路口", Description: "执勤时被车撞伤", Severity: severity})
	}
	cs, err := commands.New(f.st, nil).Open(context.Background(), store.Meta{Actor: officer, RequestID: "r1"}, req)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return cs
}

func count(t *testing.T, db *sqlx.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Get(&n, q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestOpenAndReload(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cs := f.open(t, domain.SeverityCritical, "m-1", "m-2")
	if len(cs) != 2 || cs[0].Number != "GC-2026-000001" || cs[1].Number != "GC-2026-000002" {
		t.Fatalf("numbers: %s %s", cs[0].Number, cs[1].Number)
	}
	if cs[0].IncidentID != cs[1].IncidentID {
		t.Error("cases of one incident have different incidents")
	}
	got, err := f.st.Get(context.Background(), cs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != domain.StateTriage || len(got.Clocks) != 4 || got.Version != 1 || got.Reporter.UserID != "u-m1" {
		t.Errorf("reloaded case = %+v", got)
	}
	if !got.Clocks[0].DueAt.Equal(cs[0].Clocks[0].DueAt) || got.Clocks[0].CommitteeAfter != 15*time.Minute {
		t.Errorf("clock round trip: %+v vs %+v", got.Clocks[0], cs[0].Clocks[0])
	}
	if n := count(t, f.db, `SELECT count(*) FROM outbox WHERE type = 'case.opened'`); n != 2 {
		t.Errorf("outbox case.opened = %d", n)
	}
	if n := count(t, f.db, `SELECT count(*) FROM audit_log`); n != 2 {
		t.Errorf("audit rows = %d", n)
	}
	// A number drawn by a transaction that rolls back is never handed out.
	tx := f.db.MustBegin()
	var lost string
	if err := tx.Get(&lost, `SELECT next_case_number(2026)`); err != nil || lost != "GC-2026-000003" {
		t.Fatalf("drawn %q, %v", lost, err)
	}
	_ = tx.Rollback()
	if c := f.open(t, domain.SeverityMinor, "m-4")[0]; c.Number != "GC-2026-000004" {
		t.Errorf("after a rollback the number is %s, want GC-2026-000004", c.Number)
	}
	// The next year starts its own sequence.
	f.clk.Set(time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC)) // 2027-01-01 00:30 in Shanghai
	if c := f.open(t, domain.SeverityMinor, "m-3")[0]; c.Number != "GC-2027-000001" {
		t.Errorf("new year number = %s", c.Number)
	}
}

func TestUpdateFlow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	c := f.open(t, domain.SeveritySerious, "m-1")[0]
	m := store.Meta{Actor: caseworker}
	apply := func(ifMatch int64, cmd domain.Command) (*domain.Case, error) {
		return commands.New(f.st, nil).Update(ctx, m, c.ID, ifMatch, map[string]any{"action": cmd.Action()}, func(c *domain.Case, now time.Time) (domain.Change, error) {
			return c.Apply(cmd, caseworker, now, f.st.Policy())
		})
	}
	got, err := apply(1, domain.ConfirmHandoff{Hospital: "县人民医院", Guarantee: money.Yuan(30000)})
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || got.State != domain.StateTreatment {
		t.Fatalf("after hand-off: %+v", got)
	}
	// Stale version: 409 and nothing changes.
	if _, err := apply(1, domain.RecordGuarantee{Hospital: "县人民医院", Amount: 100}); !errors.Is(err, store.ErrVersionMismatch) {
		t.Fatalf("stale update err = %v", err)
	}
	// A refused transition writes nothing.
	before := count(t, f.db, `SELECT count(*) FROM timeline`)
	var te *domain.TransitionError
	if _, err := apply(2, domain.Decide{DecidedOn: start, Outcome: domain.OutcomeRecognised, Clause: 1}); !errors.As(err, &te) {
		t.Fatalf("decide in treatment err = %v", err)
	}
	if after := count(t, f.db, `SELECT count(*) FROM timeline`); after != before {
		t.Errorf("timeline grew on a refused change: %d -> %d", before, after)
	}
	f.clk.Advance(24 * time.Hour)
	steps := []domain.Command{
		domain.FileDetermination{FiledOn: f.clk.Now()},
		domain.AcceptFiling{AcceptedOn: f.clk.Now(), ClearFacts: true},
		domain.PauseDecision{Reason: "等待法院判决"},
		domain.ResumeDecision{},
		domain.Decide{DecidedOn: f.clk.Now(), Outcome: domain.OutcomeRecognised, Clause: 3},
		domain.StartLeave{Start: f.clk.Now()},
		domain.RequestGrading{AppliedOn: f.clk.Now()},
		domain.RecordGrade{GradedOn: f.clk.Now(), Grade: 6, Nursing: domain.NursingPartial},
	}
	for _, cmd := range steps {
		if _, err = apply(0, cmd); err != nil {
			t.Fatalf("%s: %v", cmd.Action(), err)
		}
	}
	f.clk.Advance(16 * 24 * time.Hour) // past the appeal window
	if _, err = apply(0, domain.Close{Reason: domain.CloseCompleted}); err != nil {
		t.Fatalf("close: %v", err)
	}
	reloaded, err := f.st.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if reloaded.State != domain.StateClosed || !reloaded.Grading.Graded || reloaded.Grading.Grade != 6 ||
		reloaded.Determination.Clause != 3 || len(reloaded.Guarantees) != 1 || !reloaded.Leave.Active() {
		t.Errorf("reloaded = %+v", reloaded)
	}
	for _, typ := range []string{"case.determined", "case.graded", "case.closed", "case.leave_changed"} {
		if n := count(t, f.db, `SELECT count(*) FROM outbox WHERE type = $1`, typ); n != 1 {
			t.Errorf("outbox %s = %d", typ, n)
		}
	}
	if n := count(t, f.db, `SELECT count(*) FROM sla_clocks WHERE case_id = $1 AND stopped_at IS NULL AND kind <> 'injury_leave'`, c.ID); n != 0 {
		t.Errorf("%d clocks still running after close", n)
	}
	if _, err := f.db.Exec(`DELETE FROM timeline`); err == nil {
		t.Error("timeline rows could be deleted")
	}
}

func TestSweeper(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	cs := f.open(t, domain.SeverityCritical, "m-1", "m-2", "m-3")
	// Acknowledge one: its acknowledgement clock must never escalate.
	if _, err := commands.New(f.st, nil).Update(ctx, store.Meta{Actor: caseworker}, cs[0].ID, 0, nil, func(c *domain.Case, now time.Time) (domain.Change, error) {
		return c.Apply(domain.Acknowledge{}, caseworker, now, f.st.Policy())
	}); err != nil {
		t.Fatal(err)
	}
	if got, err := f.st.SweepOnce(ctx, 100, commands.Swept); err != nil || len(got) != 0 {
		t.Fatalf("early sweep = %v, %v", got, err)
	}
	f.clk.Advance(16 * time.Minute) // acknowledgement breached
	// Two replicas sweep at once: each clock escalates exactly once.
	var wg sync.WaitGroup
	results := make([][]store.Escalation, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := f.st.SweepOnce(ctx, 100, commands.Swept)
			if err != nil {
				t.Error(err)
			}
			results[i] = r
		}()
	}
	wg.Wait()
	total := 0
	for _, r := range results {
		total += len(r)
	}
	if total != 2 {
		t.Fatalf("escalations = %d, want 2 (one per unacknowledged case)", total)
	}
	if n := count(t, f.db, `SELECT count(*) FROM outbox WHERE type = 'case.escalated'`); n != 2 {
		t.Errorf("outbox escalations = %d", n)
	}
	f.clk.Advance(15 * time.Minute) // committee level
	got, err := f.st.SweepOnce(ctx, 100, commands.Swept)
	if err != nil || len(got) != 2 || got[0].Level != domain.LevelCommittee {
		t.Fatalf("committee sweep = %+v, %v", got, err)
	}
	list, _, err := f.st.List(ctx, store.ListFilter{Units: []string{"unit-1"}, Status: store.ListOpen, Sort: store.SortDue})
	if err != nil || len(list) != 3 {
		t.Fatalf("list = %v, %v", list, err)
	}
	if *list[0].DueClock != "acknowledgement" || list[0].Level != 2 || list[2].ID != cs[0].ID || *list[2].DueClock != "handoff" {
		t.Errorf("queue order/clock: %+v", list)
	}
	committee, _, err := f.st.List(ctx, store.ListFilter{Units: []string{"unit-1"}, MinLevel: domain.LevelCommittee})
	if err != nil || len(committee) != 2 {
		t.Errorf("committee view = %d cases, %v", len(committee), err)
	}
}

func TestCoverageRetry(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	c := f.open(t, domain.SeverityMinor, "m-1")[0]
	checks, err := f.st.ClaimCoverageChecks(ctx, 10)
	if err != nil || len(checks) != 1 || checks[0].MemberID != "m-1" {
		t.Fatalf("claim = %+v, %v", checks, err)
	}
	if again, _ := f.st.ClaimCoverageChecks(ctx, 10); len(again) != 0 {
		t.Fatalf("claimed twice within the lease: %+v", again)
	}
	if err := f.st.RecordCoverage(ctx, c.ID, nil, errors.New("nats: no responders")); err != nil {
		t.Fatal(err)
	}
	f.clk.Advance(31 * time.Second)
	checks, _ = f.st.ClaimCoverageChecks(ctx, 10)
	if len(checks) != 1 || checks[0].Attempts != 1 {
		t.Fatalf("retry claim = %+v", checks)
	}
	schemes := []domain.SchemeCoverage{{Scheme: "work_injury", Plan: "2026 工伤保险", From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}}
	if err := f.st.RecordCoverage(ctx, c.ID, schemes, nil); err != nil {
		t.Fatal(err)
	}
	got, _ := f.st.Get(ctx, c.ID)
	if got.Coverage.Status != domain.CoverageChecked || len(got.Coverage.Schemes) != 1 || got.Version != 1 {
		t.Errorf("coverage = %+v version %d", got.Coverage, got.Version)
	}
}

func TestDocumentsAndParameters(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	c := f.open(t, domain.SeverityMinor, "m-1")[0]
	m := store.Meta{Actor: caseworker}
	ok := func(*domain.Case) error { return nil }
	content := []byte("%PDF-1.7 test")
	d, err := f.st.AddDocument(ctx, m, c.ID, store.NewDocument{Kind: domain.DocMedicalRecord, FileName: "诊断.pdf", ContentType: domain.TypePDF, Content: content}, ok)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := f.st.Documents(ctx, c.ID)
	if err != nil || len(docs) != 1 || docs[0].Size != int64(len(content)) {
		t.Fatalf("documents = %+v, %v", docs, err)
	}
	_, got, err := f.st.ReadDocument(ctx, m, c.ID, d.ID, func(store.Document) error { return nil })
	if err != nil || string(got) != string(content) {
		t.Fatalf("read = %q, %v", got, err)
	}
	if _, _, err := f.st.ReadDocument(ctx, m, "00000000-0000-0000-0000-000000000000", d.ID, func(store.Document) error { return nil }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("document under another case: %v", err)
	}
	p := domain.Parameter{Kind: domain.ParamRegionalAverageWage, EffectiveFrom: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), Value: money.Yuan(7000)}
	if err := f.st.SetParameter(ctx, m, p); err != nil {
		t.Fatal(err)
	}
	p.Value = money.Yuan(7100)
	if err := f.st.SetParameter(ctx, m, p); err != nil {
		t.Fatal(err)
	}
	ps, err := f.st.Parameters(ctx)
	if err != nil || len(ps) != 1 || ps[0].Value != money.Yuan(7100) || !ps[0].EffectiveFrom.Equal(p.EffectiveFrom) {
		t.Fatalf("parameters = %+v, %v", ps, err)
	}
	a, err := domain.Assess(domain.AssessInput{Grade: 5, Wages: []money.Fen{money.Yuan(8000)}, RegionalAverage: money.Yuan(7100)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := commands.New(f.st, nil).SaveCalculation(ctx, m, c.ID, map[string]any{"grade": 5}, a, ok); err != nil {
		t.Fatal(err)
	}
	calcs, err := f.st.Calculations(ctx, c.ID)
	if err != nil || len(calcs) != 1 || calcs[0].Assessment.Subsidy.Total != a.Subsidy.Total {
		t.Fatalf("calculations = %+v, %v", calcs, err)
	}
}

func TestMemberProjection(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	apply := func(m events.Member, v int64) {
		tx := f.db.MustBegin()
		if err := events.UpsertMember(ctx, tx, m, v, start); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	apply(events.Member{MemberID: "m-1", Name: "李强", UnitID: "unit-1", Category: "police"}, 2)
	apply(events.Member{MemberID: "m-1", Name: "旧名", UnitID: "unit-1", Category: "auxiliary_police"}, 1) // stale
	got, err := f.st.Member(ctx, "m-1")
	if err != nil || got.Name != "李强" || got.Category != "police" {
		t.Fatalf("member = %+v, %v", got, err)
	}
	c := f.open(t, domain.SeverityMinor, "m-1")[0]
	if c.Category != "police" {
		t.Errorf("case category = %q", c.Category)
	}
}

func TestSweeperLapsesAppealWindow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	c := f.open(t, domain.SeveritySerious, "m-1")[0]
	m := store.Meta{Actor: caseworker}
	today := f.clk.Now()
	for _, cmd := range []domain.Command{
		domain.ConfirmHandoff{Hospital: "县人民医院"},
		domain.FileDetermination{FiledOn: today},
		domain.AcceptFiling{AcceptedOn: today},
		domain.Decide{DecidedOn: today, Outcome: domain.OutcomeRecognised, Clause: 1},
		domain.RequestGrading{AppliedOn: today},
		domain.RecordGrade{GradedOn: today, Grade: 7, Nursing: domain.NursingNone},
	} {
		if _, err := commands.New(f.st, nil).Update(ctx, m, c.ID, 0, nil, func(c *domain.Case, now time.Time) (domain.Change, error) {
			return c.Apply(cmd, caseworker, now, f.st.Policy())
		}); err != nil {
			t.Fatalf("%s: %v", cmd.Action(), err)
		}
	}
	// Opened 2026-03-10: the window's last day is 2026-03-25.
	if got, err := f.st.SweepOnce(ctx, 100, commands.Swept); err != nil || len(got) != 0 {
		t.Fatalf("sweep inside the window = %+v, %v", got, err)
	}
	f.clk.Set(time.Date(2026, 3, 25, 16, 0, 0, 0, time.UTC))
	got, err := f.st.SweepOnce(ctx, 100, commands.Swept)
	var lapsed []store.Escalation
	for _, e := range got {
		if e.Clock == domain.ClockAppeal {
			lapsed = append(lapsed, e)
		}
	}
	if err != nil || len(lapsed) != 1 || !lapsed[0].Lapsed || lapsed[0].Level != domain.LevelNone {
		t.Fatalf("sweep at the deadline = %+v, %v", got, err)
	}
	reloaded, err := f.st.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var k *domain.SLAClock
	for i := range reloaded.Clocks {
		if reloaded.Clocks[i].Kind == domain.ClockAppeal {
			k = &reloaded.Clocks[i]
		}
	}
	if k == nil || k.Outcome != domain.OutcomeLapsed || k.Active() || k.Level != domain.LevelNone {
		t.Fatalf("appeal clock after the sweep = %+v", k)
	}
	if n := count(t, f.db, `SELECT count(*) FROM timeline WHERE case_id = $1 AND kind = 'lapse' AND data->>'clock' = 'appeal'`, c.ID); n != 1 {
		t.Errorf("lapse timeline entries = %d", n)
	}
	if n := count(t, f.db, `SELECT count(*) FROM outbox WHERE type = 'case.escalated' AND convert_from(envelope, 'UTF8')::jsonb->'data'->>'clock' = 'appeal'`); n != 0 {
		t.Errorf("the appeal window escalated %d times", n)
	}
	f.clk.Advance(30 * 24 * time.Hour)
	if got, err := f.st.SweepOnce(ctx, 100, commands.Swept); err != nil {
		t.Fatal(err)
	} else {
		for _, e := range got {
			if e.Clock == domain.ClockAppeal {
				t.Errorf("swept the lapsed window again: %+v", e)
			}
		}
	}
	if n := count(t, f.db, `SELECT count(*) FROM outbox WHERE type = 'case.escalated' AND convert_from(envelope, 'UTF8')::jsonb->'data'->>'clock' = 'appeal'`); n != 0 {
		t.Errorf("the appeal window escalated %d times a month on", n)
	}
}
