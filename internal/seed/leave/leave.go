// Package leave seeds the leave service through its generated client:
// members' pay for the compensation report, annual-leave requests in every
// state, a health-check round with bookings (care.go) and a recuperation
// session whose unit quota makes the last booking wait.
package leave

import (
	"context"
	"fmt"
	"time"

	"github.com/anxin-welfare/anxin/api/client"
	api "github.com/anxin-welfare/anxin/api/client/leave"
	"github.com/anxin-welfare/anxin/internal/seed"
	"github.com/anxin-welfare/anxin/pkg/auth"
)

// Service is the audience of the seed's tokens.
const Service = "leave"

// Seed waits until the leave service knows the members it needs (they
// reach it as enrollment's events), then records pay, leave requests,
// health checks and recuperation.
func Seed(ctx context.Context, d *seed.Demo, c *api.ClientWithResponses) error {
	cw := d.As(Service, d.Caseworker())
	if _, err := c.ListRequestsWithResponse(ctx, &api.ListRequestsParams{}, cw); err != nil {
		if seed.Missing(err) {
			d.Skip("leave: the leave service has no request API in this build")
			return nil
		}
		return seed.Step("list leave requests", err)
	}
	y := d.Today.Year()
	// Requests and bookings start on a Monday at least a week ahead.
	base := d.Today.AddDate(0, 0, 7)
	for base.Weekday() != time.Monday {
		base = base.AddDate(0, 0, 1)
	}
	longService := func(m *seed.Member) bool { return m.Category == "police" && m.Hire.Year() <= y-12 }
	service := func(m *seed.Member) bool { return m.Category == "police" && m.Hire.Year() <= y-2 }
	var l2, l3, l4, l5 *seed.Member
	for _, p := range []struct {
		member **seed.Member
		unit   string
		ok     func(*seed.Member) bool
	}{{&l2, "cg", service}, {&l3, "cg", longService}, {&l4, "xj", service}, {&l5, "dc", service}} {
		m, err := d.Pick(p.unit, p.ok)
		if err != nil {
			return err
		}
		*p.member = m
	}
	var checkers []*seed.Member
	for _, m := range d.Members {
		if m.Unit == "cg" && !m.Used && len(checkers) < 8 {
			checkers = append(checkers, m)
		}
	}
	// The member events reach the leave service a moment after they were
	// written; its projection must know these members first.
	waitFor := append([]*seed.Member{d.Officer, l2, l3, l4, l5}, checkers...)
	for _, m := range waitFor {
		err := seed.Eventually(ctx, 60*time.Second, func() (bool, error) {
			_, err := c.GetBalanceWithResponse(ctx, m.ID.String(), &api.GetBalanceParams{Year: &y}, cw)
			return err == nil, seed.Step("wait for member "+m.Name+" in the leave service", err)
		})
		if err != nil {
			return err
		}
	}

	if err := pay(ctx, d, c, y, waitFor); err != nil {
		return err
	}
	if _, err := c.GetCalendarWithResponse(ctx, y, cw); err != nil {
		if !seed.Missing(err) {
			return seed.Step("read the work calendar", err)
		}
		d.Skip("leave requests: no work calendar for %d (an admin maintains it under 工作日历)", y)
	} else if base.AddDate(0, 0, 9).Year() != y {
		d.Skip("leave requests: the coming weeks fall into next year, whose balances do not exist yet")
	} else if err := requests(ctx, d, c, base, l2, l3, l4, l5); err != nil {
		return err
	}
	if err := healthChecks(ctx, d, c, checkers); err != nil {
		return err
	}
	return recuperation(ctx, d, c, base, checkers)
}

// pay records this year's pay of members, as finance does from the
// payroll, so the unused-leave compensation report has figures: annual pay
// for those on the civil-service scale, a monthly wage for auxiliary police.
func pay(ctx context.Context, d *seed.Demo, c *api.ClientWithResponses, year int, members []*seed.Member) error {
	fin := d.As(Service, d.Staff(auth.RoleFinance, 0))
	n := 0
	for _, m := range members {
		body := api.PutPayJSONRequestBody{AnnualPay: new(fmt.Sprintf("%d.00", 96000+6000*(n%5)))}
		if m.Category == "auxiliary_police" {
			body = api.PutPayJSONRequestBody{MonthlyWage: new("4200.00")}
		}
		if _, err := c.PutPayWithResponse(ctx, m.ID.String(), year, &api.PutPayParams{}, body, fin); err != nil {
			if seed.Missing(err) {
				d.Skip("leave: the leave service has no pay API in this build")
				return nil
			}
			return seed.Step("record the pay of "+m.Name, err)
		}
		n++
	}
	d.Done("leave: %d pay of %d members, so the unused-leave compensation report has figures", year, n)
	return nil
}

func requests(ctx context.Context, d *seed.Demo, c *api.ClientWithResponses, base time.Time, l2, l3, l4, l5 *seed.Member) error {
	head := d.Staff(auth.RoleUnitHead, 0)
	apply := func(m *seed.Member, from, to time.Time, reason string) (*api.Request, error) {
		step := "request leave for " + m.Name
		r, err := c.ApplyLeaveWithResponse(ctx, api.ApplyLeaveJSONRequestBody{From: seed.Day(from), To: seed.Day(to), Reason: new(reason)}, d.As(Service, d.OfficerOf(m)))
		if err != nil {
			return nil, seed.Step(step, err)
		}
		got, err := seed.Answer(step, r.JSON201)
		if err != nil {
			return nil, err
		}
		return got, nil
	}
	decide := func(q *api.Request, op string, who auth.Identity, comment string) error {
		step := op + " leave request"
		id, tag, as := q.Id, client.Tag(int64(q.Version)), d.As(Service, who)
		var (
			got *api.Request
			err error
		)
		switch op {
		case "approve":
			var r *api.ApproveRequestResponse
			if r, err = c.ApproveRequestWithResponse(ctx, id, &api.ApproveRequestParams{IfMatch: tag}, api.ApproveRequestJSONRequestBody{Comment: new(comment)}, as); err == nil {
				got = r.JSON200
			}
		case "reject":
			var r *api.RejectRequestResponse
			if r, err = c.RejectRequestWithResponse(ctx, id, &api.RejectRequestParams{IfMatch: tag}, api.RejectRequestJSONRequestBody{Comment: new(comment)}, as); err == nil {
				got = r.JSON200
			}
		case "cancel":
			var r *api.CancelRequestResponse
			if r, err = c.CancelRequestWithResponse(ctx, id, &api.CancelRequestParams{IfMatch: tag}, api.CancelRequestJSONRequestBody{Comment: new(comment)}, as); err == nil {
				got = r.JSON200
			}
		default:
			return fmt.Errorf("seed: no decision %q on a leave request", op)
		}
		if err != nil {
			return seed.Step(step, err)
		}
		if got, err = seed.Answer(step, got); err != nil {
			return err
		}
		*q = *got
		return nil
	}
	day := func(n int) time.Time { return base.AddDate(0, 0, n) }
	// Pending with the unit head.
	pending, err := apply(d.Officer, day(0), day(2), "陪同家人就医")
	if err != nil {
		return err
	}
	approved, err := apply(l2, day(3), day(4), "处理家中事务")
	if err != nil {
		return err
	}
	if err := decide(approved, "approve", head, "同意"); err != nil {
		return err
	}
	// Longer than the second-level threshold: approved by the unit head,
	// awaiting the approver.
	long, err := apply(l3, day(0), day(8), "探望外地父母")
	if err != nil {
		return err
	}
	if err := decide(long, "approve", head, "同意，报政法委审批"); err != nil {
		return err
	}
	rejected, err := apply(l4, day(1), day(1), "个人事务")
	if err != nil {
		return err
	}
	if err := decide(rejected, "reject", head, "当日所内警力紧张，请调整至下周"); err != nil {
		return err
	}
	cancelled, err := apply(l5, day(2), day(3), "外出旅行")
	if err != nil {
		return err
	}
	if err := decide(cancelled, "cancel", d.OfficerOf(l5), "行程取消"); err != nil {
		return err
	}
	longWant, longText := "approved", "approved"
	if long.SecondLevel {
		longWant, longText = "pending_second", "approved by the unit head and awaiting the approver"
	}
	for _, x := range []struct {
		q    *api.Request
		want string
	}{{pending, "pending"}, {approved, "approved"}, {long, longWant}, {rejected, "rejected"}, {cancelled, "cancelled"}} {
		if err := seed.Expect("leave request "+x.q.Id.String(), string(x.q.Status), x.want); err != nil {
			return err
		}
	}
	d.Done("leave: 5 annual-leave requests from %s: %s's pending with the unit head, one approved, one of %d working days %s, one rejected, one cancelled",
		base.Format(time.DateOnly), d.Officer.Name, long.Days, longText)
	return nil
}
