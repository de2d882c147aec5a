package carestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
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

// CreateRound saves round r (domain.NewRound made it) with an audit row by
// actor. A second round of the unit and year is a field problem on year.
func (s *Store) CreateRound(ctx context.Context, actor string, r domain.Round) (domain.Round, error) {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
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

// CreateSlot saves the slot fn makes for round roundID (read in the
// transaction), with an audit row by actor.
func (s *Store) CreateSlot(ctx context.Context, actor, roundID string, fn func(domain.Round) (domain.Slot, error)) (domain.Slot, error) {
	var out domain.Slot
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		r, err := s.round(ctx, tx, roundID)
		if err != nil {
			return err
		}
		in, err := fn(r)
		if err != nil {
			return err
		}
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

// CheckBookingState is what a health-check booking is decided on, read in
// the booking's transaction: the slot (locked, so its places cannot be
// overbooked), its round, the member and their bookings in the round.
type CheckBookingState struct {
	Slot     domain.Slot
	Round    domain.Round
	Member   domain.Member
	Existing []domain.CheckBooking
}

// CreateCheck saves the booking fn makes of member memberID into slot
// slotID, takes its place in the slot (CHECK booked <= capacity behind
// it) and writes an audit row by actor, in one transaction.
func (s *Store) CreateCheck(ctx context.Context, actor, slotID, memberID string, fn func(CheckBookingState) (domain.CheckBooking, error)) (domain.CheckBooking, error) {
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
		m, err := s.member(ctx, tx, memberID)
		if err != nil {
			return err
		}
		existing, err := s.checks(ctx, tx, CheckFilter{MemberID: memberID, RoundID: r.ID})
		if err != nil {
			return err
		}
		b, err := fn(CheckBookingState{Slot: sl, Round: r, Member: m.Member, Existing: existing})
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

// CheckUpdate is what an UpdateCheck callback works with: the booking and
// its slot, both read under lock in the transaction.
type CheckUpdate struct {
	Booking *domain.CheckBooking
	Slot    domain.Slot
	// FreeSlotPlace gives the booking's slot place back when fn returns.
	FreeSlotPlace bool
}

// UpdateCheck runs fn on health-check booking id under lock and saves what
// it did, in one transaction: the booking's new state (version + 1), its
// result sealed (pkg/sealed) when it has one, the slot place fn freed, and
// an audit row "healthcheck.booking.<action>" by actor, which never holds
// the result. The slot row is locked first, then the booking (the order
// CreateCheck takes); a version other than the booking's is
// ErrVersionMismatch.
func (s *Store) UpdateCheck(ctx context.Context, action, id string, version int64, actor string, fn func(u *CheckUpdate) error) (domain.CheckBooking, error) {
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
		before := b
		u := &CheckUpdate{Booking: &b, Slot: sl}
		if err := fn(u); err != nil {
			return err
		}
		var sealedResult []byte
		if b.Result != "" {
			if sealedResult, err = s.sealer.Seal(b.Result); err != nil {
				return fmt.Errorf("seal result: %w", err)
			}
		}
		if u.FreeSlotPlace {
			if _, err := tx.ExecContext(ctx, `UPDATE health_check_slots SET booked = booked - 1 WHERE id = $1`, sl.ID); err != nil {
				return fmt.Errorf("free slot place: %w", err)
			}
		}
		now := s.clk.Now()
		b.Version++
		if _, err := tx.ExecContext(ctx, `UPDATE health_check_bookings SET status = $2, result_sealed = $3, completed_on = $4::date, version = $5, updated_at = $6 WHERE id = $1`,
			id, string(b.Status), sealedResult, nullDateArg(b.CompletedOn), b.Version, now); err != nil {
			return fmt.Errorf("update check: %w", err)
		}
		b.Result = ""
		out = b
		// The result itself never enters the audit trail.
		return s.audit(ctx, tx, actor, action, "health_check_booking", id, before, b)
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

// ReminderRun is what a SendReminders callback works with: the year's
// compliance of every unit and the units' deadlines, read in the
// transaction, and the transaction for the events it writes to the outbox.
type ReminderRun struct {
	Tx         *sqlx.Tx
	Compliance []domain.Compliance
	Deadlines  map[string]time.Time
	// Sent is how many notices fn sent; the audit row records it.
	Sent int

	year       int
	today, now time.Time
}

// Record notes that memberID gets a notice today; false when one went to
// them today already (by an earlier run or another replica), and then
// nothing is to be sent.
func (r *ReminderRun) Record(ctx context.Context, memberID string) (bool, error) {
	res, err := r.Tx.ExecContext(ctx, `INSERT INTO health_check_reminders (member_id, year, reminded_on, created_at) VALUES ($1, $2, $3::date, $4) ON CONFLICT DO NOTHING`,
		memberID, r.year, dateArg(r.today), r.now)
	if err != nil {
		return false, fmt.Errorf("record reminder: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// SendReminders runs fn, which sends the health-check notices of year, in
// one transaction with an audit row "healthcheck.reminders.send" by actor
// when it sent any (ReminderRun.Sent), and returns how many it sent.
func (s *Store) SendReminders(ctx context.Context, year int, actor string, fn func(ctx context.Context, run *ReminderRun) error) (int, error) {
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
		run := &ReminderRun{Tx: tx, Compliance: comp, Deadlines: domain.RoundDeadlines(rounds), year: year, today: s.today(), now: s.clk.Now()}
		if err := fn(ctx, run); err != nil {
			return err
		}
		sent = run.Sent
		if sent == 0 {
			return nil
		}
		return s.audit(ctx, tx, actor, "healthcheck.reminders.send", "health_check_year", fmt.Sprint(year), nil, map[string]any{"sent": sent})
	})
	return sent, err
}
