package domain

import (
	"sort"
	"strconv"
	"time"

	"github.com/anxin-welfare/anxin/pkg/money"
)

// RateKind names a dated parameter. The figures change every year and are
// edited by admins (with an audit row), never compiled in (DOMAIN.md).
type RateKind string

// The dated parameters the statutory calculators read.
const (
	// RateNationalIncome is the national urban per-capita disposable income of
	// one calendar year (全国城镇居民人均可支配收入), published by the NBS.
	// Stored with ValidFrom = 1 January of the year it describes.
	RateNationalIncome RateKind = "national_income"
	// RateRegionalMonthlyWage is the regional (统筹地区) average monthly wage of
	// employees, valid from the date the province announces it.
	RateRegionalMonthlyWage RateKind = "regional_monthly_wage"
)

// Rate is one dated value of a parameter.
type Rate struct {
	Kind      RateKind
	ValidFrom time.Time // a date (midnight UTC)
	Amount    money.Fen
}

// RateBook answers "what was the value on day D". It is a value built from
// the rates table for one calculation; it holds no locks and no I/O.
type RateBook struct {
	rates map[RateKind][]Rate // each sorted by ValidFrom ascending
}

// NewRateBook indexes rates by kind and date.
func NewRateBook(rates []Rate) RateBook {
	b := RateBook{rates: make(map[RateKind][]Rate)}
	for _, r := range rates {
		b.rates[r.Kind] = append(b.rates[r.Kind], r)
	}
	for k := range b.rates {
		rs := b.rates[k]
		sort.Slice(rs, func(i, j int) bool { return rs[i].ValidFrom.Before(rs[j].ValidFrom) })
	}
	return b
}

// At returns the value of kind in force on day, or ErrRateMissing.
func (b RateBook) At(kind RateKind, day time.Time) (Rate, error) {
	rs := b.rates[kind]
	i := sort.Search(len(rs), func(i int) bool { return rs[i].ValidFrom.After(day) })
	if i == 0 {
		return Rate{}, ErrRateMissing.With(string(kind), day.Format(time.DateOnly))
	}
	return rs[i-1], nil
}

// NationalIncomeBefore returns the national income figure of the calendar
// year before day's year: the statutes (工伤保险条例 art. 39, 人民警察抚恤优待办法
// art. 14, 烈士褒扬条例 art. 15) all use "上一年度" relative to the death.
// It needs exactly that year's figure; an older one is not a substitute.
func (b RateBook) NationalIncomeBefore(day time.Time) (Rate, error) {
	year := day.Year() - 1
	for _, r := range b.rates[RateNationalIncome] {
		if r.ValidFrom.Year() == year {
			return r, nil
		}
	}
	return Rate{}, ErrRateMissing.With(string(RateNationalIncome), strconv.Itoa(year))
}
