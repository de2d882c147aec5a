// Package benchapi drives the users' journeys through the gateway at a fixed
// concurrency and measures each one: the load behind `anxin bench api`.
//
// Every virtual user signs in once through the real sign-in form (argon2id
// runs there once per virtual user, before any clock starts) and keeps its
// session cookie; the journeys then run one after another, each with the
// same number of clients, so one journey's numbers are not another's.
package benchapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
)

// Config is one run.
type Config struct {
	Gateway string            // base URL, e.g. http://127.0.0.1:8080
	Logins  map[string]string // username → password (the demo seed's)
	Clients int               // concurrent clients per journey
	// JourneyClients overrides Clients for the journeys whose name
	// contains a key (the goals name 16 clients for filing and 8
	// for the lists, in one run).
	JourneyClients map[string]int
	Duration       time.Duration // per journey; ignored when Requests > 0
	Requests       int           // per journey, over all clients
	Only           []string      // journey names to run; all when empty
	// IDNumbers are identity numbers of registered members to look up:
	// the API only ever shows them masked, so they come from whoever
	// registered the members (the demo seed's are reproducible).
	IDNumbers []string
	// Counter, when set, is the recording relay every PostgreSQL
	// connection of the services goes through: each journey then reports
	// the statements, round trips and commits it cost per request
	// (background work during the journey included).
	Counter *Recorder
	// Procs are the processes whose peak RSS each journey reports.
	Procs []Proc
	// Settle, when set, runs before each journey: it waits until the
	// background work the previous one left (or a fresh seed's) is done,
	// so that it is not counted as this journey's cost.
	Settle func(context.Context) error
}

// Result is one journey's measurement.
type Result struct {
	Journey  string
	Clients  int
	Requests int
	Errors   int
	Elapsed  time.Duration
	Samples  []time.Duration // sorted
	// FirstError describes the first failure, for the operator.
	FirstError string
	// Counts are the database work during the journey (nil if not
	// counted); RSS the peak memory of the watched processes.
	Counts *Counts
	RSS    []RSS
}

// PerRequest is n per completed request, "-" when not counted.
func (r Result) PerRequest(n func(Counts) int64) string {
	if r.Counts == nil || r.Requests == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", float64(n(*r.Counts))/float64(r.Requests))
}

// Throughput is completed journeys per second.
func (r Result) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Percentile is the p-th quantile (0..1) of the samples, nearest rank.
func (r Result) Percentile(p float64) time.Duration {
	if len(r.Samples) == 0 {
		return 0
	}
	i := int(p*float64(len(r.Samples))+0.5) - 1
	return r.Samples[min(max(i, 0), len(r.Samples)-1)]
}

// user is one signed-in virtual user: its own cookie jar and CSRF token.
type user struct {
	name   string
	client *http.Client
	csrf   string
	me     me
}

type me struct {
	ID       string   `json:"id"`
	MemberID string   `json:"member_id"`
	Units    []string `json:"units"`
	CSRF     string   `json:"csrf_token"`
}

// fixtures are what the read journeys look at, fetched once as the
// caseworker would find them.
type fixtures struct {
	caseIDs   []string
	names     []string
	idNumbers []string
}

// journey is one thing a user does; step performs it once.
type journey struct {
	name string
	as   string // demo username
	step func(ctx context.Context, u *user, i int) error
}

// Journeys are the names, in run order.
func Journeys() []string {
	js := journeys(nil, "")
	out := make([]string, len(js))
	for i, j := range js {
		out[i] = j.name
	}
	return out
}

func journeys(fx *fixtures, base string) []journey {
	pick := func(s []string, i int) string { return s[i%len(s)] }
	return []journey{
		{"officer: file an injury case (POST /api/v1/injury/cases)", "officer", func(ctx context.Context, u *user, i int) error {
			return fileCase(ctx, u, base, i)
		}},
		{"officer: my page (GET /my)", "officer", func(ctx context.Context, u *user, _ int) error {
			return page(ctx, u, base+"/my")
		}},
		{"officer: request leave, check step (GET /leave + POST /leave/requests quote)", "officer", func(ctx context.Context, u *user, i int) error {
			return leaveQuote(ctx, u, base, i)
		}},
		{"caseworker: queue (GET /work/queue)", "caseworker", func(ctx context.Context, u *user, _ int) error {
			return page(ctx, u, base+"/work/queue")
		}},
		{"caseworker: case page (GET /cases/:id)", "caseworker", func(ctx context.Context, u *user, i int) error {
			return page(ctx, u, base+"/cases/"+url.PathEscape(pick(fx.caseIDs, i)))
		}},
		{"caseworker: member by name (GET /work/members?name=)", "caseworker", func(ctx context.Context, u *user, i int) error {
			return found(ctx, u, base+"/work/members?name="+url.QueryEscape(pick(fx.names, i)))
		}},
		{"caseworker: member by identity number (GET /work/members?id_number=)", "caseworker", func(ctx context.Context, u *user, i int) error {
			return found(ctx, u, base+"/work/members?id_number="+url.QueryEscape(pick(fx.idNumbers, i)))
		}},
		{"approver: approvals queue (GET /approvals)", "approver1", func(ctx context.Context, u *user, _ int) error {
			return page(ctx, u, base+"/approvals")
		}},
		{"finance: ledger page (GET /finance/ledger)", "finance", func(ctx context.Context, u *user, _ int) error {
			return page(ctx, u, base+"/finance/ledger")
		}},
		{"finance: trial balance (GET /finance)", "finance", func(ctx context.Context, u *user, _ int) error {
			return page(ctx, u, base+"/finance")
		}},
	}
}

// ClientsFor is the number of clients journey name runs with.
func (cfg Config) ClientsFor(name string) int {
	keys := make([]string, 0, len(cfg.JourneyClients))
	for k := range cfg.JourneyClients {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the same key wins on every run
	for _, k := range keys {
		if strings.Contains(name, k) {
			return cfg.JourneyClients[k]
		}
	}
	return cfg.Clients
}

// Run signs the virtual users in, fetches the fixtures and runs every
// journey in turn.
func Run(ctx context.Context, cfg Config, progress io.Writer) ([]Result, error) {
	if cfg.Clients < 1 {
		return nil, errors.New("bench api: need at least one client")
	}
	for k, n := range cfg.JourneyClients {
		if n < 1 {
			return nil, fmt.Errorf("bench api: journey %q: need at least one client", k)
		}
	}
	if cfg.Requests <= 0 && cfg.Duration <= 0 {
		return nil, errors.New("bench api: give a duration or a number of requests")
	}
	base := strings.TrimRight(cfg.Gateway, "/")
	all := journeys(nil, base)
	var todo []journey
	for _, j := range all {
		if len(cfg.Only) == 0 || slices.ContainsFunc(cfg.Only, func(s string) bool { return strings.Contains(j.name, s) }) {
			todo = append(todo, j)
		}
	}
	// One session per (username, client), signed in before any clock runs.
	// as many as the user's busiest journey needs.
	need := map[string]int{}
	for _, j := range todo {
		need[j.as] = max(need[j.as], cfg.ClientsFor(j.name))
	}
	users := map[string][]*user{}
	signedIn := 0
	for _, j := range todo {
		if _, ok := users[j.as]; ok {
			continue
		}
		pw, ok := cfg.Logins[j.as]
		if !ok {
			return nil, fmt.Errorf("bench api: no password for demo user %q in the logins", j.as)
		}
		for range need[j.as] {
			u, err := signIn(ctx, base, j.as, pw)
			if err != nil {
				return nil, err
			}
			users[j.as] = append(users[j.as], u)
			signedIn++
		}
	}
	fmt.Fprintf(progress, "signed in %d virtual users (%d demo users), once each\n", signedIn, len(users))
	fx, err := loadFixtures(ctx, base, cfg.Logins["caseworker"], cfg.IDNumbers)
	if err != nil {
		return nil, err
	}
	todo = journeys(fx, base)
	todo = slices.DeleteFunc(todo, func(j journey) bool {
		return len(cfg.Only) > 0 && !slices.ContainsFunc(cfg.Only, func(s string) bool { return strings.Contains(j.name, s) })
	})
	var out []Result
	for _, j := range todo {
		if cfg.Settle != nil {
			if err := cfg.Settle(ctx); err != nil {
				return out, fmt.Errorf("before %s: %w", j.name, err)
			}
		}
		var before Counts
		if cfg.Counter != nil {
			before = cfg.Counter.Counts()
		}
		peaks := watchRSS(ctx, cfg.Procs)
		n := cfg.ClientsFor(j.name)
		r := runJourney(ctx, j, users[j.as][:n], cfg)
		r.Clients = n
		r.RSS = peaks()
		if cfg.Counter != nil {
			d := cfg.Counter.Counts().Sub(before)
			r.Counts = &d
		}
		fmt.Fprintf(progress, "%s: %d in %v, %d errors\n", j.name, r.Requests, r.Elapsed.Round(time.Millisecond), r.Errors)
		out = append(out, r)
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
	}
	return out, nil
}

func runJourney(ctx context.Context, j journey, us []*user, cfg Config) Result {
	var (
		next    atomic.Int64
		mu      sync.Mutex
		samples []time.Duration
		errs    int
		first   string
		wg      sync.WaitGroup
	)
	deadline := time.Now().Add(cfg.Duration)
	start := time.Now()
	for _, u := range us {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			myErrs := 0
			var myFirst string
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if cfg.Requests > 0 {
					if i >= cfg.Requests {
						break
					}
				} else if time.Now().After(deadline) {
					break
				}
				t := time.Now()
				err := j.step(ctx, u, i)
				mine = append(mine, time.Since(t))
				if err != nil {
					myErrs++
					if myFirst == "" {
						myFirst = err.Error()
					}
				}
			}
			mu.Lock()
			samples = append(samples, mine...)
			errs += myErrs
			if first == "" {
				first = myFirst
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(samples)
	return Result{Journey: j.name, Requests: len(samples), Errors: errs, Elapsed: time.Since(start), Samples: samples, FirstError: first}
}

// Print writes the table.
func Print(w io.Writer, rs []Result) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "journey\tclients\trequests\terrors\tthroughput/s\tp50 ms\tp90 ms\tp99 ms\tstatements/req\tround trips/req\tcommits/req\tpeak RSS\t")
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.1f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Journey, r.Clients, r.Requests, r.Errors, r.Throughput(),
			ms(r.Percentile(0.5)), ms(r.Percentile(0.9)), ms(r.Percentile(0.99)),
			r.PerRequest(func(c Counts) int64 { return c.Statements }), r.PerRequest(func(c Counts) int64 { return c.RoundTrips }),
			r.PerRequest(func(c Counts) int64 { return c.Commits }), formatRSS(r.RSS))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range rs {
		if r.FirstError != "" {
			fmt.Fprintf(w, "first error of %s: %s\n", r.Journey, r.FirstError)
		}
	}
	return nil
}

// ReadLogins parses the login table `anxin seed demo` prints (and
// scripts/run.sh keeps in .data/demo-logins.txt): username, roles,
// password, who.
func ReadLogins(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseLogins(string(b))
}

// ParseLogins reads the login table out of the seed's output.
func ParseLogins(s string) (map[string]string, error) {
	out := map[string]string{}
	in := false
	for line := range strings.Lines(s) {
		f := strings.Fields(line)
		if len(f) >= 3 && f[0] == "USERNAME" {
			in = true
			continue
		}
		if !in || len(f) < 3 {
			in = in && len(f) > 0
			continue
		}
		if strings.HasPrefix(f[2], "(") {
			continue // already existed: its password was not shown
		}
		out[f[0]] = f[2]
	}
	if len(out) == 0 {
		return nil, errors.New("no demo logins found: the file must hold the output of `anxin seed demo` from an empty database")
	}
	return out, nil
}

var (
	csrfRe       = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	submissionRe = regexp.MustCompile(`name="submission_token" value="([^"]+)"`)
)

func newClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{
		Jar:     jar,
		Timeout: 30 * time.Second,
		// A redirect is an answer: a page that sends the user back to
		// sign in is counted as the error it is.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{MaxIdleConnsPerHost: 4, IdleConnTimeout: time.Minute},
	}
}

// signIn goes through the sign-in form as a browser does.
func signIn(ctx context.Context, base, username, password string) (*user, error) {
	u := &user{name: username, client: newClient()}
	body, err := get(ctx, u, base+"/signin")
	if err != nil {
		return nil, fmt.Errorf("sign-in page: %w", err)
	}
	m := csrfRe.FindSubmatch(body)
	if m == nil {
		return nil, errors.New("sign-in page: no csrf_token")
	}
	form := url.Values{"username": {username}, "password": {password}, "csrf_token": {string(m[1])}}
	resp, err := do(ctx, u, http.MethodPost, base+"/signin", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()), nil)
	if err != nil {
		return nil, err
	}
	if resp.status != http.StatusSeeOther {
		return nil, fmt.Errorf("sign in as %s: status %d (is the logins file from this database?)", username, resp.status)
	}
	b, err := get(ctx, u, base+"/api/v1/gateway/me")
	if err != nil {
		return nil, fmt.Errorf("sign in as %s: %w", username, err)
	}
	if err := json.Unmarshal(b, &u.me); err != nil {
		return nil, err
	}
	u.csrf = u.me.CSRF
	return u, nil
}

type response struct {
	status int
	body   []byte
}

func do(ctx context.Context, u *user, method, target, ctype string, body io.Reader, hdr http.Header) (response, error) {
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return response{}, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Accept-Language", "zh-CN")
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := u.client.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, body: b}, err
}

// get fetches a page or a document and wants 200.
func get(ctx context.Context, u *user, target string) ([]byte, error) {
	r, err := do(ctx, u, http.MethodGet, target, "", nil, nil)
	if err != nil {
		return nil, err
	}
	if r.status != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d: %.200s", target, r.status, r.body)
	}
	return r.body, nil
}

var memberLink = regexp.MustCompile(`href="/work/members/[0-9a-f-]{36}"`)

// found opens a member search and wants at least one member in it.
func found(ctx context.Context, u *user, target string) error {
	b, err := get(ctx, u, target)
	if err == nil && !memberLink.Match(b) {
		err = fmt.Errorf("GET %s: nobody found", target)
	}
	return err
}

func page(ctx context.Context, u *user, target string) error {
	b, err := get(ctx, u, target)
	if err == nil && !bytes.Contains(b, []byte("</html>")) {
		err = fmt.Errorf("GET %s: not a whole page", target)
	}
	return err
}

// fileCase files a minor injury for the officer himself through the JSON
// API, as the app does.
func fileCase(ctx context.Context, u *user, base string, i int) error {
	unit := ""
	if len(u.me.Units) > 0 {
		unit = u.me.Units[0]
	}
	body, _ := json.Marshal(map[string]any{
		"member_id": u.me.MemberID, "unit_id": unit,
		"injured_at": time.Now().Add(-time.Duration(30+i%600) * time.Minute).UTC().Format(time.RFC3339),
		"place":      "城关镇人民路与解放路交叉口", "description": fmt.Sprintf("路口执勤时被电动车刮伤右手（压测 %d）", i),
		"hospital": "县人民医院", "severity": "minor",
	})
	r, err := do(ctx, u, http.MethodPost, base+"/api/v1/injury/cases", "application/json", bytes.NewReader(body),
		http.Header{"X-Csrf-Token": {u.csrf}})
	if err != nil {
		return err
	}
	if r.status != http.StatusCreated {
		return fmt.Errorf("POST /api/v1/injury/cases: status %d: %.300s", r.status, r.body)
	}
	return nil
}

// leaveQuote opens the leave page and presses its check button for a
// period: what an officer does before sending a request. The request
// itself is not sent: the demo officer's balance would run out after a
// handful, and every later one would be a refusal, not a measurement.
func leaveQuote(ctx context.Context, u *user, base string, i int) error {
	b, err := get(ctx, u, base+"/leave")
	if err != nil {
		return err
	}
	form := url.Values{}
	if m := csrfRe.FindSubmatch(b); m != nil {
		form.Set("csrf_token", string(m[1]))
	}
	if m := submissionRe.FindSubmatch(b); m != nil {
		form.Set("submission_token", string(m[1]))
	}
	from := time.Now().AddDate(0, 1, i%60)
	form.Set("from", from.Format(time.DateOnly))
	form.Set("to", from.AddDate(0, 0, 2).Format(time.DateOnly))
	form.Set("quote", "1")
	r, err := do(ctx, u, http.MethodPost, base+"/leave/requests", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()), nil)
	if err != nil {
		return err
	}
	if r.status != http.StatusOK {
		return fmt.Errorf("POST /leave/requests (quote): status %d: %.300s", r.status, r.body)
	}
	return nil
}

// loadFixtures finds, as the caseworker, cases to open and members to look
// up.
func loadFixtures(ctx context.Context, base, password string, idNumbers []string) (*fixtures, error) {
	cw, err := signIn(ctx, base, "caseworker", password)
	if err != nil {
		return nil, err
	}
	fx := &fixtures{idNumbers: idNumbers}
	var cases []struct {
		ID string `json:"id"`
	}
	if err := list(ctx, cw, base+"/api/v1/injury/cases?limit=50", &cases); err != nil {
		return nil, err
	}
	for _, c := range cases {
		fx.caseIDs = append(fx.caseIDs, c.ID)
	}
	var members []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	if err := list(ctx, cw, base+"/api/v1/enrollment/members?limit=20", &members); err != nil {
		return nil, err
	}
	for _, m := range members {
		fx.names = append(fx.names, m.Name)
	}
	if len(fx.caseIDs) == 0 || len(fx.names) == 0 || len(fx.idNumbers) == 0 {
		return nil, fmt.Errorf("bench api: the caseworker sees %d cases, %d members, %d identity numbers: seed the demo first",
			len(fx.caseIDs), len(fx.names), len(fx.idNumbers))
	}
	return fx, nil
}

// list reads the first page of a list in the one pagination convention:
// {"<items>": [...], "next": "..."}.
func list(ctx context.Context, u *user, target string, into any) error {
	b, err := get(ctx, u, target)
	if err != nil {
		return err
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return fmt.Errorf("GET %s: %w", target, err)
	}
	for k, v := range obj {
		if k != "next" && len(v) > 0 && v[0] == '[' {
			return json.Unmarshal(v, into)
		}
	}
	return fmt.Errorf("GET %s: no list in the answer", target)
}

// CaptureFiling files one case as the officer while rec records, twice
// (after one unrecorded filing that warms the path), and returns the first
// recording with the ids the second shows to be minted per filing.
func CaptureFiling(ctx context.Context, base string, logins map[string]string, rec *Recorder) (*Capture, error) {
	base = strings.TrimRight(base, "/")
	u, err := signIn(ctx, base, "officer", logins["officer"])
	if err != nil {
		return nil, err
	}
	if err := fileCase(ctx, u, base, 0); err != nil {
		return nil, err
	}
	// What follows a filing asynchronously (the relay, the coverage
	// check, the consumers' projections) is its cost too: each recording
	// starts once the previous filing's echoes have died down and ends
	// after its own have.
	const settle = 1500 * time.Millisecond
	var runs [2][]ConnLog
	for i := range runs {
		time.Sleep(settle)
		rec.Start()
		err := fileCase(ctx, u, base, i+1)
		time.Sleep(settle)
		runs[i] = rec.Stop()
		if err != nil {
			return nil, err
		}
	}
	// The same window with no filing: what runs anyway (idle polls).
	rec.Start()
	time.Sleep(settle + 200*time.Millisecond)
	idle := rec.Stop()
	return NewCapture(runs[0], runs[1], idle), nil
}
