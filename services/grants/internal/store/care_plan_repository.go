package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

// VisitRules returns the admins' visit rule, one row per planned occasion
// in the order of the year.
func (s *Store) VisitRules(ctx context.Context) ([]domain.VisitRule, error) {
	var rs []struct {
		Occasion   string    `db:"occasion"`
		Enabled    bool      `db:"enabled"`
		DaysBefore int       `db:"days_before"`
		DaysAfter  int       `db:"days_after"`
		Version    int64     `db:"version"`
		UpdatedBy  string    `db:"updated_by"`
		UpdatedAt  time.Time `db:"updated_at"`
	}
	if err := s.DB.SelectContext(ctx, &rs, `SELECT occasion, enabled, days_before, days_after, version, updated_by, updated_at
		FROM care_visit_rules`); err != nil {
		return nil, fmt.Errorf("visit rules: %w", err)
	}
	out := make([]domain.VisitRule, 0, len(rs))
	for _, o := range domain.PlannedOccasions {
		for _, r := range rs {
			if domain.Occasion(r.Occasion) == o {
				out = append(out, domain.VisitRule{Occasion: o, Enabled: r.Enabled, DaysBefore: r.DaysBefore, DaysAfter: r.DaysAfter,
					Version: r.Version, UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt.UTC()})
			}
		}
	}
	return out, nil
}

// PutVisitRule changes one occasion's rule under If-Match version.
func (s *Store) PutVisitRule(ctx context.Context, m Meta, r domain.VisitRule, version int64) (domain.VisitRule, error) {
	err := pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE care_visit_rules SET enabled = $2, days_before = $3, days_after = $4, version = version + 1,
			updated_by = $5, updated_at = $6 WHERE occasion = $1 AND version = $7`,
			string(r.Occasion), r.Enabled, r.DaysBefore, r.DaysAfter, m.Actor, s.Clock.Now(), version)
		if err != nil {
			return fmt.Errorf("put visit rule: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrVersionMismatch
		}
		r.Version, r.UpdatedBy, r.UpdatedAt = version+1, m.Actor, s.Clock.Now().UTC()
		return s.audit(ctx, tx, m, "grants.care.visit_rule", "care_visit_rule", string(r.Occasion), nil,
			map[string]any{"enabled": r.Enabled, "days_before": r.DaysBefore, "days_after": r.DaysAfter})
	})
	return r, err
}

// FestivalDates returns the festival dates on file.
func (s *Store) FestivalDates(ctx context.Context) (domain.FestivalDates, error) {
	var rs []struct {
		Year     int       `db:"year"`
		Occasion string    `db:"occasion"`
		Date     time.Time `db:"date"`
	}
	if err := s.DB.SelectContext(ctx, &rs, `SELECT year, occasion, date FROM care_festival_dates ORDER BY year, occasion`); err != nil {
		return nil, fmt.Errorf("festival dates: %w", err)
	}
	out := domain.FestivalDates{}
	for _, r := range rs {
		if out[r.Year] == nil {
			out[r.Year] = map[domain.Occasion]time.Time{}
		}
		out[r.Year][domain.Occasion(r.Occasion)] = r.Date.UTC()
	}
	return out, nil
}

// PutFestivalDates sets a year's festival dates (a new year, or a
// correction).
func (s *Store) PutFestivalDates(ctx context.Context, m Meta, year int, dates map[domain.Occasion]time.Time) error {
	return pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		detail := map[string]string{}
		for o, d := range dates {
			if _, err := tx.ExecContext(ctx, `INSERT INTO care_festival_dates (year, occasion, date, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (year, occasion) DO UPDATE SET date = EXCLUDED.date, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
				year, string(o), d, m.Actor, s.Clock.Now()); err != nil {
				return fmt.Errorf("put festival date: %w", err)
			}
			detail[string(o)] = d.Format(time.DateOnly)
		}
		return s.audit(ctx, tx, m, "grants.care.festival_dates", "care_festival_dates", fmt.Sprint(year), nil, detail)
	})
}

// CurrentProgramOfKind is the first active programme of kind in the fund of
// day's fiscal year; nil when there is none.
func (s *Store) CurrentProgramOfKind(ctx context.Context, kind domain.ProgramKind, day time.Time) (*domain.Program, error) {
	progs, err := s.currentPrograms(ctx, s.DB, day)
	if err != nil {
		return nil, err
	}
	for _, p := range progs {
		if p.Kind == kind {
			return &p, nil
		}
	}
	return nil, nil
}
