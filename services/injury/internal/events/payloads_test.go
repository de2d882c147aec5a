package events_test

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/bus/bustest"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/events"
)

// sample is a graded (after an appeal), closed case with leave, so every
// payload has values.
func sample() *domain.Case {
	d := func(m time.Month, day int) time.Time { return time.Date(2026, m, day, 0, 0, 0, 0, time.UTC) }
	return &domain.Case{
		ID: "0190f7a0-0000-7000-8000-000000000001", Number: "GC-2026-000123", IncidentID: "0190f7a0-0000-7000-8000-000000000002",
		MemberID: "m-1", UnitID: "unit-1", Category: "police", Severity: domain.SeverityCritical,
		InjuredAt: time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC), OpenedAt: time.Date(2026, 3, 10, 2, 5, 0, 0, time.UTC),
		State:         domain.StateClosed,
		Determination: domain.Determination{FiledOn: d(3, 20), DocumentsRequested: true, DocumentsRequestOn: d(3, 25), DecidedOn: d(4, 20), Outcome: domain.OutcomeRecognised, Clause: 3},
		Grading: domain.Grading{Round: domain.RoundAppeal, GradedOn: d(6, 1), ReceivedOn: d(6, 3), Grade: 6, Graded: true,
			Nursing: domain.NursingPartial, PreviousGrade: 8, HasPrevious: true},
		Leave:    domain.InjuryLeave{Start: d(3, 11), End: d(3, 10).AddDate(1, 0, 0), EndedEarlyOn: d(9, 1)},
		ClosedAt: time.Date(2026, 6, 2, 3, 0, 0, 0, time.UTC), CloseReason: domain.CloseCompleted,
		Coverage: domain.Coverage{Status: domain.CoveragePending}, Version: 9,
		InCharge: domain.InCharge{UserID: "cw-1", Name: "王经办"},
	}
}

func allEvents(t *testing.T) map[string]bus.Event {
	t.Helper()
	c := sample()
	at := time.Date(2026, 6, 2, 3, 0, 0, 0, time.UTC)
	out := map[string]bus.Event{}
	ev, err := events.ForOpened(c, at)
	if err != nil {
		t.Fatal(err)
	}
	out[ev.Type] = ev
	k := domain.DefaultPolicy().Acknowledgement(domain.SeverityCritical, c.OpenedAt)
	k.Level = domain.LevelUnitHead
	if ev, err = events.ForEscalated(c, k, at); err != nil {
		t.Fatal(err)
	}
	out[ev.Type] = ev
	if ev, err = events.ForSLAAmber(c, domain.DefaultPolicy().Grading(c.OpenedAt), at); err != nil {
		t.Fatal(err)
	}
	out[ev.Type] = ev
	evs, err := events.ForChange(c, domain.Change{Action: domain.ActEndLeave,
		Events: []domain.EventType{domain.EventDetermined, domain.EventGraded, domain.EventClosed}}, at)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		out[ev.Type] = ev
	}
	evs, err = events.ForChange(c, domain.Change{Action: domain.ActRequestDocuments,
		From: domain.StateDeterminationFiling, To: domain.StateDeterminationFiling}, at)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		out[ev.Type] = ev
	}
	evs, err = events.ForChange(c, domain.Change{Action: domain.ActClose, From: domain.StateDisabilityGrading, To: domain.StateClosed}, at)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		out[ev.Type] = ev
	}
	if ev, err = events.ForCalculation(c, 42, at); err != nil {
		t.Fatal(err)
	}
	out[ev.Type] = ev
	return out
}

// The officer's notices: a step that moves the case tells of the new
// stage; a step within a stage does not; asking for documents says so.
func TestForChangeTellsOfStagesAndDocumentRequests(t *testing.T) {
	t.Parallel()
	c := sample()
	at := time.Date(2026, 3, 25, 3, 0, 0, 0, time.UTC)
	types := func(ch domain.Change) []string {
		evs, err := events.ForChange(c, ch, at)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, ev := range evs {
			out = append(out, ev.Type)
		}
		return out
	}
	if got := types(domain.Change{Action: domain.ActRequestDocuments, From: domain.StateDeterminationFiling,
		To: domain.StateDeterminationFiling}); !slices.Equal(got, []string{events.TypeDocumentsRequested}) {
		t.Errorf("request documents: %v", got)
	}
	if got := types(domain.Change{Action: domain.ActAcceptFiling, From: domain.StateDeterminationFiling,
		To: domain.StateDeterminationFiling}); len(got) != 0 {
		t.Errorf("a step within a stage: %v", got)
	}
	if got := types(domain.Change{Action: domain.ActDecide, From: domain.StateDeterminationFiling, To: domain.StateDeterminationDecided,
		Events: []domain.EventType{domain.EventDetermined}}); !slices.Equal(got, []string{events.TypeDetermined, events.TypeStageChanged}) {
		t.Errorf("decide: %v", got)
	}
	evs, err := events.ForChange(c, domain.Change{Action: domain.ActConfirmHandoff, From: domain.StateTriage, To: domain.StateTreatment}, at)
	if err != nil || len(evs) != 1 {
		t.Fatalf("hand-off: %v %v", evs, err)
	}
	var p events.StageChanged
	if err := evs[0].Decode(&p); err != nil {
		t.Fatal(err)
	}
	if p.From != "triage" || p.To != "treatment" || p.Action != "confirm_handoff" || p.MemberID != "m-1" || !p.ChangedAt.Equal(at) {
		t.Errorf("stage changed = %+v", p)
	}
}

func TestPayloadsMatchSchemas(t *testing.T) {
	t.Parallel()
	evs := allEvents(t)
	payloads := map[string]any{
		events.TypeOpened: events.Opened{}, events.TypeEscalated: events.Escalated{}, events.TypeDetermined: events.Determined{},
		events.TypeGraded: events.Graded{}, events.TypeClosed: events.Closed{}, events.TypeLeaveChanged: events.LeaveChanged{},
		events.TypeStageChanged: events.StageChanged{}, events.TypeDocumentsRequested: events.DocumentsRequested{},
		events.TypeCalculationReady: events.CalculationReady{}, events.TypeSLAAmber: events.SLAAmber{},
	}
	for _, typ := range events.Types {
		t.Run(typ, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join("..", "..", "..", "..", "api", "events", "injury."+typ+".v1.json")
			sch := bustest.CompileSchema(t, path)
			ev, ok := evs[typ]
			if !ok {
				t.Fatalf("no sample event of %s", typ)
			}
			if ev.Source != events.Source || ev.Version != events.Version || ev.Subject() != "welfare.injury."+typ+".v1" {
				t.Errorf("envelope = %+v", ev)
			}
			bustest.CheckPublishes(t, sch, ev.Data)
			bustest.CheckFieldsMatch(t, path, payloads[typ])
		})
	}
}

// Every state of a case is a stage the schema of case.stage_changed allows,
// both as from and as to: a new state cannot go out unannounced.
func TestEveryStateIsAPublishableStage(t *testing.T) {
	t.Parallel()
	sch := bustest.CompileSchema(t, filepath.Join("..", "..", "..", "..", "api", "events", "injury.case.stage_changed.v1.json"))
	c := sample()
	at := time.Date(2026, 3, 25, 3, 0, 0, 0, time.UTC)
	for _, s := range domain.States {
		evs, err := events.ForChange(c, domain.Change{Action: domain.ActClose, From: domain.StateTriage, To: s}, at)
		if err != nil {
			t.Fatal(err)
		}
		evs2, err := events.ForChange(c, domain.Change{Action: domain.ActClose, From: s, To: domain.StateClosed}, at)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range append(evs, evs2...) {
			bustest.CheckPublishes(t, sch, ev.Data)
		}
	}
}
