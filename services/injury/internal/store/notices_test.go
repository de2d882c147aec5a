package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/injury/internal/commands"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

// outboxData returns the payloads of the case's outbox events of one type,
// oldest first.
func outboxData(t *testing.T, f fixture, caseID, typ string) []map[string]any {
	t.Helper()
	var raws [][]byte
	if err := f.db.Select(&raws, `SELECT envelope FROM outbox WHERE subject_id = $1 AND type = $2 ORDER BY seq`, caseID, typ); err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, raw := range raws {
		var ev bus.Event
		if err := json.Unmarshal(raw, &ev); err != nil {
			t.Fatal(err)
		}
		var p map[string]any
		if err := ev.Decode(&p); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// failAudit makes the audit row of one action fail, inside the
// transaction, after the case, its timeline and its events are written.
func failAudit(t *testing.T, f fixture, action string) {
	t.Helper()
	for _, q := range []string{
		`CREATE FUNCTION test_fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$
		 BEGIN RAISE EXCEPTION 'audit refused for the test'; END $$`,
		`CREATE TRIGGER test_fail_audit BEFORE INSERT ON audit_log FOR EACH ROW
		 WHEN (NEW.action = '` + action + `') EXECUTE FUNCTION test_fail_audit()`,
	} {
		if _, err := f.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

// The officer's notices (issue 16) are written in the transaction of the
// change: a step that moves the case writes case.stage_changed, asking for
// documents writes case.documents_requested, and a change that fails
// after them leaves neither.
func TestStageAndDocumentEventsAreWrittenWithTheChange(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	c := f.open(t, domain.SeveritySerious, "m-1")[0]
	m := store.Meta{Actor: caseworker}
	apply := func(cmd domain.Command) (*domain.Case, error) {
		return commands.New(f.st, nil).Update(ctx, m, c.ID, 0, nil, func(c *domain.Case, now time.Time) (domain.Change, error) {
			return c.Apply(cmd, caseworker, now, f.st.Policy())
		})
	}
	if _, err := apply(domain.Acknowledge{}); err != nil {
		t.Fatal(err)
	}
	if got := outboxData(t, f, c.ID, "case.stage_changed"); len(got) != 0 {
		t.Fatalf("acknowledging (no new stage) wrote %v", got)
	}
	if _, err := apply(domain.ConfirmHandoff{Hospital: "县人民医院"}); err != nil {
		t.Fatal(err)
	}
	got := outboxData(t, f, c.ID, "case.stage_changed")
	if len(got) != 1 || got[0]["from"] != "triage" || got[0]["to"] != "treatment" || got[0]["action"] != "confirm_handoff" ||
		got[0]["member_id"] != "m-1" || got[0]["number"] != c.Number {
		t.Fatalf("stage changed = %v", got)
	}
	f.clk.Advance(24 * time.Hour)
	if _, err := apply(domain.FileDetermination{FiledOn: f.clk.Now()}); err != nil {
		t.Fatal(err)
	}

	// Asking for documents fails at its audit row: no flag, no event.
	failAudit(t, f, "injury.case.request_documents")
	if _, err := apply(domain.RequestDocuments{On: f.clk.Now()}); err == nil {
		t.Fatal("request documents succeeded with its audit row refused")
	}
	if got := outboxData(t, f, c.ID, "case.documents_requested"); len(got) != 0 {
		t.Fatalf("a failed change left events: %v", got)
	}
	if cur, err := f.st.Get(ctx, c.ID); err != nil || cur.Determination.DocumentsRequested {
		t.Fatalf("a failed change left the case changed: %+v %v", cur, err)
	}
	if _, err := f.db.Exec(`DROP TRIGGER test_fail_audit ON audit_log`); err != nil {
		t.Fatal(err)
	}
	after, err := apply(domain.RequestDocuments{On: f.clk.Now()})
	if err != nil {
		t.Fatal(err)
	}
	docs := outboxData(t, f, c.ID, "case.documents_requested")
	if len(docs) != 1 || docs[0]["requested_on"] != f.clk.Now().Format(time.DateOnly) || docs[0]["member_id"] != "m-1" {
		t.Fatalf("documents requested = %v", docs)
	}
	var version int64
	if err := f.db.Get(&version, `SELECT aggregate_version FROM outbox WHERE subject_id = $1 AND type = 'case.documents_requested'`, c.ID); err != nil ||
		version != after.Version {
		t.Errorf("event version %d, case version %d (%v)", version, after.Version, err)
	}
	// A step within the stage tells of no new stage.
	if got := outboxData(t, f, c.ID, "case.stage_changed"); len(got) != 2 {
		t.Errorf("stage changes = %v, want the hand-off and the filing", got)
	}
}

// A saved calculation writes case.calculation_ready naming it, in its
// transaction; a refused one writes neither.
func TestCalculationReadyIsWrittenWithTheCalculation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	c := f.open(t, domain.SeverityMinor, "m-1")[0]
	m := store.Meta{Actor: caseworker}
	a, err := domain.Assess(domain.AssessInput{Grade: 5, Wages: []money.Fen{money.Yuan(8000)}, RegionalAverage: money.Yuan(7100)})
	if err != nil {
		t.Fatal(err)
	}
	refused := errors.New("no access")
	if _, err := commands.New(f.st, nil).SaveCalculation(ctx, m, c.ID, map[string]any{"grade": 5}, a, func(*domain.Case) error { return refused }); !errors.Is(err, refused) {
		t.Fatalf("refused save: %v", err)
	}
	failAudit(t, f, "injury.case.calculate")
	if _, err := commands.New(f.st, nil).SaveCalculation(ctx, m, c.ID, map[string]any{"grade": 5}, a, func(*domain.Case) error { return nil }); err == nil {
		t.Fatal("saved with its audit row refused")
	}
	if n := count(t, f.db, `SELECT count(*) FROM calculations`); n != 0 {
		t.Fatalf("%d calculations after failed saves", n)
	}
	if got := outboxData(t, f, c.ID, "case.calculation_ready"); len(got) != 0 {
		t.Fatalf("failed saves left events: %v", got)
	}
	if _, err := f.db.Exec(`DROP TRIGGER test_fail_audit ON audit_log`); err != nil {
		t.Fatal(err)
	}
	calc, err := commands.New(f.st, nil).SaveCalculation(ctx, m, c.ID, map[string]any{"grade": 5}, a, func(*domain.Case) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	got := outboxData(t, f, c.ID, "case.calculation_ready")
	if len(got) != 1 || got[0]["calculation_id"] != float64(calc.ID) || got[0]["member_id"] != "m-1" || got[0]["number"] != c.Number {
		t.Fatalf("calculation ready = %v", got)
	}
	if _, ok := got[0]["assessment"]; ok {
		t.Error("the event carries the amounts")
	}
}

// An escalation names the caseworker in charge once someone took the case.
func TestEscalationNamesTheCaseworkerInCharge(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	cs := f.open(t, domain.SeverityCritical, "m-1", "m-2")
	if _, err := commands.New(f.st, nil).Update(ctx, store.Meta{Actor: caseworker}, cs[0].ID, 0, nil, func(c *domain.Case, now time.Time) (domain.Change, error) {
		return c.Apply(domain.Acknowledge{Phone: "13800138000"}, caseworker, now, f.st.Policy())
	}); err != nil {
		t.Fatal(err)
	}
	f.clk.Advance(2 * time.Hour) // the hand-off of both, the acknowledgement of the second
	if _, err := f.st.SweepOnce(ctx, 100, commands.Swept); err != nil {
		t.Fatal(err)
	}
	taken := outboxData(t, f, cs[0].ID, "case.escalated")
	if len(taken) == 0 {
		t.Fatal("the taken case did not escalate")
	}
	for _, p := range taken {
		if p["in_charge_user_id"] != caseworker.UserID {
			t.Errorf("taken case escalation = %v", p)
		}
	}
	untaken := outboxData(t, f, cs[1].ID, "case.escalated")
	if len(untaken) == 0 {
		t.Fatal("the untaken case did not escalate")
	}
	for _, p := range untaken {
		if _, ok := p["in_charge_user_id"]; ok {
			t.Errorf("untaken case escalation names someone: %v", p)
		}
	}
}
