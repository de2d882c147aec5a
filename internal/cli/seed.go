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
	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/pkg/pg"
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
	cfg.Addrs = app.Addrs{Gateway: addrs["gateway"], Enrollment: addrs["enrollment"], Injury: addrs["injury"], Grants: addrs["grants"], Leave: addrs["leave"]}
	cfg.URLs = app.URLs{Enrollment: "http://" + addrs["enrollment"], Injury: "http://" + addrs["injury"], Grants: "http://" + addrs["grants"], Leave: "http://" + addrs["leave"]}
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

// demoUnit is one unit of the demo county, listed children before parents.
type demoUnit struct {
	key, code, name, kind, parent string
}

// demoUnits is the county's tree. The committee is created first and is
// the marker of an earlier run; the police stations come first in the list
// because the demo users' home unit is the first.
var demoUnits = []demoUnit{
	{key: "cg", code: "demo-gaj-cg", name: "城关派出所", kind: "police_station", parent: "bureau"},
	{key: "dc", code: "demo-gaj-dc", name: "东城派出所", kind: "police_station", parent: "bureau"},
	{key: "xj", code: "demo-gaj-xj", name: "西郊派出所", kind: "police_station", parent: "bureau"},
	{key: "bureau", code: "demo-gaj", name: "县公安局", kind: "police_bureau", parent: "committee"},
	{key: "court", code: "demo-fy", name: "县人民法院", kind: "court", parent: "committee"},
	{key: "procuratorate", code: "demo-jcy", name: "县人民检察院", kind: "procuratorate", parent: "committee"},
	{key: "justice", code: "demo-sfj", name: "县司法局", kind: "justice_bureau", parent: "committee"},
	{key: "committee", code: "demo-zfw", name: "县委政法委", kind: "committee"},
}

// demoRoster is how many members of each category each unit has: 200.
var demoRoster = []struct {
	unit string
	mix  []demoCount
}{
	{"cg", []demoCount{{"police", 30}, {"auxiliary_police", 15}}},
	{"dc", []demoCount{{"police", 25}, {"auxiliary_police", 12}}},
	{"xj", []demoCount{{"police", 20}, {"auxiliary_police", 10}}},
	{"bureau", []demoCount{{"police", 20}, {"auxiliary_police", 5}}},
	{"court", []demoCount{{"judge", 14}, {"judicial_police", 6}, {"civil_servant", 5}}},
	{"procuratorate", []demoCount{{"prosecutor", 14}, {"judicial_police", 4}, {"civil_servant", 4}}},
	{"justice", []demoCount{{"civil_servant", 12}}},
	{"committee", []demoCount{{"civil_servant", 4}}},
}

type demoCount struct {
	category string
	n        int
}

// demoArea is the area code of the demo identity numbers.
const demoArea = "340123"

// demoMember is a member the seed registers, with what later steps need.
type demoMember struct {
	ID         string
	Version    int64
	Name       string
	Unit       string // unit key
	UnitID     string
	Category   string
	Male       bool
	Birth      time.Time
	Hire       time.Time
	Frontline  bool
	AuxDuty    string
	HighRisk   bool
	dependants []demoDependant
	used       bool // already given a role in a case, application or request
}

type demoDependant struct {
	Relation, Name string
	Male           bool
	Birth          time.Time
}

var (
	demoSurnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤")
	demoMale     = []string{"伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞", "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "旭", "宁", "龙", "林", "阳", "志强", "海波", "文博", "建华", "国栋", "振宇", "晓东", "永刚", "立新"}
	demoFemale   = []string{"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀英", "玲", "婷", "雪", "慧", "颖", "琳", "倩", "洁", "红", "燕", "萍", "晶", "佳", "欣", "悦", "晓燕", "丽娟", "雅婷", "思琪"}
)

// demoRand is a small deterministic generator (SplitMix64), so every
// demo county is the same county.
type demoRand struct{ state uint64 }

func (r *demoRand) next() uint64 {
	r.state += 0x9e3779b97f4a7c15
	z := r.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a number in [0, n).
func (r *demoRand) intn(n int) int { return int(r.next() % uint64(n)) }

// between returns a number in [lo, hi].
func (r *demoRand) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

func (r *demoRand) name(male bool) string {
	given := demoFemale
	if male {
		given = demoMale
	}
	return string(demoSurnames[r.intn(len(demoSurnames))]) + given[r.intn(len(given))]
}

func (r *demoRand) day(fromYear, toYear int) time.Time {
	return time.Date(r.between(fromYear, toYear), time.Month(r.between(1, 12)), r.between(1, 28), 0, 0, 0, 0, time.UTC)
}

func (r *demoRand) phone() string {
	prefixes := []string{"139", "138", "137", "136", "135", "158", "159", "188", "186", "133", "177", "150"}
	return prefixes[r.intn(len(prefixes))] + fmt.Sprintf("%08d", r.intn(100000000))
}

// demoPeople builds the 200 members, the demo officer (张建国) and the
// officer whose wife is the demo family user (王强, wife 李娜) first in
// 城关派出所.
func demoPeople(today time.Time) []*demoMember {
	r := &demoRand{state: 20261127}
	var out []*demoMember
	latestHire := today.AddDate(0, -2, 0)
	for _, u := range demoRoster {
		for _, mix := range u.mix {
			for i := 0; i < mix.n; i++ {
				m := &demoMember{Unit: u.unit, Category: mix.category, Male: r.intn(100) < 78}
				if mix.category == "judge" || mix.category == "prosecutor" || mix.category == "civil_servant" {
					m.Male = r.intn(100) < 55
				}
				m.Name = r.name(m.Male)
				if mix.category == "auxiliary_police" {
					m.Birth = r.day(1984, 2002)
					m.Hire = m.Birth.AddDate(r.between(20, 24), r.between(0, 11), 0)
				} else {
					m.Birth = r.day(1967, 1999)
					m.Hire = m.Birth.AddDate(r.between(21, 26), r.between(0, 11), 0)
				}
				if m.Hire.After(latestHire) {
					m.Hire = latestHire.AddDate(0, 0, -r.intn(300))
				}
				switch mix.category {
				case "police":
					m.Frontline = u.unit != "bureau" || r.intn(2) == 0
				case "judicial_police":
					m.Frontline = true
				case "auxiliary_police":
					m.AuxDuty = "duty"
					if u.unit == "bureau" || r.intn(5) == 0 {
						m.AuxDuty = "civilian"
					}
					m.Frontline = m.AuxDuty == "duty"
					m.HighRisk = m.AuxDuty == "duty" && r.intn(5) < 2
				}
				if len(out)%7 == 3 {
					sp := demoDependant{Relation: "spouse", Male: !m.Male, Birth: m.Birth.AddDate(r.between(-3, 3), r.between(0, 11), 0)}
					sp.Name = r.name(sp.Male)
					m.dependants = append(m.dependants, sp)
					if m.Birth.Year() < 1995 {
						ch := demoDependant{Relation: "child", Male: r.intn(2) == 0, Birth: r.day(m.Birth.Year()+26, min(m.Birth.Year()+38, today.Year()-1))}
						ch.Name = string([]rune(m.Name)[0]) + []string{"子涵", "梓萱", "一诺", "浩然", "欣怡", "宇轩", "雨桐", "俊熙"}[r.intn(8)]
						m.dependants = append(m.dependants, ch)
					}
				}
				out = append(out, m)
			}
		}
	}
	// The two members the demo officer and family users stand for.
	zhang, wang := out[0], out[1]
	*zhang = demoMember{Name: "张建国", Unit: "cg", Category: "police", Male: true, Frontline: true,
		Birth: time.Date(1985, 6, 12, 0, 0, 0, 0, time.UTC), Hire: time.Date(2008, 7, 1, 0, 0, 0, 0, time.UTC),
		dependants: []demoDependant{
			{Relation: "spouse", Name: "陈静", Birth: time.Date(1987, 3, 8, 0, 0, 0, 0, time.UTC)},
			{Relation: "child", Name: "张子涵", Male: true, Birth: time.Date(2014, 9, 1, 0, 0, 0, 0, time.UTC)},
		}}
	*wang = demoMember{Name: "王强", Unit: "cg", Category: "police", Male: true, Frontline: true,
		Birth: time.Date(1979, 11, 20, 0, 0, 0, 0, time.UTC), Hire: time.Date(2001, 8, 1, 0, 0, 0, 0, time.UTC),
		dependants: []demoDependant{
			{Relation: "spouse", Name: "李娜", Birth: time.Date(1981, 4, 16, 0, 0, 0, 0, time.UTC)},
			{Relation: "child", Name: "王梓萱", Birth: time.Date(2008, 2, 3, 0, 0, 0, 0, time.UTC)},
			{Relation: "parent", Name: "王德明", Male: true, Birth: time.Date(1952, 7, 9, 0, 0, 0, 0, time.UTC)},
		}}
	return out
}

// pick returns the first unused member of unit (any unit when "") that
// satisfies ok, and marks it used.
func (s *seeder) pick(unit string, ok func(*demoMember) bool) (*demoMember, error) {
	for _, m := range s.members {
		if !m.used && (unit == "" || m.Unit == unit) && (ok == nil || ok(m)) {
			m.used = true
			return m, nil
		}
	}
	return nil, fmt.Errorf("seed: no demo member in %q fits", unit)
}

func (s *seeder) seedEnrollment(ctx context.Context) error {
	s.units = map[string]string{}
	admin := s.admin()
	for i := len(demoUnits) - 1; i >= 0; i-- {
		u := demoUnits[i]
		body := map[string]any{"code": u.code, "name": u.name, "kind": u.kind}
		if u.parent != "" {
			body["parent_id"] = s.units[u.parent]
		}
		var out struct {
			ID string `json:"id"`
		}
		if _, err := s.call(ctx, "create unit "+u.name, admin, "enrollment", http.MethodPost, "/units", body, 0, &out); err != nil {
			return err
		}
		s.units[u.key] = out.ID
	}
	s.res.done = append(s.res.done, fmt.Sprintf("enrollment: %d units (县委政法委 and below)", len(demoUnits)))

	cw := s.caseworker()
	s.members = demoPeople(s.today)
	dependants := 0
	for i, m := range s.members {
		m.UnitID = s.units[m.Unit]
		post := map[string]any{"frontline": m.Frontline}
		if m.Category == "auxiliary_police" {
			post["aux_duty"], post["high_risk"] = m.AuxDuty, m.HighRisk
		}
		r := &demoRand{state: uint64(i) + 7}
		body := map[string]any{
			"unit_id": m.UnitID, "name": m.Name, "category": m.Category, "post": post,
			"id_number": idNumber(m.Birth, 2*i, m.Male), "phone": r.phone(), "hire_date": date(m.Hire),
		}
		var out struct {
			ID string `json:"id"`
		}
		v, err := s.call(ctx, "register member "+m.Name, cw, "enrollment", http.MethodPost, "/members", body, 0, &out)
		if err != nil {
			return err
		}
		m.ID, m.Version = out.ID, v
		for _, d := range m.dependants {
			body := map[string]any{"relation": d.Relation, "name": d.Name, "id_number": idNumber(d.Birth, 400+2*dependants, d.Male)}
			v, err := s.call(ctx, "add dependant of "+m.Name, cw, "enrollment", http.MethodPost, "/members/"+m.ID+"/dependants", body, m.Version, nil)
			if err != nil {
				return err
			}
			m.Version = v
			dependants++
		}
	}
	s.officer, s.family = s.members[0], s.members[1]
	s.officer.used, s.family.used = true, true
	byCat := map[string]int{}
	for _, m := range s.members {
		byCat[m.Category]++
	}
	s.res.done = append(s.res.done, fmt.Sprintf("enrollment: %d members (police %d, auxiliary_police %d, judge %d, prosecutor %d, judicial_police %d, civil_servant %d) with %d dependants",
		len(s.members), byCat["police"], byCat["auxiliary_police"], byCat["judge"], byCat["prosecutor"], byCat["judicial_police"], byCat["civil_servant"], dependants))

	// A merit on record for the demo officer.
	v, err := s.call(ctx, "record an honour", cw, "enrollment", http.MethodPost, "/members/"+s.officer.ID+"/honours",
		map[string]any{"kind": "merit_third", "awarded_on": date(time.Date(2019, 12, 20, 0, 0, 0, 0, time.UTC))}, s.officer.Version, nil)
	if err != nil {
		return err
	}
	s.officer.Version = v
	return s.seedPlans(ctx)
}

// idNumber is a valid identity number of the demo area; distinct even
// sequence numbers keep every number distinct.
func idNumber(birth time.Time, seq int, male bool) string {
	return idcard.Generate(demoArea, birth, seq%1000, male)
}

func (s *seeder) seedPlans(ctx context.Context) error {
	y := s.today.Year()
	all := []string{"police", "judicial_police", "judge", "prosecutor", "civil_servant", "auxiliary_police"}
	coverage := map[string]string{"from": fmt.Sprintf("%d-01-01", y), "to": fmt.Sprintf("%d-12-31", y)}
	disability := make([]int64, 10)
	for g := range disability {
		disability[g] = yuan(1000000) * int64(10-g) / 10
	}
	plans := []map[string]any{
		{"scheme": "work_injury", "year": y, "name": fmt.Sprintf("%d年度工伤保险", y), "coverage": coverage,
			"eligibility": map[string]any{"categories": all}, "premium_fen": yuan(960), "payer": "unit", "waiting_days": 0},
		{"scheme": "personal_accident", "year": y, "name": fmt.Sprintf("%d年度干警人身意外伤害保险", y), "coverage": coverage,
			"eligibility": map[string]any{"categories": []string{"police", "judicial_police", "auxiliary_police"}}, "premium_fen": yuan(300), "payer": "county_finance",
			"waiting_days": 0, "sums_insured": map[string]any{"death_fen": yuan(1000000), "disability_fen": disability}},
		{"scheme": "critical_illness", "year": y, "name": fmt.Sprintf("%d年度重大疾病保险", y), "coverage": coverage,
			"eligibility": map[string]any{"categories": all}, "premium_fen": yuan(240), "payer": "county_finance",
			"waiting_days": 90, "sums_insured": map[string]any{"critical_illness_fen": yuan(300000)}},
	}
	admin, cw := s.admin(), s.caseworker()
	enrolled := 0
	for _, p := range plans {
		var out struct {
			ID string `json:"id"`
		}
		if _, err := s.call(ctx, "create plan "+p["name"].(string), admin, "enrollment", http.MethodPost, "/plans", p, 0, &out); err != nil {
			return err
		}
		var bulk struct {
			Enrolled []json.RawMessage `json:"enrolled"`
		}
		body := map[string]any{"unit_ids": []string{s.units["committee"]}, "start": coverage["from"]}
		if _, err := s.call(ctx, "bulk-enroll in "+p["name"].(string), cw, "enrollment", http.MethodPost, "/plans/"+out.ID+"/bulk-enrollments", body, 0, &bulk); err != nil {
			return err
		}
		enrolled += len(bulk.Enrolled)
	}
	s.res.done = append(s.res.done, fmt.Sprintf("enrollment: %d insurance plans for %d (work injury, personal accident, critical illness), %d enrollments by bulk enrollment", len(plans), y, enrolled))
	return nil
}

// at is an instant daysAgo days before today, at hh:mm in Asia/Shanghai.
func (s *seeder) at(daysAgo, hh, mm int) time.Time {
	return time.Date(s.today.Year(), s.today.Month(), s.today.Day()-daysAgo, hh, mm, 0, 0, clock.Shanghai)
}

// day is the date daysAgo days before today.
func (s *seeder) day(daysAgo int) string { return date(s.today.AddDate(0, 0, -daysAgo)) }

// caseRef is an injury case as the seed follows it.
type caseRef struct {
	ID      string `json:"id"`
	Number  string `json:"number"`
	Version int64  `json:"version"`
}

// act takes one step on a case as the caseworker.
func (s *seeder) act(ctx context.Context, c *caseRef, action string, body map[string]any) error {
	var b any
	if body != nil {
		b = body
	}
	v, err := s.call(ctx, action+" on case "+c.Number, s.caseworker(), "injury", http.MethodPost, "/cases/"+c.ID+"/actions/"+action, b, c.Version, nil)
	if err != nil {
		return err
	}
	c.Version = v
	return nil
}

func (s *seeder) openCase(ctx context.Context, who auth.Identity, body map[string]any) (*caseRef, error) {
	var c caseRef
	if _, err := s.call(ctx, "open an injury case", who, "injury", http.MethodPost, "/cases", body, 0, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

func (s *seeder) seedInjury(ctx context.Context) error {
	cw := s.caseworker()
	if _, err := s.call(ctx, "list injury cases", cw, "injury", http.MethodGet, "/cases", nil, 0, nil); err != nil {
		if isMissingRoute(err) {
			s.res.skipped = append(s.res.skipped, "injury cases: the injury service has no case API in this build")
			return nil
		}
		return err
	}
	const hospital = "县人民医院"
	// In treatment: reported by the officer himself from the scene; a minor
	// injury without injury leave, so his annual-leave request below stands.
	zhang := s.officer
	a, err := s.openCase(ctx, s.officerID(zhang), map[string]any{
		"member_id": zhang.ID, "unit_id": zhang.UnitID, "injured_at": s.at(3, 9, 40).Format(time.RFC3339),
		"place": "城关镇人民路与解放路交叉口", "description": "路口执勤处置交通事故时，被失控电动车撞伤左小腿", "hospital": hospital, "severity": "minor"})
	if err != nil {
		return err
	}
	if err := s.act(ctx, a, "confirm_handoff", map[string]any{"hospital": hospital, "guarantee_fen": yuan(5000), "phone": demoCaseworkerPhone}); err != nil {
		return err
	}

	// In triage: critical, just reported, not yet acknowledged (its clock is red).
	bm, err := s.pick("dc", func(m *demoMember) bool { return m.Category == "police" })
	if err != nil {
		return err
	}
	b, err := s.openCase(ctx, cw, map[string]any{
		"member_id": bm.ID, "unit_id": bm.UnitID, "injured_at": s.now.Add(-50 * time.Minute).Format(time.RFC3339),
		"place": "东城区建设路农贸市场", "description": "抓捕持刀嫌疑人时右前臂被刺伤，出血较多，已送医", "hospital": "县中医院", "severity": "critical"})
	if err != nil {
		return err
	}

	// Determination filed and accepted: the decision clock runs.
	cm, err := s.pick("xj", func(m *demoMember) bool { return m.Category == "auxiliary_police" && m.AuxDuty == "duty" })
	if err != nil {
		return err
	}
	c, err := s.openCase(ctx, cw, map[string]any{
		"member_id": cm.ID, "unit_id": cm.UnitID, "injured_at": s.at(45, 22, 15).Format(time.RFC3339),
		"place": "西郊镇307国道治安检查站", "description": "夜间设卡检查时被强行闯卡车辆剐倒，左锁骨骨折", "hospital": hospital, "severity": "serious"})
	if err != nil {
		return err
	}
	for _, st := range []struct {
		action string
		body   map[string]any
	}{
		{"confirm_handoff", map[string]any{"hospital": hospital, "guarantee_fen": yuan(20000), "phone": demoCaseworkerPhone}},
		{"start_leave", map[string]any{"start": s.day(45)}},
		{"file_determination", map[string]any{"filed_on": s.day(30)}},
		{"accept_filing", map[string]any{"accepted_on": s.day(25), "clear_facts": false}},
	} {
		if err := s.act(ctx, c, st.action, st.body); err != nil {
			return err
		}
	}

	// Recognised and graded: the grants service opens a disabled-on-duty
	// notice from its case.graded event.
	wang := s.family
	d, err := s.openCase(ctx, cw, map[string]any{
		"member_id": wang.ID, "unit_id": wang.UnitID, "injured_at": s.at(150, 15, 30).Format(time.RFC3339),
		"place": "城关镇滨河小区", "description": "入户调解家庭纠纷时遭当事人持械袭击，头部及右手受伤", "hospital": hospital, "severity": "serious"})
	if err != nil {
		return err
	}
	for _, st := range []struct {
		action string
		body   map[string]any
	}{
		{"confirm_handoff", map[string]any{"hospital": hospital, "guarantee_fen": yuan(30000), "phone": demoCaseworkerPhone}},
		{"start_leave", map[string]any{"start": s.day(150)}},
		{"file_determination", map[string]any{"filed_on": s.day(140)}},
		{"accept_filing", map[string]any{"accepted_on": s.day(125), "clear_facts": true}},
		{"decide", map[string]any{"decided_on": s.day(110), "outcome": "recognised", "clause": 1}},
		{"request_grading", map[string]any{"applied_on": s.day(100)}},
		{"record_grade", map[string]any{"graded_on": s.day(60), "grade": 8, "nursing": "none"}},
	} {
		if err := s.act(ctx, d, st.action, st.body); err != nil {
			return err
		}
	}

	// One incident, two injured: one in treatment, one withdrawn and closed.
	e1, err := s.pick("dc", func(m *demoMember) bool { return m.Category == "police" })
	if err != nil {
		return err
	}
	e2, err := s.pick("dc", func(m *demoMember) bool { return m.Category == "auxiliary_police" })
	if err != nil {
		return err
	}
	var inc struct {
		Cases []caseRef `json:"cases"`
	}
	if _, err := s.call(ctx, "report an incident", cw, "injury", http.MethodPost, "/incidents", map[string]any{
		"unit_id": e1.UnitID, "occurred_at": s.at(20, 10, 5).Format(time.RFC3339), "place": "东城区和平广场",
		"description": "处置聚众斗殴警情，一名民警、一名辅警在制止过程中受伤",
		"injured": []map[string]any{
			{"member_id": e1.ID, "severity": "serious", "hospital": hospital},
			{"member_id": e2.ID, "severity": "minor", "hospital": hospital},
		}}, 0, &inc); err != nil {
		return err
	}
	if len(inc.Cases) != 2 {
		return fmt.Errorf("seed step %q: the incident has %d cases, want 2", "report an incident", len(inc.Cases))
	}
	if err := s.act(ctx, &inc.Cases[0], "confirm_handoff", map[string]any{"hospital": hospital, "guarantee_fen": yuan(10000), "phone": demoCaseworkerPhone}); err != nil {
		return err
	}
	withdrawn := &inc.Cases[1]
	if _, err := s.call(ctx, "comment on case "+withdrawn.Number, cw, "injury", http.MethodPost, "/cases/"+withdrawn.ID+"/comments",
		map[string]any{"body": "仅手臂轻微擦伤，现场处置后已返岗，本人申请撤回。"}, 0, nil); err != nil {
		return err
	}
	if err := s.act(ctx, withdrawn, "close", map[string]any{"reason": "withdrawn"}); err != nil {
		return err
	}
	s.graded = d
	s.res.done = append(s.res.done, fmt.Sprintf("injury: 6 cases: %s critical in triage (unacknowledged), %s and %s in treatment (%s with %s of an incident), %s determination accepted, %s recognised and graded (grade 8), %s withdrawn and closed",
		b.Number, a.Number, inc.Cases[0].Number, inc.Cases[0].Number, withdrawn.Number, c.Number, d.Number, withdrawn.Number))
	return nil
}

// appRef is a grant application as the seed follows it.
type appRef struct {
	ID      string `json:"id"`
	Number  string `json:"number"`
	State   string `json:"state"`
	Version int64  `json:"version"`
}

// step takes one step of the approval chain as who.
func (s *seeder) step(ctx context.Context, a *appRef, step string, who auth.Identity, body map[string]any) error {
	var b any
	if body != nil {
		b = body
	}
	v, err := s.call(ctx, step+" application "+a.Number, who, "grants", http.MethodPost, "/applications/"+a.ID+"/"+step, b, a.Version, a)
	if err != nil {
		return err
	}
	a.Version = v
	return nil
}

// seedPrograms creates this year's fund and its programs.
func (s *seeder) seedPrograms(ctx context.Context) error {
	admin := s.admin()
	if _, err := s.call(ctx, "list funds", admin, "grants", http.MethodGet, "/funds", nil, 0, nil); err != nil {
		if isMissingRoute(err) {
			s.res.skipped = append(s.res.skipped, "grants: the grants service has no fund API in this build")
			return nil
		}
		return err
	}
	y := s.today.Year()
	var fund struct {
		ID string `json:"id"`
	}
	if _, err := s.call(ctx, "create the fund", admin, "grants", http.MethodPost, "/funds", map[string]any{
		"fiscal_year": y, "name": fmt.Sprintf("%d年度政法干警关爱帮扶资金", y), "appropriation": yuan(3000000)}, 0, &fund); err != nil {
		return err
	}
	byGrade := make([]int64, 10)
	for g := range byGrade {
		byGrade[g] = yuan(10000) * int64(10-g)
	}
	programs := []map[string]any{
		{"fund_id": fund.ID, "code": "demo-hardship", "name_zh": "困难干警帮扶", "name_en": "Officers in hardship", "kind": "hardship",
			"allocation": yuan(800000), "eligibility": map[string]any{"max_income_per_capita": yuan(2500)},
			"amount_rule": map[string]any{"kind": "assessed", "cap": yuan(20000)}, "required_documents": []string{"家庭收入证明", "困难情况说明"},
			"dual_approval_above": yuan(10000)},
		{"fund_id": fund.ID, "code": "demo-disabled", "name_zh": "因公致残干警慰问金", "name_en": "Officers disabled on duty", "kind": "disabled_on_duty",
			"allocation": yuan(600000), "eligibility": map[string]any{"event": "disability_graded"},
			"amount_rule": map[string]any{"kind": "by_grade", "by_grade": byGrade}, "required_documents": []string{"伤残等级鉴定结论"},
			"dual_approval_above": yuan(30000)},
		{"fund_id": fund.ID, "code": "demo-education", "name_zh": "干警子女助学金", "name_en": "Education support for officers' children", "kind": "children_education",
			"allocation": yuan(300000), "amount_rule": map[string]any{"kind": "fixed", "fixed": yuan(3000)}, "required_documents": []string{"在读证明"},
			"dual_approval_above": yuan(10000)},
		{"fund_id": fund.ID, "code": "demo-martyr", "name_zh": "烈士及因公牺牲干警遗属抚恤", "name_en": "Families of martyrs and officers fallen on duty", "kind": "martyr_family",
			"allocation": yuan(1000000), "eligibility": map[string]any{"event": "death_on_duty", "dependants_only": true},
			"amount_rule": map[string]any{"kind": "statutory", "calculator": "martyr_grant"}, "required_documents": []string{"烈士证明书", "亲属关系证明"},
			"dual_approval_above": 0},
	}
	s.programs = map[string]string{}
	for _, p := range programs {
		var out struct {
			ID string `json:"id"`
		}
		if _, err := s.call(ctx, "create program "+p["name_zh"].(string), admin, "grants", http.MethodPost, "/programs", p, 0, &out); err != nil {
			return err
		}
		s.programs[p["code"].(string)] = out.ID
	}
	s.res.done = append(s.res.done, fmt.Sprintf("grants: fund %d (3,000,000 元) with 4 programs (hardship, disabled on duty, children's education, martyr families)", y))
	return nil
}

// seedApplications files applications at every stage of the approval chain.
func (s *seeder) seedApplications(ctx context.Context) error {
	if s.programs == nil {
		return nil // no grants API: noted by seedPrograms
	}
	ids := s.programs

	// The second approval of the large grant is left to the demo approvers.
	cw, approver1, finance := s.caseworker(), s.staff(auth.RoleApprover, 1), s.staff(auth.RoleFinance, 0)
	apply := func(m *demoMember, program string, amount, income int64, docs []string) (*appRef, error) {
		var a appRef
		body := map[string]any{"program_id": ids[program], "documents": docs, "form": map[string]any{"category": m.Category, "income_per_capita": income}}
		if amount > 0 {
			body["requested_amount"] = amount
		}
		if program == "demo-education" {
			delete(body["form"].(map[string]any), "income_per_capita")
		}
		if _, err := s.call(ctx, "apply to "+program+" for "+m.Name, s.officerID(m), "grants", http.MethodPost, "/applications", body, 0, &a); err != nil {
			return nil, err
		}
		return &a, nil
	}
	hardshipDocs := []string{"家庭收入证明", "困难情况说明"}

	// Paid: submitted, reviewed, approved, disbursed.
	paid, err := apply(s.officer, "demo-hardship", yuan(8000), yuan(1800), hardshipDocs)
	if err != nil {
		return err
	}
	for _, st := range []struct {
		step string
		who  auth.Identity
	}{{"submit", s.officerID(s.officer)}, {"review", cw}, {"approve", approver1}, {"disburse", finance}} {
		if err := s.step(ctx, paid, st.step, st.who, nil); err != nil {
			return err
		}
	}
	// Above the threshold: one approval given, the second awaited.
	big, err := s.pick("dc", func(m *demoMember) bool { return m.Category == "police" })
	if err != nil {
		return err
	}
	second, err := apply(big, "demo-hardship", yuan(15000), yuan(1500), hardshipDocs)
	if err != nil {
		return err
	}
	for _, st := range []struct {
		step string
		who  auth.Identity
	}{{"submit", s.officerID(big)}, {"review", cw}, {"approve", approver1}} {
		if err := s.step(ctx, second, st.step, st.who, nil); err != nil {
			return err
		}
	}
	// Approved and awaiting payment, in finance's "to pay" list.
	um, err := s.pick("cg", func(m *demoMember) bool { return m.Category == "police" })
	if err != nil {
		return err
	}
	unpaid, err := apply(um, "demo-hardship", yuan(6000), yuan(1900), hardshipDocs)
	if err != nil {
		return err
	}
	for _, st := range []struct {
		step string
		who  auth.Identity
	}{{"submit", s.officerID(um)}, {"review", cw}, {"approve", approver1}} {
		if err := s.step(ctx, unpaid, st.step, st.who, nil); err != nil {
			return err
		}
	}
	// Submitted, in the caseworker's queue.
	parent, err := s.pick("xj", func(m *demoMember) bool { return hasChild(m) })
	if err != nil {
		parent, err = s.pick("", hasChild)
		if err != nil {
			return err
		}
	}
	edu, err := apply(parent, "demo-education", 0, 0, []string{"在读证明"})
	if err != nil {
		return err
	}
	if err := s.step(ctx, edu, "submit", s.officerID(parent), nil); err != nil {
		return err
	}
	// Returned for more documents.
	rm, err := s.pick("bureau", func(m *demoMember) bool { return m.Category == "police" })
	if err != nil {
		return err
	}
	returned, err := apply(rm, "demo-hardship", yuan(6000), yuan(2100), hardshipDocs)
	if err != nil {
		return err
	}
	if err := s.step(ctx, returned, "submit", s.officerID(rm), nil); err != nil {
		return err
	}
	if err := s.step(ctx, returned, "return", cw, map[string]any{"reason": "请补充街道或村委会出具的家庭收入证明原件扫描件。"}); err != nil {
		return err
	}
	// A draft not yet sent.
	dm, err := s.pick("court", nil)
	if err != nil {
		return err
	}
	draft, err := apply(dm, "demo-hardship", yuan(5000), yuan(2000), []string{"困难情况说明"})
	if err != nil {
		return err
	}
	for _, x := range []struct {
		app  *appRef
		want string
	}{{paid, "disbursed"}, {second, "reviewed"}, {unpaid, "approved"}, {edu, "submitted"}, {returned, "returned"}, {draft, "draft"}} {
		if err := expectState("application "+x.app.Number, x.app.State, x.want); err != nil {
			return err
		}
	}
	s.res.done = append(s.res.done, fmt.Sprintf("grants: applications %s disbursed, %s approved once and awaiting the second approver, %s approved and awaiting payment, %s submitted, %s returned for documents, %s draft",
		paid.Number, second.Number, unpaid.Number, edu.Number, returned.Number, draft.Number))
	return s.waitForNotice(ctx)
}

// seedFamilyApplication gives the demo family user (李娜, the wife of
// 王强) an application of her own, made with her account as the grants
// service takes it from a family member: the education grant for their
// daughter 王梓萱, naming her as the dependant, submitted. The grants
// service knows the dependants from enrollment's member events, so this
// waits for them first.
func (s *seeder) seedFamilyApplication(ctx context.Context, familyUserID string) error {
	if s.programs == nil || s.family == nil {
		return nil // no grants API: noted by seedPrograms
	}
	const child = "王梓萱"
	var deps struct {
		Items []struct {
			ID   string `json:"dependant_id"`
			Name string `json:"name"`
		} `json:"items"`
	}
	childID := ""
	err := eventually(ctx, 20*time.Second, func() (bool, error) {
		if _, err := s.call(ctx, "list the dependants of "+s.family.Name, s.caseworker(), "grants", http.MethodGet, "/members/"+s.family.ID+"/dependants", nil, 0, &deps); err != nil {
			return false, err
		}
		for _, d := range deps.Items {
			if d.Name == child {
				childID = d.ID
			}
		}
		return childID != "", nil
	})
	if err != nil {
		return fmt.Errorf("seed step %q: %w", "wait for the dependants of "+s.family.Name+" in grants", err)
	}
	who := auth.Identity{UserID: familyUserID, MemberID: s.family.ID, Name: "李家属", Roles: []auth.Role{auth.RoleFamily}, Units: []string{s.family.UnitID}}
	var a appRef
	if _, err := s.call(ctx, "apply to demo-education as the family of "+s.family.Name, who, "grants", http.MethodPost, "/applications",
		map[string]any{"program_id": s.programs["demo-education"], "dependant_id": childID, "documents": []string{"在读证明"}}, 0, &a); err != nil {
		return err
	}
	if err := s.step(ctx, &a, "submit", who, nil); err != nil {
		return err
	}
	if err := expectState("application "+a.Number, a.State, "submitted"); err != nil {
		return err
	}
	s.res.done = append(s.res.done, fmt.Sprintf("grants: application %s by the family user for %s's daughter %s, submitted", a.Number, s.family.Name, child))
	return nil
}

// gatewayUserID reads the id the gateway gave a demo user, from the
// gateway's schema: the seed acts as that user once the users exist.
func gatewayUserID(ctx context.Context, databaseURL, schema, username string) (string, error) {
	db, err := pg.Open(ctx, pg.Config{URL: databaseURL, Schema: schema, MaxOpenConns: 1})
	if err != nil {
		return "", err
	}
	defer db.Close()
	var id string
	if err := db.GetContext(ctx, &id, `SELECT id::text FROM users WHERE username = $1`, username); err != nil {
		return "", fmt.Errorf("seed: the gateway user %s: %w", username, err)
	}
	return id, nil
}

// waitForNotice waits a little for the disabled-on-duty notice the grants
// service opens from the graded case's event: the proof that the events
// flow. It is a note, not a failure, when it has not arrived yet: the
// event stays in the stream and is applied when the services run again.
func (s *seeder) waitForNotice(ctx context.Context) error {
	if s.graded == nil {
		return nil
	}
	var notices struct {
		Items []struct {
			MemberID string `json:"member_id"`
		} `json:"items"`
	}
	err := eventually(ctx, 20*time.Second, func() (bool, error) {
		if _, err := s.call(ctx, "list grants notices", s.caseworker(), "grants", http.MethodGet, "/notices", nil, 0, &notices); err != nil {
			return false, err
		}
		for _, n := range notices.Items {
			if n.MemberID == s.family.ID {
				return true, nil
			}
		}
		return false, nil
	})
	switch {
	case err == nil:
		s.res.done = append(s.res.done, "grants: a disabled-on-duty notice for "+s.family.Name+", opened by the case.graded event of "+s.graded.Number)
	case ctx.Err() != nil:
		return err
	default:
		s.res.notes = append(s.res.notes, "the grants notice from "+s.graded.Number+"'s case.graded event has not arrived yet ("+err.Error()+"); it appears once the services run")
	}
	return nil
}

// expectState checks that a step left an object in the state it should.
func expectState(what, got, want string) error {
	if got != want {
		return fmt.Errorf("seed: %s is %q after its steps, want %q", what, got, want)
	}
	return nil
}

func hasChild(m *demoMember) bool {
	for _, d := range m.dependants {
		if d.Relation == "child" {
			return true
		}
	}
	return false
}

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
