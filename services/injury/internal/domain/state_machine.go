package domain

import (
	"slices"
	"time"

	"github.com/anxin-welfare/anxin/pkg/roles"
)

// Actor is who does something to a case.
type Actor struct {
	UserID   string
	MemberID string
	Name     string
	Roles    []roles.Role
	Units    []string
}

// Has reports whether the actor has any of the roles.
func (a Actor) Has(want ...roles.Role) bool { return roles.Has(a.Roles, want...) }

// Access is how much of a case an actor may see.
type Access int

// Access levels, from none to everything.
const (
	// AccessNone: the case answers 404.
	AccessNone Access = iota
	// AccessReporter: a colleague who opened the case sees only what they
	// entered (the report and its state), not documents, clocks or money.
	AccessReporter
	// AccessMember: the injured member (or their family) sees their case,
	// its timeline and documents.
	AccessMember
	// AccessStaff: caseworkers, unit heads and approvers of the case's unit.
	AccessStaff
)

// AccessFor decides what the actor may see of the case.
func (c *Case) AccessFor(a Actor) Access {
	if a.Has(roles.Caseworker, roles.UnitHead, roles.Approver) && slices.Contains(a.Units, c.UnitID) {
		return AccessStaff
	}
	if c.MemberID != "" && a.MemberID == c.MemberID && a.Has(roles.Officer, roles.Family) {
		return AccessMember
	}
	if a.UserID != "" && a.UserID == c.Reporter.UserID {
		return AccessReporter
	}
	return AccessNone
}

// Action is a step on a case. Some change its state, others record a fact
// inside the current state.
type Action string

// Actions.
const (
	ActAcknowledge         Action = "acknowledge"
	ActConfirmHandoff      Action = "confirm_handoff"
	ActRecordGuarantee     Action = "record_guarantee"
	ActIdentifyMember      Action = "identify_member"
	ActFileDetermination   Action = "file_determination"
	ActRequestDocuments    Action = "request_documents"
	ActSupplementDocuments Action = "supplement_documents"
	ActAcceptFiling        Action = "accept_filing"
	ActPauseDecision       Action = "pause_decision"
	ActResumeDecision      Action = "resume_decision"
	ActDecide              Action = "decide"
	ActRequestGrading      Action = "request_grading"
	ActExtendGrading       Action = "extend_grading"
	ActRecordGrade         Action = "record_grade"
	ActFileAppeal          Action = "file_appeal"
	ActRequestRegrading    Action = "request_regrading"
	ActStartLeave          Action = "start_leave"
	ActExtendLeave         Action = "extend_leave"
	ActEndLeave            Action = "end_leave"
	ActClose               Action = "close"
)

// EventType names an integration event the case emits.
type EventType string

// Event types published on the bus.
const (
	EventOpened     EventType = "case.opened"
	EventEscalated  EventType = "case.escalated"
	EventDetermined EventType = "case.determined"
	EventGraded     EventType = "case.graded"
	EventClosed     EventType = "case.closed"
)

var (
	staff      = []roles.Role{roles.Caseworker}
	unitStaff  = []roles.Role{roles.Caseworker, roles.UnitHead}
	ownOrStaff = []roles.Role{roles.Caseworker, roles.UnitHead, roles.Officer, roles.Family}
	allOpen    = []State{StateTriage, StateTreatment, StateDeterminationFiling, StateDeterminationDecided, StateDisabilityGrading}
	afterCare  = []State{StateTreatment, StateDeterminationFiling, StateDeterminationDecided, StateDisabilityGrading}
)

// rule is one row of the transition table: from which states, by which roles,
// and what else must hold at now (guard returns why not when it does not).
type rule struct {
	from  []State
	roles []roles.Role
	guard func(c *Case, now time.Time) reason
}

// reason says why a step is not available: a catalogue key and the
// arguments of its message (e.g. the date a window closed). The zero
// reason means the step is available.
type reason struct {
	code string
	args []any
}

// rules is the transition table. Order is the order next steps are offered.
var rules = map[Action]rule{
	ActAcknowledge: {from: []State{StateTriage}, roles: unitStaff, guard: func(c *Case, _ time.Time) reason {
		return when(!c.AcknowledgedAt.IsZero(), "injury.already_acknowledged")
	}},
	ActConfirmHandoff:  {from: []State{StateTriage}, roles: unitStaff},
	ActRecordGuarantee: {from: afterCare, roles: unitStaff},
	ActIdentifyMember: {from: allOpen, roles: staff, guard: func(c *Case, _ time.Time) reason {
		return when(c.MemberID != "", "injury.member_already_identified")
	}},
	ActFileDetermination: {from: []State{StateTreatment}, roles: ownOrStaff, guard: func(c *Case, _ time.Time) reason {
		return when(c.MemberID == "", "injury.member_not_identified")
	}},
	ActRequestDocuments: {from: []State{StateDeterminationFiling}, roles: staff, guard: func(c *Case, _ time.Time) reason {
		d := c.Determination
		return firstOf(when(!d.AcceptedOn.IsZero(), "injury.filing_already_accepted"),
			when(d.DocumentsRequested, "injury.documents_already_requested"))
	}},
	ActSupplementDocuments: {from: []State{StateDeterminationFiling}, roles: ownOrStaff, guard: func(c *Case, _ time.Time) reason {
		d := c.Determination
		return firstOf(when(!d.DocumentsRequested, "injury.documents_not_requested"),
			when(!d.AcceptedOn.IsZero(), "injury.filing_already_accepted"),
			when(c.Clock(ClockAcceptance) != nil, "injury.documents_already_supplemented"))
	}},
	ActAcceptFiling: {from: []State{StateDeterminationFiling}, roles: staff, guard: func(c *Case, _ time.Time) reason {
		d := c.Determination
		return firstOf(when(!d.AcceptedOn.IsZero(), "injury.filing_already_accepted"),
			when(d.DocumentsRequested && c.Clock(ClockAcceptance) == nil, "injury.documents_awaited"))
	}},
	ActPauseDecision: {from: []State{StateDeterminationFiling}, roles: staff, guard: func(c *Case, _ time.Time) reason {
		d := c.Determination
		return firstOf(when(d.AcceptedOn.IsZero(), "injury.filing_not_accepted"), when(d.Paused, "injury.decision_paused"))
	}},
	ActResumeDecision: {from: []State{StateDeterminationFiling}, roles: staff, guard: func(c *Case, _ time.Time) reason {
		return when(!c.Determination.Paused, "injury.decision_not_paused")
	}},
	ActDecide: {from: []State{StateDeterminationFiling}, roles: staff, guard: func(c *Case, _ time.Time) reason {
		d := c.Determination
		return firstOf(when(d.AcceptedOn.IsZero(), "injury.filing_not_accepted"), when(d.Paused, "injury.decision_paused"))
	}},
	ActRequestGrading: {from: []State{StateDeterminationDecided}, roles: ownOrStaff, guard: func(c *Case, _ time.Time) reason {
		return when(!c.Determination.Outcome.Covered(), "injury.not_a_work_injury")
	}},
	ActExtendGrading: {from: []State{StateDisabilityGrading}, roles: staff, guard: func(c *Case, _ time.Time) reason {
		g := c.Grading
		return firstOf(when(!g.Pending, "injury.already_graded"), when(g.Extended, "injury.grading_already_extended"))
	}},
	ActRecordGrade: {from: []State{StateDisabilityGrading}, roles: staff, guard: func(c *Case, _ time.Time) reason {
		return when(!c.Grading.Pending, "injury.already_graded")
	}},
	// Art. 26: the unit or the person who applied may appeal a municipal
	// conclusion; the provincial one is final.
	ActFileAppeal: {from: []State{StateDisabilityGrading}, roles: ownOrStaff, guard: func(c *Case, now time.Time) reason {
		g := c.Grading
		return firstOf(when(g.Pending, "injury.grading_pending"),
			when(g.Round == RoundAppeal, "injury.grading_final"),
			c.appealClosed(now))
	}},
	// Art. 28: the member, family, unit or agency may ask for a re-grading
	// a year after the last conclusion.
	ActRequestRegrading: {from: []State{StateDisabilityGrading}, roles: ownOrStaff, guard: func(c *Case, now time.Time) reason {
		g := c.Grading
		from := g.RegradingFrom()
		return firstOf(when(g.Pending, "injury.grading_pending"),
			when(dateOf(now).Before(from), "injury.regrading_too_early", from.Format(time.DateOnly)))
	}},
	ActStartLeave: {from: afterCare, roles: staff, guard: func(c *Case, _ time.Time) reason {
		return when(c.Leave.Active(), "injury.leave_already_started")
	}},
	ActExtendLeave: {from: afterCare, roles: staff, guard: func(c *Case, _ time.Time) reason {
		l := c.Leave
		return firstOf(when(!l.Active(), "injury.leave_not_started"), when(!l.EndedEarlyOn.IsZero(), "injury.leave_ended"),
			when(l.ExtendedMonths >= LeaveExtensionMonths, "injury.leave_extension_exhausted"))
	}},
	ActEndLeave: {from: afterCare, roles: staff, guard: func(c *Case, _ time.Time) reason {
		l := c.Leave
		return firstOf(when(!l.Active(), "injury.leave_not_started"), when(!l.EndedEarlyOn.IsZero(), "injury.leave_ended"))
	}},
	ActClose: {from: allOpen, roles: staff, guard: func(c *Case, now time.Time) reason {
		grading := c.State == StateDisabilityGrading
		// Closing cancels the clocks: it waits until the conclusion is
		// final, so the member's appeal window is never cut short.
		return firstOf(when(grading && c.Grading.Pending, "injury.grading_pending"),
			when(grading && c.appealOpen(now), "injury.appeal_window_open", c.appealLastDay().Format(time.DateOnly)))
	}},
}

// actionOrder is the order next steps are listed in.
var actionOrder = []Action{
	ActAcknowledge, ActConfirmHandoff, ActRecordGuarantee, ActIdentifyMember, ActFileDetermination,
	ActRequestDocuments, ActSupplementDocuments, ActAcceptFiling, ActPauseDecision, ActResumeDecision,
	ActDecide, ActRequestGrading, ActExtendGrading, ActRecordGrade, ActFileAppeal, ActRequestRegrading,
	ActStartLeave, ActExtendLeave, ActEndLeave, ActClose,
}

// Actions lists every action in order, for schemas and documentation.
func Actions() []Action { return slices.Clone(actionOrder) }

func when(cond bool, code string, args ...any) reason {
	if cond {
		return reason{code: code, args: args}
	}
	return reason{}
}

func firstOf(reasons ...reason) reason {
	for _, r := range reasons {
		if r.code != "" {
			return r
		}
	}
	return reason{}
}

// appealOpen reports whether the appeal window of the last municipal
// conclusion is open at now. The sweeper lapses the clock at its deadline;
// until it has, the deadline itself decides.
func (c *Case) appealOpen(now time.Time) bool {
	k := c.Clock(ClockAppeal)
	return k != nil && now.Before(k.DueAt)
}

// appealLastDay is the last day of the latest appeal window; for a
// conclusion recorded before windows were tracked, 15 days after receipt.
func (c *Case) appealLastDay() time.Time {
	if k := c.lastClock(ClockAppeal); k != nil {
		return k.LastDay()
	}
	return c.Grading.ReceivedOn.AddDate(0, 0, AppealDays)
}

// appealClosed is why an appeal cannot be filed at now, if the window is
// the reason: it closed (or was never opened) on its last day.
func (c *Case) appealClosed(now time.Time) reason {
	return when(!c.appealOpen(now), "injury.appeal_window_closed", c.appealLastDay().Format(time.DateOnly))
}

// permitted reports whether the state and guards allow the action at now,
// and if not, why (the zero reason for a wrong state).
func (c *Case) permitted(a Action, now time.Time) (bool, reason) {
	r, ok := rules[a]
	if !ok || !slices.Contains(r.from, c.State) {
		return false, reason{}
	}
	if r.guard != nil {
		if why := r.guard(c, now); why.code != "" {
			return false, why
		}
	}
	return true, reason{}
}

// mayAct reports whether the actor's roles let them take the action. Officer
// and family roles act only on their own case; staff only in their units.
func (c *Case) mayAct(a Action, who Actor) bool {
	r := rules[a]
	for _, role := range r.roles {
		if !who.Has(role) {
			continue
		}
		switch role {
		case roles.Officer, roles.Family:
			if c.MemberID != "" && who.MemberID == c.MemberID {
				return true
			}
		default:
			if slices.Contains(who.Units, c.UnitID) {
				return true
			}
		}
	}
	return false
}

// NextActions lists what the actor may do next on the case at now (some
// steps depend on the date: the appeal window, the re-grading year).
func (c *Case) NextActions(who Actor, now time.Time) []Action {
	var out []Action
	for _, a := range actionOrder {
		if ok, _ := c.permitted(a, now); ok && c.mayAct(a, who) {
			out = append(out, a)
		}
	}
	return out
}

// check returns a ForbiddenError when the actor's roles never allow the
// action on this case, or a TransitionError when its state does not now.
func (c *Case) check(a Action, who Actor, now time.Time) error {
	// Roles first: a step the actor may never take is a 403 whatever the
	// state, and the 409 below then always lists steps they can take.
	if !c.mayAct(a, who) {
		return &ForbiddenError{Action: a}
	}
	ok, why := c.permitted(a, now)
	if !ok {
		return &TransitionError{Action: a, State: c.State, Allowed: c.NextActions(who, now), Reason: why.code, ReasonArgs: why.args}
	}
	return nil
}

// Command is one action with its input. The interface is sealed: only the
// commands of this package implement it, so Apply handles every one.
type Command interface {
	Action() Action
	apply(c *Case, who Actor, now time.Time, p Policy, ch *Change)
}

// Change is what applying a command did: the timeline entry and the events
// the store writes to the outbox in the same transaction.
type Change struct {
	Action Action
	From   State
	To     State
	Events []EventType
}

// Apply runs a command against the case: it checks the state, the actor's
// roles and the input, then mutates the case and its clocks. On any error
// the case is unchanged.
func (c *Case) Apply(cmd Command, who Actor, now time.Time, policy Policy) (Change, error) {
	a := cmd.Action()
	if err := c.check(a, who, now); err != nil {
		return Change{}, err
	}
	today := dateOf(now)
	if v, ok := cmd.(interface {
		validate(*Case, Actor, time.Time) error
	}); ok {
		if err := v.validate(c, who, today); err != nil {
			return Change{}, err
		}
	}
	ch := Change{Action: a, From: c.State}
	cmd.apply(c, who, now, policy, &ch)
	ch.To = c.State
	c.Version++
	return ch, nil
}
