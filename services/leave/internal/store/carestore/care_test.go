package carestore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/leave/internal/commands"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
	"github.com/anxin-welfare/anxin/services/leave/internal/store/carestore"
)

func TestConcurrentBookingsNeverOverbook(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	const members, places = 24, 3
	for i := range members {
		f.member(t, fmt.Sprintf("m%02d", i), "u1", domain.CategoryPolice, "2010-01-01")
	}
	fac, err := f.cmd.CreateFacility(ctx, domain.Facility{Name: "疗养院"}, "admin")
	if err != nil {
		t.Fatal(err)
	}
	sess, err := f.cmd.CreateSession(ctx, domain.Session{FacilityID: fac.ID, From: d("2026-05-10"), To: d("2026-05-16"), Capacity: places}, "admin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.cmd.PutQuota(ctx, commands.QuotaInput{Year: 2026, UnitID: "u1", Places: 100}, "admin"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, members)
	for i := range members {
		wg.Go(func() {
			if _, err := f.cmd.Book(ctx, sess.ID, fmt.Sprintf("m%02d", i), "caseworker"); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("book: %v", err)
	}
	all, _, err := f.care.Bookings(ctx, carestore.BookingFilter{SessionID: sess.ID, Page: page.Request{Limit: page.MaxLimit}})
	if err != nil {
		t.Fatal(err)
	}
	confirmed := 0
	for _, b := range all {
		if b.Status == domain.BookingConfirmed {
			confirmed++
		}
	}
	got, _ := f.care.Session(ctx, sess.ID)
	if confirmed != places || got.Booked != places || len(all) != members {
		t.Fatalf("confirmed %d, session booked %d, bookings %d; want %d confirmed of %d", confirmed, got.Booked, len(all), places, members)
	}
	// A cancellation moves the first waiting booking up.
	var first domain.Booking
	for _, b := range all {
		if b.Status == domain.BookingConfirmed {
			first = b
			break
		}
	}
	if _, err := f.cmd.CancelBooking(ctx, first.ID, first.Version, domain.Caller{UserID: "caseworker", Caseworker: true}); err != nil {
		t.Fatal(err)
	}
	got, _ = f.care.Session(ctx, sess.ID)
	var booked int
	if err := f.db.Get(&booked, `SELECT count(*) FROM outbox WHERE type = 'recuperation.booked'`); err != nil {
		t.Fatal(err)
	}
	if got.Booked != places || booked != places+1 {
		t.Fatalf("after a cancellation: booked %d, recuperation.booked events %d", got.Booked, booked)
	}
}

func TestHealthCheckFlow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.member(t, "m1", "u1", domain.CategoryPolice, "2010-01-01")
	f.member(t, "m2", "u1", domain.CategoryPolice, "2010-01-01")
	r, err := f.cmd.CreateRound(ctx, domain.Round{UnitID: "u1", Year: 2026, Opens: d("2026-03-01"), Closes: d("2026-04-30")}, "cw")
	if err != nil {
		t.Fatal(err)
	}
	slot, err := f.cmd.AddSlot(ctx, r.ID, domain.Slot{StartsAt: time.Date(2026, 3, 10, 0, 30, 0, 0, time.UTC), Capacity: 1}, "cw")
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.cmd.BookCheck(ctx, slot.ID, "m1", "m1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.cmd.BookCheck(ctx, slot.ID, "m2", "m2"); !errors.Is(err, domain.ErrSlotFull) {
		t.Fatalf("full slot: %v", err)
	}
	f.clk.Set(time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC))
	// Who may record a result is the domain's test; this is about what is saved.
	doctor := domain.Caller{UserID: "doctor", Medical: true}
	if b, err = f.cmd.DecideCheck(ctx, b.ID, b.Version, domain.CheckDecision{Action: domain.CheckActionComplete, By: doctor, Result: "血压正常"}); err != nil || b.Status != domain.CheckCompleted {
		t.Fatalf("complete = %+v, %v", b, err)
	}
	var raw []byte
	if err := f.db.Get(&raw, `SELECT result_sealed FROM health_check_bookings WHERE id = $1`, b.ID); err != nil || len(raw) == 0 || string(raw) == "血压正常" {
		t.Fatalf("result is not sealed: %q %v", raw, err)
	}
	if res, err := f.care.CheckResult(ctx, b.ID, "m1"); err != nil || res != "血压正常" {
		t.Fatalf("result = %q, %v", res, err)
	}
	f.clk.Set(time.Date(2026, 5, 2, 2, 0, 0, 0, time.UTC))
	comp, _, err := f.care.Compliance(ctx, 2026, []string{"u1"}, page.Request{})
	if err != nil || len(comp) != 1 || comp[0].BasisPoints != 5000 || len(comp[0].Overdue) != 1 || comp[0].Overdue[0] != "m2" {
		t.Fatalf("compliance = %+v, %v", comp, err)
	}
	for range 2 {
		n, err := f.cmd.SendReminders(ctx, 2026, "system")
		if err != nil {
			t.Fatal(err)
		}
		_ = n
	}
	var reminders int
	if err := f.db.Get(&reminders, `SELECT count(*) FROM outbox WHERE type = 'healthcheck.overdue'`); err != nil || reminders != 1 {
		t.Fatalf("reminders = %d, %v; want one however often the job runs", reminders, err)
	}
}
