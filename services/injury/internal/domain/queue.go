package domain

import "time"

// QueueClock is the clock the queue shows for the case, badge and date
// alike: the running, unpaused clock due first (nil when none runs). The
// store keeps its kind, deadline and amber point on the case so queues sort
// and page by it through an index.
func (c *Case) QueueClock() *SLAClock {
	var first *SLAClock
	for i := range c.Clocks {
		k := &c.Clocks[i]
		if k.StoppedAt.IsZero() && k.PausedAt.IsZero() && (first == nil || k.DueAt.Before(first.DueAt)) {
			first = k
		}
	}
	return first
}

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
