package commands

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
	"github.com/anxin-welfare/anxin/services/leave/internal/events"
	"github.com/anxin-welfare/anxin/services/leave/internal/store/carestore"
)

// newID is a fresh time-ordered id for an object a command creates.
func newID(what string) (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("%s id: %w", what, err)
	}
	return id.String(), nil
}

// CreateRound plans a unit's health-check round for a year (one per unit
// and year), recorded by actor.
func (s *Service) CreateRound(ctx context.Context, in domain.Round, actor string) (domain.Round, error) {
	id, err := newID("round")
	if err != nil {
		return domain.Round{}, err
	}
	r, err := domain.NewRound(in, id, clock.Today(s.Clock))
	if err != nil {
		return domain.Round{}, err
	}
	return s.Care.CreateRound(ctx, actor, r)
}

// AddSlot adds a bookable slot to round roundID (it must start inside the
// round), recorded by actor.
func (s *Service) AddSlot(ctx context.Context, roundID string, in domain.Slot, actor string) (domain.Slot, error) {
	id, err := newID("slot")
	if err != nil {
		return domain.Slot{}, err
	}
	return s.Care.CreateSlot(ctx, actor, roundID, func(r domain.Round) (domain.Slot, error) {
		return domain.NewSlot(r, in, id)
	})
}

// BookCheck books member memberID into slot slotID (domain.BookCheck
// decides on the slot's locked counter), recorded by actor.
func (s *Service) BookCheck(ctx context.Context, slotID, memberID, actor string) (domain.CheckBooking, error) {
	id, err := newID("booking")
	if err != nil {
		return domain.CheckBooking{}, err
	}
	return s.Care.CreateCheck(ctx, actor, slotID, memberID, func(st carestore.CheckBookingState) (domain.CheckBooking, error) {
		return domain.BookCheck(st.Round, st.Slot, st.Member, st.Existing, id, clock.Today(s.Clock))
	})
}

// DecideCheck takes step d on health-check booking id, read at version:
// complete it with its result, mark a no-show or cancel it
// (domain.CheckBooking.Decide says who may and what each does). The audit
// row is "healthcheck.booking.<action>" by the caller's user id.
func (s *Service) DecideCheck(ctx context.Context, id string, version int64, d domain.CheckDecision) (domain.CheckBooking, error) {
	return s.Care.UpdateCheck(ctx, "healthcheck.booking."+d.Action, id, version, d.By.UserID, func(u *carestore.CheckUpdate) error {
		ch, err := u.Booking.Decide(d, u.Slot, clock.Today(s.Clock))
		if err != nil {
			return err
		}
		u.FreeSlotPlace = ch.FreesPlace
		return nil
	})
}

// SendReminders sends, for year and today, the health-check notices
// domain.Reminders decides (healthcheck.overdue after a unit's deadline,
// healthcheck.reminder in the window before it), at most one per member
// and day however often it runs and on however many replicas, and returns
// how many it sent.
func (s *Service) SendReminders(ctx context.Context, year int, actor string) (int, error) {
	return s.Care.SendReminders(ctx, year, actor, func(ctx context.Context, run *carestore.ReminderRun) error {
		today, now := clock.Today(s.Clock), s.Clock.Now()
		var evs []bus.Event
		for _, r := range domain.Reminders(run.Compliance, run.Deadlines, year, today) {
			fresh, err := run.Record(ctx, r.MemberID)
			if err != nil {
				return err
			}
			if !fresh {
				continue
			}
			ev, err := reminderEvent(r, year, today, now)
			if err != nil {
				return err
			}
			evs = append(evs, ev)
		}
		// One outbox statement carries at most a few thousand events
		// (PostgreSQL's 65,535 parameters).
		for chunk := range slices.Chunk(evs, 5000) {
			if err := bus.Outbox(ctx, run.Tx, chunk...); err != nil {
				return err
			}
		}
		run.Sent = len(evs)
		return nil
	})
}

// reminderEvent is the message of notice r.
func reminderEvent(r domain.Reminder, year int, today, now time.Time) (bus.Event, error) {
	m := domain.Member{ID: r.MemberID, UnitID: r.UnitID}
	switch r.Kind {
	case domain.ReminderOverdue:
		return events.HealthCheckOverdue(m, year, r.Deadline, today, now)
	case domain.ReminderDue:
		return events.HealthCheckReminder(m, year, r.Deadline, today, now)
	}
	return bus.Event{}, fmt.Errorf("health check: no message for notice %q", r.Kind)
}
