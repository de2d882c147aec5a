package grants

import (
	"context"
	"fmt"
	"time"

	api "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/internal/seed"
	"github.com/anxin-welfare/anxin/pkg/auth"
)

// Applications files applications at every stage of the approval chain,
// then waits a little for the notice the graded injury case opens.
func Applications(ctx context.Context, d *seed.Demo, c *api.ClientWithResponses) error {
	if d.Programs == nil {
		return nil // no grants API: noted by Programs
	}
	s := chain{d: d, c: c}
	// The second approval of the large grant is left to the demo approvers.
	cw, approver1, finance := d.Caseworker(), d.Staff(auth.RoleApprover, 1), d.Staff(auth.RoleFinance, 0)
	apply := func(m *seed.Member, program string, amount, income int, docs []string) (*app, error) {
		form := &api.Form{Category: new(m.Category)}
		if program != "demo-education" {
			form.IncomePerCapita = new(income)
		}
		body := api.ApplicationInput{Documents: &docs, Form: form}
		if amount > 0 {
			body.RequestedAmount = new(amount)
		}
		return s.apply(ctx, d.OfficerOf(m), program, body)
	}
	through := func(a *app, steps ...string) error {
		for _, st := range steps {
			who := map[string]auth.Identity{"review": cw, "approve": approver1, "disburse": finance}[st]
			if st == "submit" {
				who = d.OfficerOf(a.member)
			}
			if err := s.step(ctx, a, st, who); err != nil {
				return err
			}
		}
		return nil
	}
	hardshipDocs := []string{"家庭收入证明", "困难情况说明"}

	// Paid: submitted, reviewed, approved, disbursed.
	paid, err := apply(d.Officer, "demo-hardship", seed.Yuan(8000), seed.Yuan(1800), hardshipDocs)
	if err != nil {
		return err
	}
	paid.member = d.Officer
	if err := through(paid, "submit", "review", "approve", "disburse"); err != nil {
		return err
	}
	// Above the threshold: one approval given, the second awaited.
	big, err := d.Pick("dc", func(m *seed.Member) bool { return m.Category == "police" })
	if err != nil {
		return err
	}
	second, err := apply(big, "demo-hardship", seed.Yuan(15000), seed.Yuan(1500), hardshipDocs)
	if err != nil {
		return err
	}
	second.member = big
	if err := through(second, "submit", "review", "approve"); err != nil {
		return err
	}
	// Approved and awaiting payment, in finance's "to pay" list.
	um, err := d.Pick("cg", func(m *seed.Member) bool { return m.Category == "police" })
	if err != nil {
		return err
	}
	unpaid, err := apply(um, "demo-hardship", seed.Yuan(6000), seed.Yuan(1900), hardshipDocs)
	if err != nil {
		return err
	}
	unpaid.member = um
	if err := through(unpaid, "submit", "review", "approve"); err != nil {
		return err
	}
	// Submitted, in the caseworker's queue.
	parent, err := d.Pick("xj", seed.HasChild)
	if err != nil {
		if parent, err = d.Pick("", seed.HasChild); err != nil {
			return err
		}
	}
	edu, err := apply(parent, "demo-education", 0, 0, []string{"在读证明"})
	if err != nil {
		return err
	}
	edu.member = parent
	if err := through(edu, "submit"); err != nil {
		return err
	}
	// Returned for more documents.
	rm, err := d.Pick("bureau", func(m *seed.Member) bool { return m.Category == "police" })
	if err != nil {
		return err
	}
	returned, err := apply(rm, "demo-hardship", seed.Yuan(6000), seed.Yuan(2100), hardshipDocs)
	if err != nil {
		return err
	}
	returned.member = rm
	if err := through(returned, "submit"); err != nil {
		return err
	}
	if err := s.returnFor(ctx, returned, cw, "请补充街道或村委会出具的家庭收入证明原件扫描件。"); err != nil {
		return err
	}
	// A draft not yet sent.
	dm, err := d.Pick("court", nil)
	if err != nil {
		return err
	}
	draft, err := apply(dm, "demo-hardship", seed.Yuan(5000), seed.Yuan(2000), []string{"困难情况说明"})
	if err != nil {
		return err
	}
	for _, x := range []struct {
		app  *app
		want string
	}{{paid, "disbursed"}, {second, "reviewed"}, {unpaid, "approved"}, {edu, "submitted"}, {returned, "returned"}, {draft, "draft"}} {
		if err := seed.Expect("application "+x.app.Number, x.app.State, x.want); err != nil {
			return err
		}
	}
	d.Done("grants: applications %s disbursed, %s approved once and awaiting the second approver, %s approved and awaiting payment, %s submitted, %s returned for documents, %s draft",
		paid.Number, second.Number, unpaid.Number, edu.Number, returned.Number, draft.Number)
	return waitForNotice(ctx, d, c)
}

// FamilyApplication gives the demo family user (李娜, the wife of 王强) an
// application of her own, made with her account (familyUserID, the
// gateway's id of the user) as the grants service takes it from a family
// member: the education grant for their daughter 王梓萱, naming her as the
// dependant, submitted. The grants service knows the dependants from
// enrollment's member events, so this waits for them first.
func FamilyApplication(ctx context.Context, d *seed.Demo, c *api.ClientWithResponses, familyUserID string) error {
	if d.Programs == nil || d.Family == nil {
		return nil // no grants API: noted by Programs
	}
	const child = "王梓萱"
	list := "list the dependants of " + d.Family.Name
	cw := d.As(Service, d.Caseworker())
	childID := ""
	err := seed.Eventually(ctx, 20*time.Second, func() (bool, error) {
		r, err := c.ListDependantsWithResponse(ctx, d.Family.ID.String(), cw)
		if err != nil {
			return false, seed.Step(list, err)
		}
		deps, err := seed.Answer(list, r.JSON200)
		if err != nil {
			return false, err
		}
		for _, dep := range deps.Items {
			if dep.Name == child {
				childID = dep.DependantId
			}
		}
		return childID != "", nil
	})
	if err != nil {
		return fmt.Errorf("seed step %q: %w", "wait for the dependants of "+d.Family.Name+" in grants", err)
	}
	who := auth.Identity{UserID: familyUserID, MemberID: d.Family.ID.String(), Name: "李家属", Roles: []auth.Role{auth.RoleFamily}, Units: []string{d.Family.UnitID.String()}}
	s := chain{d: d, c: c}
	a, err := s.apply(ctx, who, "demo-education", api.ApplicationInput{DependantId: new(childID), Documents: &[]string{"在读证明"}})
	if err != nil {
		return err
	}
	if err := s.step(ctx, a, "submit", who); err != nil {
		return err
	}
	if err := seed.Expect("application "+a.Number, a.State, "submitted"); err != nil {
		return err
	}
	d.Done("grants: application %s by the family user for %s's daughter %s, submitted", a.Number, d.Family.Name, child)
	return nil
}
