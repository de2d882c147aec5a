package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/internal/servicestest"
	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/pkg/idem"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/gateway"
	"github.com/anxin-welfare/anxin/services/gateway/internal/accounts"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/httpapi"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

var t0 = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

const password = "green tea leaves"

// env is the gateway, as internal/httpapi registers it, in front of the
// four real services (internal/servicestest), or of purpose-built stubs
// for what the real services cannot be made to do (newStubEnv).
type env struct {
	t        *testing.T
	srv      *httptest.Server
	accounts *accounts.Service
	clk      *clock.Fake
	// sys is the real services; nil in front of stubs.
	sys *servicestest.System
	// unit is the unit every user works in, registered in enrollment.
	unit string
	// staff is a caseworker of unit, for setting up and reading back
	// what the services hold without going through the pages.
	staff auth.Identity
	// members counts the members registered, for their id numbers.
	members int
	// requesters are the members of the leave requests made with
	// e.request, by request.
	requesters map[string]string
}

// newEnv is the gateway in front of the real services, their clock at t0,
// with one unit registered under the county's committee.
func newEnv(t *testing.T, opts ...func(*httpapi.Deps)) *env {
	t.Helper()
	sys := servicestest.Start(t, t0)
	e := &env{t: t, clk: sys.Env.Clock, sys: sys, requesters: map[string]string{}}
	admin := auth.Identity{UserID: "u-seed-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
	root := sys.Call(t, admin, http.MethodPost, "/api/v1/enrollment/units", map[string]any{"code": "ZFW", "name": "县委政法委", "kind": "committee"}, http.StatusCreated)["id"].(string)
	admin.Units = []string{root}
	e.unit = sys.Call(t, admin, http.MethodPost, "/api/v1/enrollment/units", map[string]any{
		"code": "GAJ", "name": "县公安局", "kind": "police_bureau", "parent_id": root}, http.StatusCreated)["id"].(string)
	e.staff = auth.Identity{UserID: "u-seed-cw", Name: "王经办", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{e.unit}}
	ups, err := httpapi.NewUpstreams(sys.URL, e.token, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	e.start(ups, opts)
	return e
}

// newStubEnv is the gateway in front of ups alone: stubs built for one
// test's purpose (a service that always refuses, one that counts calls),
// never a copy of a service's API.
func newStubEnv(t *testing.T, ups *httpapi.Upstreams, opts ...func(*httpapi.Deps)) *env {
	t.Helper()
	e := &env{t: t, clk: clock.NewFake(t0), unit: "unit-1"}
	e.start(ups, opts)
	return e
}

// start serves the gateway over its own database, in front of ups.
func (e *env) start(ups *httpapi.Upstreams, opts []func(*httpapi.Deps)) {
	t := e.t
	t.Helper()
	db := pgtest.New(t, store.Migrations(), idem.MigrationSet())
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e.accounts = accounts.New(store.New(db, e.clk), e.clk, accounts.Policies{
		Passwords: domain.PasswordPolicy{Params: domain.Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
	}, log)
	renderer, err := web.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	engine := httpx.New(httpx.Options{Service: "gateway", Logger: log, Checks: ups.Checks()})
	deps := httpapi.Deps{Accounts: e.accounts, Renderer: renderer, Clock: e.clk, Log: log, Upstreams: ups, AuditDB: db,
		Idem: idem.New(db, e.clk, idem.Config{})}
	for _, o := range opts {
		o(&deps)
	}
	if err := httpapi.Register(engine, deps); err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(engine)
	t.Cleanup(e.srv.Close)
}

// token is the identity token the gateway's composition root issues
// (services/gateway), signed with the services' keys: one per service.
func (e *env) token(u *domain.User, l i18n.Lang, audience string) (string, error) {
	id := gateway.Identity(u, l)
	id.Audience = audience
	return e.sys.Env.Deps.Tokens.Issue(id, 2*time.Minute)
}

// as is the identity the gateway vouches for u with, for reading back
// what the real services hold for u.
func (e *env) as(u *domain.User) auth.Identity {
	return gateway.Identity(u, i18n.ZH)
}

// member registers a member of e.unit in enrollment, named name, and waits
// until injury, grants and leave have learnt of them from enrollment's
// events.
// In front of stubs it is "m-<name>", which no service is asked about.
// At most 500 members a test: their id numbers differ by sequence alone.
func (e *env) member(name string) string {
	e.t.Helper()
	if e.sys == nil {
		return "m-" + strings.TrimPrefix(name, "用户 ")
	}
	e.members++
	id := e.sys.Call(e.t, e.staff, http.MethodPost, "/api/v1/enrollment/members", map[string]any{
		"unit_id": e.unit, "name": name, "category": "police", "hire_date": "2008-07-01",
		"id_number": idcard.Generate("110105", time.Date(1985, 3, 4, 0, 0, 0, 0, time.UTC), 2*e.members-1, true), // odd: a man
	}, http.StatusCreated)["id"].(string)
	apptest.Eventually(e.t, 20*time.Second, fmt.Sprintf("enrollment's member.registered of %s reached injury, grants and leave", name), func() bool {
		return e.sys.Knows(e.t, id)
	})
	return id
}

// user creates a user with the test password.
func (e *env) user(name string, roles ...domain.Role) *domain.User {
	e.t.Helper()
	in := domain.UserInput{Username: name, DisplayName: "用户 " + name, Roles: roles, Units: []string{e.unit}}
	if domain.HasRole(roles, domain.RoleOfficer, domain.RoleFamily) {
		in.MemberID = e.member(in.DisplayName)
	}
	u, err := e.accounts.CreateUser(context.Background(), in, password, password, store.Actor{UserID: "test"})
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// browser is a client with its own cookie jar that does not follow
// redirects, so tests see each 303.
type browser struct {
	t   *testing.T
	e   *env
	c   *http.Client
	jar http.CookieJar
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: e.t, e: e, jar: jar, c: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type response struct {
	status int
	header http.Header
	body   string
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

func (b *browser) get(path string) response {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.e.srv.URL+path, nil)
	return b.do(req)
}

// post sends a form as a same-origin browser would (Sec-Fetch-Site).
func (b *browser) post(path string, form url.Values, headers ...string) response {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// token reads the form token from a page.
func (b *browser) token(path string) string {
	b.t.Helper()
	r := b.get(path)
	m := csrfField.FindStringSubmatch(r.body)
	if m == nil {
		b.t.Fatalf("GET %s (%d) has no form token", path, r.status)
	}
	return m[1]
}

func (b *browser) signIn(username string) response {
	b.t.Helper()
	tok := b.token("/signin")
	return b.post("/signin", url.Values{"csrf_token": {tok}, "username": {username}, "password": {password}})
}

func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.e.srv.URL)
	for _, c := range b.jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// tokenForTest stands in for pkg/auth's signed token where the upstream is
// a stub that reads it: "tok|<user id>|<roles>|<lang>".
func tokenForTest(u *domain.User, l i18n.Lang, _ string) (string, error) {
	roles := make([]string, 0, len(u.Roles))
	for _, r := range u.Roles {
		roles = append(roles, string(r))
	}
	return "tok|" + u.ID + "|" + strings.Join(roles, ",") + "|" + string(l), nil
}
