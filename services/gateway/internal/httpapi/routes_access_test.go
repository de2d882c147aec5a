package httpapi_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/httpapi"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// public are the routes a visitor may use without a session.
var public = map[string]bool{
	"GET /": true, "GET /signin": true, "POST /signin": true, "POST /signout": true, "POST /lang": true,
	"GET /static/*file": true, "GET /healthz": true, "GET /readyz": true,
	"GET /signin/oidc": true, "GET /signin/oidc/callback": true,
	"GET /favicon.ico": true,
}

var routeParam = regexp.MustCompile(`[:*][A-Za-z_]+`)

// TestEveryRouteNeedsASession walks every route of the router: without a
// session, a page answers a redirect to sign-in and an API call 401.
func TestEveryRouteNeedsASession(t *testing.T) {
	t.Parallel()
	// No call gets as far as a service: the one upstream is a closed port.
	ups, _ := httpapi.NewUpstreams(map[string]string{"leave": "http://127.0.0.1:1"}, tokenForTest, 0)
	e := newStubEnv(t, ups)
	renderer, _ := web.NewRenderer()
	engine := httpx.New(httpx.Options{Service: "gateway", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err := httpapi.Register(engine, httpapi.Deps{Accounts: e.accounts, Renderer: renderer, Upstreams: ups}); err != nil {
		t.Fatal(err)
	}
	visitor := e.browser()
	token := visitor.token("/signin")
	for _, r := range engine.Routes() {
		key := r.Method + " " + r.Path
		if public[key] || r.Method == http.MethodConnect || r.Method == http.MethodTrace {
			continue
		}
		path := routeParam.ReplaceAllString(r.Path, "x")
		t.Run(key, func(t *testing.T) {
			body := url.Values{"csrf_token": {token}}.Encode()
			req := httptest.NewRequest(r.Method, path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			req.AddCookie(&http.Cookie{Name: "anxin_form", Value: token})
			w := httptest.NewRecorder()
			engine.ServeHTTP(w, req)
			if strings.HasPrefix(r.Path, "/api/") {
				if w.Code != http.StatusUnauthorized {
					t.Errorf("%s %s without a session = %d, want 401", r.Method, path, w.Code)
				}
				return
			}
			if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/signin?next=") {
				t.Errorf("%s %s without a session = %d %s, want a redirect to sign-in", r.Method, path, w.Code, w.Header().Get("Location"))
			}
		})
	}
}

// TestStaffPagesRefuseOfficers walks the staff pages as an officer: each
// answers 403, never the page.
func TestStaffPagesRefuseOfficers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("officer1", domain.RoleOfficer)
	b := e.browser()
	b.signIn("officer1")
	for _, path := range []string{"/work/queue", "/work/members", "/work/members/m-1", "/work/roster", "/approvals",
		"/finance", "/finance/ledger", "/finance/exports/e-1", "/finance/exports/e-1/download", "/audit",
		"/admin/users", "/admin/users/new", "/admin/dead-letters", "/admin/units", "/admin/programs", "/admin/programs/00000000-0000-7000-b000-000000000001", "/admin/parameters", "/work/health-checks", "/work/notices",
		"/finance/compensation", "/finance/compensation/download?format=csv", "/admin/leave", "/work/recuperation-quotas"} {
		if r := b.get(path); r.status != http.StatusForbidden {
			t.Errorf("officer GET %s = %d, want 403", path, r.status)
		}
	}
}

// TestYearEndFormsRefuseOtherRoles posts the administrator's forms of this
// round as a caseworker and a finance officer: each answers 403 and nothing
// reaches a service: leave and grants record no change.
func TestYearEndFormsRefuseOtherRoles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("cw1", domain.RoleCaseworker)
	e.user("fin1", domain.RoleFinance)
	for _, name := range []string{"cw1", "fin1"} {
		b := e.browser()
		b.signIn(name)
		tok := b.token("/account")
		paths := []string{"/admin/programs", "/admin/programs/00000000-0000-7000-b000-000000000001", "/admin/leave/rollover", "/work/recuperation-quotas"}
		if name == "fin1" {
			paths = append(paths, "/work/recuperation-bookings/b-1/cancel", "/care/recuperation/bookings/b-1/cancel")
		}
		for _, path := range paths {
			r := b.post(path, url.Values{"csrf_token": {tok}, "year": {"2025"}, "unit": {e.unit}, "places": {"3"}, "code": {"x"}, "version": {"1"}})
			if r.status != http.StatusForbidden {
				t.Errorf("%s POST %s = %d, want 403", name, path, r.status)
			}
		}
	}
	for _, svc := range []string{"leave", "grants"} {
		if rows := e.serviceAudit(svc, ""); len(rows) != 0 {
			t.Errorf("a refused form reached %s: %v", svc, rows)
		}
	}
}
