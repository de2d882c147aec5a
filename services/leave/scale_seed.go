package leave

import (
	"context"

	"github.com/anxin-welfare/anxin/services/leave/internal/store"
)

// ScaleSize is how many years of leave SeedScale writes, ending with this one.
type ScaleSize = store.ScaleSize

// ScaleMember is a registered member as enrollment's events announce it.
type ScaleMember = store.ScaleMember

// ScaleCounts is what SeedScale wrote, table by table.
type ScaleCounts = store.ScaleCounts

// SeedScale writes a reproducible province's leave into the service's
// (migrated, empty) schema with COPY: balance ledgers booked by the
// domain's entitlement and rollover rules, requests and decisions,
// recuperation stays and health-check rounds; see store.SeedScale.
func (s *Service) SeedScale(ctx context.Context, size ScaleSize, members []ScaleMember, seed uint64) (ScaleCounts, error) {
	return s.store.SeedScale(ctx, size, members, seed)
}
