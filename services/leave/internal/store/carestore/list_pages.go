package carestore

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// The care lists page by key (PLATFORM.md, "Lists"): each reads its sort
// key after the cursor's, on an index, so a page costs its size. The
// *Query builders are exported for the EXPLAIN guards.

// FacilitiesQuery lists facilities by name, after (name, id) when after.
func FacilitiesQuery(limit int, after bool, name, id string) (string, []any) {
	q := `SELECT id::text AS id, name, location, active, version FROM facilities`
	var args []any
	if after {
		q += ` WHERE (name, id) > ($1, $2::uuid)`
		args = append(args, name, id)
	}
	args = append(args, limit)
	return q + fmt.Sprintf(` ORDER BY name, id LIMIT $%d`, len(args)), args
}

// Facilities lists a page of the facilities by name.
func (s *Store) Facilities(ctx context.Context, p page.Request) ([]domain.Facility, string, error) {
	p = pageOf(p)
	var name, id string
	ok, err := decodeID(p, &name, &id)
	if err != nil {
		return nil, "", err
	}
	q, args := FacilitiesQuery(p.Fetch(), ok, name, id)
	var rows []facilityRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, q, args...); err != nil {
		return nil, "", fmt.Errorf("list facilities: %w", err)
	}
	rows, next := page.Trim(p, rows, func(r facilityRow) string { return page.Cursor(r.Name, r.ID) })
	out := make([]domain.Facility, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, next, nil
}

// SessionsQuery lists the stays starting on or after from, by start, after
// (start, id) when afterFrom is set.
func SessionsQuery(limit int, from string, afterFrom, afterID string) (string, []any) {
	q := `SELECT ` + sessionColumns + ` FROM recuperation_sessions WHERE from_date >= $1::date`
	args := []any{from}
	if afterFrom != "" {
		q += ` AND (from_date, id) > ($2::date, $3::uuid)`
		args = append(args, afterFrom, afterID)
	}
	args = append(args, limit)
	return q + fmt.Sprintf(` ORDER BY from_date, id LIMIT $%d`, len(args)), args
}

// Sessions lists a page of the stays starting on or after from.
func (s *Store) Sessions(ctx context.Context, from time.Time, p page.Request) ([]domain.Session, string, error) {
	p = pageOf(p)
	var afterFrom, id string
	ok, err := decodeID(p, &afterFrom, &id)
	if err != nil {
		return nil, "", err
	}
	if ok {
		if _, err := time.Parse(time.DateOnly, afterFrom); err != nil {
			return nil, "", badCursor()
		}
	}
	q, args := SessionsQuery(p.Fetch(), dateArg(from), afterFrom, id)
	var rows []sessionRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, q, args...); err != nil {
		return nil, "", fmt.Errorf("list sessions: %w", err)
	}
	rows, next := page.Trim(p, rows, func(r sessionRow) string { return page.Cursor(asDate(r.FromDate).Format(time.DateOnly), r.ID) })
	out := make([]domain.Session, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, next, nil
}

// QuotasQuery lists year's quotas of units (all when nil) by unit, after
// afterUnit when set; the primary key (year, unit_id) serves it.
func QuotasQuery(limit, year int, units []string, afterUnit string) (string, []any) {
	q := `SELECT year, unit_id, places, used, version FROM recuperation_quotas WHERE year = $1`
	args := []any{year}
	if units != nil {
		args = append(args, pq.Array(units))
		q += fmt.Sprintf(` AND unit_id = ANY($%d)`, len(args))
	}
	if afterUnit != "" {
		args = append(args, afterUnit)
		q += fmt.Sprintf(` AND unit_id > $%d`, len(args))
	}
	args = append(args, limit)
	return q + fmt.Sprintf(` ORDER BY unit_id LIMIT $%d`, len(args)), args
}

// Quotas lists a page of year's quotas for units (all when nil) by unit.
func (s *Store) Quotas(ctx context.Context, year int, units []string, p page.Request) ([]domain.Quota, string, error) {
	p = pageOf(p)
	var after string
	if _, err := p.Decode(&after); err != nil {
		return nil, "", err
	}
	q, args := QuotasQuery(p.Fetch(), year, units, after)
	var rows []struct {
		Year    int    `db:"year"`
		UnitID  string `db:"unit_id"`
		Places  int    `db:"places"`
		Used    int    `db:"used"`
		Version int64  `db:"version"`
	}
	if err := sqlx.SelectContext(ctx, s.db, &rows, q, args...); err != nil {
		return nil, "", fmt.Errorf("list quotas: %w", err)
	}
	out := make([]domain.Quota, len(rows))
	for i, r := range rows {
		out[i] = domain.Quota{Year: r.Year, UnitID: r.UnitID, Places: r.Places, Used: r.Used, Version: r.Version}
	}
	out, next := page.Trim(p, out, func(q domain.Quota) string { return page.Cursor(q.UnitID) })
	return out, next, nil
}

// BookingKey is a booking's place in the list: by stay, then the waiting
// list's order (priority first, then who asked first).
type BookingKey struct {
	Session  string
	Priority int
	At       time.Time
	ID       string
}

// BookingsQuery lists bookings in waiting-list order within each stay,
// after the key when after is set. The order is on (-priority) so that one
// row comparison and the index recuperation_bookings_keyset serve it.
func BookingsQuery(f BookingFilter, limit int, after *BookingKey) (string, []any) {
	q := `SELECT ` + bookingColumns + ` FROM ` + bookingFrom + ` WHERE true`
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		q += fmt.Sprintf(" AND "+cond, len(args))
	}
	if f.MemberID != "" {
		add("b.member_id = $%d", f.MemberID)
	}
	if f.SessionID != "" {
		add("b.session_id = $%d", f.SessionID)
	}
	if f.Units != nil {
		add("b.unit_id = ANY($%d)", pq.Array(f.Units))
	}
	if f.Year != 0 {
		add("b.year = $%d", f.Year)
	}
	if after != nil {
		n := len(args)
		args = append(args, after.Session, -after.Priority, after.At, after.ID)
		q += fmt.Sprintf(" AND (b.session_id, -b.priority, b.requested_at, b.id) > ($%d::uuid, $%d, $%d, $%d::uuid)", n+1, n+2, n+3, n+4)
	}
	args = append(args, limit)
	return q + fmt.Sprintf(` ORDER BY b.session_id, -b.priority, b.requested_at, b.id LIMIT $%d`, len(args)), args
}

// Bookings lists a page of bookings, in waiting-list order within a stay.
func (s *Store) Bookings(ctx context.Context, f BookingFilter) ([]domain.Booking, string, error) {
	p := pageOf(f.Page)
	if f.SessionID != "" {
		if _, err := uuid.Parse(f.SessionID); err != nil {
			return nil, "", nil
		}
	}
	var k BookingKey
	ok, err := decodeID(p, &k.Session, &k.Priority, &k.At, &k.ID)
	if err != nil {
		return nil, "", err
	}
	if ok {
		if _, err := uuid.Parse(k.Session); err != nil {
			return nil, "", badCursor()
		}
	}
	var after *BookingKey
	if ok {
		after = &k
	}
	q, args := BookingsQuery(f, p.Fetch(), after)
	var rows []bookingRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, q, args...); err != nil {
		return nil, "", fmt.Errorf("list bookings: %w", err)
	}
	rows, next := page.Trim(p, rows, func(r bookingRow) string {
		return page.Cursor(r.SessionID, r.Priority, r.RequestedAt.UTC(), r.ID)
	})
	out := make([]domain.Booking, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, next, nil
}

// RoundsQuery lists year's rounds of units (all when nil) by unit, after
// afterUnit when set; the unique index (unit_id, year) serves it.
func RoundsQuery(limit, year int, units []string, afterUnit string) (string, []any) {
	q := `SELECT ` + roundColumns + ` FROM health_check_rounds WHERE year = $1`
	args := []any{year}
	if units != nil {
		args = append(args, pq.Array(units))
		q += fmt.Sprintf(` AND unit_id = ANY($%d)`, len(args))
	}
	if afterUnit != "" {
		args = append(args, afterUnit)
		q += fmt.Sprintf(` AND unit_id > $%d`, len(args))
	}
	args = append(args, limit)
	return q + fmt.Sprintf(` ORDER BY unit_id LIMIT $%d`, len(args)), args
}

// Rounds lists a page of year's rounds for units (all when nil) by unit.
func (s *Store) Rounds(ctx context.Context, year int, units []string, p page.Request) ([]domain.Round, string, error) {
	p = pageOf(p)
	var after string
	if _, err := p.Decode(&after); err != nil {
		return nil, "", err
	}
	q, args := RoundsQuery(p.Fetch(), year, units, after)
	var rows []roundRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, q, args...); err != nil {
		return nil, "", fmt.Errorf("list rounds: %w", err)
	}
	rows, next := page.Trim(p, rows, func(r roundRow) string { return page.Cursor(r.UnitID) })
	out := make([]domain.Round, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, next, nil
}

// SlotsQuery lists a round's slots by time, after (starts_at, id) when
// afterAt is set.
func SlotsQuery(limit int, roundID string, afterAt *time.Time, afterID string) (string, []any) {
	q := `SELECT ` + slotColumns + ` FROM health_check_slots WHERE round_id = $1`
	args := []any{roundID}
	if afterAt != nil {
		q += ` AND (starts_at, id) > ($2, $3::uuid)`
		args = append(args, *afterAt, afterID)
	}
	args = append(args, limit)
	return q + fmt.Sprintf(` ORDER BY starts_at, id LIMIT $%d`, len(args)), args
}

// Slots lists a page of a round's slots by time.
func (s *Store) Slots(ctx context.Context, roundID string, p page.Request) ([]domain.Slot, string, error) {
	if _, err := uuid.Parse(roundID); err != nil {
		return nil, "", ErrNotFound
	}
	p = pageOf(p)
	var (
		at time.Time
		id string
	)
	ok, err := decodeID(p, &at, &id)
	if err != nil {
		return nil, "", err
	}
	var after *time.Time
	if ok {
		after = &at
	}
	q, args := SlotsQuery(p.Fetch(), roundID, after, id)
	var rows []slotRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, q, args...); err != nil {
		return nil, "", fmt.Errorf("list slots: %w", err)
	}
	rows, next := page.Trim(p, rows, func(r slotRow) string { return page.Cursor(r.StartsAt.UTC(), r.ID) })
	out := make([]domain.Slot, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, next, nil
}

// ChecksQuery lists health-check bookings in the order they were made,
// after (created_at, id) when afterAt is set.
func ChecksQuery(f CheckFilter, limit int, afterAt *time.Time, afterID string) (string, []any) {
	q := `SELECT ` + checkColumns + ` FROM ` + checkFrom + ` WHERE true`
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		q += fmt.Sprintf(" AND "+cond, len(args))
	}
	if f.MemberID != "" {
		add("c.member_id = $%d", f.MemberID)
	}
	if f.RoundID != "" {
		add("c.round_id = $%d", f.RoundID)
	}
	if f.Units != nil {
		add("c.unit_id = ANY($%d)", pq.Array(f.Units))
	}
	if f.Year != 0 {
		add("c.year = $%d", f.Year)
	}
	if afterAt != nil {
		n := len(args)
		args = append(args, *afterAt, afterID)
		q += fmt.Sprintf(" AND (c.created_at, c.id) > ($%d, $%d::uuid)", n+1, n+2)
	}
	args = append(args, limit)
	return q + fmt.Sprintf(` ORDER BY c.created_at, c.id LIMIT $%d`, len(args)), args
}

// Checks lists a page of health-check bookings (without results) in the
// order they were made.
func (s *Store) Checks(ctx context.Context, f CheckFilter) ([]domain.CheckBooking, string, error) {
	p := pageOf(f.Page)
	if f.RoundID != "" {
		if _, err := uuid.Parse(f.RoundID); err != nil {
			return nil, "", nil
		}
	}
	var (
		at time.Time
		id string
	)
	ok, err := decodeID(p, &at, &id)
	if err != nil {
		return nil, "", err
	}
	var after *time.Time
	if ok {
		after = &at
	}
	q, args := ChecksQuery(f, p.Fetch(), after, id)
	var rows []checkRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, q, args...); err != nil {
		return nil, "", fmt.Errorf("list checks: %w", err)
	}
	rows, next := page.Trim(p, rows, func(r checkRow) string { return page.Cursor(r.CreatedAt.UTC(), r.ID) })
	out := make([]domain.CheckBooking, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, next, nil
}
