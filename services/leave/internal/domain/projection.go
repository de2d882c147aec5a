package domain

import "time"

// ProjectedAccruals returns m's entitlement for year as the year-end rollover
// of year-1 will book it, for a balance read before that rollover: an officer
// may ask in November for leave in January (issue 11), and a balance of 0
// until the rollover would refuse every such request.
//
// It is the rollover's own computation, ComputeEntitlement with no absences
// yet in year and prev, year-1's absences as known today, so the projection
// and the booked entitlement differ only when those absences change before
// the rollover (or the member leaves, or the policy changes). Carried-over
// days are not projected: they depend on a decision and on what is left on
// 31 December, which only the rollover knows.
//
// The entries are marked Projected, carry no id and are never stored. ok is
// false, and nothing is projected, when year is not after today's year,
// when the rollover of year-1 has closed the member's year (closed), or
// when the ledger already holds an accrual for year (a member who joined
// after the last rollover has theirs booked on arrival): then the booked
// entries are the balance. A projection of 0 days (a member under one year
// of service) is still a projection: ok is true with no entries.
func ProjectedAccruals(p Policy, m Member, year int, today time.Time, closed bool, entries []LedgerEntry, prev Absences) (out []LedgerEntry, ok bool) {
	if year <= today.Year() || closed {
		return nil, false
	}
	for _, e := range entries {
		if e.MemberID == m.ID && e.Year == year && e.Kind == KindAccrual && !e.Projected {
			return nil, false
		}
	}
	ent := ComputeEntitlement(p, m, year, Absences{}, prev)
	for _, e := range ent.LedgerEntries("", time.Time{}) {
		e.Projected = true
		out = append(out, e)
	}
	return out, true
}
