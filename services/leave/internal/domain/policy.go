package domain

import "errors"

// Band is one row of the entitlement table: from MinYears of cumulative
// service, Days of annual leave a year.
type Band struct {
	MinYears int
	Days     int
}

// SickThreshold says that with fewer than BelowYears of service (0 = no upper
// bound) sick leave of Months or more cancels the year's leave.
type SickThreshold struct {
	BelowYears int
	Months     int
}

// Policy holds the leave rules that are statutory numbers or local choices.
// DefaultPolicy returns the statutory values; a county changes the local ones
// through configuration, never by editing code.
type Policy struct {
	// Bands is the Regulation art. 3 table, ascending by MinYears:
	// 1 to <10 years 5 days, 10 to <20 years 10 days, 20+ years 15 days.
	Bands []Band
	// PersonalLeaveLimitDays: personal leave of this many days or more without a
	// pay cut cancels the year's leave (Regulation art. 4(2)). Default 20.
	PersonalLeaveLimitDays int
	// SickThresholds: Regulation art. 4(3)–(5), 2 / 3 / 4 months for service
	// under 10 / 10 to 20 / 20+ years, ascending by BelowYears, last one unbounded.
	SickThresholds []SickThreshold
	// SickDaysPerMonth converts the statutory months of sick leave into the
	// calendar days the registry records. Local (unconfirmed); default 30.
	SickDaysPerMonth int
	// SecondLevelAboveDays: a request of more working days than this needs a
	// second approval above the unit head. Local; default 5.
	SecondLevelAboveDays int
	// MaxCarryOverDays caps the days carried into the next year; 0 means the
	// whole carryable balance. Local; default 0.
	MaxCarryOverDays int
}

// DefaultPolicy returns the statutory rules and the documented local defaults.
func DefaultPolicy() Policy {
	return Policy{
		Bands:                  []Band{{MinYears: 1, Days: 5}, {MinYears: 10, Days: 10}, {MinYears: 20, Days: 15}},
		PersonalLeaveLimitDays: 20,
		SickThresholds:         []SickThreshold{{BelowYears: 10, Months: 2}, {BelowYears: 20, Months: 3}, {BelowYears: 0, Months: 4}},
		SickDaysPerMonth:       30,
		SecondLevelAboveDays:   5,
		MaxCarryOverDays:       0,
	}
}

// Validate reports every inconsistency of the policy at once.
func (p Policy) Validate() error {
	var errs []error
	if len(p.Bands) == 0 {
		errs = append(errs, errors.New("leave policy: no entitlement bands"))
	}
	for i, b := range p.Bands {
		if b.MinYears < 0 || b.Days < 0 {
			errs = append(errs, errors.New("leave policy: negative band"))
		}
		if i > 0 && (b.MinYears <= p.Bands[i-1].MinYears || b.Days < p.Bands[i-1].Days) {
			errs = append(errs, errors.New("leave policy: bands must ascend"))
		}
	}
	if p.PersonalLeaveLimitDays <= 0 {
		errs = append(errs, errors.New("leave policy: personal-leave limit must be positive"))
	}
	if len(p.SickThresholds) == 0 || p.SickThresholds[len(p.SickThresholds)-1].BelowYears != 0 {
		errs = append(errs, errors.New("leave policy: the last sick-leave threshold must be unbounded"))
	}
	if p.SickDaysPerMonth <= 0 {
		errs = append(errs, errors.New("leave policy: sick days per month must be positive"))
	}
	if p.SecondLevelAboveDays < 0 || p.MaxCarryOverDays < 0 {
		errs = append(errs, errors.New("leave policy: negative day limits"))
	}
	return errors.Join(errs...)
}

// sickLimitDays returns the sick-leave days that cancel the year's leave for
// years of service.
func (p Policy) sickLimitDays(years int) int {
	for _, t := range p.SickThresholds {
		if t.BelowYears == 0 || years < t.BelowYears {
			return t.Months * p.SickDaysPerMonth
		}
	}
	return 0
}
