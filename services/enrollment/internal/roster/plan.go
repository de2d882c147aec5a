package roster

import (
	"errors"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

// Action is what an import does with one row.
type Action string

// Actions.
const (
	ActionCreate    Action = "create"
	ActionUpdate    Action = "update"
	ActionUnchanged Action = "unchanged"
)

// Planned is one row's outcome: the member as it will be after the import.
type Planned struct {
	Line   int
	Action Action
	Member *domain.Member
}

// Plan is the whole import as the dry run shows it and the real run
// commits it.
type Plan struct {
	Rows      []Planned
	Created   int
	Updated   int
	Unchanged int
}

// PlanImport decides, for every valid row, whether it registers a new
// member or updates (or leaves alone) the member with the same identity
// number. existing holds the current members by identity number; they are
// modified in place for updates. Re-importing a file that was imported
// already plans nothing but "unchanged" rows: the import is idempotent.
func PlanImport(rows []Row, existing map[string]*domain.Member, newID func() string, today time.Time) (Plan, []Problem) {
	var plan Plan
	var problems []Problem
	for _, r := range rows {
		m, ok := existing[r.Identity.Number]
		if !ok {
			nm, err := domain.NewMember(newID(), r.Input, today)
			if err != nil {
				problems = append(problems, Problem{Line: r.Line, Problem: fielderr.New("", codeOf(err))})
				continue
			}
			plan.Rows = append(plan.Rows, Planned{Line: r.Line, Action: ActionCreate, Member: nm})
			plan.Created++
			continue
		}
		changed, err := m.Edit(r.Input, today)
		if err != nil {
			problems = append(problems, Problem{Line: r.Line, Problem: fielderr.New(string(ColIDNumber), codeOf(err))})
			continue
		}
		if !changed {
			plan.Rows = append(plan.Rows, Planned{Line: r.Line, Action: ActionUnchanged, Member: m})
			plan.Unchanged++
			continue
		}
		plan.Rows = append(plan.Rows, Planned{Line: r.Line, Action: ActionUpdate, Member: m})
		plan.Updated++
	}
	return plan, problems
}

func codeOf(err error) string {
	if ps := fielderr.Of(err); len(ps) > 0 {
		return ps[0].Code
	}
	if c := domain.Code(err); c != "" {
		return c
	}
	if errors.Is(err, domain.ErrMemberDeceased) {
		return "enrollment.member_deceased"
	}
	return "enrollment.roster.row_invalid"
}

// Changes are the members the plan registers and those it updates, each in
// the order of its rows; unchanged rows are in neither.
func (p Plan) Changes() (created, updated []*domain.Member) {
	for _, r := range p.Rows {
		switch r.Action {
		case ActionCreate:
			created = append(created, r.Member)
		case ActionUpdate:
			updated = append(updated, r.Member)
		case ActionUnchanged:
		}
	}
	return created, updated
}

// CodeRegisteredElsewhere is the row problem of an identity number already
// registered in a unit the importer does not manage.
const CodeRegisteredElsewhere = "enrollment.roster.registered_elsewhere"

// KeepManaged keeps the rows an importer may apply: a member registered
// (existing, by identity number) in a unit the importer does not manage
// (not in managed) is not theirs to change, or to move into their unit;
// each such row is a problem on its identity number instead.
func KeepManaged(rows []Row, existing map[string]*domain.Member, managed map[string]bool) ([]Row, []Problem) {
	kept := rows[:0:0]
	var problems []Problem
	for _, r := range rows {
		if m, ok := existing[r.Identity.Number]; ok && !managed[m.UnitID] {
			problems = append(problems, Problem{Line: r.Line, Problem: fielderr.New(string(ColIDNumber), CodeRegisteredElsewhere)})
			continue
		}
		kept = append(kept, r)
	}
	return kept, problems
}
