package domain

import (
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/plausible"
)

// RequestStatus is the state of a leave request.
type RequestStatus string

// Request states. pending → approved, or pending → pending_second → approved
// when the request is longer than Policy.SecondLevelAboveDays; rejected and
// cancelled are final.
const (
	StatusPending       RequestStatus = "pending"
	StatusPendingSecond RequestStatus = "pending_second"
	StatusApproved      RequestStatus = "approved"
	StatusRejected      RequestStatus = "rejected"
	StatusCancelled     RequestStatus = "cancelled"
)

// Active reports whether a request in this state occupies its dates: an
// active request blocks overlapping ones.
func (s RequestStatus) Active() bool {
	return s == StatusPending || s == StatusPendingSecond || s == StatusApproved
}

// Outcome is what a decision did.
type Outcome string

// Decision outcomes.
const (
	OutcomeApproved  Outcome = "approved"
	OutcomeRejected  Outcome = "rejected"
	OutcomeCancelled Outcome = "cancelled"
)

// Decision is one step of a request's history, append-only.
type Decision struct {
	Level int
	Actor string
	// ActorName is who decided, as they were named when they did; for
	// display only.
	ActorName string
	Outcome   Outcome
	Comment   string
	At        time.Time
}

// LeaveRequest is a member's request for annual leave.
type LeaveRequest struct {
	ID       string
	MemberID string
	// MemberName is the member's name as projected, for display only.
	MemberName string
	UnitID     string
	From, To   time.Time
	// Days is the working days the request takes, from the work calendar.
	Days int
	// RestoredDays were given back because injury leave overlapped the
	// request after approval (停工留薪期 does not consume annual leave).
	RestoredDays int
	Reason       string
	Status       RequestStatus
	// SecondLevel is true when the request needs a second approval.
	SecondLevel bool
	Decisions   []Decision
	CreatedAt   time.Time
	Version     int64
	// ProvisionalCalendar is true when Days were counted with a
	// provisional calendar (no official calendar for the year yet): the
	// days stay as counted, and pages say how they were counted.
	ProvisionalCalendar bool
}

// ApplyInput is what a member sends to request leave.
type ApplyInput struct {
	From   time.Time
	To     time.Time
	Reason string
}

// Validate checks the input's fields against today (the Shanghai date).
func (in ApplyInput) Validate(today time.Time) error {
	var ps fielderr.List
	validatePeriod(&ps, in.From, in.To)
	if !in.From.IsZero() && IsDate(in.From) && in.From.Before(today) {
		ps.Add("from", CodeInPast)
	} else {
		checkLeaveWindow(&ps, today, "from", in.From)
	}
	checkLeaveWindow(&ps, today, "to", in.To)
	if len([]rune(in.Reason)) > MaxReasonLen {
		ps.Add("reason", CodeTooLong, MaxReasonLen)
	}
	return ps.Err()
}

// checkLeaveWindow refuses a day of leave outside the plausible window
// (plausible.Leave: from 2000 to two years after today), naming the
// window: a mistyped year must not book or plan leave in 2206.
func checkLeaveWindow(ps *fielderr.List, today time.Time, field string, d time.Time) {
	if d.IsZero() || !IsDate(d) {
		return
	}
	if r := plausible.Leave(today); !r.Contains(d) {
		ps.Add(field, CodeOutOfRange, r.Args()...)
	}
}

func validatePeriod(ps *fielderr.List, from, to time.Time) {
	switch {
	case from.IsZero():
		ps.Add("from", CodeRequired)
	case !IsDate(from):
		ps.Add("from", CodeNotDate)
	}
	switch {
	case to.IsZero():
		ps.Add("to", CodeRequired)
	case !IsDate(to):
		ps.Add("to", CodeNotDate)
	case IsDate(from) && to.Before(from):
		ps.Add("to", CodeDateOrder)
	}
}

// Quote is what a request for a period would take, shown before it is sent.
type Quote struct {
	From, To     time.Time
	Days         int
	Available    int
	BalanceAfter int
	SecondLevel  bool
	// Provisional is true when the days were counted with a provisional
	// calendar.
	Provisional bool
	// ProjectedBalance is true when Available includes an entitlement the
	// year-end rollover has not booked yet (Balance.Projected).
	ProjectedBalance bool
}

// QuoteRequest counts the working days of [from, to] with the calendar and
// compares them with the balance. The period must lie in one leave year: each
// year has its own balance (the leave year is the calendar year).
func QuoteRequest(p Policy, cals Calendars, from, to time.Time, bal Balance) (Quote, error) {
	if from.Year() != to.Year() {
		return Quote{}, ErrSpansYears
	}
	days, err := cals.CountWorkingDays(from, to)
	if err != nil {
		return Quote{}, err
	}
	return Quote{
		From: from, To: to, Days: days, Available: bal.Available, BalanceAfter: bal.Available - days,
		SecondLevel: days > p.SecondLevelAboveDays, Provisional: cals.Provisional(from, to),
		ProjectedBalance: bal.Projected,
	}, nil
}

// Overlaps reports whether two inclusive date ranges share a day.
func Overlaps(aFrom, aTo, bFrom, bTo time.Time) bool {
	return !aFrom.After(bTo) && !bFrom.After(aTo)
}

// NewRequest applies the rules of a new request: the member is employed for
// the whole period, the period has working days, overlaps no other active
// request or injury leave, and does not exceed the available balance (which
// already holds the member's pending requests). bal must be the balance of the
// request's year on today.
func NewRequest(p Policy, cals Calendars, m Member, in ApplyInput, bal Balance,
	existing []LeaveRequest, injuries []InjuryLeave, id string, now time.Time,
) (LeaveRequest, error) {
	if !m.ActiveOn(in.From) || !m.ActiveOn(in.To) {
		return LeaveRequest{}, ErrMemberInactive
	}
	q, err := QuoteRequest(p, cals, in.From, in.To, bal)
	if err != nil {
		return LeaveRequest{}, err
	}
	if q.Days == 0 {
		return LeaveRequest{}, ErrNoWorkingDays
	}
	for _, r := range existing {
		if r.MemberID == m.ID && r.Status.Active() && Overlaps(in.From, in.To, r.From, r.To) {
			return LeaveRequest{}, Detail(ErrOverlap, r.From, r.To)
		}
	}
	for _, inj := range injuries {
		if inj.MemberID == m.ID && Overlaps(in.From, in.To, inj.From, inj.To) {
			return LeaveRequest{}, Detail(ErrOverlapInjury, inj.From, inj.To)
		}
	}
	if q.Days > bal.Available {
		return LeaveRequest{}, Detail(ErrBalanceExceeded, q.Days, max(bal.Available, 0))
	}
	return LeaveRequest{
		ID: id, MemberID: m.ID, MemberName: m.Name, UnitID: m.UnitID, From: in.From, To: in.To, Days: q.Days,
		Reason: in.Reason, Status: StatusPending, SecondLevel: q.SecondLevel, CreatedAt: now, Version: 1,
		ProvisionalCalendar: q.Provisional,
	}, nil
}

// Approve records an approval by actor. It returns true when the request is
// now fully approved, and the caller then books the taking. bal is the
// balance of the request's year with this request among the pending ones: it
// is checked again because an adjustment may have lowered it since the
// request was made. The separation of duties is here; the role of the level
// (unit head for the first, approver for the second) is Decide's.
func (r *LeaveRequest) Approve(actor, comment string, bal Balance, now time.Time) (bool, error) {
	if actor == r.MemberID {
		return false, ErrSelfApproval
	}
	var level int
	switch r.Status {
	case StatusPending:
		level = 1
	case StatusPendingSecond:
		level = 2
		if first := r.lastDecision(); first != nil && first.Actor == actor {
			return false, ErrSameApprover
		}
	default:
		return false, ErrInvalidTransition
	}
	if err := checkComment(comment); err != nil {
		return false, err
	}
	if bal.Available < 0 {
		return false, Detail(ErrBalanceExceeded, r.Days, max(bal.Available+r.Days, 0))
	}
	r.Decisions = append(r.Decisions, Decision{Level: level, Actor: actor, Outcome: OutcomeApproved, Comment: comment, At: now})
	if level == 1 && r.SecondLevel {
		r.Status = StatusPendingSecond
		return false, nil
	}
	r.Status = StatusApproved
	return true, nil
}

func (r *LeaveRequest) lastDecision() *Decision {
	if len(r.Decisions) == 0 {
		return nil
	}
	return &r.Decisions[len(r.Decisions)-1]
}

// Reject ends a pending request; a reason is required so the member knows why.
func (r *LeaveRequest) Reject(actor, comment string, now time.Time) error {
	if actor == r.MemberID {
		return ErrSelfApproval
	}
	if r.Status != StatusPending && r.Status != StatusPendingSecond {
		return ErrInvalidTransition
	}
	if comment == "" {
		return fielderr.Fail("comment", CodeRequired)
	}
	if err := checkComment(comment); err != nil {
		return err
	}
	level := 1
	if r.Status == StatusPendingSecond {
		level = 2
	}
	r.Decisions = append(r.Decisions, Decision{Level: level, Actor: actor, Outcome: OutcomeRejected, Comment: comment, At: now})
	r.Status = StatusRejected
	return nil
}

// Cancel withdraws a request. A pending request can always be withdrawn; an
// approved one only before its first day. It returns the days to give back
// to the balance (zero unless the request had been approved).
func (r *LeaveRequest) Cancel(actor, comment string, today, now time.Time) (int, error) {
	switch r.Status {
	case StatusPending, StatusPendingSecond:
	case StatusApproved:
		if !today.Before(r.From) {
			return 0, Detail(ErrAlreadyStarted, r.From)
		}
	default:
		return 0, ErrInvalidTransition
	}
	if err := checkComment(comment); err != nil {
		return 0, err
	}
	restore := 0
	if r.Status == StatusApproved {
		restore = r.Days - r.RestoredDays
	}
	r.Decisions = append(r.Decisions, Decision{Actor: actor, Outcome: OutcomeCancelled, Comment: comment, At: now})
	r.Status = StatusCancelled
	return restore, nil
}

// checkComment holds a decision's comment to what is stored (at most
// MaxReasonLen characters), whichever the decision: a longer one is the
// caller's mistake, named by its field, not a failed write.
func checkComment(comment string) error {
	if len([]rune(comment)) > MaxReasonLen {
		return fielderr.Fail("comment", CodeTooLong, MaxReasonLen)
	}
	return nil
}

// TakingEntry is the ledger entry booked when a request is approved.
func (r *LeaveRequest) TakingEntry(actor string, today, now time.Time) LedgerEntry {
	return LedgerEntry{
		MemberID: r.MemberID, Year: r.From.Year(), Kind: KindTaking, Days: -r.Days,
		EffectiveOn: BalanceDate(r.From.Year(), today), RequestID: r.ID, CreatedBy: actor, CreatedAt: now,
	}
}

// ReversalEntry is the ledger entry that gives days back to the balance.
func (r *LeaveRequest) ReversalEntry(days int, reason, actor string, today, now time.Time) LedgerEntry {
	return LedgerEntry{
		MemberID: r.MemberID, Year: r.From.Year(), Kind: KindTakingReversal, Days: days,
		EffectiveOn: BalanceDate(r.From.Year(), today), Reason: reason, RequestID: r.ID, CreatedBy: actor, CreatedAt: now,
	}
}

// BalanceDate is the day a year's balance is read on when today is today:
// today inside the year, 31 December for a past year and 1 January for a
// future one. Entries booked for another year's request take the same date,
// so a request for next January approved in December counts from 1 January.
func BalanceDate(year int, today time.Time) time.Time {
	return maxDate(minDate(today, yearEnd(year)), yearStart(year))
}

// Steps a caller may take on a request, as Actions reports them.
const (
	ActionApprove = "approve"
	ActionReject  = "reject"
	ActionCancel  = "cancel"
)

// Caller is who asks what they may do with a request, a stay or a health
// check: their user id, the member they are (officers only), the roles they
// hold in the object's unit, and their name as a decision records it.
type Caller struct {
	UserID   string
	MemberID string
	UnitHead bool
	Approver bool
	// Caseworker and Medical are the caseworker and medical caseworker
	// roles in the object's unit (stays and health checks).
	Caseworker bool
	Medical    bool
	Name       string
}

// owns reports whether c is the member memberID (an officer acting on
// their own booking or request).
func (c Caller) owns(memberID string) bool { return c.MemberID != "" && c.MemberID == memberID }

// MayDecide reports whether the caller holds the role that decides r at
// its current level: the unit head for the first, an approver for the second.
func (r LeaveRequest) MayDecide(c Caller) bool {
	switch r.Status {
	case StatusPending:
		return c.UnitHead
	case StatusPendingSecond:
		return c.Approver
	}
	return false
}

// Actions are the steps c may take on r today, in the order a page offers
// them: exactly those the service would accept, so a page never shows a
// button that ends in a refusal. A decision needs the level's role, not
// one's own request and, at the second level, not the first approver.
func (r LeaveRequest) Actions(c Caller, today time.Time) []string {
	out := []string{}
	own := c.MemberID != "" && c.MemberID == r.MemberID
	if r.MayDecide(c) && !own {
		last := r.lastDecision()
		if r.Status != StatusPendingSecond || last == nil || last.Actor != c.UserID {
			out = append(out, ActionApprove, ActionReject)
		}
	}
	if own {
		switch r.Status {
		case StatusPending, StatusPendingSecond:
			out = append(out, ActionCancel)
		case StatusApproved:
			if today.Before(r.From) {
				out = append(out, ActionCancel)
			}
		}
	}
	return out
}
