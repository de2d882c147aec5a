package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/anxin-welfare/anxin/pkg/app"
	"github.com/anxin-welfare/anxin/services/enrollment"
)

// scaleOptions are the flags of `anxin seed scale`; the defaults are issue
// 12's province.
type scaleOptions struct {
	seed    uint64
	units   int
	members int
	years   int
}

func seedScaleCmd() *cobra.Command {
	var o scaleOptions
	cmd := &cobra.Command{
		Use:   "scale",
		Short: "Write a reproducible province of realistic size with COPY, for performance work",
		Long: `Write a province of realistic size straight into the services' own tables with
COPY: the registry (units, members with their sealed first version, a plan per
scheme and year, every active member enrolled with its activation fact).

The schemas are migrated as by "anxin migrate"; the rows go through every
constraint and trigger PostgreSQL enforces for normal writes, in one
transaction per service. The same --seed writes the same province. The audit
log and the outbox are not written: the seeded data is the state before the
audit chain begins, and no events are owed for it, so the other services'
projections of members are not filled by it.

Only the enrollment registry is seeded so far; injury cases, grants and leave
are not yet (issue 12). It refuses a schema that already has members, and
refuses to run when ANXIN_ENV=production.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if err := cobra.NoArgs(cmd, args); err != nil {
				return usageError{err}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return seedScale(cmd.Context(), cmd.OutOrStdout(), o)
		},
	}
	f := cmd.Flags()
	f.Uint64Var(&o.seed, "seed", 12, "random seed: the same seed writes the same province")
	f.IntVar(&o.units, "units", 300, "units below the committee")
	f.IntVar(&o.members, "members", 100_000, "members")
	f.IntVar(&o.years, "years", 2, "years of plans and enrollments, ending with this one")
	return cmd
}

// seedScale migrates the services it seeds, as `anxin migrate` does, and
// writes each one's tables.
func seedScale(ctx context.Context, stdout io.Writer, o scaleOptions) error {
	if o.units < 1 || o.members < 1 || o.years < 1 {
		return usageError{errors.New("--units, --members and --years must be positive")}
	}
	cfg, cfgs, err := loadAll([]string{"enrollment"})
	if err != nil {
		return err
	}
	if cfg.Env == app.EnvProduction {
		return errors.New("seed scale: refused with ANXIN_ENV=production")
	}
	log := app.NewLogger(cfg.LogLevel)
	deps, err := app.Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer deps.Close()
	start := time.Now()
	svc, err := enrollment.New(ctx, deps, cfgs["enrollment"].(enrollment.Config))
	if err != nil {
		return fmt.Errorf("seed scale: enrollment: %w", err)
	}
	n, err := svc.SeedScale(ctx, enrollment.ScaleSize{Units: o.units, Members: o.members, Years: o.years}, o.seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "enrollment: %d units, %d members (%d versions), %d plans, %d enrollments (%d events) in %s\n",
		n.Units, n.Members, n.MemberVersions, n.Plans, n.Enrollments, n.EnrollmentEvents, time.Since(start).Round(time.Millisecond))
	return nil
}
