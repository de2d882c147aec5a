package cli

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/anxin-welfare/anxin/pkg/app"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/gateway"
)

// seedCmd is `anxin seed demo`: a demo county for trying the system out.
func seedCmd() *cobra.Command {
	seed := &cobra.Command{
		Use:   "seed",
		Short: "Load data into the system",
	}
	seed.AddCommand(&cobra.Command{
		Use:   "demo",
		Short: "Create a demo county (units, members, plans, cases, grants, leave, users) through the services' APIs",
		Long: `Create a demo county: its unit tree, 200 members with dependants, this
year's insurance plans and their enrollment, injury cases, an assistance fund
with programs and applications, leave requests and a health-check round, and
one user per role with a random password printed at the end.

The services run inside this command on free loopback ports and the data goes
through their HTTP APIs, so every event is published and every projection
fills exactly as in use. Running it again changes nothing. It refuses to run
when ANXIN_ENV=production.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if err := cobra.NoArgs(cmd, args); err != nil {
				return usageError{err}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return seedDemo(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	})
	seed.AddCommand(seedScaleCmd())
	return seed
}

// seedDemo starts every service, drives their APIs and stops them.
func seedDemo(ctx context.Context, stdout, stderr io.Writer) error {
	base, err := app.Load()
	if err == nil && base.Env == app.EnvProduction {
		return fmt.Errorf("%w: %w", app.ErrConfig, gateway.ErrDemoInProduction)
	}
	cfg, _, err := loadAll(ServiceNames)
	if err != nil {
		return err
	}
	publicURL := gatewayURL(cfg.Addrs.Gateway)
	// The services run on free loopback ports of their own, so the seed
	// never collides with a running `anxin serve` and the gateway built here
	// routes to the services started here.
	addrs := map[string]string{}
	for _, name := range ServiceNames {
		a, err := freeLoopbackAddr()
		if err != nil {
			return fmt.Errorf("seed: pick a port for %s: %w", name, err)
		}
		addrs[name] = a
	}
	cfg.Addrs = app.Addrs{Gateway: addrs["gateway"], Enrollment: addrs["enrollment"], Injury: addrs["injury"], Grants: addrs["grants"], Leave: addrs["leave"], Notify: addrs["notify"]}
	cfg.URLs = app.URLs{Enrollment: "http://" + addrs["enrollment"], Injury: "http://" + addrs["injury"], Grants: "http://" + addrs["grants"], Leave: "http://" + addrs["leave"], Notify: "http://" + addrs["notify"]}
	cfgs := map[string]any{}
	for _, name := range ServiceNames {
		c, err := specs[name].load(addrs[name])
		if err != nil {
			return fmt.Errorf("%w: %s: %w", app.ErrConfig, name, err)
		}
		cfgs[name] = c
	}
	if cfg.LogLevel == "info" {
		// The services' request logs would bury the summary.
		cfg.LogLevel = "warn"
	}
	log := app.NewLogger(cfg.LogLevel)
	deps, err := app.Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer deps.Close()

	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	g, gctx := errgroup.WithContext(runCtx)
	for _, name := range ServiceNames {
		s, err := specs[name].build(ctx, deps, cfgs[name])
		if err != nil {
			stop()
			_ = g.Wait()
			return fmt.Errorf("seed: start %s: %w", name, err)
		}
		g.Go(func() error {
			if err := s.Run(gctx); err != nil && !errors.Is(err, context.Canceled) {
				return fmt.Errorf("%s: %w", name, err)
			}
			return nil
		})
	}
	stopAll := func() error {
		stop()
		if err := g.Wait(); err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
		return nil
	}

	s := &seeder{
		client: &http.Client{Timeout: 60 * time.Second},
		urls:   map[string]string{},
		tokens: deps.Tokens,
		log:    stderr,
		now:    deps.Clock.Now(),
		today:  clock.Today(deps.Clock),
	}
	for name, a := range addrs {
		s.urls[name] = "http://" + a
	}
	if err := s.waitHealthy(gctx); err != nil {
		return errors.Join(err, stopAll())
	}
	res, err := s.run(gctx)
	if err == nil && !res.present {
		res.users, res.who = s.demoUsers()
		gcfg := cfgs["gateway"].(gateway.Config)
		res.creds, err = gateway.SeedUsers(gctx, deps, gcfg, res.users)
		if err != nil {
			err = fmt.Errorf("seed: demo users: %w", err)
		}
		if err == nil {
			var familyID string
			if familyID, err = gatewayUserID(gctx, deps.Config.DatabaseURL, cmp.Or(gcfg.Schema, gateway.Name), "family"); err == nil {
				err = s.seedFamilyApplication(gctx, familyID)
				res.done = s.res.done
			}
		}
	}
	switch serr := stopAll(); {
	case serr != nil:
		// A failing service cancels the others' context: the seed's own
		// "context canceled" is then only the consequence.
		if errors.Is(err, context.Canceled) {
			err = nil
		}
		err = errors.Join(err, fmt.Errorf("seed: a service failed: %w", serr))
	case errors.Is(err, context.Canceled) && ctx.Err() == nil:
		err = errors.New("seed: a service stopped while the seed ran")
	}
	if err != nil {
		return fmt.Errorf("%w\nthe demo data is incomplete: start from an empty database (make clean-data) and run `anxin seed demo` again", err)
	}
	return res.print(stdout, publicURL)
}

// gatewayURL is where people open the system once `anxin serve` runs.
func gatewayURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr + "/"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

// freeLoopbackAddr picks a loopback port nobody listens on.
func freeLoopbackAddr() (string, error) {
	var lc net.ListenConfig
	l, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// seeder drives the services' APIs with identity tokens it issues itself,
// one identity per duty so the services' separation rules (nobody
// approves what they prepared, two different approvers) hold.
type seeder struct {
	client *http.Client
	urls   map[string]string
	tokens *auth.Tokens
	log    io.Writer
	now    time.Time
	today  time.Time

	units   map[string]string // unit key → id
	members []*demoMember
	officer *demoMember // the demo officer's member record
	family  *demoMember // the member whose family the demo family user is
	graded  *caseRef    // the graded injury case, whose event opens a grants notice
	// programs are the grant programs' ids by code; nil without a grants API.
	programs map[string]string
	res      seedResult
}

// seedResult is what the run did, for the summary.
type seedResult struct {
	present bool
	done    []string
	skipped []string
	notes   []string
	users   []gateway.DemoUser
	creds   []gateway.Credential
	// who describes each demo user's person, by username.
	who map[string]string
}

// print writes the summary and the login table; a second run says only
// that the data is there, and reveals nothing.
func (r *seedResult) print(w io.Writer, url string) error {
	if r.present {
		_, err := fmt.Fprintf(w, "demo data already present: nothing changed (演示数据已存在，未做任何改动)\nopen %s\n", url)
		return err
	}
	fmt.Fprintln(w, "demo data created (演示数据已创建):")
	for _, d := range r.done {
		fmt.Fprintln(w, "  -", d)
	}
	for _, s := range r.skipped {
		fmt.Fprintln(w, "  - skipped:", s)
	}
	for _, n := range r.notes {
		fmt.Fprintln(w, "  - note:", n)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "demo logins (演示账号; the passwords are shown only this once):")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  USERNAME\tROLE\tPASSWORD\tWHO")
	for i, c := range r.creds {
		roles := make([]string, len(c.Roles))
		for j, role := range c.Roles {
			roles[j] = string(role)
		}
		pw := c.Password
		if !c.Created {
			pw = "(already existed, unchanged)"
		}
		who := ""
		if i < len(r.users) {
			who = r.users[i].DisplayName
			if extra := r.who[r.users[i].Username]; extra != "" {
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

// Identities the seed acts as. Each duty has its own user id.
func (s *seeder) admin() auth.Identity {
	return auth.Identity{UserID: "seed", Name: "演示数据", Roles: []auth.Role{auth.RoleAdmin}, Units: s.unitIDs()}
}

func (s *seeder) staff(role auth.Role, n int) auth.Identity {
	names := map[auth.Role]string{auth.RoleCaseworker: "经办", auth.RoleUnitHead: "单位负责人", auth.RoleApprover: "审批", auth.RoleFinance: "财务"}
	id := "seed:" + string(role)
	name := "演示数据·" + names[role]
	if n > 0 {
		id += "-" + strconv.Itoa(n)
		name += strconv.Itoa(n)
	}
	return auth.Identity{UserID: id, Name: name, Roles: []auth.Role{role}, Units: s.unitIDs()}
}

func (s *seeder) caseworker() auth.Identity { return s.staff(auth.RoleCaseworker, 0) }

func (s *seeder) officerID(m *demoMember) auth.Identity {
	return auth.Identity{UserID: "seed:member:" + m.ID, MemberID: m.ID, Name: m.Name, Roles: []auth.Role{auth.RoleOfficer}, Units: []string{m.UnitID}}
}

// unitIDs lists every demo unit, the police stations first: the demo
// users' home unit is the first.
func (s *seeder) unitIDs() []string {
	out := make([]string, 0, len(demoUnits))
	for _, u := range demoUnits {
		if id := s.units[u.key]; id != "" {
			out = append(out, id)
		}
	}
	return out
}

// demoUsers is gateway.DemoUsers with the approvers given every unit, so
// they also see the second-level leave approvals and the injury cases; who
// describes the person behind each, by username.
func (s *seeder) demoUsers() (users []gateway.DemoUser, who map[string]string) {
	users = gateway.DemoUsers(s.unitIDs(), s.officer.ID, s.family.ID)
	home := demoUnits[0].name
	who = map[string]string{}
	for i, u := range users {
		if len(u.Roles) == 1 && u.Roles[0] == auth.RoleApprover {
			users[i].Units = s.unitIDs()
		}
		switch {
		case u.Username == "officer":
			who[u.Username] = "member " + s.officer.Name + ", " + home
		case u.Username == "family":
			who[u.Username] = "family of " + s.family.Name + ", " + home
		case u.Username == "unithead":
			who[u.Username] = home
		case len(users[i].Units) > 1:
			who[u.Username] = "every demo unit"
		}
	}
	// A medical caseworker of every demo unit, who records health-check
	// results (the role administrators grant on the users page).
	users = append(users, gateway.DemoUser{Username: "doctor", DisplayName: "李医生", Roles: []auth.Role{auth.RoleMedicalCaseworker}, Units: s.unitIDs()})
	who["doctor"] = "medical caseworker, every demo unit"
	return users, who
}

// apiError is a service's refusal of one step, with its problem+json body.
type apiError struct {
	step   string
	method string
	path   string
	status int
	body   string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("seed step %q failed: %s %s answered %d: %s", e.step, e.method, e.path, e.status, strings.TrimSpace(e.body))
}

// call sends one request to a service as who and decodes a 2xx answer into
// out; it returns the version from the ETag (0 when none). ifMatch > 0
// sends If-Match.
func (s *seeder) call(ctx context.Context, step string, who auth.Identity, svc, method, path string, body any, ifMatch int64, out any) (int64, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, fmt.Errorf("seed step %q: %w", step, err)
		}
		rd = bytes.NewReader(b)
	}
	full := "/api/v1/" + svc + path
	req, err := http.NewRequestWithContext(ctx, method, s.urls[svc]+full, rd)
	if err != nil {
		return 0, fmt.Errorf("seed step %q: %w", step, err)
	}
	who.Audience = svc // the service's own token, as the gateway mints
	tok, err := s.tokens.Issue(who, time.Hour)
	if err != nil {
		return 0, fmt.Errorf("seed step %q: issue a token: %w", step, err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept-Language", "zh-CN")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if ifMatch > 0 {
		req.Header.Set("If-Match", strconv.Quote(strconv.FormatInt(ifMatch, 10)))
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("seed step %q: %s %s: %w", step, method, full, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return 0, fmt.Errorf("seed step %q: %s %s: %w", step, method, full, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return 0, &apiError{step: step, method: method, path: full, status: resp.StatusCode, body: string(raw)}
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return 0, fmt.Errorf("seed step %q: %s %s: decode the answer: %w", step, method, full, err)
		}
	}
	v, _ := strconv.ParseInt(strings.Trim(strings.TrimPrefix(resp.Header.Get("ETag"), "W/"), `"`), 10, 64)
	return v, nil
}

// isMissingRoute reports whether err is a 404 for a collection route, which
// only a service that does not have that API yet answers.
func isMissingRoute(err error) bool {
	var ae *apiError
	return errors.As(err, &ae) && ae.status == http.StatusNotFound
}

// waitHealthy waits until every service answers /healthz.
func (s *seeder) waitHealthy(ctx context.Context) error {
	deadline := time.Now().Add(30 * time.Second)
	for _, name := range ServiceNames {
		for {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.urls[name]+"/healthz", nil)
			if err != nil {
				return err
			}
			resp, err := s.client.Do(req)
			if err == nil {
				_ = resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
			if ctx.Err() != nil {
				return fmt.Errorf("seed: %s did not start: %w", name, context.Cause(ctx))
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("seed: %s did not become healthy within 30s", name)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return nil
}

// eventually retries check until it holds or the timeout passes; projections
// fill from events a moment after the write.
func eventually(ctx context.Context, timeout time.Duration, check func() (bool, error)) error {
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

// progress tells the operator which part runs, on stderr: stdout is the
// summary that `make run` keeps.
func (s *seeder) progress(format string, args ...any) {
	fmt.Fprintf(s.log, "seed: "+format+"\n", args...)
}

// run creates everything, service by service. A service whose API is not
// in this build (its collection route answers 404) is skipped with a note;
// any other refusal stops the seed with the service's problem.
func (s *seeder) run(ctx context.Context) (seedResult, error) {
	present, err := s.alreadySeeded(ctx)
	if err != nil {
		return s.res, err
	}
	if present {
		s.res.present = true
		return s.res, nil
	}
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"enrollment", s.seedEnrollment},
		// The programs exist before the injury cases, so the graded
		// case's event finds the disabled-on-duty program.
		{"grants programs", s.seedPrograms},
		{"injury parameters", s.seedInjuryParameters},
		{"injury", s.seedInjury},
		{"grants applications", s.seedApplications},
		{"leave", s.seedLeave},
	}
	for _, st := range steps {
		s.progress("%s …", st.name)
		if err := st.fn(ctx); err != nil {
			return s.res, err
		}
	}
	return s.res, nil
}

// alreadySeeded reports whether the demo committee unit exists: the seed
// creates it first, so its presence means an earlier run.
func (s *seeder) alreadySeeded(ctx context.Context) (bool, error) {
	var out struct {
		Units []struct {
			Code string `json:"code"`
		} `json:"units"`
	}
	if _, err := s.call(ctx, "look for earlier demo data", s.admin(), "enrollment", http.MethodGet, "/units", nil, 0, &out); err != nil {
		return false, err
	}
	for _, u := range out.Units {
		if u.Code == demoUnits[len(demoUnits)-1].code {
			return true, nil
		}
	}
	return false, nil
}

// date formats a calendar date as the APIs take it.
func date(t time.Time) string { return t.Format(time.DateOnly) }

// yuan is an amount of whole yuan in fen.
func yuan(n int64) int64 { return n * 100 }
