package domain

import (
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
)

// Calculator names a statutory formula. A program whose amount rule is
// "statutory" names one; the breakdown is stored with the application so the
// amount can be explained line by line years later.
type Calculator string

// The statutory calculators.
const (
	CalcPoliceLumpSum         Calculator = "police_lump_sum"
	CalcMartyrGrant           Calculator = "martyr_grant"
	CalcWorkInjuryDeath       Calculator = "work_injury_death"
	CalcAuxiliaryPoliceMartyr Calculator = "auxiliary_police_martyr"
	CalcDisabilityLumpSum     Calculator = "disability_lump_sum"
)

// Valid reports whether c is a known calculator.
func (c Calculator) Valid() bool {
	switch c {
	case CalcPoliceLumpSum, CalcMartyrGrant, CalcWorkInjuryDeath, CalcAuxiliaryPoliceMartyr, CalcDisabilityLumpSum:
		return true
	}
	return false
}

// DeathCause is how a member died, as enrollment reports it.
type DeathCause string

// Causes of death that matter to the formulas.
const (
	CauseLineOfDuty DeathCause = "line_of_duty" // 因公牺牲
	CauseMartyr     DeathCause = "martyr"       // 评定烈士
	CauseIllness    DeathCause = "illness"      // 病故
	CauseOther      DeathCause = "other"
)

// Valid reports whether c is a known cause.
func (c DeathCause) Valid() bool {
	switch c {
	case CauseLineOfDuty, CauseMartyr, CauseIllness, CauseOther:
		return true
	}
	return false
}

// OnDuty reports whether the death opens the martyr-family programs.
func (c DeathCause) OnDuty() bool { return c == CauseLineOfDuty || c == CauseMartyr }

// Honour is a title or merit that raises the police one-time 抚恤金.
type Honour string

// Honours in the order of 人民警察抚恤优待办法 art. 16.
const (
	HonourNationalTitle   Honour = "national_title"   // 全国性荣誉称号: +35%
	HonourProvincialTitle Honour = "provincial_title" // 省级荣誉称号: +30%
	HonourMeritFirst      Honour = "merit_first"      // 一等功: +25%
	HonourMeritSecond     Honour = "merit_second"     // 二等功: +15%
	HonourMeritThird      Honour = "merit_third"      // 三等功: +5%
)

// UpliftPercent is the honour's raise of the one-time 抚恤金, 0 if unknown.
func (h Honour) UpliftPercent() int64 {
	switch h {
	case HonourNationalTitle:
		return 35
	case HonourProvincialTitle:
		return 30
	case HonourMeritFirst:
		return 25
	case HonourMeritSecond:
		return 15
	case HonourMeritThird:
		return 5
	}
	return 0
}

// HighestHonour returns the honour with the largest uplift; art. 16 counts
// only the highest, however many the member earned. ok is false for none.
func HighestHonour(hs []Honour) (Honour, bool) {
	var best Honour
	for _, h := range hs {
		if h.UpliftPercent() > best.UpliftPercent() {
			best = h
		}
	}
	return best, best != ""
}

// DisabilitySubsidyMonths is the one-time disability subsidy by grade 1..10
// in months of the member's own wage (工伤保险条例 art. 35–37).
var DisabilitySubsidyMonths = [10]int64{27, 25, 23, 21, 18, 16, 13, 11, 9, 7}

// BreakdownItem is one line of an itemised amount: Amount = Basis × Num/Den,
// rounded half away from zero to the fen.
type BreakdownItem struct {
	Code        string    `json:"code"`         // catalogue key naming the item
	Basis       string    `json:"basis"`        // catalogue key naming the basis
	BasisAmount money.Fen `json:"basis_amount"` // fen
	Num         int64     `json:"num"`
	Den         int64     `json:"den"`
	Amount      money.Fen `json:"amount"`   // fen
	Citation    string    `json:"citation"` // the regulation and article
}

// Breakdown is the explained result of a calculator.
type Breakdown struct {
	Calculator Calculator      `json:"calculator"`
	Items      []BreakdownItem `json:"items"`
	Total      money.Fen       `json:"total"`
}

func (b *Breakdown) add(code, basis string, base money.Fen, num, den int64, citation string) error {
	amt, err := money.MulRat(base, num, den)
	if err != nil {
		return err
	}
	total, err := money.Add(b.Total, amt)
	if err != nil {
		return err
	}
	b.Items = append(b.Items, BreakdownItem{Code: code, Basis: basis, BasisAmount: base, Num: num, Den: den, Amount: amt, Citation: citation})
	b.Total = total
	return nil
}

// CalcInput holds the facts a calculator may read; each calculator checks
// the ones it needs and reports the missing ones as field problems.
type CalcInput struct {
	// EventDate is the date of death or of the disability grading; it
	// chooses the dated parameters.
	EventDate time.Time
	Cause     DeathCause
	// MonthlyWage is the member's own monthly wage in fen: basic pay plus
	// rank allowance for police (art. 14), basic wage for auxiliary police,
	// the 12-month average for work-injury disability (art. 64).
	MonthlyWage money.Fen
	Honours     []Honour
	// Grade is the disability grade 1 (most severe) .. 10.
	Grade int
}

// Calculate runs the named calculator.
func Calculate(c Calculator, in CalcInput, rates RateBook) (Breakdown, error) {
	var p fielderr.List
	if in.EventDate.IsZero() {
		p.Add("event_date", CodeRequired)
	}
	switch c {
	case CalcPoliceLumpSum:
		if !in.Cause.Valid() || in.Cause == CauseOther {
			p.Add("cause", CodeUnknownValue, string(in.Cause))
		}
		checkWage(&p, in.MonthlyWage)
		for _, h := range in.Honours {
			if h.UpliftPercent() == 0 {
				p.Add("honours", CodeUnknownValue, string(h))
			}
		}
	case CalcAuxiliaryPoliceMartyr:
		checkWage(&p, in.MonthlyWage)
	case CalcDisabilityLumpSum:
		checkWage(&p, in.MonthlyWage)
		if in.Grade < 1 || in.Grade > 10 {
			p.Add("grade", CodeOutOfRange, 1, 10)
		}
	case CalcMartyrGrant, CalcWorkInjuryDeath:
	default:
		p.Add("calculator", CodeUnknownValue, string(c))
	}
	if err := p.Err(); err != nil {
		return Breakdown{}, err
	}
	switch c {
	case CalcPoliceLumpSum:
		return PoliceLumpSum(in.EventDate, in.Cause, in.MonthlyWage, in.Honours, rates)
	case CalcMartyrGrant:
		return MartyrGrant(in.EventDate, rates)
	case CalcWorkInjuryDeath:
		return WorkInjuryDeath(in.EventDate, rates)
	case CalcAuxiliaryPoliceMartyr:
		return AuxiliaryPoliceMartyr(in.EventDate, in.MonthlyWage, rates)
	default:
		return DisabilityLumpSum(in.EventDate, in.Grade, in.MonthlyWage, rates)
	}
}

func checkWage(p *fielderr.List, w money.Fen) {
	if w <= 0 {
		p.Add("monthly_wage", CodeNotPositive)
	}
}

// Citations, kept as data so the breakdown names its source.
const (
	citePolice14     = "人民警察抚恤优待办法 第十四条"
	citePolice16     = "人民警察抚恤优待办法 第十六条"
	citeMartyr15     = "烈士褒扬条例 第十五条"
	citeWorkInjury39 = "工伤保险条例 第三十九条"
	citeWorkInjury35 = "工伤保险条例 第三十五至三十七条"
	citeWorkInjury64 = "工伤保险条例 第三十五至三十七条、第六十四条"
)

// PoliceLumpSum is the police one-time 抚恤金 (人民警察抚恤优待办法 art. 14–16):
// martyr or death on duty 20 × the previous year's national income + 40
// months' wage; death from illness 2 × + 40 months. For martyrs and deaths
// on duty the highest honour raises the whole sum by its percentage
// (art. 16 names only those two causes, so illness gets no uplift).
func PoliceLumpSum(deathDate time.Time, cause DeathCause, monthlyWage money.Fen, honours []Honour, rates RateBook) (Breakdown, error) {
	ni, err := rates.NationalIncomeBefore(deathDate)
	if err != nil {
		return Breakdown{}, err
	}
	b := Breakdown{Calculator: CalcPoliceLumpSum}
	mult := int64(20)
	if cause == CauseIllness {
		mult = 2
	}
	if err := b.add("grants.item.national_income_multiple", "grants.basis.national_income", ni.Amount, mult, 1, citePolice14); err != nil {
		return Breakdown{}, err
	}
	if err := b.add("grants.item.wage_months", "grants.basis.monthly_wage", monthlyWage, 40, 1, citePolice14); err != nil {
		return Breakdown{}, err
	}
	if h, ok := HighestHonour(honours); ok && cause.OnDuty() {
		if err := b.add("grants.item.honour_uplift."+string(h), "grants.basis.lump_sum", b.Total, h.UpliftPercent(), 100, citePolice16); err != nil {
			return Breakdown{}, err
		}
	}
	return b, nil
}

// MartyrGrant is the 烈士褒扬金: 30 × the previous year's national income
// (烈士褒扬条例 art. 15).
func MartyrGrant(deathDate time.Time, rates RateBook) (Breakdown, error) {
	ni, err := rates.NationalIncomeBefore(deathDate)
	if err != nil {
		return Breakdown{}, err
	}
	b := Breakdown{Calculator: CalcMartyrGrant}
	if err := b.add("grants.item.martyr_grant", "grants.basis.national_income", ni.Amount, 30, 1, citeMartyr15); err != nil {
		return Breakdown{}, err
	}
	return b, nil
}

// WorkInjuryDeath is the work-injury death benefit (工伤保险条例 art. 39): a
// funeral grant of 6 × the regional average monthly wage and a one-time death
// subsidy of 20 × the previous year's national income.
func WorkInjuryDeath(deathDate time.Time, rates RateBook) (Breakdown, error) {
	b := Breakdown{Calculator: CalcWorkInjuryDeath}
	if err := addFuneral(&b, deathDate, rates); err != nil {
		return Breakdown{}, err
	}
	if err := addDeathSubsidy(&b, deathDate, rates); err != nil {
		return Breakdown{}, err
	}
	return b, nil
}

// AuxiliaryPoliceMartyr is what an auxiliary police martyr's family gets
// from the fund: the work-injury death subsidy + 40 months' basic wage
// (auxiliary police have no police 抚恤 formula, DOMAIN.md).
func AuxiliaryPoliceMartyr(deathDate time.Time, basicMonthlyWage money.Fen, rates RateBook) (Breakdown, error) {
	b := Breakdown{Calculator: CalcAuxiliaryPoliceMartyr}
	if err := addDeathSubsidy(&b, deathDate, rates); err != nil {
		return Breakdown{}, err
	}
	if err := b.add("grants.item.wage_months", "grants.basis.monthly_wage", basicMonthlyWage, 40, 1, citeWorkInjury39); err != nil {
		return Breakdown{}, err
	}
	return b, nil
}

// DisabilityLumpSum is the one-time disability subsidy by grade (art. 35–37),
// in months of the member's own wage, which art. 64 clamps to 60%..300% of
// the regional average monthly wage in force on the grading date. A clamp is
// shown as its own breakdown line so the applicant sees why the basis moved.
func DisabilityLumpSum(gradingDate time.Time, grade int, ownWage money.Fen, rates RateBook) (Breakdown, error) {
	if grade < 1 || grade > 10 {
		return Breakdown{}, fielderr.Fail("grade", CodeOutOfRange, 1, 10)
	}
	avg, err := rates.At(RateRegionalMonthlyWage, gradingDate)
	if err != nil {
		return Breakdown{}, err
	}
	b := Breakdown{Calculator: CalcDisabilityLumpSum}
	lo, err := money.MulRat(avg.Amount, 60, 100)
	if err != nil {
		return Breakdown{}, err
	}
	hi, err := money.MulRat(avg.Amount, 300, 100)
	if err != nil {
		return Breakdown{}, err
	}
	basis, basisKey, cite := ownWage, "grants.basis.own_wage", citeWorkInjury35
	switch {
	case ownWage < lo:
		basis, basisKey, cite = lo, "grants.basis.own_wage_floor", citeWorkInjury64
	case ownWage > hi:
		basis, basisKey, cite = hi, "grants.basis.own_wage_ceiling", citeWorkInjury64
	}
	if err := b.add("grants.item.disability_months", basisKey, basis, DisabilitySubsidyMonths[grade-1], 1, cite); err != nil {
		return Breakdown{}, err
	}
	return b, nil
}

func addFuneral(b *Breakdown, deathDate time.Time, rates RateBook) error {
	w, err := rates.At(RateRegionalMonthlyWage, deathDate)
	if err != nil {
		return err
	}
	return b.add("grants.item.funeral_grant", "grants.basis.regional_monthly_wage", w.Amount, 6, 1, citeWorkInjury39)
}

func addDeathSubsidy(b *Breakdown, deathDate time.Time, rates RateBook) error {
	ni, err := rates.NationalIncomeBefore(deathDate)
	if err != nil {
		return err
	}
	return b.add("grants.item.death_subsidy", "grants.basis.national_income", ni.Amount, 20, 1, citeWorkInjury39)
}
