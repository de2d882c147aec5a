package events

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// Projector applies other services' facts to the leave service's local
// projections, inside the consumer's transaction. The store implements it.
type Projector interface {
	// UpsertMember sets the member's registry state.
	UpsertMember(ctx context.Context, tx *sqlx.Tx, m domain.Member) error
	// SetInjuredOnDuty marks a determined work injury (recuperation priority).
	SetInjuredOnDuty(ctx context.Context, tx *sqlx.Tx, memberID string) error
	// RememberCase records which member a case concerns.
	RememberCase(ctx context.Context, tx *sqlx.Tx, caseID, memberID string) error
	// CaseMember returns the member of a remembered case or domain.ErrNotFound.
	CaseMember(ctx context.Context, tx *sqlx.Tx, caseID string) (string, error)
	// RecordInjuryLeave records paid injury leave and gives back, or takes
	// back, the annual leave of approved requests so that exactly the days
	// the member's injury leave now covers are given back; it returns a
	// *fielderr.Invalid for a period that breaks the statutory limits
	// and domain.ErrNotFound for a member not projected yet.
	RecordInjuryLeave(ctx context.Context, tx *sqlx.Tx, l domain.InjuryLeave) error
}

// Consumer names (durable, shared by the service's replicas) and the
// projection names their ordering is tracked under.
const (
	ConsumerMembers     = "leave-members"
	ConsumerCases       = "leave-cases"
	projectionMembers   = "leave.members"
	projectionCaseLeave = "leave.case_leave"
)

// ConsumerConfig pairs a durable consumer with its handler.
type ConsumerConfig struct {
	Config  bus.ConsumerConfig
	Handler func(Projector) bus.Handler
}

// ConsumerConfigs returns the service's durable consumers: member.* from
// enrollment and case.* from injury.
func ConsumerConfigs() []ConsumerConfig {
	return []ConsumerConfig{
		{Config: bus.ConsumerConfig{Name: ConsumerMembers, Subjects: []string{MemberSubjects}}, Handler: MemberHandler},
		{Config: bus.ConsumerConfig{Name: ConsumerCases, Subjects: []string{CaseSubjects}}, Handler: CaseHandler},
	}
}

func parseDate(field, s string, required bool) (time.Time, error) {
	if s == "" {
		if required {
			return time.Time{}, fmt.Errorf("%s is missing", field)
		}
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", field, err)
	}
	return t, nil
}

// MemberFromV1 maps a member.* payload to the projection. A member who is
// no longer active was employed until the day before the status date.
func MemberFromV1(p MemberV1) (domain.Member, error) {
	m := domain.Member{ID: p.MemberID, UnitID: p.UnitID, Name: p.Name, Category: domain.Category(p.Category), Frontline: p.Post.Frontline}
	var errs []error
	if p.MemberID == "" || p.UnitID == "" {
		errs = append(errs, errors.New("member_id and unit_id are required"))
	}
	if !m.Category.Valid() {
		errs = append(errs, fmt.Errorf("unknown category %q", p.Category))
	}
	var err error
	if m.JoinedOn, err = parseDate("hire_date", p.HireDate, true); err != nil {
		errs = append(errs, err)
	}
	if m.WorkStart, err = parseDate("service_start", p.ServiceStart, false); err != nil {
		errs = append(errs, err)
	}
	if m.WorkStart.IsZero() {
		m.WorkStart = m.JoinedOn
	}
	switch p.Status {
	case "active":
		m.Status = domain.MemberActive
	case "retired", "left", "deceased":
		m.Status = domain.MemberInactive
		d, err := parseDate("status_date", p.StatusDate, true)
		if err != nil {
			errs = append(errs, err)
		} else {
			m.LeftOn = d.AddDate(0, 0, -1)
		}
	default:
		errs = append(errs, fmt.Errorf("unknown status %q", p.Status))
	}
	return m, errors.Join(errs...)
}

// MemberHandler applies member.* events to the member projection. Events
// older than the projection's state are ignored; a payload that can never
// be applied goes to dead letters at once.
func MemberHandler(p Projector) bus.Handler {
	return func(ctx context.Context, tx *sqlx.Tx, ev bus.Event) error {
		var payload MemberV1
		if err := ev.Decode(&payload); err != nil {
			return bus.Permanent(err)
		}
		m, err := MemberFromV1(payload)
		if err != nil {
			return bus.Permanent(fmt.Errorf("%s %s: %w", ev.Type, ev.ID, err))
		}
		fresh, err := bus.Advance(ctx, tx, projectionMembers, m.ID, ev.AggregateVersion)
		if err != nil || !fresh {
			return err
		}
		return p.UpsertMember(ctx, tx, m)
	}
}

// CaseHandler applies case.* events: every one naming a member records
// which member the case concerns; case.determined with a covered work
// injury raises the member's recuperation priority; case.leave_changed
// records the paid injury leave. A case whose member is not known yet is
// retried (the event naming it may still be on its way).
func CaseHandler(p Projector) bus.Handler {
	return func(ctx context.Context, tx *sqlx.Tx, ev bus.Event) error {
		var c CaseV1
		if err := ev.Decode(&c); err != nil {
			return bus.Permanent(err)
		}
		if c.CaseID == "" {
			return bus.Permanent(fmt.Errorf("%s %s: case_id is required", ev.Type, ev.ID))
		}
		if c.MemberID != "" {
			if err := p.RememberCase(ctx, tx, c.CaseID, c.MemberID); err != nil {
				return err
			}
		}
		switch ev.Type {
		case TypeCaseDetermined:
			if c.Covered && c.MemberID != "" {
				return p.SetInjuredOnDuty(ctx, tx, c.MemberID)
			}
		case TypeCaseLeaveChanged:
			// Leave changes of one case are applied in order: an older
			// period must not overwrite a newer one.
			fresh, err := bus.Advance(ctx, tx, projectionCaseLeave, c.CaseID, ev.AggregateVersion)
			if err != nil || !fresh {
				return err
			}
			return recordLeave(ctx, tx, p, c)
		}
		return nil
	}
}

func recordLeave(ctx context.Context, tx *sqlx.Tx, p Projector, c CaseV1) error {
	from, err1 := parseDate("start", c.Start, true)
	to, err2 := parseDate("last_day", c.LastDay, true)
	if err := errors.Join(err1, err2); err != nil {
		return bus.Permanent(err)
	}
	member := c.MemberID
	if member == "" {
		var err error
		if member, err = p.CaseMember(ctx, tx, c.CaseID); err != nil {
			return fmt.Errorf("member of case %s: %w", c.CaseID, err)
		}
	}
	err := p.RecordInjuryLeave(ctx, tx, domain.InjuryLeave{CaseID: c.CaseID, MemberID: member, From: from, To: to, ExtensionMonths: c.ExtendedMonths})
	if errors.Is(err, domain.ErrValidation) {
		return bus.Permanent(err)
	}
	return err
}
