package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

// BulkState is what BulkEnroll hands its decision: the plan, the active
// members of the units (and the units below them), locked on a real run,
// and their enrollments by member.
type BulkState struct {
	Plan     domain.Plan
	Members  []*domain.Member
	Existing map[string][]domain.Enrollment
}

// BulkEnroll saves the bulk enrollment decide plans in plan planID for the
// members of unitIDs, every unit in scope (else a UnitNotManagedError
// naming the first that is not): the enrollments with their facts and events and one audit
// row, all or nothing. With dryRun it only returns the plan; the real run
// plans on locked, fresh state. An unknown plan is ErrPlanNotFound.
func (s *Store) BulkEnroll(ctx context.Context, planID string, unitIDs []string, dryRun bool, scope Scope, meta Meta, ann Announcer,
	decide func(BulkState) domain.BulkPlan) (domain.BulkPlan, error) {
	var out domain.BulkPlan
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		p, err := s.getPlan(ctx, tx, planID)
		if errors.Is(err, ErrNotFound) {
			return ErrPlanNotFound
		}
		if err != nil {
			return err
		}
		for i, u := range unitIDs {
			if err := s.checkUnitInScope(ctx, tx, u, scope); errors.Is(err, ErrUnitNotManaged) {
				return &UnitNotManagedError{Index: i}
			} else if err != nil {
				return err
			}
		}
		members, err := s.activeMembersOf(ctx, tx, unitIDs, !dryRun)
		if err != nil {
			return err
		}
		ids := make([]string, len(members))
		for i, m := range members {
			ids[i] = m.ID
		}
		existing, err := s.enrollmentsOf(ctx, tx, ids, false)
		if err != nil {
			return err
		}
		out = decide(BulkState{Plan: p, Members: members, Existing: existing})
		if dryRun {
			return nil
		}
		return s.commitBulk(ctx, tx, out, p, "enrollment.bulk_enroll", meta, ann)
	})
	return out, err
}

// RenewalState is what Renew hands its decision: the current plan, the
// next one, the members in scope enrolled in the current plan, by id
// (locked on a real run), and all their enrollments by member.
type RenewalState struct {
	Current, Next domain.Plan
	Members       map[string]*domain.Member
	Existing      map[string][]domain.Enrollment
}

// Renew saves the renewal decide plans from plan planID into nextPlanID,
// as BulkEnroll does. An unknown current plan is ErrNotFound, an unknown
// next plan ErrNextPlanNotFound.
func (s *Store) Renew(ctx context.Context, planID, nextPlanID string, dryRun bool, scope Scope, meta Meta, ann Announcer,
	decide func(RenewalState) (domain.BulkPlan, error)) (domain.BulkPlan, error) {
	var out domain.BulkPlan
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		cur, err := s.getPlan(ctx, tx, planID)
		if err != nil {
			return err
		}
		next, err := s.getPlan(ctx, tx, nextPlanID)
		if errors.Is(err, ErrNotFound) {
			return ErrNextPlanNotFound
		}
		if err != nil {
			return err
		}
		cond, args := scopeSQL(scope, 2)
		lock := ""
		if !dryRun {
			lock = " FOR UPDATE OF m"
		}
		var rows []memberRow
		if err := sqlx.SelectContext(ctx, tx, &rows, `SELECT `+memberColumns+` FROM members m
			WHERE m.id IN (SELECT member_id FROM enrollments WHERE plan_id = $1) AND `+cond+` ORDER BY m.id`+lock,
			append([]any{planID}, args...)...); err != nil {
			return fmt.Errorf("load enrolled members: %w", err)
		}
		members := map[string]*domain.Member{}
		ids := make([]string, 0, len(rows))
		for _, r := range rows {
			m, err := s.toDomain(r, false)
			if err != nil {
				return err
			}
			members[m.ID] = m
			ids = append(ids, m.ID)
		}
		existing, err := s.enrollmentsOf(ctx, tx, ids, false)
		if err != nil {
			return err
		}
		out, err = decide(RenewalState{Current: cur, Next: next, Members: members, Existing: existing})
		if err != nil || dryRun {
			return err
		}
		return s.commitBulk(ctx, tx, out, next, "enrollment.renew", meta, ann)
	})
	return out, err
}

func (s *Store) commitBulk(ctx context.Context, tx *sqlx.Tx, plan domain.BulkPlan, p domain.Plan, action string, meta Meta, ann Announcer) error {
	es := make([]domain.Enrollment, len(plan.Enroll))
	evs := make([]domain.EnrollmentEvent, len(plan.Enroll))
	for i, c := range plan.Enroll {
		es[i], evs[i] = c.Enrollment, c.Event
	}
	if err := s.insertEnrollments(ctx, tx, es, evs, p, s.now(), meta, ann); err != nil {
		return err
	}
	return audit.Write(ctx, tx, s.clock, audit.Entry{Actor: meta.Actor, Action: action, ObjectType: "plan", ObjectID: p.ID,
		After: map[string]int{"enrolled": len(plan.Enroll), "skipped": len(plan.Skipped)}, RequestID: meta.RequestID})
}

// activeMembersOf loads the active members of the units and the units
// below them; lock takes their rows so no status change slips in between.
func (s *Store) activeMembersOf(ctx context.Context, q sqlx.QueryerContext, unitIDs []string, lock bool) ([]*domain.Member, error) {
	query := `SELECT ` + memberColumns + ` FROM members m
		WHERE m.status = 'active' AND m.unit_id IN (SELECT id FROM units WHERE path && $1::uuid[]) ORDER BY m.id`
	if lock {
		query += ` FOR UPDATE OF m`
	}
	var rows []memberRow
	if err := sqlx.SelectContext(ctx, q, &rows, query, pq.Array(unitIDs)); err != nil {
		return nil, fmt.Errorf("load members of units: %w", err)
	}
	out := make([]*domain.Member, 0, len(rows))
	for _, r := range rows {
		m, err := s.toDomain(r, false)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}
