// Package seed is the demo county that `anxin seed demo` builds: the people
// and units every service shares (people.go), the identities the seed acts
// as, and what the run did (report.go). The steps themselves live beside it,
// one package per service (internal/seed/enrollment, injury, grants,
// leave), each driving its service through the generated client of its
// OpenAPI document (api/client/<service>); the CLI composes them. No step
// builds an HTTP request or mirrors a service's types by hand:
// internal/guards keeps it so.
package seed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/anxin-welfare/anxin/api/client"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/clock"
)

// Demo is one run of the demo seed: the county as the services gave it
// back (ids and versions), the identities it acts as, and its report. The
// steps run one after another; Demo is not safe for concurrent use.
type Demo struct {
	tokens *auth.Tokens
	log    io.Writer

	// Now and Today are the clock's instant and date when the run began.
	Now   time.Time
	Today time.Time

	// UnitID is each demo unit's id, by unit key (DemoUnits).
	UnitID map[string]uuid.UUID
	// Members are the demo people once registered; Officer and Family are
	// the members the demo officer and family users stand for.
	Members []*Member
	Officer *Member
	Family  *Member
	// GradedCase is the number of the injury case graded in the demo,
	// whose case.graded event opens a grants notice for Family; "" when the
	// injury step did not run.
	GradedCase string
	// Programs are the grant programs' ids by code; nil when the grants
	// service has no fund API in this build.
	Programs map[string]uuid.UUID

	Report Report
}

// New starts a run that mints its identity tokens with tokens and writes
// its progress to log. clk gives the run's now and today.
func New(tokens *auth.Tokens, clk clock.Clock, log io.Writer) *Demo {
	return &Demo{tokens: tokens, log: log, Now: clk.Now(), Today: clock.Today(clk), UnitID: map[string]uuid.UUID{}}
}

// As is the request editor that acts as who towards service: a fresh
// identity token for that service's audience, as the gateway mints, and
// Chinese messages.
func (d *Demo) As(service string, who auth.Identity) client.Editor {
	as := client.As(d.tokens, who, service)
	return func(ctx context.Context, req *http.Request) error {
		req.Header.Set("Accept-Language", "zh-CN")
		return as(ctx, req)
	}
}

// Progress tells the operator which part runs, on the log (stderr): stdout
// is the summary that `make run` keeps.
func (d *Demo) Progress(format string, args ...any) {
	fmt.Fprintf(d.log, "seed: "+format+"\n", args...)
}

// Done, Skip and Note add a line to the report.
func (d *Demo) Done(format string, args ...any) {
	d.Report.Done = append(d.Report.Done, fmt.Sprintf(format, args...))
}

// Skip records a part the seed left out, with why.
func (d *Demo) Skip(format string, args ...any) {
	d.Report.Skipped = append(d.Report.Skipped, fmt.Sprintf(format, args...))
}

// Note records something the operator should know.
func (d *Demo) Note(format string, args ...any) {
	d.Report.Notes = append(d.Report.Notes, fmt.Sprintf(format, args...))
}

// Admin is the seed acting as an administrator of every demo unit.
func (d *Demo) Admin() auth.Identity {
	return auth.Identity{UserID: "seed", Name: "演示数据", Roles: []auth.Role{auth.RoleAdmin}, Units: d.Units()}
}

// Staff is the seed acting in role, the nth person of that role (n > 0
// gives a second approver a user id of their own, so the services'
// separation rules hold: nobody approves what they prepared, two different
// approvers above a threshold).
func (d *Demo) Staff(role auth.Role, n int) auth.Identity {
	names := map[auth.Role]string{auth.RoleCaseworker: "经办", auth.RoleUnitHead: "单位负责人", auth.RoleApprover: "审批", auth.RoleFinance: "财务"}
	id := "seed:" + string(role)
	name := "演示数据·" + names[role]
	if n > 0 {
		id += "-" + strconv.Itoa(n)
		name += strconv.Itoa(n)
	}
	return auth.Identity{UserID: id, Name: name, Roles: []auth.Role{role}, Units: d.Units()}
}

// Caseworker is the demo caseworker of every unit.
func (d *Demo) Caseworker() auth.Identity { return d.Staff(auth.RoleCaseworker, 0) }

// OfficerOf is the seed acting as the officer m, from their own account.
func (d *Demo) OfficerOf(m *Member) auth.Identity {
	return auth.Identity{UserID: "seed:member:" + m.ID.String(), MemberID: m.ID.String(), Name: m.Name,
		Roles: []auth.Role{auth.RoleOfficer}, Units: []string{m.UnitID.String()}}
}

// Units lists every demo unit's id, the police stations first: the demo
// users' home unit is the first.
func (d *Demo) Units() []string {
	out := make([]string, 0, len(DemoUnits))
	for _, u := range DemoUnits {
		if id, ok := d.UnitID[u.Key]; ok {
			out = append(out, id.String())
		}
	}
	return out
}

// Pick returns the first member not yet given a part, of unit (any unit
// when ""), that satisfies ok, and marks it used.
func (d *Demo) Pick(unit string, ok func(*Member) bool) (*Member, error) {
	for _, m := range d.Members {
		if !m.Used && (unit == "" || m.Unit == unit) && (ok == nil || ok(m)) {
			m.Used = true
			return m, nil
		}
	}
	return nil, fmt.Errorf("seed: no demo member in %q fits", unit)
}

// At is an instant daysAgo days before today, at hh:mm in Asia/Shanghai.
func (d *Demo) At(daysAgo, hh, mm int) time.Time {
	return time.Date(d.Today.Year(), d.Today.Month(), d.Today.Day()-daysAgo, hh, mm, 0, 0, clock.Shanghai)
}

// DaysAgo is the date daysAgo days before today.
func (d *Demo) DaysAgo(daysAgo int) time.Time { return d.Today.AddDate(0, 0, -daysAgo) }

// Day is a calendar date as the APIs take it.
func Day(t time.Time) openapi_types.Date { return openapi_types.Date{Time: t} }

// Yuan is an amount of whole yuan in fen.
func Yuan(n int) int { return n * 100 }

// Step names what failed: the seed's step and the service's answer.
func Step(step string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("seed step %q failed: %w", step, err)
}

// Missing reports whether err is a 404 for a collection route, which only
// a service that does not have that API in this build answers.
func Missing(err error) bool {
	var refused *client.Error
	return errors.As(err, &refused) && refused.Status == http.StatusNotFound
}

// Answer is the typed body of a 2xx answer, or an error naming the step
// when the service answered without the body its document promises.
func Answer[T any](step string, body *T) (*T, error) {
	if body == nil {
		return nil, fmt.Errorf("seed step %q: the answer has no body of the documented type", step)
	}
	return body, nil
}

// Eventually retries check until it holds or timeout passes; projections
// fill from events a moment after the write.
func Eventually(ctx context.Context, timeout time.Duration, check func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, err := check()
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = errors.New("timed out")
			}
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Expect checks that a step left an object in the state it should.
func Expect(what, got, want string) error {
	if got != want {
		return fmt.Errorf("seed: %s is %q after its steps, want %q", what, got, want)
	}
	return nil
}
