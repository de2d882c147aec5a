package gateway_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/config"
	"github.com/anxin-welfare/anxin/services/gateway"
	"github.com/anxin-welfare/anxin/services/grants"
	"github.com/anxin-welfare/anxin/services/injury"
	"github.com/anxin-welfare/anxin/services/leave"
)

// defaults is a service's Config with every documented default, as
// `anxin serve` loads it from an empty environment.
func defaults[C any](t *testing.T) C {
	var c C
	if err := config.LoadFrom(&c, func(string) (string, bool) { return "", false }); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestPagesAgainstRealServices runs the gateway in front of the real
// injury, leave and grants services (each on its own schema, with its relay
// and workers running) and walks the daily pages: the contract between the
// pages and the services' APIs. An officer reports an injury and sees it with its clocks; the
// caseworker finds it in the queue; every staff home page renders.
func TestPagesAgainstRealServices(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ctx := context.Background()
	start := func(svc interface {
		Handler() http.Handler
		Run(context.Context) error
	}) string {
		apptest.Run(t, svc.Run)
		srv := httptest.NewServer(svc.Handler())
		t.Cleanup(srv.Close)
		return srv.URL
	}
	ic := defaults[injury.Config](t)
	ic.HTTPAddr = "127.0.0.1:0"
	is, err := injury.New(ctx, env.Deps, ic)
	if err != nil {
		t.Fatal(err)
	}
	lc := defaults[leave.Config](t)
	lc.HTTPAddr = "127.0.0.1:0"
	ls, err := leave.New(ctx, env.Deps, lc)
	if err != nil {
		t.Fatal(err)
	}
	gc := defaults[grants.Config](t)
	gc.HTTPAddr = "127.0.0.1:0"
	gs, err := grants.New(ctx, env.Deps, gc)
	if err != nil {
		t.Fatal(err)
	}
	env.Deps.Config.URLs.Injury = start(is)
	env.Deps.Config.URLs.Leave = start(ls)
	env.Deps.Config.URLs.Grants = start(gs)
	env.Deps.Config.URLs.Enrollment = ""

	const unit, member = "0190c0de-0000-7000-8000-000000000001", "0190c0de-0000-7000-8000-0000000000aa"
	users := gateway.DemoUsers([]string{unit}, member, member)
	for i := range users {
		users[i].Password = "demo passphrase " + users[i].Username
	}
	if _, err := gateway.SeedUsers(ctx, env.Deps, gateway.Config{}, users); err != nil {
		t.Fatal(err)
	}
	svc, err := gateway.New(ctx, env.Deps, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc.Handler())
	t.Cleanup(srv.Close)

	officer := signedIn(t, srv.URL, "officer")
	for _, p := range []string{"/my", "/injury/report", "/leave", "/grants", "/grants/apply", "/care"} {
		if st, body := officer.get(p); st != http.StatusOK {
			t.Errorf("officer GET %s = %d %s", p, st, snippet(body))
		}
	}
	st, loc, body := officer.post("/injury/report", url.Values{"unit_id": {unit}, "severity": {"serious"},
		"injured_at": {"2026-11-27T09:30"}, "place": {"城关派出所"}, "description": {"巡逻时摔伤"}})
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/cases/") {
		t.Fatalf("report = %d %s %s", st, loc, snippet(body))
	}
	st, body = officer.get(loc)
	if st != http.StatusOK || !strings.Contains(body, "GC-2026-") || !strings.Contains(body, `id="clocks"`) {
		t.Fatalf("case page = %d %s", st, snippet(body))
	}
	caseworker := signedIn(t, srv.URL, "caseworker")
	if st, body := caseworker.get("/work/queue"); st != http.StatusOK || !strings.Contains(body, "GC-2026-") {
		t.Errorf("queue = %d %s", st, snippet(body))
	}
	// A mistyped year on finance's compensation report is an error next
	// to the field with what was typed, not an error page.
	fin := signedIn(t, srv.URL, "finance")
	st, body = fin.get("/finance/compensation?year=" + url.QueryEscape("二〇二六"))
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="year-error"`) || !strings.Contains(body, `value="二〇二六"`) ||
		strings.Contains(body, `id="download-csv"`) {
		t.Errorf("a mistyped year = %d %s", st, snippet(body))
	}
	for who, pages := range map[string][]string{
		"caseworker": {"/work/health-checks"}, "finance": {"/finance", "/finance/ledger"}, "approver1": {"/approvals"},
		"admin": {"/admin/users", "/admin/parameters", "/audit?service=injury", "/admin/dead-letters"},
	} {
		b := signedIn(t, srv.URL, who)
		for _, p := range pages {
			if st, body := b.get(p); st != http.StatusOK {
				t.Errorf("%s GET %s = %d %s", who, p, st, snippet(body))
			}
		}
	}
}

// client is a signed-in user of the gateway at base.
type client struct {
	t    *testing.T
	base string
	c    *http.Client
}

var tokenRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// signedIn signs username in with the password TestPagesAgainstRealServices
// seeds.
func signedIn(t *testing.T, base, username string) *client {
	t.Helper()
	return signedInWith(t, base, username, "demo passphrase "+username)
}

// journeySignIn signs a seeded user of startRealSystem in over plain HTTP.
func journeySignIn(t *testing.T, base, username string) *client {
	t.Helper()
	return signedInWith(t, base, username, journeyPassword(username))
}

// signedInWith is a browser without JavaScript (a cookie jar, redirects
// not followed) signed in as username.
func signedInWith(t *testing.T, base, username, password string) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	cl := &client{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	st, loc, body := cl.post("/signin", url.Values{"username": {username}, "password": {password}})
	if st != http.StatusSeeOther {
		t.Fatalf("sign in %s = %d %s %s", username, st, loc, snippet(body))
	}
	return cl
}

func (cl *client) get(p string) (int, string) {
	cl.t.Helper()
	r, err := cl.c.Get(cl.base + p)
	if err != nil {
		cl.t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r.StatusCode, string(b)
}

// post sends a form with the form token of the page the user would have
// seen (the sign-in page for a visitor, their account page otherwise).
func (cl *client) post(p string, v url.Values) (int, string, string) {
	cl.t.Helper()
	from := "/account"
	if p == "/signin" {
		from = "/signin"
	}
	_, page := cl.get(from)
	m := tokenRE.FindStringSubmatch(page)
	if m == nil {
		cl.t.Fatalf("no form token on %s", from)
	}
	v.Set("csrf_token", m[1])
	r, err := cl.c.PostForm(cl.base+p, v)
	if err != nil {
		cl.t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r.StatusCode, r.Header.Get("Location"), string(b)
}

// snippet is the text of a page's main part, for failure messages.
func snippet(s string) string {
	if i := strings.Index(s, "<main"); i >= 0 {
		s = s[i:]
	}
	s = regexp.MustCompile(`<[^>]+>`).ReplaceAllString(s, " ")
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 400 {
		s = s[:400]
	}
	return s
}
