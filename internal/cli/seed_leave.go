package cli

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/clock"
)

// leaveRef is a leave request as the seed follows it.
type leaveRef struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	Days        int    `json:"days"`
	SecondLevel bool   `json:"second_level"`
	Version     int64  `json:"version"`
}

func (s *seeder) seedLeave(ctx context.Context) error {
	cw := s.caseworker()
	if _, err := s.call(ctx, "list leave requests", cw, "leave", http.MethodGet, "/requests", nil, 0, nil); err != nil {
		if isMissingRoute(err) {
			s.res.skipped = append(s.res.skipped, "leave: the leave service has no request API in this build")
			return nil
		}
		return err
	}
	y := s.today.Year()
	// Requests and bookings start on a Monday at least a week ahead.
	base := s.today.AddDate(0, 0, 7)
	for base.Weekday() != time.Monday {
		base = base.AddDate(0, 0, 1)
	}
	longService := func(m *demoMember) bool { return m.Category == "police" && m.Hire.Year() <= y-12 }
	service := func(m *demoMember) bool { return m.Category == "police" && m.Hire.Year() <= y-2 }
	var l2, l3, l4, l5 *demoMember
	for _, p := range []struct {
		member **demoMember
		unit   string
		ok     func(*demoMember) bool
	}{{&l2, "cg", service}, {&l3, "cg", longService}, {&l4, "xj", service}, {&l5, "dc", service}} {
		m, err := s.pick(p.unit, p.ok)
		if err != nil {
			return err
		}
		*p.member = m
	}
	var checkers []*demoMember
	for _, m := range s.members {
		if m.Unit == "cg" && !m.used && len(checkers) < 8 {
			checkers = append(checkers, m)
		}
	}
	// The member events reach the leave service a moment after they were
	// written; its projection must know these members first.
	waitFor := append([]*demoMember{s.officer, l2, l3, l4, l5}, checkers...)
	for _, m := range waitFor {
		err := eventually(ctx, 60*time.Second, func() (bool, error) {
			_, err := s.call(ctx, "wait for member "+m.Name+" in the leave service", cw, "leave", http.MethodGet, fmt.Sprintf("/members/%s/balance?year=%d", m.ID, y), nil, 0, nil)
			return err == nil, err
		})
		if err != nil {
			return err
		}
	}

	if err := s.seedPay(ctx, y, waitFor); err != nil {
		return err
	}
	if _, err := s.call(ctx, "read the work calendar", cw, "leave", http.MethodGet, fmt.Sprintf("/calendars/%d", y), nil, 0, nil); err != nil {
		if !isMissingRoute(err) {
			return err
		}
		s.res.skipped = append(s.res.skipped, fmt.Sprintf("leave requests: no work calendar for %d (an admin maintains it under 工作日历)", y))
	} else if base.AddDate(0, 0, 9).Year() != y {
		s.res.skipped = append(s.res.skipped, "leave requests: the coming weeks fall into next year, whose balances do not exist yet")
	} else if err := s.seedLeaveRequests(ctx, base, l2, l3, l4, l5); err != nil {
		return err
	}
	if err := s.seedHealthChecks(ctx, checkers); err != nil {
		return err
	}
	return s.seedRecuperation(ctx, base, checkers)
}

// seedPay records this year's pay of members, as finance does from the
// payroll, so the unused-leave compensation report has figures: annual pay
// for those on the civil-service scale, a monthly wage for auxiliary police.
func (s *seeder) seedPay(ctx context.Context, year int, members []*demoMember) error {
	fin := s.staff(auth.RoleFinance, 0)
	n := 0
	for _, m := range members {
		body := map[string]any{"annual_pay": fmt.Sprintf("%d.00", 96000+6000*(n%5))}
		if m.Category == "auxiliary_police" {
			body = map[string]any{"monthly_wage": "4200.00"}
		}
		if _, err := s.call(ctx, "record the pay of "+m.Name, fin, "leave", http.MethodPut, fmt.Sprintf("/members/%s/pay/%d", m.ID, year), body, 0, nil); err != nil {
			if isMissingRoute(err) {
				s.res.skipped = append(s.res.skipped, "leave: the leave service has no pay API in this build")
				return nil
			}
			return err
		}
		n++
	}
	s.res.done = append(s.res.done, fmt.Sprintf("leave: %d pay of %d members, so the unused-leave compensation report has figures", year, n))
	return nil
}

// seedRecuperation adds a facility with one session, unit quotas, and
// bookings that fill 城关派出所's quota so the last one waits.
func (s *seeder) seedRecuperation(ctx context.Context, base time.Time, members []*demoMember) error {
	if len(members) < 4 {
		return fmt.Errorf("seed: %d members for recuperation bookings, want 4", len(members))
	}
	admin, cw := s.admin(), s.caseworker()
	from := base.AddDate(0, 0, 14)
	to := from.AddDate(0, 0, 4)
	var facility struct {
		ID string `json:"id"`
	}
	if _, err := s.call(ctx, "add a recuperation facility", admin, "leave", http.MethodPost, "/recuperation/facilities",
		map[string]any{"name": "政法干警疗养基地", "location": "黄山市汤口镇"}, 0, &facility); err != nil {
		return err
	}
	var session struct {
		ID string `json:"id"`
	}
	if _, err := s.call(ctx, "add a recuperation session", admin, "leave", http.MethodPost, "/recuperation/facilities/"+facility.ID+"/sessions",
		map[string]any{"from": date(from), "to": date(to), "capacity": 12}, 0, &session); err != nil {
		return err
	}
	for _, key := range []string{"cg", "dc", "xj", "bureau", "court", "procuratorate", "justice", "committee"} {
		places := 1
		if key == "cg" || key == "dc" || key == "xj" {
			places = 3
		}
		if _, err := s.call(ctx, "set the recuperation quota of "+key, admin, "leave", http.MethodPut, fmt.Sprintf("/recuperation/quotas/%d/%s", from.Year(), s.units[key]),
			map[string]any{"places": places}, 0, nil); err != nil {
			return err
		}
	}
	statuses := map[string]int{}
	for _, m := range members[:4] {
		var b struct {
			Status string `json:"status"`
		}
		if _, err := s.call(ctx, "book recuperation for "+m.Name, cw, "leave", http.MethodPost, "/recuperation/sessions/"+session.ID+"/bookings",
			map[string]any{"member_id": m.ID}, 0, &b); err != nil {
			return err
		}
		statuses[b.Status]++
	}
	s.res.done = append(s.res.done, fmt.Sprintf("leave: recuperation session %s to %s (12 places, unit quotas for %d), 4 bookings from 城关派出所: %d confirmed, %d waitlisted",
		date(from), date(to), from.Year(), statuses["confirmed"], statuses["waitlisted"]))
	return nil
}

func (s *seeder) seedLeaveRequests(ctx context.Context, base time.Time, l2, l3, l4, l5 *demoMember) error {
	head := s.staff(auth.RoleUnitHead, 0)
	request := func(m *demoMember, from, to time.Time, reason string) (*leaveRef, error) {
		var r leaveRef
		if _, err := s.call(ctx, "request leave for "+m.Name, s.officerID(m), "leave", http.MethodPost, "/requests",
			map[string]any{"from": date(from), "to": date(to), "reason": reason}, 0, &r); err != nil {
			return nil, err
		}
		return &r, nil
	}
	decide := func(r *leaveRef, op string, who auth.Identity, comment string) error {
		v, err := s.call(ctx, op+" leave request", who, "leave", http.MethodPost, "/requests/"+r.ID+"/"+op, map[string]any{"comment": comment}, r.Version, r)
		if err != nil {
			return err
		}
		r.Version = v
		return nil
	}
	d := func(n int) time.Time { return base.AddDate(0, 0, n) }
	// Pending with the unit head.
	pending, err := request(s.officer, d(0), d(2), "陪同家人就医")
	if err != nil {
		return err
	}
	approved, err := request(l2, d(3), d(4), "处理家中事务")
	if err != nil {
		return err
	}
	if err := decide(approved, "approve", head, "同意"); err != nil {
		return err
	}
	// Longer than the second-level threshold: approved by the unit head,
	// awaiting the approver.
	long, err := request(l3, d(0), d(8), "探望外地父母")
	if err != nil {
		return err
	}
	if err := decide(long, "approve", head, "同意，报政法委审批"); err != nil {
		return err
	}
	rejected, err := request(l4, d(1), d(1), "个人事务")
	if err != nil {
		return err
	}
	if err := decide(rejected, "reject", head, "当日所内警力紧张，请调整至下周"); err != nil {
		return err
	}
	cancelled, err := request(l5, d(2), d(3), "外出旅行")
	if err != nil {
		return err
	}
	if err := decide(cancelled, "cancel", s.officerID(l5), "行程取消"); err != nil {
		return err
	}
	longWant, longText := "approved", "approved"
	if long.SecondLevel {
		longWant, longText = "pending_second", "approved by the unit head and awaiting the approver"
	}
	for _, x := range []struct {
		r    *leaveRef
		want string
	}{{pending, "pending"}, {approved, "approved"}, {long, longWant}, {rejected, "rejected"}, {cancelled, "cancelled"}} {
		if err := expectState("leave request "+x.r.ID, x.r.Status, x.want); err != nil {
			return err
		}
	}
	s.res.done = append(s.res.done, fmt.Sprintf("leave: 5 annual-leave requests from %s: %s's pending with the unit head, one approved, one of %d working days %s, one rejected, one cancelled",
		date(base), s.officer.Name, long.Days, longText))
	return nil
}

func (s *seeder) seedHealthChecks(ctx context.Context, checkers []*demoMember) error {
	y := s.today.Year()
	cw := s.caseworker()
	opens := s.today.AddDate(0, 0, -30)
	if opens.Year() != y {
		opens = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	closes := time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
	slotDay := s.today.AddDate(0, 0, 3)
	for slotDay.Weekday() == time.Saturday || slotDay.Weekday() == time.Sunday {
		slotDay = slotDay.AddDate(0, 0, 1)
	}
	nextDay := slotDay.AddDate(0, 0, 1)
	for nextDay.Weekday() == time.Saturday || nextDay.Weekday() == time.Sunday {
		nextDay = nextDay.AddDate(0, 0, 1)
	}
	if nextDay.After(closes) {
		s.res.skipped = append(s.res.skipped, "health checks: too late in the year to plan a round")
		return nil
	}
	var round struct {
		ID string `json:"id"`
	}
	if _, err := s.call(ctx, "plan the health-check round", cw, "leave", http.MethodPost, "/health-checks/rounds", map[string]any{
		"unit_id": s.units["cg"], "year": y, "opens": date(opens), "closes": date(closes)}, 0, &round); err != nil {
		return err
	}
	var slots []string
	for _, day := range []time.Time{slotDay, nextDay} {
		var slot struct {
			ID string `json:"id"`
		}
		start := time.Date(day.Year(), day.Month(), day.Day(), 8, 30, 0, 0, clock.Shanghai)
		if _, err := s.call(ctx, "add a health-check slot", cw, "leave", http.MethodPost, "/health-checks/rounds/"+round.ID+"/slots",
			map[string]any{"starts_at": start.Format(time.RFC3339), "capacity": 20}, 0, &slot); err != nil {
			return err
		}
		slots = append(slots, slot.ID)
	}
	for _, m := range checkers {
		if _, err := s.call(ctx, "book a health check for "+m.Name, cw, "leave", http.MethodPost, "/health-checks/slots/"+slots[0]+"/bookings",
			map[string]any{"member_id": m.ID}, 0, nil); err != nil {
			return err
		}
	}
	if _, err := s.call(ctx, "book the demo officer's health check", s.officerID(s.officer), "leave", http.MethodPost, "/health-checks/slots/"+slots[1]+"/bookings",
		map[string]any{}, 0, nil); err != nil {
		return err
	}
	s.res.done = append(s.res.done, fmt.Sprintf("leave: health-check round %d for 城关派出所 (%s to %s), 2 slots, %d bookings", y, date(opens), date(closes), len(checkers)+1))
	return nil
}

// nationalUrbanIncomeYuan is the national urban per-capita disposable
// income (全国城镇居民人均可支配收入) by year, NBS figures from the project's
// reference data (shared/data/reference.json).
var nationalUrbanIncomeYuan = []struct {
	Year int
	Yuan int64
}{{2019, 42359}, {2020, 43834}, {2021, 47412}, {2022, 49283}, {2023, 51821}, {2024, 54188}}

// demoCaseworkerPhone is the office phone the demo caseworker gives the
// officers whose cases they take (a demo number).
const demoCaseworkerPhone = "0000-6660110"

// Demo wage parameters. The reference data has no regional average or
// minimum wage (they are provincial figures): these are plausible demo
// values, said to be so in the seed's output, for admins to replace with
// the province's announcement on the parameters page.
const (
	demoRegionalAverageMonthlyWageFen = 750000 // 7,500 yuan a month
	demoMinimumMonthlyWageFen         = 200000 // 2,000 yuan a month
	demoWageParametersFrom            = "2025-07-01"
)

// seedInjuryParameters gives the injury service the dated parameters its
// benefit calculators read (a fresh installation has none, so no 测算 or
// case calculation could work), and the grants service the regional wage
// its work-injury death calculator reads.
func (s *seeder) seedInjuryParameters(ctx context.Context) error {
	admin := s.admin()
	for _, y := range nationalUrbanIncomeYuan {
		from := fmt.Sprintf("%d-01-01", y.Year)
		if _, err := s.call(ctx, "injury national income "+from, admin, "injury", http.MethodPut, "/parameters/national_urban_income/"+from,
			map[string]any{"value_fen": y.Yuan * 100}, 0, nil); err != nil {
			return err
		}
	}
	for kind, fen := range map[string]int64{"regional_average_monthly_wage": demoRegionalAverageMonthlyWageFen, "minimum_monthly_wage": demoMinimumMonthlyWageFen} {
		if _, err := s.call(ctx, "injury "+kind, admin, "injury", http.MethodPut, "/parameters/"+kind+"/"+demoWageParametersFrom,
			map[string]any{"value_fen": fen}, 0, nil); err != nil {
			return err
		}
	}
	if _, err := s.call(ctx, "grants regional monthly wage", admin, "grants", http.MethodPut, "/rates", map[string]any{"kind": "regional_monthly_wage",
		"valid_from": demoWageParametersFrom, "amount": demoRegionalAverageMonthlyWageFen, "source": "演示数据（非官方公布数）"}, 0, nil); err != nil {
		return err
	}
	first, last := nationalUrbanIncomeYuan[0], nationalUrbanIncomeYuan[len(nationalUrbanIncomeYuan)-1]
	s.res.done = append(s.res.done, fmt.Sprintf("parameters: national urban income %d–%d (NBS) for injury; DEMO regional average monthly wage %d yuan and minimum wage %d yuan from %s for injury (and the regional wage for grants): replace them with the province's figures",
		first.Year, last.Year, demoRegionalAverageMonthlyWageFen/100, demoMinimumMonthlyWageFen/100, demoWageParametersFrom))
	return nil
}
