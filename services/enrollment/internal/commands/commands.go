// Package commands runs the enrollment service's commands on members,
// enrollments and roster imports: it loads what a command needs through
// the store, locked, in the command's transaction, lets the domain (and
// roster's import planning) decide, and has the store save the decision
// with its version rows, events (the outbox) and audit row in that same
// transaction; this package builds those events and audit views
// (Announce, from internal/events) and the store writes what it is given. The HTTP handlers go through it; the store keeps
// persistence only, and says which plan it could not find while the
// command says which field named it.
package commands

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/roster"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/store"
)

// Service runs the commands.
type Service struct {
	Store *store.Store
}

// New returns a Service over st.
func New(st *store.Store) *Service { return &Service{Store: st} }

// unknownPlan is the field problem for a plan id that names no plan.
func unknownPlan(field string) error {
	return fielderr.Fail(field, "enrollment.plan_unknown")
}

// unknownUnit is the field problem for a unit id that names no unit the
// caller manages, when the store says so (store.ErrUnitNotManaged);
// other errors pass unchanged.
func unknownUnit(field string, err error) error {
	if errors.Is(err, store.ErrUnitNotManaged) {
		return fielderr.Fail(field, "enrollment.unit_unknown")
	}
	return err
}

// CreateUnit adds a unit as in describes it (domain.NewUnit) below its
// parent (a root when ParentID is ""); a parent that does not exist is a
// problem of parent_id.
func (s *Service) CreateUnit(ctx context.Context, in domain.UnitInput, meta store.Meta) (domain.Unit, error) {
	u, err := domain.NewUnit(store.NewID(), in)
	if err != nil {
		return domain.Unit{}, err
	}
	u, err = s.Store.CreateUnit(ctx, u, meta)
	if errors.Is(err, store.ErrParentNotFound) {
		return domain.Unit{}, fielderr.Fail("parent_id", "enrollment.unit_unknown")
	}
	return u, err
}

// UpdateUnit renames, recodes or moves unit id, read at version ifVersion
// when > 0, as in describes it; a move below itself or under a unit that
// does not exist is refused (domain.UnitTree.Update).
func (s *Service) UpdateUnit(ctx context.Context, id string, ifVersion int64, in domain.UnitInput, meta store.Meta) (domain.Unit, error) {
	return s.Store.UpdateUnit(ctx, id, ifVersion, meta, func(before domain.Unit, tree *domain.UnitTree) (domain.Unit, error) {
		return tree.Update(before, in)
	})
}

// CreatePlan adds a plan as in describes it (domain.NewPlan).
func (s *Service) CreatePlan(ctx context.Context, in domain.PlanInput, meta store.Meta) (domain.Plan, error) {
	p, err := domain.NewPlan(store.NewID(), in)
	if err != nil {
		return domain.Plan{}, err
	}
	return s.Store.CreatePlan(ctx, p, meta)
}

// CreateMember registers a member of a unit the caller manages (scope),
// from the form in.
func (s *Service) CreateMember(ctx context.Context, in domain.MemberInput, scope store.Scope, meta store.Meta) (*domain.Member, error) {
	m, err := s.Store.CreateMember(ctx, in.UnitID, scope, meta, Announce, func(today time.Time) (*domain.Member, error) {
		return domain.NewMember(store.NewID(), in, today)
	})
	return m, unknownUnit("unit_id", err)
}

// UpdateMember runs fn on member id (in scope) at version ifVersion (when
// > 0) and saves what it changed. A change that ends the member's
// enrollments (domain.ChangeKind.EndsEnrollments: retired, left, died)
// closes their active enrollments in the same transaction
// (domain.EndForMember).
func (s *Service) UpdateMember(ctx context.Context, id string, scope store.Scope, ifVersion int64, meta store.Meta,
	fn func(m *domain.Member, today time.Time) (store.MemberChange, error)) (*domain.Member, error) {
	m, err := s.Store.UpdateMember(ctx, id, scope, ifVersion, meta, Announce, func(u *store.MemberUpdate) error {
		change, err := fn(u.Member, u.Today)
		if err != nil {
			return err
		}
		u.Change = change
		if !change.EndsEnrollments() {
			return nil
		}
		es, err := u.Enrollments(ctx)
		if err != nil {
			return err
		}
		u.Closed, u.ClosedFacts, err = domain.EndForMember(u.Member, es)
		return err
	})
	return m, unknownUnit("unit_id", err)
}

// Enroll puts member memberID (in scope) into plan planID from start
// (domain.Enroll); an unknown plan is a problem of plan_id.
func (s *Service) Enroll(ctx context.Context, memberID, planID string, start time.Time, scope store.Scope, meta store.Meta) (domain.Enrollment, error) {
	e, err := s.Store.Enroll(ctx, memberID, planID, scope, meta, Announce,
		func(st store.EnrollState) (domain.Enrollment, domain.EnrollmentEvent, error) {
			return domain.Enroll(store.NewID(), st.Member, st.Plan, start, st.Existing)
		})
	if errors.Is(err, store.ErrPlanNotFound) {
		return domain.Enrollment{}, unknownPlan("plan_id")
	}
	return e, err
}

// CloseEnrollment lapses or ends enrollment id (its member in scope), read
// at version ifVersion when > 0, on lastDay for reason
// (domain.Enrollment.Close).
func (s *Service) CloseEnrollment(ctx context.Context, id string, scope store.Scope, ifVersion int64, lastDay time.Time,
	reason domain.EndReason, meta store.Meta) (domain.Enrollment, error) {
	return s.Store.CloseEnrollment(ctx, id, scope, ifVersion, meta, Announce, func(e *domain.Enrollment) (domain.EnrollmentEvent, error) {
		return e.Close(lastDay, reason)
	})
}

// BulkEnroll enrolls every eligible active member of the given units (and
// the units below them) in plan planID from start
// (domain.PlanBulkEnrollment). With dryRun it only returns the preview;
// the real run plans the same on locked, fresh state and commits it all or
// nothing. An unknown plan is not found; a unit the caller does not manage
// is a problem of unit_ids[i].
func (s *Service) BulkEnroll(ctx context.Context, planID string, unitIDs []string, start time.Time, dryRun bool,
	scope store.Scope, meta store.Meta) (domain.BulkPlan, error) {
	plan, err := s.Store.BulkEnroll(ctx, planID, unitIDs, dryRun, scope, meta, Announce, func(st store.BulkState) domain.BulkPlan {
		return domain.PlanBulkEnrollment(st.Plan, st.Members, st.Existing, start, store.NewID)
	})
	var unit *store.UnitNotManagedError
	if errors.As(err, &unit) {
		return domain.BulkPlan{}, unknownUnit(fmt.Sprintf("unit_ids[%d]", unit.Index), err)
	}
	return plan, err
}

// Renew enrolls in nextPlanID everyone in scope enrolled in planID to the
// end of its coverage and still eligible (domain.PlanRenewal). An unknown
// plan is not found; an unknown next plan is a problem of next_plan_id.
func (s *Service) Renew(ctx context.Context, planID, nextPlanID string, dryRun bool, scope store.Scope, meta store.Meta) (domain.BulkPlan, error) {
	plan, err := s.Store.Renew(ctx, planID, nextPlanID, dryRun, scope, meta, Announce, func(st store.RenewalState) (domain.BulkPlan, error) {
		return domain.PlanRenewal(st.Current, st.Next, domain.EnrolledIn(planID, st.Existing), st.Members, st.Existing, store.NewID)
	})
	if errors.Is(err, store.ErrNextPlanNotFound) {
		return domain.BulkPlan{}, unknownPlan("next_plan_id")
	}
	return plan, err
}

// ImportRoster validates a roster and, unless dryRun, applies it in one
// transaction: all rows or none (a real run with problems is
// store.ErrRosterRejected). Rows are checked against the units the caller
// manages (roster.Validate); a member registered in a unit the caller does
// not manage is not theirs to change (roster.KeepManaged); the rest is
// planned against the registered members (roster.PlanImport). It is
// idempotent on the identity number: a row whose member is already
// registered with the same details changes nothing, so importing the same
// file twice writes nothing the second time (beyond the import record).
// The problems come in line order.
func (s *Service) ImportRoster(ctx context.Context, f store.ImportFile, dryRun bool, scope store.Scope, meta store.Meta) (store.ImportResult, error) {
	return s.Store.ImportRoster(ctx, f, dryRun, scope, meta, Announce, func(ctx context.Context, st store.ImportState) (roster.Plan, []roster.Problem, error) {
		rows, problems, err := roster.Validate(f.Sheet, st.Units, st.Today)
		if err != nil {
			return roster.Plan{}, nil, err
		}
		existing, err := st.Registered(ctx, rows)
		if err != nil {
			return roster.Plan{}, nil, err
		}
		kept, foreign := roster.KeepManaged(rows, existing, st.Managed)
		plan, more := roster.PlanImport(kept, existing, store.NewID, st.Today)
		problems = append(append(problems, foreign...), more...)
		slices.SortStableFunc(problems, func(a, b roster.Problem) int { return a.Line - b.Line })
		return plan, problems, nil
	})
}
