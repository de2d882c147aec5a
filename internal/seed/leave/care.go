package leave

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	api "github.com/anxin-welfare/anxin/api/client/leave"
	"github.com/anxin-welfare/anxin/internal/seed"
	"github.com/anxin-welfare/anxin/pkg/clock"
)

// healthChecks plans this year's round for 城关派出所 with two slots and
// books the checkers into the first and the demo officer, from his own
// account, into the second.
func healthChecks(ctx context.Context, d *seed.Demo, c *api.ClientWithResponses, checkers []*seed.Member) error {
	y := d.Today.Year()
	cw := d.As(Service, d.Caseworker())
	opens := d.Today.AddDate(0, 0, -30)
	if opens.Year() != y {
		opens = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	closes := time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
	slotDay := nextWorkday(d.Today.AddDate(0, 0, 3))
	nextDay := nextWorkday(slotDay.AddDate(0, 0, 1))
	if nextDay.After(closes) {
		d.Skip("health checks: too late in the year to plan a round")
		return nil
	}
	const plan = "plan the health-check round"
	r, err := c.CreateRoundWithResponse(ctx, api.CreateRoundJSONRequestBody{UnitId: d.UnitID["cg"].String(), Year: y, Opens: seed.Day(opens), Closes: seed.Day(closes)}, cw)
	if err != nil {
		return seed.Step(plan, err)
	}
	round, err := seed.Answer(plan, r.JSON201)
	if err != nil {
		return err
	}
	var slots []uuid.UUID
	for _, day := range []time.Time{slotDay, nextDay} {
		const add = "add a health-check slot"
		start := time.Date(day.Year(), day.Month(), day.Day(), 8, 30, 0, 0, clock.Shanghai)
		r, err := c.AddSlotWithResponse(ctx, round.Id, api.AddSlotJSONRequestBody{StartsAt: start, Capacity: 20}, cw)
		if err != nil {
			return seed.Step(add, err)
		}
		slot, err := seed.Answer(add, r.JSON201)
		if err != nil {
			return err
		}
		slots = append(slots, slot.Id)
	}
	for _, m := range checkers {
		if _, err := c.BookCheckWithResponse(ctx, slots[0], api.BookCheckJSONRequestBody{MemberId: new(m.ID.String())}, cw); err != nil {
			return seed.Step("book a health check for "+m.Name, err)
		}
	}
	if _, err := c.BookCheckWithResponse(ctx, slots[1], api.BookCheckJSONRequestBody{}, d.As(Service, d.OfficerOf(d.Officer))); err != nil {
		return seed.Step("book the demo officer's health check", err)
	}
	d.Done("leave: health-check round %d for 城关派出所 (%s to %s), 2 slots, %d bookings", y, opens.Format(time.DateOnly), closes.Format(time.DateOnly), len(checkers)+1)
	return nil
}

// nextWorkday is day, or the Monday after it when it falls on a weekend.
func nextWorkday(day time.Time) time.Time {
	for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
		day = day.AddDate(0, 0, 1)
	}
	return day
}

// recuperation adds a facility with one session, unit quotas, and
// bookings that fill 城关派出所's quota so the last one waits.
func recuperation(ctx context.Context, d *seed.Demo, c *api.ClientWithResponses, base time.Time, members []*seed.Member) error {
	if len(members) < 4 {
		return fmt.Errorf("seed: %d members for recuperation bookings, want 4", len(members))
	}
	admin, cw := d.As(Service, d.Admin()), d.As(Service, d.Caseworker())
	from := base.AddDate(0, 0, 14)
	to := from.AddDate(0, 0, 4)
	const addFacility = "add a recuperation facility"
	fr, err := c.CreateFacilityWithResponse(ctx, api.CreateFacilityJSONRequestBody{Name: "政法干警疗养基地", Location: new("黄山市汤口镇")}, admin)
	if err != nil {
		return seed.Step(addFacility, err)
	}
	facility, err := seed.Answer(addFacility, fr.JSON201)
	if err != nil {
		return err
	}
	const addSession = "add a recuperation session"
	sr, err := c.CreateSessionWithResponse(ctx, facility.Id, api.CreateSessionJSONRequestBody{From: seed.Day(from), To: seed.Day(to), Capacity: 12}, admin)
	if err != nil {
		return seed.Step(addSession, err)
	}
	session, err := seed.Answer(addSession, sr.JSON201)
	if err != nil {
		return err
	}
	for _, key := range []string{"cg", "dc", "xj", "bureau", "court", "procuratorate", "justice", "committee"} {
		places := 1
		if key == "cg" || key == "dc" || key == "xj" {
			places = 3
		}
		if _, err := c.PutQuotaWithResponse(ctx, from.Year(), d.UnitID[key].String(), &api.PutQuotaParams{}, api.PutQuotaJSONRequestBody{Places: places}, admin); err != nil {
			return seed.Step("set the recuperation quota of "+key, err)
		}
	}
	statuses := map[string]int{}
	for _, m := range members[:4] {
		step := "book recuperation for " + m.Name
		r, err := c.BookSessionWithResponse(ctx, session.Id, api.BookSessionJSONRequestBody{MemberId: new(m.ID.String())}, cw)
		if err != nil {
			return seed.Step(step, err)
		}
		b, err := seed.Answer(step, r.JSON201)
		if err != nil {
			return err
		}
		statuses[string(b.Status)]++
	}
	d.Done("leave: recuperation session %s to %s (12 places, unit quotas for %d), 4 bookings from 城关派出所: %d confirmed, %d waitlisted",
		from.Format(time.DateOnly), to.Format(time.DateOnly), from.Year(), statuses["confirmed"], statuses["waitlisted"])
	return nil
}
