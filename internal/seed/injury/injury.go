// Package injury seeds the injury green channel through the injury
// service's generated client: the dated parameters its benefit calculators
// read, and six cases at every stage, one of them graded so that its event
// opens a grants notice.
package injury

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/api/client"
	api "github.com/anxin-welfare/anxin/api/client/injury"
	"github.com/anxin-welfare/anxin/internal/seed"
)

// Service is the audience of the seed's tokens.
const Service = "injury"

// nationalUrbanIncomeYuan is the national urban per-capita disposable
// income (全国城镇居民人均可支配收入) by year, NBS figures from the project's
// reference data (shared/data/reference.json).
var nationalUrbanIncomeYuan = []struct {
	Year int
	Yuan int
}{{2019, 42359}, {2020, 43834}, {2021, 47412}, {2022, 49283}, {2023, 51821}, {2024, 54188}}

// Demo wage parameters. The reference data has no regional average or
// minimum wage (they are provincial figures): these are plausible demo
// values, said to be so in the seed's output, for admins to replace with
// the province's announcement on the parameters page. Grants reads the
// same regional wage (internal/seed/grants).
const (
	RegionalAverageMonthlyWageFen = 750000 // 7,500 yuan a month
	MinimumMonthlyWageFen         = 200000 // 2,000 yuan a month
)

// WageParametersFrom is the day the demo wage parameters apply from.
var WageParametersFrom = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)

// caseworkerPhone is the office phone the demo caseworker gives the
// officers whose cases they take (a demo number).
const caseworkerPhone = "0000-6660110"

// Parameters gives the injury service the dated parameters its benefit
// calculators read: a fresh installation has none, so no 测算 or case
// calculation could work.
func Parameters(ctx context.Context, d *seed.Demo, c *api.ClientWithResponses) error {
	admin := d.As(Service, d.Admin())
	for _, y := range nationalUrbanIncomeYuan {
		from := time.Date(y.Year, 1, 1, 0, 0, 0, 0, time.UTC)
		if _, err := c.SetParameterWithResponse(ctx, "national_urban_income", seed.Day(from), api.SetParameterJSONRequestBody{ValueFen: seed.Yuan(y.Yuan)}, admin); err != nil {
			return seed.Step("injury national income "+from.Format(time.DateOnly), err)
		}
	}
	for _, p := range []struct {
		kind api.ParameterKind
		fen  int
	}{{"regional_average_monthly_wage", RegionalAverageMonthlyWageFen}, {"minimum_monthly_wage", MinimumMonthlyWageFen}} {
		if _, err := c.SetParameterWithResponse(ctx, p.kind, seed.Day(WageParametersFrom), api.SetParameterJSONRequestBody{ValueFen: p.fen}, admin); err != nil {
			return seed.Step("injury "+string(p.kind), err)
		}
	}
	first, last := nationalUrbanIncomeYuan[0], nationalUrbanIncomeYuan[len(nationalUrbanIncomeYuan)-1]
	d.Done("parameters: national urban income %d–%d (NBS) for injury; DEMO regional average monthly wage %d yuan and minimum wage %d yuan from %s for injury (and the regional wage for grants): replace them with the province's figures",
		first.Year, last.Year, RegionalAverageMonthlyWageFen/100, MinimumMonthlyWageFen/100, WageParametersFrom.Format(time.DateOnly))
	return nil
}

// kase is an injury case as the seed follows it.
type kase struct {
	ID      uuid.UUID
	Number  string
	Version int64
}

func ref(c api.Case) *kase {
	return &kase{ID: c.Id, Number: c.Number, Version: int64(c.Version)}
}

// cases drives the case API as the caseworker.
type cases struct {
	d *seed.Demo
	c *api.ClientWithResponses
}

// act takes one step on k as the caseworker.
func (s cases) act(ctx context.Context, k *kase, action api.Action, body api.ActionBody) error {
	r, err := s.c.ActOnCaseWithResponse(ctx, k.ID, action, &api.ActOnCaseParams{IfMatch: client.Tag(k.Version)}, body, s.d.As(Service, s.d.Caseworker()))
	if err != nil {
		return seed.Step(string(action)+" on case "+k.Number, err)
	}
	k.Version = client.Version(r.HTTPResponse)
	return nil
}

// steps takes each step on k in turn.
func (s cases) steps(ctx context.Context, k *kase, steps []step) error {
	for _, st := range steps {
		if err := s.act(ctx, k, st.action, st.body); err != nil {
			return err
		}
	}
	return nil
}

type step struct {
	action api.Action
	body   api.ActionBody
}

// open reports a case as who (a caseworker, or the injured officer).
func (s cases) open(ctx context.Context, who client.Editor, m *seed.Member, at time.Time, place, description, hospital string, severity api.Severity) (*kase, error) {
	const name = "open an injury case"
	r, err := s.c.OpenCaseWithResponse(ctx, api.OpenCase{
		MemberId: new(m.ID.String()), UnitId: m.UnitID.String(), InjuredAt: at.Format(time.RFC3339),
		Place: place, Description: description, Hospital: new(hospital), Severity: severity,
	}, who)
	if err != nil {
		return nil, seed.Step(name, err)
	}
	c, err := seed.Answer(name, r.JSON201)
	if err != nil {
		return nil, err
	}
	return ref(*c), nil
}

// Cases opens the six demo cases and takes each to its stage. It records
// the graded case in d for the grants step.
func Cases(ctx context.Context, d *seed.Demo, c *api.ClientWithResponses) error {
	cw := d.As(Service, d.Caseworker())
	if _, err := c.ListCasesWithResponse(ctx, &api.ListCasesParams{}, cw); err != nil {
		if seed.Missing(err) {
			d.Skip("injury cases: the injury service has no case API in this build")
			return nil
		}
		return seed.Step("list injury cases", err)
	}
	s := cases{d: d, c: c}
	const hospital = "县人民医院"
	handoff := func(guaranteeYuan int) step {
		return step{"confirm_handoff", api.ActionBody{Hospital: new(hospital), GuaranteeFen: new(seed.Yuan(guaranteeYuan)), Phone: new(caseworkerPhone)}}
	}
	// In treatment: reported by the officer himself from the scene; a minor
	// injury without injury leave, so his annual-leave request stands.
	zhang := d.Officer
	a, err := s.open(ctx, d.As(Service, d.OfficerOf(zhang)), zhang, d.At(3, 9, 40),
		"城关镇人民路与解放路交叉口", "路口执勤处置交通事故时，被失控电动车撞伤左小腿", hospital, "minor")
	if err != nil {
		return err
	}
	if err := s.steps(ctx, a, []step{handoff(5000)}); err != nil {
		return err
	}

	// In triage: critical, just reported, not yet acknowledged (its clock is red).
	bm, err := d.Pick("dc", func(m *seed.Member) bool { return m.Category == "police" })
	if err != nil {
		return err
	}
	b, err := s.open(ctx, cw, bm, d.Now.Add(-50*time.Minute), "东城区建设路农贸市场", "抓捕持刀嫌疑人时右前臂被刺伤，出血较多，已送医", "县中医院", "critical")
	if err != nil {
		return err
	}

	// Determination filed and accepted: the decision clock runs.
	cm, err := d.Pick("xj", func(m *seed.Member) bool { return m.Category == "auxiliary_police" && m.AuxDuty == "duty" })
	if err != nil {
		return err
	}
	cc, err := s.open(ctx, cw, cm, d.At(45, 22, 15), "西郊镇307国道治安检查站", "夜间设卡检查时被强行闯卡车辆剐倒，左锁骨骨折", hospital, "serious")
	if err != nil {
		return err
	}
	if err := s.steps(ctx, cc, []step{
		handoff(20000),
		{"start_leave", api.ActionBody{Start: new(seed.Day(d.DaysAgo(45)))}},
		{"file_determination", api.ActionBody{FiledOn: new(seed.Day(d.DaysAgo(30)))}},
		{"accept_filing", api.ActionBody{AcceptedOn: new(seed.Day(d.DaysAgo(25))), ClearFacts: new(false)}},
	}); err != nil {
		return err
	}

	// Recognised and graded: the grants service opens a disabled-on-duty
	// notice from its case.graded event.
	wang := d.Family
	dd, err := s.open(ctx, cw, wang, d.At(150, 15, 30), "城关镇滨河小区", "入户调解家庭纠纷时遭当事人持械袭击，头部及右手受伤", hospital, "serious")
	if err != nil {
		return err
	}
	if err := s.steps(ctx, dd, []step{
		handoff(30000),
		{"start_leave", api.ActionBody{Start: new(seed.Day(d.DaysAgo(150)))}},
		{"file_determination", api.ActionBody{FiledOn: new(seed.Day(d.DaysAgo(140)))}},
		{"accept_filing", api.ActionBody{AcceptedOn: new(seed.Day(d.DaysAgo(125))), ClearFacts: new(true)}},
		{"decide", api.ActionBody{DecidedOn: new(seed.Day(d.DaysAgo(110))), Outcome: new(api.ActionBodyOutcome("recognised")), Clause: new(1)}},
		{"request_grading", api.ActionBody{AppliedOn: new(seed.Day(d.DaysAgo(100)))}},
		{"record_grade", api.ActionBody{GradedOn: new(seed.Day(d.DaysAgo(60))), Grade: new(8), Nursing: new(api.Nursing("none"))}},
	}); err != nil {
		return err
	}

	// One incident, two injured: one in treatment, one withdrawn and closed.
	e1, err := d.Pick("dc", func(m *seed.Member) bool { return m.Category == "police" })
	if err != nil {
		return err
	}
	e2, err := d.Pick("dc", func(m *seed.Member) bool { return m.Category == "auxiliary_police" })
	if err != nil {
		return err
	}
	const report = "report an incident"
	r, err := c.OpenIncidentWithResponse(ctx, api.OpenIncident{
		UnitId: e1.UnitID.String(), OccurredAt: d.At(20, 10, 5).Format(time.RFC3339), Place: "东城区和平广场",
		Description: "处置聚众斗殴警情，一名民警、一名辅警在制止过程中受伤",
		Injured: []api.InjuredPerson{
			{MemberId: new(e1.ID.String()), Severity: "serious", Hospital: new(hospital)},
			{MemberId: new(e2.ID.String()), Severity: "minor", Hospital: new(hospital)},
		}}, cw)
	if err != nil {
		return seed.Step(report, err)
	}
	inc, err := seed.Answer(report, r.JSON201)
	if err != nil {
		return err
	}
	if len(inc.Cases) != 2 {
		return fmt.Errorf("seed step %q: the incident has %d cases, want 2", report, len(inc.Cases))
	}
	treated, withdrawn := ref(inc.Cases[0]), ref(inc.Cases[1])
	if err := s.steps(ctx, treated, []step{handoff(10000)}); err != nil {
		return err
	}
	if _, err := c.AddCommentWithResponse(ctx, withdrawn.ID, api.AddCommentJSONRequestBody{Body: "仅手臂轻微擦伤，现场处置后已返岗，本人申请撤回。"}, cw); err != nil {
		return seed.Step("comment on case "+withdrawn.Number, err)
	}
	if err := s.steps(ctx, withdrawn, []step{{"close", api.ActionBody{Reason: new("withdrawn")}}}); err != nil {
		return err
	}
	d.GradedCase = dd.Number
	d.Done("injury: 6 cases: %s critical in triage (unacknowledged), %s and %s in treatment (%s with %s of an incident), %s determination accepted, %s recognised and graded (grade 8), %s withdrawn and closed",
		b.Number, a.Number, treated.Number, treated.Number, withdrawn.Number, cc.Number, dd.Number, withdrawn.Number)
	return nil
}
