package commands_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/pkg/roles"
	"github.com/anxin-welfare/anxin/services/injury/internal/commands"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

// TestActAndCalculate: who may act on a case, in which order the refusals
// come (a case the actor may not see is not found whatever the input, then
// the input, then the domain's rules), and that only an accepted command
// writes its change and its events.
func TestActAndCalculate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t, store.Migrations())
	st := store.New(db, clock.NewFake(time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)), domain.DefaultPolicy())
	t.Cleanup(func() { _ = st.Close() })
	cmd := commands.New(st, nil)
	reporter := domain.Actor{UserID: "u-col", MemberID: "m-2", Roles: []roles.Role{roles.Officer}}
	injured := domain.Actor{UserID: "u-m1", MemberID: "m-1", Roles: []roles.Role{roles.Officer}}
	badInput := errors.New("bad input")
	open := func(t *testing.T, in domain.OpenInput) *domain.Case {
		t.Helper()
		in.UnitID, in.InjuredAt, in.Place, in.Description, in.Severity = "unit-1", time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC),
			"路口", "执勤时被车辆撞伤", domain.SeveritySerious
		cs, err := cmd.Open(ctx, store.Meta{Actor: reporter}, store.OpenRequest{Injured: []domain.OpenInput{in}})
		if err != nil {
			t.Fatal(err)
		}
		return cs[0]
	}
	written := func(t *testing.T, id string) (n int) {
		t.Helper()
		if err := db.Get(&n, `SELECT (SELECT count(*) FROM outbox) + (SELECT version FROM cases WHERE id = $1)`, id); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, tc := range []struct {
		name     string
		who      domain.Actor
		cmd      domain.Command
		input    error
		unknown  bool // opened with a name, not a member
		wantErr  error
		anyErr   bool // a refusal by the domain's rules
		category string
	}{
		{name: "a stranger's good step is not found", who: stranger, cmd: domain.Acknowledge{}, wantErr: domain.ErrNotFound},
		{name: "a stranger's bad input is not found either", who: stranger, cmd: domain.Acknowledge{}, input: badInput, wantErr: domain.ErrNotFound},
		{name: "a caseworker's bad input", who: caseworker, cmd: domain.Acknowledge{}, input: badInput, wantErr: badInput},
		{name: "the injured member may see but not acknowledge", who: injured, cmd: domain.Acknowledge{}, anyErr: true},
		{name: "the caseworker acknowledges", who: caseworker, cmd: domain.Acknowledge{}},
		{name: "the caseworker hands off", who: caseworker, cmd: domain.ConfirmHandoff{Hospital: "县人民医院"}},
		// Identifying the member of a case opened for an unknown person:
		// the case becomes the member's and drops the reported name (the
		// cases table wants a member or a name, never both).
		{name: "the caseworker identifies an unknown person's case", who: caseworker, cmd: domain.IdentifyMember{MemberID: "m-5", Category: "police"},
			unknown: true, category: "police"},
		{name: "a stranger's identification asks the projection nothing", who: stranger, cmd: domain.IdentifyMember{MemberID: "m-5"},
			unknown: true, wantErr: domain.ErrNotFound},
		{name: "an identification with bad input asks nothing", who: caseworker, cmd: domain.IdentifyMember{MemberID: "m-5"},
			unknown: true, input: badInput, wantErr: badInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := domain.OpenInput{MemberID: "m-1"}
			if tc.unknown {
				in = domain.OpenInput{UnknownName: "伤者"}
			}
			c := open(t, in)
			before := written(t, c.ID)
			asked := 0
			got, err := cmd.Act(ctx, store.Meta{Actor: tc.who}, c.ID, c.Version, nil, tc.cmd, tc.input,
				func(_ context.Context, memberID string) string {
					asked++
					return map[string]string{"m-5": "police"}[memberID]
				})
			if tc.wantErr != nil || tc.anyErr {
				if err == nil || (tc.wantErr != nil && !errors.Is(err, tc.wantErr)) || (tc.anyErr && errors.Is(err, domain.ErrNotFound)) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				if n := written(t, c.ID); n != before || asked != 0 {
					t.Errorf("a refusal wrote %d (version or events), asked the projection %d times", n-before, asked)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Version != c.Version+1 || got.Category != tc.category {
				t.Errorf("case at version %d (read %d), category %q", got.Version, c.Version, got.Category)
			}
			if id, ok := tc.cmd.(domain.IdentifyMember); ok && (got.MemberID != id.MemberID || got.UnknownName != "") {
				t.Errorf("identified case: member %q, name %q", got.MemberID, got.UnknownName)
			}
			if n := written(t, c.ID); n < before+1 {
				t.Errorf("the version did not move: %d, %d", n, before)
			}
		})
	}
	a, err := domain.Assess(domain.AssessInput{Grade: 5, Wages: []money.Fen{money.Yuan(8000)}, RegionalAverage: money.Yuan(7100)})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		who     domain.Actor
		wantErr error
	}{
		{name: "the injured member may not calculate", who: injured, wantErr: domain.ErrNotFound},
		{name: "a stranger may not", who: stranger, wantErr: domain.ErrNotFound},
		{name: "the caseworker calculates", who: caseworker},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := open(t, domain.OpenInput{MemberID: "m-1"})
			var events int
			count := func() int {
				t.Helper()
				if err := db.Get(&events, `SELECT count(*) FROM outbox WHERE type = 'case.calculation_ready' AND subject_id = $1`, c.ID); err != nil {
					t.Fatal(err)
				}
				return events
			}
			calc, err := cmd.Calculate(ctx, store.Meta{Actor: tc.who}, c.ID, map[string]any{"grade": 5}, a)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) || count() != 0 {
					t.Fatalf("err = %v, %d events", err, count())
				}
				return
			}
			if err != nil || calc.ID == 0 || count() != 1 {
				t.Fatalf("calculation %+v, %v, %d events", calc, err, count())
			}
		})
	}
}
