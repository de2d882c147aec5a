package domain

import (
	"errors"
	"fmt"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
)

// ClockKind names one SLA clock of a case.
type ClockKind string

// Clock kinds. Acknowledgement and hand-off are local policy; the others are
// statutory deadlines (article numbers on the Policy methods).
const (
	ClockAcknowledgement ClockKind = "acknowledgement"
	ClockHandoff         ClockKind = "handoff"
	ClockUnitFiling      ClockKind = "unit_filing"
	ClockMemberFiling    ClockKind = "member_filing"
	ClockAcceptance      ClockKind = "acceptance"
	ClockDecision        ClockKind = "decision"
	ClockGrading         ClockKind = "grading"
	ClockPoliceGrading   ClockKind = "police_grading"
	ClockInjuryLeave     ClockKind = "injury_leave"
	ClockAppeal          ClockKind = "appeal"
)

// ClockKinds lists every kind, for schemas and documentation.
var ClockKinds = []ClockKind{ClockAcknowledgement, ClockHandoff, ClockUnitFiling, ClockMemberFiling, ClockAcceptance, ClockDecision, ClockGrading, ClockPoliceGrading, ClockInjuryLeave, ClockAppeal}

// Lapses reports whether a clock of this kind is a window that the member
// may use or let pass. Such a clock never escalates: at its deadline it ends
// as lapsed. Every other clock escalates when breached, member_filing
// included: a member who has not filed within the year means the unit did
// not file either, which is the unit's failure. Letting the 15-day appeal
// window pass is nobody's failure: it is how a grading conclusion becomes
// final, so escalating it would flag every accepted conclusion.
func (k ClockKind) Lapses() bool { return k == ClockAppeal }

// Level is how far a breached clock has been escalated.
type Level int

// Escalation levels: nobody yet, the unit head at the deadline, the
// political-legal committee when the breach lasts past the grace period.
const (
	LevelNone      Level = 0
	LevelUnitHead  Level = 1
	LevelCommittee Level = 2
)

// String names the level as it appears in events and the API.
func (l Level) String() string {
	switch l {
	case LevelUnitHead:
		return "unit_head"
	case LevelCommittee:
		return "committee"
	}
	return "none"
}

// ClockOutcome is how a stopped clock ended.
type ClockOutcome string

// Clock outcomes.
const (
	OutcomeMet       ClockOutcome = "met"       // stopped before its deadline
	OutcomeBreached  ClockOutcome = "breached"  // stopped after its deadline
	OutcomeCancelled ClockOutcome = "cancelled" // became moot (case closed, other filer)
	OutcomeLapsed    ClockOutcome = "lapsed"    // a window the member let pass (Lapses)
)

// ClockStatus is what the queue shows for a clock at an instant.
type ClockStatus string

// Clock statuses: green, amber (nearing the deadline) and red (breached) for
// running clocks; paused; done for stopped clocks.
const (
	StatusGreen  ClockStatus = "green"
	StatusAmber  ClockStatus = "amber"
	StatusRed    ClockStatus = "red"
	StatusPaused ClockStatus = "paused"
	StatusDone   ClockStatus = "done"
)

// SLAClock is one deadline on a case. Deadlines are instants in UTC; clocks
// measured in days end at the end of their last day in Asia/Shanghai.
type SLAClock struct {
	// ID is assigned by the store; 0 until the clock is saved.
	ID        int64
	Kind      ClockKind
	StartedAt time.Time
	DueAt     time.Time
	// AmberAt is when the clock turns amber (a fraction of its span before
	// DueAt); stored so the queue can be sorted and coloured in SQL.
	AmberAt time.Time
	// CommitteeAfter is how long after DueAt a breach goes to the committee.
	CommitteeAfter time.Duration
	PausedAt       time.Time
	StoppedAt      time.Time
	Outcome        ClockOutcome
	Level          Level
	// AmberWarned is the amber point (a value of AmberAt) the sweeper has
	// dealt with: told of, or passed over because the deadline had
	// already gone when it looked. A deadline that moves (pause and
	// resume, an extension) moves AmberAt away from it, so the new amber
	// point is told of once more. Zero until the first.
	AmberWarned time.Time
}

// Running reports whether the clock is neither stopped nor paused.
func (k *SLAClock) Running() bool { return k.StoppedAt.IsZero() && k.PausedAt.IsZero() }

// Active reports whether the clock has not been stopped (it may be paused).
func (k *SLAClock) Active() bool { return k.StoppedAt.IsZero() }

// Status is the colour of the clock at now.
func (k *SLAClock) Status(now time.Time) ClockStatus {
	switch {
	case !k.StoppedAt.IsZero():
		return StatusDone
	case !k.PausedAt.IsZero():
		return StatusPaused
	case !now.Before(k.DueAt) && k.Kind.Lapses():
		return StatusDone // a passed window is over, not overdue
	case !now.Before(k.DueAt):
		return StatusRed
	case !now.Before(k.AmberAt):
		return StatusAmber
	}
	return StatusGreen
}

// Remaining is the time left until the deadline (negative once breached),
// measured at the pause for a paused clock.
func (k *SLAClock) Remaining(now time.Time) time.Duration {
	if !k.PausedAt.IsZero() {
		now = k.PausedAt
	}
	return k.DueAt.Sub(now)
}

// Pause stops the clock from running, e.g. while a court's finding is
// awaited (工伤保险条例 art. 20 para. 3). Pausing a paused clock is a no-op.
func (k *SLAClock) Pause(now time.Time) {
	if k.Running() {
		k.PausedAt = now.UTC()
	}
}

// Resume restarts a paused clock; the deadline moves by the time spent paused.
func (k *SLAClock) Resume(now time.Time) {
	if !k.Active() || k.PausedAt.IsZero() {
		return
	}
	if d := now.Sub(k.PausedAt); d > 0 {
		k.DueAt = k.DueAt.Add(d)
		k.AmberAt = k.AmberAt.Add(d)
	}
	k.PausedAt = time.Time{}
}

// Extend moves the deadline by a number of days, e.g. the 30-day extension of
// disability grading (art. 25). The amber point moves with it.
func (k *SLAClock) Extend(days int) {
	k.DueAt = k.DueAt.AddDate(0, 0, days)
	k.AmberAt = k.AmberAt.AddDate(0, 0, days)
}

// ExtendTo moves the deadline to a new instant, keeping the amber lead time.
func (k *SLAClock) ExtendTo(due time.Time) {
	lead := k.DueAt.Sub(k.AmberAt)
	k.DueAt = due
	k.AmberAt = due.Add(-lead)
}

// Stop ends the clock; the outcome is met or breached by comparing now with
// the deadline. Stopping a stopped clock is a no-op.
func (k *SLAClock) Stop(now time.Time) {
	if !k.Active() {
		return
	}
	k.StoppedAt = now.UTC()
	k.Outcome = OutcomeMet
	if !now.Before(k.DueAt) && k.PausedAt.IsZero() {
		k.Outcome = OutcomeBreached
	}
	k.PausedAt = time.Time{}
}

// Cancel ends a clock that no longer matters.
func (k *SLAClock) Cancel(now time.Time) {
	if !k.Active() {
		return
	}
	k.StoppedAt = now.UTC()
	k.Outcome = OutcomeCancelled
	k.PausedAt = time.Time{}
}

// Lapse ends a lapsing clock (Lapses) whose deadline has passed and reports
// whether it did. Lapsing a stopped clock is a no-op.
func (k *SLAClock) Lapse(now time.Time) bool {
	if !k.Kind.Lapses() || !k.Running() || now.Before(k.DueAt) {
		return false
	}
	k.StoppedAt = now.UTC()
	k.Outcome = OutcomeLapsed
	return true
}

// LastDay is the last calendar day of a day-counted clock (as midnight
// UTC): the deadline is the end of that day in Asia/Shanghai.
func (k *SLAClock) LastDay() time.Time { return dateOf(k.DueAt.Add(-time.Nanosecond)) }

// Escalate raises the escalation level that now calls for and reports
// whether it rose. It never lowers a level, so a sweep that runs twice (or on
// two replicas) escalates once. Lapsing clocks never escalate.
func (k *SLAClock) Escalate(now time.Time) (Level, bool) {
	if !k.Running() || k.Kind.Lapses() {
		return k.Level, false
	}
	target := LevelNone
	switch {
	case !now.Before(k.DueAt.Add(k.CommitteeAfter)):
		target = LevelCommittee
	case !now.Before(k.DueAt):
		target = LevelUnitHead
	}
	if target <= k.Level {
		return k.Level, false
	}
	k.Level = target
	// Past the deadline the amber point is past too: the escalation tells
	// of the breach, nobody is told afterwards that it approaches.
	k.AmberWarned = k.AmberAt
	return target, true
}

// amberDue reports whether the clock still has an amber point to tell of:
// it runs, it is not a window the member may let pass (Lapses: nobody is
// late there, so nobody is warned), it has an amber point before its
// deadline, and that point has not been dealt with.
func (k *SLAClock) amberDue() bool {
	return k.Running() && !k.Kind.Lapses() && k.AmberAt.Before(k.DueAt) && !k.AmberWarned.Equal(k.AmberAt)
}

// WarnAmber records that the sweeper looked at the clock's amber point at
// now and reports whether the people of the case are to be told that the
// deadline approaches. It tells once per amber point: a second sweep, a
// second replica or a restart finds the point dealt with. An amber point
// first looked at after the deadline tells nobody (the escalation does)
// but is dealt with all the same. Stopped and paused clocks never warn.
func (k *SLAClock) WarnAmber(now time.Time) bool {
	if !k.amberDue() || now.Before(k.AmberAt) {
		return false
	}
	k.AmberWarned = k.AmberAt
	return now.Before(k.DueAt)
}

// NextFireAt is when the sweeper next needs to look at the clock; zero when
// never (stopped, paused, or escalated to the top with no amber point left
// to tell of). A lapsing clock is looked at once, at its deadline, to lapse
// it. An amber point not yet dealt with comes first: it lies before the
// deadline, and after an extension before the next escalation too.
func (k *SLAClock) NextFireAt() time.Time {
	if !k.Running() {
		return time.Time{}
	}
	var next time.Time
	switch k.Level {
	case LevelNone:
		next = k.DueAt
	case LevelUnitHead:
		next = k.DueAt.Add(k.CommitteeAfter)
	}
	if k.amberDue() && (next.IsZero() || k.AmberAt.Before(next)) {
		next = k.AmberAt
	}
	return next
}

// Calendar tells working days. With one, a day-counted deadline whose last day
// is a rest day or public holiday moves to the next working day (民法典
// art. 203). Nil means no such shift.
type Calendar interface {
	Workday(date time.Time) bool
}

// Policy holds the configurable parts of the clocks. Statutory periods are
// constants below; only local policy is configurable.
type Policy struct {
	// AckWithin is the acknowledgement deadline after opening, by severity.
	// Default: critical 15m, serious 1h, minor 4h (local policy).
	AckWithin map[Severity]time.Duration
	// HandoffWithin is the deadline to confirm the hospital hand-off and payment
	// guarantee, by severity. Default: critical 1h, serious 4h, minor 24h.
	HandoffWithin map[Severity]time.Duration
	// AmberPercent is how much of a clock's span remains when it turns amber.
	// Default 20.
	AmberPercent int
	// UrgentWithin is how near its deadline a case of a severity shows
	// amber in the queue, whatever its clock's amber point: a critical case
	// due in 13 minutes is not "on time" although its 15-minute clock turns
	// amber only 3 minutes before the end. Default: critical 1h, serious
	// 30m; minor cases (no entry) follow their clock alone.
	UrgentWithin map[Severity]time.Duration
	// CommitteeAfterHours is the grace after an hour-scale (acknowledgement,
	// hand-off) deadline before the committee is alerted; default: the same
	// span as the clock itself (nil map entries mean that).
	CommitteeAfterHours map[Severity]time.Duration
	// CommitteeAfterDays is the grace after a day-scale statutory deadline
	// before the committee is alerted. Default 3 days.
	CommitteeAfterDays time.Duration
	// Calendar, when set, moves a deadline's last day off rest days.
	Calendar Calendar
}

// Statutory periods.
const (
	UnitFilingDays       = 30 // 工伤保险条例 art. 17 para. 1
	MemberFilingYears    = 1  // 工伤保险条例 art. 17 para. 2
	AcceptanceDays       = 15 // 工伤认定办法 art. 8
	DecisionDays         = 60 // 工伤保险条例 art. 20 para. 1
	DecisionClearDays    = 15 // 工伤保险条例 art. 20 para. 2 (clear facts)
	GradingDays          = 60 // 工伤保险条例 art. 25
	GradingExtensionDays = 30 // 工伤保险条例 art. 25
	AppealDays           = 15 // 工伤保险条例 art. 26: apply to the provincial committee
	RegradingYears       = 1  // 工伤保险条例 art. 28; 伤残抚恤管理办法: re-grading at least 1 year after the last
	PoliceGradingYears   = 3  // 伤残抚恤管理办法: first grading within 3 years of the injury
	LeaveMonths          = 12 // 工伤保险条例 art. 33
	LeaveExtensionMonths = 12 // 工伤保险条例 art. 33
)

// DefaultPolicy returns the documented defaults.
func DefaultPolicy() Policy {
	return Policy{
		AckWithin:          map[Severity]time.Duration{SeverityCritical: 15 * time.Minute, SeveritySerious: time.Hour, SeverityMinor: 4 * time.Hour},
		HandoffWithin:      map[Severity]time.Duration{SeverityCritical: time.Hour, SeveritySerious: 4 * time.Hour, SeverityMinor: 24 * time.Hour},
		AmberPercent:       20,
		UrgentWithin:       map[Severity]time.Duration{SeverityCritical: time.Hour, SeveritySerious: 30 * time.Minute},
		CommitteeAfterDays: 3 * 24 * time.Hour,
	}
}

// Validate lists every problem of the policy.
func (p Policy) Validate() error {
	var errs []error
	for _, s := range []Severity{SeverityCritical, SeveritySerious, SeverityMinor} {
		if p.AckWithin[s] <= 0 {
			errs = append(errs, fmt.Errorf("injury policy: acknowledgement deadline for %s must be positive", s))
		}
		if p.HandoffWithin[s] <= 0 {
			errs = append(errs, fmt.Errorf("injury policy: hand-off deadline for %s must be positive", s))
		}
	}
	for s, d := range p.UrgentWithin {
		if d < 0 {
			errs = append(errs, fmt.Errorf("injury policy: urgency window for %s must not be negative", s))
		}
	}
	if p.AmberPercent < 1 || p.AmberPercent > 99 {
		errs = append(errs, errors.New("injury policy: amber percent must be within 1..99"))
	}
	if p.CommitteeAfterDays <= 0 {
		errs = append(errs, errors.New("injury policy: committee grace must be positive"))
	}
	return errors.Join(errs...)
}

func (p Policy) clock(kind ClockKind, start, due time.Time, committeeAfter time.Duration) SLAClock {
	span := due.Sub(start)
	amber := due.Add(-span * time.Duration(p.AmberPercent) / 100)
	return SLAClock{Kind: kind, StartedAt: start.UTC(), DueAt: due.UTC(), AmberAt: amber.UTC(), CommitteeAfter: committeeAfter}
}

func (p Policy) hourGrace(s Severity, span time.Duration) time.Duration {
	if d := p.CommitteeAfterHours[s]; d > 0 {
		return d
	}
	return span
}

// Acknowledgement starts the clock for a caseworker to acknowledge a new case.
func (p Policy) Acknowledgement(s Severity, now time.Time) SLAClock {
	d := p.AckWithin[s]
	return p.clock(ClockAcknowledgement, now, now.Add(d), p.hourGrace(s, d))
}

// Handoff starts the clock for confirming the hospital hand-off and the
// payment guarantee (treatment first, 工伤保险条例 art. 30).
func (p Policy) Handoff(s Severity, now time.Time) SLAClock {
	d := p.HandoffWithin[s]
	return p.clock(ClockHandoff, now, now.Add(d), p.hourGrace(s, d))
}

// UnitFiling starts the unit's 30-day filing clock from the injury date
// (工伤保险条例 art. 17 para. 1).
func (p Policy) UnitFiling(injuryDate time.Time) SLAClock {
	return p.dayClock(ClockUnitFiling, injuryDate, p.lastDay(injuryDate.AddDate(0, 0, UnitFilingDays)))
}

// MemberFiling starts the member's own 1-year filing clock (art. 17 para. 2).
func (p Policy) MemberFiling(injuryDate time.Time) SLAClock {
	return p.dayClock(ClockMemberFiling, injuryDate, p.lastDay(AddMonths(injuryDate, 12*MemberFilingYears)))
}

// Acceptance starts the authority's 15-day clock to accept or ask once for
// missing papers, from filing or from the papers' supplement (工伤认定办法 art. 8).
func (p Policy) Acceptance(from time.Time) SLAClock {
	return p.dayClock(ClockAcceptance, from, p.lastDay(from.AddDate(0, 0, AcceptanceDays)))
}

// Decision starts the 60-day (15 for clear facts) decision clock from
// acceptance (工伤保险条例 art. 20).
func (p Policy) Decision(acceptedOn time.Time, clearFacts bool) SLAClock {
	days := DecisionDays
	if clearFacts {
		days = DecisionClearDays
	}
	return p.dayClock(ClockDecision, acceptedOn, p.lastDay(acceptedOn.AddDate(0, 0, days)))
}

// Grading starts the 60-day disability grading clock (art. 25).
func (p Policy) Grading(appliedOn time.Time) SLAClock {
	return p.dayClock(ClockGrading, appliedOn, p.lastDay(appliedOn.AddDate(0, 0, GradingDays)))
}

// Appeal starts the window in which the applicant may ask the provincial
// committee for a re-assessment (再次鉴定) of a municipal conclusion.
// 工伤保险条例 art. 26: "可以在收到该鉴定结论之日起15日内" — we read it as 15
// calendar days counted from the day the conclusion was received, that day
// not counted (民法典 art. 201): received on 1 June, the last day is 16 June.
// A last day on a rest day moves to the next working day when the policy
// has a calendar (民法典 art. 203), as for every day-counted clock.
func (p Policy) Appeal(receivedOn time.Time) SLAClock {
	return p.dayClock(ClockAppeal, receivedOn, p.lastDay(receivedOn.AddDate(0, 0, AppealDays)))
}

// RegradingFrom is the first day a re-assessment may be applied for after a
// conclusion made on gradedOn. 工伤保险条例 art. 28 (复查鉴定, "自劳动能力鉴定
// 结论作出之日起1年后") and 伤残抚恤管理办法 (调整残疾等级, at least 1 year after
// the last grading): we read "1 year after" as the corresponding day a year
// later (民法典 art. 202 via AddMonths; 29 Feb gives 28 Feb), so a
// conclusion of 1 June 2026 allows an application from 1 June 2027, 365
// days later, and refuses one on 31 May 2027.
func RegradingFrom(gradedOn time.Time) time.Time {
	return AddMonths(gradedOn, 12*RegradingYears)
}

// PoliceGrading starts the 3-year clock for a police officer's first
// disability grading under 伤残抚恤管理办法.
func (p Policy) PoliceGrading(injuryDate time.Time) SLAClock {
	return p.dayClock(ClockPoliceGrading, injuryDate, p.lastDay(AddMonths(injuryDate, 12*PoliceGradingYears)))
}

// InjuryLeave starts the clock that ends with the last day of injury leave.
// The leave end is not moved by the calendar: pay runs to the exact day.
func (p Policy) InjuryLeave(start, lastDay time.Time) SLAClock {
	return p.dayClock(ClockInjuryLeave, start, lastDay)
}

// dayClock runs from the start of from's day to the end of lastDay, both in
// Asia/Shanghai.
func (p Policy) dayClock(kind ClockKind, from, lastDay time.Time) SLAClock {
	return p.clock(kind, startOfDay(from), startOfDay(lastDay.AddDate(0, 0, 1)), p.CommitteeAfterDays)
}

// lastDay moves a deadline's last day off rest days when a calendar is set.
func (p Policy) lastDay(d time.Time) time.Time {
	if p.Calendar == nil {
		return d
	}
	for i := 0; i < 31 && !p.Calendar.Workday(d); i++ {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// startOfDay is the instant a date (midnight UTC) begins in Asia/Shanghai.
func startOfDay(date time.Time) time.Time {
	y, m, d := date.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, clock.Shanghai).UTC()
}

// AddMonths adds n months to a date the way Chinese law counts periods (民法典
// art. 202): the corresponding day of the final month, or its last day when
// that month has no such day (31 Jan + 1 month = 28/29 Feb).
func AddMonths(date time.Time, n int) time.Time {
	y, m, d := date.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	if d > last {
		d = last
	}
	return time.Date(first.Year(), first.Month(), d, 0, 0, 0, 0, time.UTC)
}

// Clock returns the active clock of a kind, or nil.
func (c *Case) Clock(kind ClockKind) *SLAClock {
	for i := range c.Clocks {
		if c.Clocks[i].Kind == kind && c.Clocks[i].Active() {
			return &c.Clocks[i]
		}
	}
	return nil
}

// lastClock returns the most recent clock of a kind, active or not, or nil.
func (c *Case) lastClock(kind ClockKind) *SLAClock {
	for i := len(c.Clocks) - 1; i >= 0; i-- {
		if c.Clocks[i].Kind == kind {
			return &c.Clocks[i]
		}
	}
	return nil
}

// stopClock stops the active clock of a kind, if any.
func (c *Case) stopClock(kind ClockKind, now time.Time) {
	if k := c.Clock(kind); k != nil {
		k.Stop(now)
	}
}

// startClock adds a clock, first cancelling an active one of the same kind:
// at most one clock of a kind runs at a time (a unique index in the store
// enforces it too).
func (c *Case) startClock(k SLAClock, now time.Time) {
	if old := c.Clock(k.Kind); old != nil {
		old.Cancel(now)
	}
	c.Clocks = append(c.Clocks, k)
}

// WorstStatus is the most urgent colour among the case's clocks, for the queue.
func (c *Case) WorstStatus(now time.Time) ClockStatus {
	rank := map[ClockStatus]int{StatusDone: 0, StatusPaused: 1, StatusGreen: 2, StatusAmber: 3, StatusRed: 4}
	worst := StatusDone
	for i := range c.Clocks {
		if s := c.Clocks[i].Status(now); rank[s] > rank[worst] {
			worst = s
		}
	}
	return worst
}
