package grants

import (
	"context"

	"github.com/anxin-welfare/anxin/services/grants/internal/scaleseed"
)

// ScaleSize is how big a fund history SeedScale writes: applications, the
// ledger lines to aim at, and fiscal years ending with this one.
type ScaleSize = scaleseed.Size

// ScaleMember is a registered member as enrollment's events announce it.
type ScaleMember = scaleseed.Member

// ScaleCounts is what SeedScale wrote, table by table.
type ScaleCounts = scaleseed.Counts

// SeedScale writes a reproducible fund history into the service's
// (migrated, empty) schema with COPY: funds, programmes, applications
// through the approval chain and the balanced ledger the service would
// have posted; see scaleseed.Seeder.Seed.
func (s *Service) SeedScale(ctx context.Context, size ScaleSize, members []ScaleMember, seed uint64) (ScaleCounts, error) {
	return scaleseed.New(s.Workflow.Store.DB, s.Workflow.Store.Clock).Seed(ctx, size, members, seed)
}
