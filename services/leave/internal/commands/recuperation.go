package commands

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
	"github.com/anxin-welfare/anxin/services/leave/internal/events"
	"github.com/anxin-welfare/anxin/services/leave/internal/store/carestore"
)

// CreateFacility adds a recuperation facility, recorded by actor.
func (s *Service) CreateFacility(ctx context.Context, in domain.Facility, actor string) (domain.Facility, error) {
	id, err := newID("facility")
	if err != nil {
		return domain.Facility{}, err
	}
	f, err := domain.NewFacility(in, id)
	if err != nil {
		return domain.Facility{}, err
	}
	return s.Care.CreateFacility(ctx, actor, f)
}

// CreateSession adds a session to facility in.FacilityID, recorded by
// actor.
func (s *Service) CreateSession(ctx context.Context, in domain.Session, actor string) (domain.Session, error) {
	id, err := newID("session")
	if err != nil {
		return domain.Session{}, err
	}
	sess, err := domain.NewSession(in, id, clock.Today(s.Clock))
	if err != nil {
		return domain.Session{}, err
	}
	return s.Care.CreateSession(ctx, actor, sess)
}

// SetSessionCapacity changes session id's places (read at version); places
// added go to the waitlist at once (domain.Session.FillFrom). The audit
// row is "recuperation.session.set_capacity" by actor.
func (s *Service) SetSessionCapacity(ctx context.Context, id string, capacity int, version int64, actor string) (domain.Session, error) {
	return s.Care.UpdateSession(ctx, "recuperation.session.set_capacity", id, version, actor, func(ctx context.Context, u *carestore.PlaceUpdate) error {
		if err := u.Session.SetCapacity(capacity); err != nil {
			return err
		}
		return s.fill(ctx, u)
	})
}

// QuotaInput sets a unit's places for a year.
type QuotaInput struct {
	Year    int
	UnitID  string
	Places  int
	Version int64 // 0 creates
}

// PutQuota creates or changes a unit's yearly quota (domain.Quota.SetPlaces:
// never below the places already used), recorded by actor.
func (s *Service) PutQuota(ctx context.Context, in QuotaInput, actor string) (domain.Quota, error) {
	if err := domain.CheckPlaces(in.Places); err != nil {
		return domain.Quota{}, err
	}
	return s.Care.UpdateQuota(ctx, actor, in.Year, in.UnitID, in.Version, func(q *domain.Quota) error {
		return q.SetPlaces(in.Places)
	})
}

// Book asks a place in session sessionID for member memberID, recorded by
// actor: confirmed when the session and the unit's quota have a place,
// else waitlisted (domain.NewBooking, on the locked counters). A place
// taken is announced (recuperation.booked).
func (s *Service) Book(ctx context.Context, sessionID, memberID, actor string) (domain.Booking, error) {
	id, err := newID("booking")
	if err != nil {
		return domain.Booking{}, err
	}
	return s.Care.CreateBooking(ctx, actor, sessionID, memberID, func(ctx context.Context, n *carestore.NewBooking) error {
		now := s.Clock.Now()
		b, ch, err := domain.NewBooking(s.Store.Priority(), n.Session, n.Quota, n.Member, n.Existing, id, actor, clock.Today(s.Clock), now)
		if err != nil {
			return err
		}
		n.Booking, n.Change = b, ch
		return announce(ctx, n.Tx, n.Session, ch, now)
	})
}

// CancelBooking withdraws booking id (read at version) for by
// (domain.Booking.Withdraw: the member or a caseworker of the unit). A
// place it held goes to the first waiting booking whose unit has quota
// left. The audit row is "recuperation.booking.cancel" by the caller's
// user id.
func (s *Service) CancelBooking(ctx context.Context, id string, version int64, by domain.Caller) (domain.Booking, error) {
	return s.Care.UpdateBooking(ctx, "recuperation.booking.cancel", id, version, by.UserID, func(ctx context.Context, u *carestore.PlaceUpdate) error {
		ch, err := u.Booking.Withdraw(by, u.Session, clock.Today(s.Clock))
		if err != nil {
			return err
		}
		u.Change = ch
		if !ch.Frees {
			return nil
		}
		return s.fill(ctx, u)
	})
}

// fill offers the session's free places to its waitlist and announces
// each booking that moves up.
func (s *Service) fill(ctx context.Context, u *carestore.PlaceUpdate) error {
	if !u.Session.HasFreePlace() {
		return nil
	}
	w, err := u.Waitlist(ctx)
	if err != nil {
		return err
	}
	placed := u.Session.FillFrom(w)
	u.Change.Placed = append(u.Change.Placed, placed...)
	return announce(ctx, u.Tx, *u.Session, domain.PlaceChange{Placed: placed}, s.Clock.Now())
}

// announce writes recuperation.booked for every place ch gives, to the
// outbox in the command's transaction.
func announce(ctx context.Context, tx *sqlx.Tx, sess domain.Session, ch domain.PlaceChange, at time.Time) error {
	if len(ch.Placed) == 0 {
		return nil
	}
	evs := make([]bus.Event, len(ch.Placed))
	for i, p := range ch.Placed {
		ev, err := events.RecuperationBooked(p.Booking, sess, p.FromWaitlist, at)
		if err != nil {
			return err
		}
		evs[i] = ev
	}
	return bus.Outbox(ctx, tx, evs...)
}
