package domain

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
)

// ParamKind names a dated parameter that admins maintain.
type ParamKind string

// Dated parameters. Values are money: the regional average monthly wage and
// minimum wage per month, the national income per year.
const (
	// ParamRegionalAverageWage is the 统筹地区上年度职工月平均工资 (monthly).
	ParamRegionalAverageWage ParamKind = "regional_average_monthly_wage"
	// ParamMinimumWage is the local monthly minimum wage (art. 35, 36 top-up).
	ParamMinimumWage ParamKind = "minimum_monthly_wage"
	// ParamNationalIncome is the previous year's national urban per-capita
	// disposable income (death benefits; kept here for the grants service).
	ParamNationalIncome ParamKind = "national_urban_income"
)

// Valid reports whether k is a known parameter kind.
func (k ParamKind) Valid() bool {
	return k == ParamRegionalAverageWage || k == ParamMinimumWage || k == ParamNationalIncome
}

// Parameter is one value in force from a date until the next one of its kind.
type Parameter struct {
	Kind          ParamKind
	EffectiveFrom time.Time // date
	Value         money.Fen
}

// Parameters is a set of dated parameters.
type Parameters []Parameter

// At returns the parameter of a kind in force on a date.
func (ps Parameters) At(kind ParamKind, date time.Time) (Parameter, error) {
	var best Parameter
	found := false
	for _, p := range ps {
		if p.Kind == kind && !p.EffectiveFrom.After(date) && (!found || p.EffectiveFrom.After(best.EffectiveFrom)) {
			best, found = p, true
		}
	}
	if !found {
		return Parameter{}, &CodedError{Code: ErrParameterMissing.Code, Args: []any{string(kind), date.Format(time.DateOnly)}}
	}
	return best, nil
}

// NursingLevel is how far the member cannot look after themselves (生活自理
// 障碍等级, art. 34).
type NursingLevel string

// Nursing levels.
const (
	NursingNone    NursingLevel = "none"
	NursingPartial NursingLevel = "partial" // 部分不能自理: 30%
	NursingMost    NursingLevel = "most"    // 大部分不能自理: 40%
	NursingTotal   NursingLevel = "total"   // 完全不能自理: 50%
)

// Valid reports whether n is a known level (empty counts as none).
func (n NursingLevel) Valid() bool {
	switch n {
	case "", NursingNone, NursingPartial, NursingMost, NursingTotal:
		return true
	}
	return false
}

// Statutory rates.
var (
	// subsidyMonths is the one-time disability subsidy in months of own wage,
	// grades 1..10 (工伤保险条例 art. 35–37).
	subsidyMonths = [11]int64{0, 27, 25, 23, 21, 18, 16, 13, 11, 9, 7}
	// allowancePercent is the monthly disability allowance in percent of own
	// wage: grades 1–4 always (art. 35), 5–6 when no job is arranged (art. 36).
	allowancePercent = [11]int64{0, 90, 85, 80, 75, 70, 60}
	// nursingPercent is the monthly nursing fee in percent of the regional
	// average monthly wage (art. 34).
	nursingPercent = map[NursingLevel]int64{NursingTotal: 50, NursingMost: 40, NursingPartial: 30}
)

// Own-wage clamp in percent of the regional average monthly wage (art. 64).
const (
	wageFloorPercent   = 60
	wageCeilingPercent = 300
)

// Line is one step of an explanation: a catalogue key, its arguments already
// formatted (amounts as ¥1,234.56, rates as plain numbers), and the amount
// the step arrives at.
type Line struct {
	Code   string    `json:"code"`
	Args   []string  `json:"args"`
	Amount money.Fen `json:"amount_fen"`
}

// Explanation is one calculated item with its steps.
type Explanation struct {
	Item  string    `json:"item"`
	Lines []Line    `json:"lines"`
	Total money.Fen `json:"total_fen"`
}

func (e *Explanation) line(code string, amount money.Fen, args ...string) {
	e.Lines = append(e.Lines, Line{Code: code, Args: args, Amount: amount})
}

// AssessInput is what the benefits of a graded case are computed from.
type AssessInput struct {
	Grade int // 1..10
	// Wages are the member's monthly wages of up to the last 12 months
	// before the injury (art. 64); fewer when they worked fewer months.
	Wages []money.Fen
	// RegionalAverage is the regional average monthly wage in force.
	RegionalAverage money.Fen
	// MinimumWage, when set, tops the monthly allowance up to it.
	MinimumWage money.Fen
	JobArranged bool
	Nursing     NursingLevel
}

// Validate lists every problem of the input.
func (in AssessInput) Validate() error {
	var p fielderr.List
	if in.Grade < 1 || in.Grade > 10 {
		p.Add("grade", "injury.grade_invalid")
	}
	if len(in.Wages) < 1 || len(in.Wages) > 12 {
		p.Add("wages", "injury.wages_months", 12)
	}
	for i, w := range in.Wages {
		if w < 0 {
			p.Add("wages["+strconv.Itoa(i)+"]", "injury.amount_negative")
		}
	}
	if in.RegionalAverage <= 0 {
		p.Add("regional_average", "injury.amount_not_positive")
	}
	if in.MinimumWage < 0 {
		p.Add("minimum_wage", "injury.amount_negative")
	}
	if !in.Nursing.Valid() {
		p.Add("nursing", "injury.nursing_invalid")
	}
	return p.Err()
}

// Assessment is the set of benefits of a graded case, each explained.
type Assessment struct {
	OwnWage   Explanation `json:"own_wage"`
	Subsidy   Explanation `json:"one_time_subsidy"`
	Allowance Explanation `json:"monthly_allowance"`
	Nursing   Explanation `json:"nursing_fee"`
}

// Assess computes own wage, the one-time disability subsidy, the monthly
// allowance and the nursing fee, each with its steps. Every amount is exact
// integer fen, rounded half away from zero once per step.
func Assess(in AssessInput) (Assessment, error) {
	if err := in.Validate(); err != nil {
		return Assessment{}, err
	}
	var a Assessment
	var err error
	if a.OwnWage, err = OwnWage(in.Wages, in.RegionalAverage); err != nil {
		return Assessment{}, err
	}
	wage := a.OwnWage.Total
	if a.Subsidy, err = OneTimeSubsidy(in.Grade, wage); err != nil {
		return Assessment{}, err
	}
	if a.Allowance, err = MonthlyAllowance(in.Grade, wage, in.JobArranged, in.MinimumWage); err != nil {
		return Assessment{}, err
	}
	if a.Nursing, err = NursingFee(in.Nursing, in.RegionalAverage); err != nil {
		return Assessment{}, err
	}
	return a, nil
}

// OwnWage is the member's monthly wage for benefits (工伤保险条例 art. 64): the
// average of the last 12 months' wages, clamped to 60%..300% of the regional
// average monthly wage.
func OwnWage(wages []money.Fen, regionalAverage money.Fen) (Explanation, error) {
	e := Explanation{Item: "own_wage"}
	if len(wages) == 0 {
		return e, fielderr.Fail("wages", "injury.wages_months", 12)
	}
	var sum money.Fen
	for _, w := range wages {
		var err error
		if sum, err = money.Add(sum, w); err != nil {
			return e, fmt.Errorf("own wage: %w", err)
		}
	}
	n := int64(len(wages))
	e.line("injury.calc.wage_sum", sum, strconv.FormatInt(n, 10))
	avg, err := money.MulRat(sum, 1, n)
	if err != nil {
		return e, fmt.Errorf("own wage: %w", err)
	}
	e.line("injury.calc.wage_average", avg, sum.String(), strconv.FormatInt(n, 10))
	floor, err := money.MulRat(regionalAverage, wageFloorPercent, 100)
	if err != nil {
		return e, fmt.Errorf("own wage: %w", err)
	}
	ceiling, err := money.MulRat(regionalAverage, wageCeilingPercent, 100)
	if err != nil {
		return e, fmt.Errorf("own wage: %w", err)
	}
	pct := func(p int64) string { return strconv.FormatInt(p, 10) }
	switch {
	case avg < floor:
		e.line("injury.calc.wage_raised_to_floor", floor, regionalAverage.String(), pct(wageFloorPercent))
		e.Total = floor
	case avg > ceiling:
		e.line("injury.calc.wage_capped_at_ceiling", ceiling, regionalAverage.String(), pct(wageCeilingPercent))
		e.Total = ceiling
	default:
		e.line("injury.calc.wage_within_bounds", avg, floor.String(), ceiling.String())
		e.Total = avg
	}
	return e, nil
}

// OneTimeSubsidy is the one-time disability subsidy: 27..7 months of own wage
// by grade 1..10 (art. 35–37).
func OneTimeSubsidy(grade int, ownWage money.Fen) (Explanation, error) {
	e := Explanation{Item: "one_time_subsidy"}
	if grade < 1 || grade > 10 {
		return e, fielderr.Fail("grade", "injury.grade_invalid")
	}
	months := subsidyMonths[grade]
	total, err := money.MulRat(ownWage, months, 1)
	if err != nil {
		return e, fmt.Errorf("one-time subsidy: %w", err)
	}
	e.line("injury.calc.subsidy_months", total, strconv.Itoa(grade), strconv.FormatInt(months, 10), ownWage.String(), articleForGrade(grade))
	e.Total = total
	return e, nil
}

func articleForGrade(grade int) string {
	switch {
	case grade <= 4:
		return "35"
	case grade <= 6:
		return "36"
	}
	return "37"
}

// MonthlyAllowance is the monthly disability allowance (伤残津贴): grades 1–4
// 90/85/80/75% of own wage (art. 35); grades 5–6 70/60% only when the
// employer cannot arrange a job (art. 36); none for grades 7–10. An
// allowance below the minimum wage is topped up to it.
func MonthlyAllowance(grade int, ownWage money.Fen, jobArranged bool, minimumWage money.Fen) (Explanation, error) {
	e := Explanation{Item: "monthly_allowance"}
	if grade < 1 || grade > 10 {
		return e, fielderr.Fail("grade", "injury.grade_invalid")
	}
	switch {
	case grade >= 7:
		e.line("injury.calc.allowance_none_grade", 0, strconv.Itoa(grade))
		return e, nil
	case grade >= 5 && jobArranged:
		e.line("injury.calc.allowance_none_job", 0, strconv.Itoa(grade))
		return e, nil
	}
	pct := allowancePercent[grade]
	amount, err := money.MulRat(ownWage, pct, 100)
	if err != nil {
		return e, fmt.Errorf("monthly allowance: %w", err)
	}
	e.line("injury.calc.allowance_percent", amount, strconv.Itoa(grade), strconv.FormatInt(pct, 10), ownWage.String(), articleForGrade(grade))
	if minimumWage > 0 && amount < minimumWage {
		amount = minimumWage
		e.line("injury.calc.allowance_minimum_topup", amount, minimumWage.String())
	}
	e.Total = amount
	return e, nil
}

// NursingFee is the monthly nursing fee (生活护理费, art. 34): 50/40/30% of
// the regional average monthly wage by nursing level.
func NursingFee(level NursingLevel, regionalAverage money.Fen) (Explanation, error) {
	e := Explanation{Item: "nursing_fee"}
	pct, ok := nursingPercent[level]
	if !ok {
		e.line("injury.calc.nursing_none", 0)
		return e, nil
	}
	amount, err := money.MulRat(regionalAverage, pct, 100)
	if err != nil {
		return e, fmt.Errorf("nursing fee: %w", err)
	}
	e.line("injury.calc.nursing_percent", amount, string(level), strconv.FormatInt(pct, 10), regionalAverage.String())
	e.Total = amount
	return e, nil
}

// SubsidyMonths returns the months of own wage of the one-time subsidy for
// a grade, for documentation and other services; 0 outside 1..10.
func SubsidyMonths(grade int) int64 {
	if grade < 1 || grade > 10 {
		return 0
	}
	return subsidyMonths[grade]
}

// SortParameters orders parameters by kind then date, for stable listings.
func SortParameters(ps Parameters) {
	slices.SortFunc(ps, func(a, b Parameter) int {
		if a.Kind != b.Kind {
			if a.Kind < b.Kind {
				return -1
			}
			return 1
		}
		return a.EffectiveFrom.Compare(b.EffectiveFrom)
	})
}
