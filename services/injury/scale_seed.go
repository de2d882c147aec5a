package injury

import (
	"context"

	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

// ScaleSize is how many cases SeedScale writes, opened evenly over how
// many years up to now.
type ScaleSize = store.ScaleSize

// ScaleMember is a registered member as enrollment's events announce it;
// ScalePlan an enrollment plan (which scheme covered which year).
type (
	ScaleMember = store.ScaleMember
	ScalePlan   = store.ScalePlan
)

// ScaleCounts is what SeedScale wrote, table by table.
type ScaleCounts = store.ScaleCounts

// SeedScale writes a reproducible province of injury cases into the
// service's (migrated, empty) schema with COPY: the member projection and
// cases taken through the domain's state machine with the service's clock
// policy; see store.SeedScale for what it writes and leaves out.
func (s *Service) SeedScale(ctx context.Context, size ScaleSize, members []ScaleMember, plans []ScalePlan, seed uint64) (ScaleCounts, error) {
	return s.store.SeedScale(ctx, size, members, plans, seed)
}
