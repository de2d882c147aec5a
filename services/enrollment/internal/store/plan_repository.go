package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

const planColumns = `p.id, p.scheme, p.plan_year, p.name, lower(p.coverage) AS coverage_from, upper(p.coverage) - 1 AS coverage_to,
	p.eligible_categories, p.frontline_only, p.aux_duties, p.high_risk_only, p.premium_fen, p.payer, p.waiting_days,
	p.sum_death_fen, p.sum_disability_fen, p.sum_critical_illness_fen, p.version`

type planRow struct {
	ID            string         `db:"id"`
	Scheme        string         `db:"scheme"`
	Year          int            `db:"plan_year"`
	Name          string         `db:"name"`
	CoverageFrom  time.Time      `db:"coverage_from"`
	CoverageTo    time.Time      `db:"coverage_to"`
	Categories    pq.StringArray `db:"eligible_categories"`
	FrontlineOnly bool           `db:"frontline_only"`
	AuxDuties     pq.StringArray `db:"aux_duties"`
	HighRiskOnly  bool           `db:"high_risk_only"`
	PremiumFen    int64          `db:"premium_fen"`
	Payer         string         `db:"payer"`
	WaitingDays   int            `db:"waiting_days"`
	DeathFen      int64          `db:"sum_death_fen"`
	DisabilityFen pq.Int64Array  `db:"sum_disability_fen"`
	CriticalFen   int64          `db:"sum_critical_illness_fen"`
	Version       int64          `db:"version"`
}

func (r planRow) toDomain() domain.Plan {
	p := domain.Plan{
		ID: r.ID, Scheme: domain.SchemeCode(r.Scheme), Year: r.Year, Name: r.Name,
		Coverage:    domain.Period{From: day(r.CoverageFrom), To: day(r.CoverageTo)},
		Eligibility: domain.Eligibility{FrontlineOnly: r.FrontlineOnly, HighRiskOnly: r.HighRiskOnly},
		Premium:     money.Fen(r.PremiumFen), Payer: domain.Payer(r.Payer), WaitingDays: r.WaitingDays,
		Sums:    domain.SumsInsured{Death: money.Fen(r.DeathFen), CriticalIllness: money.Fen(r.CriticalFen)},
		Version: r.Version,
	}
	for _, c := range r.Categories {
		p.Eligibility.Categories = append(p.Eligibility.Categories, domain.Category(c))
	}
	for _, d := range r.AuxDuties {
		p.Eligibility.AuxDuties = append(p.Eligibility.AuxDuties, domain.AuxDuty(d))
	}
	for i := 0; i < len(r.DisabilityFen) && i < domain.DisabilityGrades; i++ {
		p.Sums.Disability[i] = money.Fen(r.DisabilityFen[i])
	}
	return p
}

// CreatePlan adds plan p (domain.NewPlan) with its audit row.
func (s *Store) CreatePlan(ctx context.Context, p domain.Plan, meta Meta) (domain.Plan, error) {
	cats := make([]string, len(p.Eligibility.Categories))
	for i, c := range p.Eligibility.Categories {
		cats[i] = string(c)
	}
	duties := make([]string, len(p.Eligibility.AuxDuties))
	for i, d := range p.Eligibility.AuxDuties {
		duties[i] = string(d)
	}
	dis := make([]int64, domain.DisabilityGrades)
	for i, v := range p.Sums.Disability {
		dis[i] = int64(v)
	}
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		now := s.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO plans (id, scheme, plan_year, name, coverage, eligible_categories,
			frontline_only, aux_duties, high_risk_only, premium_fen, payer, waiting_days, sum_death_fen,
			sum_disability_fen, sum_critical_illness_fen, created_at, updated_at)
			VALUES ($1, $2, $3, $4, daterange($5, $6, '[]'), $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)`,
			p.ID, string(p.Scheme), p.Year, p.Name, p.Coverage.From, p.Coverage.To, pq.Array(cats), p.Eligibility.FrontlineOnly,
			pq.Array(duties), p.Eligibility.HighRiskOnly, int64(p.Premium), string(p.Payer), p.WaitingDays, int64(p.Sums.Death),
			pq.Array(dis), int64(p.Sums.CriticalIllness), now); err != nil {
			if pg.IsUniqueViolation(err) {
				return ErrDuplicatePlan
			}
			return fmt.Errorf("insert plan: %w", err)
		}
		return audit.Write(ctx, tx, s.clock, audit.Entry{Actor: meta.Actor, Action: "plan.create", ObjectType: "plan",
			ObjectID: p.ID, After: p, RequestID: meta.RequestID})
	})
	return p, err
}

// GetPlan returns one plan. Plans are not personal data.
func (s *Store) GetPlan(ctx context.Context, id string) (domain.Plan, error) {
	return s.getPlan(ctx, s.db, id)
}

func (s *Store) getPlan(ctx context.Context, q sqlx.QueryerContext, id string) (domain.Plan, error) {
	if !validUUID(id) {
		return domain.Plan{}, ErrNotFound
	}
	var r planRow
	err := sqlx.GetContext(ctx, q, &r, `SELECT `+planColumns+` FROM plans p WHERE p.id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Plan{}, ErrNotFound
	}
	if err != nil {
		return domain.Plan{}, fmt.Errorf("load plan %s: %w", id, err)
	}
	return r.toDomain(), nil
}

// plansByID loads the given plans.
func (s *Store) plansByID(ctx context.Context, q sqlx.QueryerContext, ids []string) (map[string]domain.Plan, error) {
	out := map[string]domain.Plan{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []planRow
	if err := sqlx.SelectContext(ctx, q, &rows, `SELECT `+planColumns+` FROM plans p WHERE p.id = ANY($1)`, pq.Array(ids)); err != nil {
		return nil, fmt.Errorf("load plans: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.toDomain()
	}
	return out, nil
}
