// Package report is what every service's reporting routes (GET
// /api/v1/<svc>/reports/…, the committee's work overview 工作概览) share:
// the filter they read from the query string, and who may see which units.
//
// The figures themselves come from each service's own read models, tables
// of units × months kept up to date in the transaction that changes the
// facts; a report never scans the raw tables.
package report

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/roles"
)

// Limits of a filter: a report covers at most MaxMonths months and names at
// most MaxUnits units, so that its cost stays units × months rows.
const (
	MaxMonths    = 60
	MaxUnits     = 200
	DefaultSpan  = 12
	maxUnitIDLen = 64
	monthLayout  = "2006-01"
)

// Committee is the roles that see every unit's figures: the approvers and
// the leaders of the committee. Readers adds the unit heads, who see their
// own units only.
var (
	Committee = roles.Committee()
	Readers   = append(roles.Committee(), roles.UnitHead)
)

// Filter is what a report covers: the months From..To (both the first day
// of their month, inclusive) and the units, all of them when All.
type Filter struct {
	From, To time.Time
	Units    []string
	All      bool
}

// Months is the number of months the filter covers.
func (f Filter) Months() int {
	return (f.To.Year()-f.From.Year())*12 + int(f.To.Month()-f.From.Month()) + 1
}

// FromDate and ToDate are From and To as SQL dates ("2026-01-01"); ToEnd is
// the first day after the last month.
func (f Filter) FromDate() string { return f.From.Format(time.DateOnly) }

// ToDate is the first day of the last month, as an SQL date.
func (f Filter) ToDate() string { return f.To.Format(time.DateOnly) }

// UnitList is the units as an SQL text[] argument: nil (NULL, every unit)
// when All.
func (f Filter) UnitList() []string {
	if f.All {
		return nil
	}
	if f.Units == nil {
		return []string{}
	}
	return f.Units
}

// Includes reports whether unit is within the filter.
func (f Filter) Includes(unit string) bool { return f.All || slices.Contains(f.Units, unit) }

// Month is the first day of t's month in Asia/Shanghai, the zone every
// month of a report is counted in.
func Month(t time.Time) time.Time {
	l := t.In(clock.Shanghai)
	return time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// FromQuery reads `from` and `to` (months, "2026-01") and `unit` (repeated)
// from q. Missing months default to the DefaultSpan months up to now's.
// Every problem is a 422 naming its field.
func FromQuery(q url.Values, now time.Time) (Filter, error) {
	f := Filter{To: Month(now), All: true}
	var bad []fielderr.Problem
	if s := q.Get("to"); s != "" {
		m, err := time.Parse(monthLayout, s)
		if err != nil {
			bad = append(bad, fielderr.Problem{Field: "to", Code: "report.month"})
		}
		f.To = m
	}
	f.From = f.To.AddDate(0, -(DefaultSpan - 1), 0)
	if s := q.Get("from"); s != "" {
		m, err := time.Parse(monthLayout, s)
		if err != nil {
			bad = append(bad, fielderr.Problem{Field: "from", Code: "report.month"})
		}
		f.From = m
	}
	if len(bad) == 0 {
		switch {
		case f.From.After(f.To):
			bad = append(bad, fielderr.Problem{Field: "from", Code: "report.from_after_to"})
		case f.Months() > MaxMonths:
			bad = append(bad, fielderr.Problem{Field: "from", Code: "report.too_many_months", Args: []any{MaxMonths}})
		}
	}
	if units := q["unit"]; len(units) > 0 {
		f.All = false
		if len(units) > MaxUnits {
			bad = append(bad, fielderr.Problem{Field: "unit", Code: "field.too_many", Args: []any{MaxUnits}})
		}
		for _, u := range units {
			u = strings.TrimSpace(u)
			if u == "" || len(u) > maxUnitIDLen || strings.ContainsFunc(u, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
				bad = append(bad, fielderr.Problem{Field: "unit", Code: "field.invalid"})
				break
			}
			if !slices.Contains(f.Units, u) {
				f.Units = append(f.Units, u)
			}
		}
	}
	if len(bad) > 0 {
		return Filter{}, httpx.Invalid(bad...)
	}
	slices.Sort(f.Units)
	return f, nil
}

// Scope narrows f to what id may see. The committee (approvers, leaders)
// sees every unit. A unit head sees their own units only: with no unit
// asked for, those; asking for another unit is 403, so a unit head can
// never read another unit's figures, not even as a sum. Anybody else is
// 403.
func Scope(id auth.Identity, f Filter) (Filter, error) {
	if id.Has(Committee...) {
		return f, nil
	}
	if !id.Has(auth.RoleUnitHead) {
		return Filter{}, httpx.Forbidden()
	}
	if f.All {
		f.All = false
		f.Units = slices.Sorted(slices.Values(id.Units))
		if f.Units == nil {
			f.Units = []string{}
		}
		return f, nil
	}
	for _, u := range f.Units {
		if !id.InUnit(u) {
			return Filter{}, httpx.NewError(403, "report_unit_forbidden")
		}
	}
	return f, nil
}

func init() {
	i18n.Register(map[string]i18n.Text{
		"report.month":                  {ZH: "应为年月，例如 2026-01", EN: "must be a month written year-month, e.g. 2026-01"},
		"report.from_after_to":          {ZH: "起始月份不能晚于截止月份", EN: "must not be after the last month"},
		"report.too_many_months":        {ZH: "一次最多查看 %d 个月", EN: "must cover at most %d months"},
		"problem.report_unit_forbidden": {ZH: "您只能查看本单位的数据", EN: "You may see the figures of your own units only"},
	})
}
