package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

// unknownPlan is the field problem for a plan id that does not exist.
func unknownPlan(field string) error {
	return fielderr.Fail(field, "enrollment.plan_unknown")
}

// BulkEnroll enrolls every eligible active member of the given units (and
// the units below them) in a plan from start. With dryRun it only returns
// the preview; the real run computes the same plan on locked, fresh state
// and commits it all or nothing.
func (s *Store) BulkEnroll(ctx context.Context, planID string, unitIDs []string, start time.Time, dryRun bool, scope Scope, meta Meta) (domain.BulkPlan, error) {
	var out domain.BulkPlan
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		p, err := s.getPlan(ctx, tx, planID)
		if errors.Is(err, ErrNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		for i, u := range unitIDs {
			if err := s.checkUnitInScope(ctx, tx, u, scope); err != nil {
				return fielderr.Fail(fmt.Sprintf("unit_ids[%d]", i), "enrollment.unit_unknown")
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
		out = domain.PlanBulkEnrollment(p, members, existing, start, newID)
		if dryRun {
			return nil
		}
		return s.commitBulk(ctx, tx, out, p, "enrollment.bulk_enroll", meta)
	})
	return out, err
}

// Renew enrolls in nextPlanID everyone enrolled in planID to the end of its
// coverage and still eligible.
func (s *Store) Renew(ctx context.Context, planID, nextPlanID string, dryRun bool, scope Scope, meta Meta) (domain.BulkPlan, error) {
	var out domain.BulkPlan
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		cur, err := s.getPlan(ctx, tx, planID)
		if err != nil {
			return err
		}
		next, err := s.getPlan(ctx, tx, nextPlanID)
		if errors.Is(err, ErrNotFound) {
			return unknownPlan("next_plan_id")
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
		var current []domain.Enrollment
		for _, es := range existing {
			for _, e := range es {
				if e.PlanID == planID {
					current = append(current, e)
				}
			}
		}
		out, err = domain.PlanRenewal(cur, next, current, members, existing, newID)
		if err != nil || dryRun {
			return err
		}
		return s.commitBulk(ctx, tx, out, next, "enrollment.renew", meta)
	})
	return out, err
}

func (s *Store) commitBulk(ctx context.Context, tx *sqlx.Tx, plan domain.BulkPlan, p domain.Plan, action string, meta Meta) error {
	es := make([]domain.Enrollment, len(plan.Enroll))
	evs := make([]domain.EnrollmentEvent, len(plan.Enroll))
	for i, c := range plan.Enroll {
		es[i], evs[i] = c.Enrollment, c.Event
	}
	if err := s.insertEnrollments(ctx, tx, es, evs, p, s.now(), meta); err != nil {
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
