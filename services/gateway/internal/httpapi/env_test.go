package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/idem"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/gateway/internal/accounts"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/httpapi"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

var t0 = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

const password = "green tea leaves"

// env is a gateway in front of one fake service ("leave") that records
// what it receives.
type env struct {
	t        *testing.T
	srv      *httptest.Server
	accounts *accounts.Service
	clk      *clock.Fake

	mu         sync.Mutex
	received   []*http.Request
	ready      bool
	injury     *fakeInjury
	leave      *fakeLeave
	enrollment *fakeEnrollment
	grants     *fakeGrants
	// posts are the POSTs every fake service received (see recordPosts).
	posts []recordedPost
}

func newEnv(t *testing.T, opts ...func(*httpapi.Deps)) *env {
	t.Helper()
	db := pgtest.New(t, store.Migrations(), idem.MigrationSet())
	clk := clock.NewFake(t0)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e := &env{t: t, clk: clk, ready: true}
	e.accounts = accounts.New(store.New(db, clk), clk, accounts.Policies{
		Passwords: domain.PasswordPolicy{Params: domain.Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
	}, log)
	e.leave = &fakeLeave{echo: e.fakeService}
	upstream := httptest.NewServer(e.recordPosts(specChecked(t, "leave", e.leave)))
	t.Cleanup(upstream.Close)
	e.injury = newFakeInjury()
	injury := httptest.NewServer(e.recordPosts(specChecked(t, "injury", e.injury)))
	t.Cleanup(injury.Close)
	e.enrollment = &fakeEnrollment{}
	enrollment := httptest.NewServer(e.recordPosts(specChecked(t, "enrollment", e.enrollment)))
	t.Cleanup(enrollment.Close)
	e.grants = newFakeGrants()
	grants := httptest.NewServer(e.recordPosts(specChecked(t, "grants", e.grants)))
	t.Cleanup(grants.Close)
	ups, err := httpapi.NewUpstreams(map[string]string{
		"leave": upstream.URL, "injury": injury.URL, "enrollment": enrollment.URL, "grants": grants.URL,
	}, tokenForTest, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	renderer, err := web.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	engine := httpx.New(httpx.Options{Service: "gateway", Logger: log, Checks: ups.Checks()})
	deps := httpapi.Deps{Accounts: e.accounts, Renderer: renderer, Clock: clk, Log: log, Upstreams: ups, AuditDB: db,
		Idem: idem.New(db, clk, idem.Config{})}
	for _, o := range opts {
		o(&deps)
	}
	if err := httpapi.Register(engine, deps); err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(engine)
	t.Cleanup(e.srv.Close)
	return e
}

func (e *env) fakeService(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/readyz" {
		e.mu.Lock()
		ready := e.ready
		e.mu.Unlock()
		if !ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		return
	}
	e.mu.Lock()
	e.received = append(e.received, r.Clone(context.Background()))
	e.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: "evil", Value: "1"})
	w.Header().Set(echoHeader, "1")
	// As a real service does (pkg/httpx): its request id, which the
	// gateway already sent, and nothing said about caching.
	w.Header().Set("X-Request-ID", r.Header.Get("X-Request-ID"))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"path": r.URL.RequestURI()})
}

func (e *env) lastReceived() *http.Request {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.received) == 0 {
		return nil
	}
	return e.received[len(e.received)-1]
}

// user creates a user with the test password.
func (e *env) user(name string, roles ...domain.Role) *domain.User {
	e.t.Helper()
	in := domain.UserInput{Username: name, DisplayName: "用户 " + name, Roles: roles, Units: []string{"unit-1"}}
	if domain.HasRole(roles, domain.RoleOfficer, domain.RoleFamily) {
		in.MemberID = "m-" + name
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

// tokenForTest stands in for pkg/auth's signed token: readable by the fake
// services, "tok|<user id>|<roles>|<lang>".
func tokenForTest(u *domain.User, l i18n.Lang, _ string) (string, error) {
	roles := make([]string, 0, len(u.Roles))
	for _, r := range u.Roles {
		roles = append(roles, string(r))
	}
	return "tok|" + u.ID + "|" + strings.Join(roles, ",") + "|" + string(l), nil
}
