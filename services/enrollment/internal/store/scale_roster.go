package store

import (
	"context"
	"fmt"
	"time"
)

// ScaleMember is what the other services' scale seeds need to know of a
// registered member: what enrollment's member events would have told their
// projections.
type ScaleMember struct {
	ID           string    `db:"id"`
	UnitID       string    `db:"unit_id"`
	Name         string    `db:"name"`
	Category     string    `db:"category"`
	Frontline    bool      `db:"frontline"`
	BirthDate    time.Time `db:"birth_date"`
	HireDate     time.Time `db:"hire_date"`
	ServiceStart time.Time `db:"service_start"`
	Status       string    `db:"status"`
	Version      int64     `db:"version"`
}

// ScalePlan is one plan of the registry: which scheme covers which year.
type ScalePlan struct {
	ID     string `db:"id"`
	Scheme string `db:"scheme"`
	Year   int    `db:"plan_year"`
}

// ScaleRoster reads the registry back for the other services' scale seeds,
// members in id order so that a seed drawing from it is reproducible.
func (s *Store) ScaleRoster(ctx context.Context) ([]ScaleMember, []ScalePlan, error) {
	var ms []ScaleMember
	if err := s.db.SelectContext(ctx, &ms, `SELECT id::text AS id, unit_id::text AS unit_id, name, category, frontline,
		birth_date, hire_date, service_start, status, version FROM members ORDER BY id`); err != nil {
		return nil, nil, fmt.Errorf("scale roster: members: %w", err)
	}
	var ps []ScalePlan
	if err := s.db.SelectContext(ctx, &ps, `SELECT id::text AS id, scheme, plan_year FROM plans ORDER BY plan_year, scheme, id`); err != nil {
		return nil, nil, fmt.Errorf("scale roster: plans: %w", err)
	}
	for i := range ms {
		ms[i].BirthDate, ms[i].HireDate, ms[i].ServiceStart = day(ms[i].BirthDate), day(ms[i].HireDate), day(ms[i].ServiceStart)
	}
	return ms, ps, nil
}
