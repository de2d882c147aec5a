// Package enrollment seeds the demo county's member registry through the
// enrollment service's generated client: the unit tree, 200 members with
// their dependants, an honour, and this year's insurance plans with every
// member enrolled.
package enrollment

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/api/client"
	api "github.com/anxin-welfare/anxin/api/client/enrollment"
	"github.com/anxin-welfare/anxin/internal/seed"
	"github.com/anxin-welfare/anxin/pkg/page"
)

// Service is the audience of the seed's tokens.
const Service = "enrollment"

// Present reports whether an earlier run's data is there: the seed creates
// the committee unit first, so its presence means an earlier run.
func Present(ctx context.Context, d *seed.Demo, c *api.ClientWithResponses) (bool, error) {
	const step = "look for earlier demo data"
	marker := seed.DemoUnits[len(seed.DemoUnits)-1].Code
	// The unit list pages by key: read it to its end (a registry seeded
	// at scale has hundreds of units).
	limit := 500
	units, err := page.All(func(after *string) ([]api.Unit, *string, error) {
		r, err := c.ListUnitsWithResponse(ctx, &api.ListUnitsParams{Limit: &limit, After: after}, d.As(Service, d.Admin()))
		if err != nil {
			return nil, nil, seed.Step(step, err)
		}
		p, err := seed.Answer(step, r.JSON200)
		if err != nil {
			return nil, nil, err
		}
		return p.Units, p.Next, nil
	})
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(units, func(u api.Unit) bool { return u.Code == marker }), nil
}

// Seed creates the units, the members and the plans, and fills d's units
// and members with the ids the service gave them.
func Seed(ctx context.Context, d *seed.Demo, c *api.ClientWithResponses) error {
	if err := units(ctx, d, c); err != nil {
		return err
	}
	if err := members(ctx, d, c); err != nil {
		return err
	}
	return plans(ctx, d, c)
}

func units(ctx context.Context, d *seed.Demo, c *api.ClientWithResponses) error {
	admin := d.As(Service, d.Admin())
	for i := len(seed.DemoUnits) - 1; i >= 0; i-- {
		u := seed.DemoUnits[i]
		step := "create unit " + u.Name
		body := api.UnitInput{Code: u.Code, Name: u.Name, Kind: api.UnitInputKind(u.Kind)}
		if u.Parent != "" {
			body.ParentId = new(d.UnitID[u.Parent])
		}
		r, err := c.CreateUnitWithResponse(ctx, body, admin)
		if err != nil {
			return seed.Step(step, err)
		}
		unit, err := seed.Answer(step, r.JSON201)
		if err != nil {
			return err
		}
		d.UnitID[u.Key] = unit.Id
	}
	d.Done("enrollment: %d units (县委政法委 and below)", len(seed.DemoUnits))
	return nil
}

func members(ctx context.Context, d *seed.Demo, c *api.ClientWithResponses) error {
	cw := d.As(Service, d.Caseworker())
	d.Members = seed.People(d.Today)
	dependants := 0
	for i, m := range d.Members {
		m.UnitID = d.UnitID[m.Unit]
		post := &api.Post{Frontline: new(m.Frontline)}
		if m.Category == "auxiliary_police" {
			post.AuxDuty, post.HighRisk = new(api.PostAuxDuty(m.AuxDuty)), new(m.HighRisk)
		}
		step := "register member " + m.Name
		r, err := c.RegisterMemberWithResponse(ctx, api.MemberInput{
			UnitId: m.UnitID, Name: m.Name, Category: api.Category(m.Category), Post: post,
			IdNumber: seed.IDNumber(m.Birth, 2*i, m.Male), Phone: new(seed.Phone(i)), HireDate: seed.Day(m.Hire),
		}, cw)
		if err != nil {
			return seed.Step(step, err)
		}
		member, err := seed.Answer(step, r.JSON201)
		if err != nil {
			return err
		}
		m.ID, m.Version = member.Id, client.Version(r.HTTPResponse)
		for _, dep := range m.Dependants {
			r, err := c.AddDependantWithResponse(ctx, m.ID, &api.AddDependantParams{IfMatch: client.Tag(m.Version)}, api.DependantInput{
				Relation: api.DependantInputRelation(dep.Relation), Name: dep.Name, IdNumber: seed.IDNumber(dep.Birth, 400+2*dependants, dep.Male),
			}, cw)
			if err != nil {
				return seed.Step("add dependant of "+m.Name, err)
			}
			m.Version = client.Version(r.HTTPResponse)
			dependants++
		}
	}
	d.Officer, d.Family = d.Members[0], d.Members[1]
	d.Officer.Used, d.Family.Used = true, true
	byCat := map[string]int{}
	for _, m := range d.Members {
		byCat[m.Category]++
	}
	d.Done("enrollment: %d members (police %d, auxiliary_police %d, judge %d, prosecutor %d, judicial_police %d, civil_servant %d) with %d dependants",
		len(d.Members), byCat["police"], byCat["auxiliary_police"], byCat["judge"], byCat["prosecutor"], byCat["judicial_police"], byCat["civil_servant"], dependants)

	// A merit on record for the demo officer.
	r, err := c.AddHonourWithResponse(ctx, d.Officer.ID, &api.AddHonourParams{IfMatch: client.Tag(d.Officer.Version)},
		api.Honour{Kind: "merit_third", AwardedOn: seed.Day(time.Date(2019, 12, 20, 0, 0, 0, 0, time.UTC))}, cw)
	if err != nil {
		return seed.Step("record an honour", err)
	}
	d.Officer.Version = client.Version(r.HTTPResponse)
	return nil
}

func plans(ctx context.Context, d *seed.Demo, c *api.ClientWithResponses) error {
	y := d.Today.Year()
	all := []api.Category{"police", "judicial_police", "judge", "prosecutor", "civil_servant", "auxiliary_police"}
	from, to := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
	coverage := api.Period{From: new(seed.Day(from)), To: new(seed.Day(to))}
	disability := make([]int, 10)
	for g := range disability {
		disability[g] = seed.Yuan(1000000) * (10 - g) / 10
	}
	plans := []api.PlanInput{
		{Scheme: "work_injury", Year: y, Name: fmt.Sprintf("%d年度工伤保险", y), Coverage: coverage,
			Eligibility: api.Eligibility{Categories: &all}, PremiumFen: seed.Yuan(960), Payer: "unit", WaitingDays: new(0)},
		{Scheme: "personal_accident", Year: y, Name: fmt.Sprintf("%d年度干警人身意外伤害保险", y), Coverage: coverage,
			Eligibility: api.Eligibility{Categories: &[]api.Category{"police", "judicial_police", "auxiliary_police"}}, PremiumFen: seed.Yuan(300), Payer: "county_finance",
			WaitingDays: new(0), SumsInsured: &api.SumsInsured{DeathFen: new(seed.Yuan(1000000)), DisabilityFen: &disability}},
		{Scheme: "critical_illness", Year: y, Name: fmt.Sprintf("%d年度重大疾病保险", y), Coverage: coverage,
			Eligibility: api.Eligibility{Categories: &all}, PremiumFen: seed.Yuan(240), Payer: "county_finance",
			WaitingDays: new(90), SumsInsured: &api.SumsInsured{CriticalIllnessFen: new(seed.Yuan(300000))}},
	}
	admin, cw := d.As(Service, d.Admin()), d.As(Service, d.Caseworker())
	enrolled := 0
	for _, p := range plans {
		step := "create plan " + p.Name
		r, err := c.CreatePlanWithResponse(ctx, p, admin)
		if err != nil {
			return seed.Step(step, err)
		}
		plan, err := seed.Answer(step, r.JSON201)
		if err != nil {
			return err
		}
		step = "bulk-enroll in " + p.Name
		b, err := c.BulkEnrollWithResponse(ctx, plan.Id, api.BulkEnrollJSONRequestBody{UnitIds: []uuid.UUID{d.UnitID["committee"]}, Start: seed.Day(from)}, cw)
		if err != nil {
			return seed.Step(step, err)
		}
		bulk := b.JSON201
		if bulk == nil {
			bulk = b.JSON200
		}
		if bulk, err = seed.Answer(step, bulk); err != nil {
			return err
		}
		enrolled += len(bulk.Enrolled)
	}
	d.Done("enrollment: %d insurance plans for %d (work injury, personal accident, critical illness), %d enrollments by bulk enrollment", len(plans), y, enrolled)
	return nil
}
