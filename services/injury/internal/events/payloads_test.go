package events_test

import (
	"path/filepath"
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
		Determination: domain.Determination{FiledOn: d(3, 20), DecidedOn: d(4, 20), Outcome: domain.OutcomeRecognised, Clause: 3},
		Grading: domain.Grading{Round: domain.RoundAppeal, GradedOn: d(6, 1), ReceivedOn: d(6, 3), Grade: 6, Graded: true,
			Nursing: domain.NursingPartial, PreviousGrade: 8, HasPrevious: true},
		Leave:    domain.InjuryLeave{Start: d(3, 11), End: d(3, 10).AddDate(1, 0, 0), EndedEarlyOn: d(9, 1)},
		ClosedAt: time.Date(2026, 6, 2, 3, 0, 0, 0, time.UTC), CloseReason: domain.CloseCompleted,
		Coverage: domain.Coverage{Status: domain.CoveragePending}, Version: 9,
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
	evs, err := events.ForChange(c, domain.Change{Action: domain.ActEndLeave,
		Events: []domain.EventType{domain.EventDetermined, domain.EventGraded, domain.EventClosed}}, at)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		out[ev.Type] = ev
	}
	return out
}

func TestPayloadsMatchSchemas(t *testing.T) {
	t.Parallel()
	evs := allEvents(t)
	payloads := map[string]any{
		events.TypeOpened: events.Opened{}, events.TypeEscalated: events.Escalated{}, events.TypeDetermined: events.Determined{},
		events.TypeGraded: events.Graded{}, events.TypeClosed: events.Closed{}, events.TypeLeaveChanged: events.LeaveChanged{},
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
