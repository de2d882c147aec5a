package store

import (
	"database/sql"

	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

// enrollmentRowNullable is an enrollment read through a LEFT JOIN.
type enrollmentRowNullable struct {
	EID          sql.NullString `db:"e_id"`
	EPlanID      sql.NullString `db:"e_plan_id"`
	EScheme      sql.NullString `db:"e_scheme"`
	EPlanYear    sql.NullInt64  `db:"e_plan_year"`
	EFrom        sql.NullTime   `db:"e_from"`
	ETo          sql.NullTime   `db:"e_to"`
	ECoveredFrom sql.NullTime   `db:"e_covered_from"`
	EStatus      sql.NullString `db:"e_status"`
	EEndReason   sql.NullString `db:"e_end_reason"`
	EVersion     sql.NullInt64  `db:"e_version"`
}

// planRowNullable is the part of a plan the coverage answer needs.
type planRowNullable struct {
	PName        sql.NullString `db:"p_name"`
	PPremium     sql.NullInt64  `db:"p_premium_fen"`
	PPayer       sql.NullString `db:"p_payer"`
	PWaitingDays sql.NullInt64  `db:"p_waiting_days"`
	PFrom        sql.NullTime   `db:"p_from"`
	PTo          sql.NullTime   `db:"p_to"`
	PDeath       sql.NullInt64  `db:"p_death"`
	PDisability  pq.Int64Array  `db:"p_disability"`
	PCritical    sql.NullInt64  `db:"p_critical"`
}

// coverageRow is one row of the coverage query: the member, and the
// enrollment containing the day with its plan, if any.
type coverageRow struct {
	MemberID string `db:"mid"`
	enrollmentRowNullable
	planRowNullable
}

func (r coverageRow) toDomain(memberID string) (domain.Enrollment, domain.Plan) {
	e := domain.Enrollment{
		ID: r.EID.String, MemberID: memberID, PlanID: r.EPlanID.String, Scheme: domain.SchemeCode(r.EScheme.String),
		PlanYear: int(r.EPlanYear.Int64), Period: domain.Period{From: day(r.EFrom.Time), To: day(r.ETo.Time)},
		CoveredFrom: day(r.ECoveredFrom.Time), Status: domain.EnrollmentStatus(r.EStatus.String),
		EndReason: domain.EndReason(r.EEndReason.String), Version: r.EVersion.Int64,
	}
	p := domain.Plan{
		ID: r.EPlanID.String, Scheme: e.Scheme, Year: e.PlanYear, Name: r.PName.String,
		Coverage: domain.Period{From: day(r.PFrom.Time), To: day(r.PTo.Time)},
		Premium:  money.Fen(r.PPremium.Int64), Payer: domain.Payer(r.PPayer.String), WaitingDays: int(r.PWaitingDays.Int64),
		Sums: domain.SumsInsured{Death: money.Fen(r.PDeath.Int64), CriticalIllness: money.Fen(r.PCritical.Int64)},
	}
	for i := 0; i < len(r.PDisability) && i < domain.DisabilityGrades; i++ {
		p.Sums.Disability[i] = money.Fen(r.PDisability[i])
	}
	return e, p
}
