package domain_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// TestDecide runs the decisions as the command layer does: who may take
// each, who it is recorded under, and what it books and announces.
func TestDecide(t *testing.T) {
	t.Parallel()
	head := domain.Caller{UserID: "u-head", UnitHead: true, Name: "赵所长"}
	boss := domain.Caller{UserID: "u-boss", Approver: true, Name: "陈书记"}
	headAndBoss := domain.Caller{UserID: "u-both", UnitHead: true, Approver: true}
	officer := domain.Caller{UserID: "u-m1", MemberID: "m1", Name: "张警官"}
	// A unit head who is also the member the request is about.
	ownHead := domain.Caller{UserID: "u-m1", MemberID: "m1", UnitHead: true}
	approved := func() domain.LeaveRequest {
		r := pending(3, false)
		r.Status = domain.StatusApproved
		r.Decisions = []domain.Decision{{Level: 1, Actor: "u-head", Outcome: domain.OutcomeApproved}}
		return r
	}
	atSecond := func() domain.LeaveRequest {
		r := pending(8, true)
		r.Status = domain.StatusPendingSecond
		r.Decisions = []domain.Decision{{Level: 1, Actor: "u-both", Outcome: domain.OutcomeApproved}}
		return r
	}
	tests := []struct {
		name      string
		req       domain.LeaveRequest
		decision  domain.RequestDecision
		today     string
		want      error
		status    domain.RequestStatus
		actor     string
		entries   []domain.EntryKind
		entryDays []int
		events    []domain.RequestEvent
	}{
		{name: "the unit head approves the only level", req: pending(3, false), decision: domain.RequestDecision{Action: domain.ActionApprove, By: head},
			status: domain.StatusApproved, actor: "u-head", entries: []domain.EntryKind{domain.KindTaking}, entryDays: []int{-3},
			events: []domain.RequestEvent{domain.EventRequestApproved}},
		{name: "a first level of two books nothing yet", req: pending(8, true), decision: domain.RequestDecision{Action: domain.ActionApprove, By: head},
			status: domain.StatusPendingSecond, actor: "u-head"},
		{name: "an approver may not take the first level", req: pending(3, false), decision: domain.RequestDecision{Action: domain.ActionApprove, By: boss},
			want: domain.ErrForbidden},
		{name: "a unit head may not take the second level", req: atSecond(), decision: domain.RequestDecision{Action: domain.ActionApprove, By: head},
			want: domain.ErrForbidden},
		{name: "the second level by another person", req: atSecond(), decision: domain.RequestDecision{Action: domain.ActionApprove, By: boss},
			status: domain.StatusApproved, actor: "u-boss", entries: []domain.EntryKind{domain.KindTaking}, entryDays: []int{-8},
			events: []domain.RequestEvent{domain.EventRequestApproved}},
		{name: "the second level by the first approver", req: atSecond(), decision: domain.RequestDecision{Action: domain.ActionApprove, By: headAndBoss},
			want: domain.ErrSameApprover},
		{name: "one's own request is recorded under the member and refused", req: pending(3, false),
			decision: domain.RequestDecision{Action: domain.ActionApprove, By: ownHead}, want: domain.ErrSelfApproval},
		{name: "a rejection announces itself", req: pending(3, false), decision: domain.RequestDecision{Action: domain.ActionReject, By: head, Comment: "人手紧"},
			status: domain.StatusRejected, actor: "u-head", events: []domain.RequestEvent{domain.EventRequestRejected}},
		{name: "a rejection needs a reason", req: pending(3, false), decision: domain.RequestDecision{Action: domain.ActionReject, By: head},
			want: domain.ErrValidation},
		{name: "the member cancels a pending request", req: pending(3, false), decision: domain.RequestDecision{Action: domain.ActionCancel, By: officer},
			status: domain.StatusCancelled, actor: "m1"},
		{name: "the member cancels an approved one and gets the days back", req: approved(), today: "2026-04-12",
			decision: domain.RequestDecision{Action: domain.ActionCancel, By: officer},
			status:   domain.StatusCancelled, actor: "m1", entries: []domain.EntryKind{domain.KindTakingReversal}, entryDays: []int{3}},
		{name: "too late to cancel", req: approved(), today: "2026-04-13", decision: domain.RequestDecision{Action: domain.ActionCancel, By: officer},
			want: domain.ErrAlreadyStarted},
		{name: "nobody cancels another's request", req: pending(3, false), decision: domain.RequestDecision{Action: domain.ActionCancel, By: head},
			want: domain.ErrForbidden},
		{name: "an unknown action", req: pending(3, false), decision: domain.RequestDecision{Action: "delete", By: head}, want: domain.ErrForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			today := d("2026-03-01")
			if tt.today != "" {
				today = d(tt.today)
			}
			r := tt.req
			before := r.Status
			nDecisions := len(r.Decisions)
			ch, err := r.Decide(tt.decision, balance(10, r.Days), today, now)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if err != nil {
				if r.Status != before || len(r.Decisions) != nDecisions {
					t.Fatalf("a refused decision changed the request: %+v", r)
				}
				return
			}
			if r.Status != tt.status || ch.Actor != tt.actor || ch.Action != tt.decision.Action {
				t.Fatalf("status %s, change %+v; want %s by %s", r.Status, ch, tt.status, tt.actor)
			}
			last := r.Decisions[len(r.Decisions)-1]
			if len(r.Decisions) != nDecisions+1 || last.Actor != tt.actor || last.ActorName != tt.decision.By.Name || last.At != now {
				t.Fatalf("decision recorded %+v, want one by %s (%s)", last, tt.actor, tt.decision.By.Name)
			}
			var kinds []domain.EntryKind
			var days []int
			for _, e := range ch.Entries {
				kinds, days = append(kinds, e.Kind), append(days, e.Days)
				if e.RequestID != r.ID || e.CreatedBy != tt.actor || e.Validate() != nil {
					t.Errorf("entry %+v: not the request's, not by %s, or invalid", e, tt.actor)
				}
			}
			if !slices.Equal(kinds, tt.entries) || !slices.Equal(days, tt.entryDays) {
				t.Errorf("entries %v %v, want %v %v", kinds, days, tt.entries, tt.entryDays)
			}
			if !slices.Equal(ch.Events, tt.events) {
				t.Errorf("events %v, want %v", ch.Events, tt.events)
			}
		})
	}
}

// TestPermitsMatchesActions: a page offers exactly the decisions the
// command accepts from the same caller (Actions and Permits agree on who
// may decide and who may cancel).
func TestPermitsMatchesActions(t *testing.T) {
	t.Parallel()
	callers := []domain.Caller{
		{UserID: "u-head", UnitHead: true}, {UserID: "u-boss", Approver: true},
		{UserID: "u-m1", MemberID: "m1"}, {UserID: "u-m2", MemberID: "m2"}, {UserID: "u-none"},
	}
	for _, st := range []domain.RequestStatus{domain.StatusPending, domain.StatusPendingSecond} {
		r := pending(8, true)
		r.Status = st
		for _, c := range callers {
			offered := r.Actions(c, d("2026-03-01"))
			for _, a := range []string{domain.ActionApprove, domain.ActionReject, domain.ActionCancel} {
				if got := r.Permits(a, c); got != slices.Contains(offered, a) {
					t.Errorf("%s, %+v: Permits(%s) = %v, Actions = %v", st, c, a, got, offered)
				}
			}
		}
	}
}

// TestRefusalTellsAConflictFromAMissingRight: a decision by a unit head or
// an approver on a request no longer waiting for one (decided first by
// someone else, or cancelled) is a conflict of state; a decision by anyone
// else, or on a level that is not the caller's, stays forbidden, and what
// Permits allows is not refused.
func TestRefusalTellsAConflictFromAMissingRight(t *testing.T) {
	t.Parallel()
	head, boss := domain.Caller{UserID: "u-head", UnitHead: true}, domain.Caller{UserID: "u-boss", Approver: true}
	member, nobody := domain.Caller{UserID: "u-m2", MemberID: "m2"}, domain.Caller{UserID: "u-none"}
	for _, tt := range []struct {
		status domain.RequestStatus
		by     domain.Caller
		want   error
	}{
		{domain.StatusPending, head, nil},
		{domain.StatusPending, boss, domain.ErrForbidden}, // the first level is the head's
		{domain.StatusPendingSecond, boss, nil},
		{domain.StatusPendingSecond, head, domain.ErrForbidden},
		{domain.StatusApproved, head, domain.ErrInvalidTransition},
		{domain.StatusApproved, boss, domain.ErrInvalidTransition},
		{domain.StatusRejected, head, domain.ErrInvalidTransition},
		{domain.StatusCancelled, boss, domain.ErrInvalidTransition},
		{domain.StatusApproved, member, domain.ErrForbidden},
		{domain.StatusApproved, nobody, domain.ErrForbidden},
	} {
		r := pending(8, true)
		r.Status = tt.status
		for _, a := range []string{domain.ActionApprove, domain.ActionReject} {
			if err := r.Refusal(a, tt.by); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("%s by %+v on a %s request: %v, want %v", a, tt.by, tt.status, err, tt.want)
			}
		}
	}
}
