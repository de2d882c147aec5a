package store

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

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
	"github.com/anxin-welfare/anxin/services/leave/internal/events"
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

// CreateFacility adds a recuperation facility.
func (s *Store) CreateFacility(ctx context.Context, f domain.Facility, actor string) (domain.Facility, error) {
	if err := f.Validate(); err != nil {
		return domain.Facility{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return domain.Facility{}, fmt.Errorf("facility id: %w", err)
	}
	f.ID, f.Active, f.Version = id.String(), true, 1
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
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

// CreateSession adds a session to a facility.
func (s *Store) CreateSession(ctx context.Context, in domain.Session, actor string) (domain.Session, error) {
	if err := in.Validate(s.today()); err != nil {
		return domain.Session{}, err
	}
	if _, err := uuid.Parse(in.FacilityID); err != nil {
		return domain.Session{}, ErrNotFound
	}
	id, err := uuid.NewV7()
	if err != nil {
		return domain.Session{}, fmt.Errorf("session id: %w", err)
	}
	in.ID, in.Booked, in.Version = id.String(), 0, 1
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
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

// SetSessionCapacity changes a session's places (If-Match version). Places
// added are offered to the waitlist at once.
func (s *Store) SetSessionCapacity(ctx context.Context, id string, capacity int, version int64, actor string) (domain.Session, error) {
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
		if err := sess.SetCapacity(capacity); err != nil {
			return err
		}
		sess.Version++
		if _, err := tx.ExecContext(ctx, `UPDATE recuperation_sessions SET capacity = $2, version = $3, updated_at = $4 WHERE id = $1`, id, sess.Capacity, sess.Version, s.clk.Now()); err != nil {
			return fmt.Errorf("update session: %w", err)
		}
		if sess, err = s.promote(ctx, tx, sess, actor); err != nil {
			return err
		}
		out = sess
		return s.audit(ctx, tx, actor, "recuperation.session.set_capacity", "recuperation_session", id, before, sess)
	})
	return out, err
}

// QuotaInput sets a unit's places for a year.
type QuotaInput struct {
	Year    int
	UnitID  string
	Places  int
	Version int64 // 0 creates
}

// PutQuota creates or changes a unit's yearly quota; it cannot drop below
// the places already used (the CHECK stands behind this).
func (s *Store) PutQuota(ctx context.Context, in QuotaInput, actor string) (domain.Quota, error) {
	if in.Places < 0 || in.Places > domain.MaxCapacity {
		return domain.Quota{}, fielderr.Fail("places", domain.CodeOutOfRange, 0, domain.MaxCapacity)
	}
	var out domain.Quota
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		q, err := s.quota(ctx, tx, in.Year, in.UnitID, true)
		switch {
		case errors.Is(err, ErrNotFound):
			if in.Version != 0 {
				return ErrVersionMismatch
			}
			q = domain.Quota{Year: in.Year, UnitID: in.UnitID}
		case err != nil:
			return err
		case q.Version != in.Version:
			return ErrVersionMismatch
		}
		if in.Places < q.Used {
			return domain.Detail(domain.ErrCapacityBelowUsed, q.Used)
		}
		before := q
		q.Places, q.Version = in.Places, q.Version+1
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

// Book requests a place in a session for a member. The session row is
// locked first, then the unit's quota row, so concurrent bookings for the
// last places queue and each sees the places the previous one took; the
// CHECKs (booked <= capacity, used <= places) stand behind it. Without a
// free place or quota place the booking joins the waitlist.
func (s *Store) Book(ctx context.Context, sessionID, memberID, actor string) (domain.Booking, error) {
	var out domain.Booking
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		sess, err := s.session(ctx, tx, sessionID, true)
		if err != nil {
			return err
		}
		m, err := s.member(ctx, tx, memberID, false)
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
		id, err := uuid.NewV7()
		if err != nil {
			return fmt.Errorf("booking id: %w", err)
		}
		now := s.clk.Now()
		b, err := domain.Book(s.priority, sess, quota, m.Member, existing, id.String(), actor, s.today(), now)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO recuperation_bookings (id, session_id, member_id, unit_id, year, status, wait_reason, priority, requested_by, requested_at, updated_at, version)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, 1)`, b.ID, b.SessionID, b.MemberID, b.UnitID, b.Year, string(b.Status), b.WaitReason, b.Priority, b.RequestedBy, now)
		if pg.IsUniqueViolation(err) {
			return domain.ErrAlreadyBooked
		}
		if err != nil {
			return fmt.Errorf("insert booking: %w", err)
		}
		if b.Status == domain.BookingConfirmed {
			if err := s.takePlace(ctx, tx, sess, b, false); err != nil {
				return err
			}
		}
		out = b
		return s.audit(ctx, tx, actor, "recuperation.booking.create", "recuperation_booking", b.ID, nil, b)
	})
	return out, err
}

// takePlace counts a confirmed booking against the session and the quota
// and publishes recuperation.booked.
func (s *Store) takePlace(ctx context.Context, tx *sqlx.Tx, sess domain.Session, b domain.Booking, fromWaitlist bool) error {
	res, err := tx.ExecContext(ctx, `UPDATE recuperation_sessions SET booked = booked + 1, updated_at = $2 WHERE id = $1 AND booked < capacity`, sess.ID, s.clk.Now())
	if err != nil {
		return fmt.Errorf("take session place: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.ErrSessionFull
	}
	res, err = tx.ExecContext(ctx, `UPDATE recuperation_quotas SET used = used + 1, updated_at = $3 WHERE year = $1 AND unit_id = $2 AND used < places`, b.Year, b.UnitID, s.clk.Now())
	if err != nil {
		return fmt.Errorf("take quota place: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.ErrQuotaExhausted
	}
	ev, err := events.RecuperationBooked(b, sess, fromWaitlist, s.clk.Now())
	if err != nil {
		return err
	}
	return bus.Outbox(ctx, tx, ev)
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

// CancelBooking withdraws a booking (If-Match version). A confirmed place
// that frees up goes to the first waiting booking whose unit has quota left.
func (s *Store) CancelBooking(ctx context.Context, id string, version int64, actor string) (domain.Booking, error) {
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
		held, err := b.Cancel(s.today(), sess)
		if err != nil {
			return err
		}
		b.Version++
		now := s.clk.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE recuperation_bookings SET status = 'cancelled', wait_reason = '', version = $2, updated_at = $3 WHERE id = $1`, id, b.Version, now); err != nil {
			return fmt.Errorf("cancel booking: %w", err)
		}
		if held {
			if _, err := tx.ExecContext(ctx, `UPDATE recuperation_sessions SET booked = booked - 1, updated_at = $2 WHERE id = $1`, sess.ID, now); err != nil {
				return fmt.Errorf("free session place: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE recuperation_quotas SET used = used - 1, updated_at = $3 WHERE year = $1 AND unit_id = $2`, b.Year, b.UnitID, now); err != nil {
				return fmt.Errorf("free quota place: %w", err)
			}
			sess.Booked--
			if _, err := s.promote(ctx, tx, sess, actor); err != nil {
				return err
			}
		}
		out = b
		return s.audit(ctx, tx, actor, "recuperation.booking.cancel", "recuperation_booking", id, before, b)
	})
	return out, err
}

// promote moves waiting bookings up while the session (locked by the
// caller) has free places and their units have quota left.
func (s *Store) promote(ctx context.Context, tx *sqlx.Tx, sess domain.Session, actor string) (domain.Session, error) {
	for sess.Booked < sess.Capacity {
		var rows []bookingRow
		if err := sqlx.SelectContext(ctx, tx, &rows, `SELECT `+bookingColumns+` FROM `+bookingFrom+`
WHERE b.session_id = $1 AND b.status = 'waitlisted' ORDER BY b.priority DESC, b.requested_at, b.id FOR UPDATE OF b`, sess.ID); err != nil {
			return sess, fmt.Errorf("waitlist: %w", err)
		}
		if len(rows) == 0 {
			return sess, nil
		}
		waiting := make([]domain.Booking, len(rows))
		units := map[string]bool{}
		for i, r := range rows {
			waiting[i] = r.domain()
			units[r.UnitID] = true
		}
		var unitIDs []string
		for u := range units {
			unitIDs = append(unitIDs, u)
		}
		slices.Sort(unitIDs) // a fixed lock order across transactions
		var qrows []struct {
			UnitID string `db:"unit_id"`
			Places int    `db:"places"`
			Used   int    `db:"used"`
		}
		if err := sqlx.SelectContext(ctx, tx, &qrows, `SELECT unit_id, places, used FROM recuperation_quotas
WHERE year = $1 AND unit_id = ANY($2) ORDER BY unit_id FOR UPDATE`, sess.From.Year(), pq.Array(unitIDs)); err != nil {
			return sess, fmt.Errorf("waitlist quotas: %w", err)
		}
		quotas := map[string]domain.Quota{}
		for _, q := range qrows {
			quotas[q.UnitID] = domain.Quota{UnitID: q.UnitID, Places: q.Places, Used: q.Used}
		}
		next, ok := domain.NextFromWaitlist(waiting, quotas)
		if !ok {
			return sess, nil
		}
		next.Version++
		if _, err := tx.ExecContext(ctx, `UPDATE recuperation_bookings SET status = 'confirmed', wait_reason = '', version = $2, updated_at = $3 WHERE id = $1`,
			next.ID, next.Version, s.clk.Now()); err != nil {
			return sess, fmt.Errorf("promote booking: %w", err)
		}
		if err := s.takePlace(ctx, tx, sess, next, true); err != nil {
			return sess, err
		}
		sess.Booked++
		if err := s.audit(ctx, tx, actor, "recuperation.booking.promote", "recuperation_booking", next.ID, nil, next); err != nil {
			return sess, err
		}
	}
	return sess, nil
}
