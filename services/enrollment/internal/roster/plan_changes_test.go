package roster_test

import (
	"slices"
	"testing"

	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/roster"
)

// TestPlanChanges: a plan's registrations and updates, each in row order;
// an unchanged row is in neither.
func TestPlanChanges(t *testing.T) {
	t.Parallel()
	a, b, c, d := &domain.Member{ID: "a"}, &domain.Member{ID: "b"}, &domain.Member{ID: "c"}, &domain.Member{ID: "d"}
	ids := func(ms []*domain.Member) []string {
		out := []string{}
		for _, m := range ms {
			out = append(out, m.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name             string
		rows             []roster.Planned
		created, updated []string
	}{
		{name: "nothing", created: []string{}, updated: []string{}},
		{name: "only unchanged", rows: []roster.Planned{{Line: 2, Action: roster.ActionUnchanged, Member: a}},
			created: []string{}, updated: []string{}},
		{name: "mixed, in row order", rows: []roster.Planned{
			{Line: 2, Action: roster.ActionUpdate, Member: a}, {Line: 3, Action: roster.ActionCreate, Member: b},
			{Line: 4, Action: roster.ActionUnchanged, Member: c}, {Line: 5, Action: roster.ActionCreate, Member: d},
		}, created: []string{"b", "d"}, updated: []string{"a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			created, updated := roster.Plan{Rows: tc.rows}.Changes()
			if !slices.Equal(ids(created), tc.created) || !slices.Equal(ids(updated), tc.updated) {
				t.Errorf("created %v, updated %v; want %v, %v", ids(created), ids(updated), tc.created, tc.updated)
			}
		})
	}
}

// TestKeepManaged: an importer keeps the rows of new people and of members
// of units they manage; a member registered in another unit is refused on
// the identity number, line by line.
func TestKeepManaged(t *testing.T) {
	t.Parallel()
	row := func(line int, number string) roster.Row {
		return roster.Row{Line: line, Identity: domain.Identity{Number: number}}
	}
	existing := map[string]*domain.Member{
		"mine":   {ID: "m-1", UnitID: "u-mine"},
		"theirs": {ID: "m-2", UnitID: "u-theirs"},
	}
	managed := map[string]bool{"u-mine": true}
	for _, tc := range []struct {
		name     string
		rows     []roster.Row
		kept     []int
		refused  []int
		refusals int
	}{
		{name: "a new person", rows: []roster.Row{row(2, "new")}, kept: []int{2}},
		{name: "a member of a managed unit", rows: []roster.Row{row(2, "mine")}, kept: []int{2}},
		{name: "a member of another unit", rows: []roster.Row{row(2, "theirs")}, refused: []int{2}},
		{name: "mixed", rows: []roster.Row{row(2, "theirs"), row(3, "mine"), row(4, "new"), row(5, "theirs")},
			kept: []int{3, 4}, refused: []int{2, 5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			kept, problems := roster.KeepManaged(tc.rows, existing, managed)
			var keptLines, refusedLines []int
			for _, r := range kept {
				keptLines = append(keptLines, r.Line)
			}
			for _, p := range problems {
				refusedLines = append(refusedLines, p.Line)
				if p.Field != string(roster.ColIDNumber) || p.Code != roster.CodeRegisteredElsewhere {
					t.Errorf("line %d: problem %s %s", p.Line, p.Field, p.Code)
				}
			}
			if !slices.Equal(keptLines, tc.kept) || !slices.Equal(refusedLines, tc.refused) {
				t.Errorf("kept %v, refused %v; want %v, %v", keptLines, refusedLines, tc.kept, tc.refused)
			}
		})
	}
}
