package workflow

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
	"github.com/anxin-welfare/anxin/services/grants/internal/events"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
)

// Family care commands. Who may run each is the HTTP layer's access rule
// (liaisons, the unit's caseworkers, the committee); what may happen is
// the domain's.

// OpenCare opens a hardship family's record for a member the service
// knows (from enrollment's member events).
func (s *Service) OpenCare(ctx context.Context, c Caller, memberID string) (domain.CareRecord, error) {
	m, _, err := s.Store.Member(ctx, nil, memberID)
	if err != nil {
		return domain.CareRecord{}, err
	}
	if m == nil {
		return domain.CareRecord{}, fielderr.Fail("member_id", CodeUnknownMember)
	}
	return s.Store.OpenCareByHand(ctx, c.meta(), domain.CareByHand(*m, c.Actor.UserID, s.Clock.Now()))
}

// CodeUnknownMember: a member the service has not heard of from
// enrollment.
const CodeUnknownMember = "grants.field.unknown_member"

// AssignLiaison pairs a user with the family; check runs on the locked
// record (the caller's access).
func (s *Service) AssignLiaison(ctx context.Context, c Caller, recordID string, version int64, l domain.Liaison,
	check func(domain.CareRecord) error) (domain.CareRecord, error) {
	l.AssignedBy, l.AssignedAt = c.Actor.UserID, s.Clock.Now().UTC()
	return s.Store.UpdateCare(ctx, c.meta(), "grants.care.liaison", recordID, version, func(r *domain.CareRecord) error {
		if err := check(*r); err != nil {
			return err
		}
		return r.AssignLiaison(l)
	})
}

// CareContext is what the plan of a family needs besides its record.
type CareContext struct {
	Rules []domain.VisitRule
	Dates domain.FestivalDates
	Today time.Time
}

// PlanContext reads the visit rule and the festival dates.
func (s *Service) PlanContext(ctx context.Context) (CareContext, error) {
	rules, err := s.Store.VisitRules(ctx)
	if err != nil {
		return CareContext{}, err
	}
	dates, err := s.Store.FestivalDates(ctx)
	if err != nil {
		return CareContext{}, err
	}
	return CareContext{Rules: rules, Dates: dates, Today: clock.Today(s.Clock)}, nil
}

// RecordVisit records a visit to a family and publishes
// care.visit_recorded in the same transaction. A planned occasion counts
// for the year whose date is nearest the visit; check runs on the locked
// record (the caller's access).
func (s *Service) RecordVisit(ctx context.Context, c Caller, recordID string, v domain.Visit, check func(domain.CareRecord) error) (domain.Visit, error) {
	pc, err := s.PlanContext(ctx)
	if err != nil {
		return domain.Visit{}, err
	}
	v.RecordedBy, v.RecordedName = c.Actor.UserID, c.Name
	return s.Store.AddVisit(ctx, c.meta(), recordID, func(rec domain.CareRecord) (domain.Visit, error) {
		if err := check(rec); err != nil {
			return v, err
		}
		if err := domain.CheckVisit(&v, rec, pc.Today); err != nil {
			return v, err
		}
		v.Year = 0
		if v.Occasion != domain.OccasionOther {
			y, ok := domain.PlanYear(v.Occasion, v.VisitedOn, rec.DiedOn, pc.Dates)
			if !ok {
				return v, fielderr.Fail("occasion", CodeNoOccasionDate)
			}
			v.Year = y
		}
		return v, nil
	}, func(tx *sqlx.Tx, rec domain.CareRecord, v domain.Visit) error {
		return s.publishCare(ctx, tx, events.TypeCareVisitRecorded, v.ID, 1, events.CareVisitRecorded{VisitID: v.ID, RecordID: rec.ID,
			MemberID: rec.MemberID, UnitID: rec.UnitID, Occasion: string(v.Occasion), Year: v.Year, VisitedOn: v.VisitedOn.Format(time.DateOnly),
			GivenTotal: int64(v.Total()), Visitors: len(v.Visitors), RecordedBy: c.Actor.UserID, RecordedAt: s.Clock.Now()})
	})
}

// CodeNoOccasionDate: the occasion has no date on file near the visit (an
// anniversary of a living officer, a festival year admins have not
// entered).
const CodeNoOccasionDate = "grants.field.no_occasion_date"

func (s *Service) publishCare(ctx context.Context, tx *sqlx.Tx, typ, subject string, version int64, data any) error {
	ev, err := bus.NewEvent(events.Source, typ, events.Version, subject, version, data, s.Clock.Now())
	if err != nil {
		return err
	}
	return bus.Outbox(ctx, tx, ev)
}

// RaiseMatter records a family's support matter.
func (s *Service) RaiseMatter(ctx context.Context, c Caller, recordID string, m domain.Matter, check func(domain.CareRecord) error) (domain.Matter, error) {
	return s.Store.CreateMatter(ctx, c.meta(), recordID, func(rec domain.CareRecord) (domain.Matter, error) {
		if err := check(rec); err != nil {
			return domain.Matter{}, err
		}
		return domain.NewMatter(m, rec, c.Actor.UserID, c.Name, s.Clock.Now(), clock.Today(s.Clock))
	})
}

// AdvanceMatter takes a matter in hand, sets its deadline or adds a note.
func (s *Service) AdvanceMatter(ctx context.Context, c Caller, id string, version int64, p domain.Progress, check func(domain.CareRecord) error) (domain.Matter, error) {
	return s.Store.UpdateMatter(ctx, c.meta(), "grants.care.matter.advance", id, version, func(_ *sqlx.Tx, rec domain.CareRecord, m *domain.Matter) error {
		if err := check(rec); err != nil {
			return err
		}
		return m.Advance(p, c.Actor.UserID, c.Name, s.Clock.Now(), clock.Today(s.Clock))
	})
}

// ResolveMatter ends a matter with its outcome and publishes
// care.matter_resolved in the same transaction.
func (s *Service) ResolveMatter(ctx context.Context, c Caller, id string, version int64, outcome string, check func(domain.CareRecord) error) (domain.Matter, error) {
	return s.Store.UpdateMatter(ctx, c.meta(), "grants.care.matter.resolve", id, version, func(tx *sqlx.Tx, rec domain.CareRecord, m *domain.Matter) error {
		if err := check(rec); err != nil {
			return err
		}
		today := clock.Today(s.Clock)
		onTime := !m.Overdue(today)
		if err := m.Resolve(outcome, c.Actor.UserID, c.Name, s.Clock.Now()); err != nil {
			return err
		}
		return s.publishCare(ctx, tx, events.TypeCareMatterResolved, m.ID, m.Version, events.CareMatterResolved{MatterID: m.ID, RecordID: rec.ID,
			MemberID: rec.MemberID, UnitID: rec.UnitID, Kind: string(m.Kind), Topic: m.Topic, ApplicationID: m.ApplicationID, OnTime: onTime,
			RaisedAt: m.CreatedAt, ResolvedBy: c.Actor.UserID, ResolvedAt: s.Clock.Now()})
	})
}

// EducationDraft is what a caseworker adds when a schooling matter becomes
// a children's-education application; the rest is prefilled from the
// family's record and the matter.
type EducationDraft struct {
	// ProgramID is the programme; empty: the active children's-education
	// programme of the current fiscal year.
	ProgramID string
	// ApplicantUserID is the family's account; empty: whoever raised the
	// matter.
	ApplicantUserID string
	RequestedAmount money.Fen
}

// StartEducationApplication turns a schooling matter into a draft
// application through the ordinary application workflow (CreateApplication),
// prefilled with the member, the child, the unit, the cause and the date of
// death where the programme asks for them, and links the matter to it. A
// matter already linked or resolved, or not about schooling, is refused
// before anything is created.
func (s *Service) StartEducationApplication(ctx context.Context, c Caller, matterID string, version int64, d EducationDraft,
	check func(domain.CareRecord) error) (domain.Matter, store.Record, error) {
	m, err := s.Store.Matter(ctx, matterID)
	if err != nil {
		return domain.Matter{}, store.Record{}, err
	}
	rec, err := s.Store.CareRecord(ctx, nil, m.RecordID)
	if err != nil {
		return domain.Matter{}, store.Record{}, err
	}
	if err := check(rec); err != nil {
		return domain.Matter{}, store.Record{}, err
	}
	if version > 0 && m.Version != version {
		return domain.Matter{}, store.Record{}, store.ErrVersionMismatch
	}
	probe := m
	if err := probe.LinkApplication("probe", "", c.Actor.UserID, c.Name, s.Clock.Now()); err != nil {
		return domain.Matter{}, store.Record{}, err
	}
	programID := d.ProgramID
	if programID == "" {
		p, err := s.Store.CurrentProgramOfKind(ctx, domain.KindChildrenEducation, clock.Today(s.Clock))
		if err != nil {
			return domain.Matter{}, store.Record{}, err
		}
		if p == nil {
			return domain.Matter{}, store.Record{}, fielderr.Fail("program_id", domain.CodeProgramInactive)
		}
		programID = p.ID
	}
	prog, err := s.Store.Program(ctx, programID)
	if err != nil {
		return domain.Matter{}, store.Record{}, err
	}
	draft := Draft{ProgramID: programID, MemberID: rec.MemberID, ApplicantUserID: d.ApplicantUserID, DependantID: m.PersonID,
		ApplicantMemberID: m.PersonID, UnitID: rec.UnitID, EventRef: "care-matter:" + m.ID, FiledByName: c.Name}
	if draft.ApplicantUserID == "" {
		draft.ApplicantUserID = m.RaisedBy
	}
	if draft.ApplicantMemberID == "" {
		draft.ApplicantMemberID = rec.MemberID
	}
	if person, ok := rec.Person(m.PersonID); ok {
		draft.ApplicantName = person.Name
	}
	if prog.Asks(domain.FieldRequestedAmount) {
		draft.RequestedAmount = d.RequestedAmount
	}
	if prog.Asks(domain.FieldCause) {
		switch rec.Kind {
		case domain.CareMartyr:
			draft.Form.Cause = domain.CauseMartyr
		case domain.CareLineOfDuty:
			draft.Form.Cause = domain.CauseLineOfDuty
		}
	}
	if prog.Asks(domain.FieldEventDate) && !rec.DiedOn.IsZero() {
		died := rec.DiedOn
		draft.Form.EventDate = &died
	}
	if prog.Asks(domain.FieldGrade) && rec.Grade > 0 {
		draft.Form.Grade = rec.Grade
	}
	app, err := s.CreateApplication(ctx, c, draft)
	if err != nil {
		return domain.Matter{}, store.Record{}, err
	}
	linked, err := s.Store.UpdateMatter(ctx, c.meta(), "grants.care.matter.application", m.ID, m.Version, func(_ *sqlx.Tx, _ domain.CareRecord, mt *domain.Matter) error {
		return mt.LinkApplication(app.App.ID, app.App.Number, c.Actor.UserID, c.Name, s.Clock.Now())
	})
	return linked, app, err
}
