// Package commands runs the leave service's commands on leave requests,
// recuperation stays and health checks: it checks the input, loads the
// object and what it is decided on through the store under lock, lets the
// domain decide, and has the store save the decision with its ledger
// entries, its events (written to the outbox) and its audit row in one
// transaction. The HTTP handlers and the reminder job go through it; the
// store keeps persistence only.
package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
	"github.com/anxin-welfare/anxin/services/leave/internal/events"
	"github.com/anxin-welfare/anxin/services/leave/internal/store"
	"github.com/anxin-welfare/anxin/services/leave/internal/store/carestore"
)

// Service runs the commands.
type Service struct {
	// Store keeps the leave requests, balances and members; Care the stays
	// and health checks.
	Store *store.Store
	Care  *carestore.Store
	Clock clock.Clock
}

// New returns a Service over st and care.
func New(st *store.Store, care *carestore.Store, clk clock.Clock) *Service {
	return &Service{Store: st, Care: care, Clock: clk}
}

// Apply records a new leave request of memberID, made by actor (the user
// recorded in the audit trail), after every rule has been checked on the
// member's locked, fresh state: employed for the whole period, working
// days in it, no overlap with another live request or with injury leave,
// and enough balance.
func (s *Service) Apply(ctx context.Context, memberID string, in domain.ApplyInput, actor string) (domain.LeaveRequest, error) {
	if err := in.Validate(clock.Today(s.Clock)); err != nil {
		return domain.LeaveRequest{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return domain.LeaveRequest{}, fmt.Errorf("request id: %w", err)
	}
	return s.Store.CreateRequest(ctx, actor, memberID, in.From.Year(), func(m store.MemberState) (domain.LeaveRequest, error) {
		return domain.NewRequest(s.Store.Policy(), m.Calendars, m.Member, in, m.Balance, m.Existing, m.Injuries, id.String(), s.Clock.Now())
	})
}

// Decide takes decision d on request id, read at version: approve, reject
// or cancel (domain.LeaveRequest.Decide says who may and what each does).
// The audit row is "leave.request.<action>", by the id the decision is
// recorded under.
func (s *Service) Decide(ctx context.Context, id string, version int64, d domain.RequestDecision) (domain.LeaveRequest, error) {
	return s.Store.UpdateRequest(ctx, "leave.request."+d.Action, id, version,
		func(ctx context.Context, u *store.RequestUpdate) error {
			now := s.Clock.Now()
			ch, err := u.Request.Decide(d, u.Member.Balance, clock.Today(s.Clock), now)
			if err != nil {
				return err
			}
			u.Actor = ch.Actor
			u.Entries = append(u.Entries, ch.Entries...)
			evs := make([]bus.Event, 0, len(ch.Events))
			for _, e := range ch.Events {
				ev, err := event(e, *u.Request, ch.Actor, now)
				if err != nil {
					return err
				}
				evs = append(evs, ev)
			}
			return bus.Outbox(ctx, u.Tx, evs...)
		})
}

// event is the message announcing e about r (its version before the save:
// the event carries the version the save makes).
func event(e domain.RequestEvent, r domain.LeaveRequest, by string, at time.Time) (bus.Event, error) {
	switch e {
	case domain.EventRequestApproved:
		return events.LeaveApproved(r, by, at)
	case domain.EventRequestRejected:
		return events.LeaveRejected(r, by, at)
	}
	return bus.Event{}, fmt.Errorf("leave request: no message for event %q", e)
}
