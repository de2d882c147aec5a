package domain

import (
	"fmt"

	"github.com/anxin-welfare/anxin/pkg/money"
)

// Pay is the wage basis of the unused-days compensation, a dated parameter
// finance records for the year.
type Pay struct {
	// AnnualPay is a civil servant's pay for the year (本人全年工资收入).
	AnnualPay money.Fen
	// MonthlyWage is an auxiliary police officer's average monthly wage over
	// the 12 months before the year end (enterprise measures art. 11).
	MonthlyWage money.Fen
}

// Daily-wage divisors as exact fractions, never floats: civil servants
// annual pay ÷ 261 working days (civil-service measures, DOMAIN.md art. 7–9);
// auxiliary police monthly wage ÷ 21.75 = monthly × 4 ÷ 87 (enterprise
// measures art. 11).
const (
	civilDivisor = 261
	auxNum       = 4
	auxDen       = 87
)

// CompensationLine is one member's line of the year-end compensation report.
type CompensationLine struct {
	MemberID string
	// MemberName is the member's name as projected, for display only.
	MemberName string
	UnitID     string
	Category   Category
	Year       int
	UnusedDays int
	// Waived is true when the member chose in writing not to take the leave:
	// then only the normal pay, already paid, is due (civil-service measures,
	// DOMAIN.md art. 7–9; enterprise measures art. 10).
	Waived bool
	// DailyWage is shown rounded to the fen; the amounts below are computed
	// from the exact fraction and rounded once, half away from zero.
	DailyWage money.Fen
	// Total is the 300% of the daily wage for the unused days, Normal + Extra
	// (only Normal when waived).
	Total money.Fen
	// Normal is the 100% included in Total, already paid with the salary.
	Normal money.Fen
	// Extra is what finance pays (the 200%), in the first quarter of the next
	// year for civil servants.
	Extra money.Fen
	Steps []Step
}

// Compensation explanation step codes.
const (
	StepDailyWageCivil = "leave.explain.daily_wage_civil"
	StepDailyWageAux   = "leave.explain.daily_wage_aux"
	StepUnused         = "leave.explain.unused_days"
	StepWaived         = "leave.explain.waived"
	StepExtra          = "leave.explain.extra_200"
)

// Compensate computes the unused-days compensation (Regulation art. 5:
// 300% of the daily wage, normal pay included). The payable 200% and the
// 100% already paid are each the exact fraction pay × percent × days ÷
// divisor rounded once to the fen, half away from zero; Total is their sum so
// the report's columns always foot.
func Compensate(m Member, year, unusedDays int, pay Pay, waived bool) (CompensationLine, error) {
	line := CompensationLine{MemberID: m.ID, MemberName: m.Name, UnitID: m.UnitID, Category: m.Category, Year: year, UnusedDays: max(unusedDays, 0), Waived: waived}
	var base money.Fen
	var num, den int64
	if m.Category.CivilService() {
		if pay.AnnualPay <= 0 {
			return CompensationLine{}, Detail(ErrPayMissing, m.ID, year)
		}
		base, num, den = pay.AnnualPay, 1, civilDivisor
		line.Steps = append(line.Steps, Step{Code: StepDailyWageCivil, Args: []any{pay.AnnualPay.Plain(false)}})
	} else {
		if pay.MonthlyWage <= 0 {
			return CompensationLine{}, Detail(ErrPayMissing, m.ID, year)
		}
		base, num, den = pay.MonthlyWage, auxNum, auxDen
		line.Steps = append(line.Steps, Step{Code: StepDailyWageAux, Args: []any{pay.MonthlyWage.Plain(false)}})
	}
	days := int64(line.UnusedDays)
	var err error
	if line.DailyWage, err = money.MulRat(base, num, den); err != nil {
		return CompensationLine{}, fmt.Errorf("daily wage of %s: %w", m.ID, err)
	}
	if line.Normal, err = money.MulRat(base, num*days, den); err != nil {
		return CompensationLine{}, fmt.Errorf("normal pay of %s: %w", m.ID, err)
	}
	line.Steps = append(line.Steps, Step{Code: StepUnused, Args: []any{line.UnusedDays}})
	if waived {
		line.Steps = append(line.Steps, Step{Code: StepWaived})
	} else if line.Extra, err = money.MulRat(base, 2*num*days, den); err != nil {
		return CompensationLine{}, fmt.Errorf("compensation of %s: %w", m.ID, err)
	}
	line.Total = line.Normal + line.Extra
	if !waived {
		line.Steps = append(line.Steps, Step{Code: StepExtra, Args: []any{line.Extra.Plain(false)}})
	}
	return line, nil
}
