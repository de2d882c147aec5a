package commands_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/roles"
	"github.com/anxin-welfare/anxin/services/injury/internal/commands"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/events"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

var (
	now        = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	caseworker = domain.Actor{UserID: "u-cw", Roles: []roles.Role{roles.Caseworker}, Units: []string{"unit-1"}}
	stranger   = domain.Actor{UserID: "u-x", MemberID: "m-9", Roles: []roles.Role{roles.Officer}}
	goodInput  = domain.OpenInput{MemberID: "m-1", UnitID: "unit-1", InjuredAt: now.Add(-2 * time.Hour),
		Place: "路口", Description: "执勤时被车辆撞伤", Severity: domain.SeverityCritical}
	opening = store.Opening{ID: "00000000-0000-4000-8000-000000000001", Number: "GC-2026-000001",
		IncidentID: "00000000-0000-4000-8000-000000000002", Category: "police",
		Reporter: domain.Reporter{UserID: "u-col", MemberID: "m-2"}, Now: now, Policy: domain.DefaultPolicy()}
)

func types(evs []bus.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Type
	}
	return out
}

func openCase(t *testing.T) *domain.Case {
	t.Helper()
	c, _, err := commands.OpenCase(goodInput, opening)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestOpenCase: the domain opens the case with what the transaction drew,
// at version 1 with the member's category, announced by one case.opened
// of that version; bad input opens nothing.
func TestOpenCase(t *testing.T) {
	t.Parallel()
	noUnit := goodInput
	noUnit.UnitID = ""
	future := goodInput
	future.InjuredAt = now.Add(24 * time.Hour)
	for _, tc := range []struct {
		name    string
		in      domain.OpenInput
		wantErr bool
	}{
		{name: "opened", in: goodInput},
		{name: "no unit", in: noUnit, wantErr: true},
		{name: "injured in the future", in: future, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, evs, err := commands.OpenCase(tc.in, opening)
			if tc.wantErr {
				if err == nil || c != nil || len(evs) != 0 {
					t.Fatalf("bad input opened %v with %v, err %v", c, types(evs), err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.ID != opening.ID || c.Number != opening.Number || c.IncidentID != opening.IncidentID ||
				c.Version != 1 || c.Category != "police" || c.State != domain.StateTriage {
				t.Errorf("case = %+v", c)
			}
			if !slices.Equal(types(evs), []string{events.TypeOpened}) || evs[0].SubjectID != c.ID || evs[0].AggregateVersion != 1 {
				t.Errorf("events = %+v", evs)
			}
		})
	}
}

// TestAnnounced: a decision on a case comes with the events its change
// calls for, built from the changed case; a refusal comes with none and
// its error unchanged.
func TestAnnounced(t *testing.T) {
	t.Parallel()
	refused := errors.New("refused")
	for _, tc := range []struct {
		name    string
		who     domain.Actor
		cmd     domain.Command
		decide  error
		want    []string
		wantErr bool
	}{
		{name: "acknowledged: same stage, nothing to announce", who: caseworker, cmd: domain.Acknowledge{}, want: []string{}},
		{name: "handed off: a new stage", who: caseworker, cmd: domain.ConfirmHandoff{Hospital: "县人民医院"},
			want: []string{events.TypeStageChanged}},
		{name: "closed", who: caseworker, cmd: domain.Close{Reason: domain.CloseWithdrawn},
			want: []string{events.TypeClosed, events.TypeStageChanged}},
		{name: "a stranger may not act", who: stranger, cmd: domain.Acknowledge{}, wantErr: true},
		{name: "the decision's own refusal", who: caseworker, cmd: domain.Acknowledge{}, decide: refused, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := openCase(t)
			d, err := commands.Announced(func(c *domain.Case, at time.Time) (domain.Change, error) {
				if tc.decide != nil {
					return domain.Change{}, tc.decide
				}
				return c.Apply(tc.cmd, tc.who, at, domain.DefaultPolicy())
			})(c, now.Add(time.Minute))
			if tc.wantErr {
				if err == nil || len(d.Events) != 0 {
					t.Fatalf("refusal gave %v, err %v", types(d.Events), err)
				}
				if tc.decide != nil && !errors.Is(err, tc.decide) {
					t.Errorf("err = %v, want %v", err, tc.decide)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Change.Action != tc.cmd.Action() || !slices.Equal(types(d.Events), tc.want) {
				t.Errorf("decision = %+v, events %v, want %v", d.Change, types(d.Events), tc.want)
			}
			for _, e := range d.Events {
				if e.AggregateVersion != c.Version || e.AggregateVersion != 2 {
					t.Errorf("%s at version %d, the case is at %d", e.Type, e.AggregateVersion, c.Version)
				}
			}
		})
	}
}

// TestSwept: a clock at its amber point is told of with case.sla_amber,
// one escalated with case.escalated.
func TestSwept(t *testing.T) {
	t.Parallel()
	c := openCase(t)
	k := c.Clocks[0]
	for _, tc := range []struct {
		name  string
		amber bool
		want  string
	}{
		{name: "amber", amber: true, want: events.TypeSLAAmber},
		{name: "escalated", amber: false, want: events.TypeEscalated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ev, err := commands.Swept(c, k, tc.amber, now)
			if err != nil || ev.Type != tc.want || ev.SubjectID != c.ID {
				t.Errorf("event %s of %s, %v; want %s", ev.Type, ev.SubjectID, err, tc.want)
			}
		})
	}
}

// TestCalculationReady: a saved calculation is announced once, for its case.
func TestCalculationReady(t *testing.T) {
	t.Parallel()
	c := openCase(t)
	evs, err := commands.CalculationReady(c, store.Calculation{ID: 7, ComputedAt: now})
	if err != nil || !slices.Equal(types(evs), []string{events.TypeCalculationReady}) || evs[0].SubjectID != c.ID {
		t.Fatalf("events %v, %v", types(evs), err)
	}
}
