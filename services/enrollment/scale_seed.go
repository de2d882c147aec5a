package enrollment

import (
	"context"

	"github.com/anxin-welfare/anxin/services/enrollment/internal/store"
)

// ScaleSize is how big a registry SeedScale writes.
type ScaleSize struct {
	// Units below the county committee's root unit.
	Units int
	// Members spread over the units.
	Members int
	// Years of plans and enrollments (two schemes a year), ending with
	// the current one.
	Years int
}

// ScaleCounts is what SeedScale wrote, table by table.
type ScaleCounts = store.ScaleCounts

// SeedScale writes a reproducible province registry into the service's
// (migrated, empty) schema with COPY; see store.SeedScale for what it
// writes and what it deliberately leaves out (audit log, outbox).
func (s *Service) SeedScale(ctx context.Context, size ScaleSize, seed uint64) (ScaleCounts, error) {
	return s.store.SeedScale(ctx, store.ScaleSize(size), seed, s.base.Deps.Clock.Now())
}

// ScaleMember is one registered member as the other services' scale seeds
// see it; ScalePlan one plan (scheme and year).
type (
	ScaleMember = store.ScaleMember
	ScalePlan   = store.ScalePlan
)

// ScaleRoster reads the registry back (members in id order, plans by
// year), so that `anxin seed scale` can hand the other services what
// enrollment's events would have told their projections.
func (s *Service) ScaleRoster(ctx context.Context) ([]ScaleMember, []ScalePlan, error) {
	return s.store.ScaleRoster(ctx)
}
