package seed

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/services/gateway"
)

// Report is what a run did, for the summary on stdout.
type Report struct {
	// Present is set when an earlier run's data was found and nothing
	// was done.
	Present bool
	Done    []string
	Skipped []string
	Notes   []string
	// Users are the demo accounts asked of the gateway, Creds what it
	// answered, in the same order; Who describes each user's person, by
	// username.
	Users []gateway.DemoUser
	Creds []gateway.Credential
	Who   map[string]string
}

// Print writes the summary and the login table; a second run says only
// that the data is there, and reveals nothing.
func (r *Report) Print(w io.Writer, url string) error {
	if r.Present {
		_, err := fmt.Fprintf(w, "demo data already present: nothing changed (演示数据已存在，未做任何改动)\nopen %s\n", url)
		return err
	}
	fmt.Fprintln(w, "demo data created (演示数据已创建):")
	for _, d := range r.Done {
		fmt.Fprintln(w, "  -", d)
	}
	for _, s := range r.Skipped {
		fmt.Fprintln(w, "  - skipped:", s)
	}
	for _, n := range r.Notes {
		fmt.Fprintln(w, "  - note:", n)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "demo logins (演示账号; the passwords are shown only this once):")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  USERNAME\tROLE\tPASSWORD\tWHO")
	for i, c := range r.Creds {
		roles := make([]string, len(c.Roles))
		for j, role := range c.Roles {
			roles[j] = string(role)
		}
		pw := c.Password
		if !c.Created {
			pw = "(already existed, unchanged)"
		}
		who := ""
		if i < len(r.Users) {
			who = r.Users[i].DisplayName
			if extra := r.Who[r.Users[i].Username]; extra != "" {
				who += " (" + extra + ")"
			}
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", c.Username, strings.Join(roles, ","), pw, who)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nopen %s and sign in with one of them\n", url)
	return err
}

// DemoUsers is gateway.DemoUsers for this county, with the approvers given
// every unit, so they also see the second-level leave approvals and the
// injury cases, and a medical caseworker of every unit; it records who
// each user's person is in the report.
func (d *Demo) DemoUsers() []gateway.DemoUser {
	users := gateway.DemoUsers(d.Units(), d.Officer.ID.String(), d.Family.ID.String())
	home := DemoUnits[0].Name
	who := map[string]string{}
	for i, u := range users {
		if len(u.Roles) == 1 && u.Roles[0] == auth.RoleApprover {
			users[i].Units = d.Units()
		}
		switch {
		case u.Username == "officer":
			who[u.Username] = "member " + d.Officer.Name + ", " + home
		case u.Username == "family":
			who[u.Username] = "family of " + d.Family.Name + ", " + home
		case u.Username == "unithead":
			who[u.Username] = home
		case len(users[i].Units) > 1:
			who[u.Username] = "every demo unit"
		}
	}
	// A medical caseworker of every demo unit, who records health-check
	// results (the role administrators grant on the users page).
	users = append(users, gateway.DemoUser{Username: "doctor", DisplayName: "李医生", Roles: []auth.Role{auth.RoleMedicalCaseworker}, Units: d.Units()})
	who["doctor"] = "medical caseworker, every demo unit"
	d.Report.Users, d.Report.Who = users, who
	return users
}
