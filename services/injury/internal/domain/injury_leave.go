package domain

import "time"

// LeavePeriod is injury leave (停工留薪期, 工伤保险条例 art. 33) starting on
// start: 12 months plus extendedMonths (at most 12 more), ending the day
// before the corresponding day (民法典 art. 202 counts months to the
// corresponding day).
func LeavePeriod(start time.Time, extendedMonths int) InjuryLeave {
	start = toDate(start)
	end := AddMonths(start, LeaveMonths+extendedMonths).AddDate(0, 0, -1)
	return InjuryLeave{Start: start, End: end, ExtendedMonths: extendedMonths}
}

// LastPaidDay is the last day of leave actually taken: the early end when the
// member went back to work, else the planned end.
func (l InjuryLeave) LastPaidDay() time.Time {
	if !l.EndedEarlyOn.IsZero() && l.EndedEarlyOn.Before(l.End) {
		return l.EndedEarlyOn
	}
	return l.End
}
