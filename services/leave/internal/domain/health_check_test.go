package domain_test

import (
	"errors"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

func TestBookCheck(t *testing.T) {
	t.Parallel()
	r := domain.Round{ID: "r1", UnitID: "u1", Year: 2026, Opens: d("2026-03-01"), Closes: d("2026-06-30")}
	slot := domain.Slot{ID: "s1", RoundID: "r1", StartsAt: time.Date(2026, 4, 10, 0, 30, 0, 0, time.UTC), Capacity: 2}
	m := civil("2010-01-01")
	other := m
	other.UnitID = "u2"
	tests := []struct {
		name     string
		member   domain.Member
		booked   int
		existing []domain.CheckBooking
		today    string
		want     error
	}{
		{name: "books", member: m, today: "2026-03-05"},
		{name: "slot full", member: m, booked: 2, today: "2026-03-05", want: domain.ErrSlotFull},
		{name: "another unit's round", member: other, today: "2026-03-05", want: domain.ErrRoundUnitInvalid},
		{name: "already booked", member: m, today: "2026-03-05", existing: []domain.CheckBooking{{MemberID: "m1", RoundID: "r1", Status: domain.CheckBooked}}, want: domain.ErrCheckBooked},
		{name: "after a no-show may book again", member: m, today: "2026-03-05", existing: []domain.CheckBooking{{MemberID: "m1", RoundID: "r1", Status: domain.CheckNoShow}}},
		{name: "on the slot's own day", member: m, today: "2026-04-10", want: domain.ErrSlotTooLate},
		{name: "slot day passed", member: m, today: "2026-04-11", want: domain.ErrSlotTooLate},
		{name: "round closed", member: m, today: "2026-07-01", want: domain.ErrRoundClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := slot
			s.Booked = tt.booked
			b, err := domain.BookCheck(r, s, tt.member, tt.existing, "b1", d(tt.today))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if err == nil && (b.Status != domain.CheckBooked || b.Year != 2026) {
				t.Fatalf("booking = %+v", b)
			}
		})
	}
}

func TestCompleteAndNoShow(t *testing.T) {
	t.Parallel()
	slot := domain.Slot{StartsAt: time.Date(2026, 4, 9, 17, 0, 0, 0, time.UTC)} // 10 April 01:00 in Shanghai
	tests := []struct {
		name    string
		op      string
		summary string
		today   string
		status  domain.CheckStatus
		want    error
	}{
		{"completed on the day", "complete", "血压正常", "2026-04-10", domain.CheckCompleted, nil},
		{"not yet held", "complete", "血压正常", "2026-04-09", domain.CheckBooked, domain.ErrCheckNotYetDue},
		{"result required", "complete", "", "2026-04-10", domain.CheckBooked, domain.ErrValidation},
		{"no-show", "no_show", "", "2026-04-11", domain.CheckNoShow, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := domain.CheckBooking{Status: domain.CheckBooked}
			var err error
			if tt.op == "complete" {
				err = b.Complete(slot, tt.summary, d(tt.today))
			} else {
				err = b.NoShow(slot, d(tt.today))
			}
			if !errors.Is(err, tt.want) || b.Status != tt.status {
				t.Fatalf("err %v status %s; want %v %s", err, b.Status, tt.want, tt.status)
			}
		})
	}
}

func TestUnitCompliance(t *testing.T) {
	t.Parallel()
	mk := func(id, unit string) domain.Member {
		m := civil("2010-01-01")
		m.ID, m.UnitID = id, unit
		return m
	}
	left := mk("gone", "u1")
	left.LeftOn = d("2026-02-01")
	members := []domain.Member{mk("a", "u1"), mk("b", "u1"), mk("c", "u1"), mk("e", "u1"), left, mk("x", "u2")}
	bookings := []domain.CheckBooking{
		{MemberID: "a", Year: 2026, Status: domain.CheckCompleted},
		{MemberID: "b", Year: 2026, Status: domain.CheckBooked},
		{MemberID: "c", Year: 2026, Status: domain.CheckNoShow},
		{MemberID: "e", Year: 2025, Status: domain.CheckCompleted},
	}
	tests := []struct {
		name    string
		asOf    string
		u1      domain.Compliance
		overdue int
	}{
		{"before the deadline", "2026-06-01", domain.Compliance{Active: 4, Done: 1, Booked: 1, Due: 2, BasisPoints: 2500}, 0},
		{"after the deadline", "2026-07-01", domain.Compliance{Active: 4, Done: 1, BasisPoints: 2500}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := domain.UnitCompliance(members, bookings, 2026, map[string]time.Time{"u1": d("2026-06-30")}, d(tt.asOf))
			if len(got) != 2 || got[0].UnitID != "u1" || got[1].UnitID != "u2" {
				t.Fatalf("units = %+v", got)
			}
			u := got[0]
			if u.Active != tt.u1.Active || u.Done != tt.u1.Done || u.Booked != tt.u1.Booked || u.Due != tt.u1.Due ||
				u.BasisPoints != tt.u1.BasisPoints || len(u.Overdue) != tt.overdue {
				t.Fatalf("u1 = %+v, want %+v with %d overdue", u, tt.u1, tt.overdue)
			}
		})
	}
}

func TestBasisPoints(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		part, whole int
		want        int
	}{
		{"two thirds rounds up", 2, 3, 6667},
		{"one third", 1, 3, 3333},
		{"half of a basis point rounds up", 1, 20000, 1},
		{"empty unit", 0, 0, 10000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := domain.BasisPoints(tt.part, tt.whole); got != tt.want {
				t.Fatalf("BasisPoints = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestRemindBefore: a due member is reminded from domain.ReminderWindowDays days
// before the deadline up to the deadline day, not earlier and not after.
func TestRemindBefore(t *testing.T) {
	t.Parallel()
	deadline := domain.Date(2026, time.April, 30)
	tests := []struct {
		name string
		asOf time.Time
		want bool
	}{
		{"a day before the window", domain.Date(2026, time.March, 30), false},
		{"the window's first day", domain.Date(2026, time.March, 31), true},
		{"a week before", domain.Date(2026, time.April, 23), true},
		{"the deadline day", deadline, true},
		{"the day after", domain.Date(2026, time.May, 1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := domain.RemindBefore(deadline, tt.asOf); got != tt.want {
				t.Fatalf("RemindBefore(%s, %s) = %v, want %v", deadline.Format(time.DateOnly), tt.asOf.Format(time.DateOnly), got, tt.want)
			}
		})
	}
}
