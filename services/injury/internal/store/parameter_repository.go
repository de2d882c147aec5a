package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

type parameterRow struct {
	Kind          string    `db:"kind"`
	EffectiveFrom time.Time `db:"effective_from"`
	Value         int64     `db:"value_fen"`
}

// Parameters returns every dated parameter.
func (s *Store) Parameters(ctx context.Context) (domain.Parameters, error) {
	var rows []parameterRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT kind, effective_from, value_fen FROM parameters ORDER BY kind, effective_from`); err != nil {
		return nil, fmt.Errorf("list parameters: %w", err)
	}
	out := make(domain.Parameters, 0, len(rows))
	for _, r := range rows {
		d := r.EffectiveFrom
		out = append(out, domain.Parameter{Kind: domain.ParamKind(r.Kind), EffectiveFrom: valDate(&d), Value: money.Fen(r.Value)})
	}
	return out, nil
}

// SetParameter records the value of a parameter from a date, replacing a
// value set for the same date, with an audit row holding both.
func (s *Store) SetParameter(ctx context.Context, m Meta, p domain.Parameter) error {
	return pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		var old int64
		err := tx.GetContext(ctx, &old, `SELECT value_fen FROM parameters WHERE kind = $1 AND effective_from = $2 FOR UPDATE`,
			string(p.Kind), p.EffectiveFrom)
		var before any
		switch {
		case err == nil:
			before = map[string]any{"value_fen": old}
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("read parameter: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO parameters (kind, effective_from, value_fen, set_by, set_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (kind, effective_from) DO UPDATE SET value_fen = EXCLUDED.value_fen, set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at`,
			string(p.Kind), p.EffectiveFrom, int64(p.Value), m.actorID(), s.clk.Now().UTC()); err != nil {
			return fmt.Errorf("set parameter: %w", err)
		}
		return audit.Write(ctx, tx, s.clk, audit.Entry{Actor: m.actorID(), Action: "injury.parameter.set", ObjectType: "parameter",
			ObjectID: string(p.Kind) + "@" + p.EffectiveFrom.Format(time.DateOnly), Before: before,
			After: map[string]any{"value_fen": int64(p.Value)}, RequestID: m.RequestID})
	})
}

// Calculation is a saved assessment of a case.
type Calculation struct {
	ID         int64             `json:"id"`
	Inputs     json.RawMessage   `json:"inputs"`
	Assessment domain.Assessment `json:"assessment"`
	ComputedBy string            `json:"computed_by"`
	ComputedAt time.Time         `json:"computed_at"`
}

// Announce gives the events that announce calc, saved on case c.
type Announce func(c *domain.Case, calc Calculation) ([]bus.Event, error)

// SaveCalculation appends an assessment to a case. check runs on the locked
// case first; announce gives the events of the saved calculation, written
// to the outbox in the same transaction.
func (s *Store) SaveCalculation(ctx context.Context, m Meta, caseID string, inputs any, a domain.Assessment,
	check func(*domain.Case) error, announce Announce) (Calculation, error) {
	in, err := json.Marshal(inputs)
	if err != nil {
		return Calculation{}, fmt.Errorf("encode inputs: %w", err)
	}
	as, err := json.Marshal(a)
	if err != nil {
		return Calculation{}, fmt.Errorf("encode assessment: %w", err)
	}
	out := Calculation{Inputs: in, Assessment: a, ComputedBy: m.actorID()}
	err = pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		c, err := s.lockCase(ctx, tx, caseID)
		if err != nil {
			return err
		}
		if err := check(c); err != nil {
			return err
		}
		out.ComputedAt = s.clk.Now().UTC()
		if err := tx.GetContext(ctx, &out.ID, `INSERT INTO calculations (case_id, inputs, assessment, computed_by, computed_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, caseID, in, as, out.ComputedBy, out.ComputedAt); err != nil {
			return fmt.Errorf("insert calculation: %w", err)
		}
		if err := addTimeline(ctx, tx, caseID, out.ComputedAt, m, timelineEntry{Kind: "calculation",
			Data: map[string]any{"calculation_id": out.ID}}); err != nil {
			return err
		}
		evs, err := announce(c, out)
		if err != nil {
			return err
		}
		if err := bus.Outbox(ctx, tx, evs...); err != nil {
			return err
		}
		return audit.Write(ctx, tx, s.clk, audit.Entry{Actor: m.actorID(), Action: "injury.case.calculate", ObjectType: "case",
			ObjectID: caseID, After: map[string]any{"calculation_id": out.ID}, RequestID: m.RequestID})
	})
	return out, err
}

// Calculations lists a case's assessments, newest first.
func (s *Store) Calculations(ctx context.Context, caseID string) ([]Calculation, error) {
	var rows []struct {
		ID         int64     `db:"id"`
		Inputs     []byte    `db:"inputs"`
		Assessment []byte    `db:"assessment"`
		ComputedBy string    `db:"computed_by"`
		ComputedAt time.Time `db:"computed_at"`
	}
	if err := s.db.SelectContext(ctx, &rows, `SELECT id, inputs, assessment, computed_by, computed_at FROM calculations
		WHERE case_id = $1 ORDER BY id DESC`, caseID); err != nil {
		return nil, fmt.Errorf("list calculations: %w", err)
	}
	out := make([]Calculation, 0, len(rows))
	for _, r := range rows {
		c := Calculation{ID: r.ID, Inputs: r.Inputs, ComputedBy: r.ComputedBy, ComputedAt: r.ComputedAt.UTC()}
		if err := json.Unmarshal(r.Assessment, &c.Assessment); err != nil {
			return nil, fmt.Errorf("decode calculation %d: %w", r.ID, err)
		}
		out = append(out, c)
	}
	return out, nil
}
