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

type roundRow struct {
	ID      string    `db:"id"`
	UnitID  string    `db:"unit_id"`
	Year    int       `db:"year"`
	Opens   time.Time `db:"opens"`
	Closes  time.Time `db:"closes"`
	Version int64     `db:"version"`
}

const roundColumns = `id::text AS id, unit_id, year, opens, closes, version`

func (r roundRow) domain() domain.Round {
	return domain.Round{ID: r.ID, UnitID: r.UnitID, Year: r.Year, Opens: asDate(r.Opens), Closes: asDate(r.Closes), Version: r.Version}
}

// CreateRound plans a unit's health-check round for a year (one per unit
// and year).
func (s *Store) CreateRound(ctx context.Context, r domain.Round, actor string) (domain.Round, error) {
	if err := r.Validate(s.today()); err != nil {
		return domain.Round{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return domain.Round{}, fmt.Errorf("round id: %w", err)
	}
	r.ID, r.Version = id.String(), 1
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO health_check_rounds (id, unit_id, year, opens, closes, version, created_at, updated_at)
VALUES ($1, $2, $3, $4::date, $5::date, 1, $6, $6)`, r.ID, r.UnitID, r.Year, dateArg(r.Opens), dateArg(r.Closes), s.clk.Now())
		if pg.IsUniqueViolation(err) {
			return fielderr.Fail("year", domain.CodeDuplicate)
		}
		if err != nil {
			return fmt.Errorf("insert round: %w", err)
		}
		return s.audit(ctx, tx, actor, "healthcheck.round.create", "health_check_round", r.ID, nil, r)
	})
	return r, err
}

// Round returns one round.
func (s *Store) Round(ctx context.Context, id string) (domain.Round, error) {
	return s.round(ctx, s.db, id)
}

func (s *Store) round(ctx context.Context, q sqlx.QueryerContext, id string) (domain.Round, error) {
	if _, err := uuid.Parse(id); err != nil {
		return domain.Round{}, ErrNotFound
	}
	var r roundRow
	if err := sqlx.GetContext(ctx, q, &r, `SELECT `+roundColumns+` FROM health_check_rounds WHERE id = $1`, id); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Round{}, ErrNotFound
		}
		return domain.Round{}, fmt.Errorf("round %s: %w", id, err)
	}
	return r.domain(), nil
}

func (s *Store) rounds(ctx context.Context, q sqlx.QueryerContext, year int, units []string) ([]domain.Round, error) {
	query := `SELECT ` + roundColumns + ` FROM health_check_rounds WHERE year = $1`
	args := []any{year}
	if units != nil {
		query += ` AND unit_id = ANY($2)`
		args = append(args, pq.Array(units))
	}
	var rows []roundRow
	if err := sqlx.SelectContext(ctx, q, &rows, query+` ORDER BY unit_id`, args...); err != nil {
		return nil, fmt.Errorf("list rounds: %w", err)
	}
	out := make([]domain.Round, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

type slotRow struct {
	ID       string    `db:"id"`
	RoundID  string    `db:"round_id"`
	StartsAt time.Time `db:"starts_at"`
	Capacity int       `db:"capacity"`
	Booked   int       `db:"booked"`
	Version  int64     `db:"version"`
	Place    string    `db:"place"`
	Notes    string    `db:"notes"`
}

const slotColumns = `id::text AS id, round_id::text AS round_id, starts_at, capacity, booked, version, place, notes`

func (r slotRow) domain() domain.Slot {
	return domain.Slot{ID: r.ID, RoundID: r.RoundID, StartsAt: r.StartsAt.UTC(), Capacity: r.Capacity, Booked: r.Booked, Version: r.Version,
		Place: r.Place, Notes: r.Notes}
}

// AddSlot adds a bookable slot to a round.
func (s *Store) AddSlot(ctx context.Context, in domain.Slot, actor string) (domain.Slot, error) {
	var out domain.Slot
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		r, err := s.round(ctx, tx, in.RoundID)
		if err != nil {
			return err
		}
		if err := in.Validate(r); err != nil {
			return err
		}
		id, err := uuid.NewV7()
		if err != nil {
			return fmt.Errorf("slot id: %w", err)
		}
		in.ID, in.Booked, in.Version = id.String(), 0, 1
		if _, err := tx.ExecContext(ctx, `INSERT INTO health_check_slots (id, round_id, starts_at, capacity, booked, version, created_at, place, notes)
VALUES ($1, $2, $3, $4, 0, 1, $5, $6, $7)`,
			in.ID, in.RoundID, in.StartsAt.UTC(), in.Capacity, s.clk.Now(), in.Place, in.Notes); err != nil {
			return fmt.Errorf("insert slot: %w", err)
		}
		out = in
		return s.audit(ctx, tx, actor, "healthcheck.slot.create", "health_check_slot", in.ID, nil, in)
	})
	return out, err
}

// Slot returns one slot.
func (s *Store) Slot(ctx context.Context, id string) (domain.Slot, error) {
	return s.slot(ctx, s.db, id, false)
}

func (s *Store) slot(ctx context.Context, q sqlx.QueryerContext, id string, lock bool) (domain.Slot, error) {
	if _, err := uuid.Parse(id); err != nil {
		return domain.Slot{}, ErrNotFound
	}
	query := `SELECT ` + slotColumns + ` FROM health_check_slots WHERE id = $1`
	if lock {
		query += ` FOR UPDATE`
	}
	var r slotRow
	if err := sqlx.GetContext(ctx, q, &r, query, id); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Slot{}, ErrNotFound
		}
		return domain.Slot{}, fmt.Errorf("slot %s: %w", id, err)
	}
	return r.domain(), nil
}

type checkRow struct {
	ID          string       `db:"id"`
	RoundID     string       `db:"round_id"`
	SlotID      string       `db:"slot_id"`
	MemberID    string       `db:"member_id"`
	MemberName  string       `db:"member_name"`
	UnitID      string       `db:"unit_id"`
	Year        int          `db:"year"`
	Status      string       `db:"status"`
	CompletedOn sql.NullTime `db:"completed_on"`
	Version     int64        `db:"version"`
	CreatedAt   time.Time    `db:"created_at"`
}

// checkColumns read a health-check booking with its member's name from
// checkFrom.
const checkColumns = `c.id::text AS id, c.round_id::text AS round_id, c.slot_id::text AS slot_id, c.member_id, coalesce(m.name, '') AS member_name,
	c.unit_id, c.year, c.status, c.completed_on, c.version, c.created_at`

// checkFrom joins the member projection for the name, in the same query as
// the bookings (a lock takes the booking rows only: FOR UPDATE OF c).
const checkFrom = `health_check_bookings c LEFT JOIN members m ON m.member_id = c.member_id`

func (r checkRow) domain() domain.CheckBooking {
	return domain.CheckBooking{ID: r.ID, RoundID: r.RoundID, SlotID: r.SlotID, MemberID: r.MemberID, MemberName: r.MemberName, UnitID: r.UnitID,
		Year: r.Year, Status: domain.CheckStatus(r.Status), CompletedOn: fromNullDate(r.CompletedOn), Version: r.Version}
}

// BookCheck books a member into a slot, the slot row locked so its places
// cannot be overbooked (CHECK booked <= capacity behind it).
func (s *Store) BookCheck(ctx context.Context, slotID, memberID, actor string) (domain.CheckBooking, error) {
	var out domain.CheckBooking
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		sl, err := s.slot(ctx, tx, slotID, true)
		if err != nil {
			return err
		}
		r, err := s.round(ctx, tx, sl.RoundID)
		if err != nil {
			return err
		}
		m, err := s.member(ctx, tx, memberID, false)
		if err != nil {
			return err
		}
		existing, err := s.checks(ctx, tx, CheckFilter{MemberID: memberID, RoundID: r.ID})
		if err != nil {
			return err
		}
		id, err := uuid.NewV7()
		if err != nil {
			return fmt.Errorf("booking id: %w", err)
		}
		b, err := domain.BookCheck(r, sl, m.Member, existing, id.String(), s.today())
		if err != nil {
			return err
		}
		now := s.clk.Now()
		_, err = tx.ExecContext(ctx, `INSERT INTO health_check_bookings (id, round_id, slot_id, member_id, unit_id, year, status, version, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, 'booked', 1, $7, $7)`, b.ID, b.RoundID, b.SlotID, b.MemberID, b.UnitID, b.Year, now)
		if pg.IsUniqueViolation(err) {
			return domain.ErrCheckBooked
		}
		if err != nil {
			return fmt.Errorf("insert check booking: %w", err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE health_check_slots SET booked = booked + 1 WHERE id = $1 AND booked < capacity`, sl.ID)
		if err != nil {
			return fmt.Errorf("take slot place: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.ErrSlotFull
		}
		out = b
		return s.audit(ctx, tx, actor, "healthcheck.booking.create", "health_check_booking", b.ID, nil, b)
	})
	return out, err
}

// CheckFilter selects health-check bookings; empty fields do not filter,
// Units nil means every unit.
type CheckFilter struct {
	MemberID string
	RoundID  string
	Units    []string
	Year     int
	// Page is the page ListChecks returns; the unpaged internal reads
	// (a member's bookings in a round, compliance) ignore it.
	Page page.Request
}

func (s *Store) checks(ctx context.Context, q sqlx.QueryerContext, f CheckFilter) ([]domain.CheckBooking, error) {
	query := `SELECT ` + checkColumns + ` FROM ` + checkFrom + ` WHERE true`
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		query += fmt.Sprintf(" AND "+cond, len(args))
	}
	if f.MemberID != "" {
		add("c.member_id = $%d", f.MemberID)
	}
	if f.RoundID != "" {
		if _, err := uuid.Parse(f.RoundID); err != nil {
			return nil, nil
		}
		add("c.round_id = $%d", f.RoundID)
	}
	if f.Units != nil {
		add("c.unit_id = ANY($%d)", pq.Array(f.Units))
	}
	if f.Year != 0 {
		add("c.year = $%d", f.Year)
	}
	var rows []checkRow
	if err := sqlx.SelectContext(ctx, q, &rows, query+` ORDER BY c.created_at, c.id`, args...); err != nil {
		return nil, fmt.Errorf("list checks: %w", err)
	}
	out := make([]domain.CheckBooking, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// Check returns one health-check booking (without its result).
func (s *Store) Check(ctx context.Context, id string) (domain.CheckBooking, error) {
	return s.check(ctx, s.db, id, false)
}

func (s *Store) check(ctx context.Context, q sqlx.QueryerContext, id string, lock bool) (domain.CheckBooking, error) {
	if _, err := uuid.Parse(id); err != nil {
		return domain.CheckBooking{}, ErrNotFound
	}
	query := `SELECT ` + checkColumns + ` FROM ` + checkFrom + ` WHERE c.id = $1`
	if lock {
		query += ` FOR UPDATE OF c`
	}
	var r checkRow
	if err := sqlx.GetContext(ctx, q, &r, query, id); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return domain.CheckBooking{}, ErrNotFound
		}
		return domain.CheckBooking{}, fmt.Errorf("check %s: %w", id, err)
	}
	return r.domain(), nil
}

// Check operations.
const (
	CheckOpComplete = "complete"
	CheckOpNoShow   = "no_show"
	CheckOpCancel   = "cancel"
)

// UpdateCheck completes (with the result summary, sealed before it is
// stored), marks a no-show or cancels a booking, at the If-Match version.
func (s *Store) UpdateCheck(ctx context.Context, id, op, result string, version int64, actor string) (domain.CheckBooking, error) {
	var out domain.CheckBooking
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		peek, err := s.check(ctx, tx, id, false)
		if err != nil {
			return err
		}
		sl, err := s.slot(ctx, tx, peek.SlotID, true)
		if err != nil {
			return err
		}
		b, err := s.check(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if b.Version != version {
			return ErrVersionMismatch
		}
		before, today, now := b, s.today(), s.clk.Now()
		var sealedResult []byte
		switch op {
		case CheckOpComplete:
			if err := b.Complete(sl, result, today); err != nil {
				return err
			}
			if sealedResult, err = s.sealer.Seal(result); err != nil {
				return fmt.Errorf("seal result: %w", err)
			}
		case CheckOpNoShow:
			if err := b.NoShow(sl, today); err != nil {
				return err
			}
		case CheckOpCancel:
			if err := b.Cancel(sl, today); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE health_check_slots SET booked = booked - 1 WHERE id = $1`, sl.ID); err != nil {
				return fmt.Errorf("free slot place: %w", err)
			}
		default:
			return fmt.Errorf("unknown check operation %q", op)
		}
		b.Version++
		if _, err := tx.ExecContext(ctx, `UPDATE health_check_bookings SET status = $2, result_sealed = $3, completed_on = $4::date, version = $5, updated_at = $6 WHERE id = $1`,
			id, string(b.Status), sealedResult, nullDateArg(b.CompletedOn), b.Version, now); err != nil {
			return fmt.Errorf("update check: %w", err)
		}
		b.Result = ""
		out = b
		// The result itself never enters the audit trail.
		return s.audit(ctx, tx, actor, "healthcheck.booking."+op, "health_check_booking", id, before, b)
	})
	return out, err
}

// CheckResult opens a completed check's result for an authorized reader and
// records the reading in the audit trail (sensitive health data).
func (s *Store) CheckResult(ctx context.Context, id, actor string) (string, error) {
	var out string
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var sealedResult []byte
		if _, err := uuid.Parse(id); err != nil {
			return ErrNotFound
		}
		err := sqlx.GetContext(ctx, tx, &sealedResult, `SELECT result_sealed FROM health_check_bookings WHERE id = $1 AND status = 'completed'`, id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("read result: %w", err)
		}
		if out, err = s.sealer.Open(sealedResult); err != nil {
			return fmt.Errorf("open result: %w", err)
		}
		return s.audit(ctx, tx, actor, "healthcheck.result.view", "health_check_booking", id, nil, nil)
	})
	return out, err
}

func (s *Store) compliance(ctx context.Context, q sqlx.QueryerContext, year int, units []string) ([]domain.Compliance, error) {
	members, err := s.membersOf(ctx, q, units)
	if err != nil {
		return nil, err
	}
	checks, err := s.checks(ctx, q, CheckFilter{Units: units, Year: year})
	if err != nil {
		return nil, err
	}
	rounds, err := s.rounds(ctx, q, year, units)
	if err != nil {
		return nil, err
	}
	deadlines := map[string]time.Time{}
	for _, r := range rounds {
		deadlines[r.UnitID] = r.Closes
	}
	return domain.UnitCompliance(members, checks, year, deadlines, s.today()), nil
}

// SendReminders publishes, for year and today, one healthcheck.overdue
// event per overdue member and one healthcheck.reminder per member still
// due (nothing done or booked) whose unit's round closes within
// domain.ReminderWindowDays days. Members of a unit without a round get no
// reminder (there is nothing to book) but are overdue after 31 December.
// Either notice goes at most once per member and day (health_check_reminders):
// a second run the same day (or another replica) sends nothing more. It
// returns how many were sent.
func (s *Store) SendReminders(ctx context.Context, year int, actor string) (int, error) {
	sent := 0
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		comp, err := s.compliance(ctx, tx, year, nil)
		if err != nil {
			return err
		}
		rounds, err := s.rounds(ctx, tx, year, nil)
		if err != nil {
			return err
		}
		deadlines := map[string]time.Time{}
		for _, r := range rounds {
			deadlines[r.UnitID] = r.Closes
		}
		today, now := s.today(), s.clk.Now()
		// remind records the member's notice of the day and builds its
		// event, or builds nothing when one went today already.
		var evs []bus.Event
		remind := func(id, unit string, build func(domain.Member, int, time.Time, time.Time, time.Time) (bus.Event, error), deadline time.Time) error {
			res, err := tx.ExecContext(ctx, `INSERT INTO health_check_reminders (member_id, year, reminded_on, created_at) VALUES ($1, $2, $3::date, $4) ON CONFLICT DO NOTHING`,
				id, year, dateArg(today), now)
			if err != nil {
				return fmt.Errorf("record reminder: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil
			}
			ev, err := build(domain.Member{ID: id, UnitID: unit}, year, deadline, today, now)
			if err != nil {
				return err
			}
			evs = append(evs, ev)
			return nil
		}
		for _, c := range comp {
			deadline, hasRound := deadlines[c.UnitID]
			if !hasRound {
				deadline = domain.Date(year, time.December, 31)
			}
			for _, id := range c.Overdue {
				if err := remind(id, c.UnitID, events.HealthCheckOverdue, deadline); err != nil {
					return err
				}
			}
			if !hasRound || !domain.RemindBefore(deadline, today) {
				continue
			}
			for _, id := range c.DueMembers {
				if err := remind(id, c.UnitID, events.HealthCheckReminder, deadline); err != nil {
					return err
				}
			}
		}
		// One outbox statement carries at most a few thousand events
		// (PostgreSQL's 65,535 parameters).
		for chunk := range slices.Chunk(evs, 5000) {
			if err := bus.Outbox(ctx, tx, chunk...); err != nil {
				return err
			}
		}
		sent = len(evs)
		if sent == 0 {
			return nil
		}
		return s.audit(ctx, tx, actor, "healthcheck.reminders.send", "health_check_year", fmt.Sprint(year), nil, map[string]any{"sent": sent})
	})
	return sent, err
}
