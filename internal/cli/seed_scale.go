package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/anxin-welfare/anxin/pkg/app"
	"github.com/anxin-welfare/anxin/services/enrollment"
	"github.com/anxin-welfare/anxin/services/grants"
	"github.com/anxin-welfare/anxin/services/injury"
	"github.com/anxin-welfare/anxin/services/leave"
)

// scaleParts are the services `anxin seed scale` writes, in the order it
// writes them: the others draw their members from enrollment's registry.
var scaleParts = []string{"enrollment", "injury", "grants", "leave"}

// scaleOptions are the flags of `anxin seed scale`; the defaults are issue
// 12's province.
type scaleOptions struct {
	seed         uint64
	services     []string
	units        int
	members      int
	years        int
	cases        int
	caseYears    int
	applications int
	ledgerLines  int
	grantYears   int
	leaveYears   int
}

func seedScaleCmd() *cobra.Command {
	var o scaleOptions
	cmd := &cobra.Command{
		Use:   "scale",
		Short: "Write a reproducible province of realistic size with COPY, for performance work",
		Long: `Write a province of realistic size straight into the services' own tables with
COPY: the registry first, then the other three parts at once:

  enrollment  units, members with their sealed first version, a plan per
              scheme and year, every active member enrolled;
  injury      cases over --case-years, each taken through the service's own
              state machine and clock policy: SLA clocks, timelines, payment
              guarantees, the queue's due and in-charge columns; old cases
              closed, recent ones open with deadlines still ahead; each
              year's numbering sequence continues after the seeded numbers;
  grants      a fund per fiscal year with the same programmes, applications
              through the approval chain, and the double-entry ledger the
              service posts (commitments, disbursements, payments, recurring
              grants month by month): every entry balances, no fund is
              overspent, counters equal the ledger;
  leave       balance ledgers for every active member booked by the
              entitlement and year-end rollover rules, requests and
              decisions, recuperation stays and health-check rounds.

The injury, grants and leave parts fill their projections of members from
enrollment's registry, as its events would have; --services can seed them
later against a registry seeded before.

The schemas are migrated as by "anxin migrate"; the rows go through every
constraint PostgreSQL enforces for normal writes (keys, checks, the
ledger's balance, the budget), in one transaction per service (grants
commits its ledger in chunks, and a failed grants part removes what it
committed). The reporting tables the committee's overview reads are kept by
row triggers for normal writes; the seed turns those off inside its own
transactions (the tables stay locked until they commit, so nothing else
sees them off) and rebuilds the reporting tables from the seeded rows
before it commits, so the overview agrees with them. The same --seed
writes the same province. The
audit log and the outbox are not written: the seeded data is the state
before the audit chain begins, and no events are owed for it.

Each part refuses a schema that already has its rows (nothing is written
then); the whole command refuses to run when ANXIN_ENV=production.`,
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
	f.StringSliceVar(&o.services, "services", scaleParts, "the parts to seed, of "+strings.Join(scaleParts, ","))
	f.IntVar(&o.units, "units", 300, "enrollment: units below the committee")
	f.IntVar(&o.members, "members", 100_000, "enrollment: members")
	f.IntVar(&o.years, "years", 2, "enrollment: years of plans and enrollments, ending with this one")
	f.IntVar(&o.cases, "cases", 1_000_000, "injury: cases")
	f.IntVar(&o.caseYears, "case-years", 10, "injury: years the cases were opened over, up to now")
	f.IntVar(&o.applications, "applications", 200_000, "grants: applications")
	f.IntVar(&o.ledgerLines, "ledger-lines", 5_000_000, "grants: journal lines to aim at (recurring grants make up the rest)")
	f.IntVar(&o.grantYears, "grant-years", 5, "grants: fiscal years of funds, ending with this one")
	f.IntVar(&o.leaveYears, "leave-years", 5, "leave: years of ledgers, ending with this one")
	return cmd
}

func (o scaleOptions) validate() error {
	var errs []error
	for _, s := range o.services {
		if !slices.Contains(scaleParts, s) {
			errs = append(errs, fmt.Errorf("--services: %q is not one of %s", s, strings.Join(scaleParts, ", ")))
		}
	}
	if o.units < 1 || o.members < 1 || o.years < 1 {
		errs = append(errs, errors.New("--units, --members and --years must be positive"))
	}
	if o.cases < 0 || o.applications < 0 || o.ledgerLines < 0 {
		errs = append(errs, errors.New("--cases, --applications and --ledger-lines must not be negative"))
	}
	if o.caseYears < 1 || o.grantYears < 1 || o.leaveYears < 1 {
		errs = append(errs, errors.New("--case-years, --grant-years and --leave-years must be positive"))
	}
	return errors.Join(errs...)
}

// seedScale migrates the services it seeds, as `anxin migrate` does, and
// writes each one's tables, reporting the time each part took.
func seedScale(ctx context.Context, stdout io.Writer, o scaleOptions) error {
	if err := o.validate(); err != nil {
		return usageError{err}
	}
	targets := []string{"enrollment"} // the registry the others draw from
	for _, p := range scaleParts[1:] {
		if slices.Contains(o.services, p) {
			targets = append(targets, p)
		}
	}
	cfg, cfgs, err := loadAll(targets)
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
	total := time.Now()
	start := time.Now()
	reg, err := enrollment.New(ctx, deps, cfgs["enrollment"].(enrollment.Config))
	if err != nil {
		return fmt.Errorf("seed scale: enrollment: %w", err)
	}
	if slices.Contains(o.services, "enrollment") {
		n, err := reg.SeedScale(ctx, enrollment.ScaleSize{Units: o.units, Members: o.members, Years: o.years}, o.seed)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "enrollment: %d units, %d members (%d versions), %d plans, %d enrollments (%d events) in %s\n",
			n.Units, n.Members, n.MemberVersions, n.Plans, n.Enrollments, n.EnrollmentEvents, since(start))
	}
	if len(targets) == 1 {
		return nil
	}
	members, plans, err := reg.ScaleRoster(ctx)
	if err != nil {
		return err
	}
	// The parts after the registry share nothing but the members they were
	// given (each writes its own schema, in its own transactions), so they
	// run at once: one part's COPY keeps the server busy while another
	// builds its rows. A part that fails leaves its schema as it found it
	// and does not stop the others; the command then fails naming it.
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
	)
	for _, part := range targets[1:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			line, err := seedScalePart(ctx, deps, cfgs[part], part, o, members, plans)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				fmt.Fprintf(stdout, "%s: failed after %s\n", part, since(start))
				return
			}
			fmt.Fprintf(stdout, "%s: %s in %s\n", part, line, since(start))
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded in %s\n", since(total))
	return nil
}

func since(t time.Time) time.Duration { return time.Since(t).Round(time.Millisecond) }

// seedScalePart opens one service on its schema and seeds it with the
// registry's members, returning what it wrote. The reporting tables the
// committee's overview reads are read models kept by triggers for normal
// writes; each part's seed rebuilds them from the facts in its own
// transaction, so the overview agrees with the seeded rows.
func seedScalePart(ctx context.Context, deps *app.Deps, cfg any, part string, o scaleOptions,
	members []enrollment.ScaleMember, plans []enrollment.ScalePlan) (string, error) {
	switch part {
	case "injury":
		svc, err := injury.New(ctx, deps, cfg.(injury.Config))
		if err != nil {
			return "", fmt.Errorf("seed scale: injury: %w", err)
		}
		ms := make([]injury.ScaleMember, len(members))
		for i, m := range members {
			ms[i] = injury.ScaleMember{ID: m.ID, UnitID: m.UnitID, Name: m.Name, Category: m.Category, BirthDate: m.BirthDate,
				HireDate: m.HireDate, Active: m.Status == "active", Version: m.Version}
		}
		ps := make([]injury.ScalePlan, len(plans))
		for i, p := range plans {
			ps[i] = injury.ScalePlan{ID: p.ID, Scheme: p.Scheme, Year: p.Year}
		}
		// the seed rebuilds injury's reporting tables in its own transaction
		n, err := svc.SeedScale(ctx, injury.ScaleSize{Cases: o.cases, Years: o.caseYears}, ms, ps, o.seed)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%d members projected, %d cases (%d open), %d clocks, %d timeline lines, %d guarantees",
			n.Members, n.Cases, n.OpenCases, n.Clocks, n.Timeline, n.Guarantees), nil
	case "grants":
		svc, err := grants.New(ctx, deps, cfg.(grants.Config))
		if err != nil {
			return "", fmt.Errorf("seed scale: grants: %w", err)
		}
		ms := make([]grants.ScaleMember, len(members))
		for i, m := range members {
			ms[i] = grants.ScaleMember{ID: m.ID, UnitID: m.UnitID, Name: m.Name, Category: m.Category, Version: m.Version}
		}
		// the seed rebuilds grants' reporting tables in its last transaction
		n, err := svc.SeedScale(ctx, grants.ScaleSize{Applications: o.applications, LedgerLines: o.ledgerLines, Years: o.grantYears}, ms, o.seed)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%d members projected, %d funds, %d programmes, %d applications (%d actions, %d recurring), %d disbursements, %d entries, %d ledger lines",
			n.Members, n.Funds, n.Programs, n.Applications, n.Actions, n.Recurring, n.Disbursements, n.Entries, n.Lines), nil
	default: // leave
		svc, err := leave.New(ctx, deps, cfg.(leave.Config))
		if err != nil {
			return "", fmt.Errorf("seed scale: leave: %w", err)
		}
		ms := make([]leave.ScaleMember, len(members))
		for i, m := range members {
			ms[i] = leave.ScaleMember{ID: m.ID, UnitID: m.UnitID, Name: m.Name, Category: m.Category, Frontline: m.Frontline,
				Active: m.Status == "active", WorkStart: m.ServiceStart, JoinedOn: m.HireDate, Version: m.Version}
		}
		// the seed rebuilds leave's reporting tables in its own transaction
		n, err := svc.SeedScale(ctx, leave.ScaleSize{Years: o.leaveYears}, ms, o.seed)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%d members projected, %d ledger entries, %d year closings, %d requests (%d decisions), %d stays (%d bookings), %d health-check rounds (%d slots, %d bookings)",
			n.Members, n.LedgerEntries, n.YearClosings, n.Requests, n.Decisions, n.Sessions, n.Bookings, n.Rounds, n.Slots, n.CheckBookings), nil
	}
}
