package domain

import "time"

// UrgentWithin is how near its deadline a case of a severity turns amber in
// the queue, whatever its clock's own amber point: a critical case due in
// 13 minutes is not "on time" even when its 15-minute clock turns amber only
// 3 minutes before the end. Minor cases follow their clock alone.
var UrgentWithin = map[Severity]time.Duration{
	SeverityCritical: time.Hour,
	SeveritySerious:  30 * time.Minute,
}

// QueueStatus is a case's colour in the queue, from the one clock the queue
// shows (the running clock due first) and the case's severity: red once the
// deadline passed (a lapsing window is over instead), amber from the clock's
// amber point or from UrgentWithin before the deadline, green before that;
// done when no clock runs.
func QueueStatus(sev Severity, kind ClockKind, due, amber, now time.Time) ClockStatus {
	if kind == "" || due.IsZero() {
		return StatusDone
	}
	switch {
	case !now.Before(due) && kind.Lapses():
		return StatusDone
	case !now.Before(due):
		return StatusRed
	case !now.Before(amber), due.Sub(now) <= UrgentWithin[sev]:
		return StatusAmber
	}
	return StatusGreen
}
