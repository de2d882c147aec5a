// Package grants seeds the assistance fund through the grants service's
// generated client: this year's fund and its four programs, the regional
// wage its statutory calculator reads, applications at every stage of the
// approval chain, and the demo family user's own application.
package grants

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/api/client"
	api "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/internal/seed"
	"github.com/anxin-welfare/anxin/internal/seed/injury"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/page"
)

// Service is the audience of the seed's tokens.
const Service = "grants"

// Rates gives the grants service the regional monthly wage its work-injury
// death calculator reads: the injury step's demo figure, from the same day.
func Rates(ctx context.Context, d *seed.Demo, c *api.ClientWithResponses) error {
	if _, err := c.PutRateWithResponse(ctx, api.PutRateJSONRequestBody{Kind: "regional_monthly_wage", ValidFrom: seed.Day(injury.WageParametersFrom),
		Amount: injury.RegionalAverageMonthlyWageFen, Source: new("演示数据（非官方公布数）")}, d.As(Service, d.Admin())); err != nil {
		return seed.Step("grants regional monthly wage", err)
	}
	return nil
}

// Programs creates this year's fund and its programs, and records their
// ids in d. A fund the year has already (a province written by `anxin seed
// scale`, whose funds keep unallocated room) takes the programs when its
// room holds their allocations, as an admin would add them mid-year.
func Programs(ctx context.Context, d *seed.Demo, c *api.ClientWithResponses) error {
	admin := d.As(Service, d.Admin())
	y := d.Today.Year()
	existing, room, err := yearFund(ctx, c, admin, y)
	if err != nil {
		if seed.Missing(err) {
			d.Skip("grants: the grants service has no fund API in this build")
			return nil
		}
		return err
	}
	fund := existing
	if fund == nil {
		const create = "create the fund"
		r, err := c.CreateFundWithResponse(ctx, api.CreateFundJSONRequestBody{FiscalYear: y, Name: fmt.Sprintf("%d年度政法干警关爱帮扶资金", y), Appropriation: seed.Yuan(3000000)}, admin)
		if err != nil {
			return seed.Step(create, err)
		}
		if fund, err = seed.Answer(create, r.JSON201); err != nil {
			return err
		}
	}
	byGrade := make([]int, 10)
	for g := range byGrade {
		byGrade[g] = seed.Yuan(10000) * (10 - g)
	}
	programs := []api.ProgramInput{
		{FundId: fund.Id, Code: "demo-hardship", NameZh: "困难干警帮扶", NameEn: new("Officers in hardship"), Kind: "hardship",
			Allocation: seed.Yuan(800000), Eligibility: &api.Eligibility{MaxIncomePerCapita: new(seed.Yuan(2500))},
			AmountRule: api.AmountRule{Kind: "assessed", Cap: new(seed.Yuan(20000))}, RequiredDocuments: &[]string{"家庭收入证明", "困难情况说明"},
			DualApprovalAbove: seed.Yuan(10000)},
		{FundId: fund.Id, Code: "demo-disabled", NameZh: "因公致残干警慰问金", NameEn: new("Officers disabled on duty"), Kind: "disabled_on_duty",
			Allocation: seed.Yuan(600000), Eligibility: &api.Eligibility{Event: new(api.EligibilityEvent("disability_graded"))},
			AmountRule: api.AmountRule{Kind: "by_grade", ByGrade: &byGrade}, RequiredDocuments: &[]string{"伤残等级鉴定结论"},
			DualApprovalAbove: seed.Yuan(30000)},
		{FundId: fund.Id, Code: "demo-education", NameZh: "干警子女助学金", NameEn: new("Education support for officers' children"), Kind: "children_education",
			Allocation: seed.Yuan(300000), AmountRule: api.AmountRule{Kind: "fixed", Fixed: new(seed.Yuan(3000))}, RequiredDocuments: &[]string{"在读证明"},
			DualApprovalAbove: seed.Yuan(10000)},
		{FundId: fund.Id, Code: "demo-martyr", NameZh: "烈士及因公牺牲干警遗属抚恤", NameEn: new("Families of martyrs and officers fallen on duty"), Kind: "martyr_family",
			Allocation: seed.Yuan(1000000), Eligibility: &api.Eligibility{Event: new(api.EligibilityEvent("death_on_duty")), DependantsOnly: new(true)},
			AmountRule: api.AmountRule{Kind: "statutory", Calculator: new(api.AmountRuleCalculator("martyr_grant"))}, RequiredDocuments: &[]string{"烈士证明书", "亲属关系证明"},
			DualApprovalAbove: 0},
	}
	if existing != nil {
		need := 0
		for _, p := range programs {
			need += p.Allocation
		}
		if room < need {
			return fmt.Errorf("seed: this year's fund %q has %s unallocated, and the demo programs need %s", existing.Name, money.Fen(room), money.Fen(need))
		}
	}
	d.Programs = map[string]uuid.UUID{}
	for _, p := range programs {
		step := "create program " + p.NameZh
		r, err := c.CreateProgramWithResponse(ctx, p, admin)
		if err != nil {
			return seed.Step(step, err)
		}
		program, err := seed.Answer(step, r.JSON201)
		if err != nil {
			return err
		}
		d.Programs[p.Code] = program.Id
	}
	if existing != nil {
		d.Done("grants: 4 programs (hardship, disabled on duty, children's education, martyr families) in the existing fund %d", y)
		return nil
	}
	d.Done("grants: fund %d (3,000,000 元) with 4 programs (hardship, disabled on duty, children's education, martyr families)", y)
	return nil
}

// yearFund finds the fund of fiscal year y, and its room: the appropriation
// less the programs' allocations. No fund is nil and no error.
func yearFund(ctx context.Context, c *api.ClientWithResponses, as client.Editor, y int) (*api.Fund, int, error) {
	funds, err := page.All(func(after *string) ([]api.Fund, *string, error) {
		const step = "list funds"
		r, err := c.ListFundsWithResponse(ctx, &api.ListFundsParams{After: after}, as)
		if err != nil {
			return nil, nil, seed.Step(step, err)
		}
		p, err := seed.Answer(step, r.JSON200)
		if err != nil {
			return nil, nil, err
		}
		return deref(p.Items), p.Next, nil
	})
	if err != nil {
		return nil, 0, err
	}
	i := slices.IndexFunc(funds, func(f api.Fund) bool { return f.FiscalYear == y })
	if i < 0 {
		return nil, 0, nil
	}
	found := &funds[i]
	programs, err := page.All(func(after *string) ([]api.Program, *string, error) {
		const step = "list the year's programs"
		r, err := c.ListProgramsWithResponse(ctx, &api.ListProgramsParams{FundId: &found.Id, After: after}, as)
		if err != nil {
			return nil, nil, seed.Step(step, err)
		}
		p, err := seed.Answer(step, r.JSON200)
		if err != nil {
			return nil, nil, err
		}
		return deref(p.Items), p.Next, nil
	})
	if err != nil {
		return nil, 0, err
	}
	room := found.Appropriation
	for _, p := range programs {
		room -= p.Allocation
	}
	return found, room, nil
}

// deref is *items, or none.
func deref[T any](items *[]T) []T {
	if items == nil {
		return nil
	}
	return *items
}

// app is a grant application as the seed follows it.
type app struct {
	ID      uuid.UUID
	Number  string
	State   string
	Version int64
	member  *seed.Member // the applicant, who submits
}

func (a *app) take(r *api.Application) {
	a.ID, a.Number, a.State, a.Version = r.Id, r.Number, string(r.State), int64(r.Version)
}

// chain drives the applications API.
type chain struct {
	d *seed.Demo
	c *api.ClientWithResponses
}

// apply files an application as who.
func (s chain) apply(ctx context.Context, who auth.Identity, program string, body api.ApplicationInput) (*app, error) {
	step := "apply to " + program + " for " + who.Name
	body.ProgramId = s.d.Programs[program]
	r, err := s.c.CreateApplicationWithResponse(ctx, body, s.d.As(Service, who))
	if err != nil {
		return nil, seed.Step(step, err)
	}
	a, err := seed.Answer(step, r.JSON201)
	if err != nil {
		return nil, err
	}
	out := &app{}
	out.take(a)
	return out, nil
}

// step takes one step of the approval chain (submit, review, approve,
// disburse) on a as who.
func (s chain) step(ctx context.Context, a *app, name string, who auth.Identity) error {
	label := name + " application " + a.Number
	id, tag, as, body := a.ID.String(), client.Tag(a.Version), s.d.As(Service, who), api.ApplicationStep{}
	var (
		got *api.Application
		err error
	)
	switch name {
	case "submit":
		var r *api.SubmitApplicationResponse
		if r, err = s.c.SubmitApplicationWithResponse(ctx, id, &api.SubmitApplicationParams{IfMatch: tag}, body, as); err == nil {
			got = r.JSON200
		}
	case "review":
		var r *api.ReviewApplicationResponse
		if r, err = s.c.ReviewApplicationWithResponse(ctx, id, &api.ReviewApplicationParams{IfMatch: tag}, body, as); err == nil {
			got = r.JSON200
		}
	case "approve":
		var r *api.ApproveApplicationResponse
		if r, err = s.c.ApproveApplicationWithResponse(ctx, id, &api.ApproveApplicationParams{IfMatch: tag}, body, as); err == nil {
			got = r.JSON200
		}
	case "disburse":
		var r *api.DisburseApplicationResponse
		if r, err = s.c.DisburseApplicationWithResponse(ctx, id, &api.DisburseApplicationParams{IfMatch: tag}, body, as); err == nil {
			got = r.JSON200
		}
	default:
		return fmt.Errorf("seed: no step %q of the approval chain", name)
	}
	if err != nil {
		return seed.Step(label, err)
	}
	if got, err = seed.Answer(label, got); err != nil {
		return err
	}
	a.take(got)
	return nil
}

// returnFor sends a back to its applicant for more documents, as who.
func (s chain) returnFor(ctx context.Context, a *app, who auth.Identity, reason string) error {
	label := "return application " + a.Number
	r, err := s.c.ReturnApplicationWithResponse(ctx, a.ID.String(), &api.ReturnApplicationParams{IfMatch: client.Tag(a.Version)},
		api.ApplicationStep{Reason: new(reason)}, s.d.As(Service, who))
	if err != nil {
		return seed.Step(label, err)
	}
	got, err := seed.Answer(label, r.JSON200)
	if err != nil {
		return err
	}
	a.take(got)
	return nil
}

// waitForNotice waits a little for the disabled-on-duty notice the grants
// service opens from the graded case's event: the proof that the events
// flow. It is a note, not a failure, when it has not arrived yet: the
// event stays in the stream and is applied when the services run again.
func waitForNotice(ctx context.Context, d *seed.Demo, c *api.ClientWithResponses) error {
	if d.GradedCase == "" {
		return nil
	}
	cw := d.As(Service, d.Caseworker())
	family := d.Family.ID.String()
	err := seed.Eventually(ctx, 20*time.Second, func() (bool, error) {
		r, err := c.ListNoticesWithResponse(ctx, &api.ListNoticesParams{}, cw)
		if err != nil {
			return false, seed.Step("list grants notices", err)
		}
		page, err := seed.Answer("list grants notices", r.JSON200)
		if err != nil {
			return false, err
		}
		for _, n := range page.Items {
			if n.MemberId == family {
				return true, nil
			}
		}
		return false, nil
	})
	switch {
	case err == nil:
		d.Done("grants: a disabled-on-duty notice for %s, opened by the case.graded event of %s", d.Family.Name, d.GradedCase)
	case ctx.Err() != nil:
		return err
	default:
		d.Note("the grants notice from %s's case.graded event has not arrived yet (%v); it appears once the services run", d.GradedCase, err)
	}
	return nil
}
