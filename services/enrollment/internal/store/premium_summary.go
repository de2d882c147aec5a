package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

// PremiumRow is one line of the premium summary with the names an export
// prints.
type PremiumRow struct {
	domain.PremiumTotal
	UnitCode string
	UnitName string
	PlanName string
}

// PremiumSummary totals the premiums of a plan year by unit and plan, over
// the members in scope (a member counts under their current unit). A voided
// enrollment (ended before it began) owes nothing.
func (s *Store) PremiumSummary(ctx context.Context, year int, scope Scope) ([]PremiumRow, error) {
	cond, args := scopeSQL(scope, 2)
	var lines []struct {
		UnitID   string `db:"unit_id"`
		PlanID   string `db:"plan_id"`
		PlanYear int    `db:"plan_year"`
		Scheme   string `db:"scheme"`
		Payer    string `db:"payer"`
		Premium  int64  `db:"premium_fen"`
	}
	if err := sqlx.SelectContext(ctx, s.db, &lines, `SELECT m.unit_id, e.plan_id, e.plan_year, e.scheme, p.payer, p.premium_fen
		FROM enrollments e JOIN members m ON m.id = e.member_id JOIN plans p ON p.id = e.plan_id
		WHERE e.plan_year = $1 AND e.covered_from < upper(e.period) AND `+cond, append([]any{year}, args...)...); err != nil {
		return nil, fmt.Errorf("premium lines: %w", err)
	}
	in := make([]domain.PremiumLine, len(lines))
	unitIDs, planIDs := map[string]bool{}, map[string]bool{}
	for i, l := range lines {
		in[i] = domain.PremiumLine{UnitID: l.UnitID, PlanID: l.PlanID, PlanYear: l.PlanYear, Scheme: domain.SchemeCode(l.Scheme),
			Payer: domain.Payer(l.Payer), Premium: money.Fen(l.Premium)}
		unitIDs[l.UnitID], planIDs[l.PlanID] = true, true
	}
	totals, err := domain.SummarizePremiums(in)
	if err != nil {
		return nil, err
	}
	names := map[string][2]string{}
	var units []struct {
		ID   string `db:"id"`
		Code string `db:"code"`
		Name string `db:"name"`
	}
	if err := sqlx.SelectContext(ctx, s.db, &units, `SELECT id, code, name FROM units WHERE id = ANY($1)`, pq.Array(keys(unitIDs))); err != nil {
		return nil, fmt.Errorf("premium units: %w", err)
	}
	for _, u := range units {
		names[u.ID] = [2]string{u.Code, u.Name}
	}
	plans, err := s.plansByID(ctx, s.db, keys(planIDs))
	if err != nil {
		return nil, err
	}
	out := make([]PremiumRow, len(totals))
	for i, t := range totals {
		out[i] = PremiumRow{PremiumTotal: t, UnitCode: names[t.UnitID][0], UnitName: names[t.UnitID][1], PlanName: plans[t.PlanID].Name}
	}
	return out, nil
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
