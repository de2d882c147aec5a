package domain

import (
	"sort"
	"time"
)

// Step is one line of an entitlement's explanation: a message-catalogue key
// and its arguments, e.g. {"leave.explain.band", [10, 10]}.
type Step struct {
	Code string
	Args []any
}

// Accrual is a dated part of an entitlement. A civil servant whose band rises
// mid-year gets the increase on the first day of the month after the
// anniversary, so one year can have several accruals.
type Accrual struct {
	On   time.Time
	Days int
}

// Absences are the year's absences that can cancel annual leave
// (Regulation art. 4).
type Absences struct {
	// PersonalDays is personal leave (事假) without a pay cut, in days.
	PersonalDays int
	// SickDays is sick leave in calendar days.
	SickDays int
	// LeaveTakenFirst is true when annual leave had already been taken that
	// year before the threshold was crossed: then that year's leave stands and
	// the next year's is cancelled instead (enterprise measures art. 8; applied
	// to civil servants as well, a local reading, unconfirmed).
	LeaveTakenFirst bool
}

// Entitlement is a member's annual leave for one year with how it was computed.
type Entitlement struct {
	MemberID string
	Year     int
	Days     int
	Accruals []Accrual
	Steps    []Step
}

// Explanation step codes.
const (
	StepServiceYears      = "leave.explain.service_years"
	StepBand              = "leave.explain.band"
	StepBandChange        = "leave.explain.band_change"
	StepNotEmployed       = "leave.explain.not_employed"
	StepUnderOneYear      = "leave.explain.under_one_year"
	StepProRated          = "leave.explain.pro_rated"
	StepPersonalLimit     = "leave.explain.personal_leave_limit"
	StepSickLimit         = "leave.explain.sick_leave_limit"
	StepPreviousYearLimit = "leave.explain.previous_year_limit"
	StepTotal             = "leave.explain.total"
)

// disqualification returns the explanation step when the absences cancel
// leave under Regulation art. 4, with service years counted at year end.
func (p Policy) disqualification(a Absences, years int) (Step, bool) {
	if a.PersonalDays >= p.PersonalLeaveLimitDays {
		return Step{Code: StepPersonalLimit, Args: []any{a.PersonalDays, p.PersonalLeaveLimitDays}}, true
	}
	if limit := p.sickLimitDays(years); a.SickDays >= limit {
		return Step{Code: StepSickLimit, Args: []any{a.SickDays, limit}}, true
	}
	return Step{}, false
}

// ComputeEntitlement returns m's annual leave for year with its explanation.
// abs are this year's absences so far, prev last year's.
//
// Civil servants (civil-service measures art. 3, which DOMAIN.md cites as
// art. 2): the band reached on the
// anniversary of 1, 10 or 20 years applies from the first day of the next
// month, in full. Auxiliary police (enterprise measures art. 5): the year is
// pro-rated by calendar days employed ÷ 365, fraction dropped; where a band
// changes during the year each part is pro-rated at its own band (local
// choice: the measures do not say).
func ComputeEntitlement(p Policy, m Member, year int, abs, prev Absences) Entitlement {
	e := Entitlement{MemberID: m.ID, Year: year}
	from, to := yearStart(year), yearEnd(year)
	if !m.JoinedOn.IsZero() {
		from = maxDate(from, m.JoinedOn)
	}
	if !m.LeftOn.IsZero() {
		to = minDate(to, m.LeftOn)
	}
	if to.Before(from) || m.Category == "" {
		e.Steps = append(e.Steps, Step{Code: StepNotEmployed, Args: []any{year}})
		return e.total()
	}
	yearsAtEnd := m.ServiceYears(to)
	if prevYears := m.ServiceYears(yearEnd(year - 1)); prev.LeaveTakenFirst {
		if s, ok := p.disqualification(prev, prevYears); ok {
			e.Steps = append(e.Steps, s, Step{Code: StepPreviousYearLimit, Args: []any{year - 1}})
			return e.total()
		}
	}
	if !abs.LeaveTakenFirst {
		if s, ok := p.disqualification(abs, yearsAtEnd); ok {
			e.Steps = append(e.Steps, s)
			return e.total()
		}
	}
	e.Steps = append(e.Steps, Step{Code: StepServiceYears, Args: []any{m.ServiceYears(from), from}})
	if m.Category.CivilService() {
		e.civilService(p, m, from, to)
	} else {
		e.proRated(p, m, from, to)
	}
	return e.total()
}

func (e *Entitlement) total() Entitlement {
	e.Days = 0
	for _, a := range e.Accruals {
		e.Days += a.Days
	}
	e.Steps = append(e.Steps, Step{Code: StepTotal, Args: []any{e.Days}})
	return *e
}

// bandStart is the day a band's days begin to apply.
type bandStart struct {
	on   time.Time
	days int
}

// bandStarts lists the days each band begins for a member: the anniversary
// itself, or for civil servants the first of the following month.
func bandStarts(p Policy, m Member, monthAfter bool) []bandStart {
	out := make([]bandStart, 0, len(p.Bands))
	for _, b := range p.Bands {
		on := anniversary(m.WorkStart, b.MinYears)
		if monthAfter {
			on = firstOfNextMonth(on)
		}
		out = append(out, bandStart{on: on, days: b.Days})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].on.Before(out[j].on) })
	return out
}

// bandOn returns the days of the band in force on day d.
func bandOn(starts []bandStart, d time.Time) int {
	days := 0
	for _, s := range starts {
		if !s.on.After(d) && s.days > days {
			days = s.days
		}
	}
	return days
}

func (e *Entitlement) civilService(p Policy, m Member, from, to time.Time) {
	starts := bandStarts(p, m, true)
	cur := bandOn(starts, from)
	if cur > 0 {
		e.Accruals = append(e.Accruals, Accrual{On: from, Days: cur})
		e.Steps = append(e.Steps, Step{Code: StepBand, Args: []any{m.ServiceYears(from), cur}})
	}
	for _, s := range starts {
		if s.on.After(from) && !s.on.After(to) && s.days > cur {
			e.Accruals = append(e.Accruals, Accrual{On: s.on, Days: s.days - cur})
			e.Steps = append(e.Steps, Step{Code: StepBandChange, Args: []any{s.on, s.days}})
			cur = s.days
		}
	}
	if len(e.Accruals) == 0 {
		e.Steps = append(e.Steps, Step{Code: StepUnderOneYear, Args: []any{to}})
	}
}

// daysPerYear is the enterprise measures' fixed divisor (art. 5 and 12), also
// in leap years.
const daysPerYear = 365

func (e *Entitlement) proRated(p Policy, m Member, from, to time.Time) {
	starts := bandStarts(p, m, false)
	fullYear := from.Equal(yearStart(from.Year())) && to.Equal(yearEnd(from.Year()))
	// Split [from, to] where the band changes and weigh each part by its days.
	cuts := []time.Time{from}
	for _, s := range starts {
		if s.on.After(from) && !s.on.After(to) {
			cuts = append(cuts, s.on)
		}
	}
	weighted, calendarDays, top := 0, 0, 0
	for i, c := range cuts {
		end := to
		if i+1 < len(cuts) {
			end = cuts[i+1].AddDate(0, 0, -1)
		}
		band := bandOn(starts, c)
		n := daysBetween(c, end)
		weighted += band * n
		calendarDays += n
		top = max(top, band)
		if band > 0 {
			e.Steps = append(e.Steps, Step{Code: StepBand, Args: []any{m.ServiceYears(c), band}})
		}
	}
	if top == 0 {
		e.Steps = append(e.Steps, Step{Code: StepUnderOneYear, Args: []any{to}})
		return
	}
	days := weighted / daysPerYear // fraction dropped (art. 5)
	if fullYear && len(cuts) == 1 {
		days = top // a whole year is the band itself, also in a leap year
	}
	days = min(days, top)
	if !fullYear || len(cuts) > 1 {
		e.Steps = append(e.Steps, Step{Code: StepProRated, Args: []any{from, to, calendarDays, daysPerYear, days}})
	}
	if days > 0 {
		e.Accruals = append(e.Accruals, Accrual{On: from, Days: days})
	}
}
