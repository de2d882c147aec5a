package domain

import "time"

// QueueStatus is a case's colour in the queue, from the one clock the queue
// shows (the running clock due first) and the case's severity: red once the
// deadline passed (a lapsing window is over instead), amber from the clock's
// amber point or from the policy's UrgentWithin before the deadline, green
// before that; done when no clock runs.
func (p Policy) QueueStatus(sev Severity, kind ClockKind, due, amber, now time.Time) ClockStatus {
	if kind == "" || due.IsZero() {
		return StatusDone
	}
	switch {
	case !now.Before(due) && kind.Lapses():
		return StatusDone
	case !now.Before(due):
		return StatusRed
	case !now.Before(amber), due.Sub(now) <= p.UrgentWithin[sev]:
		return StatusAmber
	}
	return StatusGreen
}
