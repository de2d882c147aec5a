package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// CalendarRecord is a year's work calendar with its version.
type CalendarRecord struct {
	Calendar *domain.WorkCalendar
	Version  int64
}

type calendarDayRow struct {
	Year int       `db:"year"`
	Day  time.Time `db:"day"`
	Kind string    `db:"kind"`
}

// Calendars loads the calendars of years; a year nobody has set up is
// absent, and counting days in it fails with domain.ErrCalendarMissing.
func (s *Store) Calendars(ctx context.Context, q sqlx.QueryerContext, years ...int) (domain.Calendars, map[int]int64, error) {
	var heads []struct {
		Year    int   `db:"year"`
		Version int64 `db:"version"`
	}
	if err := sqlx.SelectContext(ctx, q, &heads, `SELECT year, version FROM work_calendars WHERE year = ANY($1)`, pq.Array(years)); err != nil {
		return nil, nil, fmt.Errorf("load calendars: %w", err)
	}
	var days []calendarDayRow
	if err := sqlx.SelectContext(ctx, q, &days, `SELECT year, day, kind FROM work_calendar_days WHERE year = ANY($1) ORDER BY day`, pq.Array(years)); err != nil {
		return nil, nil, fmt.Errorf("load calendar days: %w", err)
	}
	off, work := map[int][]time.Time{}, map[int][]time.Time{}
	for _, d := range days {
		if d.Kind == "off" {
			off[d.Year] = append(off[d.Year], asDate(d.Day))
		} else {
			work[d.Year] = append(work[d.Year], asDate(d.Day))
		}
	}
	out, versions := domain.Calendars{}, map[int]int64{}
	for _, h := range heads {
		c, err := domain.NewWorkCalendar(h.Year, off[h.Year], work[h.Year])
		if err != nil {
			return nil, nil, fmt.Errorf("calendar %d in the database is invalid: %w", h.Year, err)
		}
		out[h.Year], versions[h.Year] = c, h.Version
	}
	return out, versions, nil
}

// countingCalendars are the calendars a leave request is counted with:
// the official ones, and for a year from the current one on that has none
// yet, the provisional calendar (weekends only), so leave for next year can
// be requested before the State Council's notice is entered.
func (s *Store) countingCalendars(ctx context.Context, q sqlx.QueryerContext, years ...int) (domain.Calendars, error) {
	cals, _, err := s.Calendars(ctx, q, years...)
	if err != nil {
		return nil, err
	}
	return cals.WithProvisional(s.today().Year(), years...), nil
}

// CountingCalendars are countingCalendars for a read outside a transaction.
func (s *Store) CountingCalendars(ctx context.Context, years ...int) (domain.Calendars, error) {
	return s.countingCalendars(ctx, s.db, years...)
}

// Calendar returns one year's calendar.
func (s *Store) Calendar(ctx context.Context, year int) (CalendarRecord, error) {
	cs, versions, err := s.Calendars(ctx, s.db, year)
	if err != nil {
		return CalendarRecord{}, err
	}
	c, ok := cs[year]
	if !ok {
		return CalendarRecord{}, ErrNotFound
	}
	return CalendarRecord{Calendar: c, Version: versions[year]}, nil
}

// PutCalendar sets a year's holidays and 调休 working days. version 0
// creates the year (ErrVersionMismatch if it exists); otherwise it must be
// the current version. Requests already made keep the days they were
// counted with; the calendar applies to new ones.
func (s *Store) PutCalendar(ctx context.Context, year int, off, work []time.Time, version int64, actor string) (CalendarRecord, error) {
	cal, err := domain.NewWorkCalendar(year, off, work)
	if err != nil {
		return CalendarRecord{}, err
	}
	var out CalendarRecord
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		var current int64
		err := sqlx.GetContext(ctx, tx, &current, `SELECT version FROM work_calendars WHERE year = $1 FOR UPDATE`, year)
		var before any
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if version != 0 {
				return ErrNotFound
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO work_calendars (year, version, updated_by, updated_at) VALUES ($1, 1, $2, $3)`, year, actor, s.clk.Now()); err != nil {
				return fmt.Errorf("create calendar %d: %w", year, err)
			}
			current = 1
		case err != nil:
			return fmt.Errorf("lock calendar %d: %w", year, err)
		case current != version:
			return ErrVersionMismatch
		default:
			old, _, err := s.Calendars(ctx, tx, year)
			if err != nil {
				return err
			}
			before = calendarState(old[year])
			current++
			if _, err := tx.ExecContext(ctx, `UPDATE work_calendars SET version = $2, updated_by = $3, updated_at = $4 WHERE year = $1`, year, current, actor, s.clk.Now()); err != nil {
				return fmt.Errorf("update calendar %d: %w", year, err)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM work_calendar_days WHERE year = $1`, year); err != nil {
				return fmt.Errorf("replace calendar %d: %w", year, err)
			}
		}
		days := make([]string, 0, len(off)+len(work))
		kinds := make([]string, 0, cap(days))
		for _, d := range cal.Off() {
			days, kinds = append(days, dateArg(d)), append(kinds, "off")
		}
		for _, d := range cal.Work() {
			days, kinds = append(days, dateArg(d)), append(kinds, "work")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO work_calendar_days (day, year, kind)
SELECT d::date, $1, k FROM unnest($2::text[], $3::text[]) AS t(d, k)`, year, pq.Array(days), pq.Array(kinds)); err != nil {
			return fmt.Errorf("write calendar %d: %w", year, err)
		}
		out = CalendarRecord{Calendar: cal, Version: current}
		return s.audit(ctx, tx, actor, "leave.calendar.put", "work_calendar", fmt.Sprint(year), before, calendarState(cal))
	})
	return out, err
}

// calendarState is a calendar as recorded in the audit trail.
func calendarState(c *domain.WorkCalendar) any {
	if c == nil {
		return nil
	}
	f := func(ds []time.Time) []string {
		out := make([]string, len(ds))
		for i, d := range ds {
			out[i] = dateArg(d)
		}
		return out
	}
	return map[string]any{"year": c.Year(), "off": f(c.Off()), "work": f(c.Work())}
}
