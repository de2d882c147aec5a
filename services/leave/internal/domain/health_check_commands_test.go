package domain_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// TestDecideCheck runs the steps on a health-check booking as the command
// layer does: who may take each, what it does to the booking, whether it
// gives the slot place back, and each refusal (which leaves the booking
// as it was).
func TestDecideCheck(t *testing.T) {
	t.Parallel()
	slot := domain.Slot{ID: "s1", StartsAt: time.Date(2026, 4, 9, 17, 0, 0, 0, time.UTC)} // 10 April 01:00 in Shanghai
	medic := domain.Caller{UserID: "u-medic", Medical: true}
	worker := domain.Caller{UserID: "u-cw", Caseworker: true}
	member := domain.Caller{UserID: "u-m1", MemberID: "m1"}
	other := domain.Caller{UserID: "u-m2", MemberID: "m2"}
	head := domain.Caller{UserID: "u-head", UnitHead: true, Approver: true}
	tests := []struct {
		name     string
		action   string
		by       domain.Caller
		result   string
		status   domain.CheckStatus // the booking's state before, booked when empty
		today    string
		want     error
		after    domain.CheckStatus
		frees    bool
		recorded string
	}{
		{name: "a medical caseworker records the result", action: domain.CheckActionComplete, by: medic, result: "血压正常", today: "2026-04-10",
			after: domain.CheckCompleted, recorded: "血压正常"},
		{name: "a caseworker may not record a result", action: domain.CheckActionComplete, by: worker, result: "血压正常", today: "2026-04-10",
			want: domain.ErrForbidden},
		{name: "the member may not record their own result", action: domain.CheckActionComplete, by: member, result: "血压正常", today: "2026-04-10",
			want: domain.ErrForbidden},
		{name: "a result before the check is held", action: domain.CheckActionComplete, by: medic, result: "血压正常", today: "2026-04-09",
			want: domain.ErrCheckNotYetDue},
		{name: "a result is required", action: domain.CheckActionComplete, by: medic, today: "2026-04-10", want: domain.ErrValidation},
		{name: "a completed check is not completed again", action: domain.CheckActionComplete, by: medic, result: "x", status: domain.CheckCompleted,
			today: "2026-04-10", want: domain.ErrCheckState},
		{name: "a caseworker marks a no-show", action: domain.CheckActionNoShow, by: worker, today: "2026-04-11", after: domain.CheckNoShow},
		{name: "a medical caseworker marks a no-show", action: domain.CheckActionNoShow, by: medic, today: "2026-04-10", after: domain.CheckNoShow},
		{name: "the member may not mark themself a no-show", action: domain.CheckActionNoShow, by: member, today: "2026-04-11", want: domain.ErrForbidden},
		{name: "no no-show before the day", action: domain.CheckActionNoShow, by: worker, today: "2026-04-09", want: domain.ErrCheckNotYetDue},
		{name: "the member cancels and the place is given back", action: domain.ActionCancel, by: member, today: "2026-04-09",
			after: domain.CheckCancelled, frees: true},
		{name: "a caseworker cancels", action: domain.ActionCancel, by: worker, today: "2026-03-01", after: domain.CheckCancelled, frees: true},
		{name: "another officer may not cancel", action: domain.ActionCancel, by: other, today: "2026-03-01", want: domain.ErrForbidden},
		{name: "a unit head may not cancel", action: domain.ActionCancel, by: head, today: "2026-03-01", want: domain.ErrForbidden},
		{name: "too late to cancel on the day", action: domain.ActionCancel, by: member, today: "2026-04-10", want: domain.ErrCancelTooLate},
		{name: "a cancelled booking stays cancelled", action: domain.ActionCancel, by: member, status: domain.CheckCancelled, today: "2026-03-01",
			want: domain.ErrCheckState},
		{name: "an unknown step", action: "delete", by: medic, today: "2026-04-10", want: domain.ErrForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := domain.CheckBooking{ID: "b1", MemberID: "m1", UnitID: "u1", SlotID: "s1", Status: domain.CheckBooked}
			if tt.status != "" {
				b.Status = tt.status
			}
			before := b
			ch, err := b.Decide(domain.CheckDecision{Action: tt.action, By: tt.by, Result: tt.result}, slot, d(tt.today))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if err != nil {
				if b != before || ch.FreesPlace {
					t.Fatalf("a refused step changed the booking: %+v, %+v", b, ch)
				}
				return
			}
			if b.Status != tt.after || ch.FreesPlace != tt.frees || b.Result != tt.recorded {
				t.Fatalf("booking %+v, change %+v; want %s, frees %v, result %q", b, ch, tt.after, tt.frees, tt.recorded)
			}
			if tt.after == domain.CheckCompleted && !b.CompletedOn.Equal(d(tt.today)) {
				t.Fatalf("completed on %s, want %s", b.CompletedOn, tt.today)
			}
		})
	}
}

// TestCheckPermitsAndResultReaders: a page's check of who may take a step
// agrees with Decide, and only the member and the medical caseworkers
// read a result.
func TestCheckPermitsAndResultReaders(t *testing.T) {
	t.Parallel()
	b := domain.CheckBooking{MemberID: "m1", Status: domain.CheckBooked}
	tests := []struct {
		name    string
		by      domain.Caller
		permits []string
		reads   bool
	}{
		{name: "medical caseworker", by: domain.Caller{Medical: true}, permits: []string{domain.CheckActionComplete, domain.CheckActionNoShow, domain.ActionCancel}, reads: true},
		{name: "caseworker", by: domain.Caller{Caseworker: true}, permits: []string{domain.CheckActionNoShow, domain.ActionCancel}},
		{name: "the member", by: domain.Caller{MemberID: "m1"}, permits: []string{domain.ActionCancel}, reads: true},
		{name: "another member", by: domain.Caller{MemberID: "m2"}},
		{name: "no member id matches nobody's booking", by: domain.Caller{UnitHead: true, Approver: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, a := range []string{domain.CheckActionComplete, domain.CheckActionNoShow, domain.ActionCancel} {
				if b.Permits(a, tt.by) {
					got = append(got, a)
				}
			}
			if !slices.Equal(got, tt.permits) || b.MayReadResult(tt.by) != tt.reads {
				t.Fatalf("permits %v, reads %v; want %v, %v", got, b.MayReadResult(tt.by), tt.permits, tt.reads)
			}
		})
	}
}

func TestNewRoundAndSlot(t *testing.T) {
	t.Parallel()
	today := d("2026-03-01")
	r, err := domain.NewRound(domain.Round{UnitID: "u1", Year: 2026, Opens: d("2026-03-01"), Closes: d("2026-04-30")}, "r1", today)
	if err != nil || r.ID != "r1" || r.Version != 1 {
		t.Fatalf("round = %+v, %v", r, err)
	}
	if _, err := domain.NewRound(domain.Round{UnitID: "u1", Year: 2026, Opens: d("2026-03-01"), Closes: d("2027-01-05")}, "r2", today); !errors.Is(err, domain.ErrValidation) {
		t.Fatalf("a round closing the next year: %v", err)
	}
	tests := []struct {
		name string
		in   domain.Slot
		want error
	}{
		{name: "inside the round", in: domain.Slot{RoundID: "elsewhere", StartsAt: time.Date(2026, 3, 10, 0, 30, 0, 0, time.UTC), Capacity: 5, Booked: 3}},
		{name: "after the round", in: domain.Slot{StartsAt: time.Date(2026, 5, 1, 0, 30, 0, 0, time.UTC), Capacity: 5}, want: domain.ErrValidation},
		{name: "no places", in: domain.Slot{StartsAt: time.Date(2026, 3, 10, 0, 30, 0, 0, time.UTC)}, want: domain.ErrValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := domain.NewSlot(r, tt.in, "s1")
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if err == nil && (s.ID != "s1" || s.RoundID != r.ID || s.Booked != 0 || s.Version != 1 || s.Capacity != tt.in.Capacity) {
				t.Fatalf("slot = %+v: not the round's, or not fresh", s)
			}
		})
	}
}

// TestReminders: overdue members are told so whatever their unit; due
// members are reminded only in their round's window; a unit without a
// round has 31 December as deadline and no reminder.
func TestReminders(t *testing.T) {
	t.Parallel()
	comp := []domain.Compliance{
		{UnitID: "u1", Overdue: []string{"a"}, DueMembers: []string{"b", "c"}},
		{UnitID: "u2", DueMembers: []string{"d"}},
		{UnitID: "u3", Overdue: []string{"e"}, DueMembers: []string{"f"}},
	}
	deadlines := map[string]time.Time{"u1": d("2026-04-30"), "u2": d("2026-09-30")}
	tests := []struct {
		name  string
		today string
		want  []string
	}{
		{name: "in u1's window", today: "2026-04-05", want: []string{
			"healthcheck.overdue a u1 2026-04-30", "healthcheck.reminder b u1 2026-04-30", "healthcheck.reminder c u1 2026-04-30",
			"healthcheck.overdue e u3 2026-12-31"}},
		{name: "before every window", today: "2026-03-01", want: []string{"healthcheck.overdue a u1 2026-04-30", "healthcheck.overdue e u3 2026-12-31"}},
		{name: "in u2's window, u1's deadline past", today: "2026-09-10", want: []string{
			"healthcheck.overdue a u1 2026-04-30", "healthcheck.reminder d u2 2026-09-30", "healthcheck.overdue e u3 2026-12-31"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, r := range domain.Reminders(comp, deadlines, 2026, d(tt.today)) {
				got = append(got, string(r.Kind)+" "+r.MemberID+" "+r.UnitID+" "+r.Deadline.Format(time.DateOnly))
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("reminders %q, want %q", got, tt.want)
			}
		})
	}
	if got := domain.RoundDeadlines([]domain.Round{{UnitID: "u1", Closes: d("2026-04-30")}}); len(got) != 1 || !got["u1"].Equal(d("2026-04-30")) {
		t.Fatalf("RoundDeadlines = %v", got)
	}
}
