package events

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
)

// Consumer names (durable consumers and inbox keys).
const (
	ConsumerInjury     = "grants-injury"
	ConsumerEnrollment = "grants-enrollment"
	// ConsumerMembers follows member.registered and member.updated; a
	// consumer of its own, so a new deployment reads the stream's history.
	ConsumerMembers = "grants-members"
)

// errBadPayload marks an event that can never apply; it goes to dead
// letters at once instead of being retried.
var errBadPayload = errors.New("grants: bad event payload")

// OnCaseGraded records the grading and opens the disabled-on-duty notices
// and the officer's care record (once per officer).
func OnCaseGraded(st *store.Store) bus.Handler {
	return func(ctx context.Context, tx *sqlx.Tx, ev bus.Event) error {
		var p CaseGraded
		if err := ev.Decode(&p); err != nil {
			return bus.Permanent(fmt.Errorf("%w: %w", errBadPayload, err))
		}
		if p.Grade == 0 {
			return nil // no disability grade: nothing opens
		}
		g, err := p.domain()
		if err != nil {
			return bus.Permanent(err)
		}
		if _, err := st.ApplyGraded(ctx, tx, g, ev.ID.String()); err != nil {
			return err
		}
		m, _, err := st.Member(ctx, tx, g.MemberID)
		if err != nil {
			return err
		}
		if rec, ok := domain.CareForGrading(g, m, st.Clock.Now()); ok {
			rec.SourceEventID = ev.ID.String()
			return st.OpenCareFromEvent(ctx, tx, rec)
		}
		return nil
	}
}

func (p CaseGraded) domain() (domain.Graded, error) {
	on, err := time.Parse(time.DateOnly, p.GradedOn)
	if err != nil || p.CaseID == "" || p.MemberID == "" || p.Grade < 1 || p.Grade > 10 {
		return domain.Graded{}, fmt.Errorf("%w: case.graded %+v", errBadPayload, p)
	}
	return domain.Graded{CaseID: p.CaseID, MemberID: p.MemberID, UnitID: p.UnitID, Grade: p.Grade, GradedOn: on, WorkInjury: true}, nil
}

// OnMemberDeceased records the death, opens the martyr-family notices for
// each dependant and, for a martyr or a death in the line of duty, the
// family's care record (once: a redelivery finds it open), and dates the end of recurring grants to the deceased.
func OnMemberDeceased(st *store.Store) bus.Handler {
	return func(ctx context.Context, tx *sqlx.Tx, ev bus.Event) error {
		var p MemberDeceased
		if err := ev.Decode(&p); err != nil {
			return bus.Permanent(fmt.Errorf("%w: %w", errBadPayload, err))
		}
		d, err := p.domain()
		if err != nil {
			return bus.Permanent(err)
		}
		if _, err := st.ApplyDeceased(ctx, tx, d, version(ev, p.Version), ev.ID.String()); err != nil {
			return err
		}
		if rec, ok := domain.CareForDeath(d, st.Clock.Now()); ok {
			rec.SourceEventID = ev.ID.String()
			return st.OpenCareFromEvent(ctx, tx, rec)
		}
		return nil
	}
}

// OnMemberChanged keeps the member's unit, category, honours and
// dependants from member.registered and member.updated; an event older
// than what the projection holds is ignored.
func OnMemberChanged(st *store.Store) bus.Handler {
	return func(ctx context.Context, tx *sqlx.Tx, ev bus.Event) error {
		var p MemberChanged
		if err := ev.Decode(&p); err != nil {
			return bus.Permanent(fmt.Errorf("%w: %w", errBadPayload, err))
		}
		if p.MemberID == "" {
			p.MemberID = ev.SubjectID
		}
		if p.MemberID == "" {
			return bus.Permanent(fmt.Errorf("%w: %s without member id", errBadPayload, ev.Type))
		}
		m := domain.MemberChanged{MemberID: p.MemberID, Name: p.Name, UnitID: p.UnitID, Category: domain.Category(p.Category),
			Dependants: dependants(p.Dependants), Honours: honours(p.Honours)}
		return st.ApplyMember(ctx, tx, m, version(ev, p.Version))
	}
}

// version is the member's version an event carries: the envelope's
// aggregate version, else the payload's.
func version(ev bus.Event, payload int64) int64 {
	if ev.AggregateVersion > 0 {
		return ev.AggregateVersion
	}
	return payload
}

// honours keeps the honours that raise a grant.
func honours(hs []Honour) []domain.Honour {
	out := []domain.Honour{}
	for _, h := range hs {
		if hon := domain.Honour(h.Kind); hon.UpliftPercent() > 0 {
			out = append(out, hon)
		}
	}
	return out
}

// dependants keeps the dependants that have an id.
func dependants(ds []Dependant) []domain.Dependant {
	out := []domain.Dependant{}
	for _, d := range ds {
		if d.DependantID != "" {
			out = append(out, domain.Dependant{ID: d.DependantID, Relation: d.Relation, Name: d.Name, BirthDate: d.BirthDate})
		}
	}
	return out
}

func (p MemberDeceased) domain() (domain.Deceased, error) {
	on, err := time.Parse(time.DateOnly, p.StatusDate)
	cause := domain.DeathCause(p.DeathCause)
	if err != nil || p.MemberID == "" || !cause.Valid() {
		return domain.Deceased{}, fmt.Errorf("%w: member.deceased %+v", errBadPayload, p)
	}
	return domain.Deceased{MemberID: p.MemberID, Name: p.Name, UnitID: p.UnitID, Category: domain.Category(p.Category), DiedOn: on, Cause: cause,
		Honours: honours(p.Honours), Dependants: dependants(p.Dependants)}, nil
}
