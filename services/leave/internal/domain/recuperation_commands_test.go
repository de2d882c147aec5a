package domain_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// TestWithdraw runs a cancellation as the command layer does: who may
// withdraw a booking, whether its place comes free (one booked less in
// the session), and each refusal, which changes nothing.
func TestWithdraw(t *testing.T) {
	t.Parallel()
	member := domain.Caller{UserID: "u-m1", MemberID: "m1"}
	worker := domain.Caller{UserID: "u-cw", Caseworker: true}
	tests := []struct {
		name   string
		by     domain.Caller
		status domain.BookingStatus
		today  string
		want   error
		frees  bool
	}{
		{name: "the member withdraws a confirmed place", by: member, status: domain.BookingConfirmed, today: "2026-05-01", frees: true},
		{name: "a caseworker of the unit withdraws it", by: worker, status: domain.BookingConfirmed, today: "2026-05-01", frees: true},
		{name: "a waiting booking frees nothing", by: member, status: domain.BookingWaitlisted, today: "2026-05-01"},
		{name: "another officer may not", by: domain.Caller{UserID: "u-m2", MemberID: "m2"}, status: domain.BookingConfirmed, today: "2026-05-01", want: domain.ErrForbidden},
		{name: "a medical caseworker may not", by: domain.Caller{UserID: "u-doc", Medical: true}, status: domain.BookingConfirmed, today: "2026-05-01", want: domain.ErrForbidden},
		{name: "a unit head may not", by: domain.Caller{UserID: "u-head", UnitHead: true}, status: domain.BookingConfirmed, today: "2026-05-01", want: domain.ErrForbidden},
		{name: "not twice", by: member, status: domain.BookingCancelled, today: "2026-05-01", want: domain.ErrBookingState},
		{name: "not once the stay has begun", by: member, status: domain.BookingConfirmed, today: "2026-05-10", want: domain.ErrSessionClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := domain.Session{ID: "s1", From: d("2026-05-10"), Capacity: 3, Booked: 3}
			b := domain.Booking{ID: "b1", MemberID: "m1", SessionID: "s1", Status: tt.status}
			before, sBefore := b, s
			ch, err := b.Withdraw(tt.by, &s, d(tt.today))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if err != nil {
				if b != before || s != sBefore || ch.Frees || len(ch.Placed) != 0 {
					t.Fatalf("a refused cancellation changed something: %+v %+v %+v", b, s, ch)
				}
				return
			}
			booked := 3
			if tt.frees {
				booked = 2
			}
			if b.Status != domain.BookingCancelled || ch.Frees != tt.frees || s.Booked != booked || len(ch.Placed) != 0 {
				t.Fatalf("booking %s, change %+v, session booked %d; want frees %v", b.Status, ch, s.Booked, tt.frees)
			}
		})
	}
}

// TestFillFrom: free places go down the waitlist in its order, each to a
// booking whose unit has a quota place left, until the session is full or
// nobody can move up; each moved up is confirmed at its next version.
func TestFillFrom(t *testing.T) {
	t.Parallel()
	at := func(min int) time.Time { return now.Add(time.Duration(min) * time.Minute) }
	waiting := []domain.Booking{
		{ID: "a", UnitID: "u1", Status: domain.BookingWaitlisted, Priority: 40, RequestedAt: at(1), Version: 1, WaitReason: "leave.recuperation.session_full"},
		{ID: "b", UnitID: "u1", Status: domain.BookingWaitlisted, Priority: 30, RequestedAt: at(2), Version: 3},
		{ID: "c", UnitID: "u2", Status: domain.BookingWaitlisted, Priority: 20, RequestedAt: at(0), Version: 1},
	}
	tests := []struct {
		name     string
		capacity int
		quotas   map[string]domain.Quota
		want     []string
	}{
		{name: "one place, the first in line", capacity: 3, quotas: map[string]domain.Quota{"u1": {Places: 5}, "u2": {Places: 5}}, want: []string{"a"}},
		{name: "three places for three", capacity: 5, quotas: map[string]domain.Quota{"u1": {Places: 5}, "u2": {Places: 5}}, want: []string{"a", "b", "c"}},
		{name: "u1 has one quota place left", capacity: 5, quotas: map[string]domain.Quota{"u1": {Places: 2, Used: 1}, "u2": {Places: 1}}, want: []string{"a", "c"}},
		{name: "no unit has quota", capacity: 5, quotas: map[string]domain.Quota{"u1": {Places: 1, Used: 1}}},
		{name: "no free place", capacity: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := domain.Session{ID: "s1", Capacity: tt.capacity, Booked: 2}
			placed := s.FillFrom(domain.Waitlist{Waiting: waiting, Quotas: tt.quotas})
			var got []string
			for _, p := range placed {
				got = append(got, p.Booking.ID)
				orig := waiting[slices.IndexFunc(waiting, func(b domain.Booking) bool { return b.ID == p.Booking.ID })]
				if !p.FromWaitlist || p.Booking.Status != domain.BookingConfirmed || p.Booking.WaitReason != "" || p.Booking.Version != orig.Version+1 {
					t.Errorf("placement %+v: not confirmed from the waitlist at its next version", p)
				}
			}
			if !slices.Equal(got, tt.want) || s.Booked != 2+len(tt.want) {
				t.Fatalf("moved up %v (session booked %d), want %v", got, s.Booked, tt.want)
			}
			if waiting[0].Status != domain.BookingWaitlisted || tt.quotas != nil && tt.quotas["u1"].Used > 1 {
				t.Fatal("FillFrom changed its input")
			}
		})
	}
}

// TestNewBooking: a booking confirmed at once takes a place; one that
// waits takes none.
func TestNewBooking(t *testing.T) {
	t.Parallel()
	m := civil("2000-01-01")
	s := domain.Session{ID: "s1", FacilityID: "f1", From: d("2026-05-10"), To: d("2026-05-16"), Capacity: 2}
	tests := []struct {
		name   string
		quota  *domain.Quota
		placed bool
	}{
		{name: "confirmed", quota: &domain.Quota{Places: 1}, placed: true},
		{name: "waiting for quota", quota: &domain.Quota{Places: 1, Used: 1}},
		{name: "no quota", quota: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, ch, err := domain.NewBooking(domain.DefaultPriorityPolicy(), s, tt.quota, m, nil, "b1", "cw", d("2026-03-01"), now)
			if err != nil {
				t.Fatal(err)
			}
			if tt.placed != (len(ch.Placed) == 1) || ch.Frees || tt.placed && (ch.Placed[0].Booking != b || ch.Placed[0].FromWaitlist) {
				t.Fatalf("booking %+v, change %+v; want placed %v", b, ch, tt.placed)
			}
		})
	}
	if _, ch, err := domain.NewBooking(domain.DefaultPriorityPolicy(), s, &domain.Quota{Places: 1}, m, nil, "b1", "cw", d("2026-05-10"), now); !errors.Is(err, domain.ErrSessionClosed) || len(ch.Placed) != 0 {
		t.Fatalf("a booking once the stay began: %v, %+v", err, ch)
	}
}

func TestQuotaSetPlaces(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		n    int
		want error
	}{
		{name: "more", n: 10},
		{name: "down to the used", n: 4},
		{name: "below the used", n: 3, want: domain.ErrCapacityBelowUsed},
		{name: "negative", n: -1, want: domain.ErrValidation},
		{name: "too many", n: domain.MaxCapacity + 1, want: domain.ErrValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q := domain.Quota{Places: 5, Used: 4}
			err := q.SetPlaces(tt.n)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if want := map[bool]int{true: 5, false: tt.n}[err != nil]; q.Places != want {
				t.Fatalf("places = %d, want %d", q.Places, want)
			}
		})
	}
}

func TestNewFacilityAndSession(t *testing.T) {
	t.Parallel()
	f, err := domain.NewFacility(domain.Facility{Name: "北戴河疗养院"}, "f1")
	if err != nil || f.ID != "f1" || !f.Active || f.Version != 1 {
		t.Fatalf("facility = %+v, %v", f, err)
	}
	if _, err := domain.NewFacility(domain.Facility{}, "f2"); !errors.Is(err, domain.ErrValidation) {
		t.Fatalf("a facility without a name: %v", err)
	}
	today := d("2026-03-01")
	s, err := domain.NewSession(domain.Session{FacilityID: "f1", From: d("2026-05-10"), To: d("2026-05-16"), Capacity: 30, Booked: 7}, "s1", today)
	if err != nil || s.ID != "s1" || s.Booked != 0 || s.Version != 1 {
		t.Fatalf("session = %+v, %v", s, err)
	}
	if _, err := domain.NewSession(domain.Session{FacilityID: "f1", From: d("2026-05-16"), To: d("2026-05-10"), Capacity: 30}, "s2", today); !errors.Is(err, domain.ErrValidation) {
		t.Fatalf("a session ending before it begins: %v", err)
	}
}
