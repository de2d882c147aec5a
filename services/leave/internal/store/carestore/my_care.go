package carestore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// The officer's home page (/my) shows their latest health checks with the
// slot's time, and their latest stays with the stay's dates and facility.
// Read from the booking lists and each booking's slot, session and
// facility, that is a dozen calls; MyCare reads it in two statements, each
// joined and bounded.

// MyCheck is a health-check booking with its slot's time and place (zero
// when the slot is gone).
type MyCheck struct {
	domain.CheckBooking
	StartsAt time.Time
	Place    string
}

// MyStay is a recuperation booking with its stay's dates and facility.
type MyStay struct {
	domain.Booking
	From, To           time.Time
	Facility, Location string
}

// MyChecksQuery reads a member's latest health checks, newest year first,
// with their slots; health_check_bookings_member_idx serves it.
const MyChecksQuery = `SELECT ` + checkColumns + `, s.starts_at, coalesce(s.place, '') AS place
	FROM ` + checkFrom + ` LEFT JOIN health_check_slots s ON s.id = c.slot_id
	WHERE c.member_id = $1 ORDER BY c.year DESC, c.created_at DESC, c.id DESC LIMIT $2`

// MyStaysQuery reads a member's latest stays, the latest asked for first,
// with their sessions and facilities; recuperation_bookings_member_idx
// serves it.
const MyStaysQuery = `SELECT ` + bookingColumns + `, rs.from_date, rs.to_date, coalesce(f.name, '') AS facility, coalesce(f.location, '') AS location
	FROM ` + bookingFrom + ` LEFT JOIN recuperation_sessions rs ON rs.id = b.session_id LEFT JOIN facilities f ON f.id = rs.facility_id
	WHERE b.member_id = $1 ORDER BY b.requested_at DESC, b.id DESC LIMIT $2`

// MyCare returns the member's latest limit health checks and limit stays,
// each newest first.
func (s *Store) MyCare(ctx context.Context, memberID string, limit int) ([]MyCheck, []MyStay, error) {
	var checks []struct {
		checkRow
		StartsAt sql.NullTime `db:"starts_at"`
		Place    string       `db:"place"`
	}
	if err := sqlx.SelectContext(ctx, s.db, &checks, MyChecksQuery, memberID, limit); err != nil {
		return nil, nil, fmt.Errorf("health checks of %s: %w", memberID, err)
	}
	var stays []struct {
		bookingRow
		From     sql.NullTime `db:"from_date"`
		To       sql.NullTime `db:"to_date"`
		Facility string       `db:"facility"`
		Location string       `db:"location"`
	}
	if err := sqlx.SelectContext(ctx, s.db, &stays, MyStaysQuery, memberID, limit); err != nil {
		return nil, nil, fmt.Errorf("stays of %s: %w", memberID, err)
	}
	outChecks := make([]MyCheck, len(checks))
	for i, c := range checks {
		outChecks[i] = MyCheck{CheckBooking: c.domain(), Place: c.Place}
		if c.StartsAt.Valid {
			outChecks[i].StartsAt = c.StartsAt.Time.UTC()
		}
	}
	outStays := make([]MyStay, len(stays))
	for i, b := range stays {
		outStays[i] = MyStay{Booking: b.domain(), Facility: b.Facility, Location: b.Location}
		if b.From.Valid {
			outStays[i].From, outStays[i].To = asDate(b.From.Time), asDate(b.To.Time)
		}
	}
	return outChecks, outStays, nil
}
