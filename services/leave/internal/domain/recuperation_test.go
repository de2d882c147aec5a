package domain_test

import (
	"errors"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

func TestBook(t *testing.T) {
	t.Parallel()
	pp := domain.DefaultPriorityPolicy()
	today := d("2026-03-01")
	session := domain.Session{ID: "s1", FacilityID: "f1", From: d("2026-05-10"), To: d("2026-05-16"), Capacity: 2}
	m := civil("2000-01-01")
	m.Frontline = true
	tests := []struct {
		name     string
		booked   int
		quota    *domain.Quota
		existing []domain.Booking
		today    string
		status   domain.BookingStatus
		reason   string
		want     error
	}{
		{name: "free place and quota", quota: &domain.Quota{Places: 3}, status: domain.BookingConfirmed},
		{name: "session full", booked: 2, quota: &domain.Quota{Places: 3}, status: domain.BookingWaitlisted, reason: "leave.recuperation.session_full"},
		{name: "quota used up", quota: &domain.Quota{Places: 3, Used: 3}, status: domain.BookingWaitlisted, reason: "leave.recuperation.quota_exhausted"},
		{name: "no quota for the unit", status: domain.BookingWaitlisted, reason: "leave.recuperation.quota_exhausted"},
		{name: "already booked", quota: &domain.Quota{Places: 3}, existing: []domain.Booking{{MemberID: "m1", SessionID: "s1", Status: domain.BookingWaitlisted}}, want: domain.ErrAlreadyBooked},
		{name: "session started", quota: &domain.Quota{Places: 3}, today: "2026-05-10", want: domain.ErrSessionClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := session
			s.Booked = tt.booked
			on := today
			if tt.today != "" {
				on = d(tt.today)
			}
			b, err := domain.Book(pp, s, tt.quota, m, tt.existing, "b1", "m1", on, now)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if err != nil {
				return
			}
			if b.Status != tt.status || b.WaitReason != tt.reason || b.Priority != 30 || b.Year != 2026 {
				t.Fatalf("booking = %+v, want %s %q priority 30", b, tt.status, tt.reason)
			}
		})
	}
}

func TestPriorityScore(t *testing.T) {
	t.Parallel()
	pp := domain.DefaultPriorityPolicy()
	tests := []struct {
		name string
		m    domain.Member
		want int
	}{
		{"standard", civil("2020-01-01"), 0},
		{"martyr family and injured", domain.Member{MartyrFamily: true, InjuredOnDuty: true, WorkStart: d("2020-01-01")}, 70},
		{"long service", civil("2001-01-01"), 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, steps := pp.Score(tt.m, d("2026-03-01"))
			if got != tt.want || len(steps) == 0 {
				t.Fatalf("Score = %d %v, want %d", got, steps, tt.want)
			}
		})
	}
}

func TestNextFromWaitlist(t *testing.T) {
	t.Parallel()
	at := func(min int) time.Time { return now.Add(time.Duration(min) * time.Minute) }
	waiting := []domain.Booking{
		{ID: "early-low", UnitID: "u1", Status: domain.BookingWaitlisted, Priority: 0, RequestedAt: at(1)},
		{ID: "late-high", UnitID: "u1", Status: domain.BookingWaitlisted, Priority: 40, RequestedAt: at(9)},
		{ID: "high-other-unit", UnitID: "u2", Status: domain.BookingWaitlisted, Priority: 70, RequestedAt: at(0)},
		{ID: "cancelled", UnitID: "u1", Status: domain.BookingCancelled, Priority: 99, RequestedAt: at(0)},
	}
	tests := []struct {
		name   string
		quotas map[string]domain.Quota
		want   string
	}{
		{"highest priority with quota", map[string]domain.Quota{"u1": {Places: 2}, "u2": {Places: 1, Used: 1}}, "late-high"},
		{"the other unit has room", map[string]domain.Quota{"u1": {Places: 2}, "u2": {Places: 2, Used: 1}}, "high-other-unit"},
		{"no room anywhere", map[string]domain.Quota{"u1": {Places: 1, Used: 1}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, ok := domain.NextFromWaitlist(waiting, tt.quotas)
			if b.ID != tt.want || ok != (tt.want != "") {
				t.Fatalf("next = %q %v, want %q", b.ID, ok, tt.want)
			}
			if ok && b.Status != domain.BookingConfirmed {
				t.Fatalf("status = %s", b.Status)
			}
		})
	}
}

func TestSessionCapacity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		n    int
		want error
	}{
		{"grow", 10, nil},
		{"down to booked", 4, nil},
		{"below booked", 3, domain.ErrCapacityBelowUsed},
		{"zero", 0, domain.ErrValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := domain.Session{Capacity: 5, Booked: 4}
			if err := s.SetCapacity(tt.n); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCancelBooking(t *testing.T) {
	t.Parallel()
	s := domain.Session{From: d("2026-05-10")}
	tests := []struct {
		name   string
		status domain.BookingStatus
		today  string
		held   bool
		want   error
	}{
		{"confirmed frees a place", domain.BookingConfirmed, "2026-05-01", true, nil},
		{"waitlisted frees nothing", domain.BookingWaitlisted, "2026-05-01", false, nil},
		{"twice", domain.BookingCancelled, "2026-05-01", false, domain.ErrBookingState},
		{"after the start", domain.BookingConfirmed, "2026-05-10", false, domain.ErrSessionClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := domain.Booking{Status: tt.status}
			held, err := b.Cancel(d(tt.today), s)
			if !errors.Is(err, tt.want) || held != tt.held {
				t.Fatalf("Cancel = %v, %v; want %v, %v", held, err, tt.held, tt.want)
			}
		})
	}
}
