package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

// Store is the grants repositories over one database handle.
type Store struct {
	DB    *sqlx.DB
	Clock clock.Clock
}

// New returns a Store.
func New(db *sqlx.DB, clk clock.Clock) *Store { return &Store{DB: db, Clock: clk} }

// Meta says who changes something, for the audit row.
type Meta struct {
	Actor     string
	RequestID string
}

func (s *Store) audit(ctx context.Context, tx *sqlx.Tx, m Meta, action, objType, objID string, before, after any) error {
	return audit.Write(ctx, tx, s.Clock, audit.Entry{Actor: m.Actor, Action: action, ObjectType: objType, ObjectID: objID, Before: before, After: after, RequestID: m.RequestID})
}

type fundRow struct {
	ID            string `db:"id"`
	FiscalYear    int    `db:"fiscal_year"`
	Name          string `db:"name"`
	Appropriation int64  `db:"appropriation"`
	Committed     int64  `db:"committed"`
	Disbursed     int64  `db:"disbursed"`
	Version       int64  `db:"version"`
}

func (r fundRow) domain() domain.Fund {
	return domain.Fund{ID: r.ID, FiscalYear: r.FiscalYear, Name: r.Name, Appropriation: money.Fen(r.Appropriation),
		Committed: money.Fen(r.Committed), Disbursed: money.Fen(r.Disbursed), Version: r.Version}
}

const fundCols = `id, fiscal_year, name, appropriation, committed, disbursed, version`

// CreateFund creates the fund of a fiscal year and books its appropriation
// (Dr 1011 / Cr 4001, Dr 8001 / Cr 6001) in the same transaction.
func (s *Store) CreateFund(ctx context.Context, m Meta, f domain.Fund) (domain.Fund, error) {
	var out domain.Fund
	err := pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		var r fundRow
		err := tx.GetContext(ctx, &r, `INSERT INTO funds (fiscal_year, name, appropriation) VALUES ($1, $2, $3) RETURNING `+fundCols,
			f.FiscalYear, f.Name, int64(f.Appropriation))
		if pg.IsUniqueViolation(err) {
			return ErrFundExists
		}
		if err != nil {
			return fmt.Errorf("insert fund: %w", err)
		}
		out = r.domain()
		if f.Appropriation > 0 {
			e := domain.AppropriationEntry(f.FiscalYear, clock.Today(s.Clock), f.Appropriation, "", "财政拨款 "+f.Name)
			e.CreatedBy = m.Actor
			if _, err := s.PostEntry(ctx, tx, out.ID, e); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, m, "grants.fund.create", "fund", out.ID, nil, out)
	})
	return out, err
}

// Fund returns one fund, read in q (nil: a connection of its own; pass
// the transaction when inside one, so a busy pool cannot deadlock).
func (s *Store) Fund(ctx context.Context, q sqlx.QueryerContext, id string) (domain.Fund, error) {
	if !ValidID(id) {
		return domain.Fund{}, ErrNotFound
	}
	if q == nil {
		q = s.DB
	}
	var r fundRow
	err := sqlx.GetContext(ctx, q, &r, `SELECT `+fundCols+` FROM funds WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Fund{}, ErrNotFound
	}
	if err != nil {
		return domain.Fund{}, fmt.Errorf("fund %s: %w", id, err)
	}
	return r.domain(), nil
}

type programRow struct {
	ID                string         `db:"id"`
	FundID            string         `db:"fund_id"`
	Code              string         `db:"code"`
	NameZH            string         `db:"name_zh"`
	NameEN            string         `db:"name_en"`
	Kind              string         `db:"kind"`
	Allocation        int64          `db:"allocation"`
	Committed         int64          `db:"committed"`
	Disbursed         int64          `db:"disbursed"`
	Eligibility       []byte         `db:"eligibility"`
	AmountRule        []byte         `db:"amount_rule"`
	RequiredDocuments pq.StringArray `db:"required_documents"`
	DualAbove         int64          `db:"dual_above"`
	Recurring         bool           `db:"recurring"`
	Active            bool           `db:"active"`
	Version           int64          `db:"version"`
}

const programCols = `id, fund_id, code, name_zh, name_en, kind, allocation, committed, disbursed, eligibility, amount_rule,
	required_documents, dual_above, recurring, active, version`

func (r programRow) domain() (domain.Program, error) {
	p := domain.Program{ID: r.ID, FundID: r.FundID, Code: r.Code, NameZH: r.NameZH, NameEN: r.NameEN, Kind: domain.ProgramKind(r.Kind),
		Allocation: money.Fen(r.Allocation), Committed: money.Fen(r.Committed), Disbursed: money.Fen(r.Disbursed),
		RequiredDocuments: []string(r.RequiredDocuments), Approval: domain.ApprovalPolicy{DualAbove: money.Fen(r.DualAbove)},
		Recurring: r.Recurring, Active: r.Active, Version: r.Version}
	if err := json.Unmarshal(r.Eligibility, &p.Eligibility); err != nil {
		return p, fmt.Errorf("program %s eligibility: %w", r.ID, err)
	}
	if err := json.Unmarshal(r.AmountRule, &p.Amount); err != nil {
		return p, fmt.Errorf("program %s amount rule: %w", r.ID, err)
	}
	return p, nil
}

// CreateProgram adds a program to a fund. The database refuses allocations
// beyond the fund's appropriation (a deferred constraint trigger).
func (s *Store) CreateProgram(ctx context.Context, m Meta, p domain.Program) (domain.Program, error) {
	var out domain.Program
	err := pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		elig, _ := json.Marshal(p.Eligibility)
		rule, _ := json.Marshal(p.Amount)
		docs := p.RequiredDocuments
		if docs == nil {
			docs = []string{}
		}
		room, err := s.allocationRoom(ctx, tx, p.FundID, "")
		if err != nil {
			return err
		}
		var r programRow
		err = tx.GetContext(ctx, &r, `INSERT INTO programs (fund_id, code, name_zh, name_en, kind, allocation, eligibility, amount_rule,
			required_documents, dual_above, recurring, active)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING `+programCols,
			p.FundID, p.Code, p.NameZH, p.NameEN, string(p.Kind), int64(p.Allocation), elig, rule, pq.StringArray(docs),
			int64(p.Approval.DualAbove), p.Recurring, p.Active)
		switch {
		case pg.IsUniqueViolation(err):
			return ErrProgramExists
		case pg.IsForeignKeyViolation(err):
			return ErrNotFound
		case err != nil:
			return fmt.Errorf("insert program: %w", err)
		}
		if out, err = r.domain(); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, m, "grants.program.create", "program", out.ID, nil, out); err != nil {
			return err
		}
		return checkAllocations(ctx, tx, room)
	})
	return out, err
}

// allocationRoom is the largest allocation the fund leaves a program: its
// appropriation less the other programs' allocations (exclude is the
// program being changed, "" for a new one). It only words the problem;
// the programs_within_appropriation trigger decides.
func (s *Store) allocationRoom(ctx context.Context, tx *sqlx.Tx, fundID, exclude string) (money.Fen, error) {
	if !ValidID(fundID) {
		return 0, ErrNotFound
	}
	var room int64
	err := tx.GetContext(ctx, &room, `SELECT f.appropriation - coalesce((SELECT sum(p.allocation) FROM programs p
		WHERE p.fund_id = f.id AND ($2::uuid IS NULL OR p.id <> $2)), 0) FROM funds f WHERE f.id = $1`, fundID, optID(exclude))
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("fund %s allocation room: %w", fundID, err)
	}
	return money.Fen(max(room, 0)), nil
}

// checkAllocations runs the deferred programs_within_appropriation trigger
// now, so an allocation beyond the fund is this call's field problem
// (grants.field.over_cap with the room left) rather than a failed commit.
func checkAllocations(ctx context.Context, tx *sqlx.Tx, room money.Fen) error {
	if _, err := tx.ExecContext(ctx, `SET CONSTRAINTS programs_within_appropriation IMMEDIATE`); err != nil {
		if pg.IsCheckViolation(err) {
			return fielderr.Fail("allocation", domain.CodeOverCap, room.String())
		}
		return fmt.Errorf("check allocations: %w", err)
	}
	return nil
}

// UpdateProgram replaces what an admin may change of a program (all but
// fund, code and kind) at the version the client read, with the row
// locked: the allocation may not fall below what is committed nor, with
// the fund's other programs, exceed its appropriation; "recurring" is
// fixed once the program has an application. The version goes up and the
// audit row keeps before and after, in the same transaction.
func (s *Store) UpdateProgram(ctx context.Context, m Meta, id string, version int64, ch domain.ProgramChange) (domain.Program, error) {
	var out domain.Program
	err := pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		cur, err := s.program(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return ErrVersionMismatch
		}
		// after the lock: an application being inserted holds a key-share
		// lock on the program row, so it is either visible here or waits
		var applied bool
		if err := tx.GetContext(ctx, &applied, `SELECT EXISTS (SELECT 1 FROM applications WHERE program_id = $1)`, cur.ID); err != nil {
			return fmt.Errorf("program %s applications: %w", cur.ID, err)
		}
		next, err := cur.Change(ch, applied)
		if err != nil {
			return err
		}
		room, err := s.allocationRoom(ctx, tx, cur.FundID, cur.ID)
		if err != nil {
			return err
		}
		elig, err := json.Marshal(next.Eligibility)
		if err != nil {
			return fmt.Errorf("program eligibility: %w", err)
		}
		rule, err := json.Marshal(next.Amount)
		if err != nil {
			return fmt.Errorf("program amount rule: %w", err)
		}
		docs := next.RequiredDocuments
		if docs == nil {
			docs = []string{}
		}
		var r programRow
		err = tx.GetContext(ctx, &r, `UPDATE programs SET name_zh = $2, name_en = $3, allocation = $4, eligibility = $5, amount_rule = $6,
			required_documents = $7, dual_above = $8, recurring = $9, active = $10, version = version + 1, updated_at = $11
			WHERE id = $1 RETURNING `+programCols,
			cur.ID, next.NameZH, next.NameEN, int64(next.Allocation), elig, rule, pq.StringArray(docs), int64(next.Approval.DualAbove),
			next.Recurring, next.Active, s.Clock.Now())
		if pg.IsCheckViolation(err) {
			// programs_within_allocation; Change checked it on the locked row already
			return fielderr.Fail("allocation", domain.CodeBelowCommitted, cur.Committed.String())
		}
		if err != nil {
			return fmt.Errorf("update program: %w", err)
		}
		if out, err = r.domain(); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, m, "grants.program.update", "program", out.ID, cur, out); err != nil {
			return err
		}
		return checkAllocations(ctx, tx, room)
	})
	return out, err
}

// Program returns one program.
func (s *Store) Program(ctx context.Context, id string) (domain.Program, error) {
	return s.program(ctx, s.DB, id, false)
}

func (s *Store) program(ctx context.Context, q sqlx.QueryerContext, id string, lock bool) (domain.Program, error) {
	if !ValidID(id) {
		return domain.Program{}, ErrNotFound
	}
	var r programRow
	query := `SELECT ` + programCols + ` FROM programs WHERE id = $1`
	if lock {
		query += ` FOR UPDATE`
	}
	err := sqlx.GetContext(ctx, q, &r, query, id)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Program{}, ErrNotFound
	}
	if err != nil {
		return domain.Program{}, fmt.Errorf("program %s: %w", id, err)
	}
	return r.domain()
}

// Programs lists a fund's programs (all funds when fundID is empty),
// active or not.
func (s *Store) Programs(ctx context.Context, fundID string) ([]domain.Program, error) {
	return s.programs(ctx, s.DB, fundID, nil)
}

func (s *Store) programs(ctx context.Context, q sqlx.QueryerContext, fundID string, active *bool) ([]domain.Program, error) {
	if fundID != "" && !ValidID(fundID) {
		return nil, invalidID("fund_id")
	}
	var rs []programRow
	err := sqlx.SelectContext(ctx, q, &rs, `SELECT `+programCols+` FROM programs
		WHERE ($1::uuid IS NULL OR fund_id = $1) AND ($2::boolean IS NULL OR active = $2) ORDER BY code`, optID(fundID), active)
	if err != nil {
		return nil, fmt.Errorf("programs: %w", err)
	}
	out := make([]domain.Program, 0, len(rs))
	for _, r := range rs {
		p, err := r.domain()
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// CurrentPrograms lists the active programs of the fund of the fiscal year
// that contains day, which is where event-opened notices go.
func (s *Store) currentPrograms(ctx context.Context, q sqlx.QueryerContext, day time.Time) ([]domain.Program, error) {
	var fundID string
	err := sqlx.GetContext(ctx, q, &fundID, `SELECT id::text FROM funds WHERE fiscal_year = $1`, day.Year())
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("current fund: %w", err)
	}
	active := true
	return s.programs(ctx, q, fundID, &active)
}

// Rates returns every dated parameter as a RateBook, read in q (nil: a
// connection of its own).
func (s *Store) Rates(ctx context.Context, q sqlx.QueryerContext) (domain.RateBook, []domain.Rate, error) {
	if q == nil {
		q = s.DB
	}
	var rs []struct {
		Kind      string    `db:"kind"`
		ValidFrom time.Time `db:"valid_from"`
		Amount    int64     `db:"amount"`
	}
	if err := sqlx.SelectContext(ctx, q, &rs, `SELECT kind, valid_from, amount FROM rates ORDER BY kind, valid_from`); err != nil {
		return domain.RateBook{}, nil, fmt.Errorf("rates: %w", err)
	}
	out := make([]domain.Rate, len(rs))
	for i, r := range rs {
		out[i] = domain.Rate{Kind: domain.RateKind(r.Kind), ValidFrom: r.ValidFrom.UTC(), Amount: money.Fen(r.Amount)}
	}
	return domain.NewRateBook(out), out, nil
}

// PutRate records a dated parameter (a new date adds a row; the same date
// replaces the figure, with the old one kept in the audit row).
func (s *Store) PutRate(ctx context.Context, m Meta, r domain.Rate, source string) error {
	return pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		var before *int64
		var old int64
		err := tx.GetContext(ctx, &old, `SELECT amount FROM rates WHERE kind = $1 AND valid_from = $2 FOR UPDATE`, string(r.Kind), r.ValidFrom)
		if err == nil {
			before = &old
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO rates (kind, valid_from, amount, source, created_by) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (kind, valid_from) DO UPDATE SET amount = EXCLUDED.amount, source = EXCLUDED.source, version = rates.version + 1`,
			string(r.Kind), r.ValidFrom, int64(r.Amount), source, m.Actor)
		if pg.IsCheckViolation(err) {
			return fielderr.Fail("valid_from", "grants.field.first_of_year")
		}
		if err != nil {
			return fmt.Errorf("put rate: %w", err)
		}
		return s.audit(ctx, tx, m, "grants.rate.put", "rate", string(r.Kind)+"@"+r.ValidFrom.Format(time.DateOnly), before, r)
	})
}
