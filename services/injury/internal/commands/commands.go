// Package commands runs the injury service's commands on cases: the domain
// decides (domain.Open, domain.Case.Apply, the clocks' sweep, who may act),
// this package turns each decision into the events announcing it
// (internal/events), and the store saves the change with its timeline, its
// audit row and those events (the outbox) in one transaction. The HTTP
// handlers and the SLA sweeper go through it; the store keeps persistence
// only.
package commands

import (
	"context"
	"time"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/events"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

// Opener opens the cases of one request in a transaction, open deciding
// each case (store.Store; store.BatchOpener batches concurrent requests).
type Opener interface {
	Open(ctx context.Context, m store.Meta, req store.OpenRequest, open store.OpenCase) ([]*domain.Case, error)
}

// Service runs the commands.
type Service struct {
	Store  *store.Store
	Opener Opener
}

// New returns a Service saving through st and opening cases through op;
// a nil op opens through st directly.
func New(st *store.Store, op Opener) *Service {
	if op == nil {
		op = st
	}
	return &Service{Store: st, Opener: op}
}

// Open opens one case per injured person of req, all under one incident,
// each announced by case.opened. Inputs must have been validated
// (domain.OpenInput.Validate).
func (s *Service) Open(ctx context.Context, m store.Meta, req store.OpenRequest) ([]*domain.Case, error) {
	return s.Opener.Open(ctx, m, req, OpenCase)
}

// Update runs decide on the case under lock and saves what it changed with
// the events that change calls for (events.ForChange). detail goes on the
// timeline entry; ifMatch > 0 is the version the caller read.
func (s *Service) Update(ctx context.Context, m store.Meta, id string, ifMatch int64, detail any,
	decide func(c *domain.Case, now time.Time) (domain.Change, error)) (*domain.Case, error) {
	return s.Store.Update(ctx, m, id, ifMatch, detail, Announced(decide))
}

// Act takes cmd on case id for m.Actor, read at version ifMatch. A case the
// actor may not see is domain.ErrNotFound whatever the input, so a hidden
// case answers the same as a missing one; then input (the error of reading
// the command's input, nil when it is good); then the domain's rules
// (domain.Case.Apply). Identifying the member takes their category from
// category (the member projection), read only once the step may be taken.
func (s *Service) Act(ctx context.Context, m store.Meta, id string, ifMatch int64, detail any, cmd domain.Command, input error,
	category func(ctx context.Context, memberID string) string) (*domain.Case, error) {
	return s.Update(ctx, m, id, ifMatch, detail, func(c *domain.Case, now time.Time) (domain.Change, error) {
		if c.AccessFor(m.Actor) < domain.AccessMember {
			return domain.Change{}, domain.ErrNotFound
		}
		if input != nil {
			return domain.Change{}, input
		}
		if im, ok := cmd.(domain.IdentifyMember); ok {
			im.Category = category(ctx, im.MemberID)
			cmd = im
		}
		return c.Apply(cmd, m.Actor, now, s.Store.Policy())
	})
}

// Calculate saves assessment a of case caseID, computed from inputs, for
// m.Actor, who must be staff of the case (else domain.ErrNotFound, as for a
// missing case), announced by case.calculation_ready.
func (s *Service) Calculate(ctx context.Context, m store.Meta, caseID string, inputs any, a domain.Assessment) (store.Calculation, error) {
	return s.SaveCalculation(ctx, m, caseID, inputs, a, func(c *domain.Case) error {
		if c.AccessFor(m.Actor) < domain.AccessStaff {
			return domain.ErrNotFound
		}
		return nil
	})
}

// SaveCalculation saves assessment a of case caseID once check accepts the
// locked case, announced by case.calculation_ready.
func (s *Service) SaveCalculation(ctx context.Context, m store.Meta, caseID string, inputs any, a domain.Assessment,
	check func(*domain.Case) error) (store.Calculation, error) {
	return s.Store.SaveCalculation(ctx, m, caseID, inputs, a, check, CalculationReady)
}

// Sweep escalates, lapses or tells of up to limit due clocks
// (store.Store.SweepOnce), announcing each clock told of with
// case.sla_amber or case.escalated.
func (s *Service) Sweep(ctx context.Context, limit int) ([]store.Escalation, error) {
	return s.Store.SweepOnce(ctx, limit, Swept)
}

// OpenCase is store.OpenCase: the domain opens the case with what the
// opening's transaction drew, at version 1, announced by case.opened.
func OpenCase(in domain.OpenInput, o store.Opening) (*domain.Case, []bus.Event, error) {
	c, err := domain.Open(in, o.Reporter, o.ID, o.Number, o.IncidentID, o.Now, o.Policy)
	if err != nil {
		return nil, nil, err
	}
	c.Version, c.Category = 1, o.Category
	ev, err := events.ForOpened(c, o.Now)
	if err != nil {
		return nil, nil, err
	}
	return c, []bus.Event{ev}, nil
}

// Announced turns a domain decision on a case into the store's Decision:
// the change with the events it calls for, built from the changed case.
func Announced(decide func(c *domain.Case, now time.Time) (domain.Change, error)) func(c *domain.Case, now time.Time) (store.Decision, error) {
	return func(c *domain.Case, now time.Time) (store.Decision, error) {
		ch, err := decide(c, now)
		if err != nil {
			return store.Decision{}, err
		}
		evs, err := events.ForChange(c, ch, now)
		if err != nil {
			return store.Decision{}, err
		}
		return store.Decision{Change: ch, Events: evs}, nil
	}
}

// CalculationReady is store.Announce: case.calculation_ready for a saved
// calculation.
func CalculationReady(c *domain.Case, calc store.Calculation) ([]bus.Event, error) {
	ev, err := events.ForCalculation(c, calc.ID, calc.ComputedAt)
	if err != nil {
		return nil, err
	}
	return []bus.Event{ev}, nil
}

// Swept is store.SweepAnnounce: case.sla_amber for a clock at its amber
// point, case.escalated for one escalated.
func Swept(c *domain.Case, k domain.SLAClock, amber bool, now time.Time) (bus.Event, error) {
	if amber {
		return events.ForSLAAmber(c, k, now)
	}
	return events.ForEscalated(c, k, now)
}
