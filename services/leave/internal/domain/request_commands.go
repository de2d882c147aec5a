package domain

import (
	"fmt"
	"time"
)

// The decisions on a leave request (approve, reject, cancel) as commands:
// who may take one, under which id it is recorded, and what it changes.
// The application layer (internal/commands) runs them on the request and
// the balance read under the member's lock, and saves the change through
// the store's UpdateRequest with its ledger entries, events and audit row
// in one transaction.

// RequestDecision is one decision on a request: the action (ActionApprove,
// ActionReject or ActionCancel), the caller taking it (their roles as they
// hold them in the request's unit) and their comment.
type RequestDecision struct {
	Action  string
	By      Caller
	Comment string
}

// RequestEvent is a fact a decision announces to other services.
type RequestEvent string

// The facts a decision on a request announces.
const (
	// EventRequestApproved: the request is fully approved (leave.approved).
	EventRequestApproved RequestEvent = "leave.approved"
	// EventRequestRejected: the request was refused at its level
	// (leave.rejected).
	EventRequestRejected RequestEvent = "leave.rejected"
)

// RequestChange is what a decision did to a request, beyond the request's
// new status and its new last decision: the ledger entries to book and the
// events to announce.
type RequestChange struct {
	// Action is the decision's action, as RequestDecision named it.
	Action string
	// Actor is who the decision is recorded under (see Decide).
	Actor string
	// Entries are the balance ledger entries to book: the taking of a fully
	// approved request, the days given back by a cancelled approved one.
	Entries []LedgerEntry
	// Events are the facts to announce, in order.
	Events []RequestEvent
}

// Permits reports whether c may take action on r as it stands: approving
// and rejecting need the role of r's current level in r's unit (MayDecide);
// only the member cancels their own request.
func (r LeaveRequest) Permits(action string, c Caller) bool {
	switch action {
	case ActionApprove, ActionReject:
		return r.MayDecide(c)
	case ActionCancel:
		return c.MemberID == r.MemberID
	}
	return false
}

// Refusal is why c may not take action on r, nil when c may: a decision
// by an approver on a request no longer waiting for one is a conflict of
// state (someone decided it first, or it was cancelled), not a lack of
// right; anything else c may not do is forbidden.
func (r LeaveRequest) Refusal(action string, c Caller) error {
	if r.Permits(action, c) {
		return nil
	}
	if (action == ActionApprove || action == ActionReject) && (c.UnitHead || c.Approver) &&
		r.Status != StatusPending && r.Status != StatusPendingSecond {
		return ErrInvalidTransition
	}
	return ErrForbidden
}

// actorOf is who a decision by c is recorded under: on one's own request
// (and every cancellation is one) the member id, which is what the
// self-approval rule compares; else the user id.
func (r LeaveRequest) actorOf(action string, c Caller) string {
	if action == ActionCancel || (c.MemberID != "" && c.MemberID == r.MemberID) {
		return c.MemberID
	}
	return c.UserID
}

// Decide applies d to r on the state read under the member's lock: bal is
// the balance of the request's year with r among the pending requests,
// today the Shanghai date, now the instant recorded.
//
// An approval that completes the chain books the taking and announces
// leave.approved; a rejection announces leave.rejected; a cancellation of
// an approved request gives its days (less those already given back) back.
// The decision is recorded with the caller's name. A caller d.By may not
// take the action is ErrForbidden (checked again here, on fresh state: the
// request may have moved to another level since the caller read it). On
// any error r is unchanged.
func (r *LeaveRequest) Decide(d RequestDecision, bal Balance, today, now time.Time) (RequestChange, error) {
	if err := r.Refusal(d.Action, d.By); err != nil {
		return RequestChange{}, err
	}
	actor := r.actorOf(d.Action, d.By)
	ch := RequestChange{Action: d.Action, Actor: actor}
	switch d.Action {
	case ActionApprove:
		final, err := r.Approve(actor, d.Comment, bal, now)
		if err != nil {
			return RequestChange{}, err
		}
		if final {
			ch.Entries = append(ch.Entries, r.TakingEntry(actor, today, now))
			ch.Events = append(ch.Events, EventRequestApproved)
		}
	case ActionReject:
		if err := r.Reject(actor, d.Comment, now); err != nil {
			return RequestChange{}, err
		}
		ch.Events = append(ch.Events, EventRequestRejected)
	case ActionCancel:
		restore, err := r.Cancel(actor, d.Comment, today, now)
		if err != nil {
			return RequestChange{}, err
		}
		if restore > 0 {
			ch.Entries = append(ch.Entries, r.ReversalEntry(restore, "leave.reason.cancelled", actor, today, now))
		}
	default:
		return RequestChange{}, fmt.Errorf("leave request: unknown action %q", d.Action)
	}
	r.Decisions[len(r.Decisions)-1].ActorName = d.By.Name
	return ch, nil
}
