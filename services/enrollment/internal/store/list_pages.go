package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

// The registry's catalogues page by key (PLATFORM.md, "Lists"), each on an
// index in its order. The *Query builders are exported for the EXPLAIN
// guards.

func badCursor() error {
	return httpx.Invalid(fielderr.Problem{Field: "after", Code: "field.invalid"}).WithCause(page.ErrBadCursor)
}

func pageOf(p page.Request) page.Request {
	if p.Limit <= 0 || p.Limit > page.MaxLimit {
		p.Limit = page.DefaultLimit
	}
	return p
}

// UnitsQuery lists units from the root down (depth, then code), after the
// unit at (depth, code) when afterCode is set; units_list_keyset serves it.
func UnitsQuery(limit, afterDepth int, afterCode string) (string, []any) {
	q := `SELECT id, code, parent_id, name, kind, version, cardinality(path) AS depth FROM units`
	var args []any
	if afterCode != "" {
		q += ` WHERE (cardinality(path), code) > ($1, $2)`
		args = append(args, afterDepth, afterCode)
	}
	args = append(args, limit)
	return q + fmt.Sprintf(` ORDER BY cardinality(path), code LIMIT $%d`, len(args)), args
}

// unitListRow is a unit with its depth in the tree, its list key.
type unitListRow struct {
	unitRow
	Depth int `db:"depth"`
}

// Units lists a page of the units from the root down.
func (s *Store) Units(ctx context.Context, p page.Request) ([]domain.Unit, string, error) {
	p = pageOf(p)
	var (
		depth int
		code  string
	)
	if _, err := p.Decode(&depth, &code); err != nil {
		return nil, "", err
	}
	q, args := UnitsQuery(p.Fetch(), depth, code)
	var rows []unitListRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, q, args...); err != nil {
		return nil, "", fmt.Errorf("list units: %w", err)
	}
	rows, next := page.Trim(p, rows, func(r unitListRow) string { return page.Cursor(r.Depth, r.Code) })
	out := make([]domain.Unit, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, next, nil
}

// PlanKey is a plan's place in the list: newest year first, then scheme,
// name and id.
type PlanKey struct {
	Year         int
	Scheme, Name string
	ID           string
}

// PlansQuery lists plans, optionally of one year and scheme, after the key
// when after is set. The order is on (-plan_year) so that one row
// comparison and plans_list_keyset serve it.
func PlansQuery(limit, year int, scheme domain.SchemeCode, after *PlanKey) (string, []any) {
	q := `SELECT ` + planColumns + ` FROM plans p WHERE true`
	var args []any
	if year != 0 {
		args = append(args, year)
		q += fmt.Sprintf(` AND p.plan_year = $%d`, len(args))
	}
	if scheme != "" {
		args = append(args, string(scheme))
		q += fmt.Sprintf(` AND p.scheme = $%d`, len(args))
	}
	if after != nil {
		n := len(args)
		args = append(args, -after.Year, after.Scheme, after.Name, after.ID)
		q += fmt.Sprintf(` AND (-p.plan_year, p.scheme, p.name, p.id) > ($%d, $%d, $%d, $%d::uuid)`, n+1, n+2, n+3, n+4)
	}
	args = append(args, limit)
	return q + fmt.Sprintf(` ORDER BY -p.plan_year, p.scheme, p.name, p.id LIMIT $%d`, len(args)), args
}

// Plans lists a page of plans, newest year first, optionally of one year
// and scheme.
func (s *Store) Plans(ctx context.Context, year int, scheme domain.SchemeCode, p page.Request) ([]domain.Plan, string, error) {
	p = pageOf(p)
	var k PlanKey
	ok, err := p.Decode(&k.Year, &k.Scheme, &k.Name, &k.ID)
	if err != nil {
		return nil, "", err
	}
	var after *PlanKey
	if ok {
		if _, err := uuid.Parse(k.ID); err != nil {
			return nil, "", badCursor()
		}
		after = &k
	}
	q, args := PlansQuery(p.Fetch(), year, scheme, after)
	var rows []planRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, q, args...); err != nil {
		return nil, "", fmt.Errorf("list plans: %w", err)
	}
	rows, next := page.Trim(p, rows, func(r planRow) string { return page.Cursor(r.Year, r.Scheme, r.Name, r.ID) })
	out := make([]domain.Plan, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, next, nil
}
