package domain

import (
	"slices"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// Occasion is what a visit is for.
type Occasion string

// Planned occasions, and "other" for a visit outside the plan.
const (
	OccasionSpringFestival Occasion = "spring_festival" // 春节
	OccasionQingming       Occasion = "qingming"        // 清明
	OccasionAnniversary    Occasion = "anniversary"     // 牺牲纪念日
	OccasionOther          Occasion = "other"
)

// PlannedOccasions are the occasions the visit rule plans, in the order
// they come in a year.
var PlannedOccasions = []Occasion{OccasionSpringFestival, OccasionQingming, OccasionAnniversary}

// Valid reports whether o is a known occasion.
func (o Occasion) Valid() bool { return o == OccasionOther || slices.Contains(PlannedOccasions, o) }

// Festival reports whether o's date is a lunar-calendar festival kept in
// the admins' table of dates (FestivalDates).
func (o Occasion) Festival() bool { return o == OccasionSpringFestival || o == OccasionQingming }

// VisitRule is the admins' rule for one occasion: whether it is planned,
// and the window a visit is due in, from DaysBefore the date to DaysAfter
// it (the due date).
type VisitRule struct {
	Occasion   Occasion
	Enabled    bool
	DaysBefore int
	DaysAfter  int
	Version    int64
	UpdatedBy  string
	UpdatedAt  time.Time
}

// Bounds of a rule's window, in days.
const (
	MaxDaysBefore = 90
	MaxDaysAfter  = 60
)

// Validate checks the window.
func (r VisitRule) Validate() error {
	var p fielderr.List
	if !slices.Contains(PlannedOccasions, r.Occasion) {
		p.Add("occasion", CodeUnknownValue, string(r.Occasion))
	}
	if r.DaysBefore < 0 || r.DaysBefore > MaxDaysBefore {
		p.Add("days_before", CodeOutOfRange, 0, MaxDaysBefore)
	}
	if r.DaysAfter < 0 || r.DaysAfter > MaxDaysAfter {
		p.Add("days_after", CodeOutOfRange, 0, MaxDaysAfter)
	}
	return p.Err()
}

// FestivalDates are the Gregorian dates of the lunar festivals by year, as
// admins keep them (seeded for the years the service starts with).
type FestivalDates map[int]map[Occasion]time.Time

// Date is o's date in year: the festival's from the table, the death's
// anniversary (28 February for a death on 29 February, in other years).
func (fd FestivalDates) Date(o Occasion, year int, diedOn time.Time) (time.Time, bool) {
	if o == OccasionAnniversary {
		if diedOn.IsZero() || year <= diedOn.Year() {
			return time.Time{}, false
		}
		d := time.Date(year, diedOn.Month(), diedOn.Day(), 0, 0, 0, 0, time.UTC)
		if d.Month() != diedOn.Month() { // 29 February in a common year
			d = time.Date(year, time.February, 28, 0, 0, 0, 0, time.UTC)
		}
		return d, true
	}
	d, ok := fd[year][o]
	return d, ok
}

// Visit status in the plan.
type VisitStatus string

// A planned visit is upcoming until its window opens, then due; once its
// due date passes without a visit it is overdue. A visit made by the due
// date is on time, one after it late.
const (
	VisitUpcoming VisitStatus = "upcoming"
	VisitDue      VisitStatus = "due"
	VisitOverdue  VisitStatus = "overdue"
	VisitOnTime   VisitStatus = "on_time"
	VisitLate     VisitStatus = "late"
)

// PlannedVisit is one occasion of the plan in one year.
type PlannedVisit struct {
	Occasion  Occasion
	Year      int
	Date      time.Time
	OpensOn   time.Time
	DueOn     time.Time
	Status    VisitStatus
	VisitID   string
	VisitedOn time.Time
}

// Plan is a family's visits from the day the record was opened through
// the next occasion after today, with the years whose festival dates are
// not on file (admins must add them before those visits can be planned).
type Plan struct {
	Visits       []PlannedVisit
	MissingYears []int
}

// Next is the first planned visit not yet made, if any.
func (p Plan) Next() (PlannedVisit, bool) {
	for _, v := range p.Visits {
		if v.VisitID == "" {
			return v, true
		}
	}
	return PlannedVisit{}, false
}

// Overdue lists the planned visits whose due date passed without a visit.
func (p Plan) Overdue() []PlannedVisit {
	var out []PlannedVisit
	for _, v := range p.Visits {
		if v.Status == VisitOverdue {
			out = append(out, v)
		}
	}
	return out
}

// VisitPlan computes a record's plan on today (a Shanghai calendar date as
// midnight UTC) from the rules, the festival dates and the visits made: each
// enabled occasion of each year from the year the record was opened, dated
// on or after the opening day, up to the first one whose window has not
// opened yet. A visit counts for the occasion and year it was recorded for.
func VisitPlan(rec CareRecord, rules []VisitRule, dates FestivalDates, visits []Visit, today time.Time) Plan {
	opened := DateOf(rec.CreatedAt)
	var plan Plan
	for year := opened.Year(); year <= today.Year()+1; year++ {
		for _, r := range rules {
			if !r.Enabled {
				continue
			}
			d, ok := dates.Date(r.Occasion, year, rec.DiedOn)
			if !ok {
				if r.Occasion.Festival() && !slices.Contains(plan.MissingYears, year) {
					plan.MissingYears = append(plan.MissingYears, year)
				}
				continue
			}
			pv := PlannedVisit{Occasion: r.Occasion, Year: year, Date: d, OpensOn: d.AddDate(0, 0, -r.DaysBefore), DueOn: d.AddDate(0, 0, r.DaysAfter)}
			if pv.DueOn.Before(opened) {
				continue
			}
			pv.Status = statusOf(pv, visits, today)
			if pv.Status == VisitUpcoming && pv.OpensOn.After(today.AddDate(1, 0, 0)) {
				continue
			}
			plan.Visits = append(plan.Visits, pv)
		}
	}
	slices.SortStableFunc(plan.Visits, func(a, b PlannedVisit) int { return a.DueOn.Compare(b.DueOn) })
	for i := range plan.Visits {
		pv := &plan.Visits[i]
		for _, v := range visits {
			if v.Occasion == pv.Occasion && v.Year == pv.Year {
				pv.VisitID, pv.VisitedOn = v.ID, v.VisitedOn
				break
			}
		}
	}
	return plan
}

func statusOf(pv PlannedVisit, visits []Visit, today time.Time) VisitStatus {
	for _, v := range visits {
		if v.Occasion == pv.Occasion && v.Year == pv.Year {
			if v.VisitedOn.After(pv.DueOn) {
				return VisitLate
			}
			return VisitOnTime
		}
	}
	switch {
	case today.After(pv.DueOn):
		return VisitOverdue
	case !today.Before(pv.OpensOn):
		return VisitDue
	}
	return VisitUpcoming
}

// PlanYear is the year of occasion o a visit on visitedOn counts for: the
// year whose date of o is nearest (a Spring Festival visit in late
// December counts for the festival weeks later). ok is false when no year
// near it has a date on file.
func PlanYear(o Occasion, visitedOn, diedOn time.Time, dates FestivalDates) (int, bool) {
	best, bestGap := 0, time.Duration(-1)
	for y := visitedOn.Year() - 1; y <= visitedOn.Year()+1; y++ {
		d, ok := dates.Date(o, y, diedOn)
		if !ok {
			continue
		}
		gap := d.Sub(visitedOn)
		if gap < 0 {
			gap = -gap
		}
		if bestGap < 0 || gap < bestGap {
			best, bestGap = y, gap
		}
	}
	return best, bestGap >= 0
}

// DateOf is the Shanghai calendar date of instant t, as midnight UTC.
func DateOf(t time.Time) time.Time {
	y, m, d := clock.Local(t).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
