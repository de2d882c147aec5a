package domain

import "time"

// Limits of paid injury leave (停工留薪期, 工伤保险条例 art. 33): up to 12
// months, extendable by up to 12 more with the labour-capacity committee's
// confirmation.
const (
	InjuryLeaveMonths     = 12
	InjuryExtensionMonths = 12
)

// InjuryLeave is a member's paid injury leave, recorded from the injury
// service's case events. It is not annual leave and takes nothing from the
// balance; annual leave may not be requested over it.
type InjuryLeave struct {
	CaseID   string
	MemberID string
	From, To time.Time
	// ExtensionMonths is the extension granted beyond the first 12 months
	// (0 to 12).
	ExtensionMonths int
}

// Validate checks the period against the statutory limits.
func (l InjuryLeave) Validate() error {
	var ps problems
	if l.CaseID == "" {
		ps.add("case_id", CodeRequired)
	}
	if l.MemberID == "" {
		ps.add("member_id", CodeRequired)
	}
	validatePeriod(&ps, l.From, l.To)
	if l.ExtensionMonths < 0 || l.ExtensionMonths > InjuryExtensionMonths {
		ps.add("extension_months", CodeOutOfRange, 0, InjuryExtensionMonths)
	} else if IsDate(l.From) && IsDate(l.To) && !l.To.Before(l.From) {
		limit := InjuryLeaveMonths + l.ExtensionMonths
		if last := l.From.AddDate(0, limit, -1); l.To.After(last) {
			ps.add("to", CodeInjuryTooLong, limit, last)
		}
	}
	return ps.err()
}

// InjuryRestoration gives back annual-leave days that an injury-leave period
// overlaps in an already approved request.
type InjuryRestoration struct {
	RequestID string
	Days      int
}

// RestoreForInjury returns, for each approved request overlapping inj, the
// working days inside the overlap not yet given back. The caller books them
// as taking reversals and adds them to the request's RestoredDays, so
// receiving the same injury period twice restores nothing more.
func RestoreForInjury(cals Calendars, inj InjuryLeave, requests []LeaveRequest) ([]InjuryRestoration, error) {
	var out []InjuryRestoration
	for _, r := range requests {
		if r.MemberID != inj.MemberID || r.Status != StatusApproved || !Overlaps(r.From, r.To, inj.From, inj.To) {
			continue
		}
		n, err := cals.CountWorkingDays(maxDate(r.From, inj.From), minDate(r.To, inj.To))
		if err != nil {
			return nil, err
		}
		if n = min(n, r.Days) - r.RestoredDays; n > 0 {
			out = append(out, InjuryRestoration{RequestID: r.ID, Days: n})
		}
	}
	return out, nil
}
