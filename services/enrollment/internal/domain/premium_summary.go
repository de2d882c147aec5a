package domain

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/anxin-welfare/anxin/pkg/money"
)

// PremiumLine is one enrollment's premium as the summary sees it.
type PremiumLine struct {
	UnitID   string
	PlanID   string
	PlanYear int
	Scheme   SchemeCode
	Payer    Payer
	Premium  money.Fen
}

// PremiumTotal is the premium of one unit in one plan.
type PremiumTotal struct {
	UnitID   string
	PlanID   string
	PlanYear int
	Scheme   SchemeCode
	Payer    Payer
	Members  int
	Total    money.Fen
}

// SummarizePremiums totals premiums by unit and plan. Each enrollment owes
// the plan's full yearly premium: the county's insurers bill per head for
// the plan year whatever the start date (local practice; a pro-rata rule
// would change only this function).
func SummarizePremiums(lines []PremiumLine) ([]PremiumTotal, error) {
	type key struct {
		unit, plan string
	}
	idx := map[key]int{}
	var out []PremiumTotal
	for _, l := range lines {
		k := key{l.UnitID, l.PlanID}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, PremiumTotal{UnitID: l.UnitID, PlanID: l.PlanID, PlanYear: l.PlanYear, Scheme: l.Scheme, Payer: l.Payer})
		}
		sum, err := money.Add(out[i].Total, l.Premium)
		if err != nil {
			return nil, fmt.Errorf("premium of unit %s in plan %s: %w", l.UnitID, l.PlanID, err)
		}
		out[i].Members++
		out[i].Total = sum
	}
	slices.SortFunc(out, func(a, b PremiumTotal) int {
		return cmp.Or(cmp.Compare(a.PlanYear, b.PlanYear), cmp.Compare(a.UnitID, b.UnitID),
			cmp.Compare(a.Scheme, b.Scheme), cmp.Compare(a.PlanID, b.PlanID))
	})
	return out, nil
}

// GrandTotal is the control total of a summary, printed under exports.
func GrandTotal(totals []PremiumTotal) (members int, total money.Fen, err error) {
	for _, t := range totals {
		members += t.Members
		if total, err = money.Add(total, t.Total); err != nil {
			return 0, 0, fmt.Errorf("premium grand total: %w", err)
		}
	}
	return members, total, nil
}
