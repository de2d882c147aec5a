package carestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

type facilityRow struct {
	ID       string `db:"id"`
	Name     string `db:"name"`
	Location string `db:"location"`
	Active   bool   `db:"active"`
	Version  int64  `db:"version"`
}

func (r facilityRow) domain() domain.Facility {
	return domain.Facility{ID: r.ID, Name: r.Name, Location: r.Location, Active: r.Active, Version: r.Version}
}

// CreateFacility saves facility f (domain.NewFacility made it) with an
// audit row by actor.
func (s *Store) CreateFacility(ctx context.Context, actor string, f domain.Facility) (domain.Facility, error) {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO facilities (id, name, location, active, version, created_at, updated_at) VALUES ($1, $2, $3, true, 1, $4, $4)`,
			f.ID, f.Name, f.Location, s.clk.Now()); err != nil {
			return fmt.Errorf("insert facility: %w", err)
		}
		return s.audit(ctx, tx, actor, "recuperation.facility.create", "facility", f.ID, nil, f)
	})
	return f, err
}

type sessionRow struct {
	ID         string    `db:"id"`
	FacilityID string    `db:"facility_id"`
	FromDate   time.Time `db:"from_date"`
	ToDate     time.Time `db:"to_date"`
	Capacity   int       `db:"capacity"`
	Booked     int       `db:"booked"`
	Version    int64     `db:"version"`
}

const sessionColumns = `id::text AS id, facility_id::text AS facility_id, from_date, to_date, capacity, booked, version`

func (r sessionRow) domain() domain.Session {
	return domain.Session{ID: r.ID, FacilityID: r.FacilityID, From: asDate(r.FromDate), To: asDate(r.ToDate), Capacity: r.Capacity, Booked: r.Booked, Version: r.Version}
}

// CreateSession saves session in (domain.NewSession made it) with an audit
// row by actor; a facility that does not exist is ErrNotFound.
func (s *Store) CreateSession(ctx context.Context, actor string, in domain.Session) (domain.Session, error) {
	if _, err := uuid.Parse(in.FacilityID); err != nil {
		return domain.Session{}, ErrNotFound
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO recuperation_sessions (id, facility_id, from_date, to_date, capacity, booked, version, created_at, updated_at)
VALUES ($1, $2, $3::date, $4::date, $5, 0, 1, $6, $6)`, in.ID, in.FacilityID, dateArg(in.From), dateArg(in.To), in.Capacity, s.clk.Now())
		if pg.IsForeignKeyViolation(err) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		return s.audit(ctx, tx, actor, "recuperation.session.create", "recuperation_session", in.ID, nil, in)
	})
	return in, err
}

// Session returns one session.
func (s *Store) Session(ctx context.Context, id string) (domain.Session, error) {
	return s.session(ctx, s.db, id, false)
}

func (s *Store) session(ctx context.Context, q sqlx.QueryerContext, id string, lock bool) (domain.Session, error) {
	if _, err := uuid.Parse(id); err != nil {
		return domain.Session{}, ErrNotFound
	}
	query := `SELECT ` + sessionColumns + ` FROM recuperation_sessions WHERE id = $1`
	if lock {
		query += ` FOR UPDATE`
	}
	var r sessionRow
	if err := sqlx.GetContext(ctx, q, &r, query, id); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Session{}, ErrNotFound
		}
		return domain.Session{}, fmt.Errorf("session %s: %w", id, err)
	}
	return r.domain(), nil
}

// PlaceUpdate is what the callbacks of UpdateSession and UpdateBooking
// work with: the session, and the booking of UpdateBooking, read under lock
// in the transaction, and the transaction for the events fn writes to the
// outbox.
type PlaceUpdate struct {
	Tx      *sqlx.Tx
	Session *domain.Session
	// Booking is nil in UpdateSession.
	Booking *domain.Booking
	// Change is what fn did to the session's places, saved when it returns.
	Change domain.PlaceChange
}

// Waitlist reads the session's waiting bookings, best first, and the
// quotas of their units for the session's year, all locked (the quotas in
// unit order, the order every transaction takes them in).
func (u *PlaceUpdate) Waitlist(ctx context.Context) (domain.Waitlist, error) {
	var rows []bookingRow
	if err := sqlx.SelectContext(ctx, u.Tx, &rows, `SELECT `+bookingColumns+` FROM `+bookingFrom+`
WHERE b.session_id = $1 AND b.status = 'waitlisted' ORDER BY b.priority DESC, b.requested_at, b.id FOR UPDATE OF b`, u.Session.ID); err != nil {
		return domain.Waitlist{}, fmt.Errorf("waitlist: %w", err)
	}
	w := domain.Waitlist{Waiting: make([]domain.Booking, len(rows)), Quotas: map[string]domain.Quota{}}
	var units []string
	for i, r := range rows {
		w.Waiting[i] = r.domain()
		if !slices.Contains(units, r.UnitID) {
			units = append(units, r.UnitID)
		}
	}
	if len(units) == 0 {
		return w, nil
	}
	slices.Sort(units)
	var qrows []struct {
		UnitID string `db:"unit_id"`
		Places int    `db:"places"`
		Used   int    `db:"used"`
	}
	if err := sqlx.SelectContext(ctx, u.Tx, &qrows, `SELECT unit_id, places, used FROM recuperation_quotas
WHERE year = $1 AND unit_id = ANY($2) ORDER BY unit_id FOR UPDATE`, u.Session.From.Year(), pq.Array(units)); err != nil {
		return domain.Waitlist{}, fmt.Errorf("waitlist quotas: %w", err)
	}
	for _, q := range qrows {
		w.Quotas[q.UnitID] = domain.Quota{UnitID: q.UnitID, Places: q.Places, Used: q.Used}
	}
	return w, nil
}

// UpdateSession runs fn on session id under lock and saves what it did, in
// one transaction: the session's capacity (version + 1), the places fn
// gave (savePlaces) and an audit row of action by actor. A version other
// than the session's is ErrVersionMismatch.
func (s *Store) UpdateSession(ctx context.Context, action, id string, version int64, actor string, fn func(ctx context.Context, u *PlaceUpdate) error) (domain.Session, error) {
	var out domain.Session
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		sess, err := s.session(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if sess.Version != version {
			return ErrVersionMismatch
		}
		before := sess
		u := &PlaceUpdate{Tx: tx, Session: &sess}
		if err := fn(ctx, u); err != nil {
			return err
		}
		sess.Version++
		if _, err := tx.ExecContext(ctx, `UPDATE recuperation_sessions SET capacity = $2, version = $3, updated_at = $4 WHERE id = $1`, id, sess.Capacity, sess.Version, s.clk.Now()); err != nil {
			return fmt.Errorf("update session: %w", err)
		}
		if err := s.savePlaces(ctx, tx, sess, domain.Booking{}, u.Change, actor); err != nil {
			return err
		}
		out = sess
		return s.audit(ctx, tx, actor, action, "recuperation_session", id, before, sess)
	})
	return out, err
}

// UpdateQuota runs fn on unit's quota of year under lock (a fresh one,
// with no places, when version is 0 and the unit has none) and saves it
// (version + 1) with an audit row "recuperation.quota.put" by actor. A
// version other than the quota's, or 0 for a quota that exists, is
// ErrVersionMismatch. The CHECK (used <= places) stands behind fn.
func (s *Store) UpdateQuota(ctx context.Context, actor string, year int, unit string, version int64, fn func(q *domain.Quota) error) (domain.Quota, error) {
	var out domain.Quota
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		q, err := s.quota(ctx, tx, year, unit, true)
		switch {
		case errors.Is(err, ErrNotFound):
			if version != 0 {
				return ErrVersionMismatch
			}
			q = domain.Quota{Year: year, UnitID: unit}
		case err != nil:
			return err
		case q.Version != version:
			return ErrVersionMismatch
		}
		before := q
		if err := fn(&q); err != nil {
			return err
		}
		q.Version++
		if _, err := tx.ExecContext(ctx, `INSERT INTO recuperation_quotas (year, unit_id, places, used, version, updated_by, updated_at)
VALUES ($1, $2, $3, 0, $4, $5, $6)
ON CONFLICT (year, unit_id) DO UPDATE SET places = EXCLUDED.places, version = EXCLUDED.version, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
			q.Year, q.UnitID, q.Places, q.Version, actor, s.clk.Now()); err != nil {
			return fmt.Errorf("put quota: %w", err)
		}
		out = q
		return s.audit(ctx, tx, actor, "recuperation.quota.put", "recuperation_quota", fmt.Sprintf("%d/%s", q.Year, q.UnitID), before, q)
	})
	return out, err
}

func (s *Store) quota(ctx context.Context, q sqlx.QueryerContext, year int, unit string, lock bool) (domain.Quota, error) {
	query := `SELECT year, unit_id, places, used, version FROM recuperation_quotas WHERE year = $1 AND unit_id = $2`
	if lock {
		query += ` FOR UPDATE`
	}
	var r struct {
		Year    int    `db:"year"`
		UnitID  string `db:"unit_id"`
		Places  int    `db:"places"`
		Used    int    `db:"used"`
		Version int64  `db:"version"`
	}
	if err := sqlx.GetContext(ctx, q, &r, query, year, unit); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Quota{}, ErrNotFound
		}
		return domain.Quota{}, fmt.Errorf("quota %d/%s: %w", year, unit, err)
	}
	return domain.Quota{Year: r.Year, UnitID: r.UnitID, Places: r.Places, Used: r.Used, Version: r.Version}, nil
}

type bookingRow struct {
	ID          string    `db:"id"`
	SessionID   string    `db:"session_id"`
	MemberID    string    `db:"member_id"`
	MemberName  string    `db:"member_name"`
	UnitID      string    `db:"unit_id"`
	Year        int       `db:"year"`
	Status      string    `db:"status"`
	WaitReason  string    `db:"wait_reason"`
	Priority    int       `db:"priority"`
	RequestedBy string    `db:"requested_by"`
	RequestedAt time.Time `db:"requested_at"`
	Version     int64     `db:"version"`
}

// bookingColumns read a booking with its member's name from bookingFrom.
const bookingColumns = `b.id::text AS id, b.session_id::text AS session_id, b.member_id, coalesce(m.name, '') AS member_name, b.unit_id, b.year,
	b.status, b.wait_reason, b.priority, b.requested_by, b.requested_at, b.version`

// bookingFrom joins the member projection for the name, in the same query
// as the bookings (a lock takes the booking rows only: FOR UPDATE OF b).
const bookingFrom = `recuperation_bookings b LEFT JOIN members m ON m.member_id = b.member_id`

func (r bookingRow) domain() domain.Booking {
	return domain.Booking{ID: r.ID, SessionID: r.SessionID, MemberID: r.MemberID, MemberName: r.MemberName, UnitID: r.UnitID, Year: r.Year,
		Status: domain.BookingStatus(r.Status), WaitReason: r.WaitReason, Priority: r.Priority,
		RequestedBy: r.RequestedBy, RequestedAt: r.RequestedAt.UTC(), Version: r.Version}
}

// NewBooking is what a booking callback works with: the session (locked
// first), the unit's quota of the session's year (locked next; nil when
// the unit has none), the member and their bookings of the session, and
// the transaction for the events fn writes to the outbox. fn sets Booking
// and Change.
type NewBooking struct {
	Tx       *sqlx.Tx
	Session  domain.Session
	Quota    *domain.Quota
	Member   domain.Member
	Existing []domain.Booking
	Booking  domain.Booking
	Change   domain.PlaceChange
}

// CreateBooking saves the booking fn decides of member memberID in session
// sessionID, the places it takes (savePlaces) and an audit row by actor,
// in one transaction. The session row is locked first, then the unit's
// quota row, so concurrent bookings for the last places queue and each
// sees the places the previous one took; the CHECKs (booked <= capacity,
// used <= places) stand behind it.
func (s *Store) CreateBooking(ctx context.Context, actor, sessionID, memberID string, fn func(ctx context.Context, n *NewBooking) error) (domain.Booking, error) {
	var out domain.Booking
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		sess, err := s.session(ctx, tx, sessionID, true)
		if err != nil {
			return err
		}
		m, err := s.member(ctx, tx, memberID)
		if err != nil {
			return err
		}
		var quota *domain.Quota
		if q, err := s.quota(ctx, tx, sess.From.Year(), m.UnitID, true); err == nil {
			quota = &q
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		var rows []bookingRow
		if err := sqlx.SelectContext(ctx, tx, &rows, `SELECT `+bookingColumns+` FROM `+bookingFrom+` WHERE b.session_id = $1 AND b.member_id = $2`, sessionID, memberID); err != nil {
			return fmt.Errorf("member bookings: %w", err)
		}
		existing := make([]domain.Booking, len(rows))
		for i, r := range rows {
			existing[i] = r.domain()
		}
		n := &NewBooking{Tx: tx, Session: sess, Quota: quota, Member: m.Member, Existing: existing}
		if err := fn(ctx, n); err != nil {
			return err
		}
		b := n.Booking
		_, err = tx.ExecContext(ctx, `INSERT INTO recuperation_bookings (id, session_id, member_id, unit_id, year, status, wait_reason, priority, requested_by, requested_at, updated_at, version)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, 1)`, b.ID, b.SessionID, b.MemberID, b.UnitID, b.Year, string(b.Status), b.WaitReason, b.Priority, b.RequestedBy, b.RequestedAt)
		if pg.IsUniqueViolation(err) {
			return domain.ErrAlreadyBooked
		}
		if err != nil {
			return fmt.Errorf("insert booking: %w", err)
		}
		if err := s.savePlaces(ctx, tx, sess, domain.Booking{}, n.Change, actor); err != nil {
			return err
		}
		out = b
		return s.audit(ctx, tx, actor, "recuperation.booking.create", "recuperation_booking", b.ID, nil, b)
	})
	return out, err
}

// savePlaces counts change against session sess: the place booking b
// frees comes off the session and b's unit quota; each placement takes a
// place in both (refused as ErrSessionFull or ErrQuotaExhausted should
// one have none left), and one moved up from the waitlist is saved
// confirmed at its new version with an audit row
// "recuperation.booking.promote" by actor.
func (s *Store) savePlaces(ctx context.Context, tx *sqlx.Tx, sess domain.Session, b domain.Booking, change domain.PlaceChange, actor string) error {
	now := s.clk.Now()
	if change.Frees {
		if _, err := tx.ExecContext(ctx, `UPDATE recuperation_sessions SET booked = booked - 1, updated_at = $2 WHERE id = $1`, sess.ID, now); err != nil {
			return fmt.Errorf("free session place: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE recuperation_quotas SET used = used - 1, updated_at = $3 WHERE year = $1 AND unit_id = $2`, b.Year, b.UnitID, now); err != nil {
			return fmt.Errorf("free quota place: %w", err)
		}
	}
	for _, p := range change.Placed {
		next := p.Booking
		if p.FromWaitlist {
			if _, err := tx.ExecContext(ctx, `UPDATE recuperation_bookings SET status = 'confirmed', wait_reason = '', version = $2, updated_at = $3 WHERE id = $1`,
				next.ID, next.Version, now); err != nil {
				return fmt.Errorf("promote booking: %w", err)
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE recuperation_sessions SET booked = booked + 1, updated_at = $2 WHERE id = $1 AND booked < capacity`, sess.ID, now)
		if err != nil {
			return fmt.Errorf("take session place: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.ErrSessionFull
		}
		res, err = tx.ExecContext(ctx, `UPDATE recuperation_quotas SET used = used + 1, updated_at = $3 WHERE year = $1 AND unit_id = $2 AND used < places`, next.Year, next.UnitID, now)
		if err != nil {
			return fmt.Errorf("take quota place: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.ErrQuotaExhausted
		}
		if p.FromWaitlist {
			if err := s.audit(ctx, tx, actor, "recuperation.booking.promote", "recuperation_booking", next.ID, nil, next); err != nil {
				return err
			}
		}
	}
	return nil
}

// Booking returns one booking.
func (s *Store) Booking(ctx context.Context, id string) (domain.Booking, error) {
	return s.booking(ctx, s.db, id, false)
}

func (s *Store) booking(ctx context.Context, q sqlx.QueryerContext, id string, lock bool) (domain.Booking, error) {
	if _, err := uuid.Parse(id); err != nil {
		return domain.Booking{}, ErrNotFound
	}
	query := `SELECT ` + bookingColumns + ` FROM ` + bookingFrom + ` WHERE b.id = $1`
	if lock {
		query += ` FOR UPDATE OF b`
	}
	var r bookingRow
	if err := sqlx.GetContext(ctx, q, &r, query, id); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Booking{}, ErrNotFound
		}
		return domain.Booking{}, fmt.Errorf("booking %s: %w", id, err)
	}
	return r.domain(), nil
}

// BookingFilter selects bookings; empty fields do not filter, Units nil
// means every unit.
type BookingFilter struct {
	MemberID  string
	SessionID string
	Units     []string
	// Year keeps the bookings of one year's stays (0: every year).
	Year int
	Page page.Request
}

// UpdateBooking runs fn on booking id and its session under lock and saves
// what it did, in one transaction: the booking's new state (version + 1),
// the places fn freed and gave (savePlaces) and an audit row of action by
// actor. The session row is locked first, then the booking (the order
// CreateBooking takes); a version other than the booking's is
// ErrVersionMismatch.
func (s *Store) UpdateBooking(ctx context.Context, action, id string, version int64, actor string, fn func(ctx context.Context, u *PlaceUpdate) error) (domain.Booking, error) {
	var out domain.Booking
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		peek, err := s.booking(ctx, tx, id, false)
		if err != nil {
			return err
		}
		sess, err := s.session(ctx, tx, peek.SessionID, true)
		if err != nil {
			return err
		}
		b, err := s.booking(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if b.Version != version {
			return ErrVersionMismatch
		}
		before := b
		u := &PlaceUpdate{Tx: tx, Session: &sess, Booking: &b}
		if err := fn(ctx, u); err != nil {
			return err
		}
		b.Version++
		if _, err := tx.ExecContext(ctx, `UPDATE recuperation_bookings SET status = $2, wait_reason = $3, version = $4, updated_at = $5 WHERE id = $1`,
			id, string(b.Status), b.WaitReason, b.Version, s.clk.Now()); err != nil {
			return fmt.Errorf("update booking: %w", err)
		}
		if err := s.savePlaces(ctx, tx, sess, b, u.Change, actor); err != nil {
			return err
		}
		out = b
		return s.audit(ctx, tx, actor, action, "recuperation_booking", id, before, b)
	})
	return out, err
}
